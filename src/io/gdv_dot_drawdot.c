/* gdv_dot_drawdot.c: the DOT that micrograd-style draw_dot functions write
 * (the backprop lecture and its forks): a `shape=record` node per value,
 * labelled `{ NAME | data X | grad Y }` or `{ data X | grad Y }`, and a
 * small op node (`+`, `*`, `tanh`, `**2`...) feeding the record it
 * produces, with edges operand record -> op node. Each op node is folded
 * into its record. The operands come from a Python set, so their order is
 * lost and a repeated operand (a*a) is one edge: the order of `-`, `/`
 * and `**` is the one the recorded data says, and a binary op with one
 * operand uses it twice. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/gdv_dot_int.h"

/* One record node: what its label says. */
typedef struct dd_record {
  Agnode_t *node;
  char *text;           /* the label flattened: data and grad point in it */
  char *name;           /* the label's NAME ("" when none) */
  char *data, *grad;    /* the numbers' text, NULL when absent */
  Agnode_t *op_node;    /* the op node feeding it; NULL: a leaf */
  char *node_name;      /* the name in gradviz's graph */
} dd_record;

typedef struct dd_graph {
  const char *file;
  dd_record *rec;
  size_t n_rec;
  long *rec_of_seq;     /* cgraph AGSEQ -> record index, -1 for op nodes */
  size_t n_seq;
  gdv_dot_line_fn line_of;
  const void *ctx;
} dd_graph;

/* An attribute's value by name; NULL when absent or empty. */
static const char *node_attr(Agnode_t *n, const char *name) {
  char *v = agget(n, (char *)name);
  return v && *v ? v : NULL;
}

static int is_record(Agnode_t *n) {
  const char *shape = node_attr(n, "shape");
  return shape && (strcmp(shape, "record") == 0 || strcmp(shape, "Mrecord") == 0);
}

/* Record syntax flattened: braces and bars become spaces (a backslash
 * keeps the next byte), so the fields read as words. A copy; NULL when
 * out of memory. */
static char *flatten_label(const char *label) {
  size_t n = strlen(label);
  char *out = malloc(n + 1), *o = out;
  if (out == NULL) return NULL;
  for (const char *p = label; *p; p++) {
    if (*p == '\\' && p[1]) { *o++ = *++p; continue; }
    *o++ = strchr("{}|", *p) ? ' ' : *p;
  }
  *o = '\0';
  return out;
}

/* The keyword a word starts with ("data", "data:", "data:2.0"), and where
 * the number glued to it starts (NULL: the next word holds it). */
static int keyword_word(const char *w, const char *kw, const char **glued) {
  size_t k = strlen(kw);
  if (strncasecmp(w, kw, k) != 0) return 0;
  const char *rest = w + k;
  if (*rest == ':') rest++;
  else if (*rest != '\0') return 0;
  *glued = *rest ? rest : NULL;
  return 1;
}

/* Splits the flattened label into words in place: NAME words (joined by
 * single spaces into r->name, as long as the label at most), and the words
 * after `data` and `grad`. */
static gdv_status parse_words(const dd_graph *d, dd_record *r, long line, gdv_error *err) {
  char *save = NULL, *name_end = r->name;
  int expect = 0;   /* 1: data's number next, 2: grad's */
  for (char *w = strtok_r(r->text, " \t\r\n", &save); w;
       w = strtok_r(NULL, " \t\r\n", &save)) {
    const char *glued;
    if (expect) {
      *(expect == 1 ? &r->data : &r->grad) = w;
      expect = 0;
    } else if (keyword_word(w, "data", &glued)) {
      if (glued) r->data = (char *)glued; else expect = 1;
    } else if (keyword_word(w, "grad", &glued)) {
      if (glued) r->grad = (char *)glued; else expect = 2;
    } else {
      if (name_end != r->name) *name_end++ = ' ';
      size_t len = strlen(w);
      memcpy(name_end, w, len + 1);
      name_end += len;
    }
  }
  if (expect)
    return gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "record '%.200s': '%s' without "
                         "a number after it", agnameof(r->node), expect == 1 ? "data" : "grad");
  if (r->data == NULL)
    return gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "record '%.200s' has no 'data' "
                         "field (draw_dot labels read { NAME | data X | grad Y })",
                         agnameof(r->node));
  return GDV_OK;
}

