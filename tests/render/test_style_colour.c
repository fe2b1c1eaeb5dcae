/* test_style_colour.c: the colour rules of styles/README, checked on every
 * shipped style as gradviz draws it. Every text has at least 4.5:1 contrast
 * (WCAG 2.1) against what it sits on, the strongest-gradient edge and the
 * NaN/infinity and wrong-recorded-gradient marks 3:1 against the background;
 * forward and backward colours, the two ends of the flow scale, and the
 * recorded-wrong colour from flow-hi and nonfinite stay at least 20 CIEDE2000 apart for
 * readers with protanopia or deuteranopia (simulated with the matrices of
 * Machado, Oliveira and Fernandes 2009, severity 1, in linear RGB).
 * Each check is one TAP line that carries the number it measured, so the
 * log is the contrast table. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "render/gdv_render.h"
#include "render/gdv_render_int.h"

#define MIN_TEXT 4.5       /* WCAG 2.1 AA, 1.4.3: normal-size text */
#define MIN_GRAPHIC 3.0    /* WCAG 2.1 AA, 1.4.11: graphical objects */
#define MIN_DE00 20.0      /* see styles/README: colour rules */

/* ---- colour arithmetic ------------------------------------------------ */

/* An sRGB channel (0..1) to linear light. */
static double srgb_to_linear(double c) {
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* WCAG 2.1 relative luminance of an opaque colour. */
static double luminance(gdv_rgba c) {
  return 0.2126 * srgb_to_linear(c.r) + 0.7152 * srgb_to_linear(c.g) +
         0.0722 * srgb_to_linear(c.b);
}

/* WCAG 2.1 contrast ratio, 1 to 21, either order. */
static double contrast(gdv_rgba a, gdv_rgba b) {
  double la = luminance(a), lb = luminance(b);
  return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

typedef struct lab { double l, a, b; } lab;

/* Machado et al. 2009, severity 1.0: protanopia, deuteranopia, tritanopia. */
static const double machado[3][3][3] = {
  {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
  {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
  {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
};
enum { NORMAL = -1, PROTAN = 0, DEUTAN = 1, TRITAN = 2 };
static const char *const cvd_name[] = {"protanopia", "deuteranopia", "tritanopia"};

/* CIE f(t) of the Lab transform. */
static double lab_f(double t) {
  return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

/* CIELAB (D65) of a colour as seen with deficiency `cvd` (NORMAL: as is);
 * the simulation works on linear RGB and clips to the gamut. */
static lab to_lab(gdv_rgba c, int cvd) {
  double rgb[3] = {srgb_to_linear(c.r), srgb_to_linear(c.g), srgb_to_linear(c.b)}, s[3];
  for (int i = 0; i < 3; i++) {
    s[i] = rgb[i];
    if (cvd == NORMAL) continue;
    s[i] = 0;
    for (int j = 0; j < 3; j++) s[i] += machado[cvd][i][j] * rgb[j];
    s[i] = s[i] < 0 ? 0 : s[i] > 1 ? 1 : s[i];
  }
  double x = 0.4124564 * s[0] + 0.3575761 * s[1] + 0.1804375 * s[2];
  double y = 0.2126729 * s[0] + 0.7151522 * s[1] + 0.0721750 * s[2];
  double z = 0.0193339 * s[0] + 0.1191920 * s[1] + 0.9503041 * s[2];
  double fx = lab_f(x / 0.95047), fy = lab_f(y), fz = lab_f(z / 1.08883);
  return (lab){116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

/* A hue angle in degrees, 0 to 360 (0 for a grey). */
static double hue_deg(double b, double a) {
  if (a == 0 && b == 0) return 0;
  double h = atan2(b, a) * 180 / M_PI;
  return h < 0 ? h + 360 : h;
}

/* CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1. */
static double ciede2000(lab p, lab q) {
  const double deg = M_PI / 180, p7 = 6103515625.0; /* 25^7 */
  double cb = (hypot(p.a, p.b) + hypot(q.a, q.b)) / 2, cb7 = pow(cb, 7);
  double g = 0.5 * (1 - sqrt(cb7 / (cb7 + p7)));
  double a1 = (1 + g) * p.a, a2 = (1 + g) * q.a;
  double c1 = hypot(a1, p.b), c2 = hypot(a2, q.b);
  double h1 = hue_deg(p.b, a1), h2 = hue_deg(q.b, a2), dh = 0, hb = h1 + h2;
  if (c1 * c2 != 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
    hb = fabs(h1 - h2) <= 180 ? (h1 + h2) / 2 : h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
  }
  double dl = q.l - p.l, dc = c2 - c1, dhh = 2 * sqrt(c1 * c2) * sin(dh * deg / 2);
  double lb = (p.l + q.l) / 2, cbp = (c1 + c2) / 2, cbp7 = pow(cbp, 7);
  double t = 1 - 0.17 * cos((hb - 30) * deg) + 0.24 * cos(2 * hb * deg) +
             0.32 * cos((3 * hb + 6) * deg) - 0.20 * cos((4 * hb - 63) * deg);
  double sl = 1 + 0.015 * (lb - 50) * (lb - 50) / sqrt(20 + (lb - 50) * (lb - 50));
  double sc = 1 + 0.045 * cbp, sh = 1 + 0.015 * cbp * t;
  double rt = -2 * sqrt(cbp7 / (cbp7 + p7)) * sin(60 * exp(-pow((hb - 275) / 25, 2)) * deg);
  return sqrt(pow(dl / sl, 2) + pow(dc / sc, 2) + pow(dhh / sh, 2) + rt * (dc / sc) * (dhh / sh));
}

/* The difference two colours keep for a reader with deficiency `cvd`. */
static double cvd_difference(gdv_rgba a, gdv_rgba b, int cvd) {
  return ciede2000(to_lab(a, cvd), to_lab(b, cvd));
}

/* The arithmetic itself, against published values: WCAG's extremes and
 * the 4.5:1 grey, Sharma's CIEDE2000 test pairs 1, 17 and 25, and the
 * protanopia matrix's first column for pure red. */
START_TEST(test_colour_arithmetic) {
  gdv_rgba white = {1, 1, 1, 1}, black = {0, 0, 0, 1}, grey = {0x76 / 255.0, 0x76 / 255.0, 0x76 / 255.0, 1};
  ck_assert_double_eq_tol(contrast(white, black), 21, 1e-9);
  ck_assert_double_eq_tol(contrast(grey, white), 4.54, 0.005);
  ck_assert_double_eq_tol(ciede2000((lab){50, 2.6772, -79.7751}, (lab){50, 0, -82.7485}), 2.0425, 1e-4);
  ck_assert_double_eq_tol(ciede2000((lab){50, 2.5, 0}, (lab){73, 25, -18}), 27.1492, 1e-4);
  ck_assert_double_eq_tol(ciede2000((lab){60.2574, -34.0099, 36.2677}, (lab){60.4626, -34.1751, 39.4387}),
                          1.2644, 1e-4);
  lab w = to_lab(white, NORMAL);
  ck_assert_double_eq_tol(w.l, 100, 1e-3);
  ck_assert_double_eq_tol(w.a, 0, 1e-3);
  /* protanopic red: linear (0.152286, 0.114503, 0) */
  gdv_rgba red = {1, 0, 0, 1};
  lab pr = to_lab(red, PROTAN);
  double y = 0.2126729 * 0.152286 + 0.7151522 * 0.114503;
  ck_assert_double_eq_tol(pr.l, 116 * lab_f(y) - 16, 1e-9);
}
END_TEST

/* ---- the checks: one TAP line each ------------------------------------ */

typedef struct check_row {
  char name[256];     /* the TAP line's text, with the measured number */
  double measured, min;
  int failed_load;    /* the style did not load: message in name */
} check_row;

static check_row *rows;
static size_t n_rows, cap_rows;
static TTest *ttests;

/* Adds a row; exits when out of memory (a test program's main). */
static check_row *add_row(void) {
  if (n_rows == cap_rows) {
    cap_rows = cap_rows ? 2 * cap_rows : 256;
    rows = realloc(rows, cap_rows * sizeof *rows);
    if (rows == NULL) { perror("test_style_colour"); exit(EXIT_FAILURE); }
  }
  check_row *r = &rows[n_rows++];
  memset(r, 0, sizeof *r);
  return r;
}

/* One contrast pair: `what` on `on`. */
static void add_contrast(const char *style, const char *what, gdv_rgba fg, const char *on,
                         gdv_rgba bg, double min) {
  check_row *r = add_row();
  r->measured = contrast(fg, bg);
  r->min = min;
  snprintf(r->name, sizeof r->name, "%s: %s on %s %.2f:1 (at least %.1f)", style, what, on,
           r->measured, min);
}

/* One colour-blind separation: a and b as seen with deficiency cvd. */
static void add_separation(const char *style, const char *what, gdv_rgba a, gdv_rgba b, int cvd) {
  check_row *r = add_row();
  r->measured = cvd_difference(a, b, cvd);
  r->min = MIN_DE00;
  snprintf(r->name, sizeof r->name, "%s: %s %s CIEDE2000 %.1f (at least %.0f)", style, what,
           cvd == NORMAL ? "normal vision" : cvd_name[cvd], r->measured, MIN_DE00);
}

static const char *const kind_label[] = {"op", "input", "param", "const"};

/* Node text on every node fill the drawing uses: each role, plain and
 * highlighted (frames' focus, --highlight paths), and greyed (does not
 * reach C: every line in grey). */
static void add_node_pairs(const char *name, const gdv_style *st) {
  static const struct { int kind; const char *what; } lines[] = {
    {GDV_TEXT_NAME, "name"}, {GDV_TEXT_VALUE, "value"}, {GDV_TEXT_GRAD, "grad"}, {GDV_TEXT_SUM, "sum"}};
  static const struct { uint32_t flags; const char *what; } states[] = {
    {0, ""}, {GDV_NODE_HIGHLIGHT | GDV_NODE_ON_PATH, " highlighted"}};
  char on[64];
  for (int k = GDV_KIND_OP; k <= GDV_KIND_CONST; k++) {
    gdv_scene_node n;
    memset(&n, 0, sizeof n);
    n.kind = (uint8_t)k;
    for (size_t s = 0; s < sizeof states / sizeof states[0]; s++) {
      n.flags = states[s].flags;
      snprintf(on, sizeof on, "%s%s fill", kind_label[k], states[s].what);
      for (size_t l = 0; l < sizeof lines / sizeof lines[0]; l++)
        add_contrast(name, lines[l].what, gdv_render_text_colour(st, lines[l].kind, 0), on,
                     gdv_render_node_fill(st, &n), MIN_TEXT);
    }
    n.flags = GDV_NODE_GREYED;
    snprintf(on, sizeof on, "%s greyed fill", kind_label[k]);
    add_contrast(name, "greyed text", gdv_render_text_colour(st, GDV_TEXT_VALUE, 1), on,
                 gdv_render_node_fill(st, &n), MIN_TEXT);
  }
}

/* Edge labels (their box is the background), the title, the legend (and
 * the --highlight box, drawn on the legend's fill), the strongest flow
 * edge and the NaN mark, and the colour-blind separations. */
static void add_style_rows(const char *name, const gdv_style *st) {
  add_node_pairs(name, st);
  static const struct { int kind; const char *what; } edge_lines[] = {
    {GDV_TEXT_LOCAL, "edge local"}, {GDV_TEXT_EDGE_GRAD, "edge grad"}, {GDV_TEXT_NOTE, "edge count"}};
  for (size_t l = 0; l < sizeof edge_lines / sizeof edge_lines[0]; l++)
    add_contrast(name, edge_lines[l].what, gdv_render_text_colour(st, edge_lines[l].kind, 0),
                 "background", st->background, MIN_TEXT);
  add_contrast(name, "greyed edge label", gdv_render_text_colour(st, GDV_TEXT_LOCAL, 1),
               "background", st->background, MIN_TEXT);
  add_contrast(name, "title", gdv_render_text_colour(st, GDV_TEXT_TITLE, 0), "background",
               st->background, MIN_TEXT);
  static const struct { int kind; const char *what; } legend_lines[] = {
    {GDV_TEXT_NOTE, "legend text"}, {GDV_TEXT_VALUE, "legend value"},
    {GDV_TEXT_GRAD, "legend grad"}, {GDV_TEXT_SUM, "legend sum"}};
  for (size_t l = 0; l < sizeof legend_lines / sizeof legend_lines[0]; l++)
    add_contrast(name, legend_lines[l].what, gdv_render_text_colour(st, legend_lines[l].kind, 0),
                 "legend fill", st->legend_fill, MIN_TEXT);
  add_contrast(name, "flow-hi edge", st->flow_hi, "background", st->background, MIN_GRAPHIC);
  add_contrast(name, "NaN mark", st->nonfinite, "background", st->background, MIN_GRAPHIC);
  add_contrast(name, "recorded-wrong mark", st->recorded_wrong, "background", st->background,
               MIN_GRAPHIC);
  add_separation(name, "forward/backward", st->forward, st->backward, NORMAL);
  for (int cvd = PROTAN; cvd <= DEUTAN; cvd++) {
    add_separation(name, "forward/backward", st->forward, st->backward, cvd);
    add_separation(name, "flow-lo/flow-hi", st->flow_lo, st->flow_hi, cvd);
    /* a wrong recorded gradient's edges beside the flow's strongest and the
     * NaN edges (print draws both black: its marks differ in shape) */
    if (memcmp(&st->recorded_wrong, &st->nonfinite, sizeof st->nonfinite) != 0) {
      add_separation(name, "recorded-wrong/flow-hi", st->recorded_wrong, st->flow_hi, cvd);
      add_separation(name, "recorded-wrong/nonfinite", st->recorded_wrong, st->nonfinite, cvd);
    }
  }
  /* for information: tritanopia is rare and blue/orange survives it */
  printf("# %s: tritanopia forward/backward CIEDE2000 %.1f, flow-lo/flow-hi %.1f\n", name,
         cvd_difference(st->forward, st->backward, TRITAN),
         cvd_difference(st->flow_lo, st->flow_hi, TRITAN));
}

/* The shipped styles: every NAME.style in $GRADVIZ_STYLE_PATH (the tests
 * point it at the source's styles/), sorted, loaded by name as
 * `--style NAME` loads them. */
static void add_shipped_styles(void) {
  const char *dir = getenv("GRADVIZ_STYLE_PATH");
  struct dirent **list = NULL;
  int n = dir ? scandir(dir, &list, NULL, alphasort) : -1;
  size_t found = 0;
  for (int i = 0; i < n; i++) {
    char name[64];
    size_t len = strlen(list[i]->d_name);
    if (len > 6 && len - 6 < sizeof name && strcmp(list[i]->d_name + len - 6, ".style") == 0) {
      snprintf(name, sizeof name, "%.*s", (int)(len - 6), list[i]->d_name);
      gdv_style st;
      gdv_error err;
      gdv_error_clear(&err);
      if (gdv_style_load(name, &st, &err) == GDV_OK) {
        add_style_rows(name, &st);
        found++;
      } else {
        check_row *r = add_row();
        r->failed_load = 1;
        snprintf(r->name, sizeof r->name, "%s: does not load: %.120s", name, err.message);
      }
    }
    free(list[i]);
  }
  free(list);
  check_row *r = add_row();
  r->measured = (double)found;
  r->min = 4;
  snprintf(r->name, sizeof r->name, "%zu shipped styles checked in %s (at least 4)", found,
           dir ? dir : "(GRADVIZ_STYLE_PATH unset)");
}

/* Row _i, measured in main: fails below its minimum. */
static void check_row_fn(int i) {
  const check_row *r = &rows[i];
  ck_assert_msg(!r->failed_load, "%s", r->name);
  ck_assert_msg(r->measured >= r->min, "below the minimum");
}

/* styles/default.style says what the built-in default says, to the bit:
 * the figures of a build without the style files are the same. */
START_TEST(test_default_file_is_builtin) {
  static const char *const colours[] = {
    "background", "text", "forward", "backward", "sum", "node-fill", "node-stroke",
    "input-fill", "param-fill", "const-fill", "output-stroke", "edge", "flow-lo",
    "flow-hi", "grey", "highlight", "nonfinite", "legend-fill", "recorded-wrong"};
  gdv_style builtin, file;
  gdv_error err;
  gdv_style_default(&builtin);
  ck_assert_int_eq(gdv_style_load("default", &file, &err), GDV_OK);
  const gdv_rgba *a = &builtin.background, *b = &file.background;
  for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++)
    ck_assert_msg(memcmp(&a[i], &b[i], sizeof a[i]) == 0,
                  "%s: built-in #%02X%02X%02X, default.style #%02X%02X%02X", colours[i],
                  (int)lround(a[i].r * 255), (int)lround(a[i].g * 255), (int)lround(a[i].b * 255),
                  (int)lround(b[i].r * 255), (int)lround(b[i].g * 255), (int)lround(b[i].b * 255));
  ck_assert(&a[sizeof colours / sizeof colours[0] - 1] == &builtin.recorded_wrong);
  ck_assert(memcmp(&builtin, &file, sizeof builtin) == 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("style colour");
  TCase *tc = tcase_create("colour");
  tcase_add_test(tc, test_colour_arithmetic);
  tcase_add_test(tc, test_default_file_is_builtin);
  add_shipped_styles();
  fflush(stdout);
  ttests = calloc(n_rows, sizeof *ttests);
  if (ttests == NULL) return EXIT_FAILURE;
  for (size_t i = 0; i < n_rows; i++) {
    ttests[i] = (TTest){rows[i].name, check_row_fn, __FILE__, __LINE__};
    tcase_add_loop_test(tc, &ttests[i], (int)i, (int)i + 1);
  }
  suite_add_tcase(s, tc);
  int status = gdv_check_run_suite(s);
  free(ttests);
  free(rows);
  return status;
}
