/* test_expr.c: the formula reader (CONTRACT 6). Precedence and
 * associativity are checked twice: by the value computed and by the shape
 * of the graph built (which node has which op and how many operands). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "io/gdv_io.h"
#include "../test_util.h"

/* Every text here is a formula, read as "f.expr". */
static gdv_graph *parse(const char *text) {
  return tu_parse(TU_EXPR, text, NULL);
}

/* Reading `text` must fail on `line` with exactly `message`. */
static void parse_fails(const char *text, long line, const char *message) {
  tu_parse_fails(TU_EXPR, text, line, message);
}

/* The value of the output of a one-line formula `y = EXPR` after `pre`. */
static double value_of(const char *pre, const char *expr) {
  char text[512];
  snprintf(text, sizeof text, "%sy = %s\n", pre, expr);
  gdv_graph *g = parse(text);
  double v = g->value[tu_find(g, "y")];
  gdv_graph_free(g);
  return v;
}

START_TEST(precedence_values) {
  const char *abc = "a = 10\nb = 3\nc = 2\nx = 3\n";
  ck_assert(value_of(abc, "-x^2") == -9);
  ck_assert(value_of(abc, "-2^2") == -4);
  ck_assert(value_of(abc, "(-2)^2") == 4);
  ck_assert(value_of(abc, "2^3^2") == 512);
  ck_assert(value_of(abc, "(2^3)^2") == 64);
  ck_assert(value_of(abc, "2^-1") == 0.5);
  ck_assert(value_of(abc, "x^-2 * 9") == 1);
  ck_assert(value_of(abc, "a-b-c") == 5);
  ck_assert(value_of(abc, "a-(b-c)") == 9);
  ck_assert(value_of(abc, "a/b/c") == 10.0 / 3 / 2);
  ck_assert(value_of(abc, "a/(b/c)") == 10 / (3.0 / 2));
  ck_assert(value_of(abc, "a+b*c") == 16);
  ck_assert(value_of(abc, "(a+b)*c") == 26);
  ck_assert(value_of(abc, "a-b*c^2") == -2);
  ck_assert(value_of(abc, "a - -b") == 13);
  ck_assert(value_of(abc, "a*-b") == -30);
  ck_assert(value_of(abc, "-a*b") == -30);
  ck_assert(value_of(abc, "--a") == 10);
  ck_assert(value_of(abc, "a/b*c") == 10.0 / 3 * 2);
  ck_assert(value_of(abc, "a-b+c") == 9);
  ck_assert(value_of(abc, "c^b^c") == 512);
  ck_assert(value_of(abc, "max(a, b, c) - min(a, b, c)") == 8);
  ck_assert(value_of(abc, "pow(c, b)") == 8);
  ck_assert(value_of(abc, "tanh(0)") == 0);
  ck_assert(value_of(abc, "sqrt(abs(-16))") == 4);
  ck_assert(value_of(abc, ".5 + 4. + 1e-3 + 2E1") == 0.5 + 4 + 1e-3 + 20);
  ck_assert(value_of(abc, "exp(log(a)) / a") == exp(log(10.0)) / 10);
  ck_assert(value_of(abc, "relu(-a) + relu(a) + identity(b) + neg(c)") == 11);
  ck_assert(value_of(abc, "square(b) + sigmoid(0) + sin(0) + cos(0)") == 10.5);
  ck_assert(value_of(abc, "softplus(0)") == log(2.0));
  ck_assert(value_of(abc, "softplus(a)") == 10 + log1p(exp(-10.0)));
  ck_assert(value_of(abc, "log1p(1e-20) * 1e20") == 1);
  ck_assert(value_of(abc, "silu(0) + swish(0)") == 0);
  ck_assert(value_of(abc, "silu(log(3)) / log(3)") == 0.75);
  ck_assert(fabs(value_of(abc, "logsumexp(0, log(b))") - log(4.0)) < 1e-15);
  ck_assert(fabs(value_of(abc, "logsumexp(1000, 1000) - 1000") - log(2.0)) < 1e-12);
  ck_assert(value_of(abc, "mean(a, b, c, 1)") == 4);
  ck_assert(value_of(abc, "mean(x)") == 3);
  ck_assert(value_of(abc, "clamp(x, 0, 1) + clamp(-x, 0, 1) + clamp(0.5, 0, 1)") == 1.5);
  ck_assert(value_of(abc, "clamp(x, c, b)") == 3 && value_of(abc, "clamp(x, b, c)") == 2);
  ck_assert(value_of(abc, "pi") == 3.14159265358979323846);
  ck_assert(value_of(abc, "2*pi - -pi") == 3 * 3.14159265358979323846);
  ck_assert(value_of(abc, "sin(pi/2)") == 1);
  /* negative literals are numbers: precedence as before */
  ck_assert(value_of(abc, "-0.5*(a-b)^2") == -24.5);
  ck_assert(value_of(abc, "x - -2") == 5);
  ck_assert(value_of(abc, "-2^2 + 2^-1") == -3.5);
}
END_TEST

