/* fuzz_weights.c: the weights reader (`gradviz mnist --weights`), then
 * applying what loads to a network of the shape it declares, when small. */
#include "fuzz.h"
#include "mnist/gdv_mnist.h"

/* Building the declared network is bounded (a fuzzed header can ask for
 * millions of units): only shapes under a few thousand parameters. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  int fd = gdv_fuzz_file(data, size, path, sizeof path);
  if (fd < 0) return 0;
  gdv_mnist_weights w;
  gdv_error err;
  if (gdv_mnist_weights_read(path, &w, &err) == GDV_OK) {
    if (w.n_values <= 4096) {
      gdv_mnist_net net;
      if (gdv_mnist_net_build(&net, &w.shape, w.act, w.cost, &err) == GDV_OK) {
        (void)gdv_mnist_weights_apply(&w, &net, path, &err);
        gdv_mnist_net_free(&net);
      }
    }
    gdv_mnist_weights_free(&w);
  }
  gdv_fuzz_close(fd);
  return 0;
}
