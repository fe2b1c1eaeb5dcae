/* gdv_style.c: style files (`key = value` lines, `#` comments) and where
 * they are found. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/gdv_io.h"
#include "render/gdv_render.h"

#ifndef GDV_PKGDATADIR
#define GDV_PKGDATADIR "/usr/local/share/gradviz"
#endif

/* An rgb colour from 0xRRGGBB. */
static gdv_rgba rgb(unsigned hex) {
  gdv_rgba c = {((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0,
                (hex & 255) / 255.0, 1.0};
  return c;
}

/* Must stay equal to styles/default, which the header promises; colours are
 * Okabe-Ito, safe for colour-blind readers. */
void gdv_style_default(gdv_style *st) {
  memset(st, 0, sizeof *st);
  snprintf(st->name, sizeof st->name, "default");
  snprintf(st->font, sizeof st->font, "DejaVu Sans");
  st->font_size = 12;
  st->title_size = 16;
  st->edge_font_size = 12;
  st->node_pad = 6;
  st->node_radius = 6;
  st->line_width = 1.2;
  st->edge_width = 1.2;
  st->edge_width_max = 5;
  st->rank_sep = 40;
  st->node_sep = 18;
  st->margin = 16;
  /* Okabe-Ito: blue forward, vermillion backward and sums, orange flow;
   * darkened to the contrast rules of styles/README. */
  st->background = rgb(0xFFFFFF);
  st->text = rgb(0x1A1A1A);
  st->forward = rgb(0x0072B2);
  st->backward = rgb(0xB34F04);
  st->sum = rgb(0xB34F04);
  st->node_fill = rgb(0xF2F2F2);
  st->node_stroke = rgb(0x4D4D4D);
  st->input_fill = rgb(0xE8F1F8);
  st->param_fill = rgb(0xFDF1DC);
  st->const_fill = rgb(0xFFFFFF);
  st->output_stroke = rgb(0x000000);
  st->edge = rgb(0x666666);
  st->flow_lo = rgb(0xA6A6A6);
  st->flow_hi = rgb(0xC48702);
  st->grey = rgb(0x727272);
  st->highlight = rgb(0x009E73);
  st->nonfinite = rgb(0xD55E00);
  st->legend_fill = rgb(0xFAFAFA);
  st->recorded_wrong = rgb(0xB4478A);
  st->show = GDV_SHOW_ALL;
  st->precision = 4;
}

typedef enum { K_COLOR, K_SIZE, K_FONT, K_SHOW, K_INT } key_type;

/* The table of keys a style file may set: name, type, field offset. */
static const struct {
  const char *key;
  key_type type;
  size_t off;
} keys[] = {
  {"font", K_FONT, offsetof(gdv_style, font)},
  {"font-size", K_SIZE, offsetof(gdv_style, font_size)},
  {"title-size", K_SIZE, offsetof(gdv_style, title_size)},
  {"edge-font-size", K_SIZE, offsetof(gdv_style, edge_font_size)},
  {"node-pad", K_SIZE, offsetof(gdv_style, node_pad)},
  {"node-radius", K_SIZE, offsetof(gdv_style, node_radius)},
  {"line-width", K_SIZE, offsetof(gdv_style, line_width)},
  {"edge-width", K_SIZE, offsetof(gdv_style, edge_width)},
  {"edge-width-max", K_SIZE, offsetof(gdv_style, edge_width_max)},
  {"rank-sep", K_SIZE, offsetof(gdv_style, rank_sep)},
  {"node-sep", K_SIZE, offsetof(gdv_style, node_sep)},
  {"margin", K_SIZE, offsetof(gdv_style, margin)},
  {"background", K_COLOR, offsetof(gdv_style, background)},
  {"text", K_COLOR, offsetof(gdv_style, text)},
  {"forward", K_COLOR, offsetof(gdv_style, forward)},
  {"backward", K_COLOR, offsetof(gdv_style, backward)},
  {"sum", K_COLOR, offsetof(gdv_style, sum)},
  {"node-fill", K_COLOR, offsetof(gdv_style, node_fill)},
  {"node-stroke", K_COLOR, offsetof(gdv_style, node_stroke)},
  {"input-fill", K_COLOR, offsetof(gdv_style, input_fill)},
  {"param-fill", K_COLOR, offsetof(gdv_style, param_fill)},
  {"const-fill", K_COLOR, offsetof(gdv_style, const_fill)},
  {"output-stroke", K_COLOR, offsetof(gdv_style, output_stroke)},
  {"edge", K_COLOR, offsetof(gdv_style, edge)},
  {"flow-lo", K_COLOR, offsetof(gdv_style, flow_lo)},
  {"flow-hi", K_COLOR, offsetof(gdv_style, flow_hi)},
  {"grey", K_COLOR, offsetof(gdv_style, grey)},
  {"highlight", K_COLOR, offsetof(gdv_style, highlight)},
  {"nonfinite", K_COLOR, offsetof(gdv_style, nonfinite)},
  {"legend-fill", K_COLOR, offsetof(gdv_style, legend_fill)},
  {"recorded-wrong", K_COLOR, offsetof(gdv_style, recorded_wrong)},
  {"show", K_SHOW, offsetof(gdv_style, show)},
  {"precision", K_INT, offsetof(gdv_style, precision)},
};

/* "#RRGGBB" or "#RRGGBBAA". */
static int parse_color(const char *v, gdv_rgba *out) {
  size_t n = strlen(v);
  if (v[0] != '#' || (n != 7 && n != 9)) return 0;
  for (size_t i = 1; i < n; i++)
    if (!isxdigit((unsigned char)v[i])) return 0;
  unsigned long x = strtoul(v + 1, NULL, 16);
  if (n == 7) x = (x << 8) | 0xFF;
  out->r = ((x >> 24) & 255) / 255.0;
  out->g = ((x >> 16) & 255) / 255.0;
  out->b = ((x >> 8) & 255) / 255.0;
  out->a = (x & 255) / 255.0;
  return 1;
}

/* A size in points (0 to 1000, a font size at least 1) or, `whole`, the
 * significant digits: in range, or bad input in the core's one wording
 * (gdv_number_in), which quotes no text when `quiet` (see apply). */
static gdv_status number_key(size_t off, const char *key, const char *val, int whole,
                             const char *file, long line, int quiet, gdv_style *st,
                             gdv_error *err) {
  double lo = whole ? GDV_PRECISION_MIN : strstr(key, "size") ? 1 : 0;
  double hi = whole ? GDV_PRECISION_MAX : 1000, d;
  char msg[256];
  if (!gdv_number_in(key, val, whole, lo, 0, hi, &d, msg, sizeof msg))
    return quiet ? gdv_error_set(err, GDV_ERR_INPUT, file, line,
                                 "%s: the value is not a number from %g to %g", key, lo, hi)
                 : gdv_error_set(err, GDV_ERR_INPUT, file, line, "%s", msg);
  if (whole) *(int *)(void *)((char *)st + off) = (int)d;
  else *(double *)(void *)((char *)st + off) = d;
  return GDV_OK;
}

/* Applies one `key = value` pair; returns 0 with a message on bad input.
 * `quiet` (a file a graph named, which may be anything): the message
 * quotes no text of the file but a known key, so a file that is no style
 * is not shown line by line. */
static gdv_status apply(gdv_style *st, const char *key, const char *val,
                        const char *file, long line, int quiet, gdv_error *err) {
  char q[96];
  snprintf(q, sizeof q, "'%.80s'", val);
  const char *shown = quiet ? "the value" : q;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    if (strcmp(keys[i].key, key) != 0) continue;
    char *field = (char *)st + keys[i].off;
    switch (keys[i].type) {
    case K_COLOR:
      if (!parse_color(val, (gdv_rgba *)(void *)field))
        return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                             "%s: %s is not a colour (#RRGGBB or "
                             "#RRGGBBAA)", key, shown);
      return GDV_OK;
    case K_SIZE:
      return number_key(keys[i].off, key, val, 0, file, line, quiet, st, err);
    case K_FONT:
      if (*val == '\0' || strlen(val) >= sizeof st->font)
        return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                             "font: %s is not a font family name", shown);
      snprintf(st->font, sizeof st->font, "%s", val);
      return GDV_OK;
    case K_SHOW: {
      gdv_error e2;
      if (gdv_show_parse(val, &st->show, &e2))
        return gdv_error_set(err, GDV_ERR_INPUT, file, line, "show: %s",
                             quiet ? "not a list of what to show" : e2.message);
      return GDV_OK;
    }
    case K_INT:
      return number_key(keys[i].off, key, val, 1, file, line, quiet, st, err);
    }
  }
  if (quiet) return gdv_error_set(err, GDV_ERR_INPUT, file, line, "not a style key");
  return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                       "unknown style key '%s'", key);
}

