/* gdv_dot.c: the DOT reader. cgraph parses; a small scanner of our own
 * runs first, because cgraph neither tells the line of a node nor
 * complains about a byte-order mark, a second graph or a stray brace. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cgraph.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "io/gdv_dot_int.h"
#include "io/gdv_io.h"

/* Where a node name first appears, for messages about that node. */
typedef struct name_line {
  char *name;
  long line;
} name_line;

/* An edge written `tail -> head` in the file, in file order. */
typedef struct edge_line {
  char *tail;
  char *head;
  long line;
  size_t seq;           /* position in the file, among edges */
  int used;
} edge_line;

typedef struct dot_scan {
  name_line *names;
  size_t n_names, cap_names;
  edge_line *edges;
  size_t n_edges, cap_edges;
  int is_strict;
  int is_digraph;
} dot_scan;

typedef enum tok_kind {
  TOK_END, TOK_ID, TOK_PUNCT, TOK_EDGEOP, TOK_BAD
} tok_kind;

typedef struct lexer {
  const char *p, *end;
  long line;
  int at_line_start;
  /* the current token */
  tok_kind kind;
  char punct;
  char *text;           /* an ID's text, unquoted */
  size_t text_len, text_cap;
  long tok_line;
  int quoted;
  const char *tok_start;  /* where the current token begins in the text */
} lexer;

/* Appends one byte and keeps the token NUL-terminated at every step, so the
 * text is always a C string; 0 on out of memory. */
static int text_push(lexer *lx, char c) {
  if (lx->text_len + 1 >= lx->text_cap) {
    size_t cap = lx->text_cap ? 2 * lx->text_cap : 64;
    char *t = realloc(lx->text, cap);
    if (t == NULL) return 0;
    lx->text = t;
    lx->text_cap = cap;
  }
  lx->text[lx->text_len++] = c;
  lx->text[lx->text_len] = '\0';
  return 1;
}

/* Skips blanks, comments and `#` lines, counting lines. */
static void skip_space(lexer *lx) {
  while (lx->p < lx->end) {
    char c = *lx->p;
    if (c == '\n') { lx->line++; lx->p++; lx->at_line_start = 1; continue; }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      lx->p++;
      continue;
    }
    if (c == '#' && lx->at_line_start) {
      while (lx->p < lx->end && *lx->p != '\n') lx->p++;
      continue;
    }
    if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/') {
      while (lx->p < lx->end && *lx->p != '\n') lx->p++;
      continue;
    }
    if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
      lx->p += 2;
      while (lx->p < lx->end &&
             !(*lx->p == '*' && lx->p + 1 < lx->end && lx->p[1] == '/')) {
        if (*lx->p == '\n') lx->line++;
        lx->p++;
      }
      lx->p = lx->p + 2 <= lx->end ? lx->p + 2 : lx->end;
      continue;
    }
    break;
  }
}

/* A quoted ID: "a" + "b" concatenates, as in DOT. Returns 0 only when
 * memory runs out. */
static int lex_quoted(lexer *lx) {
  lx->quoted = 1;
  for (;;) {
    lx->p++;
    while (lx->p < lx->end && *lx->p != '"') {
      if (*lx->p == '\\' && lx->p + 1 < lx->end) {
        /* as cgraph's scanner: \" is a quote, a backslash before a
         * newline joins lines, and \\ stays two characters (so that the
         * second one cannot escape a quote) */
        if (lx->p[1] == '"') { lx->p++; }
        else if (lx->p[1] == '\n') { lx->p += 2; lx->line++; continue; }
        else if (lx->p[1] == '\\') {
          if (!text_push(lx, '\\')) return 0;
          lx->p++;
        }
      }
      if (*lx->p == '\n') lx->line++;
      if (!text_push(lx, *lx->p)) return 0;
      lx->p++;
    }
    if (lx->p < lx->end) lx->p++;
    const char *save = lx->p;
    long save_line = lx->line;
    skip_space(lx);
    if (lx->p < lx->end && *lx->p == '+') {
      lx->p++;
      skip_space(lx);
      if (lx->p < lx->end && *lx->p == '"') continue;
    }
    lx->p = save;
    lx->line = save_line;
    return 1;
  }
}

/* An HTML-like ID <...>, nested brackets counted. 0: out of memory. */
static int lex_html(lexer *lx) {
  int depth = 0;
  do {
    if (*lx->p == '<') depth++;
    if (*lx->p == '>') depth--;
    if (*lx->p == '\n') lx->line++;
    if (!text_push(lx, *lx->p)) return 0;
    lx->p++;
  } while (lx->p < lx->end && depth > 0);
  return 1;
}

/* A bare ID: letters, digits, '_', '.', bytes of UTF-8, a leading '-'.
 * 0: out of memory. */
static int lex_bare(lexer *lx) {
  while (lx->p < lx->end) {
    unsigned char d = (unsigned char)*lx->p;
    if (!(isalnum(d) || d == '_' || d == '.' || d >= 0x80 ||
          (d == '-' && lx->text_len == 0))) break;
    if (!text_push(lx, (char)d)) return 0;
    lx->p++;
  }
  return 1;
}

/* Reads the next token. Returns 0 only when memory runs out. */
static int next_token(lexer *lx) {
  skip_space(lx);
  /* Every ID has text, "" included (a first token "" had none: SIGSEGV). */
  if (lx->text == NULL && !text_push(lx, '\0')) return 0;
  lx->text_len = 0;
  lx->text[0] = '\0';
  lx->quoted = 0;
  lx->tok_line = lx->line;
  lx->tok_start = lx->p;
  if (lx->p >= lx->end) { lx->kind = TOK_END; return 1; }
  lx->at_line_start = 0;
  unsigned char c = (unsigned char)*lx->p;
  if (c == '-' && lx->p + 1 < lx->end && (lx->p[1] == '>' || lx->p[1] == '-')) {
    lx->kind = TOK_EDGEOP;
    lx->p += 2;
    return 1;
  }
  if (strchr("{}[]=;,:", c)) {
    lx->kind = TOK_PUNCT;
    lx->punct = (char)c;
    lx->p++;
    return 1;
  }
  lx->kind = TOK_ID;
  if (c == '"') return lex_quoted(lx);
  if (c == '<') return lex_html(lx);
  if (isalnum(c) || c == '_' || c == '.' || c == '-' || c >= 0x80) return lex_bare(lx);
  lx->kind = TOK_BAD;
  lx->punct = (char)c;
  lx->p++;
  return 1;
}

/* DOT keywords are case-insensitive, and a quoted "graph" is an ID, never a
 * keyword. */