/* Reads one record's label into the record's own copy of it. */
static gdv_status parse_record(const dd_graph *d, dd_record *r, long line, gdv_error *err) {
  const char *label = node_attr(r->node, "label");
  r->text = flatten_label(label ? label : "");
  r->name = r->text ? calloc(strlen(r->text) + 1, 1) : NULL;
  if (r->name == NULL) return gdv_error_set(err, GDV_ERR_SYSTEM, d->file, 0, "out of memory");
  return parse_words(d, r, line, err);
}

int gdv_drawdot_detect(Agraph_t *dg) {
  if (agattr(dg, AGNODE, "op", NULL) || agattr(dg, AGNODE, "value", NULL)) return 0;
  for (Agnode_t *n = agfstnode(dg); n; n = agnxtnode(dg, n)) {
    if (!is_record(n)) continue;
    const char *label = node_attr(n, "label");
    char *flat = label ? flatten_label(label) : NULL;
    if (flat == NULL) continue;
    int found = 0;
    char *save = NULL;
    for (char *w = strtok_r(flat, " \t\r\n", &save); w && !found;
         w = strtok_r(NULL, " \t\r\n", &save)) {
      const char *glued;
      found = keyword_word(w, "data", &glued);
    }
    free(flat);
    if (found) return 1;
  }
  return 0;
}

/* The record of a cgraph node, or -1 for an op node. */
static long record_of(const dd_graph *d, Agnode_t *n) {
  uint64_t s = AGSEQ(n);
  return s < d->n_seq ? d->rec_of_seq[s] : -1;
}

/* Every node a record or an op node; the records parsed; each op node
 * tied to the one record it produces. */
static gdv_status collect(dd_graph *d, Agraph_t *dg, gdv_error *err) {
  size_t n_nodes = 0;
  uint64_t max_seq = 0;
  for (Agnode_t *n = agfstnode(dg); n; n = agnxtnode(dg, n)) {
    n_nodes++;
    if (AGSEQ(n) > max_seq) max_seq = AGSEQ(n);
  }
  d->n_seq = (size_t)max_seq + 1;
  d->rec = calloc(n_nodes ? n_nodes : 1, sizeof *d->rec);
  d->rec_of_seq = malloc(d->n_seq * sizeof *d->rec_of_seq);
  if (d->rec == NULL || d->rec_of_seq == NULL)
    return gdv_error_set(err, GDV_ERR_SYSTEM, d->file, 0, "out of memory");
  for (size_t s = 0; s < d->n_seq; s++) d->rec_of_seq[s] = -1;
  for (Agnode_t *n = agfstnode(dg); n; n = agnxtnode(dg, n)) {
    if (!is_record(n)) continue;
    dd_record *r = &d->rec[d->n_rec];
    r->node = n;
    d->rec_of_seq[AGSEQ(n)] = (long)d->n_rec++;
    gdv_status st = parse_record(d, r, d->line_of(d->ctx, agnameof(n)), err);
    if (st) return st;
  }
  for (Agnode_t *n = agfstnode(dg); n; n = agnxtnode(dg, n)) {
    long line = d->line_of(d->ctx, agnameof(n));
    if (record_of(d, n) >= 0) {
      for (Agedge_t *e = agfstout(dg, n); e; e = agnxtout(dg, e))
        if (record_of(d, aghead(e)) >= 0)
          return gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "edge from record "
                               "'%.200s' to record '%.200s': draw_dot's edges go operand "
                               "-> op node -> result", agnameof(n), agnameof(aghead(e)));
      continue;
    }
    Agedge_t *out = agfstout(dg, n);
    if (out == NULL || agnxtout(dg, out) != NULL || record_of(d, aghead(out)) < 0)
      return gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "op node '%.200s' must feed "
                           "exactly one record (the value it produces)", agnameof(n));
    dd_record *r = &d->rec[record_of(d, aghead(out))];
    if (r->op_node != NULL)
      return gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "record '%.200s' is fed by two "
                           "op nodes", agnameof(r->node));
    r->op_node = n;
  }
  return GDV_OK;
}

/* Where a name is taken: the records' names, sorted, to test fallbacks
 * and repeats against. */
static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int name_taken(char **sorted, size_t n, const char *name) {
  return bsearch(&name, sorted, n, sizeof *sorted, cmp_str) != NULL;
}

/* The label's NAME when it has one and no other record has it; else a
 * readable fallback: NAME#2 for a repeat, v1, v2... (file order) for none,
 * skipping any the file uses. */
