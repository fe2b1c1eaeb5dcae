/* test_scale.c: big fan-outs through the render library: which parallel
 * edges merge (gdv_parallel_groups), the scene and sums they give, frames
 * of merged edges, and the PNG fit check before layout. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "io/gdv_io.h"
#include "render/gdv_render.h"
#include "teach/gdv_teach.h"

#define SUM_X "\xE2\x88\x82" "C/\xE2\x88\x82" "x = "

/* Parses a formula, evaluates it. */
static gdv_graph *graph_of(const char *text) {
  gdv_graph *g = NULL;
  gdv_error err;
  ck_assert_int_eq(gdv_expr_parse("t.expr", text, strlen(text), &g, &err), GDV_OK);
  gdv_forward(g);
  gdv_backward(g);
  return g;
}

/* "x = V\ny = x*x*...*x\n" with n factors, then TAIL. */
static gdv_graph *product(size_t n, const char *v, const char *tail) {
  size_t size = 2 * n + strlen(tail) + 64;
  char *text = malloc(size), *p = text;
  p += sprintf(p, "x = %s\ny = x", v);
  for (size_t i = 1; i < n; i++) p += sprintf(p, "*x");
  sprintf(p, "\n%s", tail);
  gdv_graph *g = graph_of(text);
  free(text);
  return g;
}

/* The text of the first line of `kind` on scene node v, or "". */
static const char *line_of(const gdv_scene *s, size_t v, int kind) {
  /* a long sum is wrapped over lines, each going on with "+ ": joined by
   * spaces they are the sum as one line */
  static char joined[4096];
  joined[0] = '\0';
  for (size_t i = 0; i < s->nodes[v].n_lines; i++) {
    /* (a frame's partial sum may leave a wrapped sum's last lines empty) */
    if (s->nodes[v].lines[i].kind != kind || !s->nodes[v].lines[i].text[0]) continue;
    if (joined[0]) strncat(joined, " ", sizeof joined - strlen(joined) - 1);
    strncat(joined, s->nodes[v].lines[i].text, sizeof joined - strlen(joined) - 1);
  }
  return joined;
}

START_TEST(test_groups) {
  gdv_error err;
  size_t *group;
  /* 8 parallel edges: nothing to merge, nothing allocated */
  gdv_graph *g = product(8, "3", "output y\n");
  ck_assert_int_eq(gdv_parallel_groups(g, 8, 0, &group, &err), GDV_OK);
  ck_assert_ptr_null(group);
  gdv_graph_free(g);
  /* 9: the first leads, the others are merged into it */
  g = product(9, "3", "output y\n");
  ck_assert_int_eq(gdv_parallel_groups(g, 8, 0, &group, &err), GDV_OK);
  ck_assert_ptr_nonnull(group);
  ck_assert_uint_eq(group[0], 9);
  for (size_t e = 1; e < 9; e++) ck_assert_uint_eq(group[e], 0);
  for (size_t e = 0; e < 9; e++) ck_assert_uint_eq(group[9 + e], 0);  /* led by edge 0 */
  free(group);
  /* 0 never merges */
  ck_assert_int_eq(gdv_parallel_groups(g, 0, 0, &group, &err), GDV_OK);
  ck_assert_ptr_null(group);
  gdv_graph_free(g);
  /* interleaved x*z*x*z...: one group per source, each led by its first */
  g = graph_of("x = 1\nz = 2\ny = x*z*x*z*x*z*x*z*x*z*x*z*x*z*x*z*x*z*x\n");
  ck_assert_int_eq(gdv_parallel_groups(g, 8, 0, &group, &err), GDV_OK);
  ck_assert_uint_eq(group[0], 10);
  ck_assert_uint_eq(group[1], 9);
  for (size_t e = 2; e < 19; e++) {
    ck_assert_uint_eq(group[e], 0);
    ck_assert_uint_eq(group[19 + e], e % 2);  /* x's edges led by 0, z's by 1 */
  }
  free(group);
  gdv_graph_free(g);
}
END_TEST

/* Different numbers are never merged: y = x*x*...*x*w has 9 edges from x
 * with one local each (w's value differs from x's) and 1 from w. */