START_TEST(precedence_shapes) {
  gdv_graph *g = parse("x = 3\ny = -x^2\n");
  gdv_id y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_NEG);
  gdv_id p = tu_operand(g, y, 0);
  ck_assert_int_eq(g->op[p], GDV_OP_POWK);
  ck_assert(g->exponent[p] == 2);
  ck_assert_uint_eq(tu_operand(g, p, 0), tu_find(g, "x"));
  ck_assert(g->grad[tu_find(g, "x")] == -6);
  gdv_graph_free(g);

  /* 2^3^2 = 2^(3^2): the inner one has the constant exponent */
  g = parse("y = 2^3^2\n");
  y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_POW);
  ck_assert_uint_eq(gdv_fan_in(g, y), 2);
  ck_assert_int_eq(g->op[tu_operand(g, y, 0)], GDV_OP_LEAF);
  ck_assert(g->value[tu_operand(g, y, 0)] == 2);
  ck_assert_int_eq(g->op[tu_operand(g, y, 1)], GDV_OP_POWK);
  gdv_graph_free(g);

  /* 2^-1: the constant exponent -1 on a const leaf 2 */
  g = parse("y = 2^-1\n");
  y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_POWK);
  ck_assert(g->exponent[y] == -1);
  ck_assert_int_eq(g->role[tu_operand(g, y, 0)], GDV_ROLE_CONST);
  gdv_graph_free(g);

  /* a-b-c: sub(sub(a, b), c) */
  g = parse("a = 10\nb = 3\nc = 2\ny = a-b-c\n");
  y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_SUB);
  ck_assert_uint_eq(tu_operand(g, y, 1), tu_find(g, "c"));
  gdv_id inner = tu_operand(g, y, 0);
  ck_assert_int_eq(g->op[inner], GDV_OP_SUB);
  ck_assert_uint_eq(tu_operand(g, inner, 0), tu_find(g, "a"));
  ck_assert_uint_eq(tu_operand(g, inner, 1), tu_find(g, "b"));
  ck_assert(g->grad[tu_find(g, "a")] == 1 && g->grad[tu_find(g, "c")] == -1);
  gdv_graph_free(g);

  g = parse("a = 12\nb = 3\nc = 2\ny = a/b/c\n");
  y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_DIV);
  ck_assert_uint_eq(tu_operand(g, y, 1), tu_find(g, "c"));
  ck_assert_int_eq(g->op[tu_operand(g, y, 0)], GDV_OP_DIV);
  ck_assert(g->value[y] == 2);
  gdv_graph_free(g);
}
END_TEST

START_TEST(chains_are_one_node) {
  gdv_graph *g = parse("a = 1\nb = 2\nc = 3\ny = a+b+c\n");
  gdv_id y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_ADD);
  ck_assert_uint_eq(gdv_fan_in(g, y), 3);
  ck_assert_uint_eq(tu_operand(g, y, 0), tu_find(g, "a"));
  ck_assert_uint_eq(tu_operand(g, y, 1), tu_find(g, "b"));
  ck_assert_uint_eq(tu_operand(g, y, 2), tu_find(g, "c"));
  ck_assert_uint_eq(g->n_nodes, 4);
  gdv_graph_free(g);

  g = parse("a = 1\nb = 2\nc = 3\ny = (a+b)+c\n");
  y = tu_find(g, "y");
  ck_assert_uint_eq(gdv_fan_in(g, y), 2);
  ck_assert_int_eq(g->op[tu_operand(g, y, 0)], GDV_OP_ADD);
  ck_assert_uint_eq(gdv_fan_in(g, tu_operand(g, y, 0)), 2);
  ck_assert_uint_eq(g->n_nodes, 5);
  gdv_graph_free(g);

  g = parse("a = 1\nb = 2\nc = 3\ny = a+(b+c)\n");
  y = tu_find(g, "y");
  ck_assert_uint_eq(gdv_fan_in(g, y), 2);
  ck_assert_int_eq(g->op[tu_operand(g, y, 1)], GDV_OP_ADD);
  gdv_graph_free(g);

  g = parse("a = 1\nb = 2\nc = 3\nd = 4\ny = a*b*c*d\n");
  y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_MUL);
  ck_assert_uint_eq(gdv_fan_in(g, y), 4);
  ck_assert(g->grad[tu_find(g, "b")] == 12);
  gdv_graph_free(g);

  /* a*b + c*d + a: one add of three, two muls */
  g = parse("a = 1\nb = 2\nc = 3\nd = 4\ny = a*b + c*d + a\n");
  y = tu_find(g, "y");
  ck_assert_uint_eq(gdv_fan_in(g, y), 3);
  ck_assert_int_eq(g->op[tu_operand(g, y, 0)], GDV_OP_MUL);
  ck_assert_int_eq(g->op[tu_operand(g, y, 1)], GDV_OP_MUL);
  ck_assert(g->value[y] == 15);
  ck_assert(g->grad[tu_find(g, "a")] == 3);   /* b + 1: fan-out of a */
  gdv_graph_free(g);

  /* a - b + c is add(sub(a, b), c), not a chain */
  g = parse("a = 1\nb = 2\nc = 3\ny = a - b + c\n");
  y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_ADD);
  ck_assert_int_eq(g->op[tu_operand(g, y, 0)], GDV_OP_SUB);
  gdv_graph_free(g);
}
END_TEST