static gdv_status choose_names(dd_graph *d, gdv_error *err) {
  char **sorted = malloc((d->n_rec ? d->n_rec : 1) * sizeof *sorted);
  if (sorted == NULL) return gdv_error_set(err, GDV_ERR_SYSTEM, d->file, 0, "out of memory");
  for (size_t i = 0; i < d->n_rec; i++) sorted[i] = d->rec[i].name;
  qsort(sorted, d->n_rec, sizeof *sorted, cmp_str);
  size_t fallback = 0;
  gdv_status st = GDV_OK;
  for (size_t i = 0; i < d->n_rec && st == GDV_OK; i++) {
    dd_record *r = &d->rec[i];
    size_t len = strlen(r->name) + 32, repeat = 1;
    if ((r->node_name = malloc(len)) == NULL) {
      st = gdv_error_set(err, GDV_ERR_SYSTEM, d->file, 0, "out of memory");
      break;
    }
    if (*r->name == '\0') {
      do snprintf(r->node_name, len, "v%zu", ++fallback);
      while (name_taken(sorted, d->n_rec, r->node_name));
      continue;
    }
    for (size_t j = 0; j < i; j++) repeat += strcmp(d->rec[j].name, r->name) == 0;
    if (repeat == 1) snprintf(r->node_name, len, "%s", r->name);
    else snprintf(r->node_name, len, "%s#%zu", r->name, repeat);
  }
  free(sorted);
  return st;
}

/* The op node's text: its label, else what its name adds to the name of
 * the record it feeds (draw_dot names it uid + op). */
static const char *op_text(const dd_record *r) {
  const char *label = node_attr(r->op_node, "label");
  if (label && strcmp(label, "\\N") != 0) return label;
  const char *name = agnameof(r->op_node), *uid = agnameof(r->node);
  size_t k = strlen(uid);
  return strncmp(name, uid, k) == 0 ? name + k : name;
}

/* The names draw_dot's forks write for gradviz's ops (case ignored). */
typedef struct dd_op_name {
  const char *text;
  gdv_op op;
} dd_op_name;

static const dd_op_name op_names[] = {
  {"+", GDV_OP_ADD}, {"sum", GDV_OP_ADD}, {"*", GDV_OP_MUL}, {"\xC3\x97", GDV_OP_MUL},
  {"-", GDV_OP_SUB}, {"/", GDV_OP_DIV}, {"truediv", GDV_OP_DIV}, {"^", GDV_OP_POW},
  {"**", GDV_OP_POW},
};

/* Ops of three or more operands whose order matters: draw_dot's operands
 * come from a set, and no recorded number tells x from lo and hi. */
static int order_lost(gdv_op op) {
  return op == GDV_OP_CLAMP;
}

/* The names map_op knows, for its message: the op table's (but those whose
 * order is lost) and its aliases, after the symbols above. Generated, so a
 * new op is in the list by itself. */
static const char *known_ops(char *buf, size_t size) {
  size_t n = (size_t)snprintf(buf, size, "+, *, -, /, **k");
  gdv_op op;
  for (int k = GDV_OP_ADD; k < GDV_OP_COUNT && n < size; k++)
    if (k != GDV_OP_POWK && !order_lost((gdv_op)k))
      n += (size_t)snprintf(buf + n, size - n, ", %s", gdv_op_get((gdv_op)k)->name);
  const char *alias;
  for (size_t i = 0; (alias = gdv_op_alias(i, &op)) != NULL && n < size; i++)
    n += (size_t)snprintf(buf + n, size - n, ", %s", alias);
  return buf;
}

/* Maps the op text; `**3` and `^0.5` give pow with that exponent. */
static gdv_status map_op(const dd_graph *d, const char *text, long line, gdv_op *op,
                         double *k, int *has_k, gdv_error *err) {
  char lower[64], known[512];
  size_t n = strlen(text);
  *has_k = 0;
  if (n < sizeof lower) {
    for (size_t i = 0; i <= n; i++) lower[i] = (char)tolower((unsigned char)text[i]);
    size_t skip = strncmp(lower, "**", 2) == 0 ? 2 : lower[0] == '^' ? 1 : 0;
    if (skip && lower[skip] && gdv_parse_number(lower + skip, k)) {
      *op = GDV_OP_POWK;
      *has_k = 1;
      return GDV_OK;
    }
    for (size_t i = 0; i < sizeof op_names / sizeof *op_names; i++)
      if (strcmp(lower, op_names[i].text) == 0) {
        *op = op_names[i].op;
        return GDV_OK;
      }
    if (gdv_op_lookup(lower, op) && order_lost(*op))
      return gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "'%.80s' in a draw_dot graph: "
                           "its operands come from a set, so which is x, lo and hi is "
                           "lost (write the graph as DOT with arg, or as a formula)", text);
    if (gdv_op_lookup(lower, op)) return GDV_OK;
  }
  return gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "unknown operation '%.80s' in a "
                       "draw_dot graph (known: %s)", text, known_ops(known, sizeof known));
}

