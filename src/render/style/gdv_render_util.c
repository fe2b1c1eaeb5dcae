/* gdv_render_util.c: numbers as figures print them, --show lists, output
 * formats, and the text helpers every figure shares (a growable string,
 * DOT quoting). */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* ¹²³ sit in Latin-1, the others in U+2070... */
const char *const gdv_superscript_digit[10] = {
    "\xE2\x81\xB0", "\xC2\xB9",     "\xC2\xB2",     "\xC2\xB3",     "\xE2\x81\xB4",
    "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};

/* Digits as Unicode superscripts or subscripts: a slide should say 10⁻⁵,
 * not e-05, and a²₃ (layer 2, unit 3) as plain text that every output
 * format shows without markup. Stops quietly at the end of out. */
char *gdv_script_digits(long v, int sub, char *out, size_t size) {
  char num[24];
  size_t k = 0;
  if (size == 0) return out;
  snprintf(num, sizeof num, "%ld", v);
  for (const char *p = num; *p; p++) {
    /* subscripts ₀..₉ and ₋ are one run (U+2080..); superscript minus ⁻ */
    char d[4] = {'\xE2', '\x82', (char)(0x80 + (*p - '0')), 0};
    const char *glyph = d;
    if (*p == '-') glyph = sub ? "\xE2\x82\x8B" : "\xE2\x81\xBB";
    else if (!sub) glyph = gdv_superscript_digit[*p - '0'];
    size_t n = strlen(glyph);
    if (k + n >= size) break;
    memcpy(out + k, glyph, n);
    k += n;
  }
  out[k] = '\0';
  return out;
}

/* Drops trailing zeros of a fixed or mantissa text ("2.500" -> "2.5"). */
static void trim_zeros(char *s) {
  char *dot = strchr(s, '.');
  if (dot == NULL) return;
  char *end = s + strlen(s);
  while (end > dot + 1 && end[-1] == '0') end--;
  if (end == dot + 1) end = dot;
  *end = '\0';
}

/* Numbers written lately, by bits and precision: the planner writes each
 * value and gradient again for every candidate it lays out, and the two
 * printfs were a seventh of a figure's time. Direct-mapped: a slot holds
 * the last number that hashed to it. */
#define NUMBER_MEMO_SLOTS 4096
static struct {
  uint64_t bits;
  int precision;   /* 0: empty */
  char text[GDV_NUMBER_MAX * 2];
} number_memo[NUMBER_MEMO_SLOTS];

static char *figure_number_now(double x, int precision, char *buf, size_t size);

/* For reading on a slide, not round-tripping: a fixed number of significant
 * digits, a typographic minus, and never "-0". */
char *gdv_figure_number(double x, int precision, char *buf, size_t size) {
  if (precision < 1) precision = 1;
  if (precision > 17) precision = 17;
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  uint64_t h = gdv_hash(gdv_hash(GDV_HASH_START, &bits, sizeof bits), &precision, sizeof precision);
  size_t slot = (size_t)(h % NUMBER_MEMO_SLOTS);
  if (number_memo[slot].precision != precision || number_memo[slot].bits != bits) {
    figure_number_now(x, precision, number_memo[slot].text, sizeof number_memo[slot].text);
    number_memo[slot].bits = bits;
    number_memo[slot].precision = precision;
  }
  size_t len = strlen(number_memo[slot].text);
  if (len < size) {
    memcpy(buf, number_memo[slot].text, len + 1);
    return buf;
  }
  return figure_number_now(x, precision, buf, size);  /* cut as it cuts */
}

/* gdv_figure_number without the memo. */
static char *figure_number_now(double x, int precision, char *buf, size_t size) {
  char tmp[GDV_NUMBER_MAX * 2];
  if (precision < 1) precision = 1;  /* again: the compiler sees the bound */
  if (precision > 17) precision = 17;
  if (isnan(x)) {
    snprintf(buf, size, "NaN");
    return buf;
  }
  if (isinf(x)) {
    snprintf(buf, size, "%s\xE2\x88\x9E", x < 0 ? "\xE2\x88\x92" : "");
    return buf;
  }
  if (x == 0) x = 0; /* no "-0" */
  double ax = fabs(x);
  char sci[GDV_NUMBER_MAX];
  snprintf(sci, sizeof sci, "%.*e", precision - 1, x);
  char *e = strchr(sci, 'e');
  int expo = e ? atoi(e + 1) : 0;
  if (ax != 0 && (expo >= 6 || expo < -4)) {
    char sup[24];
    *e = '\0';
    trim_zeros(sci);
    gdv_script_digits(expo, 0, sup, sizeof sup);
    snprintf(tmp, sizeof tmp, "%s\xC3\x97" "10%s", sci, sup);
  } else {
    int decimals = precision - 1 - expo;
    if (decimals < 0) decimals = 0;
    snprintf(tmp, sizeof tmp, "%.*f", decimals, x);
    trim_zeros(tmp);
    if (strcmp(tmp, "-0") == 0) snprintf(tmp, sizeof tmp, "0");
  }
  return gdv_minus_sign(tmp, buf, size);
}

/* Maps one --show word to its bits. */
static unsigned show_bits(const char *word, size_t n) {
  static const struct { const char *name; unsigned bits; } words[] = {
    {"values", GDV_SHOW_VALUES}, {"grads", GDV_SHOW_GRADS},
    {"locals", GDV_SHOW_LOCALS}, {"edge-grads", GDV_SHOW_EDGE_GRADS},
    {"sums", GDV_SHOW_SUMS}, {"legend", GDV_SHOW_LEGEND},
    {"title", GDV_SHOW_TITLE}, {"flow", GDV_SHOW_FLOW},
    {"ops", GDV_SHOW_OPS}, {"recorded", GDV_SHOW_RECORDED},
    {"all", GDV_SHOW_ALL}, {"none", 0}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strlen(words[i].name) == n && strncmp(words[i].name, word, n) == 0)
      return words[i].bits;
  return ~0u;
}

/* Starts from *show, so several --show options build on one another in
 * order. */
gdv_status gdv_show_parse(const char *list, unsigned *show, gdv_error *err) {
  unsigned cur = *show;
  int first = 1;
  const char *p = list;
  while (*p) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char sign = 0;
    if (n > 0 && (*p == '-' || *p == '+')) {
      sign = *p;
      p++;
      n--;
    }
    unsigned bits = show_bits(p, n);
    if (bits == ~0u)
      return gdv_error_set(err, GDV_ERR_INPUT, "", 0,
                           "unknown item '%.*s' (values, grads, "
                           "locals, edge-grads, sums, legend, title, flow, "
                           "ops, recorded, all, none)", (int)n, p);
    if (sign == '-') cur &= ~bits;
    else if (bits == GDV_SHOW_RECORDED) cur |= bits;  /* beside, not instead */
    else if (sign == '+' || !first) cur |= bits;
    else cur = bits;
    first = 0;
    p += n;
    if (*p == ',') p++;
  }
  *show = cur;
  return GDV_OK;
}