static int keyword(const lexer *lx, const char *word) {
  return lx->kind == TOK_ID && !lx->quoted && strcasecmp(lx->text, word) == 0;
}

/* Records every mention of a name with its line; sorting later puts the
 * first mention first, which is the line messages cite. */
static int scan_add_name(dot_scan *sc, const char *name, long line) {
  if (!gdv_grow((void **)&sc->names, &sc->cap_names, sc->n_names, sizeof *sc->names)) return 0;
  sc->names[sc->n_names].name = strdup(name);
  sc->names[sc->n_names].line = line;
  return sc->names[sc->n_names++].name != NULL;
}

/* Records `tail -> head` with its position among edges (seq), so repeated
 * edges between one pair keep their file order. */
static int scan_add_edge(dot_scan *sc, const char *tail, const char *head,
                         long line) {
  if (!gdv_grow((void **)&sc->edges, &sc->cap_edges, sc->n_edges, sizeof *sc->edges)) return 0;
  edge_line *e = &sc->edges[sc->n_edges++];
  e->tail = strdup(tail);
  e->head = strdup(head);
  e->line = line;
  e->seq = sc->n_edges - 1;
  e->used = 0;
  return e->tail && e->head;
}

/* The scan owns every string it copied; frees them all, also after a failed
 * scan. */
static void scan_free(dot_scan *sc) {
  for (size_t i = 0; i < sc->n_names; i++) free(sc->names[i].name);
  for (size_t i = 0; i < sc->n_edges; i++) {
    free(sc->edges[i].tail);
    free(sc->edges[i].head);
  }
  free(sc->names);
  free(sc->edges);
}

#define SCAN_FAIL(...) do { \
    st = gdv_error_set(err, GDV_ERR_INPUT, file, __VA_ARGS__); goto done; \
  } while (0)
/* Out of memory is the system's failure (exit 3), not the file's. */
#define OOM_FAIL() do { \
    st = gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory"); goto done; \
  } while (0)

/* The chain of edges being read: `a -> b -> c` pairs each name with the
 * one before it. */
typedef struct scan_chain {
  char *prev_node;      /* the node before a pending edge op */
  int pending_edge;
  long edge_op_line;
  int depth;            /* of braces */
} scan_chain;

/* Every scanner failure but bad text is the system's. */
static gdv_status scan_oom(const char *file, gdv_error *err) {
  return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
}

#define NEXT() do { if (!next_token(lx)) return scan_oom(file, err); } while (0)

/* `[strict] digraph [NAME] {`, saying what is there instead when it is
 * not (a word, a symbol, or the byte of a binary file). */
static gdv_status scan_header(const char *file, lexer *lx, dot_scan *sc, gdv_error *err) {
  NEXT();
  if (lx->kind == TOK_END)
    return gdv_error_set(err, GDV_ERR_INPUT, file, 0, "the file is empty: no graph in it");
  if (keyword(lx, "strict")) { sc->is_strict = 1; NEXT(); }
  if (keyword(lx, "digraph")) sc->is_digraph = 1;
  else if (!keyword(lx, "graph")) {
    char what[64];
    unsigned char c0 = lx->kind == TOK_ID ? (unsigned char)lx->text[0]
                                          : (unsigned char)lx->punct;
    if (lx->kind == TOK_END) snprintf(what, sizeof what, "the end of the file");
    else if (lx->kind == TOK_EDGEOP) snprintf(what, sizeof what, "'->'");
    else if (lx->quoted) snprintf(what, sizeof what, "a quoted string");
    else if (c0 < 0x20 || c0 >= 0x7F) snprintf(what, sizeof what, "byte 0x%02X", c0);
    else if (lx->kind == TOK_ID) snprintf(what, sizeof what, "'%.40s'", lx->text);
    else snprintf(what, sizeof what, "'%c'", c0);
    return gdv_error_set(err, GDV_ERR_INPUT, file, lx->tok_line,
                         "expected 'digraph', found %s", what);
  }
  NEXT();
  if (lx->kind == TOK_ID) NEXT();   /* the graph's name */
  if (!(lx->kind == TOK_PUNCT && lx->punct == '{'))
    return gdv_error_set(err, GDV_ERR_INPUT, file, lx->tok_line,
                         "expected '{' after 'digraph'");
  NEXT();
  return GDV_OK;
}

/* An ID in the body: a keyword ends a chain, `key = value` is skipped, a
 * node (with its port, if any) is recorded, and with the node before it
 * an edge when an edge op stood between them. */
static gdv_status scan_id(const char *file, lexer *lx, dot_scan *sc, scan_chain *ch,
                          gdv_error *err) {
  if (keyword(lx, "subgraph") || keyword(lx, "node") ||
      keyword(lx, "edge") || keyword(lx, "graph")) {
    free(ch->prev_node);
    ch->prev_node = NULL;
    ch->pending_edge = 0;
    NEXT();
    return GDV_OK;
  }
  char *id = strdup(lx->text);
  long id_line = lx->tok_line;
  if (id == NULL) return scan_oom(file, err);
  if (!next_token(lx)) goto oom;
  if (lx->kind == TOK_PUNCT && lx->punct == '=') {   /* key = value */
    free(id);
    NEXT();
    NEXT();
    return GDV_OK;
  }
  if (lx->kind == TOK_PUNCT && lx->punct == ':') {   /* a port */
    if (!next_token(lx) || (lx->kind == TOK_ID && !next_token(lx))) goto oom;
    if (lx->kind == TOK_PUNCT && lx->punct == ':') {
      if (!next_token(lx) || (lx->kind == TOK_ID && !next_token(lx))) goto oom;
    }
  }
  if (!scan_add_name(sc, id, id_line)) goto oom;
  if (ch->pending_edge && !scan_add_edge(sc, ch->prev_node, id, ch->edge_op_line)) goto oom;
  ch->pending_edge = 0;
  free(ch->prev_node);
  ch->prev_node = id;
  return GDV_OK;
oom:
  free(id);
  return scan_oom(file, err);
}

/* The body up to the closing brace: brackets and `key = value` are
 * skipped, an ID elsewhere is a node. */