START_TEST(pow_forms) {
  gdv_graph *g = parse("x = 3\ny = x ^ 2\n");
  gdv_id y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_POWK);
  ck_assert_uint_eq(gdv_fan_in(g, y), 1);
  ck_assert(g->exponent[y] == 2);
  ck_assert_uint_eq(g->n_nodes, 2);   /* no const leaf for the 2 */
  ck_assert(g->grad[tu_find(g, "x")] == 6);
  gdv_graph_free(g);

  g = parse("x = 3\nk = 2\ny = x ^ k\n");
  y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_POW);
  ck_assert_uint_eq(gdv_fan_in(g, y), 2);
  ck_assert(g->grad[tu_find(g, "x")] == 6);
  ck_assert(fabs(g->grad[tu_find(g, "k")] - 9 * log(3.0)) < 1e-14);
  gdv_graph_free(g);

  g = parse("x = 4\ny = x^0.5\n");
  ck_assert(g->value[tu_find(g, "y")] == 2);
  ck_assert(g->grad[tu_find(g, "x")] == 0.25);
  gdv_graph_free(g);

  g = parse("x = 3\ny = pow(x, 2)\n");
  y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_POW);   /* the call keeps two operands */
  ck_assert_uint_eq(gdv_fan_in(g, y), 2);
  gdv_graph_free(g);
}
END_TEST

START_TEST(names_and_roles) {
  gdv_graph *g = parse(
      "x = 2          # an input\n"
      "param w = -3\n"
      "const k = 0.5\n"
      "y = x\n"
      "a = x + 1\n"
      "b = x * w\n"
      "c = a + b*k\n");
  gdv_id x = tu_find(g, "x"), y = tu_find(g, "y"), c = tu_find(g, "c");
  ck_assert_int_eq(g->role[x], GDV_ROLE_INPUT);
  ck_assert_int_eq(g->role[tu_find(g, "w")], GDV_ROLE_PARAM);
  ck_assert_int_eq(g->role[tu_find(g, "k")], GDV_ROLE_CONST);
  ck_assert_int_eq(g->op[y], GDV_OP_IDENTITY);
  ck_assert_uint_eq(tu_operand(g, y, 0), x);
  /* the output is the last name assigned; y does not reach it */
  ck_assert_uint_eq(g->output, c);
  ck_assert(!g->reaches[y]);
  /* x is one node used by y, a and b: fan-out 3 */
  ck_assert_uint_eq(g->fan_out[x], 3);
  ck_assert(g->value[c] == 3 + -6 * 0.5);
  ck_assert(g->grad[x] == 1 + -3 * 0.5);
  ck_assert(g->grad[tu_find(g, "w")] == 2 * 0.5);
  /* the literal 1 is a const leaf labelled as written */
  gdv_id one = tu_operand(g, tu_find(g, "a"), 1);
  ck_assert_int_eq(g->role[one], GDV_ROLE_CONST);
  ck_assert_str_eq(g->label[one], "1");
  ck_assert_str_eq(g->name[one], "a#1");
  /* an intermediate node is drawn as its subexpression, its id is c#1 */
  gdv_id inner = tu_operand(g, c, 1);
  ck_assert_int_eq(g->op[inner], GDV_OP_MUL);
  ck_assert_str_eq(g->label[inner], "b\xC2\xB7k");
  ck_assert_str_eq(g->name[inner], "c#1");
  ck_assert_ptr_null(g->label[c]);
  ck_assert_int_eq(g->line[c], 7);
  gdv_graph_free(g);

  /* output picks another node; a name used twice in one expression is
   * one node with two edges */
  g = parse("x = 3\nsq = x*x\nz = sq + 1\noutput sq\n");
  gdv_id sq = tu_find(g, "sq");
  ck_assert_uint_eq(g->output, sq);
  ck_assert(!g->reaches[tu_find(g, "z")]);
  ck_assert_uint_eq(gdv_fan_in(g, sq), 2);
  ck_assert_uint_eq(g->fan_out[tu_find(g, "x")], 2);
  ck_assert(g->grad[tu_find(g, "x")] == 6);
  gdv_graph_free(g);

  /* negative literals fold, keep their text, drawn with the minus sign */
  g = parse("y = -2.50\n");
  ck_assert(g->value[0] == -2.5);
  ck_assert_int_eq(g->op[0], GDV_OP_LEAF);
  gdv_graph_free(g);
  g = parse("x = 1\ny = x * -2.50\n");
  gdv_id lit = tu_operand(g, tu_find(g, "y"), 1);
  ck_assert_str_eq(g->label[lit], "\xE2\x88\x92" "2.50");
  ck_assert(g->value[lit] == -2.5);
  gdv_graph_free(g);
}
END_TEST

