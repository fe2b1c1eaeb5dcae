/*
 * gdv_frames.c: backprop step by step, for slides. The frames are the
 * finished figure itself (a copy of its scene: the planner's detail,
 * direction, folds and positions); each frame only switches visibility
 * flags and rewrites the fan-out sums that are still filling, so every box
 * stays where the figure has it and the eye follows the computation, not
 * the layout. Steps go by the figure's nodes, by statement or by layer.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "teach/gdv_teach.h"

/* The names --steps-by takes. */
int gdv_steps_by_lookup(const char *name, gdv_steps_by *out) {
  static const char *const names[] = {"node", "statement", "layer"};
  int i = gdv_name_index(names, 3, name);
  if (i >= 0) *out = (gdv_steps_by)i;
  return i >= 0;
}

/* Whether scene node i computes something (a graph operation or a
 * collapsed group), so has a forward step; a leaf's value is given. */
static int computes(const gdv_graph *g, const gdv_scene *s, size_t i) {
  gdv_id v = s->nodes[i].graph_node;
  return v != GDV_NONE && g->op[v] != GDV_OP_LEAF;
}

/* The layer of every scene node: the layout's (gdv_layout_layers), else
 * the longest path from a source over the scene's edges. */
static int *scene_layers(const gdv_scene *s) {
  int *layer = calloc(s->n_nodes + 1, sizeof *layer);
  if (layer == NULL) return NULL;
  int given = s->n_nodes > 0;
  for (size_t i = 0; i < s->n_nodes; i++) given &= s->nodes[i].layer >= 0;
  if (given) {
    for (size_t i = 0; i < s->n_nodes; i++) layer[i] = s->nodes[i].layer;
    return layer;
  }
  /* scene nodes come in topological order (a graph's order): one sweep
   * over the edges in that order is not enough when edges are listed by
   * consumer, so repeat until nothing moves (at most the depth) */
  for (int moved = 1; moved;) {
    moved = 0;
    for (size_t e = 0; e < s->n_edges; e++) {
      size_t a = s->edges[e].from, b = s->edges[e].to;
      if (layer[b] < layer[a] + 1) layer[b] = layer[a] + 1, moved = 1;
    }
  }
  return layer;
}

/* Each scene node's unit key for the steps: itself (node), its graph
 * group (statement; a node in none is a unit of its own), its layer. */
static gdv_status unit_keys(const gdv_graph *g, const gdv_scene *s, gdv_steps_by by, size_t *key,
                            gdv_error *err) {
  if (by == GDV_STEPS_BY_LAYER) {
    int *layer = scene_layers(s);
    if (layer == NULL) return gdv_error_oom(err);
    for (size_t i = 0; i < s->n_nodes; i++) key[i] = (size_t)layer[i];
    free(layer);
    return GDV_OK;
  }
  /* a statement's key is its first node's index: units then go in the
   * order their first nodes have (a topological order) */
  for (size_t i = 0; i < s->n_nodes; i++) key[i] = i;
  if (by == GDV_STEPS_BY_STATEMENT && g->node_group) {
    size_t *first = malloc((g->n_groups + 1) * sizeof *first);
    if (first == NULL) return gdv_error_oom(err);
    for (size_t k = 0; k < g->n_groups; k++) first[k] = SIZE_MAX;
    for (size_t i = 0; i < s->n_nodes; i++) {
      gdv_id v = s->nodes[i].graph_node, k = v != GDV_NONE ? g->node_group[v] : GDV_NONE;
      if (k == GDV_NONE) continue;
      if (first[k] == SIZE_MAX) first[k] = i;
      key[i] = first[k];
    }
    free(first);
  }
  return GDV_OK;
}

/* Units by key, then scene index: the order steps visit them in. */
static const size_t *sort_key;
static int by_unit(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  if (sort_key[x] != sort_key[y]) return gdv_cmp_u64(sort_key[x], sort_key[y]);
  return gdv_cmp_u64(x, y);
}

/* The step list is plain data so tests and callers can count frames
 * without drawing. Forward: every unit that computes, in order (a layer
 * after the one before; a statement or node at its first node); backward:
 * every unit that reaches the output, in reverse. */