static gdv_status scan_body(const char *file, lexer *lx, dot_scan *sc, scan_chain *ch,
                            gdv_error *err) {
  gdv_status st;
  while (ch->depth > 0 && lx->kind != TOK_END) {
    if (lx->kind == TOK_PUNCT && lx->punct == '[') {
      /* An attribute list: nothing in it names a node. */
      while (lx->kind != TOK_END && !(lx->kind == TOK_PUNCT && lx->punct == ']'))
        NEXT();
      NEXT();
      continue;
    }
    if (lx->kind == TOK_PUNCT && lx->punct == '{') { ch->depth++; NEXT(); continue; }
    if (lx->kind == TOK_PUNCT && lx->punct == '}') {
      ch->depth--;
      if (ch->depth > 0) NEXT();
      continue;
    }
    if (lx->kind == TOK_EDGEOP) {
      ch->pending_edge = ch->prev_node != NULL;
      ch->edge_op_line = lx->tok_line;
      NEXT();
      continue;
    }
    if (lx->kind == TOK_ID) {
      if ((st = scan_id(file, lx, sc, ch, err))) return st;
      continue;
    }
    /* ; , and anything else end a chain of edges. */
    free(ch->prev_node);
    ch->prev_node = NULL;
    ch->pending_edge = 0;
    NEXT();
  }
  return GDV_OK;
}

/* Walks the tokens once: checks what cgraph lets pass, and records the
 * line of each node name and of each simple `a -> b`. */
static gdv_status scan_dot(const char *file, const char *text, size_t size,
                           dot_scan *sc, gdv_error *err) {
  lexer lexer_state = {text, text + size, 1, 1, TOK_END, 0, NULL, 0, 0, 0, 0, text};
  lexer *lx = &lexer_state;
  scan_chain ch = {NULL, 0, 0, 1};
  gdv_status st = GDV_OK;
  if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    st = gdv_error_set(err, GDV_ERR_INPUT, file, 1, "the file starts with a UTF-8 byte-order "
                       "mark; save it without one");
  else if (memchr(text, '\0', size) != NULL)
    st = gdv_error_set(err, GDV_ERR_INPUT, file, 0,
                       "the file contains a NUL byte: not a DOT text file");
  if (st == GDV_OK) st = scan_header(file, lx, sc, err);
  if (st == GDV_OK) st = scan_body(file, lx, sc, &ch, err);
  if (st == GDV_OK && ch.depth == 0) {
    long close_line = lx->tok_line;
    if (!next_token(lx)) st = scan_oom(file, err);
    else if (lx->kind != TOK_END)
      st = gdv_error_set(err, GDV_ERR_INPUT, file, lx->tok_line,
                         "text after the graph's closing '}' (line %ld); "
                         "one file holds one graph", close_line);
  }
  free(ch.prev_node);
  free(lx->text);
  return st;
}
#undef NEXT

/* Where the root graph says `charset = VALUE` (bare, or in `graph [...]`):
 * the value tokens' byte ranges, and whether the last one names Latin-1. */
typedef struct charset_decl {
  const char **start, **end;   /* each value token's bytes */
  size_t n, cap;
  int latin1;
} charset_decl;

/* Graphviz's own names for Latin-1 (lib/common/input.c). */
static int names_latin1(const char *v) {
  static const char *names[] = {"latin-1", "latin1", "l1", "ISO-8859-1",
                                "ISO_8859-1", "ISO8859-1", "ISO-IR-100"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcasecmp(v, names[i]) == 0) return 1;
  return 0;
}

/* Records one `charset = VALUE` whose VALUE is the current token. */
static int charset_add(charset_decl *cd, const lexer *lx) {
  if (cd->n == cd->cap) {
    size_t nc = cd->cap ? 2 * cd->cap : 4;
    const char **s = realloc(cd->start, nc * sizeof *s);
    if (s) cd->start = s;
    const char **e = s ? realloc(cd->end, nc * sizeof *e) : NULL;
    if (e == NULL) return 0;
    cd->end = e;
    cd->cap = nc;
  }
  cd->start[cd->n] = lx->tok_start;
  cd->end[cd->n++] = lx->p;
  cd->latin1 = names_latin1(lx->text);
  return 1;
}

/* Walks the tokens for the root graph's charset: at brace depth 1, outside
 * attribute lists other than `graph [...]` (a subgraph's or a node's
 * charset means nothing to Graphviz). 0 on out of memory. */
static int find_charset(const char *text, size_t size, charset_decl *cd) {
  lexer lexer_state = {text, text + size, 1, 1, TOK_END, 0, NULL, 0, 0, 0, 0, text};
  lexer *lx = &lexer_state;
  int depth = 0, in_list = 0, graph_list = 0, after_graph = 0, ok = 1;
  while ((ok = next_token(lx)) && lx->kind != TOK_END) {
    int is_graph = keyword(lx, "graph");
    if (lx->kind == TOK_PUNCT && lx->punct == '{') depth++;
    else if (lx->kind == TOK_PUNCT && lx->punct == '}') depth--;
    else if (lx->kind == TOK_PUNCT && lx->punct == '[') {
      in_list = 1;
      graph_list = depth == 1 && after_graph;
    } else if (lx->kind == TOK_PUNCT && lx->punct == ']') {
      in_list = graph_list = 0;
    } else if (lx->kind == TOK_ID && strcmp(lx->text, "charset") == 0 &&
               depth == 1 && (!in_list || graph_list)) {
      if (!(ok = next_token(lx))) break;
      if (lx->kind == TOK_PUNCT && lx->punct == '=') {
        if (!(ok = next_token(lx))) break;
        if (lx->kind == TOK_ID && !(ok = charset_add(cd, lx))) break;
      }
    }
    after_graph = is_graph;
  }
  free(lx->text);
  return ok;
}

/* The text in UTF-8, each charset value now "UTF-8" so the text says what
 * it is; NULL on out of memory. */
static char *latin1_to_utf8(const char *text, size_t size, const charset_decl *cd,
                            size_t *out_size) {
  char *buf = malloc(2 * size + 8 * cd->n + 1), *o = buf;
  if (buf == NULL) return NULL;
  size_t k = 0;
  for (const char *p = text; p < text + size;) {
    if (k < cd->n && p == cd->start[k]) {
      memcpy(o, "\"UTF-8\"", 7);
      o += 7;
      p = cd->end[k++];
      continue;
    }
    unsigned char c = (unsigned char)*p++;
    if (c < 0x80) *o++ = (char)c;
    else { *o++ = (char)(0xC0 | c >> 6); *o++ = (char)(0x80 | (c & 0x3F)); }
  }
  *o = '\0';
  *out_size = (size_t)(o - buf);
  return buf;
}

#define DOT_UTF8_HINT "DOT files are UTF-8 unless the graph says charset=latin1"

/* Graphviz reads UTF-8 unless the graph says charset=latin1: a Latin-1
 * file is converted (*converted, malloc'd); any other is left as it is
 * (*converted NULL), for gdv_utf8_check to judge. */
