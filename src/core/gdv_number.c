/* gdv_number.c: numbers in and out, exactly as the contract spells them. */
#include <math.h>
#include <stdint.h>
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

/* A writer that printed 0.5000 rounded to 4 decimals: anything within
 * 5e-5 prints the same, so that is the number's own precision. The
 * exponent is read by hand (no strtol): "1e-99999999999" must not wrap. */
double gdv_number_half_unit(const char *text) {
  const char *p = text;
  long frac_digits = 0, exponent = 0;
  int exp_negative = 0;
  if (*p == '+' || *p == '-') p++;
  while (*p >= '0' && *p <= '9') p++;
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; p++) frac_digits++;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') exp_negative = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++)
      if (exponent < 100000) exponent = 10 * exponent + (*p - '0');
  }
  long scale = (exp_negative ? -exponent : exponent) - frac_digits;
  if (scale < -400) return 0;
  if (scale > 400) return HUGE_VAL;
  return 0.5 * pow(10.0, (double)scale);
}

/* Tells the two refusals of gdv_parse_number apart, for messages. */
int gdv_number_overflows(const char *text) {
  return number_syntax(text) && isinf(strtod(text, NULL));
}

/* ---- writing: shortest round-trip text, as the old search wrote it ----
 *
 * The text is what `%.*g` gives for the smallest precision P (1..17) whose
 * text strtod reads back as x; that was once found by trying every P with
 * snprintf and strtod (up to 17 round trips). Now the decimal expansion of
 * x and of the two ends of its round-trip interval come at once from the
 * Ryu algorithm (Ulf Adams, "Ryu: fast float-to-string conversion", PLDI
 * 2018): 64-bit integers vr, vp, vm at one decimal scale, with flags telling
 * whether each is exact. Rounding vr to P digits (half to even, as glibc's
 * printf) and comparing against vm and vp decides each P exactly, with no
 * text and no strtod. Ryu's own output (shortest digits, nearest) can differ
 * from "the first P whose rounding reads back" at powers of two and ties, so
 * only its scaling is used here.
 *
 * gdv_number_table.h is written by scripts/gen-number-table.py (bl(i) is
 * the bit length of 5^i):
 *   inv[i] = (1 << (bl(i) - 1 + 125)) // 5**i + 1          for i < 342
 *   pow[i] = 5**i >> (bl(i) - 125) if bl(i) >= 125 else 5**i << (125 - bl(i))
 * both in one table of {low 64 bits, high 64 bits} rows, inv first. */

#include "gdv_number_table.h"

/* (a * b) as two 64-bit halves: in portable C (C11 has no 128-bit type),
 * or with the compiler's 128-bit integers where it has them (faster). */
static uint64_t mul_64x64(uint64_t a, uint64_t b, uint64_t *high) {
#if defined(__SIZEOF_INT128__)
  __extension__ typedef unsigned __int128 u128;
  u128 product = (u128)a * b;
  *high = (uint64_t)(product >> 64);
  return (uint64_t)product;
#else
  uint64_t a_lo = (uint32_t)a, a_hi = a >> 32, b_lo = (uint32_t)b, b_hi = b >> 32;
  uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi;
  uint64_t hi_hi = a_hi * b_hi;
  uint64_t cross = (lo_lo >> 32) + (uint32_t)hi_lo + lo_hi;
  *high = hi_hi + (hi_lo >> 32) + (cross >> 32);
  return (cross << 32) | (uint32_t)lo_lo;
#endif
}

/* Ryu's mulShift64: (m * mul) >> j for a 125-bit mul, 64 < j < 128+64. */
static uint64_t mul_shift(uint64_t m, const uint64_t mul[2], int j) {
  uint64_t high0, high1;
  mul_64x64(m, mul[0], &high0);
  uint64_t low1 = mul_64x64(m, mul[1], &high1);
  uint64_t sum = high0 + low1;
  high1 += sum < high0;
  int shift = j - 64;
  return shift >= 64 ? high1 >> (shift - 64)
                     : (high1 << (63 - shift) << 1) | (sum >> shift);
}

/* How many times 5 divides v (v > 0). */
static int pow5_factor(uint64_t v) {
  int count = 0;
  while (v % 5 == 0) { v /= 5; count++; }
  return count;
}

/* How many times 2 divides v (v > 0). */
static int pow2_factor(uint64_t v) {
  int count = 0;
  while ((v & 1) == 0) { v >>= 1; count++; }
  return count;
}

