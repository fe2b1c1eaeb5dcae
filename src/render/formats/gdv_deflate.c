/*
 * gdv_deflate.c: the zlib stream of a figure's PNG pixels, made for what
 * figures are: flat colour with anti-aliased lines and text. zlib's
 * fastest level spends most of a 1920x1080 PNG's time on hashing every
 * byte of long runs of one colour; here a run of the previous pixel or a
 * stretch equal to the row above is found first and taken whole (258 bytes
 * per token), and only the rest is matched through a one-entry hash table
 * (greedy, like zlib's fastest level). Blocks use their own Huffman codes
 * (dynamic blocks), so the files are about as small as zlib's level 1 at a
 * third of the time. Output is a complete zlib stream (RFC 1950/1951), and
 * the same rows always give the same bytes.
 *
 * Rows are fed one at a time into a window the encoder owns (the caller
 * writes the row in place), so memory stays a few rows whatever the
 * image's size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

#define WSIZE 32768           /* deflate's farthest match */
#define MIN_MATCH 3
#define MAX_MATCH 258
#define HASH_BITS 15
#define BLOCK_TOKENS 16384    /* tokens per block: zlib's level 1 uses as many */
#define OUT_CHUNK 65536       /* compressed bytes handed on at a time */
#define N_LITLEN 286
#define N_DIST 30
#define N_CODELEN 19
#define MATCH_FLAG 0x80000000u

struct gdv_deflate {
  unsigned char *buf;         /* the window: buf[0] is input byte `base` */
  size_t cap, len;            /* buf's size, bytes held */
  size_t pos;                 /* next byte to parse (index into buf) */
  uint64_t base;
  size_t row_len, bpp;        /* bytes per row (with its filter byte), per pixel */
  uint32_t *head;             /* hash of 4 bytes -> last input position (low 32 bits) */
  uint32_t *tokens;           /* a literal byte, or MATCH_FLAG | (len-3) << 16 | (dist-1) */
  size_t n_tokens;
  uint32_t lit_freq[N_LITLEN], dist_freq[N_DIST];
  uint32_t adler_a, adler_b;
  uint64_t bits;              /* pending output bits, LSB first */
  unsigned n_bits;
  unsigned char *out;         /* compressed bytes not yet handed on */
  size_t out_len;
  int failed;                 /* the sink refused bytes */
  gdv_deflate_sink sink;
  void *ctx;
};

/* Which code and extra bits a match length takes (RFC 1951 3.2.5),
 * computed rather than tabled: the table would be as long as this. */
static unsigned length_code(unsigned len, unsigned *extra_bits, unsigned *extra) {
  unsigned v = len - MIN_MATCH;
  if (len == MAX_MATCH) { *extra_bits = 0; *extra = 0; return 285; }
  if (v < 8) { *extra_bits = 0; *extra = 0; return 257 + v; }
  unsigned l = 31u - (unsigned)__builtin_clz(v), top = (v >> (l - 2)) & 3;
  *extra_bits = l - 2;
  *extra = v - ((4 | top) << (l - 2));
  return 257 + 4 * (l - 1) + top;
}

/* The same for a distance (1 to 32768). */
static unsigned dist_code(unsigned dist, unsigned *extra_bits, unsigned *extra) {
  unsigned d = dist - 1;
  if (d < 4) { *extra_bits = 0; *extra = 0; return d; }
  unsigned l = 31u - (unsigned)__builtin_clz(d), top = (d >> (l - 1)) & 1;
  *extra_bits = l - 1;
  *extra = d - ((2 | top) << (l - 1));
  return 2 * l + top;
}

/* Hands the compressed bytes on; a refusing sink fails the stream once
 * and for all (later bytes are dropped). */
static void out_flush(gdv_deflate *z) {
  if (z->out_len && !z->failed && z->sink(z->ctx, z->out, z->out_len) != 0) z->failed = 1;
  z->out_len = 0;
}

/* Appends n (at most 32) bits, LSB first as deflate packs them. */
static void put_bits(gdv_deflate *z, uint32_t value, unsigned n) {
  z->bits |= (uint64_t)value << z->n_bits;
  z->n_bits += n;
  while (z->n_bits >= 8) {
    z->out[z->out_len++] = (unsigned char)z->bits;
    z->bits >>= 8;
    z->n_bits -= 8;
    if (z->out_len == OUT_CHUNK) out_flush(z);
  }
}

/* Huffman codes are sent most significant bit first, inside an LSB-first
 * bit stream: stored reversed. */