gdv_status gdv_frames_plan(const gdv_graph *g, const gdv_scene *figure, gdv_steps_by by,
                           gdv_frame_plan *out, gdv_error *err) {
  memset(out, 0, sizeof *out);
  size_t n = figure->n_nodes;
  size_t *key = malloc((n + 1) * sizeof *key), *order = malloc((n + 1) * sizeof *order);
  out->nodes = malloc((2 * n + 1) * sizeof *out->nodes);
  out->steps = calloc(2 * n + 1, sizeof *out->steps);
  gdv_status st = key && order && out->nodes && out->steps ? GDV_OK : gdv_error_oom(err);
  if (st == GDV_OK) st = unit_keys(g, figure, by, key, err);
  for (size_t i = 0; st == GDV_OK && i < n; i++) order[i] = i;
  sort_key = key;
  if (st == GDV_OK) qsort(order, n, sizeof *order, by_unit);
  for (int pass = 0; st == GDV_OK && pass < 2; pass++) {
    /* pass 0: forward, the units in order; pass 1: backward, reversed */
    for (size_t j = 0; j < n;) {
      size_t k = j;
      int any = 0;
      while (k < n && key[order[k]] == key[order[j]]) k++;
      for (size_t m = j; m < k; m++) {
        size_t i = order[m];
        int takes = pass == 0 ? computes(g, figure, i)
                              : figure->nodes[i].graph_node != GDV_NONE &&
                                    !(figure->nodes[i].flags & GDV_NODE_GREYED);
        if (!takes) continue;
        if (!any) out->steps[out->n_steps] = (gdv_frame_step){out->n_nodes, 0, pass};
        any = 1;
        out->nodes[out->n_nodes++] = i;
        out->steps[out->n_steps].n++;
      }
      out->n_steps += any;
      j = k;
    }
    if (pass == 0) {
      out->n_forward = out->n_steps;
      continue;
    }
    /* backward visits the units last to first */
    out->n_backward = out->n_steps - out->n_forward;
    for (size_t a = out->n_forward, b = out->n_steps; a + 1 < b; a++, b--) {
      gdv_frame_step t = out->steps[a];
      out->steps[a] = out->steps[b - 1];
      out->steps[b - 1] = t;
    }
  }
  free(key);
  free(order);
  if (st) gdv_frames_plan_free(out);
  return st;
}

/* Leaves the plan zeroed, so a second free is harmless. */
void gdv_frames_plan_free(gdv_frame_plan *p) {
  free(p->steps);
  free(p->nodes);
  memset(p, 0, sizeof *p);
}

/* The state a sequence needs besides the scene: the figure it copies
 * (whose lines restore a completed sum), which graph edges' terms have
 * arrived, and which graph edges each scene edge draws. */
typedef struct frames {
  const gdv_graph *g;
  const gdv_scene *figure;  /* the finished figure, never changed */
  gdv_scene *s;             /* the copy each frame draws */
  uint8_t *term_known;      /* per graph edge */
  size_t *drawn_start;      /* per scene edge: its graph edges (CSR) */
  size_t *drawn;
  size_t *in_start, *in_edge;  /* per scene node: its scene in-edges */
  size_t *out_start, *out_edge;
  int precision;
  int own_figure;           /* the figure was planned here (free it) */
} frames;

/* Frees a sequence (also a half-initialised one). */
static void frames_free(frames *f) {
  free(f->term_known);
  free(f->drawn_start);
  free(f->drawn);
  free(f->in_start);
  free(f->in_edge);
  free(f->out_start);
  free(f->out_edge);
  gdv_scene_free(f->s);
  if (f->own_figure) gdv_scene_free((gdv_scene *)f->figure);
}

/* CSR of items by a key (start gets n_keys + 1 entries). */
static int csr(size_t n_keys, size_t n, const size_t *key_of, size_t **start, size_t **item) {
  *start = calloc(n_keys + 2, sizeof **start);
  *item = malloc((n + 1) * sizeof **item);
  if (*start == NULL || *item == NULL) return 0;
  for (size_t i = 0; i < n; i++)
    if (key_of[i] != SIZE_MAX) (*start)[key_of[i] + 2]++;
  for (size_t k = 0; k < n_keys; k++) (*start)[k + 2] += (*start)[k + 1];
  for (size_t i = 0; i < n; i++)
    if (key_of[i] != SIZE_MAX) (*item)[(*start)[key_of[i] + 1]++] = i;
  return 1;
}

