/* gdv_grade.c: a student's answers against the evaluated graph, with the
 * likely cause of each wrong one. The backward quantities are judged from
 * the output down (a node's gradient, then the gradients of its in-edges),
 * so that each answer is judged after the answers it is computed from: a
 * wrong answer that follows from the student's own wrong answers upstream
 * is carried, and costs nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gdv_exercise.h"

static const char *const quantity_names[GDV_Q_COUNT] = {"value", "grad", "local", "edge-grad"};

const char *gdv_quantity_name(gdv_quantity q) {
  return q < GDV_Q_COUNT ? quantity_names[q] : "?";
}

int gdv_quantity_lookup(const char *name, gdv_quantity *out) {
  int i = gdv_name_index(quantity_names, GDV_Q_COUNT, name);
  if (i < 0) return 0;
  *out = (gdv_quantity)i;
  return 1;
}

/* 2% or 0.01: a hand computation carried to three or four digits. */
void gdv_grade_defaults(gdv_grade_options *o) {
  o->rtol = 0.02;
  o->atol = 0.01;
}

int gdv_grade_close(double x, double e, const gdv_grade_options *o) {
  return isfinite(x) && isfinite(e) && fabs(x - e) <= fmax(o->rtol * fabs(e), o->atol);
}

double gdv_quantity_truth(const gdv_graph *g, gdv_quantity q, gdv_id item) {
  switch (q) {
  case GDV_Q_VALUE: return g->value[item];
  case GDV_Q_GRAD: return g->grad[item];
  case GDV_Q_LOCAL: return g->edge_local[item];
  case GDV_Q_EDGE_GRAD: return g->edge_grad[item];
  case GDV_Q_COUNT: break;
  }
  return NAN;
}

/* Where each quantity's answer is (SIZE_MAX: unanswered), and the
 * judging so far. */
typedef struct grader {
  const gdv_graph *g;
  const gdv_answer *a;
  const gdv_grade_options *o;
  gdv_grade_row *rows;
  size_t *node_answer[2];   /* value, grad: per node */
  size_t *edge_answer[2];   /* local, edge-grad: per edge */
  gdv_consumers out;
} grader;

/* The answer to quantity q of item, or SIZE_MAX. */
static size_t answer_of(const grader *gr, gdv_quantity q, size_t item) {
  return q <= GDV_Q_GRAD ? gr->node_answer[q][item] : gr->edge_answer[q - GDV_Q_LOCAL][item];
}

/* The student's number for a quantity: theirs where they answered, else
 * the true one; *wrong gets the first wrong answer it rests on (the start
 * of its chain), kept when already set. */
static double own(const grader *gr, gdv_quantity q, size_t item, size_t *wrong) {
  size_t i = answer_of(gr, q, item);
  if (i == SIZE_MAX) return gdv_quantity_truth(gr->g, q, item);
  const gdv_grade_row *r = &gr->rows[i];
  if (r->verdict != GDV_RIGHT && *wrong == SIZE_MAX)
    *wrong = r->verdict == GDV_CARRIED ? r->from : i;
  return gr->a[i].value;
}

/* A fan-out sum given in part: the smallest set of node u's terms (its
 * live out-edges' gradients, true or the student's own) whose sum is x;
 * its complement goes to the row. Any subset up to 12 terms, single
 * terms beyond. */
static int part_sum(grader *gr, gdv_id u, double x, gdv_grade_row *r) {
  const gdv_graph *g = gr->g;
  size_t n = 0, *terms = malloc((gr->out.start[u + 1] - gr->out.start[u] + 1) * sizeof *terms);
  if (terms == NULL) return -1;
  for (size_t j = gr->out.start[u]; j < gr->out.start[u + 1]; j++)
    if (g->reaches[g->edge_to[gr->out.edge[j]]]) terms[n++] = gr->out.edge[j];
  int found = 0;
  unsigned long best = 0;
  for (int pass = 0; pass < 2 && !found && n >= 2; pass++) {
    int best_size = INT32_MAX;
    unsigned long limit = n <= 12 ? (1ul << n) - 1 : 0;
    for (unsigned long m = 1; m < limit; m++) {
      int size = __builtin_popcountl(m);
      if (size >= best_size) continue;
      double s = 0;
      size_t ignore = SIZE_MAX;
      for (size_t k = 0; k < n; k++)
        if (m >> k & 1)
          s += pass ? own(gr, GDV_Q_EDGE_GRAD, terms[k], &ignore) : g->edge_grad[terms[k]];
      if (gdv_grade_close(x, s, gr->o)) {
        best = m;
        best_size = size;
        found = 1;
      }
    }
    for (size_t k = 0; n > 12 && !found && k < n; k++) {
      size_t ignore = SIZE_MAX;
      double t = pass ? own(gr, GDV_Q_EDGE_GRAD, terms[k], &ignore) : g->edge_grad[terms[k]];
      if (gdv_grade_close(x, t, gr->o)) {
        found = 1;
        r->missing = malloc((n - 1) * sizeof *r->missing);
        if (r->missing == NULL) { free(terms); return -1; }
        for (size_t j = 0; j < n; j++)
          if (j != k) r->missing[r->n_missing++] = terms[j];
      }
    }
  }
  if (found && n <= 12) {
    r->missing = malloc(n * sizeof *r->missing);
    if (r->missing == NULL) { free(terms); return -1; }
    for (size_t k = 0; k < n; k++)
      if (!(best >> k & 1)) r->missing[r->n_missing++] = terms[k];
  }
  r->n_terms = n;
  free(terms);
  return found;
}

