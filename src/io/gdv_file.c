/* gdv_file.c: a file read whole, within a size limit. Its own file so that
 * layers that need no graph parsing (the MNIST readers) link it without
 * pulling in cgraph. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/gdv_io.h"

#define DEFAULT_LIMIT ((size_t)1 << 30)
#define STYLE_LIMIT ((size_t)1 << 20)
#define CHUNK ((size_t)1 << 16)

/* "1G", "200M", "64K" or plain bytes; `unit` is what K stands for (1024
 * for bytes, 1000 for pixels). 0 when the text is not such a number. */
int gdv_parse_size(const char *s, unsigned long long unit, unsigned long long *out) {
  if (s == NULL || *s < '0' || *s > '9') return 0;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno) return 0;
  const char *units = "KMGT";
  const char *u = *end ? strchr(units, *end & ~0x20) : NULL;
  if (u && *end) {
    for (const char *k = units; k <= u; k++) {
      if (v > ULLONG_MAX / unit) return 0;
      v *= unit;
    }
    end++;
  }
  if (*end != '\0' || v == 0) return 0;
  *out = v;
  return 1;
}

/* The limit is read from the environment at each use, so a library user
 * and the tests can change it without a restart. */
gdv_status gdv_input_limit(size_t *out, gdv_error *err) {
  const char *env = getenv("GRADVIZ_MAX_INPUT");
  unsigned long long v;
  *out = DEFAULT_LIMIT;
  if (env == NULL || *env == '\0') return GDV_OK;
  if (!gdv_parse_size(env, 1024, &v))
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                         "GRADVIZ_MAX_INPUT='%.40s' is not a size (bytes, or a "
                         "number with K, M or G, such as 200M)", env);
  *out = v > SIZE_MAX / 4 ? SIZE_MAX / 4 : (size_t)v;
  return GDV_OK;
}

/* Style files are small; a smaller bound keeps `--style /dev/zero` cheap. */
gdv_status gdv_style_input_limit(size_t *out, gdv_error *err) {
  gdv_status st = gdv_input_limit(out, err);
  if (st == GDV_OK && *out > STYLE_LIMIT) *out = STYLE_LIMIT;
  return st;
}