/* Copies the figure (planned here when the caller has none) and indexes
 * what steps need: edges by node both ways, graph edges by scene edge. */
static gdv_status frames_init(frames *f, const gdv_graph *g, const gdv_frames_options *opt,
                              gdv_error *err) {
  memset(f, 0, sizeof *f);
  f->g = g;
  f->precision = opt->scene.precision > 0 ? opt->scene.precision : 4;
  gdv_status st = GDV_OK;
  if (opt->figure) {
    f->figure = opt->figure;
  } else {
    gdv_scene *planned;
    if ((st = gdv_plan_figure(g, &opt->scene, opt->style, GDV_ENGINE_AUTO, &planned, NULL, err)))
      return st;
    f->figure = planned;
    f->own_figure = 1;
  }
  if ((st = gdv_scene_clone(f->figure, &f->s, err))) return st;
  f->s->legend_place = opt->legend;
  f->s->step_frame = 1;
  const gdv_scene *s = f->s;
  size_t ne = s->n_edges, m = g->n_edges;
  size_t *key = calloc((ne > m ? ne : m) + 1, sizeof *key);
  if (key == NULL) return gdv_error_oom(err);
  int ok = 1;
  for (size_t e = 0; e < ne; e++) key[e] = s->edges[e].to;
  ok = ok && csr(s->n_nodes, ne, key, &f->in_start, &f->in_edge);
  for (size_t e = 0; e < ne; e++) key[e] = s->edges[e].from;
  ok = ok && csr(s->n_nodes, ne, key, &f->out_start, &f->out_edge);
  for (size_t e = 0; e < m; e++) {
    size_t se = s->edge_scene ? s->edge_scene[e] : e;
    key[e] = se < ne ? se : SIZE_MAX;
  }
  ok = ok && csr(ne, m, key, &f->drawn_start, &f->drawn);
  free(key);
  f->term_known = calloc(m + 1, 1);
  if (!ok || f->term_known == NULL) return gdv_error_oom(err);
  /* colours mean the same on every frame: the finished pass's range */
  if (f->s->flow_hi <= 0) gdv_scene_flow_range(f->figure, &f->s->flow_lo, &f->s->flow_hi);
  return GDV_OK;
}

/* Nothing computed yet: leaves show their values, nothing else is known. */
static void frames_reset(frames *f) {
  gdv_scene *s = f->s;
  gdv_scene_set_known(s, 0, 0);
  for (size_t i = 0; i < s->n_nodes; i++) {
    s->nodes[i].flags &= ~(uint32_t)(GDV_NODE_SUM_KNOWN | GDV_NODE_HIGHLIGHT);
    if (!computes(f->g, s, i)) s->nodes[i].flags |= GDV_NODE_VALUE_KNOWN;
  }
  for (size_t e = 0; e < s->n_edges; e++) {
    s->edges[e].weight = -1;
    s->edges[e].flags &= ~(uint32_t)GDV_EDGE_HIGHLIGHT;
  }
  memset(f->term_known, 0, f->g->n_edges + 1);
}

#define PARTIAL "\xE2\x88\x82"   /* ∂ */

/* The name a title uses for scene node i: the one the figure draws for
 * its graph node (gdv_sbuf_node_name); with term, a name of several terms
 * in parentheses, so that ∂C/∂(x1·w1) reads as one symbol. */
static void node_name(const frames *f, size_t i, int term, gdv_sbuf *b) {
  gdv_id v = f->s->nodes[i].graph_node;
  if (v == GDV_NONE) gdv_sbuf_printf(b, "%s", f->s->nodes[i].id ? f->s->nodes[i].id : "?");
  else gdv_sbuf_node_name(b, f->g, v, term);
}

/* A number in a product or a sum after its first term: a negative one in
 * parentheses, as the figure's sums write it. */
static void operand(const frames *f, gdv_sbuf *b, double x, int first) {
  char num[GDV_NUMBER_MAX];
  gdv_figure_number(x, f->precision, num, sizeof num);
  gdv_sbuf_printf(b, !first && x < 0 ? "(%s)" : "%s", num);
}

