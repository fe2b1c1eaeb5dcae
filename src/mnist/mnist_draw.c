/* mnist_draw.c: the figure (waiting for the render layer). */
#include "mnist/gdv_mnist_draw.h"

gdv_status gdv_mnist_draw(const gdv_mnist_net *net, const gdv_mnist_view *view,
                          const gdv_mnist_draw_options *opt, const char *path,
                          gdv_error *err) {
  (void)net; (void)view; (void)opt;
  return gdv_error_set(err, GDV_ERR_INPUT, path, 0, "drawing is not built yet");
}
