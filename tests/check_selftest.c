/* check_selftest.c: assertions that must fail, under check_main.h's
 * ck_assert_msg (which drops Check's mark on a pass). Not a test of its
 * own: tests/check_selftest.sh runs it and reads what it reports, so a
 * broken redefinition that let every assertion pass fails the suite. */
#include <check.h>
#include <stddef.h>

#include "check_main.h"

/* Passing assertions of each family leave the test passing. */
START_TEST(all_pass) {
  ck_assert(1 + 1 == 2);
  ck_assert_msg(2 > 1, "two is not above one");
  ck_assert_int_eq(2 + 2, 4);
  ck_assert_uint_lt(3u, 4u);
  ck_assert_str_eq("grad", "grad");
  ck_assert_double_eq_tol(0.1 + 0.2, 0.3, 1e-12);
  ck_assert_ptr_null(NULL);
}
END_TEST

START_TEST(int_fails) {
  ck_assert_int_eq(2 + 2, 5);
}
END_TEST

START_TEST(msg_fails) {
  ck_assert_msg(0 > 1, "zero is %d", 0);
}
END_TEST

START_TEST(str_fails) {
  ck_assert_str_eq("local", "grad");
}
END_TEST

/* The first of two fails and stops the test: the second never runs. */
START_TEST(first_failure_stops) {
  ck_assert_uint_eq(1u, 2u);
  ck_assert_msg(0, "after the first failure");
}
END_TEST

int main(void) {
  Suite *s = suite_create("check_selftest");
  TCase *tc = tcase_create("asserts");
  tcase_add_test(tc, all_pass);
  tcase_add_test(tc, int_fails);
  tcase_add_test(tc, msg_fails);
  tcase_add_test(tc, str_fails);
  tcase_add_test(tc, first_failure_stops);
  suite_add_tcase(s, tc);
  return gdv_check_run_suite(s);
}