/* Whether scene edge e leads into a node that reaches the output. */
static int live(const frames *f, size_t e) {
  return !(f->s->nodes[f->s->edges[e].to].flags & GDV_NODE_GREYED);
}

/* The terms of node i's fan-out sum that have arrived (every one with
 * all): its live out-edges' gradients as drawn, a merged edge of c
 * parallel ones as "c × t", at most six, then how many more. Returns how
 * many are missing; *total and *arrived get the arrived sum and count. */
static size_t sum_terms(const frames *f, size_t i, int all, gdv_sbuf *b, double *total,
                        size_t *arrived) {
  size_t shown = 0, missing = 0, more = 0;
  *total = 0;
  *arrived = 0;
  for (size_t j = f->out_start[i]; j < f->out_start[i + 1]; j++) {
    size_t e = f->out_edge[j];
    if (!live(f, e)) continue;
    const gdv_scene_edge *ed = &f->s->edges[e];
    int known = all || (ed->flags & GDV_EDGE_GRAD_KNOWN);
    if (!known) {
      missing++;
      continue;
    }
    size_t c = ed->count > 1 ? ed->count : 1;
    *total += (double)c * ed->grad;
    *arrived += c;
    if (shown == 6) {
      more += c;
      continue;
    }
    if (shown) gdv_sbuf_printf(b, " + ");
    if (c > 1) gdv_sbuf_printf(b, "%zu \xC3\x97 ", c);
    operand(f, b, ed->grad, shown == 0 && c == 1);
    shown++;
  }
  if (more) gdv_sbuf_printf(b, " + \xE2\x80\xA6 (%zu more)", more);
  return missing;
}

/* Live out-edges of scene node i; *only gets the one when there is one. */
static size_t live_out(const frames *f, size_t i, size_t *only) {
  size_t n = 0;
  for (size_t j = f->out_start[i]; j < f->out_start[i + 1]; j++)
    if (live(f, f->out_edge[j])) {
      *only = f->out_edge[j];
      n++;
    }
  return n;
}

/* The chain rule at node i's backward step, in the figure's numbers: the
 * output is 1; one consumer w gives ∂C/∂v = ∂C/∂w · ∂w/∂v = G × L (L as
 * its edge shows it: through a collapsed group, d(result)/dv); several
 * give the fan-out sum of their edges' gradients. */
static void chain_rule(const frames *f, size_t i, gdv_sbuf *b) {
  const gdv_graph *g = f->g;
  gdv_id v = f->s->nodes[i].graph_node;
  char num[GDV_NUMBER_MAX];
  size_t e = 0, n = live_out(f, i, &e);
  gdv_figure_number(g->grad[v], f->precision, num, sizeof num);
  gdv_sbuf_printf(b, PARTIAL "C/" PARTIAL);
  node_name(f, i, 1, b);
  gdv_sbuf_printf(b, " = ");
  if (v == g->output || n == 0) {
    gdv_sbuf_printf(b, "%s", num);
  } else if (n == 1 && f->s->edges[e].count <= 1) {
    size_t w = f->s->edges[e].to;
    gdv_sbuf_printf(b, PARTIAL "C/" PARTIAL);
    node_name(f, w, 1, b);
    gdv_sbuf_printf(b, " \xC2\xB7 " PARTIAL);
    node_name(f, w, 1, b);
    gdv_sbuf_printf(b, "/" PARTIAL);
    node_name(f, i, 1, b);
    gdv_sbuf_printf(b, " = ");
    operand(f, b, g->grad[f->s->nodes[w].graph_node], 1);
    gdv_sbuf_printf(b, " \xC3\x97 ");
    operand(f, b, f->s->edges[e].local, 0);
    gdv_sbuf_printf(b, " = %s", num);
  } else {
    double total;
    size_t arrived;
    sum_terms(f, i, 1, b, &total, &arrived);
    gdv_sbuf_printf(b, " = %s", num);
  }
}

/* At node w's backward step each operand u that fans out gains a term:
 * a title line with u's sum so far (each u once: x*x has two edges). */
