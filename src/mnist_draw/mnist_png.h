/* mnist_png.h: the PNG of a big laid-out scene with its edges drawn as
 * plain anti-aliased lines (mnist_png.c); internal to the mnist_draw layer. */
#ifndef GDV_MNIST_PNG_H
#define GDV_MNIST_PNG_H

#include <stdio.h>

#include "render/gdv_render.h"

/* Writes scene s as PNG to out: the render layer draws the nodes, text and
 * items, then every edge follows its path to its tip as a hairline, in the
 * flow colour and opacity every drawn edge gets (gdv_render_flow_colour:
 * the style's flow colours carry the opacity), on the render layer's
 * canvas before its one PNG encode.
 * Same bytes for the same scene. */
gdv_status gdv_mnist_png_fast_edges(gdv_scene *s, const gdv_style *st,
                                    const gdv_render_meta *meta, FILE *out,
                                    gdv_error *err);

#endif