START_TEST(test_same_numbers_only) {
  gdv_error err;
  size_t *group;
  gdv_graph *g = graph_of("x = 2\nw = 3\na = x*x*x*x*x\nb = a*x*x*x*x*w\n");
  /* a's 5 and b's 4 edges from x are into different nodes: no group */
  ck_assert_int_eq(gdv_parallel_groups(g, 3, 0, &group, &err), GDV_OK);
  ck_assert_ptr_nonnull(group);
  gdv_id a = gdv_graph_find(g, "a"), b = gdv_graph_find(g, "b");
  ck_assert_uint_eq(group[g->arg_start[a]], 5);
  /* b's operands: a, x, x, x, x, w: the four x edges merge */
  ck_assert_uint_eq(group[g->arg_start[b]], 1);
  ck_assert_uint_eq(group[g->arg_start[b] + 1], 4);
  ck_assert_uint_eq(group[g->arg_start[b] + 5], 1);
  free(group);
  gdv_graph_free(g);
}
END_TEST

START_TEST(test_scene_merged) {
  gdv_error err;
  gdv_scene *s;
  gdv_scene_options opt;
  gdv_scene_options_default(&opt);
  ck_assert_uint_eq(opt.parallel_max, 8);
  /* 4000 factors at x = 1 plus x once more: one edge x -> y of 4000 */
  gdv_graph *g = product(4000, "1", "C = y + x\noutput C\n");
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->n_nodes, 3);
  ck_assert_uint_eq(s->n_edges, 3);
  ck_assert_uint_eq(s->edges[0].count, 4000);
  ck_assert_uint_eq(s->edges[0].graph_edge, 0);
  ck_assert_uint_eq(s->edges[0].n_lines, 3);
  ck_assert_str_eq(s->edges[0].lines[0].text, "\xC3\x97" "4000");
  ck_assert_str_eq(s->edges[0].lines[1].text, "local 1");
  ck_assert_uint_eq(s->edges[1].count, 0);
  /* graph edges 0..3999 are drawn by scene edge 0, the next two by 1, 2 */
  ck_assert_ptr_nonnull(s->edge_scene);
  ck_assert_uint_eq(s->edge_scene[3999], 0);
  ck_assert_uint_eq(s->edge_scene[4000], 1);
  ck_assert_uint_eq(s->edge_scene[4001], 2);
  ck_assert_str_eq(line_of(s, 0, GDV_TEXT_SUM), SUM_X "4000 \xC3\x97 1 + 1 = 4001");
  /* the count stays even when --show hides the edge's numbers */
  gdv_scene_free(s);
  opt.show = GDV_SHOW_VALUES;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->edges[0].n_lines, 1);
  ck_assert_str_eq(s->edges[0].lines[0].text, "\xC3\x97" "4000");
  gdv_scene_free(s);
  /* parallel_max 0: every edge of its own, the sum elided after 5 terms */
  gdv_scene_options_default(&opt);
  opt.parallel_max = 0;
  ck_assert_int_eq(gdv_scene_from_graph(g, &opt, &s, &err), GDV_OK);
  ck_assert_uint_eq(s->n_edges, 4002);
  ck_assert_str_eq(line_of(s, 0, GDV_TEXT_SUM),
                   SUM_X "1 + 1 + 1 + 1 + 1 + \xE2\x80\xA6 (3996 more) = 4001");
  gdv_scene_free(s);
  gdv_graph_free(g);
}
END_TEST

/* Groups count as one term, and what is left out is counted in edges:
 * 9 uses in y, then 6 single uses: 5 terms shown (9 + 4 edges), 2 more. */
