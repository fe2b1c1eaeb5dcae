/* mnist_route.h: edge routes of the MNIST figure over the columns layout
 * (mnist_route.c); internal to the mnist_draw layer. */
#ifndef GDV_MNIST_ROUTE_H
#define GDV_MNIST_ROUTE_H

#include "render/gdv_render.h"

/* Before the columns layout, on a measured scene whose nodes all have a
 * layer: the boxes of a column get one width, and a node grows to hold the
 * stack of its out-edges' labels. */
gdv_status gdv_mnist_route_prepare(gdv_scene *s, gdv_error *err);

/* After the layout: every edge routed from its port through its label to
 * its head; each gap between columns made as wide as its labels and bends
 * need, and at least min_gap points. */
gdv_status gdv_mnist_route(gdv_scene *s, double min_gap, gdv_error *err);

#endif
