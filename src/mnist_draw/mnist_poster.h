/* mnist_poster.h: a figure printed over several pages of paper, with
 * margins, shared strips, corner marks and page lines (mnist_poster.c);
 * internal to the mnist_draw layer. */
#ifndef GDV_MNIST_POSTER_H
#define GDV_MNIST_POSTER_H

#include <stdio.h>

#include "render/gdv_render.h"

typedef struct gdv_mnist_poster {
  double paper_w, paper_h;  /* points */
  double part_w, part_h;    /* the figure's part on each page */
  size_t cols, rows;        /* the grid of parts */
  double scale;             /* the figure's scale on paper */
  double off_x, off_y;      /* the figure's place in the grid (centred) */
} gdv_mnist_poster;

/* The grid of pages a laid-out figure (no page of its own: its own size)
 * takes at `scale` on paper_w x paper_h paper; the figure then grows to
 * fill that grid. */
gdv_status gdv_mnist_poster_plan(const gdv_scene *s, const gdv_style *st, double paper_w,
                                 double paper_h, double scale, gdv_mnist_poster *p,
                                 gdv_error *err);

/* Writes the poster as PDF pages, row by row, leaving out any page that
 * would hold nothing of the figure; *pages gets the pages written. */
gdv_status gdv_mnist_poster_write(const gdv_scene *s, const gdv_style *st,
                                  const gdv_mnist_poster *p, FILE *out, size_t *pages,
                                  gdv_error *err);

#endif
