/* test_dot.c: the DOT reader. cgraph's traps (in-edges listed by tail,
 * strict graphs merging edges, text after the graph) and the line numbers
 * our own scanner adds. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "io/gdv_io.h"
#include "../test_util.h"

/* Every text here is DOT, read as "g.dot". */
static gdv_graph *parse(const char *text) {
  return tu_parse(TU_DOT, text, NULL);
}

/* Reading `text` must fail on `line` with exactly `message`. */
static void parse_fails(const char *text, long line, const char *message) {
  tu_parse_fails(TU_DOT, text, line, message);
}

START_TEST(fan_out_example) {
  gdv_graph *g = parse(
      "digraph \"(a+b)*(b+1)\" {\n"
      "  label=\"title\";\n"
      "  a [value=2];\n"
      "  b [value=1];\n"
      "  one [value=1, role=const, label=\"1\"];\n"
      "  c [op=add]; d [op=add]; e [op=mul];\n"
      "  a -> c; b -> c;\n"
      "  b -> d; one -> d;\n"
      "  c -> e; d -> e;\n"
      "}\n");
  ck_assert(g->value[tu_find(g, "e")] == 6);
  ck_assert(g->grad[tu_find(g, "b")] == 5);
  ck_assert(g->grad[tu_find(g, "a")] == 2);
  ck_assert_str_eq(g->label[tu_find(g, "one")], "1");
  ck_assert_ptr_null(g->label[tu_find(g, "a")]);
  ck_assert_int_eq(g->role[tu_find(g, "one")], GDV_ROLE_CONST);
  ck_assert_str_eq(g->title, "title");
  ck_assert_int_eq(g->line[tu_find(g, "a")], 3);
  ck_assert_int_eq(g->line[tu_find(g, "e")], 6);
  gdv_graph_free(g);
}
END_TEST

/* cgraph lists in-edges by the creation order of their tails; operands
 * must follow the order the edges are written in. */
START_TEST(operands_in_file_order) {
  gdv_graph *g = parse(
      "digraph {\n"
      "  b [value=1]; a [value=5]; s [op=sub]; q [op=div]; o [op=add];\n"
      "  a -> s; b -> s;\n"
      "  a -> q; b -> q;\n"
      "  s -> o; q -> o;\n"
      "}\n");
  gdv_id s = tu_find(g, "s"), q = tu_find(g, "q");
  ck_assert(g->value[s] == 4);
  ck_assert(g->value[q] == 5);
  ck_assert_uint_eq(tu_operand(g, s, 0), tu_find(g, "a"));
  ck_assert_int_eq(g->edge_line[g->arg_start[s]], 3);
  ck_assert_int_eq(g->edge_line[g->arg_start[q]], 4);
  gdv_graph_free(g);
}
END_TEST

START_TEST(arg_attribute) {
  /* arg reverses the file order */
  gdv_graph *g = parse(
      "digraph { a [value=10]; b [value=4]; s [op=sub];\n"
      "  a -> s [arg=1]; b -> s [arg=0] }\n");
  gdv_id s = tu_find(g, "s");
  ck_assert(g->value[s] == -6);
  ck_assert(g->grad[tu_find(g, "a")] == -1 && g->grad[tu_find(g, "b")] == 1);
  gdv_graph_free(g);
  /* three operands in a shuffled order, through pow's neighbour div */
  g = parse(
      "digraph { a [value=1]; b [value=2]; c [value=3]; m [op=max];\n"
      "  c -> m [arg=0]; a -> m [arg=2]; b -> m [arg=1] }\n");
  gdv_id m = tu_find(g, "m");
  ck_assert_uint_eq(tu_operand(g, m, 0), tu_find(g, "c"));
  ck_assert_uint_eq(tu_operand(g, m, 1), tu_find(g, "b"));
  ck_assert_uint_eq(tu_operand(g, m, 2), tu_find(g, "a"));
  gdv_graph_free(g);
  parse_fails("digraph { a [value=1]; b [value=2]; s [op=sub];\n"
              "  a -> s [arg=0];\n  b -> s }\n", 2,
              "node 's': 'arg' is on 1 of its 2 in-edges; give it on all or none");
  parse_fails("digraph { a [value=1]; b [value=2]; s [op=sub];\n"
              "  a -> s [arg=1];\n  b -> s [arg=1] }\n", 3,
              "node 's': arg 1 is given twice");
  parse_fails("digraph { a [value=1]; b [value=2]; s [op=sub];\n"
              "  a -> s [arg=0];\n  b -> s [arg=2] }\n", 3,
              "edge b -> s: arg 2 is out of range (2 operands: 0 to 1)");
  parse_fails("digraph { a [value=1]; s [op=neg];\n  a -> s [arg=-1] }\n", 2,
              "edge a -> s: arg '-1' is not a whole number from 0");
  parse_fails("digraph { a [value=1]; s [op=neg];\n  a -> s [arg=\"0x\"] }\n", 2,
              "edge a -> s: arg '0x' is not a whole number from 0");
}
END_TEST