static uint32_t reverse_bits(uint32_t code, unsigned n) {
  uint32_t r = 0;
  for (unsigned i = 0; i < n; i++, code >>= 1) r = (r << 1) | (code & 1);
  return r;
}

/* A symbol and its weight, sorted by weight for the code-length pass. */
typedef struct sym_freq {
  uint32_t key;    /* the frequency, then (in place) the code length */
  uint16_t sym;
} sym_freq;

/* Ascending frequency, ties by symbol: the same counts give the same
 * code. */
static int cmp_sym_freq(const void *x, const void *y) {
  const sym_freq *a = x, *b = y;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return (a->sym > b->sym) - (a->sym < b->sym);
}

/* Optimal code lengths in place (Moffat and Katajainen's method: A sorted
 * by ascending frequency, on return A[i].key is a code length), no tree
 * and no allocation. */
static void minimum_redundancy(sym_freq *A, int n) {
  if (n == 1) { A[0].key = 1; return; }
  int root = 0, leaf = 2;
  A[0].key += A[1].key;
  for (int next = 1; next < n - 1; next++) {
    if (leaf >= n || A[root].key < A[leaf].key) {
      A[next].key = A[root].key;
      A[root++].key = (uint32_t)next;
    } else {
      A[next].key = A[leaf++].key;
    }
    if (leaf >= n || (root < next && A[root].key < A[leaf].key)) {
      A[next].key += A[root].key;
      A[root++].key = (uint32_t)next;
    } else {
      A[next].key += A[leaf++].key;
    }
  }
  A[n - 2].key = 0;
  for (int next = n - 3; next >= 0; next--) A[next].key = A[A[next].key].key + 1;
  int avail = 1, used = 0, depth = 0, next = n - 1;
  root = n - 2;
  while (avail > 0) {
    while (root >= 0 && (int)A[root].key == depth) { used++; root--; }
    while (avail > used) { A[next--].key = (uint32_t)depth; avail--; }
    avail = 2 * used;
    depth++;
    used = 0;
  }
}

/* Code lengths for n symbols of freq (0: unused) at most max_len bits:
 * optimal lengths, then the longest cut to max_len with the shortest
 * codes lengthened until the Kraft sum is one again; the most frequent
 * symbols get the shortest codes. */
static void code_lengths(const uint32_t *freq, int n, unsigned max_len, uint8_t *lens) {
  sym_freq syms[N_LITLEN];
  int used = 0;
  unsigned count[33] = {0};
  memset(lens, 0, (size_t)n);
  for (int i = 0; i < n; i++)
    if (freq[i]) syms[used++] = (sym_freq){freq[i], (uint16_t)i};
  if (used == 0) return;
  qsort(syms, (size_t)used, sizeof *syms, cmp_sym_freq);
  minimum_redundancy(syms, used);
  for (int i = 0; i < used; i++) count[syms[i].key < 32 ? syms[i].key : 32]++;
  for (unsigned l = max_len + 1; l <= 32; l++) {
    count[max_len] += count[l];
    count[l] = 0;
  }
  uint32_t total = 0;
  for (unsigned l = max_len; l > 0; l--) total += count[l] << (max_len - l);
  while (total > (1u << max_len)) {
    count[max_len]--;
    for (unsigned l = max_len - 1; l > 0; l--)
      if (count[l]) {
        count[l]--;
        count[l + 1] += 2;
        break;
      }
    total--;
  }
  /* syms is ascending by frequency: hand out lengths longest first */
  int k = 0;
  for (unsigned l = max_len; l > 0; l--)
    for (unsigned c = 0; c < count[l]; c++) lens[syms[k++].sym] = (uint8_t)l;
}

/* Canonical codes for lengths (RFC 1951 3.2.2), stored bit-reversed. */
static void canonical_codes(const uint8_t *lens, int n, uint32_t *codes) {
  unsigned count[16] = {0}, next[16];
  for (int i = 0; i < n; i++) count[lens[i]]++;
  count[0] = 0;
  unsigned code = 0;
  for (unsigned l = 1; l < 16; l++) {
    code = (code + count[l - 1]) << 1;
    next[l] = code;
  }
  for (int i = 0; i < n; i++)
    codes[i] = lens[i] ? reverse_bits(next[lens[i]]++, lens[i]) : 0;
}

/* The literal/length and distance code lengths, run-length coded with
 * symbols 16 (repeat the last 3-6 times), 17 and 18 (3-10 and 11-138
 * zeros); each entry is symbol | extra value << 8. */