/* Cuts leading and trailing blanks in place. */
static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  char *e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
  return s;
}

/* Applies on top of *st, so a style file lists only what differs; '#' starts
 * a comment except where it starts a colour value. `quiet`: see apply. */
static gdv_status parse(const char *file, const char *text, gdv_style *st, int quiet,
                        gdv_error *err) {
  char *copy = strdup(text);
  if (copy == NULL) return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
  gdv_status status = GDV_OK;
  long line = 0;
  char *save = NULL;
  char *p = copy;
  while (status == GDV_OK && p) {
    char *nl = strchr(p, '\n');
    if (nl) *nl = '\0';
    line++;
    char *hash = strchr(p, '#');
    /* '#' begins a comment unless it begins a colour value. */
    while (hash && hash > p && strchr(p, '=') && strchr(p, '=') < hash) {
      char *eq = strchr(p, '=');
      char *v = eq + 1;
      while (*v == ' ' || *v == '\t') v++;
      if (hash == v) hash = strchr(hash + 1, '#');
      else break;
    }
    if (hash) *hash = '\0';
    char *s = trim(p);
    if (*s) {
      char *eq = strchr(s, '=');
      if (eq == NULL) {
        status = gdv_error_set(err, GDV_ERR_INPUT, file, line,
                               "expected 'key = value'");
      } else {
        *eq = '\0';
        status = apply(st, trim(s), trim(eq + 1), file, line, quiet, err);
      }
    }
    p = nl ? nl + 1 : NULL;
  }
  (void)save;
  free(copy);
  return status;
}