static gdv_status dot_utf8(const char *file, const char *text, size_t size,
                           char **converted, size_t *converted_size, gdv_error *err) {
  *converted = NULL;
  size_t i = 0;
  while (i < size && (unsigned char)text[i] < 0x80) i++;
  if (i == size) return GDV_OK;   /* ASCII: the same in both */
  charset_decl cd = {NULL, NULL, 0, 0, 0};
  gdv_status st = GDV_OK;
  if (!find_charset(text, size, &cd))
    st = gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
  else if (cd.latin1 && !(*converted = latin1_to_utf8(text, size, &cd, converted_size)))
    st = gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
  free(cd.start);
  free(cd.end);
  return st;
}

/* For gdv_input_load: the kept text (PNG metadata, annotated DOT) is then
 * UTF-8 like the graph read from it. Text that is not UTF-8 is left for
 * gdv_dot_parse to refuse, after what its scanner says of the header. */
gdv_status gdv_dot_to_utf8(const char *file, gdv_file_text *text, gdv_error *err) {
  char *converted;
  size_t n;
  gdv_status st = dot_utf8(file, text->data, text->size, &converted, &n, err);
  if (st || converted == NULL) return st;
  free(text->data);
  text->data = converted;
  text->size = n;
  return GDV_OK;
}

/* By name, then line: the first of each name's run is its earliest mention. */
static int cmp_name_line(const void *a, const void *b) {
  const name_line *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c) return c;
  return (x->line > y->line) - (x->line < y->line);
}

/* Orders the scanned edges by tail, head, then file position, so that
 * the lines of the edges joining one pair can be found by binary search. */
static int cmp_edge_line(const void *a, const void *b) {
  const edge_line *x = a, *y = b;
  int c = strcmp(x->tail, y->tail);
  if (c == 0) c = strcmp(x->head, y->head);
  return c ? c : gdv_cmp_u64(x->seq, y->seq);
}

/* What the scan leaves for messages while cgraph holds the graph, kept
 * small because it lives beside it: each name once with its first line
 * (names in one block of text, sorted), and each `tail -> head` as a pair
 * of name indexes with its line (negated once claimed), sorted by pair
 * then file order. A name per mention, as scanned, would cost more than
 * gradviz's own graph. */
typedef struct first_line {
  size_t text;          /* offset of the name in `names_text` */
  long line;
} first_line;

typedef struct pair_line {
  gdv_id tail, head;    /* indexes into `names` (no more names than ids) */
  long line;            /* < 0: claimed by an edge already */
} pair_line;

typedef struct dot_lines {
  char *names_text;
  first_line *names;
  size_t n_names;
  pair_line *edges;
  size_t n_edges;
} dot_lines;

static void dot_lines_free(dot_lines *dl) {
  free(dl->names_text);
  free(dl->names);
  free(dl->edges);
}

/* The index of `name` among the sorted unique names, or n_names. */
static size_t name_index(const dot_lines *dl, const char *name) {
  size_t lo = 0, hi = dl->n_names;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(dl->names_text + dl->names[mid].text, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < dl->n_names && strcmp(dl->names_text + dl->names[lo].text, name) == 0
             ? lo : dl->n_names;
}

/* Keeps the first mention of each name (the scan's names sorted by
 * cmp_name_line) in one block of text; 0 when out of memory. */
static int keep_first_lines(const dot_scan *sc, dot_lines *dl) {
  size_t unique = 0, bytes = 0;
  for (size_t i = 0; i < sc->n_names; i++)
    if (i == 0 || strcmp(sc->names[i].name, sc->names[i - 1].name) != 0) {
      unique++;
      bytes += strlen(sc->names[i].name) + 1;
    }
  dl->names_text = malloc(bytes ? bytes : 1);
  dl->names = malloc((unique ? unique : 1) * sizeof *dl->names);
  if (dl->names_text == NULL || dl->names == NULL) return 0;
  size_t at = 0;
  for (size_t i = 0; i < sc->n_names; i++) {
    if (i > 0 && strcmp(sc->names[i].name, sc->names[i - 1].name) == 0) continue;
    size_t len = strlen(sc->names[i].name) + 1;
    memcpy(dl->names_text + at, sc->names[i].name, len);
    dl->names[dl->n_names++] = (first_line){at, sc->names[i].line};
    at += len;
  }
  return 1;
}

/* Turns the scan (names and edges sorted) into dot_lines and frees it, so
 * cgraph's graph is built into the memory the scan held. 0: out of memory
 * (the scan is freed either way). */
static int compact_scan(dot_scan *sc, dot_lines *dl) {
  memset(dl, 0, sizeof *dl);
  int ok = keep_first_lines(sc, dl);
  if (ok) dl->edges = malloc((sc->n_edges ? sc->n_edges : 1) * sizeof *dl->edges);
  ok = ok && dl->edges != NULL;
  for (size_t i = 0; ok && i < sc->n_edges; i++) {
    const edge_line *e = &sc->edges[i];
    size_t tail = name_index(dl, e->tail), head = name_index(dl, e->head);
    dl->edges[i] = (pair_line){(gdv_id)tail, (gdv_id)head, e->line};
  }
  if (ok) dl->n_edges = sc->n_edges;
  scan_free(sc);
  memset(sc, 0, sizeof *sc);
  return ok;
}

/* The first line that names `name`, 0 if the scanner never saw it. */
static long line_of(const dot_lines *dl, const char *name) {
  size_t k = name_index(dl, name);
  return k < dl->n_names ? dl->names[k].line : 0;
}

/* The line of the first unclaimed `tail -> head` in file order. Binary
 * search: a 100,000-edge file must not cost 100,000 squared string
 * comparisons. */
static long edge_line_of(dot_lines *dl, const char *tail, const char *head) {
  size_t t = name_index(dl, tail), h = name_index(dl, head);
  if (t == dl->n_names || h == dl->n_names) return 0;
  size_t lo = 0, hi = dl->n_edges;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const pair_line *e = &dl->edges[mid];
    if (e->tail < t || (e->tail == t && e->head < h)) lo = mid + 1;
    else hi = mid;
  }
  /* Edges claim their lines in file order, so a run's claimed entries are
   * its prefix: a second search finds the first unclaimed one (a scan from
   * the run's start made 100,000 parallel edges quadratic: 84 s). */
  hi = dl->n_edges;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const pair_line *e = &dl->edges[mid];
    if (e->tail == t && e->head == h && e->line <= 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo == dl->n_edges) return 0;
  pair_line *e = &dl->edges[lo];
  if (e->tail != t || e->head != h) return 0;
  e->line = -e->line;
  return -e->line;
}

