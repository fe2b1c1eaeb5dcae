/*
 * gdv_batch_manifest.c: what each figure of a batch output folder was drawn
 * with. A figure newer than its graph may still be stale: drawn at another
 * --dpi or in another style. The manifest DIR/.gradviz-batch records the
 * settings of every figure, one sorted line each, so batch redraws exactly
 * the figures whose settings changed; it is plain text, the same bytes for
 * the same figures, and written whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workflow/gdv_workflow.h"

static const char header[] = "# gradviz batch: the settings each figure here was drawn with\n";

/* The one failure most helpers here can have. */
static gdv_status oom(gdv_error *err) {
  return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
}

/* Appends s with backslash, tab and newline escaped, so that any file name
 * or style path fits on one line and splits at the one tab. */
static size_t escape(char *out, const char *s) {
  size_t n = 0;
  for (; *s; s++) {
    char c = *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\\' ? '\\' : 0;
    if (c) {
      if (out) { out[n] = '\\'; out[n + 1] = c; }
      n += 2;
    } else {
      if (out) out[n] = *s;
      n++;
    }
  }
  if (out) out[n] = '\0';
  return n;
}

/* `parts` joined, each escaped (malloc'd). */
static char *escaped_join(const char *const *parts, size_t n) {
  size_t len = 1;
  for (size_t i = 0; i < n; i++) len += escape(NULL, parts[i]);
  char *s = malloc(len);
  if (s == NULL) return NULL;
  size_t at = 0;
  s[0] = '\0';
  for (size_t i = 0; i < n; i++) at += escape(s + at, parts[i]);
  return s;
}

/* dpi changes only the pixels of a PNG: an SVG or PDF drawn at another dpi
 * is the same file and stays up to date. expand is written only when
 * given, so manifests written before it existed stay up to date. */
char *gdv_batch_settings_text(const char *format, const char *style,
                              const char *show, const char *expand, const char *precision,
                              const char *dpi, const char *page, const char *legend) {
  int png = strcmp(format, "png") == 0;
  /* page= and legend= only when given: figures drawn before those options
   * existed keep their settings text, so they are not all redrawn */
  const char *parts[] = {"style=", style ? style : "-", " show=", show ? show : "-",
                         expand ? " expand=" : "", expand ? expand : "",
                         " precision=", precision ? precision : "-",
                         png ? " dpi=" : "", png ? (dpi ? dpi : "-") : "",
                         page ? " page=" : "", page ? page : "",
                         legend ? " legend=" : "", legend ? legend : ""};
  return escaped_join(parts, sizeof parts / sizeof parts[0]);
}

/* STEM.FORMAT: the figure's path below the output folder. */
char *gdv_batch_figure_name(const gdv_batch_item *it, const char *format) {
  const char *parts[] = {it->stem, ".", format};
  return escaped_join(parts, 3);
}

/* Binary search: the index of figure, or where it would go (*found 0). */
static size_t find(const gdv_batch_manifest *m, const char *figure, int *found) {
  size_t lo = 0, hi = m->n;
  *found = 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(m->figure[mid], figure);
    if (c == 0) {
      *found = 1;
      return mid;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Looked up by binary search: a batch asks once per figure. */
const char *gdv_batch_manifest_get(const gdv_batch_manifest *m, const char *figure) {
  int found;
  size_t i = find(m, figure, &found);
  return found ? m->settings[i] : NULL;
}

/* Keeps the arrays sorted, so lookups stay logarithmic and the file comes
 * out in the same order every time. */
gdv_status gdv_batch_manifest_set(gdv_batch_manifest *m, const char *figure,
                                  const char *settings, gdv_error *err) {
  int found;
  size_t i = find(m, figure, &found);
  char *value = strdup(settings);
  if (value == NULL) return oom(err);
  if (found) {
    free(m->settings[i]);
    m->settings[i] = value;
    return GDV_OK;
  }
  char *key = strdup(figure);
  if (key == NULL) {
    free(value);
    return oom(err);
  }
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 64;
    char **f = realloc(m->figure, cap * sizeof *f);
    if (f) m->figure = f;
    char **s = f ? realloc(m->settings, cap * sizeof *s) : NULL;
    if (s) m->settings = s;
    if (f == NULL || s == NULL) {
      free(key);
      free(value);
      return oom(err);
    }
    m->cap = cap;
  }
  memmove(m->figure + i + 1, m->figure + i, (m->n - i) * sizeof *m->figure);
  memmove(m->settings + i + 1, m->settings + i, (m->n - i) * sizeof *m->settings);
  m->figure[i] = key;
  m->settings[i] = value;
  m->n++;
  return GDV_OK;
}

/* DIR/.gradviz-batch (malloc'd). */
static char *manifest_path(const char *dir) {
  size_t ld = strlen(dir), n = ld + sizeof GDV_BATCH_MANIFEST + 2;
  char *path = malloc(n);
  if (path) snprintf(path, n, "%s%s%s", dir, ld && dir[ld - 1] == '/' ? "" : "/",
                     GDV_BATCH_MANIFEST);
  return path;
}

/* Lines that are not `FIGURE<TAB>SETTINGS` (a comment, a line cut short)
 * are skipped: the worst a damaged manifest does is redraw figures. */
static gdv_status parse(char *text, gdv_batch_manifest *m, gdv_error *err) {
  for (char *line = text; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    char *tab = strchr(line, '\t');
    if (line[0] != '#' && tab && nl) {
      *tab = '\0';
      gdv_status st = gdv_batch_manifest_set(m, line, tab + 1, err);
      if (st) return st;
    }
    line = nl ? nl + 1 : NULL;
  }
  return GDV_OK;
}

/* A folder drawn before manifests existed has none: every figure in it is
 * then redrawn once. */
gdv_status gdv_batch_manifest_load(const char *dir, gdv_batch_manifest *m,
                                   gdv_error *err) {
  memset(m, 0, sizeof *m);
  char *path = manifest_path(dir);
  if (path == NULL) return oom(err);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    int e = errno;
    free(path);
    if (e == ENOENT || e == ENOTDIR) return GDV_OK;
    return gdv_error_set(err, GDV_ERR_SYSTEM, dir, 0, "cannot read %s: %s",
                         GDV_BATCH_MANIFEST, strerror(e));
  }
  fclose(f);
  gdv_file_text text;
  gdv_status st = gdv_file_load(path, &text, err);
  free(path);
  if (st) return st;
  st = parse(text.data, m, err);
  gdv_file_text_free(&text);
  if (st) gdv_batch_manifest_free(m);
  return st;
}

