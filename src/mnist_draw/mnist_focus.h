/* mnist_focus.h: the --focus-unit figure (mnist_focus.c); internal to the
 * mnist_draw layer. */
#ifndef GDV_MNIST_FOCUS_H
#define GDV_MNIST_FOCUS_H

#include "mnist_draw/gdv_mnist_draw.h"

/* Unit opt->focus_unit of layer opt->focus_layer alone, laid out: its
 * operands, weights, terms w·x and dC/dw as pictures, its k largest terms
 * written out, the exact sum of the others, the bias, the unit and C. */
gdv_status gdv_mnist_focus_scene(const gdv_mnist_net *net, const gdv_mnist_draw_options *opt,
                                 const gdv_style *style, size_t k, gdv_scene **out,
                                 gdv_error *err);

#endif