START_TEST(multi_edge) {
  gdv_graph *g = parse("digraph { x [value=3]; m [op=mul]; x -> m; x -> m }");
  gdv_id m = tu_find(g, "m"), x = tu_find(g, "x");
  ck_assert_uint_eq(g->n_edges, 2);
  ck_assert(g->value[m] == 9);
  ck_assert(g->edge_grad[0] == 3 && g->edge_grad[1] == 3);
  ck_assert(g->grad[x] == 6);
  gdv_graph_free(g);
}
END_TEST

START_TEST(attributes) {
  char **attrs = NULL;
  gdv_graph *g = tu_parse(TU_DOT,
      "digraph {\n"
      "  rankdir=TB; label=\"T\"; fontsize=20;\n"
      "  x [value=\"-1.5\"]; k [value=\".5\", role=param];\n"
      "  p [op=pow, exponent=3]; q [op=pow]; s [op=add, output=true];\n"
      "  u [value=4.]; w [op=log];\n"
      "  x -> p; x -> q; k -> q; p -> s; q -> s; u -> w;\n"
      "}\n", &attrs);
  gdv_id p = tu_find(g, "p"), q = tu_find(g, "q"), s = tu_find(g, "s");
  ck_assert_int_eq(g->op[p], GDV_OP_POWK);
  ck_assert(g->exponent[p] == 3);
  ck_assert(g->value[p] == -3.375);
  ck_assert_int_eq(g->op[q], GDV_OP_POW);
  ck_assert_uint_eq(g->output, s);
  ck_assert(!g->reaches[tu_find(g, "w")] && !g->reaches[tu_find(g, "u")]);
  ck_assert(g->grad[tu_find(g, "u")] == 0);
  ck_assert_int_eq(g->role[tu_find(g, "k")], GDV_ROLE_PARAM);
  ck_assert_int_eq(g->role[tu_find(g, "x")], GDV_ROLE_INPUT);
  ck_assert_str_eq(g->rankdir, "TB");
  /* graph attributes kept, as name/value pairs */
  ck_assert_ptr_nonnull(attrs);
  int saw_font = 0;
  for (char **a = attrs; *a; a += 2)
    if (strcmp(a[0], "fontsize") == 0) saw_font = strcmp(a[1], "20") == 0;
  ck_assert(saw_font);
  for (char **a = attrs; *a; a++) free(*a);
  free(attrs);
  gdv_graph_free(g);
  /* output=false is no mark; output=yes is */
  g = parse("digraph { a [value=1, output=false]; b [op=neg, output=yes]; "
            "a -> b; c [value=2] }");
  ck_assert_uint_eq(g->output, tu_find(g, "b"));
  gdv_graph_free(g);
}
END_TEST

/* Ops are looked up by name in the op table: the newest, softplus, too. */
START_TEST(softplus_by_name) {
  gdv_graph *g = parse("digraph { x [value=0]; s [op=softplus]; x -> s }");
  gdv_id s = tu_find(g, "s");
  ck_assert_int_eq(g->op[s], GDV_OP_SOFTPLUS);
  ck_assert(g->value[s] == log(2.0));
  ck_assert(g->grad[tu_find(g, "x")] == 0.5);
  gdv_graph_free(g);
  parse_fails("digraph {\n a [value=1]\n s [op=softplus]\n a -> s; a -> s }", 3,
              "node 's': op 'softplus' takes 1 operand, it has 2");
  g = parse("digraph { x [value=1]; l [op=log1p]; x -> l }");
  ck_assert(g->value[tu_find(g, "l")] == log(2.0) && g->grad[tu_find(g, "x")] == 0.5);
  gdv_graph_free(g);
}
END_TEST

