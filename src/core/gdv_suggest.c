/* gdv_suggest.c: "did you mean": the known name closest to a misspelt one.
 * Pure string functions, so that every layer (ops in io, styles and fonts
 * in render, commands and options in cli) asks the same question with one
 * measure and one threshold. */
#include <ctype.h>
#include <stdio.h>

#include "gdv.h"

/* Damerau-Levenshtein distance in its optimal-string-alignment form (an
 * insertion, deletion, substitution or swap of two neighbours costs 1:
 * "pgae" is 1 from "page"), ASCII letters compared without case. Both
 * texts are at most GDV_SUGGEST_MAX bytes: three rows on the stack. */
static size_t distance(const char *a, size_t n, const char *b, size_t m) {
  size_t rows[3][GDV_SUGGEST_MAX + 1];
  size_t *two = rows[0], *one = rows[1], *cur = rows[2];
  for (size_t j = 0; j <= m; j++) one[j] = j;
  for (size_t i = 1; i <= n; i++) {
    cur[0] = i;
    int ca = tolower((unsigned char)a[i - 1]);
    for (size_t j = 1; j <= m; j++) {
      int cb = tolower((unsigned char)b[j - 1]);
      size_t d = one[j - 1] + (ca != cb);
      if (one[j] + 1 < d) d = one[j] + 1;
      if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == cb && two[j - 2] + 1 < d)
        d = two[j - 2] + 1;
      cur[j] = d;
    }
    size_t *t = two;
    two = one;
    one = cur;
    cur = t;
  }
  return one[m];
}

void gdv_suggest_start(gdv_suggest *s, const char *word) {
  s->word = word;
  s->prefix = "";
  s->distance = SIZE_MAX;
  s->best[0] = '\0';
}

/* The first letters agree (without case), or the first two are swapped:
 * a slip rarely changes how a word begins, and a name that begins
 * otherwise is likely another thing ("gelu" is not a misspelt "relu"). */
static int same_start(const char *a, const char *b) {
  int a0 = tolower((unsigned char)a[0]), b0 = tolower((unsigned char)b[0]);
  return a0 == b0 || (a[1] && b[1] && a0 == tolower((unsigned char)b[1]) &&
                      tolower((unsigned char)a[1]) == b0);
}

/* Close means the same start (above) and at most one edit in three
 * characters of the longer name (and never more than three): "rendr",
 * "mull", "sigmod", "drak" and "pgae" are one edit from a name of 3 to 7
 * letters; "x" is not "exp" (two edits in three). A name that differs
 * only in case is always close. Of several, the fewest edits win, then
 * the alphabetically first, so the hint never depends on the order names
 * are offered in. */
void gdv_suggest_offer(gdv_suggest *s, const char *name) {
  size_t n = strlen(s->word), m = strlen(name);
  if (n == 0 || n > GDV_SUGGEST_MAX || m == 0 || m > GDV_SUGGEST_MAX ||
      strcmp(s->word, name) == 0 || !same_start(s->word, name))
    return;
  size_t d = distance(s->word, n, name, m);
  if (d > 3 || 3 * d > (n > m ? n : m)) return;
  if (d > s->distance || (d == s->distance && strcmp(name, s->best) >= 0)) return;
  s->distance = d;
  memcpy(s->best, name, m + 1);
}

/* The end of a message: "" or " (did you mean 'NAME'?)". */
const char *gdv_suggest_hint(const gdv_suggest *s, char *buf, size_t size) {
  if (size == 0) return "";
  buf[0] = '\0';
  if (s->best[0]) snprintf(buf, size, " (did you mean '%s%s'?)", s->prefix, s->best);
  return buf;
}

/* The hint for a word that names no op, from every name of the op table
 * and its aliases (read from the table itself, so an op added there is
 * suggested without a list to update). */
const char *gdv_op_hint(const char *word, char *buf, size_t size) {
  gdv_suggest s;
  gdv_suggest_start(&s, word);
  for (int op = GDV_OP_LEAF + 1; op < GDV_OP_COUNT; op++)
    gdv_suggest_offer(&s, gdv_op_get((gdv_op)op)->name);
  gdv_op op;
  const char *alias;
  for (size_t i = 0; (alias = gdv_op_alias(i, &op)) != NULL; i++) gdv_suggest_offer(&s, alias);
  return gdv_suggest_hint(&s, buf, size);
}