static char *errbuf;
/* cgraph's error hook: keep the text, print nothing. */
static int keep_cgraph_error(char *msg) {
  size_t old = errbuf ? strlen(errbuf) : 0;
  char *t = realloc(errbuf, old + strlen(msg) + 1);
  if (t) {
    strcpy(t + old, msg);
    errbuf = t;
  }
  return 0;
}

/* Turns "syntax error in line 3 near 'x'" into FILE:3: syntax error ... */
static gdv_status cgraph_failure(const char *file, gdv_error *err) {
  char *msg = aglasterr();   /* a fresh copy: ours to free */
  char text[512];
  long line = 0;
  snprintf(text, sizeof text, "%s", msg && *msg ? msg : "cannot parse the graph");
  free(msg);
  size_t len = strlen(text);
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
    text[--len] = '\0';
  char *in_line = strstr(text, " in line ");
  if (in_line) {
    char *end;
    line = strtol(in_line + 9, &end, 10);
    memmove(in_line, end, strlen(end) + 1);
  }
  if (strncmp(text, "Error: ", 7) == 0) memmove(text, text + 7, strlen(text + 6));
  return gdv_error_set(err, GDV_ERR_INPUT, file, line, "%s", text);
}

/* An edge as read off cgraph's graph, which is freed before the edges go
 * into gradviz's: its place in the file (cgraph's AGSEQ), its ends as
 * gradviz ids, and its `arg` (-1 none, -2 not a number: reported when its
 * turn comes, so messages come in the order they always did). */
typedef struct read_edge {
  uint64_t seq;
  gdv_id tail, head;
  long arg;
} read_edge;

/* AGSEQ is cgraph's creation order, which is file order: operands without
 * `arg` follow the order the edges were written. */
static int cmp_edge_seq(const void *a, const void *b) {
  return gdv_cmp_u64(((const read_edge *)a)->seq, ((const read_edge *)b)->seq);
}

/* The attributes gradviz reads, looked up once: agget by name searches the
 * attribute dictionary on every call, a million nodes times eight. */
typedef struct dot_syms {
  Agsym_t *op, *value, *role, *exponent, *output, *label;
  Agsym_t *unnamed, *gradviz_label, *arg;
  Agsym_t *grad, *data;   /* recorded numbers */
} dot_syms;

/* Looks the symbols up; NULL where the file never declares one. */
static void dot_syms_find(Agraph_t *dg, dot_syms *sy) {
  sy->op = agattr(dg, AGNODE, "op", NULL);
  sy->value = agattr(dg, AGNODE, "value", NULL);
  sy->role = agattr(dg, AGNODE, "role", NULL);
  sy->exponent = agattr(dg, AGNODE, "exponent", NULL);
  sy->output = agattr(dg, AGNODE, "output", NULL);
  sy->label = agattr(dg, AGNODE, "label", NULL);
  sy->unnamed = agattr(dg, AGNODE, "gradviz_unnamed", NULL);
  sy->gradviz_label = agattr(dg, AGNODE, "gradviz_label", NULL);
  sy->arg = agattr(dg, AGEDGE, "arg", NULL);
  sy->grad = agattr(dg, AGNODE, "grad", NULL);
  sy->data = agattr(dg, AGNODE, "data", NULL);
}

/* An attribute's value, NULL when not declared, absent or empty. */
static const char *attr(void *obj, Agsym_t *sym) {
  if (sym == NULL) return NULL;
  char *v = agxget(obj, sym);
  return v && *v ? v : NULL;
}

/* A graph attribute's value by name (a handful per file), NULL when
 * absent or empty. */
static const char *graph_attr(Agraph_t *dg, const char *name) {
  return attr(dg, agattr(dg, AGRAPH, (char *)name, NULL));
}

/* Graphviz's spelling of booleans. */
static int parse_bool(const char *s, int *out) {
  static const char *const yes[] = {"true", "yes", "1"}, *const no[] = {"false", "no", "0"};
  for (int i = 0; i < 3; i++) {
    if (strcasecmp(s, yes[i]) == 0) { *out = 1; return 1; }
    if (strcasecmp(s, no[i]) == 0) { *out = 0; return 1; }
  }
  return 0;
}

/* How gradviz's annotated DOT writes a gradient that is not finite. */
static int written_nonfinite(const char *text) {
  return strcmp(text, "nan") == 0 || strcmp(text, "inf") == 0 || strcmp(text, "-inf") == 0;
}

/* `grad` and `data`: what the code that built the graph recorded (an
 * annotated DOT's own `grad` included: read back, it matches; there a
 * NaN or infinity is what gradviz computed, and records nothing). Numbers
 * as for `value`, the message naming the file and line. */
static gdv_status read_recorded(const char *file, Agnode_t *n, gdv_graph *g, gdv_id id,
                                long line, int annotated, const dot_syms *sy, gdv_error *err) {
  static const unsigned which[2] = {GDV_REC_GRAD, GDV_REC_VALUE};
  const char *text[2] = {attr(n, sy->grad), attr(n, sy->data)};
  for (int i = 0; i < 2; i++) {
    if (text[i] == NULL || (annotated && i == 0 && written_nonfinite(text[i]))) continue;
    if (gdv_number_overflows(text[i]))
      return gdv_error_set(err, GDV_ERR_INPUT, file, line, "node '%s': %s '%s' "
                           "overflows a double", agnameof(n), i ? "data" : "grad", text[i]);
    gdv_status st = gdv_graph_record(g, id, which[i], text[i], err);
    if (st) return st;
  }
  return GDV_OK;
}

/* Reads one node's attributes into the core graph. `annotated` marks a
 * file written by `gradviz render -o X.dot` (graph attribute
 * gradviz_annotated=true): there an op node's `value` is a computed result
 * to ignore, and `label` is the drawn annotation, the name to show being
 * kept in `gradviz_label` (`gradviz_unnamed=true`: none, only the op, as
 * for a formula file's intermediate node; cgraph cannot tell an empty
 * attribute from a missing one). */