static size_t rle_lengths(const uint8_t *lens, size_t n, uint16_t *rle, uint32_t *freq) {
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    uint8_t l = lens[i];
    size_t run = 1;
    while (i + run < n && lens[i + run] == l) run++;
    if (l == 0 && run >= 3) {
      size_t r = run > 138 ? 138 : run;
      rle[k++] = (uint16_t)(r >= 11 ? 18 | (r - 11) << 8 : 17 | (r - 3) << 8);
      freq[r >= 11 ? 18 : 17]++;
      i += r;
    } else if (l != 0 && run >= 4) {
      size_t r = run - 1 > 6 ? 6 : run - 1;
      rle[k++] = l;
      rle[k++] = (uint16_t)(16 | (r - 3) << 8);
      freq[l]++;
      freq[16]++;
      i += r + 1;
    } else {
      rle[k++] = l;
      freq[l]++;
      i++;
    }
  }
  return k;
}

/* The block's code: lengths from its own counts, sent in the dynamic
 * block header (RFC 1951 3.2.7). */
static void send_header(gdv_deflate *z, const uint8_t *lit_len, int n_lit, const uint8_t *dist_len,
                        int n_dist) {
  static const uint8_t order[N_CODELEN] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5,
                                           11, 4, 12, 3, 13, 2, 14, 1, 15};
  uint8_t all[N_LITLEN + N_DIST], cl_len[N_CODELEN];
  uint16_t rle[N_LITLEN + N_DIST];
  uint32_t cl_freq[N_CODELEN] = {0}, cl_code[N_CODELEN];
  memcpy(all, lit_len, (size_t)n_lit);
  memcpy(all + n_lit, dist_len, (size_t)n_dist);
  size_t n_rle = rle_lengths(all, (size_t)(n_lit + n_dist), rle, cl_freq);
  /* a code of one symbol is incomplete, which inflaters refuse here */
  int n_used = 0;
  for (int i = 0; i < N_CODELEN; i++) n_used += cl_freq[i] != 0;
  if (n_used < 2) cl_freq[cl_freq[0] ? 1 : 0] = 1;
  code_lengths(cl_freq, N_CODELEN, 7, cl_len);
  canonical_codes(cl_len, N_CODELEN, cl_code);
  int n_cl = N_CODELEN;
  while (n_cl > 4 && cl_len[order[n_cl - 1]] == 0) n_cl--;
  put_bits(z, (uint32_t)(n_lit - 257), 5);
  put_bits(z, (uint32_t)(n_dist - 1), 5);
  put_bits(z, (uint32_t)(n_cl - 4), 4);
  for (int i = 0; i < n_cl; i++) put_bits(z, cl_len[order[i]], 3);
  static const uint8_t extra_bits[3] = {2, 3, 7};
  for (size_t i = 0; i < n_rle; i++) {
    unsigned sym = rle[i] & 0xff;
    put_bits(z, cl_code[sym], cl_len[sym]);
    if (sym >= 16) put_bits(z, rle[i] >> 8, extra_bits[sym - 16]);
  }
}

/* The block's tokens in its code. */
static void send_tokens(gdv_deflate *z, const uint8_t *lit_len, const uint32_t *lit_code,
                        const uint8_t *dist_len, const uint32_t *dist_code_) {
  for (size_t i = 0; i < z->n_tokens; i++) {
    uint32_t t = z->tokens[i];
    if (!(t & MATCH_FLAG)) {
      put_bits(z, lit_code[t], lit_len[t]);
      continue;
    }
    unsigned eb, ev, len = ((t >> 16) & 0xff) + MIN_MATCH, dist = (t & 0xffff) + 1;
    unsigned c = length_code(len, &eb, &ev);
    put_bits(z, lit_code[c], lit_len[c]);
    if (eb) put_bits(z, ev, eb);
    c = dist_code(dist, &eb, &ev);
    put_bits(z, dist_code_[c], dist_len[c]);
    if (eb) put_bits(z, ev, eb);
  }
  put_bits(z, lit_code[256], lit_len[256]);
}

/* Writes the tokens gathered so far as one dynamic block. Two distance
 * codes are always given a length: an inflater may refuse a distance code
 * of one symbol. */
