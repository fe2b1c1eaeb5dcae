/* mnist_idx.c: IDX files (LeCun's format for MNIST): a big-endian header
 * (magic, then one 32-bit count per dimension) followed by unsigned bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"
#include "mnist/gdv_mnist.h"

#define IDX_IMAGES 0x00000803u
#define IDX_LABELS 0x00000801u

/* IDX numbers are big-endian whatever the host. */
static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The header's counts say how much data follows; past the input size
 * limit the file is refused before its data is read. */
static gdv_status check_dims(const char *path, const uint8_t *head, int n_dims,
                             uint32_t *dims, size_t limit, uint64_t *need,
                             gdv_error *err) {
  *need = 1;
  for (int i = 0; i < n_dims; i++) {
    dims[i] = be32(head + 4 + 4 * i);
    *need *= dims[i];
    if (*need > ((uint64_t)1 << 40))
      return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                           "dimensions too large");
  }
  if (n_dims == 3 && (dims[1] == 0 || dims[2] == 0))
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "images of %ux%u pixels", dims[1], dims[2]);
  if (*need > limit) {
    char lim[32];
    gdv_size_text(limit, lim, sizeof lim);
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "the header promises %llu bytes of data, over %s, the "
                         "input size limit (GRADVIZ_MAX_INPUT sets it)",
                         (unsigned long long)*need, lim);
  }
  return GDV_OK;
}

/* Reads the header (magic, one count per dimension) and checks it. */
static gdv_status read_header(gdv_in_file *in, const char *path, uint32_t magic,
                              int n_dims, uint32_t *dims, size_t limit,
                              uint64_t *need, gdv_error *err) {
  uint8_t head[16];
  size_t header = 4 + 4 * (size_t)n_dims, got;
  gdv_status st = gdv_in_read(in, head, 4, &got, err);
  if (st) return st;
  if (got < 4)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "truncated: %zu bytes, too short for an IDX header", got);
  uint32_t m = be32(head);
  if (m != magic)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "not an IDX %s file: magic number 0x%08x, expected 0x%08x",
                         magic == IDX_IMAGES ? "images" : "labels", m, magic);
  if ((st = gdv_in_read(in, head + 4, header - 4, &got, err))) return st;
  if (got < header - 4)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "truncated: %zu bytes, the header needs %zu", got + 4, header);
  return check_dims(path, head, n_dims, dims, limit, need, err);
}

/* Reads exactly what the header promises, then looks for trailing bytes
 * (counted up to one chunk, so an endless file ends the read at once). */
static gdv_status read_data(gdv_in_file *in, const char *path, uint64_t need,
                            uint8_t **data, gdv_error *err) {
  size_t got, extra;
  uint8_t *buf = malloc(need ? (size_t)need : 1);
  if (buf == NULL) return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "out of memory");
  gdv_status st = gdv_in_read(in, buf, (size_t)need, &got, err);
  if (!st && got < need)
    st = gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                       "truncated: the header promises %llu bytes of data, "
                       "the file has %zu", (unsigned long long)need, got);
  uint8_t scratch[4096];
  if (!st) st = gdv_in_read(in, scratch, sizeof scratch, &extra, err);
  if (!st && extra > 0)
    st = gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                       "%s%zu bytes of trailing data after the %llu the header "
                       "promises", extra == sizeof scratch ? "at least " : "",
                       extra, (unsigned long long)need);
  if (st) { free(buf); return st; }
  *data = buf;
  return GDV_OK;
}

/* One IDX file through the io layer's reader: header first, so memory is
 * bounded by the header's counts and the input size limit, never by
 * what the file holds. */
static gdv_status read_idx(const char *path, uint32_t magic, int n_dims,
                           uint32_t *dims, uint8_t **data, gdv_error *err) {
  size_t limit;
  uint64_t need = 0;
  gdv_in_file in;
  gdv_status st = gdv_input_limit(&limit, err);
  if (st || (st = gdv_in_open(&in, path, err))) return st;
  st = read_header(&in, in.shown, magic, n_dims, dims, limit, &need, err);
  if (!st) st = read_data(&in, in.shown, need, data, err);
  gdv_in_close(&in);
  return st;
}

/* Both files are checked whole (magic, sizes, trailing bytes, labels 0-9)
 * before anything is kept; on failure nothing stays allocated. */
gdv_status gdv_mnist_data_load(const char *images, const char *labels,
                               gdv_mnist_data *out, gdv_error *err) {
  memset(out, 0, sizeof *out);
  uint8_t *img = NULL, *lab = NULL;
  uint32_t idims[3], ldims[1];
  gdv_status st = read_idx(images, IDX_IMAGES, 3, idims, &img, err);
  if (!st) st = read_idx(labels, IDX_LABELS, 1, ldims, &lab, err);
  if (!st && idims[0] != ldims[0])
    st = gdv_error_set(err, GDV_ERR_INPUT, labels, 0,
                       "%u labels for %u images in %s", ldims[0], idims[0],
                       images);
  for (size_t i = 0; !st && i < ldims[0]; i++)
    if (lab[i] > 9)
      st = gdv_error_set(err, GDV_ERR_INPUT, labels, 0,
                         "label %zu is %u, not a digit 0-9", i, lab[i]);
  if (st) {
    free(img);
    free(lab);
    return st;
  }
  out->count = idims[0];
  out->rows = idims[1];
  out->cols = idims[2];
  out->pixels = img;
  out->labels = lab;
  return GDV_OK;
}

/* Leaves the set empty, so a second free is harmless. */
void gdv_mnist_data_free(gdv_mnist_data *d) {
  free(d->pixels);
  free(d->labels);
  memset(d, 0, sizeof *d);
}

/* IDX numbers are written big-endian, the mirror of be32. */
static void put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* Writes one IDX file; plain fopen, as tests and tools write fresh files. */
static gdv_status write_idx(const char *path, const uint8_t *header,
                            size_t hsize, const uint8_t *data, size_t n,
                            gdv_error *err) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "cannot write: %s",
                         strerror(errno));
  int ok = fwrite(header, 1, hsize, f) == hsize && fwrite(data, 1, n, f) == n;
  ok = (fclose(f) == 0) && ok;
  return ok ? GDV_OK
            : gdv_error_set(err, GDV_ERR_SYSTEM, path, 0, "cannot write");
}

/* Plain files, not atomic: it exists for tests and tools that make fresh
 * small sets. */
gdv_status gdv_mnist_data_save(const gdv_mnist_data *d, const char *images,
                               const char *labels, gdv_error *err) {
  uint8_t h[16];
  put_be32(h, IDX_IMAGES);
  put_be32(h + 4, (uint32_t)d->count);
  put_be32(h + 8, (uint32_t)d->rows);
  put_be32(h + 12, (uint32_t)d->cols);
  gdv_status st = write_idx(images, h, 16, d->pixels,
                            d->count * d->rows * d->cols, err);
  if (st) return st;
  put_be32(h, IDX_LABELS);
  put_be32(h + 4, (uint32_t)d->count);
  return write_idx(labels, h, 8, d->labels, d->count, err);
}