/* The recorded data of record i as a number (checked when recorded). */
static double data_of(const dd_graph *d, long i) {
  double x = 0;
  gdv_parse_number(d->rec[i].data, &x);
  return x;
}

/* f(a, b) for the ops whose operand order matters. */
static double apply2(gdv_op op, double a, double b) {
  return op == GDV_OP_SUB ? a - b : op == GDV_OP_DIV ? a / b : pow(a, b);
}

/* The order of a-b, a/b, a**b the recorded result says: swapped when only
 * the swapped order gives the result's data. */
static int swapped_order(const dd_graph *d, const dd_record *r, gdv_op op, long a, long b) {
  double want;
  if (!gdv_parse_number(r->data, &want)) return 0;
  double half = gdv_number_half_unit(r->data);
  int ab = gdv_recorded_matches(want, half, apply2(op, data_of(d, a), data_of(d, b)), 1e-9);
  int ba = gdv_recorded_matches(want, half, apply2(op, data_of(d, b), data_of(d, a)), 1e-9);
  return ba && !ab;
}

/* The operand list of every record, end to end (record i's operands are
 * operand[start[i]] .. operand[start[i+1]-1]), as records indexes. */
typedef struct dd_operands {
  long *operand;
  size_t n, cap;
  size_t *start;
} dd_operands;

static int push_operand(dd_operands *o, long rec) {
  if (!gdv_grow((void **)&o->operand, &o->cap, o->n, sizeof *o->operand)) return 0;
  o->operand[o->n++] = rec;
  return 1;
}

/* In-edges in file order (cgraph's AGSEQ of the edge). */
static int cmp_edge_seq(const void *a, const void *b) {
  return gdv_cmp_u64(AGSEQ(*(Agedge_t *const *)a), AGSEQ(*(Agedge_t *const *)b));
}

/* The op node's operands, in file order, as records. */
static gdv_status gather_operands(dd_graph *d, Agraph_t *dg, const dd_record *r, long line,
                                  dd_operands *o, gdv_error *err) {
  size_t n_in = 0, k = 0;
  for (Agedge_t *e = agfstin(dg, r->op_node); e; e = agnxtin(dg, e)) n_in++;
  if (n_in == 0)
    return gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "op node '%.200s' has no "
                         "operands (no edge into it)", agnameof(r->op_node));
  Agedge_t **in = malloc(n_in * sizeof *in);
  if (in == NULL) return gdv_error_set(err, GDV_ERR_SYSTEM, d->file, 0, "out of memory");
  for (Agedge_t *e = agfstin(dg, r->op_node); e; e = agnxtin(dg, e)) in[k++] = e;
  qsort(in, n_in, sizeof *in, cmp_edge_seq);
  gdv_status st = GDV_OK;
  for (k = 0; k < n_in && st == GDV_OK; k++) {
    long from = record_of(d, agtail(in[k]));
    if (from < 0)
      st = gdv_error_set(err, GDV_ERR_INPUT, d->file, line, "op node '%.200s' has an operand "
                         "'%.200s' that is not a record", agnameof(r->op_node),
                         agnameof(agtail(in[k])));
    else if (!push_operand(o, from))
      st = gdv_error_set(err, GDV_ERR_SYSTEM, d->file, 0, "out of memory");
  }
  free(in);
  return st;
}

/* Settles what the set of operands lost: one operand of a two-operand op
 * is used twice (a*a, a+a), except a lone `-`, which is negation unless
 * the result is 0 from a nonzero operand (a-a); the order of -, / and **
 * is the one that gives the recorded result. */
