/* check_main.h: what every Check program here ends with. Check writes TAP
 * to stdout because the harness sets CK_TAP_LOG_FILE_NAME=-; CK_NORMAL adds
 * each failure's message to the test's log. */
#ifndef GDV_CHECK_MAIN_H
#define GDV_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/* Check writes a mark to its log for every assertion that passes, so that
 * a test that crashes can name the last one reached: a system call per
 * assertion, and the loops here assert once a pixel or a double (test_png
 * spent 4.3 s of system time on 1.6 million marks, test_core 2.7 s). Here
 * a passing assertion costs nothing; a failing one reports as before, and
 * a crash names its test (the sanitizer build adds the stack). Every
 * ck_assert_* of check.h goes through ck_assert_msg. */
#undef ck_assert_msg
#define ck_assert_msg(expr, ...)                                                       \
  ((expr) ? (void)0                                                                    \
          : _ck_assert_failed(__FILE__, __LINE__, "Assertion '" #expr "' failed",   \
                              ##__VA_ARGS__))

/* Runs the suite (freeing it) and turns its failures into the exit status. */
static inline int gdv_check_run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