gdv_status gdv_style_parse(const char *file, const char *text, gdv_style *st,
                           gdv_error *err) {
  return parse(file, text, st, 0, err);
}

/* Reads a style file whole with io's reader; its messages gain the word
 * "style" so the user knows which file could not be read. NULL with err
 * filled (err may be NULL) when it cannot. */
static char *read_style(const char *path, gdv_error *err) {
  gdv_file_text text;
  gdv_error e;
  gdv_error_clear(&e);
  size_t limit, input_limit;
  if (gdv_style_input_limit(&limit, &e) == GDV_OK &&
      gdv_file_read(path, limit, 0, &text, &e) == GDV_OK) {
    if (gdv_utf8_check(path, text.data, text.size, NULL, &e) == GDV_OK)
      return text.data;
    gdv_file_text_free(&text);
  }
  /* the cap of style files, not GRADVIZ_MAX_INPUT, was passed */
  if (strncmp(e.message, "larger than ", 12) == 0 &&
      gdv_input_limit(&input_limit, NULL) == GDV_OK && limit < input_limit) {
    char lim[32];
    gdv_size_text(limit, lim, sizeof lim);
    snprintf(e.message, sizeof e.message, "larger than %s, the limit for a style file", lim);
  }
  const char *colon = strchr(e.message, ':');
  if (e.code == GDV_ERR_INPUT && colon && strncmp(e.message, "cannot ", 7) == 0)
    gdv_error_set(err, e.code, e.file, 0, "%.*s style%s", (int)(colon - e.message),
                  e.message, colon);
  else
    gdv_error_set(err, e.code, e.file, e.line, "%s", e.message);
  return NULL;
}

/* The folder of the running program, read from /proc/self/exe rather than
 * compiled in: a build path in the binary would make two builds in
 * different folders differ (reproducible builds). NULL if unknown. */