/* x's expansion at one decimal scale 10^e10: floors of x (vr), of the low
 * and high midpoints (vm, vp), each with "the floor is the exact value". */
typedef struct {
  uint64_t vr, vp, vm;
  int vr_exact, vp_exact, vm_exact, accept_bounds, e10;
} decimal_view;

/* Ryu's first step, for finite nonzero |x|; the exactness flags are worked
 * out for all three values (Ryu needs fewer). */
static void decimal_view_of(double x, decimal_view *d) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  uint64_t mantissa = bits & ((UINT64_C(1) << 52) - 1);
  int exponent = (int)((bits >> 52) & 0x7ff);
  int e2 = (exponent ? exponent : 1) - 1023 - 52 - 2;
  uint64_t m2 = exponent ? (UINT64_C(1) << 52) | mantissa : mantissa;
  int mm_shift = mantissa != 0 || exponent <= 1;
  uint64_t mv = 4 * m2, mp = mv + 2, mm = mv - 1 - (uint64_t)mm_shift;
  d->accept_bounds = (m2 & 1) == 0;
  if (e2 >= 0) {
    int q = (int)(((uint32_t)e2 * 78913) >> 18) - (e2 > 3);
    int k = 125 + (int)(((uint32_t)q * 1217359) >> 19) + 1 - 1;
    int i = -e2 + q + k;
    d->e10 = q;
    d->vr = mul_shift(mv, GDV_POW5_INV_SPLIT(q), i);
    d->vp = mul_shift(mp, GDV_POW5_INV_SPLIT(q), i);
    d->vm = mul_shift(mm, GDV_POW5_INV_SPLIT(q), i);
    /* x / 10^q = mv * 2^(e2-q) / 5^q, and e2 >= q. */
    d->vr_exact = pow5_factor(mv) >= q;
    d->vp_exact = pow5_factor(mp) >= q;
    d->vm_exact = pow5_factor(mm) >= q;
  } else {
    int q = (int)(((uint32_t)-e2 * 732923) >> 20) - (-e2 > 1);
    int i = -e2 - q;
    int k = (int)(((uint32_t)i * 1217359) >> 19) + 1 - 125;
    d->e10 = q + e2;
    d->vr = mul_shift(mv, GDV_POW5_SPLIT(i), q - k);
    d->vp = mul_shift(mp, GDV_POW5_SPLIT(i), q - k);
    d->vm = mul_shift(mm, GDV_POW5_SPLIT(i), q - k);
    /* x / 10^e10 = mv * 5^i / 2^q. */
    d->vr_exact = q < 64 && pow2_factor(mv) >= q;
    d->vp_exact = q < 64 && pow2_factor(mp) >= q;
    d->vm_exact = q < 64 && pow2_factor(mm) >= q;
  }
}

static const uint64_t powers_of_ten[20] = {
  UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
  UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000),
  UINT64_C(100000000), UINT64_C(1000000000), UINT64_C(10000000000),
  UINT64_C(100000000000), UINT64_C(1000000000000), UINT64_C(10000000000000),
  UINT64_C(100000000000000), UINT64_C(1000000000000000),
  UINT64_C(10000000000000000), UINT64_C(100000000000000000),
  UINT64_C(1000000000000000000), UINT64_C(10000000000000000000)};

/* Decimal digits in v (v > 0). */
static int digit_count(uint64_t v) {
  int n = 1;
  while (n < 20 && v >= powers_of_ten[n]) n++;
  return n;
}

/* Whether c * 10^r (at the view's scale) reads back as x: inside the
 * round-trip interval, whose ends count when x's mantissa is even. */
static int reads_back(const decimal_view *d, uint64_t c, int r) {
  if (c > UINT64_MAX / powers_of_ten[r]) return 0;
  uint64_t value = c * powers_of_ten[r];
  int above_low = value > d->vm || (value == d->vm && d->vm_exact && d->accept_bounds);
  int below_high = value < d->vp ||
                   (value == d->vp && (d->accept_bounds || !d->vp_exact));
  return above_low && below_high;
}

/* Finds the old search's answer: the fewest digits P whose rounding of x
 * reads back. Gives the rounded digits in *digits (P digits, or P+1 when
 * rounding carried to 10^P), its power of ten *power (value = digits *
 * 10^power) and P; 0 when no P up to the view's own digits fits. */
