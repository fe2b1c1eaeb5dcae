/* mnist_sum.h: a written-out sum whose numbers add up as printed
 * (mnist_sum.c); internal to the mnist_draw layer. */
#ifndef GDV_MNIST_SUM_H
#define GDV_MNIST_SUM_H

#include "mnist/gdv_mnist.h"
#include "render/gdv_render.h"

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