/* Through a temporary beside it and a rename, like every output file. */
gdv_status gdv_batch_manifest_save(const char *dir, const gdv_batch_manifest *m,
                                   gdv_error *err) {
  char *path = manifest_path(dir);
  if (path == NULL) return oom(err);
  gdv_outfile out;
  gdv_status st = gdv_outfile_open(&out, path, err);
  free(path);
  if (st) return st;
  fputs(header, out.f);
  for (size_t i = 0; i < m->n; i++) fprintf(out.f, "%s\t%s\n", m->figure[i], m->settings[i]);
  return gdv_outfile_commit(&out, err);
}

/* Leaves the manifest empty, so a second free is harmless. */
void gdv_batch_manifest_free(gdv_batch_manifest *m) {
  for (size_t i = 0; i < m->n; i++) {
    free(m->figure[i]);
    free(m->settings[i]);
  }
  free(m->figure);
  free(m->settings);
  memset(m, 0, sizeof *m);
}

/* Marks the figures to draw: missing, not newer than their graph, or drawn
 * with other settings than settings[format] (or every one, with force). */
gdv_status gdv_batch_stale(const gdv_batch_list *l, const char *dir,
                           const char *const *formats, size_t n_formats,
                           const char *const *settings, const gdv_batch_manifest *m,
                           int force, unsigned char *todo, gdv_error *err) {
  for (size_t i = 0; i < l->n; i++) {
    for (size_t k = 0; k < n_formats; k++) {
      char *out = gdv_batch_output_path(dir, &l->items[i], formats[k]);
      char *name = gdv_batch_figure_name(&l->items[i], formats[k]);
      if (out == NULL || name == NULL) {
        free(out);
        free(name);
        return oom(err);
      }
      const char *was = gdv_batch_manifest_get(m, name);
      todo[i * n_formats + k] = force || !gdv_output_is_fresh(l->items[i].input, out) ||
                                was == NULL || strcmp(was, settings[k]) != 0;
      free(out);
      free(name);
    }
  }
  return GDV_OK;
}

/* Records the settings of the figures this run drew (made[item x format]);
 * a figure that failed keeps its old line, as its old file stays too. */
gdv_status gdv_batch_manifest_record(gdv_batch_manifest *m, const gdv_batch_list *l,
                                     const char *const *formats, size_t n_formats,
                                     const char *const *settings,
                                     const unsigned char *made, gdv_error *err) {
  for (size_t i = 0; i < l->n; i++) {
    for (size_t k = 0; k < n_formats; k++) {
      if (!made[i * n_formats + k]) continue;
      char *name = gdv_batch_figure_name(&l->items[i], formats[k]);
      if (name == NULL) return oom(err);
      gdv_status st = gdv_batch_manifest_set(m, name, settings[k], err);
      free(name);
      if (st) return st;
    }
  }
  return GDV_OK;
}

/* Several batches (shards) may finish into one folder at once: each takes
 * DIR/.gradviz-batch.lock (flock, exclusive), reads the manifest as it is
 * now, adds what it drew and replaces the file, so no run's entries are
 * lost to another's. The lock file stays: removing it would race. */
gdv_status gdv_batch_manifest_update(const char *dir, const gdv_batch_list *l,
                                     const char *const *formats, size_t n_formats,
                                     const char *const *settings,
                                     const unsigned char *made, gdv_error *err) {
  char *path = manifest_path(dir), *lock_path = NULL;
  if (path == NULL || asprintf(&lock_path, "%s.lock", path) < 0) {
    free(path);
    return oom(err);
  }
  free(path);
  int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  gdv_status st = GDV_OK;
  if (fd < 0)
    st = gdv_error_set(err, GDV_ERR_SYSTEM, lock_path, 0, "%s", strerror(errno));
  while (st == GDV_OK && flock(fd, LOCK_EX) != 0)
    if (errno != EINTR)
      st = gdv_error_set(err, GDV_ERR_SYSTEM, lock_path, 0, "cannot lock: %s", strerror(errno));
  gdv_batch_manifest m;
  memset(&m, 0, sizeof m);
  if (st == GDV_OK) st = gdv_batch_manifest_load(dir, &m, err);
  if (st == GDV_OK) st = gdv_batch_manifest_record(&m, l, formats, n_formats, settings, made, err);
  if (st == GDV_OK) st = gdv_batch_manifest_save(dir, &m, err);
  gdv_batch_manifest_free(&m);
  if (fd >= 0) close(fd);  /* releases the lock */
  free(lock_path);
  return st;
}
