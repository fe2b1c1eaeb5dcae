/*
 * gdv_util.h: the small tools every layer shares, each written once here:
 * FNV-1a hashing, an index of items by hash (the string tables), UTF-8
 * sequences and the wording of a number outside its range. Part of the
 * core (libc only); gdv.h includes it, so every layer has it. The
 * out-of-memory error is gdv_error_oom, beside gdv_error_set in gdv.h.
 */
#ifndef GDV_UTIL_H
#define GDV_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, 64 bits: a fixed function of the bytes (no seed), so tables,
 * shards and caches come out the same in every run and on every machine.
 * h is GDV_HASH_START, or the hash of the bytes before (to hash in parts). */
#define GDV_HASH_START UINT64_C(14695981039346656037)
uint64_t gdv_hash(uint64_t h, const void *data, size_t n);
/* gdv_hash of a string's bytes (without its NUL) from GDV_HASH_START. */
uint64_t gdv_hash_string(const char *s);

/* An index of items 0, 1, 2... by their hashes (open addressing, linear
 * probing, at most half full). The caller keeps the items and compares
 * their keys; the index keeps 32 bits of each hash beside the item's
 * number, so it grows without asking for the keys again. Zeroed, it is
 * empty; items must be below GDV_INDEX_END - 1 and UINT32_MAX - 1. */
typedef struct gdv_index {
  uint64_t *slot;   /* hash bits << 32 | (item + 1); 0 empty */
  size_t size;      /* a power of two, 0 before the first add */
  size_t n;
} gdv_index;
#define GDV_INDEX_END SIZE_MAX
/* The items added with this hash, in turn:
 *   size_t pos;
 *   for (size_t i = gdv_index_first(ix, h, &pos); i != GDV_INDEX_END;
 *        i = gdv_index_next(ix, h, &pos)) ...compare item i's key...
 * (another item whose 32 hash bits match may come too: compare keys). */
size_t gdv_index_first(const gdv_index *ix, uint64_t hash, size_t *pos);
size_t gdv_index_next(const gdv_index *ix, uint64_t hash, size_t *pos);
/* Adds item with its key's hash (the caller knows the key is not in yet);
 * 0 when out of memory (the index is as it was). */
int gdv_index_add(gdv_index *ix, uint64_t hash, size_t item);
/* Forgets every item but keeps the room (to add them again renumbered). */
void gdv_index_clear(gdv_index *ix);
void gdv_index_free(gdv_index *ix);
/* The usual index, of strings: strings[i] is item i's key. The item whose
 * string is s (hashed with gdv_hash_string), or GDV_INDEX_END. */
size_t gdv_index_find_string(const gdv_index *ix, char *const *strings, const char *s);

/* Room for element n of a growing array of elem-byte elements: when n
 * reaches *cap, the capacity doubles (from 16), the new room zeroed and
 * *arr and *cap updated. Every growing list of gradviz grows here, so
 * none has its own doubling and overflow check. 1 with room, 0 when out
 * of memory (the array as it was). Call as
 *   if (!gdv_grow((void **)&l->items, &l->cap, l->n, sizeof *l->items)) ... */
int gdv_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* Copies in to out with every ASCII '-' the minus sign U+2212, so that a
 * minus reads as one in every figure (a hyphen is too short on a slide):
 * numbers as figures print them, and a formula's literals as its
 * equation shows them. Stops short rather than cut a character; out is
 * always terminated (size > 0), and 3 bytes a byte of in always suffice. */
char *gdv_minus_sign(const char *in, char *out, size_t size);

/* The length of the valid UTF-8 sequence at p, end not included (strict:
 * no overlong forms, no surrogates, nothing past U+10FFFF, as JSON parsers
 * require), 1 for an ASCII byte, 0 when it is not one. */
size_t gdv_utf8_seq(const unsigned char *p, const unsigned char *end);

/* The one wording of a number outside its range, for command-line
 * options, graph attributes and style keys alike (like tmux's
 * args_strtonum): "NAME TEXT is out of range (10 to 2400)", "(1 or
 * more)", "(above 0)". lo_open excludes lo itself; hi INFINITY: no upper
 * bound. */
void gdv_range_text(char *buf, size_t size, const char *name, const char *text, double lo,
                    int lo_open, double hi);
/* Whether x is in that range (NaN never is). */
int gdv_in_range(double x, double lo, int lo_open, double hi);
/* Reads `text`, the value of the setting `name`, as a number in that
 * range: with the syntax of graph files (gdv_parse_number), or when
 * `whole` as digits only. 1 with the number in *out, else 0 with the
 * one-line reason in msg: "NAME 'TEXT' is not a number" ("... a whole
 * number"), or the range wording above. */
int gdv_number_in(const char *name, const char *text, int whole, double lo, int lo_open,
                  double hi, double *out, char *msg, size_t size);

#endif
