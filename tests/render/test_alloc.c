/* test_alloc.c: running out of memory is a system failure (exit 3), never
 * bad input (exit 2). The program is linked with --wrap for malloc, calloc,
 * realloc, strdup and strndup, so the gradviz libraries' allocations (not
 * cgraph's or Check's) pass through the wrappers below; each test makes the
 * Kth allocation fail, for every K until a parse needs no more. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_main.h"
#include "io/gdv_io.h"
#include "render/gdv_render.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static long fail_at = -1;  /* the allocation to fail (0-based), -1: none */
static long counted;       /* allocations since the test armed the counter */

/* 1 when this allocation is the one to fail. */
static int fails(void) {
  return fail_at >= 0 && counted++ == fail_at;
}

void *__wrap_malloc(size_t n) { return fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fails() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fails() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fails() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fails() ? NULL : __real_strndup(s, n); }

/* Every attribute path of the reader: title, rankdir, a graph attribute
 * kept for batch settings, roles, arg on edges. */
static const char dot_text[] =
    "digraph G {\n  label=\"t\"; rankdir=LR; gradviz_precision=3;\n"
    "  a [value=1]; b [value=2, role=param];\n  c [op=mul, label=\"c\"];\n"
    "  a -> c [arg=0];\n  b -> c [arg=1];\n}\n";

START_TEST(test_dot_out_of_memory) {
  long k;
  for (k = 0; k < 100000; k++) {
    gdv_graph *g = NULL;
    char **attrs = NULL;
    gdv_error err;
    gdv_error_clear(&err);
    counted = 0;
    fail_at = k;
    gdv_status st = gdv_dot_parse("g.dot", dot_text, strlen(dot_text), &g, &attrs, &err);
    fail_at = -1;
    if (counted <= k) {  /* no allocation failed: the parse is complete */
      ck_assert_int_eq(st, GDV_OK);
      gdv_graph_free(g);
      for (char **a = attrs; a && *a; a++) free(*a);
      free(attrs);
      break;
    }
    ck_assert_msg(st == GDV_OK || st == GDV_ERR_SYSTEM,
                  "allocation %ld failed: status %d, '%s:%ld: %s'", k, (int)st,
                  err.file, err.line, err.message);
    if (st == GDV_OK) {
      gdv_graph_free(g);
      for (char **a = attrs; a && *a; a++) free(*a);
      free(attrs);
    }
  }
  ck_assert_int_gt(k, 10);  /* the parse did allocate, so failures were tried */
}
END_TEST

/* The formula reader, the same way. */
START_TEST(test_expr_out_of_memory) {
  static const char text[] = "x = 2\nparam w = -3\nb = 1\nn = x*w + b\no = tanh(n)\noutput o\n";
  long k;
  for (k = 0; k < 100000; k++) {
    gdv_graph *g = NULL;
    gdv_error err;
    gdv_error_clear(&err);
    counted = 0;
    fail_at = k;
    gdv_status st = gdv_expr_parse("g.expr", text, strlen(text), &g, &err);
    fail_at = -1;
    if (st == GDV_OK) gdv_graph_free(g);
    if (counted <= k) {
      ck_assert_int_eq(st, GDV_OK);
      break;
    }
    ck_assert_msg(st == GDV_OK || st == GDV_ERR_SYSTEM,
                  "allocation %ld failed: status %d, '%s:%ld: %s'", k, (int)st,
                  err.file, err.line, err.message);
  }
  ck_assert_int_gt(k, 10);
}
END_TEST

/* The style loader, with and without an error struct (NULL is allowed). */
START_TEST(test_style_out_of_memory) {
  long k;
  for (k = 0; k < 10000; k++) {
    gdv_style st;
    gdv_error err;
    counted = 0;
    fail_at = k;
    gdv_status s1 = gdv_style_load("print", &st, &err);
    fail_at = -1;
    if (counted <= k) {
      ck_assert_int_eq(s1, GDV_OK);
      break;
    }
    ck_assert_msg(s1 == GDV_OK || s1 == GDV_ERR_SYSTEM, "allocation %ld: %s", k, err.message);
    counted = 0;
    fail_at = k;
    gdv_status s2 = gdv_style_load("print", &st, NULL);
    fail_at = -1;
    ck_assert_int_eq(s2, s1);
  }
  ck_assert_int_gt(k, 0);
}
END_TEST

Suite *alloc_suite(void);
/* The suite: one case, since every test shares the allocation counter. */
Suite *alloc_suite(void) {
  Suite *s = suite_create("alloc");
  TCase *tc = tcase_create("out of memory");
  tcase_add_test(tc, test_dot_out_of_memory);
  tcase_add_test(tc, test_expr_out_of_memory);
  tcase_add_test(tc, test_style_out_of_memory);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return gdv_check_run_suite(alloc_suite()); }