static void sums_so_far(const frames *f, size_t w, gdv_sbuf *b) {
  for (size_t j = f->in_start[w]; j < f->in_start[w + 1]; j++) {
    size_t u = f->s->edges[f->in_edge[j]].from, seen = 0;
    for (size_t d = f->in_start[w]; d < j; d++) seen |= f->s->edges[f->in_edge[d]].from == u;
    /* a merged edge of c parallel ones is c terms (12 × t is a sum) */
    size_t terms = 0;
    for (size_t o = f->out_start[u]; o < f->out_start[u + 1]; o++)
      if (live(f, f->out_edge[o])) terms += f->s->edges[f->out_edge[o]].count > 1 ? f->s->edges[f->out_edge[o]].count : 1;
    if (seen || terms < 2 || f->s->nodes[u].graph_node == GDV_NONE) continue;
    char num[GDV_NUMBER_MAX];
    double total;
    gdv_sbuf_printf(b, "\n" PARTIAL "C/" PARTIAL);
    node_name(f, u, 1, b);
    gdv_sbuf_printf(b, " = ");
    size_t arrived, missing = sum_terms(f, u, 0, b, &total, &arrived);
    gdv_figure_number(total, f->precision, num, sizeof num);
    if (missing) gdv_sbuf_printf(b, " (so far)");
    /* one term is its own sum */
    if (arrived > 1) gdv_sbuf_printf(b, " = %s", num);
    if (!missing) gdv_sbuf_printf(b, " (complete)");
  }
}

/* The frame's title: the step, then what it computes, by the names the
 * figure draws; a step of several nodes (a layer) a line for each. */
static gdv_status step_title(frames *f, const gdv_frame_plan *plan, size_t k, gdv_error *err) {
  gdv_frame_step step = plan->steps[k];
  gdv_sbuf b = {0};
  gdv_sbuf_printf(&b, "step %zu of %zu \xE2\x80\x94 %s: ", k + 1, plan->n_steps,
                  step.backward ? "backward" : "forward");
  for (size_t m = 0; m < step.n; m++) {
    size_t i = plan->nodes[step.first + m];
    if (m) gdv_sbuf_printf(&b, "\n");
    if (step.backward) {
      chain_rule(f, i, &b);
      sums_so_far(f, i, &b);
    } else {
      char num[GDV_NUMBER_MAX];
      node_name(f, i, 0, &b);
      gdv_sbuf_printf(&b, " = %s", gdv_figure_number(f->g->value[f->s->nodes[i].graph_node],
                                                      f->precision, num, sizeof num));
    }
  }
  gdv_status st = b.failed ? gdv_error_oom(err) : gdv_scene_set_text(&f->s->title, b.s, err);
  free(b.s);
  return st;
}

/* Puts node i's sum lines back as the finished figure has them. */
static gdv_status restore_sum(frames *f, size_t i, gdv_error *err) {
  gdv_scene_node *n = &f->s->nodes[i];
  const gdv_scene_node *full = &f->figure->nodes[i];
  gdv_status st = GDV_OK;
  for (size_t k = 0; st == GDV_OK && k < n->n_lines && k < full->n_lines; k++)
    if (n->lines[k].kind == GDV_TEXT_SUM) st = gdv_scene_set_text(&n->lines[k].text, full->lines[k].text, err);
  return st;
}

/* Whether node i draws a fan-out sum. */
static int has_sum(const gdv_scene_node *n) {
  for (size_t k = 0; k < n->n_lines; k++)
    if (n->lines[k].kind == GDV_TEXT_SUM) return 1;
  return 0;
}

/* Applies step k (the steps before it are applied already). Backward: the
 * gradient flows down every in-edge of the step's nodes (locals and
 * gradients appear, each operand's sum gains its term) before the step's
 * own nodes complete, so a layer's nodes that feed each other agree. */