static char *self_dir(void) {
  size_t cap = 256;
  for (;;) {
    char *buf = malloc(cap);
    if (buf == NULL) return NULL;
    ssize_t n = readlink("/proc/self/exe", buf, cap);
    if (n < 0) { free(buf); return NULL; }
    if ((size_t)n < cap) {
      buf[n] = '\0';
      char *slash = strrchr(buf, '/');
      if (slash == NULL) { free(buf); return NULL; }
      *slash = '\0';
      return buf;
    }
    free(buf);
    cap *= 2;
  }
}

/* Tries DIR/SUB/FILE (DIR/FILE when SUB is NULL); returns a malloc'd path
 * when it is readable, and sets *oom (when not NULL) when there was no
 * memory to look. */
static char *try_file(const char *dir, size_t dlen, const char *sub, const char *file,
                      int *oom) {
  size_t n = dlen + (sub ? strlen(sub) : 0) + strlen(file) + 3;
  char *path = malloc(n);
  if (path == NULL) {
    if (oom) *oom = 1;
    return NULL;
  }
  snprintf(path, n, "%.*s/%s%s%s", (int)dlen, dir, sub ? sub : "", sub ? "/" : "", file);
  if (access(path, R_OK) == 0) return path;
  free(path);
  return NULL;
}

/* Installed data first; then, for a program run uninstalled, the build
 * tree's copy beside the binary (`make` copies it there in a VPATH build). */
char *gdv_data_file(const char *subdir, const char *tree_subdir, const char *file) {
  char *found = try_file(GDV_PKGDATADIR, strlen(GDV_PKGDATADIR), subdir, file, NULL);
  if (found) return found;
  char *dir = self_dir();
  if (dir) found = try_file(dir, strlen(dir), tree_subdir, file, NULL);
  free(dir);
  return found;
}

/* Searches GRADVIZ_STYLE_PATH (colon separated), the installed styles and
 * the build tree's styles (for running uninstalled); *oom when there was no
 * memory to look (not the same as no such style). */
static char *find_style(const char *name, int *oom) {
  const char *env = getenv("GRADVIZ_STYLE_PATH");
  size_t n = strlen(name) + 7;
  char *file = malloc(n), *found = NULL;
  *oom = file == NULL;
  if (file == NULL) return NULL;
  snprintf(file, n, "%s.style", name);
  for (const char *p = env; p && *p && !found && !*oom;) {
    const char *c = strchr(p, ':');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    if (len) found = try_file(p, len, NULL, file, oom);
    p = c ? c + 1 : NULL;
  }
  if (!found && !*oom) found = gdv_data_file("styles", "styles", file);
  free(file);
  return found;
}

/* The style's name: its file's base name without the suffix. */
static void set_name(gdv_style *st, const char *name_or_path) {
  const char *base = strrchr(name_or_path, '/');
  base = base ? base + 1 : name_or_path;
  size_t bl = strcspn(base, ".");
  snprintf(st->name, sizeof st->name, "%.*s", (int)bl, base);
}

/* A style name (letters, digits, '-', '_'): it cannot leave its folder. */
static int is_style_name(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_') return 0;
  return len > 0;
}

/* The styles a name could have found: the closest to the one asked for,
 * and every name seen (some twice: a name in two folders). */
typedef struct style_names {
  gdv_suggest s;
  char **names;
  size_t n, cap;
} style_names;

/* Every NAME.style in the folder dir (dlen bytes). */
static void scan_styles(const char *dir, size_t dlen, style_names *sn) {
  char *path = strndup(dir, dlen);
  DIR *d = path ? opendir(path) : NULL;
  free(path);
  if (d == NULL) return;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    size_t n = strlen(e->d_name);
    if (n <= 6 || strcmp(e->d_name + n - 6, ".style") || !is_style_name(e->d_name, n - 6))
      continue;
    e->d_name[n - 6] = '\0';
    gdv_suggest_offer(&sn->s, e->d_name);
    if (!gdv_grow((void **)&sn->names, &sn->cap, sn->n, sizeof *sn->names)) continue;
    if ((sn->names[sn->n] = strdup(e->d_name)) != NULL) sn->n++;
  }
  closedir(d);
}