/* A limit in the largest unit that divides it, for messages. */
void gdv_size_text(size_t n, char *buf, size_t len) {
  static const char *names[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int k = 0;
  while (k < 4 && n >= 1024 && n % 1024 == 0) { n /= 1024; k++; }
  snprintf(buf, len, "%zu %s", n, names[k]);
}

/* "-" is standard input (shown as "<stdin>"); a plain fopen otherwise. */
gdv_status gdv_in_open(gdv_in_file *in, const char *path, gdv_error *err) {
  in->is_stdin = strcmp(path, "-") == 0;
  in->shown = in->is_stdin ? "<stdin>" : path;
  in->f = in->is_stdin ? stdin : fopen(path, "rb");
  if (in->f == NULL)
    return gdv_error_set(err, GDV_ERR_INPUT, in->shown, 0, "cannot open: %s",
                         strerror(errno));
  return GDV_OK;
}

/* Fills buf with up to n bytes; *got < n only at the end of the file. */
gdv_status gdv_in_read(gdv_in_file *in, void *buf, size_t n, size_t *got,
                       gdv_error *err) {
  *got = fread(buf, 1, n, in->f);
  if (*got < n && ferror(in->f))
    /* Reading a folder fails here with EISDIR. */
    return gdv_error_set(err, GDV_ERR_INPUT, in->shown, 0, "cannot read: %s",
                         strerror(errno));
  return GDV_OK;
}

/* Standard input stays open: it is not ours. */
void gdv_in_close(gdv_in_file *in) {
  if (in->f && !in->is_stdin) fclose(in->f);
  in->f = NULL;
}

/* The refusal of a file over the limit, said before reading it when its
 * size is known and as soon as it passes the limit otherwise. */
static gdv_status too_large(const char *shown, size_t limit, gdv_error *err) {
  char lim[32];
  gdv_size_text(limit, lim, sizeof lim);
  return gdv_error_set(err, GDV_ERR_INPUT, shown, 0,
                       "larger than %s, the input size limit (GRADVIZ_MAX_INPUT "
                       "sets it)", lim);
}

/* A NUL in text would end it silently for every C string reader after
 * this one: it is refused with its line as soon as it arrives. */
static gdv_status nul_check(const gdv_in_file *in, const char *buf,
                            size_t from, size_t len, gdv_error *err) {
  const char *nul = memchr(buf + from, '\0', len - from);
  if (nul == NULL) return GDV_OK;
  long line = 1;
  for (const char *p = buf; p < nul; p++) line += *p == '\n';
  return gdv_error_set(err, GDV_ERR_INPUT, in->shown, line,
                       "a NUL byte: this is not a text file");
}

/* Grows buf so that `need` more bytes fit, never past limit + 1 (one byte
 * over the limit tells that the file is too large). */
static char *grow(char *buf, size_t *cap, size_t len, size_t need, size_t limit) {
  if (len + need + 1 <= *cap) return buf;
  size_t nc = *cap;
  while (nc < len + need + 1) nc = nc > SIZE_MAX / 2 ? SIZE_MAX : nc * 2;
  if (nc > limit + 2) nc = limit + 2;
  char *t = realloc(buf, nc);
  if (t == NULL) return NULL;
  *cap = nc;
  return t;
}

/* Reads path whole within `limit` bytes; text (binary == 0) may hold no
 * NUL. A regular file's size is checked before reading, so memory stays
 * bounded by the limit whatever the file is. */
gdv_status gdv_file_read(const char *path, size_t limit, int binary,
                         gdv_file_text *out, gdv_error *err) {
  gdv_in_file in;
  memset(out, 0, sizeof *out);
  gdv_status st = gdv_in_open(&in, path, err);
  if (st) return st;
  struct stat sb;
  if (fstat(fileno(in.f), &sb) == 0 && S_ISREG(sb.st_mode) &&
      (unsigned long long)sb.st_size > limit) {
    gdv_in_close(&in);
    return too_large(in.shown, limit, err);
  }
  size_t cap = CHUNK, len = 0, got = 1;
  char *buf = malloc(cap);
  while (buf != NULL && st == GDV_OK && got > 0) {
    size_t want = len + CHUNK > limit + 1 ? limit + 1 - len : CHUNK;
    char *t = grow(buf, &cap, len, want, limit);
    if (t == NULL) { free(buf); buf = NULL; break; }
    buf = t;
    st = gdv_in_read(&in, buf + len, want, &got, err);
    if (st == GDV_OK && !binary) st = nul_check(&in, buf, len, len + got, err);
    len += got;
    if (st == GDV_OK && len > limit) st = too_large(in.shown, limit, err);
  }
  gdv_in_close(&in);
  if (buf == NULL)
    return gdv_error_set(err, GDV_ERR_SYSTEM, in.shown, 0, "out of memory");
  if (st) {
    free(buf);
    return st;
  }
  buf[len] = '\0';
  out->data = buf;
  out->size = len;
  return GDV_OK;
}

/* Text under the input size limit. */
gdv_status gdv_file_load(const char *path, gdv_file_text *out, gdv_error *err) {
  size_t limit;
  memset(out, 0, sizeof *out);
  gdv_status st = gdv_input_limit(&limit, err);
  return st ? st : gdv_file_read(path, limit, 0, out, err);
}

/* Leaves the text empty, so a second free is harmless. */
void gdv_file_text_free(gdv_file_text *t) {
  free(t->data);
  t->data = NULL;
  t->size = 0;
}

/* Names and labels go into JSON, SVG and PNG text, all UTF-8: a byte that
 * is not UTF-8 is refused with its line rather than passed on. */
gdv_status gdv_utf8_check(const char *file, const char *text, size_t size,
                               const char *hint, gdv_error *err) {
  const unsigned char *p = (const unsigned char *)text, *end = p + size;
  long line = 1;
  while (p < end) {
    size_t n = gdv_utf8_seq(p, end);
    if (n == 0)
      return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                           "byte 0x%02X is not UTF-8%s%s", p[0], hint ? ": " : "",
                           hint ? hint : "");
    line += *p == '\n';
    p += n;
  }
  return GDV_OK;
}