static gdv_status read_node(const char *file, Agnode_t *n, gdv_graph *g, long line,
                            int annotated, const dot_syms *sy, gdv_error *err) {
  const char *name = agnameof(n);
  const char *op_name = attr(n, sy->op), *value = attr(n, sy->value);
  const char *role_name = attr(n, sy->role), *expo = attr(n, sy->exponent);
  const char *output = attr(n, sy->output), *label = attr(n, sy->label);
  if (annotated) {
    const char *unnamed = attr(n, sy->unnamed);
    int is_unnamed = 0;
    label = attr(n, sy->gradviz_label);
    if (unnamed && parse_bool(unnamed, &is_unnamed) && is_unnamed) label = "";
    if (op_name) value = NULL;
  }
  gdv_op op = GDV_OP_LEAF;
  gdv_id id;
  gdv_status st;
  char hint[GDV_HINT_SIZE];
  if (op_name && !gdv_op_lookup(op_name, &op))
    return gdv_error_set(err, GDV_ERR_INPUT, file, line, "node '%s': unknown op '%s'%s",
                         name, op_name, gdv_op_hint(op_name, hint, sizeof hint));
  if (expo && op != GDV_OP_POW)
    return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                         "node '%s': 'exponent' is only for op=pow", name);
  double k = 0;
  if (expo) {
    if (!gdv_parse_number(expo, &k))
      return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                           "node '%s': exponent '%s' is not a number", name,
                           expo);
    op = GDV_OP_POWK;
  }
  if ((st = gdv_graph_add_node(g, name, op, line, &id, err))) return st;
  g->exponent[id] = k;
  if (op != GDV_OP_LEAF) {
    if (value)
      return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                           "node '%s': 'value' is for leaves; an op node "
                           "computes its own", name);
    if (role_name)
      return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                           "node '%s': 'role' is for leaves, not op nodes",
                           name);
  } else {
    if (value == NULL)
      return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                           "leaf '%s' has no value (give it value=... or "
                           "an op)", name);
    if (!gdv_parse_number(value, &g->value[id]) && gdv_number_overflows(value))
      return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                           "node '%s': value '%s' overflows a double", name,
                           value);
    if (!gdv_parse_number(value, &g->value[id]))
      return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                           "node '%s': value '%s' is not a number "
                           "(decimal or exponent notation, finite)",
                           name, value);
    if (role_name) {
      gdv_role role;
      if (!gdv_role_lookup(role_name, &role))
        return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                             "node '%s': unknown role '%s' (input, param or "
                             "const)", name, role_name);
      g->role[id] = (uint8_t)role;
    }
  }
  if (output) {
    int is_out;
    if (!parse_bool(output, &is_out))
      return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                           "node '%s': output '%s' is not true or false",
                           name, output);
    if (is_out && (st = gdv_graph_mark_output(g, id, err))) return st;
  }
  if (label && strcmp(label, "\\N") != 0 &&
      (st = gdv_graph_set_label(g, id, label, err)))
    return st;
  return read_recorded(file, n, g, id, line, annotated, sy, err);
}

/* Copies the graph attributes (name, value pairs) so they can be written
 * back out; the rest of the program never holds cgraph objects. */
static gdv_status keep_graph_attrs(Agraph_t *dg, char ***out, gdv_error *err,
                                   const char *file) {
  size_t n = 0;
  for (Agsym_t *s = agnxtattr(dg, AGRAPH, NULL); s; s = agnxtattr(dg, AGRAPH, s))
    n++;
  char **list = calloc(2 * n + 1, sizeof *list);
  if (list == NULL) goto oom;
  size_t k = 0;
  for (Agsym_t *s = agnxtattr(dg, AGRAPH, NULL); s; s = agnxtattr(dg, AGRAPH, s)) {
    const char *v = agxget(dg, s);
    if (v == NULL || *v == '\0') continue;
    list[k++] = strdup(s->name);
    list[k++] = strdup(v);
    if (!list[k - 1] || !list[k - 2]) goto oom;
  }
  *out = list;
  return GDV_OK;
oom:
  if (list) for (size_t i = 0; i < 2 * n; i++) free(list[i]);
  free(list);
  return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
}

/* The edges read so far, and what is needed to read them: gradviz's id of
 * each cgraph node by AGSEQ, and the first edge (in file order) whose
 * `arg` is not a number. */
typedef struct edge_reader {
  read_edge *edges;
  size_t n, cap;
  uint64_t first_seq;   /* when AGSEQ runs without gaps: id = AGSEQ - first_seq */
  gdv_id *id_of_seq;    /* else this map (NULL when not needed) */
  int has_bad;
  uint64_t bad_seq;
  char *bad_arg;
} edge_reader;

/* Maps AGSEQ to the id each node gets: nodes go into gradviz's graph in
 * cgraph's order (creation order, which is file order). cgraph numbers
 * nodes 1, 2, 3...: then no map is needed (it would sit beside the whole
 * cgraph graph). 0: out of memory. */
static int number_nodes(Agraph_t *dg, edge_reader *er) {
  uint64_t max_seq = 0, count = 0;
  Agnode_t *first = agfstnode(dg);
  er->first_seq = first ? AGSEQ(first) : 0;
  int dense = 1;
  for (Agnode_t *n = first; n; n = agnxtnode(dg, n), count++) {
    if (AGSEQ(n) > max_seq) max_seq = AGSEQ(n);
    dense = dense && AGSEQ(n) == er->first_seq + count;
  }
  if (dense) return 1;
  er->id_of_seq = malloc((size_t)(max_seq + 1) * sizeof *er->id_of_seq);
  if (er->id_of_seq == NULL) return 0;
  gdv_id id = 0;
  for (Agnode_t *n = agfstnode(dg); n; n = agnxtnode(dg, n)) er->id_of_seq[AGSEQ(n)] = id++;
  return 1;
}

/* The gradviz id of a cgraph node (see number_nodes). */
static gdv_id id_of(const edge_reader *er, Agnode_t *n) {
  return er->id_of_seq ? er->id_of_seq[AGSEQ(n)] : (gdv_id)(AGSEQ(n) - er->first_seq);
}

/* Copies one edge out of cgraph's graph; 0: out of memory. */
static int record_edge(edge_reader *er, Agedge_t *e, const dot_syms *sy) {
  if (!gdv_grow((void **)&er->edges, &er->cap, er->n, sizeof *er->edges)) return 0;
  const char *arg_text = attr(e, sy->arg);
  long arg = -1;
  if (arg_text) {
    char *end;
    arg = strtol(arg_text, &end, 10);
    if (*end != '\0' || arg < 0 || end == arg_text) arg = -2;
  }
  read_edge *r = &er->edges[er->n++];
  *r = (read_edge){AGSEQ(e), id_of(er, agtail(e)), id_of(er, aghead(e)), arg};
  if (arg == -2 && (!er->has_bad || r->seq < er->bad_seq)) {
    free(er->bad_arg);
    if ((er->bad_arg = strdup(arg_text)) == NULL) return 0;
    er->has_bad = 1;
    er->bad_seq = r->seq;
  }
  return 1;
}

