/* mnist_sum.c: the sums the MNIST figure writes out (z = b + w·a + ...,
 * ∂C/∂a = Σ ...) must add up as a reader adds them on the slide: rounded
 * one by one to a few significant digits they did not (7.42 written as
 * −0.369 + 1.24 + 0.768 + 5.79 = 7.429). Here every number of a sum gets
 * the same decimal step, and the folded rest is what the written terms
 * leave of the total. And the writer both figures of the network (the
 * figure, the --focus-unit figure) compose their text with: one start of
 * a scene, one way a composed line becomes a scene line. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnist_draw/mnist_sum.h"

/* Beyond this many steps a number does not fit the integers we count in. */
#define MAX_STEPS 1e17

/* How a sum's numbers are written: multiples of 10^step, shown with
 * digits down to that step and, far from 1, a common "×10ⁿ". */
typedef struct fixed_fmt { int step, expo; } fixed_fmt;

/* Appends m × 10^step as fmt writes it (U+2212 for minus). */
static void put_fixed(gdv_sbuf *b, long long m, const fixed_fmt *f, int with_sign) {
  char digits[64];
  unsigned long long a = m < 0 ? 0ULL - (unsigned long long)m : (unsigned long long)m;
  snprintf(digits, sizeof digits, "%llu", a);
  if (with_sign && m < 0) gdv_sbuf_printf(b, "\xE2\x88\x92");
  int shift = f->step - f->expo;  /* digits to the left (>0) or decimals */
  size_t len = strlen(digits);
  if (shift >= 0) {
    gdv_sbuf_printf(b, "%s", a ? digits : "0");
    for (int i = 0; a && i < shift; i++) gdv_sbuf_printf(b, "0");
  } else {
    size_t dec = (size_t)-shift;
    if (len <= dec) {
      gdv_sbuf_printf(b, "0.");
      for (size_t i = len; i < dec; i++) gdv_sbuf_printf(b, "0");
      gdv_sbuf_printf(b, "%s", digits);
    } else {
      gdv_sbuf_printf(b, "%.*s.%s", (int)(len - dec), digits, digits + len - dec);
    }
  }
  if (f->expo) {
    char sup[32];
    gdv_sbuf_printf(b, "\xC3\x97" "10%s", gdv_script_digits(f->expo, 0, sup, sizeof sup));
  }
}

/* The step: the total's last significant digit (the largest term's when
 * the total is 0 or so small that the terms would not fit in steps). */
static int choose_format(double total, const gdv_mnist_term *t, size_t n, int prec,
                         fixed_fmt *f) {
  double largest = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(t[i].value)) return 0;
    if (fabs(t[i].value) > largest) largest = fabs(t[i].value);
  }
  if (!isfinite(total)) return 0;
  double ref = fabs(total);
  if (ref == 0 || largest / ref > MAX_STEPS / pow(10, prec)) ref = largest;
  if (ref == 0) ref = 1;
  int top = (int)floor(log10(ref));
  f->step = top - prec + 1;
  f->expo = ref < 1e-4 || ref >= 1e6 ? top : 0;
  return 1;
}

/* Rounds each written term to steps; the rest takes what they leave of
 * the total, or without a rest the rounding misses go to the terms
 * nearest halfway. */
static void round_terms(double total, const gdv_mnist_term *t, size_t n, double q,
                        long long *m) {
  long long sum = 0, whole = llround(total / q);
  size_t rest = n;
  for (size_t i = 0; i < n; i++) {
    if (t[i].kind == GDV_MNIST_TERM_REST) {
      rest = i;
      continue;
    }
    m[i] = llround(t[i].value / q);
    sum += m[i];
  }
  if (rest < n) {
    m[rest] = whole - sum;
    return;
  }
  while (sum != whole) {
    int up = whole > sum;
    size_t best = 0;
    double gain = -INFINITY;
    for (size_t i = 0; i < n; i++) {
      double off = t[i].value / q - (double)m[i];  /* in (-0.5, 0.5] */
      double g = up ? off : -off;
      if (g > gain) { gain = g; best = i; }
    }
    m[best] += up ? 1 : -1;
    sum += up ? 1 : -1;
  }
}

