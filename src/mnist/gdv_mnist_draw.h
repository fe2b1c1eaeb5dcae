/* gdv_mnist_draw.h: the figure of the evaluated network (drawing part of
 * the mnist layer; uses the render layer and Cairo). */
#ifndef GDV_MNIST_DRAW_H
#define GDV_MNIST_DRAW_H

#include "mnist/gdv_mnist.h"

typedef struct gdv_mnist_draw_options {
  const char *title;
  const uint8_t *image;      /* the digit's pixels, rows * cols */
  size_t rows, cols;
  unsigned label;
  int precision;             /* significant digits; 0: 3 */
  size_t sum_terms;          /* terms written out per sum; 0: 2 (SIZE_MAX: all) */
  const int *scalar;         /* per column (or NULL): 1 = its shown units
                                node by node (weights, muls, bias, z, a) */
  const char *format;        /* "png", "svg", "pdf"; NULL: the path's suffix */
} gdv_mnist_draw_options;

/* Draws the view of the evaluated network to `path` (PNG, SVG or PDF by the
 * suffix), whole or not at all. */
gdv_status gdv_mnist_draw(const gdv_mnist_net *net, const gdv_mnist_view *view,
                          const gdv_mnist_draw_options *opt, const char *path,
                          gdv_error *err);

#endif
