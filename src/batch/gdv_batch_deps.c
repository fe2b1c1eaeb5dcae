/*
 * gdv_batch_deps.c: what a batch figure is drawn from besides the options:
 * the bytes of its graph file and of each style file it is drawn with.
 * The manifest records their hashes, so a style file edited beside an
 * unchanged graph is redrawn. A DOT file names its own style in a
 * gradviz_style attribute; the parent never parses graphs (the children
 * do, each in its own process), so the attribute is found by the DOT
 * reader's scanner alone, which errs on the side of more styles, never
 * fewer (gdv_dot_attr_values).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/gdv_batch.h"

/* A file's bytes: its size and FNV-1a (64 bits), and its text when asked. */
typedef struct content {
  int ok;              /* 0: missing, unreadable, or not a regular file */
  uint64_t size, hash;
  char *text;          /* the whole file, NUL-terminated, when kept */
} content;

/* Reads a regular file once, hashing it (and keeping the text when `keep`
 * and the file is within the input limit, which the child enforces too).
 * O_NONBLOCK and the fstat after open: a FIFO or a device put there is
 * never read, since that could stall the batch; it counts as no file, and
 * so does a symbolic link when `nofollow`. */
static content read_content(const char *path, int keep, int nofollow) {
  content c = {0, 0, GDV_HASH_START, NULL};
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
  struct stat sb;
  if (fd < 0) return c;
  size_t limit = 0, cap = 0;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
      (keep && gdv_input_limit(&limit, NULL) != GDV_OK)) {
    close(fd);
    return c;
  }
  if (keep && (uint64_t)sb.st_size <= limit) {
    cap = (size_t)sb.st_size + 1;
    c.text = malloc(cap);
  }
  char buf[65536];
  ssize_t n;
  c.ok = 1;
  while ((n = read(fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      c.ok = 0;
      break;
    }
    c.hash = gdv_hash(c.hash, buf, (size_t)n);
    if (c.text && c.size + (uint64_t)n < cap) memcpy(c.text + c.size, buf, (size_t)n);
    c.size += (uint64_t)n;
  }
  close(fd);
  if (c.text && c.size < cap) {
    c.text[c.size] = '\0';
  } else {  /* grew while read: the scan is skipped, the hash still differs */
    free(c.text);
    c.text = NULL;
  }
  return c;
}

/* ---- the text the manifest records ------------------------------------ */

/* Appends " KEY=" + the escaped name + "@" + the content's hash ("-" when
 * there is no such file), or just " KEY=HASH" without a name. A graph's
 * own style (a name given) is not read through a symbolic link. */
static int add_style(char **text, const char *key, const char *name, const char *path) {
  content c = path ? read_content(path, 0, name != NULL) : (content){0, 0, 0, NULL};
  char hash[40] = "-", *esc = NULL, *more = NULL;
  if (c.ok) snprintf(hash, sizeof hash, "%016" PRIx64, c.hash);
  if (name && (esc = malloc(gdv_batch_escape(NULL, name) + 1)) == NULL) return 0;
  if (esc) gdv_batch_escape(esc, name);
  int n = asprintf(&more, "%s %s=%s%s%s", *text, key, esc ? esc : "", esc ? "@" : "", hash);
  free(esc);
  if (n < 0) return 0;
  free(*text);
  *text = more;
  return 1;
}

/* A style a graph names: a FILE (with '/' or ending in .style) is taken
 * from the graph's folder, as gdv_graph_settings_get does; a NAME is
 * searched for as --style NAME is. A file the child refuses to read (an
 * absolute path, or one through '..') is not read here either: NULL. */
static char *graph_style_path(const char *input, const char *value) {
  size_t lv = strlen(value);
  if (strchr(value, '/') == NULL && !(lv > 6 && strcmp(value + lv - 6, ".style") == 0))
    return gdv_style_file(value);
  if (value[0] == '/' || strstr(value, "..") != NULL) return NULL;
  const char *slash = strrchr(input, '/');
  char *path = NULL;
  if (asprintf(&path, "%.*s%s", slash ? (int)(slash - input + 1) : 0, input, value) < 0)
    return NULL;
  return path;
}

/* "input=SIZE:HASH" for the graph file, then " style-content=HASH" for
 * the batch's --style, or else " graph-style=VALUE@HASH" for every style
 * the DOT file names. Formula files name no style. */
char *gdv_batch_inputs_text(const gdv_batch_item *it, const char *style) {
  size_t li = strlen(it->input);
  int dot = !(li > 5 && strcmp(it->input + li - 5, ".expr") == 0);
  content c = read_content(it->input, style == NULL && dot, 0);
  char *text = NULL;
  int ok = c.ok ? asprintf(&text, "input=%" PRIu64 ":%016" PRIx64, c.size, c.hash) >= 0
                : (text = strdup("input=-")) != NULL;
  if (ok && style) {
    char *path = gdv_style_file(style);
    ok = add_style(&text, "style-content", NULL, path);
    free(path);
  } else if (ok && c.text) {
    char **values = gdv_dot_attr_values(c.text, (size_t)c.size, "gradviz_style");
    ok = values != NULL;
    for (size_t i = 0; values && values[i]; i++) {
      char *path = ok ? graph_style_path(it->input, values[i]) : NULL;
      ok = ok && add_style(&text, "graph-style", values[i], path);
      free(path);
      free(values[i]);
    }
    free(values);
  }
  free(c.text);
  if (!ok) {
    free(text);
    return NULL;
  }
  return text;
}