static gdv_status apply_step(frames *f, const gdv_frame_plan *plan, size_t k,
                             gdv_error *err) {
  gdv_scene *s = f->s;
  gdv_frame_step step = plan->steps[k];
  gdv_status st = GDV_OK;
  for (size_t i = 0; i < s->n_nodes; i++) s->nodes[i].flags &= ~(uint32_t)GDV_NODE_HIGHLIGHT;
  for (size_t e = 0; e < s->n_edges; e++) s->edges[e].flags &= ~(uint32_t)GDV_EDGE_HIGHLIGHT;
  for (size_t m = 0; m < step.n; m++) {
    size_t i = plan->nodes[step.first + m];
    s->nodes[i].flags |= GDV_NODE_HIGHLIGHT;
    for (size_t j = f->in_start[i]; j < f->in_start[i + 1]; j++)
      s->edges[f->in_edge[j]].flags |= GDV_EDGE_HIGHLIGHT;
    if (!step.backward) s->nodes[i].flags |= GDV_NODE_VALUE_KNOWN;
  }
  for (size_t m = 0; step.backward && st == GDV_OK && m < step.n; m++) {
    size_t i = plan->nodes[step.first + m];
    for (size_t j = f->in_start[i]; st == GDV_OK && j < f->in_start[i + 1]; j++) {
      size_t e = f->in_edge[j], u = s->edges[e].from;
      s->edges[e].flags |= GDV_EDGE_LOCAL_KNOWN | GDV_EDGE_GRAD_KNOWN;
      s->edges[e].weight = f->figure->edges[e].weight;
      for (size_t d = f->drawn_start[e]; d < f->drawn_start[e + 1]; d++) f->term_known[f->drawn[d]] = 1;
      if (has_sum(&s->nodes[u]) && !(s->nodes[u].flags & GDV_NODE_GRAD_KNOWN)) {
        s->nodes[u].flags |= GDV_NODE_SUM_KNOWN;
        st = gdv_scene_sum_arrived(s, f->g, u, f->term_known, err);
      }
    }
  }
  for (size_t m = 0; step.backward && st == GDV_OK && m < step.n; m++) {
    size_t i = plan->nodes[step.first + m];
    s->nodes[i].flags |= GDV_NODE_GRAD_KNOWN;
    s->nodes[i].flags &= ~(uint32_t)GDV_NODE_SUM_KNOWN;
    st = restore_sum(f, i, err);
  }
  return st ? st : step_title(f, plan, k, err);
}

/* Every frame gets the size of the largest (titles and legends differ
 * from step to step): a dry run over the steps, then back to the start.
 * Otherwise a slide show scales each frame differently and the boxes the
 * eye follows jump. */
static gdv_status frames_floor(frames *f, const gdv_frame_plan *plan, const gdv_style *style,
                               gdv_error *err) {
  gdv_figure_floor floor = {0, 0, 0, 0};
  gdv_status st = GDV_OK;
  frames_reset(f);
  for (size_t k = 0; k < plan->n_steps && st == GDV_OK; k++) {
    st = apply_step(f, plan, k, err);
    if (st == GDV_OK) st = gdv_render_figure_floor(f->s, style, &floor, err);
  }
  f->s->floor = floor;
  for (size_t i = 0; st == GDV_OK && i < f->s->n_nodes; i++) st = restore_sum(f, i, err);
  frames_reset(f);
  return st;
}

/* Removes frame-NNN.png / .svg left by an earlier run with more frames. */
static void remove_stale(const char *dir, size_t n_frames) {
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *s = e->d_name;
    if (strncmp(s, "frame-", 6) != 0) continue;
    char *end;
    unsigned long k = strtoul(s + 6, &end, 10);
    if (end == s + 6 || (strcmp(end, ".png") && strcmp(end, ".svg"))) continue;
    if (k <= n_frames) continue;
    size_t len = strlen(dir) + strlen(s) + 2;
    char *path = malloc(len);
    if (path == NULL) continue;
    snprintf(path, len, "%s/%s", dir, s);
    unlink(path);
    free(path);
  }
  closedir(d);
}

/* Adds the current frame as a vector page of frames.pdf; the surface is
 * made on the first page (every page then sets its own size). */
static gdv_status add_pdf_page(const gdv_scene *s, const gdv_frames_options *opt,
                               cairo_surface_t **pdf, FILE *out, gdv_error *err) {
  if (*pdf == NULL) {
    *pdf = gdv_render_pdf_stream(out, 100, 100, opt->software, NULL);
    if (cairo_surface_status(*pdf) != CAIRO_STATUS_SUCCESS)
      return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cairo: %s",
                           cairo_status_to_string(cairo_surface_status(*pdf)));
  }
  return gdv_render_pdf_page(s, opt->style, *pdf, err);
}

