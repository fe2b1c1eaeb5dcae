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

/* Reads a whole file (through the io layer's reader): IDX files are
 * small enough (47 MB for all of MNIST) and a whole buffer lets us check
 * the length against the header exactly. */
static gdv_status read_all(const char *path, uint8_t **data, size_t *size,
                           gdv_error *err) {
  gdv_text t;
  gdv_status st = gdv_text_read(path, &t, err);
  if (st) return st;
  *data = (uint8_t *)t.data;
  *size = t.size;
  return GDV_OK;
}

/* Checks the header of one file: magic, dimension counts, exact length. */
static gdv_status check_header(const char *path, const uint8_t *data,
                               size_t size, uint32_t magic, int n_dims,
                               uint32_t *dims, gdv_error *err) {
  size_t header = 4 + 4 * (size_t)n_dims;
  if (size < 4)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "truncated: %zu bytes, too short for an IDX header", size);
  uint32_t m = be32(data);
  if (m != magic)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "not an IDX %s file: magic number 0x%08x, expected 0x%08x",
                         magic == IDX_IMAGES ? "images" : "labels", m, magic);
  if (size < header)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "truncated: %zu bytes, the header needs %zu", size, header);
  uint64_t need = 1;
  for (int i = 0; i < n_dims; i++) {
    dims[i] = be32(data + 4 + 4 * i);
    need *= dims[i];
    if (need > ((uint64_t)1 << 40))
      return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                           "dimensions too large");
  }
  if (n_dims == 3 && (dims[1] == 0 || dims[2] == 0))
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "images of %ux%u pixels", dims[1], dims[2]);
  if (size - header < need)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "truncated: the header promises %llu bytes of data, "
                         "the file has %zu", (unsigned long long)need,
                         size - header);
  if (size - header > need)
    return gdv_error_set(err, GDV_ERR_INPUT, path, 0,
                         "%zu bytes of trailing data after the %llu the header "
                         "promises", size - header - (size_t)need,
                         (unsigned long long)need);
  return GDV_OK;
}

/* Both files are checked whole (magic, sizes, trailing bytes, labels 0-9)
 * before anything is kept; on failure nothing stays allocated. */
gdv_status gdv_mnist_data_load(const char *images, const char *labels,
                               gdv_mnist_data *out, gdv_error *err) {
  memset(out, 0, sizeof *out);
  uint8_t *img = NULL, *lab = NULL;
  size_t img_size = 0, lab_size = 0;
  uint32_t idims[3], ldims[1];
  gdv_status st = read_all(images, &img, &img_size, err);
  if (st) return st;
  st = check_header(images, img, img_size, IDX_IMAGES, 3, idims, err);
  if (!st) st = read_all(labels, &lab, &lab_size, err);
  if (!st) st = check_header(labels, lab, lab_size, IDX_LABELS, 1, ldims, err);
  if (!st && idims[0] != ldims[0])
    st = gdv_error_set(err, GDV_ERR_INPUT, labels, 0,
                       "%u labels for %u images in %s", ldims[0], idims[0],
                       images);
  for (size_t i = 0; !st && i < ldims[0]; i++)
    if (lab[8 + i] > 9)
      st = gdv_error_set(err, GDV_ERR_INPUT, labels, 0,
                         "label %zu is %u, not a digit 0-9", i, lab[8 + i]);
  if (st) {
    free(img);
    free(lab);
    return st;
  }
  out->count = idims[0];
  out->rows = idims[1];
  out->cols = idims[2];
  /* Keep the buffers, data first: move the bytes over the headers. */
  memmove(img, img + 16, img_size - 16);
  memmove(lab, lab + 8, lab_size - 8);
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
