/* mnist_fit.h: whether an MNIST figure is legible on a slide, and over how
 * many slide pages it is (mnist_fit.c); internal to the mnist_draw layer. */
#ifndef GDV_MNIST_FIT_H
#define GDV_MNIST_FIT_H

#include <stddef.h>

#include "render/gdv_render.h"

/* The least size node and edge text may have once the figure is scaled to
 * fit its page (9 pt: 18 pixels per em on a 1920x1080 projector showing a
 * 960x540 pt slide; on paper, small print). */
#define GDV_MNIST_LEGIBLE_PT 9.0

typedef struct gdv_mnist_fit {
  double width, height;  /* the figure at natural size, points */
  double smallest;       /* its smallest node or edge text, points (0: none) */
  double text_on_page;   /* that text scaled to fit one page, points */
  int legible;           /* text_on_page >= GDV_MNIST_LEGIBLE_PT */
  double scale;          /* over several pages: the scale of the figure, */
  size_t cols, rows;     /* the grid of pages it takes at that scale */
} gdv_mnist_fit;

/* Measures a laid-out figure against its scene's page (none: always
 * legible, one page). */
gdv_status gdv_mnist_fit_measure(const gdv_scene *s, const gdv_style *st, gdv_mnist_fit *fit,
                                 gdv_error *err);

/* A figure on its page as tests/render/plan/legible.py judges it (the render
 * layer's own measures, read from its layout dump): text at 18 px/em on a
 * 1920x1080 slide, no text over text, no edge through a foreign box, at
 * most 5% of labels without 12 pt of line each side, a legend of at most
 * a fifth of the height. */
typedef struct gdv_mnist_slide {
  double px_per_em, overlaps, through, short_labels, labelled, legend_share;
  int legible;
} gdv_mnist_slide;
gdv_status gdv_mnist_fit_slide(const gdv_scene *s, const gdv_style *st, gdv_mnist_slide *out,
                               gdv_error *err);

#endif