/* Judges answer i, whose number from the student's own upstream answers
 * is `mine` (NAN: none) resting on the wrong answer `wrong` (SIZE_MAX:
 * none). Sign first, then (fan-out, local) by the caller. */
static void judge(grader *gr, size_t i, double mine, size_t wrong) {
  gdv_grade_row *r = &gr->rows[i];
  double x = gr->a[i].value;
  r->expected = gdv_quantity_truth(gr->g, (gdv_quantity)gr->a[i].quantity, gr->a[i].item);
  r->own = mine;
  if (gdv_grade_close(x, r->expected, gr->o)) {
    r->verdict = GDV_RIGHT;
    return;
  }
  r->verdict = GDV_WRONG;
  if (wrong != SIZE_MAX && gdv_grade_close(x, mine, gr->o)) {
    r->verdict = GDV_CARRIED;
    r->cause = GDV_CAUSE_CARRIED;
    r->from = wrong;
  } else if (r->expected != 0 && gdv_grade_close(-x, r->expected, gr->o)) {
    r->cause = GDV_CAUSE_SIGN;
  }
}

/* The local derivative given for a gradient: x is edge e's local, which
 * is not the gradient asked for. */
static int gave_local(const grader *gr, double x, double expected, size_t e) {
  double local = gr->g->edge_local[e];
  return gdv_grade_close(x, local, gr->o) && !gdv_grade_close(local, expected, gr->o);
}

/* dC/dc, then the gradients along c's in-edges. */
static int judge_node(grader *gr, gdv_id c) {
  const gdv_graph *g = gr->g;
  size_t i = gr->node_answer[GDV_Q_GRAD][c];
  if (i != SIZE_MAX) {
    size_t wrong = SIZE_MAX, live = 0, only = SIZE_MAX;
    double mine = c == g->output ? 1 : 0;
    for (size_t j = gr->out.start[c]; c != g->output && j < gr->out.start[c + 1]; j++) {
      size_t e = gr->out.edge[j];
      if (!g->reaches[g->edge_to[e]]) continue;
      mine += own(gr, GDV_Q_EDGE_GRAD, e, &wrong);
      live++;
      only = e;
    }
    judge(gr, i, mine, wrong);
    gdv_grade_row *r = &gr->rows[i];
    double x = gr->a[i].value;
    if (r->verdict == GDV_WRONG && r->cause == GDV_CAUSE_UNKNOWN && live >= 2) {
      int found = part_sum(gr, c, x, r);
      if (found < 0) return 0;
      if (found) r->cause = GDV_CAUSE_PART_SUM;
    }
    if (r->verdict == GDV_WRONG && r->cause == GDV_CAUSE_UNKNOWN && live == 1 &&
        gave_local(gr, x, r->expected, only)) {
      r->cause = GDV_CAUSE_LOCAL;
      r->edge = only;
    }
  }
  for (size_t e = g->arg_start[c]; e < g->arg_start[c + 1]; e++) {
    size_t k = gr->edge_answer[GDV_Q_EDGE_GRAD - GDV_Q_LOCAL][e];
    if (k == SIZE_MAX) continue;
    size_t wrong = SIZE_MAX;
    double mine = own(gr, GDV_Q_GRAD, c, &wrong);
    mine *= own(gr, GDV_Q_LOCAL, e, &wrong);
    if (!g->reaches[c]) mine = 0;
    judge(gr, k, mine, wrong);
    gdv_grade_row *r = &gr->rows[k];
    if (r->verdict == GDV_WRONG && r->cause == GDV_CAUSE_UNKNOWN &&
        gave_local(gr, gr->a[k].value, r->expected, e)) {
      r->cause = GDV_CAUSE_LOCAL;
      r->edge = e;
    }
  }
  return 1;
}

void gdv_grade_result_free(gdv_grade_result *r) {
  for (size_t i = 0; r->rows && i < r->n_rows; i++) free(r->rows[i].missing);
  free(r->rows);
  memset(r, 0, sizeof *r);
}