/* The label of the node with id `id`. */
static const char *label_of(const gdv_graph *g, const char *id) {
  const char *l = g->label[tu_find(g, id)];
  ck_assert_ptr_nonnull(l);
  return l;
}

/* An intermediate node is drawn as its subexpression, with the operators
 * of the figures (· − ² ...), parentheses only where the reading needs
 * them; ids stay stmt#K. */
START_TEST(part_names) {
  /* examples/net-2-2-1.expr */
  gdv_graph *g = parse("x1 = 1\nx2 = 0.5\nconst y = 1\nw11 = 0.5\nw12 = -0.3\nb1 = 0.1\n"
                       "w21 = -0.4\nw22 = 0.8\nb2 = 0\nv1 = 1.2\nv2 = -0.7\nc = 0.2\n"
                       "z1 = w11*x1 + w12*x2 + b1\nz2 = w21*x1 + w22*x2 + b2\n"
                       "h1 = sigmoid(z1)\nh2 = sigmoid(z2)\nzo = v1*h1 + v2*h2 + c\n"
                       "a = sigmoid(zo)\nC = 0.5 * (a - y)^2\n");
  static const char *const want[][2] = {
      {"z1#1", "w11\xC2\xB7x1"}, {"z1#2", "w12\xC2\xB7x2"}, {"z2#1", "w21\xC2\xB7x1"},
      {"z2#2", "w22\xC2\xB7x2"}, {"zo#1", "v1\xC2\xB7h1"}, {"zo#2", "v2\xC2\xB7h2"},
      {"C#1", "a \xE2\x88\x92 y"}, {"C#2", "(a \xE2\x88\x92 y)\xC2\xB2"}, {"C#3", "0.5"}};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    ck_assert_str_eq(label_of(g, want[i][0]), want[i][1]);
  ck_assert_ptr_null(g->label[tu_find(g, "C")]);   /* a statement: its name */
  gdv_graph_free(g);

  g = parse("x = 2\nparam w = -3\n"
            "r = -(x + w) * -x^3 - -2.5 * x\n"
            "q = pow(x, w) + x^w + x^0.5 + x^-1 + 2^(x+w)\n"
            "m = max(x, w, 1) - (x - (w - x)) + x/(w*x) + x*(w/x)\n");
  static const char *const more[][2] = {
      {"r#1", "x + w"}, {"r#2", "\xE2\x88\x92(x + w)"}, {"r#3", "x\xC2\xB3"},
      {"r#4", "\xE2\x88\x92x\xC2\xB3"}, {"r#5", "\xE2\x88\x92(x + w)\xC2\xB7(\xE2\x88\x92x\xC2\xB3)"},
      {"r#6", "\xE2\x88\x92" "2.5"}, {"r#7", "\xE2\x88\x92" "2.5\xC2\xB7x"},
      {"q#1", "pow(x, w)"}, {"q#2", "x^w"}, {"q#3", "x^0.5"}, {"q#4", "x\xE2\x81\xBB\xC2\xB9"},
      {"q#5", "q\xE2\x82\x85"}, /* x + w, shown by r#1 already */
      {"q#6", "2"}, {"q#7", "2^(x + w)"},
      {"m#2", "max(x, w, 1)"}, {"m#3", "w \xE2\x88\x92 x"}, {"m#4", "x \xE2\x88\x92 (w \xE2\x88\x92 x)"},
      {"m#7", "x/(w\xC2\xB7x)"}, {"m#8", "w/x"}, {"m#9", "x\xC2\xB7(w/x)"}};
  for (size_t i = 0; i < sizeof more / sizeof *more; i++)
    ck_assert_str_eq(label_of(g, more[i][0]), more[i][1]);
  gdv_graph_free(g);
}
END_TEST

/* A number is drawn as written, a negative one with the minus sign U+2212
 * as a positive one without it; pi is a const leaf drawn as π; an alias
 * (swish) is drawn and written as its op (silu). */
