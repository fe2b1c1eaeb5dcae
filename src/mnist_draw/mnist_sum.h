/* mnist_sum.h: a written-out sum whose numbers add up as printed, and
 * the writer both figures of the network compose their text with
 * (mnist_sum.c); internal to the mnist_draw layer. */
#ifndef GDV_MNIST_SUM_H
#define GDV_MNIST_SUM_H

#include "mnist_draw/gdv_mnist_draw.h"
#include "mnist/gdv_mnist.h"
#include "render/gdv_render.h"

/* A figure of the network being written (mnist_draw.c, mnist_focus.c):
 * its scene, the text line being composed, the precision of its numbers
 * and where an error goes. */
typedef struct gdv_mnist_writer {
  gdv_scene *s;
  gdv_error *err;
  gdv_sbuf line;
  int prec;
} gdv_mnist_writer;
/* Starts w on a new scene with the options' show, precision (0: 3), page
 * and title, laid out left to right; on failure w->s is NULL. free(line.s)
 * and gdv_scene_free(s) end it. */
gdv_status gdv_mnist_writer_start(gdv_mnist_writer *w, const gdv_mnist_draw_options *opt,
                                  gdv_error *err);
/* The composed line as the next of lines (join: on the row of the line
 * before, after it); the line is emptied even when adding fails. */
gdv_status gdv_mnist_line(gdv_mnist_writer *w, gdv_scene_line **lines, size_t *n,
                          gdv_text_kind kind, int join);

/* Appends "TOTAL = t1 + t2 + 781 more: R" to b: every number in fixed
 * decimals of one step (the total's last significant digit at precision
 * prec), the rest R (a REST term, which folds `paths` terms) as the total
 * minus the written terms, so that the numbers as printed add up exactly.
 * Without a rest, terms whose rounding would miss the total by a step are
 * rounded the other way, those nearest halfway first (each printed term
 * stays within one step of its value). Only "TOTAL" when n < 2. */
void gdv_mnist_sum_text(gdv_sbuf *b, double total, const gdv_mnist_term *t, size_t n,
                        int prec);

/* Where a sum's text is cut into rows: the first row is the total and
 * its first term ("z = 7.42 = −0.37 (b)"), each other row per_row terms
 * starting with its sign ("+ 1.24 + 783 more: 6.55"). Writes up to cap
 * byte offsets of row starts to start (the first is 0); returns the
 * number of rows. */
size_t gdv_mnist_sum_rows(const char *text, size_t per_row, size_t *start, size_t cap);

#endif
