/* gdv_util.c: the small tools every layer shares (gdv_util.h): hashing,
 * the index of items by hash, growing arrays, the minus sign, UTF-8
 * sequences, the range wording. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdv.h"

/* FNV-1a: one multiply a byte, good enough spread for names and texts,
 * and the same everywhere (shards of a batch depend on it). */
uint64_t gdv_hash(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= UINT64_C(1099511628211);
  }
  return h;
}

/* The hash of a string alone, for the string tables. */
uint64_t gdv_hash_string(const char *s) {
  return gdv_hash(GDV_HASH_START, s, strlen(s));
}

/* The 32 bits of a hash the index keeps: both halves mixed, so a table
 * of any size sees all 64 bits. */
static uint32_t hash_bits(uint64_t hash) {
  return (uint32_t)(hash ^ (hash >> 32));
}

/* The item in a slot whose hash bits match, else GDV_INDEX_END. */
static size_t slot_item(uint64_t slot, uint32_t bits) {
  return (uint32_t)(slot >> 32) == bits ? (size_t)(slot & UINT32_MAX) - 1 : GDV_INDEX_END;
}

/* Walks from the hash's home slot to the first match, the end at an
 * empty slot; *pos is where the walk goes on. */
static size_t walk(const gdv_index *ix, uint32_t bits, size_t *pos) {
  size_t mask = ix->size - 1;
  for (size_t k = *pos; ix->slot[k]; k = (k + 1) & mask) {
    size_t item = slot_item(ix->slot[k], bits);
    if (item != GDV_INDEX_END) {
      *pos = (k + 1) & mask;
      return item;
    }
  }
  return GDV_INDEX_END;
}

/* The first item with this hash; the walk stops at an empty slot, which
 * the index always has (at most half full). */
size_t gdv_index_first(const gdv_index *ix, uint64_t hash, size_t *pos) {
  if (ix->size == 0) return GDV_INDEX_END;
  uint32_t bits = hash_bits(hash);
  *pos = bits & (ix->size - 1);
  return walk(ix, bits, pos);
}

/* The next item with this hash, after gdv_index_first. */
size_t gdv_index_next(const gdv_index *ix, uint64_t hash, size_t *pos) {
  return walk(ix, hash_bits(hash), pos);
}

/* Puts a slot's value in its place in a table of `size` slots. */
static void place(uint64_t *slot, size_t size, uint64_t value) {
  size_t k = (uint32_t)(value >> 32) & (size - 1);
  while (slot[k]) k = (k + 1) & (size - 1);
  slot[k] = value;
}

/* Doubles the table when it would be more than half full, so probes stay
 * short; every value goes back by the hash bits it keeps. */
int gdv_index_add(gdv_index *ix, uint64_t hash, size_t item) {
  if (item >= UINT32_MAX - 1) return 0;
  if (2 * (ix->n + 1) > ix->size) {
    size_t size = ix->size ? 2 * ix->size : 64;
    uint64_t *slot = calloc(size, sizeof *slot);
    if (slot == NULL) return 0;
    for (size_t k = 0; k < ix->size; k++)
      if (ix->slot[k]) place(slot, size, ix->slot[k]);
    free(ix->slot);
    ix->slot = slot;
    ix->size = size;
  }
  place(ix->slot, ix->size, (uint64_t)hash_bits(hash) << 32 | (uint64_t)(item + 1));
  ix->n++;
  return 1;
}

/* Empties the table, keeping its room. */
void gdv_index_clear(gdv_index *ix) {
  if (ix->slot) memset(ix->slot, 0, ix->size * sizeof *ix->slot);
  ix->n = 0;
}

/* Frees the table; the index is then empty, ready for use again. */
void gdv_index_free(gdv_index *ix) {
  free(ix->slot);
  memset(ix, 0, sizeof *ix);
}

/* Items keyed by strings[item]: the walk compares the strings. */
size_t gdv_index_find_string(const gdv_index *ix, char *const *strings, const char *s) {
  uint64_t h = gdv_hash_string(s);
  size_t pos;
  for (size_t i = gdv_index_first(ix, h, &pos); i != GDV_INDEX_END; i = gdv_index_next(ix, h, &pos))
    if (strcmp(strings[i], s) == 0) return i;
  return GDV_INDEX_END;
}

/* Doubling keeps appends linear over a million-node graph; the zeroed
 * room lets a list hand out a fresh element without a memset. */
int gdv_grow(void **arr, size_t *cap, size_t n, size_t elem) {
  if (n < *cap) return 1;
  size_t nc = *cap ? 2 * *cap : 16;
  if (nc < *cap || nc > SIZE_MAX / elem) return 0;
  void *t = realloc(*arr, nc * elem);
  if (t == NULL) return 0;
  memset((char *)t + *cap * elem, 0, (nc - *cap) * elem);
  *arr = t;
  *cap = nc;
  return 1;
}

/* The figures' and the formula reader's one way to write a minus. */
char *gdv_minus_sign(const char *in, char *out, size_t size) {
  size_t n = 0;
  for (; *in && n + 4 <= size; in++) {
    if (*in == '-') {
      memcpy(out + n, "\xE2\x88\x92", 3);
      n += 3;
    } else {
      out[n++] = *in;
    }
  }
  out[n] = '\0';
  return out;
}

/* Strict UTF-8: the second byte's range depends on the first (E0 and F0
 * rule out overlong forms, ED surrogates, F4 what lies past U+10FFFF). */
size_t gdv_utf8_seq(const unsigned char *p, const unsigned char *end) {
  if (p[0] < 0x80) return 1;
  size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
  if (n == 0 || p[0] > 0xF4 || (size_t)(end - p) < n) return 0;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  if (p[0] == 0xE0 && p[1] < 0xA0) return 0;
  if (p[0] == 0xED && p[1] >= 0xA0) return 0;
  if (p[0] == 0xF0 && p[1] < 0x90) return 0;
  if (p[0] == 0xF4 && p[1] >= 0x90) return 0;
  return n;
}

/* One sentence shape for every range, so a user learns it once. */
void gdv_range_text(char *buf, size_t size, const char *name, const char *text, double lo,
                    int lo_open, double hi) {
  if (isinf(hi))
    snprintf(buf, size, "%s %s is out of range (%s%g%s)", name, text, lo_open ? "above " : "",
             lo, lo_open ? "" : " or more");
  else
    snprintf(buf, size, "%s %s is out of range (%g to %g)", name, text, lo, hi);
}

/* Written so that NaN fails every comparison and so the test. */
int gdv_in_range(double x, double lo, int lo_open, double hi) {
  return (lo_open ? x > lo : x >= lo) && x <= hi;
}

/* Digits only for whole numbers: "1e3", "+5" or "-1" for a count is a
 * typo more often than a wish (strtoull would take "-1" as a huge one). */
static int parse_whole(const char *text, double *out) {
  if (text[0] < '0' || text[0] > '9') return 0;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (*end != '\0' || errno == ERANGE) return 0;
  *out = (double)v;
  return 1;
}

/* Options, graph attributes and style keys all come through here, so
 * each kind of mistake reads the same wherever it was made. */
int gdv_number_in(const char *name, const char *text, int whole, double lo, int lo_open,
                  double hi, double *out, char *msg, size_t size) {
  if (!(whole ? parse_whole(text, out) : gdv_parse_number(text, out))) {
    snprintf(msg, size, "%s '%s' is not a %snumber", name, text, whole ? "whole " : "");
    return 0;
  }
  if (gdv_in_range(*out, lo, lo_open, hi)) return 1;
  gdv_range_text(msg, size, name, text, lo, lo_open, hi);
  return 0;
}