START_TEST(test_sum_elided) {
  gdv_error err;
  gdv_scene *s;
  gdv_graph *g = product(9, "1", "a = x + 1\nb = x + 2\nc = x + 3\nd = x + 4\n"
                                 "e = x + 5\nf = x + 6\nC = y + a + b + c + d + e + f\n"
                                 "output C\n");
  ck_assert_int_eq(gdv_scene_from_graph(g, NULL, &s, &err), GDV_OK);
  ck_assert_str_eq(line_of(s, 0, GDV_TEXT_SUM),
                   SUM_X "9 \xC3\x97 1 + 1 + 1 + 1 + 1 + \xE2\x80\xA6 (2 more) = 15");
  /* partial sums count terms: the group is the first */
  ck_assert_int_eq(gdv_scene_sum_partial(s, g, 0, 1, &err), GDV_OK);
  ck_assert_str_eq(line_of(s, 0, GDV_TEXT_SUM),
                   SUM_X "9 \xC3\x97 1 + ? + ? + ? + ? + \xE2\x80\xA6 (2 more)");
  gdv_scene_free(s);
  gdv_graph_free(g);
}
END_TEST

/* Frames draw merged edges too: every graph edge of a step finds the
 * scene edge that draws it (40 graph edges, one scene edge). */
START_TEST(test_frames_merged) {
  gdv_graph *g = product(40, "1", "output y\n");
  char dir[] = "/tmp/gdv-scale-frames.XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  gdv_style st;
  gdv_style_default(&st);
  gdv_frames_options fo;
  memset(&fo, 0, sizeof fo);
  gdv_scene_options_default(&fo.scene);
  fo.style = &st;
  fo.format = GDV_FIGURE_SVG;
  fo.dpi = 72;
  size_t n = 0;
  gdv_error err;
  ck_assert_int_eq(gdv_frames_write(g, &fo, dir, &n, &err), GDV_OK);
  /* forward: y; backward: y, then x */
  ck_assert_uint_eq(n, 3);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
  gdv_graph_free(g);
}
END_TEST

START_TEST(test_fit_png) {
  gdv_style st;
  gdv_style_default(&st);
  gdv_error err;
  gdv_scene *s;
  ck_assert_int_eq(gdv_scene_new(&s, &err), GDV_OK);
  /* 2000 boxes of one line in one column: 2000 * (ceil(11 * 1.3) + 12) + 1999
   * node gaps, at 144 dpi */
  size_t root;
  ck_assert_int_eq(gdv_scene_add_node(s, "r", GDV_KIND_OP, &root, &err), GDV_OK);
  for (int i = 0; i < 2000; i++) {
    size_t v;
    ck_assert_int_eq(gdv_scene_add_node(s, "n", GDV_KIND_INPUT, &v, &err), GDV_OK);
    ck_assert_int_eq(gdv_scene_add_line(&s->nodes[v].lines, &s->nodes[v].n_lines,
                                        GDV_TEXT_NAME, "n", &err), GDV_OK);
    ck_assert_int_eq(gdv_scene_add_edge(s, v, root, NULL, &err), GDV_OK);
  }
  double h = ceil(ceil(st.font_size * 1.3) + 1.5 * st.node_pad);
  double need = ceil((2000 * h + 1999 * st.node_sep + 2 * st.margin) * 2);
  ck_assert_int_eq(gdv_scene_fit_png(s, &st, 1, 144, &err), GDV_ERR_INPUT);
  char want[300];
  snprintf(want, sizeof want, "a figure of 2001 nodes and 2000 edges needs at least %.0f "
           "pixels a side, more than PNG allows (32767): %.0f dpi or less fits, "
           "or write SVG or PDF", need, floor(144 * 32767 / need));
  ck_assert_str_eq(err.message, want);
  ck_assert_int_eq(err.setting, GDV_SETTING_DPI);
  /* the same boxes laid out by dot are bounded by their area only: fits */
  ck_assert_int_eq(gdv_scene_fit_png(s, &st, 0, 144, &err), GDV_OK);
  /* and at 10 dpi the column fits too */
  ck_assert_int_eq(gdv_scene_fit_png(s, &st, 1, 10, &err), GDV_OK);
  gdv_scene_free(s);
}
END_TEST

int main(void) {
  Suite *s = suite_create("scale");
  TCase *tc = tcase_create("scale");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_groups);
  tcase_add_test(tc, test_same_numbers_only);
  tcase_add_test(tc, test_scene_merged);
  tcase_add_test(tc, test_sum_elided);
  tcase_add_test(tc, test_frames_merged);
  tcase_add_test(tc, test_fit_png);
  suite_add_tcase(s, tc);
  return gdv_check_run_suite(s);
}