#define MINUS "\xE2\x88\x92"
#define PI "\xCF\x80"
START_TEST(literals_as_drawn) {
  gdv_graph *g = parse("a = 3\nb = 1\nL = -0.5*(a-b)^2 + 2*a\nM = a - -2 + 1e-3*b + 2^-1\n"
                       "N = 2*pi*a - -pi + swish(a)\n");
  static const char *const want[][2] = {
      {"L#3", MINUS "0.5"}, {"L#4", MINUS "0.5\xC2\xB7(a " MINUS " b)\xC2\xB2"}, {"L#5", "2"},
      {"M#1", MINUS "2"}, {"M#2", "a " MINUS " (" MINUS "2)"}, {"M#3", "1e" MINUS "3"},
      {"M#5", "2"}, {"M#6", "2\xE2\x81\xBB\xC2\xB9"},
      {"N#1", "2"}, {"N#2", PI}, {"N#3", "2\xC2\xB7" PI "\xC2\xB7" "a"}, {"N#4", MINUS PI},
      {"N#5", "2\xC2\xB7" PI "\xC2\xB7" "a " MINUS " (" MINUS PI ")"}, {"N#6", "silu(a)"}};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    ck_assert_msg(strcmp(label_of(g, want[i][0]), want[i][1]) == 0, "%s is '%s', want '%s'",
                  want[i][0], label_of(g, want[i][0]), want[i][1]);
  /* the values: consts, -0.5 and -2 and π among them */
  ck_assert(g->value[tu_find(g, "L#3")] == -0.5 && g->role[tu_find(g, "L#3")] == GDV_ROLE_CONST);
  ck_assert(g->value[tu_find(g, "M#1")] == -2);
  ck_assert(g->value[tu_find(g, "N#2")] == 3.14159265358979323846);
  ck_assert(g->value[tu_find(g, "N#4")] == -3.14159265358979323846);
  ck_assert_int_eq(g->op[tu_find(g, "N#6")], GDV_OP_SILU);
  /* the groups' equations: minus signs, π and silu as drawn */
  ck_assert_str_eq(g->group_label[gdv_graph_find_group(g, "L")],
                   "L = " MINUS "0.5\xC2\xB7(a" MINUS "b)\xC2\xB2 + 2\xC2\xB7" "a");
  ck_assert_str_eq(g->group_label[gdv_graph_find_group(g, "M")],
                   "M = a " MINUS " " MINUS "2 + 1e" MINUS "3\xC2\xB7" "b + 2\xE2\x81\xBB\xC2\xB9");
  ck_assert_str_eq(g->group_label[gdv_graph_find_group(g, "N")],
                   "N = 2\xC2\xB7" PI "\xC2\xB7" "a " MINUS " " MINUS PI " + silu(a)");
  gdv_graph_free(g);
  /* a name assigned in the file is that node, not the constant */
  g = parse("pi = 3\ny = pi*2\n");
  ck_assert(g->value[tu_find(g, "y")] == 6);
  ck_assert_uint_eq(tu_operand(g, tu_find(g, "y"), 0), tu_find(g, "pi"));
  ck_assert_str_eq(g->group_label[0], "y = pi\xC2\xB7" "2");
  gdv_graph_free(g);
  /* pi inside a longer name is that name */
  parse_fails("pie = 1\ny = pie + api\n", 2, "undefined name 'api'");
}
END_TEST

/* A part longer than 16 characters, or one whose text another part shows
 * already, is drawn as its statement's name with its id's number as a
 * subscript: C#2 is C₂. */
START_TEST(part_names_subscripts) {
  gdv_graph *g = parse("x1 = 1\nx2 = 2\nw1 = 3\nw2 = 4\n"
                       "s = x1*w1 + x2*w2 + 1\n"
                       "t = (x1*w1 + x2*w2 + x1*w2) * 2\n"
                       "u = (x1*w1 + x2*w2) * (x1*w1 + x2*w2)\n"
                       "long_statement_name = tanh(x1 + x2 + w1 + w2 + x1*x2)\n");
  ck_assert_str_eq(label_of(g, "s#1"), "x1\xC2\xB7w1");
  ck_assert_str_eq(label_of(g, "t#1"), "t\xE2\x82\x81");   /* x1·w1 again */
  ck_assert_str_eq(label_of(g, "t#3"), "x1\xC2\xB7w2");
  ck_assert_str_eq(label_of(g, "t#4"), "t\xE2\x82\x84");   /* 21 characters */
  ck_assert_str_eq(label_of(g, "u#3"), "x1\xC2\xB7w1 + x2\xC2\xB7w2");   /* 13: first */
  ck_assert_str_eq(label_of(g, "u#6"), "u\xE2\x82\x86");   /* the same text again */
  ck_assert_str_eq(label_of(g, "long_statement_name#2"),
                   "long_statement_name\xE2\x82\x82");
  /* exactly 16 characters fits, 17 does not */
  gdv_graph_free(g);
  g = parse("abcdefg = 1\nabcdef = 2\ny = tanh(abcdefg + abcdef)\n"
            "z = tanh(abcdefg + abcdefg)\n");
  ck_assert_str_eq(label_of(g, "y#1"), "abcdefg + abcdef");
  ck_assert_str_eq(label_of(g, "z#1"), "z\xE2\x82\x81");
  gdv_graph_free(g);
}
END_TEST