static int shortest_rounding(const decimal_view *d, uint64_t *digits, int *power, int *precision) {
  int length = digit_count(d->vr);
  int found = 0;
  uint64_t kept = d->vr, removed_exact = d->vr_exact;
  uint64_t high_kept = d->vp, low_kept = d->vm;
  int last_removed = 0, low_rest_zero = 1;
  /* r digits removed; keeping the answer with the most removed. Once no
   * multiple of 10^r lies in [vm, vp], none of 10^(r+1) does either. */
  for (int r = 0; r < length; r++) {
    if (r > 0) {
      removed_exact = removed_exact && last_removed == 0;
      last_removed = (int)(kept % 10);
      kept /= 10;
      low_rest_zero = low_rest_zero && low_kept % 10 == 0;
      low_kept /= 10;
      high_kept /= 10;
      if (high_kept < low_kept || (high_kept == low_kept && !low_rest_zero)) break;
    }
    int round_up;
    if (r == 0) {
      if (!d->vr_exact) continue;
      round_up = 0;
    } else if (last_removed != 5) {
      round_up = last_removed > 5;
    } else {
      round_up = !removed_exact || (kept & 1);
    }
    uint64_t c = kept + (uint64_t)round_up;
    if (reads_back(d, c, r)) {
      *digits = c;
      *power = r + d->e10;
      *precision = length - r;
      found = 1;
    }
  }
  return found;
}
/* The old search, kept for what the view cannot decide (never seen in
 * tests; a safety net, not a path). */
static void format_by_search(double x, char *text, size_t size) {
  for (int digits = 1; digits <= 17; digits++) {
    snprintf(text, size, "%.*g", digits, x);
    if (strtod(text, NULL) == x) break;
  }
}

/* Spells digits * 10^power as `%.*g` with the given precision would:
 * fixed when -4 <= exponent < precision, else d.ddde+XX; trailing zeros
 * and a bare point dropped. Returns the length written into text (>= 32). */
static size_t spell_g(int negative, uint64_t digits, int power, int precision, char *text) {
  char ds[24];
  int n = 0;
  for (uint64_t v = digits; v; v /= 10) ds[n++] = (char)('0' + v % 10);
  int exponent = n - 1 + power;
  int kept = n;
  while (kept > 1 && ds[n - kept] == '0') kept--;
  /* ds holds the digits backwards; the first kept ones (from the top) count. */
  size_t at = 0;
  if (negative) text[at++] = '-';
  if (exponent >= -4 && exponent < precision) {
    if (exponent < 0) {
      text[at++] = '0';
      text[at++] = '.';
      for (int z = -1; z > exponent; z--) text[at++] = '0';
      for (int k = 0; k < kept; k++) text[at++] = ds[n - 1 - k];
    } else {
      for (int k = 0; k <= exponent; k++) text[at++] = k < kept ? ds[n - 1 - k] : '0';
      if (kept > exponent + 1) text[at++] = '.';
      for (int k = exponent + 1; k < kept; k++) text[at++] = ds[n - 1 - k];
    }
  } else {
    text[at++] = ds[n - 1];
    if (kept > 1) text[at++] = '.';
    for (int k = 1; k < kept; k++) text[at++] = ds[n - 1 - k];
    text[at++] = 'e';
    text[at++] = exponent < 0 ? '-' : '+';
    int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude >= 100) text[at++] = (char)('0' + magnitude / 100);
    text[at++] = (char)('0' + magnitude / 10 % 10);
    text[at++] = (char)('0' + magnitude % 10);
  }
  text[at] = '\0';
  return at;
}

/* Writes the shortest %g text that strtod turns back into x (see above):
 * JSON, CSV, text and DOT all spell numbers through here. */
char *gdv_number_text(double x, char *buf, size_t size) {
  char text[40];
  decimal_view view;
  uint64_t digits;
  int power, precision;
  if (size == 0) return buf;
  if (x == 0) {
    snprintf(text, sizeof text, signbit(x) ? "-0" : "0");
  } else if (!isfinite(x)) {
    snprintf(text, sizeof text, "%.17g", x);
  } else {
    decimal_view_of(x, &view);
    if (shortest_rounding(&view, &digits, &power, &precision))
      spell_g(signbit(x) != 0, digits, power, precision, text);
    else
      format_by_search(x, text, sizeof text);
  }
  size_t length = strlen(text);
  if (length >= size) length = size - 1;
  memcpy(buf, text, length);
  buf[length] = '\0';
  return buf;
}