/* The folders find_style searches, for the names they hold. */
static void list_styles(style_names *sn) {
  const char *env = getenv("GRADVIZ_STYLE_PATH");
  for (const char *p = env; p && *p;) {
    const char *c = strchr(p, ':');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    if (len) scan_styles(p, len, sn);
    p = c ? c + 1 : NULL;
  }
  scan_styles(GDV_PKGDATADIR "/styles", strlen(GDV_PKGDATADIR "/styles"), sn);
  char *dir = self_dir();
  if (dir) {
    size_t n = strlen(dir);
    char *styles = malloc(n + 8);
    if (styles) {
      snprintf(styles, n + 8, "%s/styles", dir);
      scan_styles(styles, n + 7, sn);
    }
    free(styles);
  }
  free(dir);
}

/* qsort order of style names. */
static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No style has this name: the closest one, else the names there are
 * (sorted: folders list their files in no fixed order). */
static gdv_status no_such_style(const char *name, gdv_error *err) {
  style_names sn;
  char hint[GDV_HINT_SIZE], list[200] = "";
  memset(&sn, 0, sizeof sn);
  gdv_suggest_start(&sn.s, name);
  list_styles(&sn);
  qsort(sn.names, sn.n, sizeof *sn.names, name_cmp);
  size_t used = 0;
  for (size_t i = 0; i < sn.n; i++) {
    if (i > 0 && strcmp(sn.names[i], sn.names[i - 1]) == 0) continue;
    size_t n = strlen(sn.names[i]);
    if (used + n + 7 >= sizeof list) {
      snprintf(list + used, sizeof list - used, ", ...");
      break;
    }
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                             sn.names[i]);
  }
  for (size_t i = 0; i < sn.n; i++) free(sn.names[i]);
  free(sn.names);
  if (sn.s.best[0])
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "no style named '%s'%s", name,
                         gdv_suggest_hint(&sn.s, hint, sizeof hint));
  return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "no style named '%s' (try %s%sa FILE.style)",
                       name, list, list[0] ? ", or " : "");
}

/* Starts from the default style. A bare name may hold only letters, digits,
 * '-' and '_', so it cannot reach outside the style directories. */
gdv_status gdv_style_load(const char *name_or_path, gdv_style *st,
                          gdv_error *err) {
  size_t n = strlen(name_or_path);
  int is_path = strchr(name_or_path, '/') != NULL ||
                (n > 6 && strcmp(name_or_path + n - 6, ".style") == 0);
  char *path = NULL;
  gdv_style_default(st);
  if (is_path) {
    path = strdup(name_or_path);
  } else {
    if (!is_style_name(name_or_path, n))
      return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                           "'%s' is not a style name", name_or_path);
    int oom;
    path = find_style(name_or_path, &oom);
    if (path == NULL && !oom) return no_such_style(name_or_path, err);
  }
  if (path == NULL) return gdv_error_oom(err);
  gdv_error read_err;
  char *text = read_style(path, &read_err);
  gdv_status status = text ? gdv_style_parse(path, text, st, err) : read_err.code;
  if (text == NULL && err) *err = read_err;
  if (status == GDV_OK) set_name(st, name_or_path);
  free(text);
  free(path);
  return status;
}

/* Opens `rel` below the folder dirfd one component at a time, none of them
 * a symbolic link (O_NOFOLLOW on each: a link swapped in meanwhile fails
 * too), the last one a regular file. Returns the descriptor, or -1 with
 * *why set. */
static int open_beside(int dirfd, const char *rel, const char **why) {
  char *copy = strdup(rel);
  int fd = copy ? dup(dirfd) : -1;
  *why = copy ? "cannot open" : "out of memory";
  char *save = NULL;
  for (char *c = copy ? strtok_r(copy, "/", &save) : NULL; c && fd >= 0;) {
    char *next = strtok_r(NULL, "/", &save);
    if (strcmp(c, ".") == 0) {
      c = next;
      continue;
    }
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (next ? O_DIRECTORY : O_NONBLOCK);
    int nfd = openat(fd, c, flags);
    struct stat lsb;
    if (nfd < 0)
      *why = errno == ELOOP || (fstatat(fd, c, &lsb, AT_SYMLINK_NOFOLLOW) == 0 &&
                                S_ISLNK(lsb.st_mode))
                 ? (next ? "a path through a symbolic link" : "a symbolic link")
                 : strerror(errno);
    close(fd);
    fd = nfd;
    c = next;
  }
  struct stat sb;
  if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
    *why = "not a regular file";
    close(fd);
    fd = -1;
  }
  free(copy);
  return fd;
}

