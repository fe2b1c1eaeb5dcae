/* gdv_error.c: the error struct every fallible function fills. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gdv.h"

/* Fills err (the message from fmt and ap) and returns code. */
static gdv_status error_vset(gdv_error *err, gdv_setting setting, gdv_status code,
                             const char *file, long line, const char *fmt, va_list ap) {
  if (err == NULL) return code;
  err->code = code;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  err->setting = setting;
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  return code;
}

/* Fills err and returns code, so a failure is reported in one statement. */
gdv_status gdv_error_set(gdv_error *err, gdv_status code, const char *file,
                         long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  error_vset(err, GDV_SETTING_NONE, code, file, line, fmt, ap);
  va_end(ap);
  return code;
}

/* The same, with the setting that would help; the setting travels with
 * the error wherever it is copied. */
gdv_status gdv_error_set_about(gdv_error *err, gdv_setting setting, gdv_status code,
                               const char *file, long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  error_vset(err, setting, code, file, line, fmt, ap);
  va_end(ap);
  return code;
}

/* Resets err to "no error". */
void gdv_error_clear(gdv_error *err) {
  if (err == NULL) return;
  memset(err, 0, sizeof *err);
}

/* Every layer runs out of memory the same way: one sentence, no file
 * (the caller's file says nothing about the machine's memory). */
gdv_status gdv_error_oom(gdv_error *err) {
  return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
}