/* The ops courses asked for, by name; swish is silu; clamp's operands by
 * `arg` (x, lo, hi), lo and hi ordinary nodes whose gradient is PyTorch's. */
START_TEST(course_ops_by_name) {
  gdv_graph *g = parse("digraph { x [value=0]; s [op=silu]; w [op=swish]; l [op=log1p];\n"
                       "  e [op=logsumexp]; m [op=mean]; t [op=add];\n"
                       "  x -> s; x -> w; x -> l; x -> e; x -> e; s -> m; w -> m; l -> m;\n"
                       "  e -> t; m -> t }");
  ck_assert_int_eq(g->op[tu_find(g, "s")], GDV_OP_SILU);
  ck_assert_int_eq(g->op[tu_find(g, "w")], GDV_OP_SILU);
  ck_assert_int_eq(g->op[tu_find(g, "l")], GDV_OP_LOG1P);
  ck_assert_int_eq(g->op[tu_find(g, "e")], GDV_OP_LOGSUMEXP);
  ck_assert_int_eq(g->op[tu_find(g, "m")], GDV_OP_MEAN);
  /* at 0: silu' = 1/2 twice, log1p' = 1, each a third in the mean; the
   * logsumexp of x and x has 1/2 on each edge */
  ck_assert(g->value[tu_find(g, "e")] == log(2.0) && g->value[tu_find(g, "m")] == 0);
  ck_assert(tu_close_to(g->grad[tu_find(g, "x")], 1 + (0.5 + 0.5 + 1) / 3.0, 1e-15));
  gdv_graph_free(g);
  g = parse("digraph { x [value=2]; lo [value=-1]; hi [value=1]; c [op=clamp];\n"
            "  hi -> c [arg=2]; x -> c [arg=0]; lo -> c [arg=1] }");
  gdv_id c = tu_find(g, "c");
  ck_assert(g->value[c] == 1);
  ck_assert(g->grad[tu_find(g, "x")] == 0 && g->grad[tu_find(g, "lo")] == 0 &&
            g->grad[tu_find(g, "hi")] == 1);
  gdv_graph_free(g);
  parse_fails("digraph {\n x [value=1]\n c [op=clamp]\n x -> c }", 3,
              "node 'c': op 'clamp' takes 3 operands, it has 1");
}
END_TEST

START_TEST(comments_and_lines) {
  gdv_graph *g = parse(
      "// a comment -> not an edge\n"
      "/* block\n   comment */\n"
      "# preprocessor-style line\n"
      "digraph G {\n"
      "  \"x y\" [value=2];\n"
      "  \"x \" + \"z\" [value=3];\n"
      "  m [op=mul]\n"
      "  \"x y\" -> m\n"
      "  \"x z\" -> m\n"
      "}\n");
  ck_assert(g->value[tu_find(g, "m")] == 6);
  ck_assert_int_eq(g->line[tu_find(g, "x y")], 6);
  ck_assert_int_eq(g->line[tu_find(g, "x z")], 7);
  ck_assert_int_eq(g->line[tu_find(g, "m")], 8);
  gdv_graph_free(g);
  /* edge chains and subgraphs */
  g = parse("digraph { a [value=2]; b [op=neg]; c [op=square];\n"
            "  subgraph s { a -> b -> c } }\n");
  ck_assert(g->value[tu_find(g, "c")] == 4);
  ck_assert(g->grad[tu_find(g, "a")] == 4);
  gdv_graph_free(g);
}
END_TEST