static gdv_status settle_operands(const dd_graph *d, const dd_record *r, gdv_op *op,
                                  dd_operands *o, size_t first) {
  size_t n = o->n - first;
  long *arg = o->operand + first;
  if (n == 2 && (*op == GDV_OP_SUB || *op == GDV_OP_DIV || *op == GDV_OP_POW) &&
      swapped_order(d, r, *op, arg[0], arg[1])) {
    long t = arg[0];
    arg[0] = arg[1];
    arg[1] = t;
  }
  if (n != 1) return GDV_OK;
  if (*op == GDV_OP_SUB) {
    double want;
    int zero = gdv_parse_number(r->data, &want) &&
               gdv_recorded_matches(want, gdv_number_half_unit(r->data), 0, 0) &&
               data_of(d, arg[0]) != 0;
    if (!zero) {
      *op = GDV_OP_NEG;
      return GDV_OK;
    }
  }
  if (*op == GDV_OP_ADD || *op == GDV_OP_MUL || *op == GDV_OP_SUB || *op == GDV_OP_DIV ||
      *op == GDV_OP_POW)
    return push_operand(o, arg[0]) ? GDV_OK : GDV_ERR_SYSTEM;
  return GDV_OK;
}

/* One record into gradviz's graph (its id is its index): a leaf with its
 * data as value, or the op its op node names; its numbers recorded. */
static gdv_status add_record(dd_graph *d, Agraph_t *dg, gdv_graph *g, size_t i,
                             dd_operands *o, gdv_error *err) {
  dd_record *r = &d->rec[i];
  long line = d->line_of(d->ctx, agnameof(r->node));
  gdv_op op = GDV_OP_LEAF;
  double k = 0;
  int has_k = 0;
  gdv_status st;
  o->start[i] = o->n;
  if (r->op_node) {
    long op_line = d->line_of(d->ctx, agnameof(r->op_node));
    if ((st = map_op(d, op_text(r), op_line, &op, &k, &has_k, err))) return st;
    if ((st = gather_operands(d, dg, r, op_line, o, err))) return st;
    if ((st = settle_operands(d, r, &op, o, o->start[i])))
      return gdv_error_set(err, st, d->file, 0, "out of memory");
  }
  gdv_id id;
  if ((st = gdv_graph_add_node(g, r->node_name, op, line, &id, err))) return st;
  g->exponent[id] = k;
  /* recorded first: a number that is not one gets record's message */
  unsigned which = GDV_REC_VALUE | (op == GDV_OP_LEAF ? GDV_REC_ROUNDED_LEAF : 0);
  if ((st = gdv_graph_record(g, id, which, r->data, err))) return st;
  if (op == GDV_OP_LEAF) gdv_parse_number(r->data, &g->value[id]);
  return r->grad ? gdv_graph_record(g, id, GDV_REC_GRAD, r->grad, err) : GDV_OK;
}

static void dd_free(dd_graph *d, dd_operands *o) {
  for (size_t i = 0; i < d->n_rec; i++) {
    free(d->rec[i].text);
    free(d->rec[i].name);
    free(d->rec[i].node_name);
  }
  free(d->rec);
  free(d->rec_of_seq);
  free(o->operand);
  free(o->start);
}

gdv_status gdv_drawdot_read(const char *file, Agraph_t *dg, gdv_graph *g,
                            gdv_dot_line_fn line_of, const void *ctx, gdv_error *err) {
  dd_graph d = {file, NULL, 0, NULL, 0, line_of, ctx};
  dd_operands o = {NULL, 0, 0, NULL};
  gdv_status st = collect(&d, dg, err);
  if (st == GDV_OK) st = choose_names(&d, err);
  if (st == GDV_OK && (o.start = malloc((d.n_rec + 1) * sizeof *o.start)) == NULL)
    st = gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
  for (size_t i = 0; st == GDV_OK && i < d.n_rec; i++) st = add_record(&d, dg, g, i, &o, err);
  if (st == GDV_OK) o.start[d.n_rec] = o.n;
  for (size_t i = 0; st == GDV_OK && i < d.n_rec; i++) {
    long line = d.rec[i].op_node ? line_of(ctx, agnameof(d.rec[i].op_node)) : 0;
    for (size_t j = o.start[i]; st == GDV_OK && j < o.start[i + 1]; j++)
      st = gdv_graph_add_edge(g, (gdv_id)o.operand[j], (gdv_id)i, -1, line, err);
  }
  dd_free(&d, &o);
  return st;
}