/* Node by node, in file order: the node into gradviz's graph, its edges
 * copied out (each edge once, from whichever end comes first, since the
 * other end may already be gone), then cgraph's node deleted, so the two
 * graphs are never whole at once. glibc keeps freed memory for reuse but
 * not in the page count: malloc_trim hands it back now and then. */
static gdv_status read_nodes(const char *file, Agraph_t *dg, gdv_graph *g, const dot_lines *dl,
                             int annotated, const dot_syms *sy, edge_reader *er,
                             gdv_error *err) {
  size_t done = 0;
  Agnode_t *next;
  for (Agnode_t *n = agfstnode(dg); n; n = next) {
    next = agnxtnode(dg, n);
    gdv_status st = read_node(file, n, g, line_of(dl, agnameof(n)), annotated, sy, err);
    if (st) return st;
    uint64_t seq = AGSEQ(n);
    for (Agedge_t *e = agfstout(dg, n); e; e = agnxtout(dg, e))
      if (AGSEQ(aghead(e)) >= seq && !record_edge(er, e, sy)) goto oom;
    for (Agedge_t *e = agfstin(dg, n); e; e = agnxtin(dg, e))
      if (AGSEQ(agtail(e)) > seq && !record_edge(er, e, sy)) goto oom;
    agdelnode(dg, n);
#ifdef __GLIBC__
    if (++done % 16384 == 0) malloc_trim(0);
#else
    (void)done;
#endif
  }
  return GDV_OK;
oom:
  return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
}

/* Graphviz draws a subgraph whose name starts with "cluster" as a box. */
static int is_cluster(Agraph_t *sg) {
  return strncmp(agnameof(sg), "cluster", 7) == 0;
}

/* Each `subgraph cluster*` becomes a group of gradviz's graph, labelled
 * with its own label (not one it inherits from the graph around it), else
 * its name; *group_of (per node in cgraph order, NULL when there is no
 * cluster) says which group each node is in: the innermost cluster, as the
 * walk (an explicit stack: no recursion) reaches inner ones later. */
static gdv_status read_clusters(const char *file, Agraph_t *dg, gdv_graph *g,
                                const edge_reader *er, gdv_id **group_of, gdv_error *err) {
  size_t n = (size_t)agnnodes(dg), depth = 0, cap = 16;
  Agraph_t **stack = malloc(cap * sizeof *stack);
  gdv_status st = GDV_OK;
  if (stack == NULL) goto oom;
  stack[depth++] = dg;
  while (depth > 0 && st == GDV_OK) {
    Agraph_t *sg = stack[--depth];
    for (Agraph_t *c = agfstsubg(sg); c; c = agnxtsubg(c)) {
      if (depth == cap) {
        Agraph_t **t = realloc(stack, 2 * cap * sizeof *t);
        if (t == NULL) goto oom;
        stack = t;
        cap *= 2;
      }
      stack[depth++] = c;
    }
    if (sg == dg || !is_cluster(sg)) continue;
    if (*group_of == NULL) {
      if ((*group_of = malloc((n ? n : 1) * sizeof **group_of)) == NULL) goto oom;
      for (size_t v = 0; v < n; v++) (*group_of)[v] = GDV_NONE;
    }
    /* cgraph hands a graph's label down to its subgraphs: one equal to
     * the parent's is taken as inherited */
    const char *label = graph_attr(sg, "label"), *up = graph_attr(agparent(sg), "label");
    if (label && up && strcmp(label, up) == 0) label = NULL;
    gdv_id k;
    if ((st = gdv_graph_add_group(g, agnameof(sg), label, &k, err))) break;
    for (Agnode_t *v = agfstnode(sg); v; v = agnxtnode(sg, v)) (*group_of)[id_of(er, v)] = k;
  }
  free(stack);
  return st;
oom:
  free(stack);
  return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
}

/* Puts the nodes in the groups read_clusters found. */
static gdv_status apply_clusters(gdv_graph *g, const gdv_id *group_of, gdv_error *err) {
  gdv_status st = GDV_OK;
  for (size_t v = 0; group_of && st == GDV_OK && v < g->n_nodes; v++)
    if (group_of[v] != GDV_NONE) st = gdv_graph_set_group(g, (gdv_id)v, group_of[v], err);
  return st;
}

/* The edges into gradviz's graph in file order (operands without `arg` in
 * the order written), each with the line of its `tail -> head`. */
static gdv_status add_edges(const char *file, gdv_graph *g, dot_lines *dl, edge_reader *er,
                            gdv_error *err) {
  if (er->n) qsort(er->edges, er->n, sizeof *er->edges, cmp_edge_seq);
  for (size_t i = 0; i < er->n; i++) {
    const read_edge *r = &er->edges[i];
    const char *tail = g->name[r->tail], *head = g->name[r->head];
    long line = edge_line_of(dl, tail, head);
    if (line == 0) line = line_of(dl, head);
    if (r->arg == -2)
      return gdv_error_set(err, GDV_ERR_INPUT, file, line, "edge %s -> %s: arg '%s' is not "
                           "a whole number from 0", tail, head, er->bad_arg);
    gdv_status st = gdv_graph_add_edge(g, r->tail, r->head, r->arg, line, err);
    if (st) return st;
  }
  return GDV_OK;
}

/* The graph's title and direction, and (for the annotated DOT writer and
 * the file's settings) every graph attribute, copied before cgraph's graph
 * goes. */
static gdv_status keep_graph_level(const char *file, Agraph_t *dg, gdv_graph *g,
                                   char ***kept, gdv_error *err) {
  const char *title = graph_attr(dg, "label"), *rankdir = graph_attr(dg, "rankdir");
  if ((title && !(g->title = strdup(title))) || (rankdir && !(g->rankdir = strdup(rankdir))))
    return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
  return kept ? keep_graph_attrs(dg, kept, err, file) : GDV_OK;
}

/* The text in UTF-8 (*converted when the graph says Latin-1), then our
 * scanner, and what it found that cgraph would let pass. */
static gdv_status scan_text(const char *file, const char **text, size_t *size,
                            char **converted, dot_scan *sc, gdv_error *err) {
  size_t n;
  gdv_status st = dot_utf8(file, *text, *size, converted, &n, err);
  if (st) return st;
  if (*converted) {
    *text = *converted;
    *size = n;
  }
  if ((st = scan_dot(file, *text, *size, sc, err))) return st;
  /* after the scanner, which names a binary file's first byte better */
  if (*converted == NULL)
    st = gdv_utf8_check(file, *text, *size, DOT_UTF8_HINT, err);
  return st;
}

