/* check_main.h: what every Check program here ends with. Check writes TAP
 * to stdout because the harness sets CK_TAP_LOG_FILE_NAME=-; CK_NORMAL adds
 * each failure's message to the test's log. */
#ifndef GDV_CHECK_MAIN_H
#define GDV_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/* Runs the suite (freeing it) and turns its failures into the exit status. */
static inline int gdv_check_run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