/* The contract's neuron, with hand-derived gradients. */
START_TEST(neuron) {
  gdv_graph *g = parse(
      "x1 = 2\nx2 = 0\nparam w1 = -3\nparam w2 = 1\n"
      "param b = 6.8813735870195432\n"
      "n = x1*w1 + x2*w2 + b\no = tanh(n)\noutput o\n");
  gdv_id n = tu_find(g, "n");
  ck_assert_uint_eq(gdv_fan_in(g, n), 3);
  ck_assert(fabs(g->value[tu_find(g, "o")] - sqrt(0.5)) < 1e-12);
  ck_assert(fabs(g->grad[n] - 0.5) < 1e-12);
  ck_assert(fabs(g->grad[tu_find(g, "w1")] - 1.0) < 1e-12);
  ck_assert(fabs(g->grad[tu_find(g, "x1")] + 1.5) < 1e-12);
  ck_assert(g->grad[tu_find(g, "w2")] == 0);
  ck_assert(fabs(g->grad[tu_find(g, "x2")] - 0.5) < 1e-12);
  ck_assert(fabs(g->grad[tu_find(g, "b")] - 0.5) < 1e-12);
  gdv_graph_free(g);
}
END_TEST

START_TEST(nonfinite_values) {
  gdv_graph *g = parse("x = -1\ny = log(x)\n");
  ck_assert(isnan(g->value[tu_find(g, "y")]));
  ck_assert(g->grad[tu_find(g, "x")] == -1);
  gdv_graph_free(g);
  g = parse("x = 0\ny = 1 / x\n");
  ck_assert(isinf(g->value[tu_find(g, "y")]));
  gdv_graph_free(g);
}
END_TEST

/* Builds "y = " + n '(' + "x" + n ')' */
static char *nested(size_t n, const char *inner) {
  size_t len = 6 + 2 * n + strlen(inner) + 8;
  char *t = malloc(len + 32), *p = t;
  ck_assert_ptr_nonnull(t);
  p += sprintf(p, "x = 2\ny = ");
  memset(p, '(', n);
  p += n;
  p += sprintf(p, "%s", inner);
  memset(p, ')', n);
  p += n;
  strcpy(p, "\n");
  return t;
}

START_TEST(deep_nesting) {
  char *t = nested(100000, "x");
  gdv_graph *g = parse(t);
  gdv_id y = tu_find(g, "y");
  ck_assert_int_eq(g->op[y], GDV_OP_IDENTITY);
  ck_assert(g->value[y] == 2);
  gdv_graph_free(g);
  free(t);
  t = nested(100000, "x*x+1");
  g = parse(t);
  ck_assert(g->value[tu_find(g, "y")] == 5);
  ck_assert(g->grad[tu_find(g, "x")] == 4);
  gdv_graph_free(g);
  free(t);
  /* 100,000 nested calls: a chain of 100,000 nodes */
  size_t n = 100000;
  char *u = malloc(n * 5 + 32), *p = u;
  p += sprintf(p, "x = 0.5\ny = ");
  for (size_t i = 0; i < n; i++) p += sprintf(p, "neg(");
  *p++ = 'x';
  memset(p, ')', n);
  strcpy(p + n, "\n");
  g = parse(u);
  ck_assert_uint_eq(g->n_nodes, n + 1);
  ck_assert_str_eq(g->label[tu_find(g, "y#3")], "neg(neg(neg(x)))");   /* 16 */
  ck_assert_str_eq(g->label[tu_find(g, "y#4")], "y\xE2\x82\x84");
  ck_assert_str_eq(g->label[tu_find(g, "y#99999")],
                   "y\xE2\x82\x89\xE2\x82\x89\xE2\x82\x89\xE2\x82\x89\xE2\x82\x89");
  ck_assert(g->value[tu_find(g, "y")] == 0.5);
  ck_assert(g->grad[tu_find(g, "x")] == 1);
  gdv_graph_free(g);
  free(u);
  /* unbalanced at that depth: a clear error */
  t = nested(100000, "x");
  t[strlen(t) - 2] = ' ';
  parse_fails(t, 2, "unbalanced parentheses: missing ')'");
  free(t);
}
END_TEST

