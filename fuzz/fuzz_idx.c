/* fuzz_idx.c: the IDX readers (images and labels, checked as a pair). The
 * input is both files: a 4-byte big-endian length of the images file, the
 * images file, then the labels file. */
#include "fuzz.h"
#include "mnist/gdv_mnist.h"

/* A length past the end gives all the bytes to the images file and an
 * empty labels file, so every input means something. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4) return 0;
  size_t n_images = (size_t)data[0] << 24 | (size_t)data[1] << 16 |
                    (size_t)data[2] << 8 | data[3];
  data += 4;
  size -= 4;
  if (n_images > size) n_images = size;
  char images[64], labels[64];
  int fi = gdv_fuzz_file(data, n_images, images, sizeof images);
  int fl = gdv_fuzz_file(data + n_images, size - n_images, labels, sizeof labels);
  if (fi >= 0 && fl >= 0) {
    gdv_mnist_data d;
    gdv_error err;
    if (gdv_mnist_data_load(images, labels, &d, &err) == GDV_OK)
      gdv_mnist_data_free(&d);
  }
  gdv_fuzz_close(fi);
  gdv_fuzz_close(fl);
  return 0;
}