static void send_block(gdv_deflate *z, int last) {
  uint8_t lit_len[N_LITLEN], dist_len[N_DIST];
  uint32_t lit_code[N_LITLEN], dist_codes[N_DIST];
  z->lit_freq[256] = 1;
  if (z->dist_freq[0] == 0) z->dist_freq[0] = 1;
  if (z->dist_freq[1] == 0) z->dist_freq[1] = 1;
  code_lengths(z->lit_freq, N_LITLEN, 15, lit_len);
  code_lengths(z->dist_freq, N_DIST, 15, dist_len);
  canonical_codes(lit_len, N_LITLEN, lit_code);
  canonical_codes(dist_len, N_DIST, dist_codes);
  int n_lit = N_LITLEN, n_dist = N_DIST;
  while (n_lit > 257 && lit_len[n_lit - 1] == 0) n_lit--;
  while (n_dist > 1 && dist_len[n_dist - 1] == 0) n_dist--;
  put_bits(z, last ? 1 : 0, 1);
  put_bits(z, 2, 2);  /* BTYPE 10: dynamic Huffman codes */
  send_header(z, lit_len, n_lit, dist_len, n_dist);
  send_tokens(z, lit_len, lit_code, dist_len, dist_codes);
  z->n_tokens = 0;
  memset(z->lit_freq, 0, sizeof z->lit_freq);
  memset(z->dist_freq, 0, sizeof z->dist_freq);
}

/* How far the bytes at a and b agree, up to max: eight at a time. */
static size_t match_length(const unsigned char *a, const unsigned char *b, size_t max) {
  size_t n = 0;
  while (n + 8 <= max) {
    uint64_t x, y;
    memcpy(&x, a + n, 8);
    memcpy(&y, b + n, 8);
    if (x != y) return n + (size_t)__builtin_ctzll(x ^ y) / 8;
    n += 8;
  }
  while (n < max && a[n] == b[n]) n++;
  return n;
}

/* Records one token and counts its symbols for the block's code. */
static void add_match(gdv_deflate *z, size_t len, size_t dist) {
  unsigned eb, ev;
  z->tokens[z->n_tokens++] = MATCH_FLAG | (uint32_t)(len - MIN_MATCH) << 16 | (uint32_t)(dist - 1);
  z->lit_freq[length_code((unsigned)len, &eb, &ev)]++;
  z->dist_freq[dist_code((unsigned)dist, &eb, &ev)]++;
  if (z->n_tokens == BLOCK_TOKENS) send_block(z, 0);
}

/* The longest of three candidates at p: the previous pixel (a run of one
 * colour), the row above (a stretch like the last row), the last place
 * these four bytes were seen. Returns the length (0: none of at least
 * MIN_MATCH) and sets *dist. */
static size_t best_match(gdv_deflate *z, size_t p, size_t avail, size_t *dist) {
  const unsigned char *b = z->buf;
  size_t back = p < WSIZE ? p : WSIZE;  /* the farthest a match may reach */
  size_t best = 0, max = avail < MAX_MATCH ? avail : MAX_MATCH;
  size_t cand[3] = {z->bpp, z->row_len, 0};
  uint32_t word;
  memcpy(&word, b + p, 4);
  uint32_t h = (word * 2654435761u) >> (32 - HASH_BITS);
  cand[2] = (uint32_t)(z->base + p) - z->head[h];
  z->head[h] = (uint32_t)(z->base + p);
  for (int i = 0; i < 3; i++) {
    size_t d = cand[i];
    if (d == 0 || d > back || (i == 2 && (d == cand[0] || d == cand[1]))) continue;
    if (b[p - d] != b[p] || b[p - d + best] != b[p + best]) continue;
    size_t n = match_length(b + p - d, b + p, max);
    if (n > best) {
      best = n;
      *dist = d;
      if (n == max) break;
    }
  }
  return best >= MIN_MATCH ? best : 0;
}

/* Parses the held bytes into tokens; unless final, stops MAX_MATCH short
 * of the end so that every match can reach its full length. */
static void parse(gdv_deflate *z, int final) {
  size_t end = final ? z->len : (z->len > MAX_MATCH ? z->len - MAX_MATCH : 0);
  size_t p = z->pos;
  while (p < end) {
    size_t dist = 0, len = z->len - p >= 4 ? best_match(z, p, z->len - p, &dist) : 0;
    if (len) {
      add_match(z, len, dist);
      p += len;
      continue;
    }
    z->tokens[z->n_tokens++] = z->buf[p];
    z->lit_freq[z->buf[p]]++;
    if (z->n_tokens == BLOCK_TOKENS) send_block(z, 0);
    p++;
  }
  z->pos = p;
}

