/* gdv_dot.c: the DOT reader. cgraph parses; a small scanner of our own
 * runs first, because cgraph neither tells the line of a node nor
 * complains about a byte-order mark, a second graph or a stray brace. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cgraph.h>

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

/* Reads the next token. Returns 0 only when memory runs out. */
static int next_token(lexer *lx) {
  skip_space(lx);
  lx->text_len = 0;
  if (lx->text) lx->text[0] = '\0';
  lx->quoted = 0;
  lx->tok_line = lx->line;
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
  if (c == '"') {
    /* "a" + "b" concatenates, as in DOT. */
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
  if (c == '<') {
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
  if (isalnum(c) || c == '_' || c == '.' || c == '-' || c >= 0x80) {
    while (lx->p < lx->end) {
      unsigned char d = (unsigned char)*lx->p;
      if (!(isalnum(d) || d == '_' || d == '.' || d >= 0x80 ||
            (d == '-' && lx->text_len == 0))) break;
      if (!text_push(lx, (char)d)) return 0;
      lx->p++;
    }
    return 1;
  }
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

/* Room for one more element (capacity doubling from 64); 0 when out of
 * memory, the array untouched. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem) {
  if (n < *cap) return 1;
  size_t nc = *cap ? 2 * *cap : 64;
  void *t = realloc(*arr, nc * elem);
  if (t == NULL) return 0;
  *arr = t;
  *cap = nc;
  return 1;
}

/* Records every mention of a name with its line; sorting later puts the
 * first mention first, which is the line messages cite. */
static int scan_add_name(dot_scan *sc, const char *name, long line) {
  if (!grow((void **)&sc->names, &sc->cap_names, sc->n_names, sizeof *sc->names)) return 0;
  sc->names[sc->n_names].name = strdup(name);
  sc->names[sc->n_names].line = line;
  return sc->names[sc->n_names++].name != NULL;
}

/* Records `tail -> head` with its position among edges (seq), so repeated
 * edges between one pair keep their file order. */
static int scan_add_edge(dot_scan *sc, const char *tail, const char *head,
                         long line) {
  if (!grow((void **)&sc->edges, &sc->cap_edges, sc->n_edges, sizeof *sc->edges)) return 0;
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
  lexer lexer_state = {text, text + size, 1, 1, TOK_END, 0, NULL, 0, 0, 0, 0};
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

/* By name, then line: line_of's binary search lands on the earliest mention. */
static int cmp_name_line(const void *a, const void *b) {
  const name_line *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c) return c;
  return (x->line > y->line) - (x->line < y->line);
}

/* The first line that names `name`, 0 if the scanner never saw it. */
static long line_of(const dot_scan *sc, const char *name) {
  size_t lo = 0, hi = sc->n_names;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(sc->names[mid].name, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < sc->n_names && strcmp(sc->names[lo].name, name) == 0
             ? sc->names[lo].line : 0;
}

/* Orders the scanned edges by tail, head, then file position, so that
 * the lines of the edges joining one pair can be found by binary search. */
static int cmp_edge_line(const void *a, const void *b) {
  const edge_line *x = a, *y = b;
  int c = strcmp(x->tail, y->tail);
  if (c == 0) c = strcmp(x->head, y->head);
  if (c) return c;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The line of the first unclaimed `tail -> head` in file order (edges
 * sorted by cmp_edge_line). Binary search: a 100,000-edge file must not
 * cost 100,000 squared string comparisons. */
static long edge_line_of(dot_scan *sc, const char *tail, const char *head) {
  size_t lo = 0, hi = sc->n_edges;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(sc->edges[mid].tail, tail);
    if (c == 0) c = strcmp(sc->edges[mid].head, head);
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < sc->n_edges; i++) {
    edge_line *e = &sc->edges[i];
    if (strcmp(e->tail, tail) != 0 || strcmp(e->head, head) != 0) break;
    if (!e->used) {
      e->used = 1;
      return e->line;
    }
  }
  return 0;
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

/* AGSEQ is cgraph's creation order, which is file order: operands without
 * `arg` follow the order the edges were written. */
static int cmp_edge_seq(const void *a, const void *b) {
  const Agedge_t *x = *(Agedge_t *const *)a, *y = *(Agedge_t *const *)b;
  return (AGSEQ(x) > AGSEQ(y)) - (AGSEQ(x) < AGSEQ(y));
}

/* A node attribute's value, NULL when absent or empty. */
static const char *attr(void *obj, const char *name) {
  char *v = agget(obj, (char *)name);
  return v && *v ? v : NULL;
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

/* Reads one node's attributes into the core graph. `annotated` marks a
 * file written by `gradviz render -o X.dot` (graph attribute
 * gradviz_annotated=true): there an op node's `value` is a computed result
 * to ignore, and `label` is the drawn annotation, the name to show being
 * kept in `gradviz_label` (`gradviz_unnamed=true`: none, only the op, as
 * for a formula file's intermediate node; cgraph cannot tell an empty
 * attribute from a missing one). */
static gdv_status read_node(const char *file, Agnode_t *n, gdv_graph *g,
                            long line, int annotated, gdv_error *err) {
  const char *name = agnameof(n);
  const char *op_name = attr(n, "op"), *value = attr(n, "value");
  const char *role_name = attr(n, "role"), *expo = attr(n, "exponent");
  const char *output = attr(n, "output"), *label = attr(n, "label");
  if (annotated) {
    const char *unnamed = attr(n, "gradviz_unnamed");
    int is_unnamed = 0;
    label = attr(n, "gradviz_label");
    if (unnamed && parse_bool(unnamed, &is_unnamed) && is_unnamed) label = "";
    if (op_name) value = NULL;
  }
  gdv_op op = GDV_OP_LEAF;
  gdv_id id;
  gdv_status st;
  if (op_name && !gdv_op_lookup(op_name, &op))
    return gdv_error_set(err, GDV_ERR_INPUT, file, line,
                         "node '%s': unknown op '%s'", name, op_name);
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
  return GDV_OK;
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

/* Two readers on one text: our scanner for lines and what cgraph lets pass
 * (BOM, undirected, strict, stray text), then cgraph for the graph itself. */
gdv_status gdv_dot_parse(const char *file, const char *text, size_t size,
                         gdv_graph **out, char ***graph_attrs,
                         gdv_error *err) {
  dot_scan sc;
  memset(&sc, 0, sizeof sc);
  gdv_graph *g = NULL;
  Agraph_t *dg = NULL;
  Agedge_t **edges = NULL;
  char **kept = NULL;
  gdv_status st = scan_dot(file, text, size, &sc, err);
  if (st) goto done;
  if (!sc.is_digraph)
    SCAN_FAIL(1, "an undirected graph: gradviz needs a 'digraph' "
              "(u -> v: u is an operand of v)");
  if (sc.is_strict)
    SCAN_FAIL(1, "a 'strict digraph' merges repeated edges such as "
              "x -> m; x -> m (x*x); write 'digraph'");
  /* qsort wants a real array even for none: a graph may have no edges. */
  if (sc.n_names) qsort(sc.names, sc.n_names, sizeof *sc.names, cmp_name_line);
  if (sc.n_edges) qsort(sc.edges, sc.n_edges, sizeof *sc.edges, cmp_edge_line);
  agseterr(AGMAX);
  agseterrf(keep_cgraph_error);
  dg = agmemread(text);
  if (dg == NULL) {
    st = cgraph_failure(file, err);
    goto done;
  }
  if ((st = gdv_graph_new(&g, file, err))) goto done;
  const char *annotated = attr(dg, "gradviz_annotated");
  int is_annotated = 0;
  if (annotated && !parse_bool(annotated, &is_annotated))
    SCAN_FAIL(0, "gradviz_annotated '%s' is not true or false", annotated);
  for (Agnode_t *n = agfstnode(dg); n; n = agnxtnode(dg, n)) {
    st = read_node(file, n, g, line_of(&sc, agnameof(n)), is_annotated, err);
    if (st) goto done;
  }
  /* Edges in file order (AGSEQ): cgraph lists in-edges by tail instead. */
  size_t m = (size_t)agnedges(dg), k = 0;
  edges = malloc((m ? m : 1) * sizeof *edges);
  if (edges == NULL) OOM_FAIL();
  for (Agnode_t *n = agfstnode(dg); n; n = agnxtnode(dg, n))
    for (Agedge_t *e = agfstout(dg, n); e; e = agnxtout(dg, e)) edges[k++] = e;
  qsort(edges, k, sizeof *edges, cmp_edge_seq);
  for (size_t i = 0; i < k; i++) {
    Agedge_t *e = edges[i];
    const char *tail = agnameof(agtail(e)), *head = agnameof(aghead(e));
    long line = edge_line_of(&sc, tail, head);
    if (line == 0) line = line_of(&sc, head);
    long arg = -1;
    const char *arg_text = attr(e, "arg");
    if (arg_text) {
      char *end;
      arg = strtol(arg_text, &end, 10);
      if (*end != '\0' || arg < 0 || end == arg_text)
        SCAN_FAIL(line, "edge %s -> %s: arg '%s' is not a whole number "
                  "from 0", tail, head, arg_text);
    }
    st = gdv_graph_add_edge(g, gdv_graph_find(g, tail), gdv_graph_find(g, head),
                            arg, line, err);
    if (st) goto done;
  }
  const char *title = attr(dg, "label"), *rankdir = attr(dg, "rankdir");
  if (title && !(g->title = strdup(title))) OOM_FAIL();
  if (rankdir && !(g->rankdir = strdup(rankdir))) OOM_FAIL();
  if (graph_attrs && (st = keep_graph_attrs(dg, &kept, err, file)))
    goto done;
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
  free(edges);
  free(errbuf);
  errbuf = NULL;
  gdv_graph_free(g);
  scan_free(&sc);
  return st;
}