/* The whole of fd, within the style files' size limit, as UTF-8 text;
 * NULL with err set. */
static char *read_fd(int fd, const char *shown, gdv_error *err) {
  size_t limit, len = 0, cap = 4096;
  if (gdv_style_input_limit(&limit, err)) return NULL;
  char *buf = malloc(cap + 1);
  for (;;) {
    if (buf != NULL && len == cap) {
      char *t = realloc(buf, 2 * cap + 1);
      if (t == NULL) free(buf);
      buf = t;
      cap *= 2;
    }
    if (buf == NULL) {
      gdv_error_set(err, GDV_ERR_SYSTEM, shown, 0, "out of memory");
      return NULL;
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0) gdv_error_set(err, GDV_ERR_INPUT, shown, 0, "cannot read style: %s", strerror(errno));
      break;
    }
    len += (size_t)n;
    if (len > limit) {
      char lim[32];
      gdv_size_text(limit, lim, sizeof lim);
      gdv_error_set(err, GDV_ERR_INPUT, shown, 0, "larger than %s, the limit for a style file", lim);
      break;
    }
  }
  buf[len] = '\0';
  if (err->message[0] == '\0' &&
      (memchr(buf, '\0', len) || gdv_utf8_check(shown, buf, len, NULL, err) != GDV_OK))
    gdv_error_set(err, GDV_ERR_INPUT, shown, 0, "not a style file (not UTF-8 text)");
  if (err->message[0] == '\0') return buf;
  free(buf);
  return NULL;
}

/* A style file a graph names (gradviz_style="my.style"): `rel` below the
 * graph's folder, reached through no symbolic link and a regular file, so
 * a graph from someone else cannot make gradviz read a file elsewhere
 * (a link to a secret beside the graph); its errors quote no text of it. */
gdv_status gdv_style_load_beside(const char *graph_path, const char *rel, gdv_style *st,
                                 gdv_error *err) {
  gdv_style_default(st);
  const char *slash = graph_path && strcmp(graph_path, "-") ? strrchr(graph_path, '/') : NULL;
  char *dir = slash ? strndup(graph_path, (size_t)(slash - graph_path + 1)) : strdup(".");
  size_t n = (dir ? strlen(dir) : 0) + strlen(rel) + 2;
  char *shown = dir ? malloc(n) : NULL;
  if (shown == NULL) {
    free(dir);
    return gdv_error_oom(err);
  }
  snprintf(shown, n, "%s%s", slash ? dir : "", rel);
  const char *why = "cannot open its folder";
  int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int fd = dirfd >= 0 ? open_beside(dirfd, rel, &why) : -1;
  gdv_status status = GDV_OK;
  if (fd < 0) {
    status = gdv_error_set_about(err, GDV_SETTING_STYLE, GDV_ERR_INPUT, shown, 0,
                                 "gradviz_style: %s; a graph's style file must be a regular "
                                 "file beside it, reached through no symbolic link", why);
  } else {
    gdv_error_clear(err);
    char *text = read_fd(fd, shown, err);
    status = text ? parse(shown, text, st, 1, err) : err->code;
    free(text);
  }
  if (status == GDV_OK) set_name(st, rel);
  if (fd >= 0) close(fd);
  if (dirfd >= 0) close(dirfd);
  free(dir);
  free(shown);
  return status;
}

/* For batch, which records the content of the style each figure was drawn
 * with: the file gdv_style_load would read for NAME_OR_PATH (malloc'd), or
 * NULL when there is none (or no memory). */
char *gdv_style_file(const char *name_or_path) {
  size_t n = strlen(name_or_path);
  if (strchr(name_or_path, '/') != NULL || (n > 6 && strcmp(name_or_path + n - 6, ".style") == 0))
    return strdup(name_or_path);
  int oom;
  return find_style(name_or_path, &oom);
}