/* Sums of eight bytes for Adler-32: the plain sum and the sum weighted
 * 8, 7, ..., 1 (first byte first), each from one multiply over 16-bit
 * lanes (no lane passes 255 * 20, so none carries into the next). */
static void adler_sums8(const unsigned char *p, uint32_t *sum, uint32_t *weighted) {
  uint64_t x;
  memcpy(&x, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  x = __builtin_bswap64(x);  /* first byte in the low lane */
#endif
  uint64_t even = x & 0x00ff00ff00ff00ffu, odd = (x >> 8) & 0x00ff00ff00ff00ffu;
  *sum = (uint32_t)(((even + odd) * 0x0001000100010001u) >> 48);
  *weighted = (uint32_t)((even * 0x0008000600040002u) >> 48) +
              (uint32_t)((odd * 0x0007000500030001u) >> 48);
}

/* Adler-32 of the input (the zlib trailer), eight bytes a step (b gains
 * 8a plus the weighted sum), reduced every 5552 bytes as zlib does so the
 * sums never overflow. */
static void adler_update(gdv_deflate *z, const unsigned char *p, size_t n) {
  uint32_t a = z->adler_a, b = z->adler_b;
  while (n > 0) {
    size_t k = n < 5552 ? n : 5552;
    n -= k;
    for (; k >= 8; k -= 8, p += 8) {
      uint32_t sum, weighted;
      adler_sums8(p, &sum, &weighted);
      b += 8 * a + weighted;
      a += sum;
    }
    for (; k > 0; k--) { a += *p++; b += a; }
    a %= 65521;
    b %= 65521;
  }
  z->adler_a = a;
  z->adler_b = b;
}

gdv_deflate *gdv_deflate_new(size_t row_len, size_t bpp, gdv_deflate_sink sink, void *ctx) {
  gdv_deflate *z = calloc(1, sizeof *z);
  if (z == NULL) return NULL;
  z->row_len = row_len;
  z->bpp = bpp;
  z->sink = sink;
  z->ctx = ctx;
  z->cap = 2 * WSIZE + row_len + MAX_MATCH;
  z->buf = malloc(z->cap);
  z->head = calloc((size_t)1 << HASH_BITS, sizeof *z->head);
  z->tokens = malloc(BLOCK_TOKENS * sizeof *z->tokens);
  z->out = malloc(OUT_CHUNK);
  if (!z->buf || !z->head || !z->tokens || !z->out) {
    gdv_deflate_free(z);
    return NULL;
  }
  z->adler_a = 1;
  put_bits(z, 0x78, 8);   /* deflate, 32K window */
  put_bits(z, 0x01, 8);   /* fastest, no dictionary: 0x7801 % 31 == 0 */
  return z;
}

/* Slides the window when the next row would not fit: keeps the WSIZE
 * bytes before the parse point (what matches may reach) and the unparsed
 * rest. */
unsigned char *gdv_deflate_row(gdv_deflate *z) {
  if (z->len + z->row_len > z->cap) {
    size_t keep_from = z->pos > WSIZE ? z->pos - WSIZE : 0;
    memmove(z->buf, z->buf + keep_from, z->len - keep_from);
    z->len -= keep_from;
    z->pos -= keep_from;
    z->base += keep_from;
  }
  return z->buf + z->len;
}

void gdv_deflate_commit_row(gdv_deflate *z) {
  adler_update(z, z->buf + z->len, z->row_len);
  z->len += z->row_len;
  parse(z, 0);
}

/* The last block, the byte-aligned end and the Adler-32 trailer. */
int gdv_deflate_finish(gdv_deflate *z) {
  parse(z, 1);
  if (z->n_tokens) {
    send_block(z, 1);
  } else {
    put_bits(z, 1 | 1 << 1, 3);  /* an empty last block, fixed codes */
    put_bits(z, 0, 7);           /* end of block */
  }
  if (z->n_bits) put_bits(z, 0, 8 - z->n_bits);
  uint32_t adler = z->adler_b << 16 | z->adler_a;
  for (int shift = 24; shift >= 0; shift -= 8) put_bits(z, (adler >> shift) & 0xff, 8);
  out_flush(z);
  return z->failed ? -1 : 0;
}

void gdv_deflate_free(gdv_deflate *z) {
  if (z == NULL) return;
  free(z->buf);
  free(z->head);
  free(z->tokens);
  free(z->out);
  free(z);
}
