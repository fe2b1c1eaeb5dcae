/* gdv_mnist_draw.h: the mnist_draw layer: the evaluated network of the model
 * layer (src/mnist) drawn with the render layer, or written as DOT. */
#ifndef GDV_MNIST_DRAW_H
#define GDV_MNIST_DRAW_H

#include <stdio.h>

#include "mnist/gdv_mnist.h"
#include "render/gdv_render.h"

typedef struct gdv_mnist_draw_options {
  const char *title;         /* NULL: none */
  const uint8_t *image;      /* the digit's pixels, rows * cols */
  size_t rows, cols;
  unsigned label;
  int precision;             /* significant digits; 0: 3 */
  size_t sum_terms;          /* terms written out per sum; 0: 2 (SIZE_MAX: all) */
  const int *scalar;         /* per column (or NULL): 1 = its shown units
                                node by node (weights, muls, bias, z, a) */
  const char *format;        /* "png", "svg", "pdf"; NULL: the path's suffix */
  const gdv_style *style;    /* --style; NULL: the built-in default */
  const unsigned *show;      /* --show: GDV_SHOW_* bits; NULL: all */
  double dpi;                /* PNG resolution; 0: 144, less for huge views */
  const char *dump;          /* --dump-layout: JSON of what was drawn; NULL */
  size_t focus_layer, focus_unit;  /* --focus-unit, marked; layer 0: none */
  const gdv_page *page;      /* the page the figure is made for (--page);
                                NULL or none: its natural size, however large */
  const char *id_prefix;     /* SVG ids (--id-prefix); NULL: from path */
  const size_t *units;       /* per column, the units the view shows (as
                                gdv_mnist_view_build's show), or NULL */
  int units_given;           /* the user chose them (--show-units): a page
                                may not show fewer */
  int page_given;            /* --page was given: a view it cannot hold
                                legibly is a poster of it (PDF) or refused;
                                without, PDF and SVG take the view's size */
  int *natural;              /* out (or NULL): 1 when the view was drawn at
                                its own size instead of the page's */
} gdv_mnist_draw_options;

/* Draws the view of the evaluated network to `path` (PNG, SVG or PDF by the
 * suffix), whole or not at all. On a page (the CLI's default is a 960x540
 * pt slide) the figure takes the most detailed form that is legible there
 * (gdv_mnist_scene); one that no form makes legible (node and edge text
 * under 9 pt scaled to fit) is drawn at its own size as PDF or SVG when
 * the page was not asked for, over several pages of it as a PDF poster
 * when it was, and else refused (GDV_ERR_INPUT, the message saying what
 * fits). */
gdv_status gdv_mnist_draw(const gdv_mnist_net *net, const gdv_mnist_view *view,
                          const gdv_mnist_draw_options *opt, const char *path,
                          gdv_error *err);

/* The figure gdv_mnist_draw writes, as a laid-out scene of the render
 * layer (freed by the caller) and the style to draw it with: for tests
 * and for callers that draw it themselves. On a page it is the first form,
 * from the most detail down, that the render layer's measures call legible
 * there (edge labels, sums on rows, fewer terms, totals only, fewer units
 * when opt->units_given is 0); the first form when none is. With
 * opt->focus_layer, the unit alone (mnist_focus.c). */
gdv_status gdv_mnist_scene(const gdv_mnist_net *net, const gdv_mnist_view *view,
                           const gdv_mnist_draw_options *opt, gdv_style *style,
                           gdv_scene **out, gdv_error *err);

/* Writes the evaluated network as a contract DOT file (CONTRACT 1) that
 * `gradviz eval` and `gradviz check` read back. */
gdv_status gdv_mnist_write_dot(const gdv_mnist_net *net, const char *title,
                               FILE *f, gdv_error *err);

#endif