/* Scans (in UTF-8: see scan_text), then sorts and shrinks what the scan
 * found (see dot_lines). */
static gdv_status scan_and_compact(const char *file, const char **text, size_t *size,
                                   char **converted, dot_lines *dl, gdv_error *err) {
  dot_scan sc;
  memset(&sc, 0, sizeof sc);
  memset(dl, 0, sizeof *dl);
  gdv_status st = scan_text(file, text, size, converted, &sc, err);
  if (st == GDV_OK && !sc.is_digraph)
    st = gdv_error_set(err, GDV_ERR_INPUT, file, 1, "an undirected graph: gradviz needs a "
                       "'digraph' (u -> v: u is an operand of v)");
  if (st == GDV_OK && sc.is_strict)
    st = gdv_error_set(err, GDV_ERR_INPUT, file, 1, "a 'strict digraph' merges repeated "
                       "edges such as x -> m; x -> m (x*x); write 'digraph'");
  if (st) {
    scan_free(&sc);
    return st;
  }
  /* qsort wants a real array even for none: a graph may have no edges. */
  if (sc.n_names) qsort(sc.names, sc.n_names, sizeof *sc.names, cmp_name_line);
  if (sc.n_edges) qsort(sc.edges, sc.n_edges, sizeof *sc.edges, cmp_edge_line);
  if (!compact_scan(&sc, dl)) return scan_oom(file, err);
  return GDV_OK;
}

/* line_of for the draw_dot reader. */
static long dot_line_of(const void *ctx, const char *name) {
  return line_of(ctx, name);
}

/* The graph's nodes and edges: draw_dot's dialect (see gdv_dot_drawdot.c)
 * when the file is in it, else gradviz's own attributes. */
static gdv_status read_graph(const char *file, Agraph_t *dg, gdv_graph *g, dot_lines *dl,
                             int annotated, const dot_syms *sy, edge_reader *er,
                             gdv_id **group_of, gdv_error *err) {
  if (!annotated && gdv_drawdot_detect(dg))
    return gdv_drawdot_read(file, dg, g, dot_line_of, dl, err);
  gdv_status st;
  if (!number_nodes(dg, er)) return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
  if ((st = read_clusters(file, dg, g, er, group_of, err))) return st;
  if ((st = read_nodes(file, dg, g, dl, annotated, sy, er, err))) return st;
  return apply_clusters(g, *group_of, err);
}

/* Two readers on one text: our scanner for lines and what cgraph lets pass
 * (BOM, undirected, strict, stray text), then cgraph for the graph itself,
 * which is taken apart node by node as gradviz's graph is built (see
 * read_nodes): at most one whole copy of the graph at any time. */
gdv_status gdv_dot_parse(const char *file, const char *text, size_t size,
                         gdv_graph **out, char ***graph_attrs,
                         gdv_error *err) {
  dot_lines dl;
  gdv_graph *g = NULL;
  Agraph_t *dg = NULL;
  edge_reader er;
  memset(&er, 0, sizeof er);
  char **kept = NULL, *converted = NULL;
  gdv_id *group_of = NULL;
  dot_syms sy;
  gdv_status st = scan_and_compact(file, &text, &size, &converted, &dl, err);
  if (st) goto done;
  agseterr(AGMAX);
  agseterrf(keep_cgraph_error);
  dg = agmemread(text);
  if (dg == NULL) {
    st = cgraph_failure(file, err);
    goto done;
  }
  if ((st = gdv_graph_new(&g, file, err))) goto done;
  dot_syms_find(dg, &sy);
  const char *annotated = graph_attr(dg, "gradviz_annotated");
  int is_annotated = 0;
  if (annotated && !parse_bool(annotated, &is_annotated))
    SCAN_FAIL(0, "gradviz_annotated '%s' is not true or false", annotated);
  if ((st = keep_graph_level(file, dg, g, graph_attrs ? &kept : NULL, err))) goto done;
  if ((st = read_graph(file, dg, g, &dl, is_annotated, &sy, &er, &group_of, err))) goto done;
  agclose(dg);
  dg = NULL;
#ifdef __GLIBC__
  malloc_trim(0);
#endif
  if ((st = add_edges(file, g, &dl, &er, err))) goto done;
  if ((st = gdv_graph_finalize(g, err))) goto done;
  if (graph_attrs) *graph_attrs = kept;
  kept = NULL;  /* the caller's now, like the graph: nothing on failure */
  *out = g;
  g = NULL;
done:
  if (kept)
    for (char **a = kept; *a; a++) free(*a);
  free(kept);
  if (dg) agclose(dg);
  free(er.edges);
  free(er.id_of_seq);
  free(er.bad_arg);
  free(group_of);
  free(converted);
  free(errbuf);
  errbuf = NULL;
  gdv_graph_free(g);
  dot_lines_free(&dl);
  return st;
}

/* For batch, which records the content of the files a graph's settings
 * name without parsing the graph: the value of every `name = ID` in the
 * text, wherever it stands (a graph, subgraph, node or edge attribute:
 * more than cgraph applies to the graph, never fewer), read with the
 * scanner above, so quoting, '+' and escapes are undone as cgraph does.
 * A NULL-terminated malloc'd array of malloc'd strings; NULL when out of
 * memory. */
char **gdv_dot_attr_values(const char *text, size_t size, const char *name) {
  lexer lx = {text, text + size, 1, 1, TOK_END, 0, NULL, 0, 0, 0, 0, text};
  char **values = calloc(1, sizeof *values);
  size_t n = 0;
  int state = 0, ok = values != NULL;   /* 1: after the name, 2: after its '=' */
  while (ok && (ok = next_token(&lx)) && lx.kind != TOK_END) {
    if (state == 2 && lx.kind == TOK_ID) {
      char **more = realloc(values, (n + 2) * sizeof *values);
      if (more) values = more;
      ok = more && (values[n] = strdup(lx.text)) != NULL;
      if (ok) values[++n] = NULL;
    }
    state = lx.kind == TOK_ID && strcmp(lx.text, name) == 0 ? 1
            : state == 1 && lx.kind == TOK_PUNCT && lx.punct == '=' ? 2 : 0;
  }
  free(lx.text);
  if (!ok && values) {
    for (size_t i = 0; i < n; i++) free(values[i]);
    free(values);
    values = NULL;
  }
  return values;
}