void gdv_mnist_sum_text(gdv_sbuf *b, double total, const gdv_mnist_term *t, size_t n,
                        int prec) {
  char num[GDV_NUMBER_MAX];
  fixed_fmt f;
  long long *m = n > 1 ? malloc(n * sizeof *m) : NULL;
  if (n < 2 || !m || !choose_format(total, t, n, prec, &f)) {
    /* nothing to add up, or a NaN or ∞ among them: as figures write numbers */
    gdv_sbuf_printf(b, "%s", gdv_figure_number(total, prec, num, sizeof num));
    for (size_t i = 0; n > 1 && i < n; i++)
      gdv_sbuf_printf(b, "%s%s", i ? " + " : " = ",
                      gdv_figure_number(t[i].value, prec, num, sizeof num));
    free(m);
    return;
  }
  double q = pow(10, f.step);
  round_terms(total, t, n, q, m);
  put_fixed(b, llround(total / q), &f, 1);
  gdv_sbuf_printf(b, " = ");
  for (size_t i = 0; i < n; i++) {
    int rest = t[i].kind == GDV_MNIST_TERM_REST;
    if (rest) {
      /* "+ 781 more: −5.78": the sign is the rest's own, it is added */
      gdv_sbuf_printf(b, "%s%zu more: ", i ? " + " : "", t[i].paths);
      put_fixed(b, m[i], &f, 1);
      continue;
    }
    if (i) gdv_sbuf_printf(b, " %s ", m[i] < 0 ? "\xE2\x88\x92" : "+");
    put_fixed(b, m[i], &f, i == 0);
    /* "b −0.37" would read as b minus 0.37 */
    if (t[i].kind == GDV_MNIST_TERM_BIAS) gdv_sbuf_printf(b, " (b)");
  }
  free(m);
}

/* Separators are " + " and " − " (the sign of a first or folded number
 * has no space after it), so a row starts at a sign. */
size_t gdv_mnist_sum_rows(const char *text, size_t per_row, size_t *start, size_t cap) {
  size_t n = 0, terms = 0;
  const char *p = text;
  if (cap) start[n++] = 0;
  for (;;) {
    const char *plus = strstr(p, " + "), *minus = strstr(p, " \xE2\x88\x92 ");
    const char *sep = plus && (!minus || plus < minus) ? plus : minus;
    if (!sep) break;
    p = sep + 1;
    /* the first row ends at the first separator (the total and the first
     * term), the others every per_row terms */
    if (n == 1 && terms == 0) {
      terms = per_row;
    } else if (--terms > 0) {
      continue;
    } else {
      terms = per_row;
    }
    if (n < cap) start[n++] = (size_t)(sep + 1 - text);
  }
  return n;
}

/* Both figures start their scene from the options the same way. */
gdv_status gdv_mnist_writer_start(gdv_mnist_writer *w, const gdv_mnist_draw_options *opt,
                                  gdv_error *err) {
  memset(w, 0, sizeof *w);
  w->err = err;
  w->prec = opt->precision > 0 ? opt->precision : 3;
  gdv_status st = gdv_scene_new(&w->s, err);
  if (st) return st;
  w->s->show = opt->show ? *opt->show : GDV_SHOW_ALL;
  w->s->precision = w->prec;
  w->s->rank_lr = 1;
  if (opt->page) w->s->page = *opt->page;
  if (opt->title) st = gdv_scene_set_text(&w->s->title, opt->title, err);
  if (st) {
    gdv_scene_free(w->s);
    w->s = NULL;
  }
  return st;
}

/* A line whose text ran out of memory while composed is never added
 * half written. */
gdv_status gdv_mnist_line(gdv_mnist_writer *w, gdv_scene_line **lines, size_t *n,
                          gdv_text_kind kind, int join) {
  gdv_status st = w->line.failed ? gdv_error_oom(w->err)
                                 : gdv_scene_add_line(lines, n, kind, w->line.s ? w->line.s : "",
                                                      w->err);
  if (!st && join && *n > 1) (*lines)[*n - 1].join = 1;
  gdv_sbuf_clear(&w->line);
  return st;
}
