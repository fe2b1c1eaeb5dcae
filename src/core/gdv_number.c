/* gdv_number.c: numbers in and out, exactly as the contract spells them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdv.h"

/* True when text is [+-](digits[.digits]|.digits)[(e|E)[+-]digits] and
 * nothing else, so that strtod's extras (nan, inf, hex) never sneak in. */
static int number_syntax(const char *text) {
  const char *p = text;
  size_t int_digits = 0, frac_digits = 0;
  if (*p == '+' || *p == '-') p++;
  while (*p >= '0' && *p <= '9') { p++; int_digits++; }
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9') { p++; frac_digits++; }
  }
  if (int_digits + frac_digits == 0) return 0;
  if (*p == 'e' || *p == 'E') {
    size_t exp_digits = 0;
    p++;
    if (*p == '+' || *p == '-') p++;
    while (*p >= '0' && *p <= '9') { p++; exp_digits++; }
    if (exp_digits == 0) return 0;
  }
  return *p == '\0';
}

/* Returns 1 if the text is such a number and fits a double. */
int gdv_parse_number(const char *text, double *out) {
  if (!number_syntax(text)) return 0;
  double v = strtod(text, NULL);
  /* strtod's ERANGE also flags underflow; only overflow is an error. */
  if (isinf(v)) return 0;
  *out = v;
  return 1;
}

/* Tells the two refusals of gdv_parse_number apart, for messages. */
int gdv_number_overflows(const char *text) {
  return number_syntax(text) && isinf(strtod(text, NULL));
}

/* Writes the shortest %g text that strtod turns back into x. */
char *gdv_format_double(double x, char *buf, size_t size) {
  if (x == 0) {
    snprintf(buf, size, signbit(x) ? "-0" : "0");
    return buf;
  }
  for (int digits = 1; digits <= 17; digits++) {
    snprintf(buf, size, "%.*g", digits, x);
    if (strtod(buf, NULL) == x) break;
  }
  return buf;
}