START_TEST(wide_chain) {
  /* x + x + ... 100,000 times: one add of 100,000 edges from x */
  size_t n = 100000;
  char *t = malloc(4 * n + 32), *p = t;
  p += sprintf(p, "x = 1.5\ny = x");
  for (size_t i = 1; i < n; i++) p += sprintf(p, " + x");
  strcpy(p, "\n");
  gdv_graph *g = parse(t);
  gdv_id y = tu_find(g, "y");
  ck_assert_uint_eq(g->n_nodes, 2);
  ck_assert_uint_eq(gdv_fan_in(g, y), n);
  ck_assert(g->value[y] == 1.5 * (double)n);
  ck_assert(g->grad[tu_find(g, "x")] == (double)n);
  gdv_graph_free(g);
  free(t);
}
END_TEST

START_TEST(errors) {
  parse_fails("", 0, "the graph is empty");
  parse_fails("# nothing\n\n", 0, "the graph is empty");
  parse_fails("x = 1\ny = x +\n", 2, "expected an expression at the end of the line");
  parse_fails("x = 1\ny = z * 2\n", 2, "undefined name 'z'");
  parse_fails("x = 1\ny = y + 1\n", 2, "undefined name 'y'");
  parse_fails("x = 1\n\nx = 2\n", 3, "'x' is assigned twice (first on line 1)");
  parse_fails("x = 1\ny = foo(x)\n", 2, "unknown function 'foo'");
  parse_fails("x = 1\ny = Tanh(x)\n", 2, "unknown function 'Tanh' (did you mean 'tanh'?)");
  parse_fails("x = 1\ny = swsh(x)\n", 2, "unknown function 'swsh' (did you mean 'swish'?)");
  parse_fails("x = 1\ny = logsumxp(x)\n", 2,
              "unknown function 'logsumxp' (did you mean 'logsumexp'?)");
  parse_fails("x = 1\ny = (x + 1\n", 2, "unbalanced parentheses: missing ')'");
  parse_fails("x = 1\ny = x + 1)\n", 2, "unbalanced parentheses: ')' without '('");
  parse_fails("x = 1\ny = tanh(x, x)\n", 2, "'tanh' takes 1 argument, it has 2");
  parse_fails("x = 1\ny = softplus(x, x)\n", 2,
              "'softplus' takes 1 argument, it has 2");
  parse_fails("x = 1\ny = clamp(x, 0)\n", 2, "'clamp' takes 3 arguments, it has 2");
  parse_fails("x = 1\ny = swish(x, x)\n", 2, "'swish' takes 1 argument, it has 2");
  parse_fails("x = 1\ny = logsumexp()\n", 2, "'logsumexp' needs an argument");
  parse_fails("x = 1\ny = mean(x, )\n", 2, "expected a name, a number or '(' but found ')'");
  parse_fails("x = 1\ny = sub(x, x, x)\n", 2, "'sub' takes 2 arguments, it has 3");
  parse_fails("x = 1\ny = add()\n", 2, "'add' needs an argument");
  parse_fails("x = 1e999\n", 1, "number '1e999' overflows a double");
  parse_fails("x = 0x10\n", 1, "'0x10' is not a number (decimal or exponent notation)");
  parse_fails("x = 1\ny = 2x\n", 2, "'2x' is not a number (decimal or exponent notation)");
  parse_fails("x = 1.2.3\n", 1, "'1.2.3' is not a number (decimal or exponent notation)");
  parse_fails("x = 1\ny = x $ 2\n", 2, "unexpected character '$'");
  parse_fails("x = 1\noutput z\n", 2, "output names 'z', which is never assigned");
  parse_fails("x = 1\noutput x\noutput x\n", 3,
              "a second 'output' statement (the first is on line 2)");
  parse_fails("x = 1\nparam y = x\n", 2,
              "'param' is for leaves: write param y = NUMBER");
  parse_fails("x = 1\ny = x x\n", 2, "expected an operator but found 'x'");
  parse_fails("x = 1\ny = max(x,)\n", 2,
              "expected a name, a number or '(' but found ')'");
  parse_fails("x = 1\ny = x, 2\n", 2, "',' outside a function call");
  parse_fails("= 3\n", 1, "expected a name at the start of the statement, found '='");
  parse_fails("x 3\n", 1, "expected '=' after 'x', found '3'");
  parse_fails("x = 1\ny = 2 (x)\n", 2, "expected an operator before '('");
  parse_fails("x = 1\ny = x ^ ^ 2\n", 2,
              "expected a name, a number or '(' but found '^'");
}
END_TEST

/* One case: every test here is a small parse, except the deep ones. */
/* The members of group k: how many, and whether `name` is one. */
static size_t members(const gdv_graph *g, gdv_id k) {
  size_t n = 0;
  for (size_t v = 0; v < g->n_nodes; v++) n += g->node_group[v] == k;
  return n;
}

/* Each statement with an expression is a group: its node and the op nodes
 * its expression made, not the leaves (literals included) nor other
 * statements' nodes; the label is its equation with · and −. Counted
 * without relying on the names of intermediate nodes. */