START_TEST(errors) {
  parse_fails("", 0, "the file is empty: no graph in it");
  parse_fails("  \n// only a comment\n", 0, "the file is empty: no graph in it");
  parse_fails("\xEF\xBB\xBF" "digraph { a [value=1] }", 1,
              "the file starts with a UTF-8 byte-order mark; save it without one");
  parse_fails("graph { a [value=1] }", 1,
              "an undirected graph: gradviz needs a 'digraph' (u -> v: u is an "
              "operand of v)");
  parse_fails("strict digraph { a [value=1] }", 1,
              "a 'strict digraph' merges repeated edges such as x -> m; x -> m "
              "(x*x); write 'digraph'");
  parse_fails("digraph { a [value=1] }\ndigraph { b [value=1] }\n", 2,
              "text after the graph's closing '}' (line 1); one file holds one graph");
  parse_fails("digraph { a [value=1] }\n}\n", 2,
              "text after the graph's closing '}' (line 1); one file holds one graph");
  parse_fails("nodes { }", 1, "expected 'digraph', found 'nodes'");
  parse_fails("digraph [", 1, "expected '{' after 'digraph'");
  parse_fails("digraph {\n a [value=1]\n b [op=neg\n a -> b\n", 4,
              "syntax error near '->'");
  parse_fails("digraph {\n a [value=1]\n b [op=sigma]\n a -> b }", 3,
              "node 'b': unknown op 'sigma'");
  parse_fails("digraph {\n a\n b [op=neg]\n a -> b }", 2,
              "leaf 'a' has no value (give it value=... or an op)");
  parse_fails("digraph {\n a [value=1]\n b [op=neg, value=2]\n a -> b }", 3,
              "node 'b': 'value' is for leaves; an op node computes its own");
  parse_fails("digraph {\n a [value=1]\n b [op=neg, role=param]\n a -> b }", 3,
              "node 'b': 'role' is for leaves, not op nodes");
  parse_fails("digraph {\n a [value=1, role=weight] }", 2,
              "node 'a': unknown role 'weight' (input, param or const)");
  parse_fails("digraph {\n a [value=1]\n b [op=neg, exponent=2]\n a -> b }", 3,
              "node 'b': 'exponent' is only for op=pow");
  parse_fails("digraph {\n a [value=1]\n b [op=pow, exponent=two]\n a -> b }", 3,
              "node 'b': exponent 'two' is not a number");
  parse_fails("digraph {\n a [value=1, output=maybe] }", 2,
              "node 'a': output 'maybe' is not true or false");
  parse_fails("digraph {\n a [value=1, output=true]\n b [value=1, output=true] }", 3,
              "two outputs: 'a' and 'b'");
  parse_fails("digraph {\n a [op=identity]\n b [op=identity]\n c [op=identity]\n"
              " a -> b -> c -> a }", 2, "cycle: a -> b -> c -> a");
  parse_fails("digraph {\n a [value=1]\n b [value=2]\n}", 0,
              "2 sinks and no node marked output=true: a, b");
  parse_fails("digraph {\n  a [value=\"-1e999\"] }", 2,
              "node 'a': value '-1e999' overflows a double");
  static const char *const bad_values[] = {"abc", "nan", "inf", "0x10",
                                           "1.2.3", "-"};
  for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
    char text[128], msg[160];
    snprintf(text, sizeof text, "digraph {\n  a [value=\"%s\"] }", bad_values[i]);
    snprintf(msg, sizeof msg, "node 'a': value '%s' is not a number (decimal or "
             "exponent notation, finite)", bad_values[i]);
    parse_fails(text, 2, msg);
  }
}
END_TEST

START_TEST(nul_byte) {
  static const char text[] = "digraph { a [value=1] }\0junk";
  gdv_graph *g = NULL;
  gdv_error err;
  ck_assert_int_eq(gdv_dot_parse("g.dot", text, sizeof text - 1, &g, NULL, &err),
                   GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "the file contains a NUL byte: not a DOT text file");
  static const char expr[] = "x = 1\0";
  ck_assert_int_eq(gdv_expr_parse("f.expr", expr, sizeof expr - 1, &g, &err),
                   GDV_ERR_INPUT);
  ck_assert_str_eq(err.message, "the file contains a NUL byte: not a formula file");
}
END_TEST