/* Writes one frame file through a temporary (whole or not at all). */
static gdv_status write_frame_file(const gdv_graph *g, const gdv_scene *s,
                                   const gdv_frames_options *opt, const char *path,
                                   gdv_error *err) {
  gdv_outfile out;
  gdv_status st = gdv_outfile_open(&out, path, err);
  if (st) return st;
  /* SVG: frame k's ids start with "BASE-fK-", so frames inlined in one
   * page (a slide deck) share no id */
  char base[96], prefix[128];
  if (opt->id_prefix) gdv_svg_prefix(opt->id_prefix, base, sizeof base);
  else gdv_svg_prefix_from_path(g->source, base, sizeof base);
  const char *slash = strrchr(path, '/');
  snprintf(prefix, sizeof prefix, "%sf%s", base, slash ? slash + 1 + 6 : path);
  char *dot = strrchr(prefix, '.');
  if (dot) *dot = '\0';
  gdv_svg_prefix(prefix, base, sizeof base);
  char name[96];
  const char *source = g->source ? g->source : "graph";
  slash = strrchr(source, '/');
  snprintf(name, sizeof name, "%s", slash ? slash + 1 : source);
  if ((dot = strrchr(name, '.')) != NULL && dot != name) *dot = '\0';
  gdv_render_meta meta = {.dpi = opt->dpi > 0 ? opt->dpi : 144, .software = opt->software,
                          .id_prefix = base, .graph = g, .name = name};
  st = gdv_render_write(s, opt->style, opt->format, &meta, out.f, err);
  if (st) {
    gdv_outfile_abort(&out);
    return st;
  }
  return gdv_outfile_commit(&out, err);
}

/* Copies the figure once and fixes its size, then applies step after
 * step and hands each frame to fn: the slide files below and the HTML
 * page's frames come from this one loop, so they cannot disagree, and
 * every frame has the figure's positions and detail. */
gdv_status gdv_frames_each(const gdv_graph *g, const gdv_frames_options *opt,
                           gdv_frame_fn fn, void *ctx, size_t *n_steps, gdv_error *err) {
  gdv_frame_plan plan;
  memset(&plan, 0, sizeof plan);
  frames f;
  *n_steps = 0;
  gdv_status st = frames_init(&f, g, opt, err);
  if (st == GDV_OK) st = gdv_frames_plan(g, f.figure, opt->by, &plan, err);
  if (st == GDV_OK && plan.n_steps > GDV_FRAMES_MAX)
    st = gdv_error_set_about(err, GDV_SETTING_STEPS_BY, GDV_ERR_INPUT, g->source, 0,
                       "%zu steps (%zu forward, %zu backward) is more than %d "
                       "frames; frames are for small course graphs",
                       plan.n_steps, plan.n_forward, plan.n_backward, GDV_FRAMES_MAX);
  if (st == GDV_OK) st = frames_floor(&f, &plan, opt->style, err);
  for (size_t k = 0; k < plan.n_steps && st == GDV_OK; k++)
    if ((st = apply_step(&f, &plan, k, err)) == GDV_OK) st = fn(ctx, f.s, k, plan.n_steps, err);
  if (st == GDV_OK) *n_steps = plan.n_steps;
  frames_free(&f);
  gdv_frames_plan_free(&plan);
  return st;
}

/* What the slide files need from frame to frame. */
typedef struct frame_files {
  const gdv_graph *g;
  const gdv_frames_options *opt;
  const char *dir;
  char *path;             /* room for DIR/frame-NNNN.EXT */
  size_t dlen;
  gdv_outfile pdf_out;
  cairo_surface_t *pdf;   /* made with the first page */
  int pdf_open;
} frame_files;

/* Frame k as DIR/frame-NNN.png or .svg (PNG, SVG), as a page of
 * frames.pdf, and in the layout dump when asked. */