START_TEST(statement_groups) {
  gdv_graph *g = parse(
      "x1 = 1\nx2 = 0.5\nconst y = 1\nparam w11 = 0.5\nparam w12 = -0.3\n"
      "param b1 = 0.1\nparam w21 = -0.4\nparam w22 = 0.8\nparam b2 = 0\n"
      "param v1 = 1.2\nparam v2 = -0.7\nparam c = 0.2\n"
      "z1 = w11*x1 + w12*x2 + b1\nz2 = w21*x1 + w22*x2 + b2\n"
      "h1 = sigmoid(z1)\nh2 = sigmoid(z2)\nzo = v1*h1 + v2*h2 + c\n"
      "a = sigmoid(zo)   # the activation\nC =  0.5 * (a - y)^2\noutput C\n");
  static const char *const names[] = {"z1", "z2", "h1", "h2", "zo", "a", "C"};
  static const char *const labels[] = {
      "z1 = w11\xC2\xB7x1 + w12\xC2\xB7x2 + b1", "z2 = w21\xC2\xB7x1 + w22\xC2\xB7x2 + b2",
      "h1 = sigmoid(z1)", "h2 = sigmoid(z2)", "zo = v1\xC2\xB7h1 + v2\xC2\xB7h2 + c",
      "a = sigmoid(zo)", "C = 0.5 \xC2\xB7 (a \xE2\x88\x92 y)\xC2\xB2"};
  static const size_t sizes[] = {3, 3, 1, 1, 3, 1, 3};
  ck_assert_uint_eq(g->n_groups, 7);
  for (gdv_id k = 0; k < 7; k++) {
    ck_assert_str_eq(g->group_name[k], names[k]);
    ck_assert_str_eq(g->group_label[k], labels[k]);
    ck_assert_uint_eq(members(g, k), sizes[k]);
    ck_assert_uint_eq(g->node_group[tu_find(g, names[k])], k);
  }
  /* z1's members: the add and its two products, whose operands are leaves */
  gdv_id z1 = tu_find(g, "z1");
  ck_assert_uint_eq(g->node_group[tu_operand(g, z1, 0)], 0);
  ck_assert_uint_eq(g->node_group[tu_operand(g, z1, 1)], 0);
  ck_assert_uint_eq(g->node_group[tu_operand(g, z1, 2)], GDV_NONE);
  ck_assert_uint_eq(g->node_group[tu_find(g, "x1")], GDV_NONE);
  /* C = 0.5 * (...): the literal 0.5 is a const leaf outside the group */
  gdv_id half = tu_operand(g, tu_find(g, "C"), 0);
  ck_assert_uint_eq(g->op[half], GDV_OP_LEAF);
  ck_assert_uint_eq(g->node_group[half], GDV_NONE);
  ck_assert_uint_eq(gdv_graph_find_group(g, "zo"), 4);
  gdv_graph_free(g);
  /* leaves and `output` make no group; y = x makes one of one node */
  g = parse("x = 2\ny = x\n");
  ck_assert_uint_eq(g->n_groups, 1);
  ck_assert_str_eq(g->group_label[0], "y = x");
  ck_assert_uint_eq(members(g, 0), 1);
  gdv_graph_free(g);
  g = parse("x = 2\ny = x^-1 + x^2.5 + x^12 - x ^ 3 + x^2e1\n");
  ck_assert_str_eq(g->group_label[0], "y = x\xE2\x81\xBB\xC2\xB9 + x^2.5 + x\xC2\xB9\xC2\xB2 "
                   "\xE2\x88\x92 x ^ 3 + x^2e1");
  gdv_graph_free(g);
  g = parse("x = 2\n");
  ck_assert_uint_eq(g->n_groups, 0);
  ck_assert_ptr_null(g->node_group);
  gdv_graph_free(g);
}
END_TEST

static Suite *expr_suite(void) {
  Suite *s = suite_create("expr");
  TCase *tc = tcase_create("formulas");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, precedence_values);
  tcase_add_test(tc, precedence_shapes);
  tcase_add_test(tc, chains_are_one_node);
  tcase_add_test(tc, pow_forms);
  tcase_add_test(tc, names_and_roles);
  tcase_add_test(tc, part_names);
  tcase_add_test(tc, part_names_subscripts);
  tcase_add_test(tc, literals_as_drawn);
  tcase_add_test(tc, neuron);
  tcase_add_test(tc, statement_groups);
  tcase_add_test(tc, nonfinite_values);
  tcase_add_test(tc, deep_nesting);
  tcase_add_test(tc, wide_chain);
  tcase_add_test(tc, errors);
  suite_add_tcase(s, tc);
  return s;
}

/* One suite, run as TAP (see check_main.h). */
int main(void) { return gdv_check_run_suite(expr_suite()); }