gdv_status gdv_grade(const gdv_graph *g, const gdv_answer *answers, size_t n,
                     const gdv_grade_options *o, gdv_grade_result *r, gdv_error *err) {
  memset(r, 0, sizeof *r);
  grader gr;
  memset(&gr, 0, sizeof gr);
  gr.g = g;
  gr.a = answers;
  gr.o = o;
  size_t nn = g->n_nodes, ne = g->n_edges;
  size_t *maps = malloc((2 * nn + 2 * ne + 1) * sizeof *maps);
  r->rows = calloc(n ? n : 1, sizeof *r->rows);
  if (maps == NULL || r->rows == NULL || gdv_consumers_build(g, &gr.out, err)) {
    free(maps);
    free(r->rows);
    r->rows = NULL;
    return gdv_error_oom(err);
  }
  for (size_t k = 0; k < 2 * nn + 2 * ne; k++) maps[k] = SIZE_MAX;
  gr.node_answer[0] = maps;
  gr.node_answer[1] = maps + nn;
  gr.edge_answer[0] = maps + 2 * nn;
  gr.edge_answer[1] = maps + 2 * nn + ne;
  gr.rows = r->rows;
  r->n_rows = n;
  for (size_t i = 0; i < n; i++) {
    const gdv_answer *a = &answers[i];
    gr.rows[i].answer = i;
    gr.rows[i].from = gr.rows[i].edge = SIZE_MAX;
    gr.rows[i].own = NAN;
    if (a->quantity <= GDV_Q_GRAD) gr.node_answer[a->quantity][a->item] = i;
    else gr.edge_answer[a->quantity - GDV_Q_LOCAL][a->item] = i;
  }
  /* the forward quantities first: the backward ones rest on the locals */
  int ok = 1;
  for (size_t i = 0; i < n; i++)
    if (answers[i].quantity == GDV_Q_VALUE || answers[i].quantity == GDV_Q_LOCAL)
      judge(&gr, i, NAN, SIZE_MAX);
  for (size_t c = nn; ok && c-- > 0;) ok = judge_node(&gr, (gdv_id)c);
  gdv_consumers_free(&gr.out);
  free(maps);
  if (!ok) {
    gdv_grade_result_free(r);
    return gdv_error_oom(err);
  }
  for (size_t i = 0; i < n; i++) {
    r->n_right += r->rows[i].verdict == GDV_RIGHT;
    r->n_wrong += r->rows[i].verdict == GDV_WRONG;
    r->n_carried += r->rows[i].verdict == GDV_CARRIED;
  }
  return GDV_OK;
}

/* The grid of gdv_grade_cell: linear below `split`, logarithmic above. */
static void grid(const gdv_grade_options *o, double *lin, double *lg, double *split) {
  *lin = o->atol > 0 ? o->atol / 4 : 0;
  *lg = o->rtol > 0 ? log1p(o->rtol / 4) : 0;
  *split = o->rtol > 0 ? (o->atol > 0 ? o->atol / o->rtol : 0) : INFINITY;
}

void gdv_grade_cell(double x, const gdv_grade_options *o, char *buf, size_t size) {
  double lin, lg, split;
  grid(o, &lin, &lg, &split);
  if (!isfinite(x)) snprintf(buf, size, "n");
  /* + 0.0: never "-0" (the page's script writes 0) */
  else if (fabs(x) < split) snprintf(buf, size, "a%.0f", lin > 0 ? floor(x / lin + 0.5) + 0.0 : 0.0);
  else if (x == 0) snprintf(buf, size, "z");
  else snprintf(buf, size, "%c%.0f", x < 0 ? '-' : '+', floor(log(fabs(x)) / lg + 0.5) + 0.0);
}

size_t gdv_grade_cells_near(double t, const gdv_grade_options *o, char (*cells)[32], size_t n) {
  double tol = fmax(o->rtol * fabs(t), o->atol), lo = t - tol;
  size_t k = 0;
  for (int i = 0; i <= 32 && k < n; i++) {
    char c[32];
    gdv_grade_cell(i == 16 ? t : lo + tol * i / 16, o, c, sizeof c);
    int seen = 0;
    for (size_t j = 0; j < k && !seen; j++) seen = strcmp(cells[j], c) == 0;
    if (!seen) memcpy(cells[k++], c, sizeof c);
  }
  return k;
}

/* murmur3's finaliser: every bit of h moves every bit of the result. */
static uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

/* FNV-1a over bytes. */
static uint32_t fnv1a(uint32_t h, const char *s) {
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

uint32_t gdv_grade_hash(const char *salt, const char *tag, const char *cell) {
  uint32_t h = fnv1a(2166136261u, salt);
  h = fnv1a(h, "|");
  h = fnv1a(h, tag);
  h = fnv1a(h, "|");
  h = fnv1a(h, cell);
  for (uint32_t r = 0; r < 64; r++) h = fmix32(h ^ r);
  return h;
}