static gdv_status write_one_frame(void *ctx, const gdv_scene *s, size_t k, size_t n,
                                  gdv_error *err) {
  frame_files *ff = ctx;
  const gdv_frames_options *opt = ff->opt;
  gdv_status st = GDV_OK;
  if (!ff->pdf_open) {
    snprintf(ff->path, ff->dlen, "%s/frames.pdf", ff->dir);
    if ((st = gdv_outfile_open(&ff->pdf_out, ff->path, err))) return st;
    ff->pdf_open = 1;
  }
  if (opt->format == GDV_FIGURE_PNG || opt->format == GDV_FIGURE_SVG) {
    snprintf(ff->path, ff->dlen, "%s/frame-%0*zu.%s", ff->dir, n >= 1000 ? 4 : 3, k + 1,
             opt->format == GDV_FIGURE_SVG ? "svg" : "png");
    if ((st = write_frame_file(ff->g, s, opt, ff->path, err))) return st;
  }
  st = add_pdf_page(s, opt, &ff->pdf, ff->pdf_out.f, err);
  if (st == GDV_OK && opt->dump) {
    fputs(k ? ",\n" : "{\"frames\": [\n", opt->dump);
    st = gdv_render_dump_layout(s, opt->style, ff->g, opt->dump, err);
  }
  return st;
}

/* One layout for every frame, so nodes never move between frames; the PDF is
 * committed only when complete, then stale frames of a longer run go. */
gdv_status gdv_frames_write(const gdv_graph *g, const gdv_frames_options *opt,
                            const char *dir, size_t *n_frames, gdv_error *err) {
  frame_files ff = {g, opt, dir, NULL, strlen(dir) + 32, {0}, NULL, 0};
  *n_frames = 0;
  if ((ff.path = malloc(ff.dlen)) == NULL) return gdv_error_oom(err);
  snprintf(ff.path, ff.dlen, "%s/frames.pdf", dir);
  gdv_status st = gdv_make_parent_dirs(ff.path, err);
  size_t n = 0;
  if (st == GDV_OK) st = gdv_frames_each(g, opt, write_one_frame, &ff, &n, err);
  if (st == GDV_OK && opt->dump) {
    fputs(n ? "]}\n" : "{\"frames\": []}\n", opt->dump);
    if (ferror(opt->dump))
      st = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the layout dump");
  }
  if (ff.pdf) {
    cairo_surface_finish(ff.pdf);
    if (st == GDV_OK && cairo_surface_status(ff.pdf) != CAIRO_STATUS_SUCCESS)
      st = gdv_error_set(err, GDV_ERR_SYSTEM, ff.pdf_out.path, 0, "cannot write: %s",
                         cairo_status_to_string(cairo_surface_status(ff.pdf)));
    cairo_surface_destroy(ff.pdf);
  }
  if (ff.pdf_open) {
    if (st == GDV_OK && n > 0) st = gdv_outfile_commit(&ff.pdf_out, err);
    else gdv_outfile_abort(&ff.pdf_out);
  }
  if (st == GDV_OK) {
    int files = opt->format == GDV_FIGURE_PNG || opt->format == GDV_FIGURE_SVG;
    remove_stale(dir, files ? n : 0);
    *n_frames = n;
  }
  free(ff.path);
  return st;
}

/* One pass of an animation over the frames. */
typedef struct anim_pass {
  gdv_anim *a;
  int pass;
} anim_pass;

/* Hands frame k to the animation. */
static gdv_status anim_frame(void *ctx, const gdv_scene *s, size_t k, size_t n, gdv_error *err) {
  anim_pass *p = ctx;
  return gdv_anim_frame(p->a, p->pass, s, k, n, err);
}

/* The frames through gdv_frames_each once a pass the animation needs (a
 * GIF's palette comes from every frame's colours), then the file. */
gdv_status gdv_frames_write_anim(const gdv_graph *g, const gdv_frames_options *opt, gdv_anim *a,
                                 size_t *n_frames, gdv_error *err) {
  size_t n = 0;
  gdv_status st = GDV_OK;
  for (int pass = 0; st == GDV_OK && pass < gdv_anim_passes(a); pass++) {
    anim_pass p = {a, pass};
    st = gdv_frames_each(g, opt, anim_frame, &p, &n, err);
  }
  if (st == GDV_OK) st = gdv_anim_finish(a, err);
  *n_frames = st == GDV_OK ? n : 0;
  return st;
}