/* A 100,000-node chain written in DOT: the reader scales too. */
START_TEST(long_chain) {
  const size_t n = 100000;
  size_t cap = n * 48 + 64, len = 0;
  char *t = malloc(cap);
  ck_assert_ptr_nonnull(t);
  len += (size_t)snprintf(t + len, cap - len, "digraph {\nn0 [value=0.25]\n");
  for (size_t i = 1; i < n; i++)
    len += (size_t)snprintf(t + len, cap - len, "n%zu [op=%s]\nn%zu -> n%zu\n", i,
                            i % 2 ? "neg" : "identity", i - 1, i);
  snprintf(t + len, cap - len, "}\n");
  gdv_graph *g = parse(t);
  ck_assert_uint_eq(g->n_nodes, n);
  double want = n / 2 % 2 ? -0.25 : 0.25;   /* one neg per odd i */
  ck_assert(g->value[g->output] == want);
  ck_assert(fabs(g->grad[tu_find(g, "n0")]) == 1);
  ck_assert_int_eq(g->line[tu_find(g, "n99999")], 2 + 2 * 99999 - 1);
  gdv_graph_free(g);
  free(t);
}
END_TEST

/* One case; the long chain gets a generous timeout under ASan. */
/* Each `subgraph cluster*` is a group, labelled with its own label (not
 * the root graph's, which cgraph hands down) or else its name; a node in
 * nested clusters is in the innermost; plain subgraphs are no groups. */
START_TEST(cluster_groups) {
  gdv_graph *g = parse(
      "digraph G {\n  label=\"the title\";\n"
      "  x [value=1]; w [value=2, role=param]; b [value=0.5, role=param];\n"
      "  subgraph cluster_layer1 { label=\"h = tanh(w·x + b)\"; m [op=mul]; s [op=add]; h [op=tanh];\n"
      "    subgraph cluster_inner { q [op=square]; } }\n"
      "  subgraph cluster_loss { o [op=add]; }\n"
      "  subgraph plain { x; }\n"
      "  x -> m; w -> m; m -> s; b -> s; s -> h; h -> q; q -> o; h -> o;\n}\n");
  ck_assert_uint_eq(g->n_groups, 3);
  gdv_id l1 = gdv_graph_find_group(g, "cluster_layer1");
  gdv_id in = gdv_graph_find_group(g, "cluster_inner");
  gdv_id loss = gdv_graph_find_group(g, "cluster_loss");
  ck_assert_uint_ne(l1, GDV_NONE);
  ck_assert_uint_ne(in, GDV_NONE);
  ck_assert_uint_ne(loss, GDV_NONE);
  ck_assert_str_eq(g->group_label[l1], "h = tanh(w·x + b)");
  ck_assert_str_eq(g->group_label[loss], "cluster_loss");
  ck_assert_str_eq(g->group_label[in], "cluster_inner");
  ck_assert_uint_eq(g->node_group[tu_find(g, "m")], l1);
  ck_assert_uint_eq(g->node_group[tu_find(g, "s")], l1);
  ck_assert_uint_eq(g->node_group[tu_find(g, "h")], l1);
  ck_assert_uint_eq(g->node_group[tu_find(g, "q")], in);
  ck_assert_uint_eq(g->node_group[tu_find(g, "o")], loss);
  ck_assert_uint_eq(g->node_group[tu_find(g, "x")], GDV_NONE);
  ck_assert_uint_eq(g->node_group[tu_find(g, "w")], GDV_NONE);
  /* the numbers are those of the same graph without clusters */
  ck_assert(tu_close_to(g->value[g->output], tanh(2.5) * tanh(2.5) + tanh(2.5), 1e-15));
  gdv_graph_free(g);
  g = parse("digraph { x [value=1]; y [op=neg]; x -> y; }\n");
  ck_assert_uint_eq(g->n_groups, 0);
  ck_assert_ptr_null(g->node_group);
  gdv_graph_free(g);
}
END_TEST

static Suite *dot_suite(void) {
  Suite *s = suite_create("dot");
  TCase *tc = tcase_create("reader");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, fan_out_example);
  tcase_add_test(tc, operands_in_file_order);
  tcase_add_test(tc, arg_attribute);
  tcase_add_test(tc, multi_edge);
  tcase_add_test(tc, attributes);
  tcase_add_test(tc, softplus_by_name);
  tcase_add_test(tc, course_ops_by_name);
  tcase_add_test(tc, comments_and_lines);
  tcase_add_test(tc, errors);
  tcase_add_test(tc, cluster_groups);
  tcase_add_test(tc, nul_byte);
  tcase_add_test(tc, long_chain);
  suite_add_tcase(s, tc);
  return s;
}

/* One suite, run as TAP (see check_main.h). */
int main(void) { return gdv_check_run_suite(dot_suite()); }