/* The names must stay in the enum's order, since the index is the format;
 * "gv" is DOT's other suffix. */
int gdv_figure_format_lookup(const char *name, gdv_figure_format *out) {
  static const char *const names[] = {"png", "svg", "pdf", "dot", "html", "gif", "tex"};
  for (int i = 0; i < 7; i++)
    if (strcmp(name, names[i]) == 0) {
      *out = (gdv_figure_format)i;
      return 1;
    }
  if (strcmp(name, "gv") == 0) {
    *out = GDV_FIGURE_DOT;
    return 1;
  }
  return 0;
}

/* Only the last component counts: a dot in a directory name is not a
 * suffix. Any case, as file managers and cameras write FIG.PNG. */
int gdv_figure_format_from_path(const char *path, gdv_figure_format *out) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (dot == NULL || (slash && slash > dot)) return 0;
  char lower[5];
  size_t n = strlen(dot + 1);
  if (n >= sizeof lower) return 0;
  for (size_t i = 0; i <= n; i++) lower[i] = (char)tolower((unsigned char)dot[1 + i]);
  return gdv_figure_format_lookup(lower, out);
}

/* Remembers failure instead of returning it, so a caller composes a whole
 * line and checks once. */
void gdv_sbuf_printf(gdv_sbuf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    if (b->failed) return;
    va_start(ap, fmt);
    int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) { b->failed = 1; return; }
    if (b->s && b->n + (size_t)k < b->cap) { b->n += (size_t)k; return; }
    size_t nc = (b->cap + (size_t)k + 64) * 2;
    char *t = realloc(b->s, nc);
    if (t == NULL) { b->failed = 1; return; }
    b->s = t;
    b->cap = nc;
    if (b->n == 0) b->s[0] = '\0';
  }
}

/* Keeps the memory for the next line. */
void gdv_sbuf_clear(gdv_sbuf *b) {
  b->n = 0;
  if (b->s) b->s[0] = '\0';
}

/* Every DOT file gradviz writes quotes through here. Backslashes go out as
 * they are: in DOT only \" is an escape (and \\ a pair that stays two
 * characters), so a label's `\n` reads back as written, not doubled on
 * each round trip. A newline is written as `\n`, which a label reads as
 * the same line break. */
void gdv_dot_quoted(FILE *f, const char *s) {
  size_t run = 0;           /* backslashes just written */
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\n') {
      if (run % 2) fputc('\\', f);  /* not representable: one more */
      fputs(*s == '"' ? "\\\"" : "\\n", f);
      run = 0;
      continue;
    }
    run = *s == '\\' ? run + 1 : 0;
    fputc(*s, f);
  }
  if (run % 2) fputc('\\', f);      /* else it would escape the closing quote */
  fputc('"', f);
}
