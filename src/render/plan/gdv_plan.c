/* gdv_plan.c: the figure planner. A figure is made for its page: one
 * candidate space (how much of the graph is drawn node by node, how long
 * lines may run, the direction, how many rows the layers fold into),
 * searched under one work budget, every candidate laid out and judged on
 * what would be drawn by one order of concerns:
 *
 *   1. the lesson kept: every named node's value and gradient shown, each
 *      fan-out as a sum of its terms, every drawn edge's two numbers. Only
 *      candidates that keep it are made: a group is collapsed only where
 *      its node can list what it hides (gdv_scene) and no node feeding it
 *      would lose a term of its sum;
 *   2. legible (gdv_figure_legibility: text at 18 px/em on the slide, no
 *      text over text, no edge through a foreign box, labels with line
 *      beside them, a modest legend);
 *   3. traceable (no edges running together, arrowheads apart, each
 *      label nearest its own edge);
 *   4. the reading cost: detail hidden, folds, narrower lines, a direction
 *      the file did not ask for, crossings, and text short of 24 px/em
 *      or of the size asked when larger (beyond it larger text buys
 *      nothing, so a small graph that reads unfolded is never folded).
 *
 * Groups that draw alike (the units of one layer: same shape, same depth)
 * are collapsed together, so one layer's units get one level of detail.
 * The budget counts work, not seconds, so the same input always gives the
 * same figure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Reading cost, in one unit: what each costs a reader. */
#define COST_HIDDEN_NODE 0.4     /* a node drawn inside a group's node */
#define COST_MERGED 1.5          /* a statement drawn in its consumer's node
                                    (its edge and local derivative go) */
#define COST_FOLD 4.0            /* each row the layers fold into after the first */
#define COST_NARROW_WRAP 0.6     /* each step of line width below the default */
#define COST_TOP_TO_BOTTOM 1.5   /* a direction the file did not ask for */
#define COST_CROSSING 0.1        /* each crossing of two edges */
#define COST_TERSE_LABELS 3.0    /* edge labels without their words */
#define COST_PAIRED_LINES 1.0    /* values and gradients side by side */
#define COST_STAGGERED 0.5       /* edge labels at two depths before a node */
#define COST_FOLD_EDGE 0.8       /* each edge routed around a fold */
/* Between figures that cannot be legible, each unit of reading cost must
 * buy this share of text size (a fold, cost 4, must make text 6% larger:
 * a pixel at 16 px/em), so that at any size the larger text wins unless
 * it is bought dearly. */
#define ILLEGIBLE_COST_SHARE 0.015
#define COST_SMALL_TEXT 0.25     /* each px/em short of comfortable */
/* Text this large (px per em on a 1920x1080 slide) is read from the back
 * of a room: more buys nothing. */
#define COMFORTABLE_PX_PER_EM 24.0
/* A one-node group's equation this long (bytes) is not always drawn:
 * collapsing it must earn its place like any other group's. */
#define SHORT_EQUATION 80
/* Text this small (px per em on a slide) is not measured further: no
 * arrangement of it reads, and measuring a big figure takes long. */
#define HOPELESS_PX_PER_EM 9.0
/* Rows the layers may fold into. */
#define MAX_BANDS 6
/* Another row must make the text this much larger to be measured. */
#define FOLD_GAIN 1.03
/* Layers held within the tallest one's reach are tried where that makes
 * the figure this share smaller across: less buys too little text for
 * its less straight edges and its layout. */
#define HOLD_GAIN 0.02
/* Work a search may spend, in elements laid out or measured (a node or
 * an edge once each layout, a node and three for each edge each
 * measurement): about a second on the 2-core machine of 2026 the
 * project builds on (make bench: plan-*). */
#define WORK_BUDGET 40000.0
/* Graphs larger than this are laid out once, as they are, never
 * searched: no candidate of them can be legible. */
#define SEARCH_MAX_NODES GDV_LAYERS_MAX_NODES

/* What the search knows of one class of groups: the groups that draw
 * alike, collapsed together. */
typedef struct plan_class {
  size_t first;          /* index of its first group in class_group */
  size_t n;
  size_t hidden;         /* nodes its groups' nodes would hold inside */
} plan_class;

/* A judged candidate. */
typedef struct verdict {
  gdv_legibility m;
  double cost;
  int valid;
  int measured;          /* 0: text too small to look closer (only its size) */
} verdict;

/* The search's state. */
typedef struct planner {
  const gdv_graph *g;
  const gdv_scene_options *opt;
  const gdv_style *st;
  gdv_engine engine;
  gdv_groups gr;
  int have_groups;
  plan_class *classes;
  size_t n_classes;
  size_t *class_group;   /* groups, class by class */
  size_t n_levels;       /* collapse levels: level 0 and one per class
                            that hides nodes */
  uint64_t *sig;         /* per group: its shape (see make_classes) */
  plan_class *merges;    /* classes of statements that may merge into
                            their one consumer's node, most first */
  size_t n_merges;
  size_t *merge_group;   /* their groups, class by class */
  gdv_id *merge_to;      /* per group: the group it would merge into */
  gdv_id *into;          /* per group, for the merged analysis */
  gdv_groups merged;     /* the analysis of the level being tried */
  int have_merged;
  uint8_t *mask;         /* per group, 1 drawn in full */
  size_t *uniform;       /* per node: the options' own line width */
  size_t *best_wrap;     /* per node: the best figure's line widths */
  int tall_slots;        /* a layout of the form being tried had a node
                            whose labels stand taller than it */
  int layer_slack;       /* ... had an operation that could stand later */
  int free_direction;    /* the file and the options leave it open */
  int tb_costs;          /* top to bottom is a choice the file did not make */
  double work;
  gdv_scene *best;
  verdict best_v;
  verdict level_v;       /* the best of the level being tried */
  gdv_plan_report rep;
} planner;

/* Frees the search's state (not the best scene). */
static void planner_free(planner *p) {
  if (p->have_groups) gdv_groups_free(&p->gr);
  if (p->have_merged) gdv_groups_free(&p->merged);
  free(p->classes);
  free(p->class_group);
  free(p->sig);
  free(p->merges);
  free(p->merge_group);
  free(p->merge_to);
  free(p->into);
  free(p->mask);
  free(p->uniform);
  free(p->best_wrap);
}

/* Whether candidate a reads better than b (b may be invalid): legible
 * first, then traceable, then the cheaper; between illegible ones, the
 * fewer failed criteria other than text size (a tangle counts: small
 * text can still be followed, a tangle cannot), then the larger text. */
static int better(const verdict *a, const verdict *b) {
  if (!b->valid) return a->valid;
  if (a->m.legible != b->m.legible) return a->m.legible;
  if (!a->m.legible) {
    /* a figure only sized (not measured) counts as failing everything */
    int fa = a->measured ? (a->m.overlaps > 0) + (a->m.through > 0) +
                               (a->m.short_labels * 20 > a->m.labelled) + (a->m.legend_share > 0.2) +
                               !a->m.traceable
                         : 5;
    int fb = b->measured ? (b->m.overlaps > 0) + (b->m.through > 0) +
                               (b->m.short_labels * 20 > b->m.labelled) + (b->m.legend_share > 0.2) +
                               !b->m.traceable
                         : 5;
    if (fa != fb) return fa < fb;
    /* the larger text, less its share for what the reading costs: a
     * fold that routes six edges around the slide must buy more than a
     * pixel at 16 px/em */
    double sa = a->m.px_per_em / (1 + ILLEGIBLE_COST_SHARE * a->cost);
    double sb = b->m.px_per_em / (1 + ILLEGIBLE_COST_SHARE * b->cost);
    if (sa != sb) return sa > sb;
  }
  if (a->m.traceable != b->m.traceable) return a->m.traceable;
  if (!a->m.traceable) {
    size_t ta = a->m.parallel_runs + a->m.close_arrows + a->m.unclear_labels;
    size_t tb = b->m.parallel_runs + b->m.close_arrows + b->m.unclear_labels;
    if (ta != tb) return ta < tb;
  }
  return a->cost < b->cost;
}

/* Longest path from a source to each node: the depth at which a group's
 * exit sits, the same for the units of one layer. */
static size_t *node_depths(const gdv_graph *g) {
  size_t *depth = calloc(g->n_nodes + 1, sizeof *depth);
  if (depth == NULL) return NULL;
  for (size_t v = 0; v < g->n_nodes; v++)
    for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1]; e++)
      if (depth[g->edge_from[e]] + 1 > depth[v]) depth[v] = depth[g->edge_from[e]] + 1;
  return depth;
}

/* FNV-1a (gdv_hash) over a value's bytes, low byte first on every
 * machine: the shape of a group as one number. */
static uint64_t mix_in(uint64_t h, uint64_t x) {
  unsigned char b[8];
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(x >> (8 * i));
  return gdv_hash(h, b, sizeof b);
}

/* Whether group k may be drawn as one node without losing the lesson:
 * one exit (its node shows one value), and no node feeding it that
 * feeds two of its named members (that node's sum would lose a term:
 * its edges into the group merge into one). */
static int collapsible(const planner *p, size_t k) {
  const gdv_graph *g = p->g;
  const gdv_groups *gr = &p->gr;
  if (gr->exit[k] == GDV_NONE) return 0;
  for (size_t i = gr->input_start[k]; i < gr->input_start[k + 1]; i++) {
    const gdv_group_input *in = &gr->inputs[i];
    gdv_id first = GDV_NONE;
    /* the named members among its consumers in k (an unnamed member
     * counts as its statement, the exit) */
    for (size_t e = 0; e < g->n_edges; e++) {
      if (g->edge_from[e] != in->from || gr->node_group[g->edge_to[e]] != k) continue;
      gdv_id c = g->edge_to[e];
      gdv_id owner = gdv_graph_named(g, c) ? c : gr->exit[k];
      if (first == GDV_NONE) first = owner;
      else if (owner != first) return 0;
    }
  }
  return 1;
}

/* Signature and depth sort key of each group for grouping into classes. */
static const uint64_t *sig_of;
static int by_signature(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  if (sig_of[x] != sig_of[y]) return sig_of[x] < sig_of[y] ? -1 : 1;
  return gdv_cmp_u64(x, y);
}
static const plan_class *cls_of;
static const size_t *cls_group;
static int by_hidden(const void *a, const void *b) {
  const plan_class *x = a, *y = b;
  if (x->hidden != y->hidden) return x->hidden < y->hidden ? 1 : -1;
  return gdv_cmp_u64(cls_group[x->first], cls_group[y->first]);
}
static int by_hidden_fewest(const void *a, const void *b) {
  const plan_class *x = a, *y = b;
  if (x->hidden != y->hidden) return x->hidden < y->hidden ? -1 : 1;
  return gdv_cmp_u64(cls_group[x->first], cls_group[y->first]);
}

/* Groups into classes of the same shape at the same depth (the units of
 * one layer), the classes ordered by the nodes collapsing them would
 * hide, fewest first: the order the search collapses them in, so that a
 * level keeps as much detail as it can. */
static gdv_status make_classes(planner *p, gdv_error *err) {
  const gdv_graph *g = p->g;
  size_t ng = p->gr.n;
  uint64_t *sig = p->sig = calloc(ng + 1, sizeof *sig);
  size_t *order = malloc((ng + 1) * sizeof *order), *depth = node_depths(g);
  p->classes = calloc(ng + 1, sizeof *p->classes);
  p->class_group = malloc((ng + 1) * sizeof *p->class_group);
  p->mask = calloc(ng + 1, 1);
  if (!sig || !order || !depth || !p->classes || !p->class_group || !p->mask) {
    free(order); free(depth);
    return OOM(err);
  }
  size_t n = 0;
  for (size_t k = 0; k < ng; k++) {
    if (!collapsible(p, k)) continue;
    uint64_t h = 1469598103934665603ull;
    h = mix_in(h, depth[p->gr.exit[k]]);
    h = mix_in(h, p->gr.n_members[k]);
    h = mix_in(h, p->gr.input_start[k + 1] - p->gr.input_start[k]);
    for (size_t v = 0; v < g->n_nodes; v++)
      if (p->gr.node_group[v] == k) h = mix_in(h, g->op[v]);
    sig[k] = h;
    order[n++] = k;
  }
  sig_of = sig;
  qsort(order, n, sizeof *order, by_signature);
  for (size_t i = 0; i < n; i++) {
    size_t k = order[i];
    if (i == 0 || sig[k] != sig[order[i - 1]]) {
      p->classes[p->n_classes] = (plan_class){i, 0, 0};
      p->n_classes++;
    }
    plan_class *c = &p->classes[p->n_classes - 1];
    p->class_group[i] = k;
    c->n++;
    c->hidden += p->gr.n_members[k] > 0 ? p->gr.n_members[k] - 1 : 0;
    /* a one-node group is drawn as its equation at every level, unless
     * the equation is long (y = x*x*...*x of 4,000 factors is one edge
     * marked x4000 when drawn in full): then it collapses like others */
    if (p->gr.n_members[k] <= 1 && strlen(g->group_label[k]) > SHORT_EQUATION) c->hidden += 1;
  }
  cls_of = p->classes;
  cls_group = p->class_group;
  qsort(p->classes, p->n_classes, sizeof *p->classes, by_hidden_fewest);
  p->n_levels = 1;
  for (size_t c = 0; c < p->n_classes; c++) p->n_levels += p->classes[c].hidden > 0;
  free(order); free(depth);
  return GDV_OK;
}

/* Whether statement k may merge into the node of statement j, its
 * value's one consumer: both collapse, every live use of k's result is
 * in j, and no node feeds both (its two terms would merge into one). */
static int mergeable(const planner *p, size_t k, gdv_id *to) {
  const gdv_graph *g = p->g;
  const gdv_groups *gr = &p->gr;
  gdv_id x = gr->exit[k], j = GDV_NONE;
  if (x == GDV_NONE || !p->sig[k] || x == g->output) return 0;
  for (size_t e = 0; e < g->n_edges; e++) {
    if (g->edge_from[e] != x || !g->reaches[g->edge_to[e]]) continue;
    gdv_id c = gr->node_group[g->edge_to[e]];
    if (c == GDV_NONE || c == k || (j != GDV_NONE && c != j)) return 0;
    j = c;
  }
  if (j == GDV_NONE || !p->sig[j]) return 0;
  for (size_t a = gr->input_start[k]; a < gr->input_start[k + 1]; a++)
    for (size_t b = gr->input_start[j]; b < gr->input_start[j + 1]; b++)
      if (gr->inputs[a].from == gr->inputs[b].from) return 0;
  *to = j;
  return 1;
}

/* The statements that may merge into their consumer's node, in classes
 * of one shape (all s_i into their e_i at once), the classes that merge
 * the most first. */
static gdv_status make_merges(planner *p, gdv_error *err) {
  size_t ng = p->gr.n, n = 0;
  size_t *order = malloc((ng + 1) * sizeof *order);
  p->merge_to = malloc((ng + 1) * sizeof *p->merge_to);
  p->into = malloc((ng + 1) * sizeof *p->into);
  p->merges = calloc(ng + 1, sizeof *p->merges);
  p->merge_group = malloc((ng + 1) * sizeof *p->merge_group);
  if (!order || !p->merge_to || !p->into || !p->merges || !p->merge_group) {
    free(order);
    return OOM(err);
  }
  for (size_t k = 0; k < ng; k++) {
    p->merge_to[k] = GDV_NONE;
    if (mergeable(p, k, &p->merge_to[k])) order[n++] = k;
  }
  sig_of = p->sig;
  qsort(order, n, sizeof *order, by_signature);
  for (size_t i = 0; i < n; i++) {
    size_t k = order[i];
    if (i == 0 || p->sig[k] != p->sig[order[i - 1]])
      p->merges[p->n_merges++] = (plan_class){i, 0, 0};
    plan_class *c = &p->merges[p->n_merges - 1];
    p->merge_group[i] = k;
    c->n++;
    c->hidden += p->gr.n_members[k];
  }
  cls_group = p->merge_group;
  qsort(p->merges, p->n_merges, sizeof *p->merges, by_hidden);
  free(order);
  return GDV_OK;
}

/* Sets up detail level `level`: the expansion mask (NULL: every group in
 * full) and the group analysis its scene uses. Levels below n_levels
 * collapse the first `level` classes that hide nodes (a group of one node
 * is always drawn as its equation: h = tanh(n) says more than "h, tanh"
 * and hides nothing); the levels after them collapse everything and merge
 * the first level - n_levels + 1 classes of statements into their
 * consumers' nodes. *hidden: nodes drawn inside other nodes; *merged:
 * statements merged (each loses its edge). 0 when the level cannot keep
 * the lesson (a merge would join two terms of a sum). */
static int level_setup(planner *p, size_t level, const uint8_t **mask, const gdv_groups **groups,
                       size_t *hidden, size_t *merged, gdv_error *err, gdv_status *status) {
  *hidden = *merged = 0;
  *mask = NULL;
  *groups = p->have_groups ? &p->gr : NULL;
  *status = GDV_OK;
  if (p->gr.n == 0) return 1;
  memset(p->mask, 1, p->gr.n);
  size_t collapsed = 0, merge_level = level >= p->n_levels ? level - p->n_levels + 1 : 0;
  for (size_t c = 0, seen = 0; c < p->n_classes; c++) {
    const plan_class *cl = &p->classes[c];
    if (cl->hidden > 0 && seen++ >= level) continue;
    for (size_t i = 0; i < cl->n; i++) p->mask[p->class_group[cl->first + i]] = 0;
    *hidden += cl->hidden;
    collapsed += cl->n;
  }
  *mask = collapsed ? p->mask : NULL;
  if (merge_level == 0) return 1;
  for (size_t k = 0; k < p->gr.n; k++) p->into[k] = (gdv_id)k;
  for (size_t c = 0; c < merge_level && c < p->n_merges; c++) {
    const plan_class *cl = &p->merges[c];
    for (size_t i = 0; i < cl->n; i++) p->into[p->merge_group[cl->first + i]] = p->merge_to[p->merge_group[cl->first + i]];
    *hidden += cl->hidden;
    *merged += cl->n;
  }
  /* a chain of merges (net into out into E) goes to its last head */
  for (size_t k = 0; k < p->gr.n; k++) {
    gdv_id h = p->into[k];
    for (size_t steps = 0; p->into[h] != h && steps < p->gr.n; steps++) h = p->into[h];
    p->into[k] = h;
  }
  if (p->have_merged) gdv_groups_free(&p->merged);
  p->have_merged = 0;
  if ((*status = gdv_groups_analyse_merged(p->g, p->into, &p->merged, err))) return 0;
  p->have_merged = 1;
  *groups = &p->merged;
  /* no node may feed two statements of one merged node */
  const gdv_graph *g = p->g;
  for (size_t h = 0; h < p->merged.n; h++)
    for (size_t i = p->merged.input_start[h]; i < p->merged.input_start[h + 1]; i++) {
      gdv_id u = p->merged.inputs[i].from, first = GDV_NONE;
      for (size_t e = 0; e < g->n_edges; e++) {
        if (g->edge_from[e] != u || p->merged.node_group[g->edge_to[e]] != h) continue;
        gdv_id c = g->edge_to[e], base = p->gr.node_group[c];
        gdv_id owner = gdv_graph_named(g, c) || base == GDV_NONE ? c : p->gr.exit[base];
        if (first == GDV_NONE) first = owner;
        else if (owner != first) return 0;
      }
    }
  return 1;
}

/* Lays out a built scene with the planner's engine, unfolded. */
static gdv_status lay_out(planner *p, gdv_scene *s, gdv_error *err) {
  p->rep.layouts++;
  p->work += (double)(s->n_nodes + s->n_edges);
  return gdv_layout_engine(s, p->st, p->engine, err);
}

/* Text size beyond which larger buys nothing: what the back of a room
 * reads, or the size asked (--text-size) when that is larger, so that a
 * figure short of the size asked is never taken as comfortable. */
static double comfortable_px(const gdv_page *page) {
  return fmax(COMFORTABLE_PX_PER_EM, gdv_page_legible_px(page));
}

/* The reading cost of a measured candidate. */
static double reading_cost(const gdv_legibility *m, double comfortable, double detail, size_t bands,
                           size_t fold_edges, size_t wrap_step, int top_to_bottom) {
  double short_of = comfortable - fmin(m->px_per_em, comfortable);
  return detail + COST_FOLD * (double)(bands - 1) + COST_FOLD_EDGE * (double)fold_edges +
         COST_NARROW_WRAP * (double)wrap_step + COST_TOP_TO_BOTTOM * top_to_bottom +
         COST_CROSSING * (double)(m->crossings > 0 ? m->crossings : 0) +
         COST_SMALL_TEXT * fmax(short_of, 0);
}

/* The px per em of the scene's smallest node or edge text at page scale
 * k, on a 1920x1080 slide (as gdv_figure_legibility computes it). */
static double px_at(const planner *p, const gdv_scene *s, double k) {
  return fmin(p->st->font_size, p->st->edge_font_size) * k *
         fmin(1920.0 / s->page.width, 1080.0 / s->page.height);
}

/* Whether text of px per em is worth a closer look on the scene's page
 * (below, no arrangement of it reads). */
static int worth_measuring(const gdv_scene *s, double px) {
  return px >= fmin(HOPELESS_PX_PER_EM, gdv_page_legible_px(&s->page) / 2);
}

/* Measures the laid-out scene folded into `bands` rows into *v (invalid
 * when it cannot fold so). */
static gdv_status judge(planner *p, gdv_scene *s, size_t bands, double detail, size_t wrap_step,
                        verdict *v, gdv_error *err) {
  int done;
  gdv_status status = gdv_layout_fold(s, p->st, bands, &done, err);
  if (status == GDV_OK && !done) {
    v->valid = 0;
    return GDV_OK;
  }
  /* text far too small needs no closer look: its size alone, from the
   * page scale (as gdv_figure_legibility computes it), says illegible */
  double k = 0;
  if (status == GDV_OK) status = gdv_render_page_scale(s, p->st, &k, err);
  if (status) return status;
  double px = px_at(p, s, k);
  v->measured = worth_measuring(s, px);
  if (!v->measured) {
    memset(&v->m, 0, sizeof v->m);
    v->m.px_per_em = px;
    p->work += (double)(s->n_nodes + s->n_edges) / 4;
  } else {
    if ((status = gdv_figure_legibility(s, p->st, &v->m, err))) return status;
    p->rep.measured++;
    p->work += (double)(s->n_nodes + 3 * s->n_edges);
  }
  v->valid = 1;
  v->cost = reading_cost(&v->m, comfortable_px(&s->page), detail, bands, s->fold_crossings, wrap_step,
                         p->tb_costs && !s->rank_lr);
  return GDV_OK;
}

/* The layers of an unfolded layout, for balancing line widths. */
typedef struct shape {
  size_t n_layers;
  size_t fold;           /* the rows the layout folds into best (by page scale) */
  int *layer_of;         /* per graph node drawn as a scene node: its layer, else -1 */
} shape;

/* Reads the layers of a laid-out scene (from gdv_layout_layers' layers;
 * other engines leave every node in layer -1: no layers to balance). */
static void take_shape(planner *p, const gdv_scene *s, shape *sh) {
  int most = -1;
  for (size_t i = 0; i < s->n_nodes; i++) most = s->nodes[i].layer > most ? s->nodes[i].layer : most;
  sh->n_layers = (size_t)(most + 1);
  for (size_t v = 0; v < p->g->n_nodes; v++) sh->layer_of[v] = -1;
  for (size_t i = 0; i < s->n_nodes; i++) {
    const gdv_scene_node *n = &s->nodes[i];
    if (n->layer >= 0 && n->graph_node != GDV_NONE) sh->layer_of[n->graph_node] = n->layer;
  }
}

/* Line widths a layer's nodes may take in balancing, widest first. */
static const size_t balance_wraps[] = {80, 60, 44, 30, 24, 20, 16};
#define N_BALANCE_WRAPS (sizeof balance_wraps / sizeof *balance_wraps)
/* Tracks a fold's channel and gutters are taken to carry when line
 * widths are balanced for a folded figure. */
#define FOLD_TRACKS 4
/* Rounds of balancing (each one layout): the first from the options'
 * width, the next from the balanced layout's own shape. */
#define BALANCE_ROUNDS 2

/* One candidate detail: its mask and analysis (set up by level_setup)
 * and what it costs a reader. */
typedef struct detail {
  const uint8_t *mask;
  const gdv_groups *groups;
  int terse;             /* edge labels as bare numbers */
  int pair;              /* values and gradients side by side */
  int stagger;           /* labels at two depths where they stand tall */
  int late;              /* operations as late as their consumers allow */
  double cost;
} detail;

/* The scene of a detail at a line width (node_wrap: per node, or NULL). */
static gdv_status build(planner *p, const detail *d, size_t wrap, const size_t *node_wrap,
                        gdv_scene **s, gdv_error *err) {
  gdv_scene_options o = *p->opt;
  o.terse_labels = d->terse;
  o.pair_lines = d->pair;
  o.stagger_labels = d->stagger;
  o.expand = p->opt->expand_given ? p->opt->expand : d->mask;
  o.groups = d->groups;
  o.text_wrap = wrap;
  o.node_wrap = node_wrap;
  *s = NULL;
  return gdv_scene_from_graph(p->g, &o, s, err);
}

/* The fold of laid-out scene s that draws it largest, by its page scale
 * alone (folds that do not gain FOLD_GAIN are not taken): its rows and
 * its scale. */
static gdv_status best_fold(planner *p, gdv_scene *s, size_t *fold, double *most, gdv_error *err) {
  gdv_status status = GDV_OK;
  *fold = 1;
  *most = 0;
  for (size_t b = 1; status == GDV_OK && b <= MAX_BANDS; b++) {
    gdv_geometry g;
    if (!gdv_geometry_save(s, &g)) return OOM(err);
    int done = 1;
    double k = 0;
    status = gdv_layout_fold(s, p->st, b, &done, err);
    if (status == GDV_OK && done) status = gdv_render_page_scale(s, p->st, &k, err);
    if (!gdv_geometry_restore(s, &g) && status == GDV_OK) status = OOM(err);
    if (status || !done) break;
    if (b == 1) *most = k;
    else if (k > *most * FOLD_GAIN) *most = k, *fold = b;
  }
  return status;
}

/* Undoes relay_out (below): the flag cleared, the saved layout back as
 * it was (same layers, same order, same routes). Returns status, or an
 * out-of-memory error in its place when it was GDV_OK. */
static gdv_status relay_undo(gdv_scene *s, int *flag, gdv_geometry *saved, gdv_status status,
                             gdv_error *err) {
  *flag = 0;
  if (!gdv_geometry_restore(s, saved) && status == GDV_OK) status = OOM(err);
  return status;
}

/* Lays laid-out scene s out once more with one of its choices (*flag, a
 * field of s) set, its geometry saved first into *saved: the best fold
 * of the new layout and its page scale in *fold and *most. The caller
 * keeps the new layout (and frees *saved) or undoes it (relay_undo); on
 * an error it is undone here. */
static gdv_status relay_out(planner *p, gdv_scene *s, int *flag, gdv_geometry *saved, size_t *fold,
                            double *most, gdv_error *err) {
  if (!gdv_geometry_save(s, saved)) return OOM(err);
  *flag = 1;
  gdv_status status = lay_out(p, s, err);
  if (status == GDV_OK) status = best_fold(p, s, fold, most, err);
  if (status) return relay_undo(s, flag, saved, status, err);
  return GDV_OK;
}

/* Judges laid-out scene s unfolded and folded into `fold` rows (its
 * best fold) and leaves it unfolded: the better verdict in *v (invalid
 * when neither could be judged) with its rows in *bands; *px gets the
 * larger text reached, when larger. */
static gdv_status judge_folds(planner *p, gdv_scene *s, const detail *d, size_t wrap_step, size_t fold,
                              verdict *v, size_t *bands, double *px, gdv_error *err) {
  verdict tried[2];
  memset(tried, 0, sizeof tried);
  memset(v, 0, sizeof *v);
  size_t rows[2] = {1, fold};
  size_t n_tries = fold > 1 ? 2 : 1, pick = SIZE_MAX;
  gdv_status status = GDV_OK;
  for (size_t t = 0; status == GDV_OK && t < n_tries; t++) {
    gdv_geometry g;
    if (!gdv_geometry_save(s, &g)) return OOM(err);
    status = judge(p, s, rows[t], d->cost, wrap_step, &tried[t], err);
    if (!gdv_geometry_restore(s, &g) && status == GDV_OK) status = OOM(err);
    if (status == GDV_OK && tried[t].valid) {
      if (tried[t].m.px_per_em > *px) *px = tried[t].m.px_per_em;
      /* the unfolded figure is comfortable: folding it buys nothing */
      if (t == 0 && tried[0].m.px_per_em >= comfortable_px(&s->page)) n_tries = 1;
      if (pick == SIZE_MAX || better(&tried[t], &tried[pick])) pick = t;
    }
  }
  if (pick != SIZE_MAX) *v = tried[pick], *bands = rows[pick];
  return status;
}

/* One candidate layout: a detail, a direction, a line width. Its
 * unfolded figure and the fold that draws it largest are judged (with
 * its layers held, or its shallow gaps as buses, where those trials
 * apply and read better); the better becomes the planner's best. *px
 * gets the larger text reached. */
static gdv_status try_layout(planner *p, const detail *d, int lr, size_t wrap, size_t wrap_step,
                             const size_t *node_wrap, shape *sh, double *px, gdv_scene **laid,
                             gdv_error *err) {
  gdv_scene *s;
  *px = 0;
  gdv_status status = build(p, d, wrap, node_wrap, &s, err);
  if (status) return status;
  s->rank_lr = lr;
  s->rank_auto = 0;
  s->late_layers = d->late;
  status = lay_out(p, s, err);
  p->tall_slots |= s->tall_slots;
  p->layer_slack |= s->layer_slack;
  if (status == GDV_OK && sh) take_shape(p, s, sh);
  /* the caller's copy of the unfolded layout, to balance from */
  if (status == GDV_OK && laid) status = gdv_scene_clone(s, laid, err);
  size_t fold = 1;
  double most = 0;
  if (status == GDV_OK) status = best_fold(p, s, &fold, &most, err);
  /* a layer that reached past the tallest one made the figure taller
   * than its layers need: where the text is short of comfortable (and
   * not hopelessly small), the layers held within the tallest one's
   * reach when that draws larger (edges less straight, text larger) */
  double across = lr ? s->height : s->width, px_free = px_at(p, s, most);
  if (status == GDV_OK && s->layer_overhang > HOLD_GAIN * across && px_free < comfortable_px(&s->page) &&
      worth_measuring(s, px_free)) {
    size_t held_fold = 1;
    double held = 0;
    gdv_geometry free_geometry;
    status = relay_out(p, s, &s->hold_layers, &free_geometry, &held_fold, &held, err);
    if (status == GDV_OK && held > most) {
      fold = held_fold;
      most = held;
      gdv_geometry_free(&free_geometry);
    } else if (status == GDV_OK) {
      status = relay_undo(s, &s->hold_layers, &free_geometry, status, err);
    }
  }
  if (sh) sh->fold = fold;
  verdict v;
  memset(&v, 0, sizeof v);
  size_t bands = 1;
  if (status == GDV_OK) status = judge_folds(p, s, d, wrap_step, fold, &v, &bands, px, err);
  /* edges that cross at shallow angles run together: the gaps where they
   * would, routed as buses (right-angled crossings), when that reads
   * better */
  if (status == GDV_OK && v.valid && v.measured && !v.m.traceable && s->shallow_gaps && !s->bus_gaps) {
    gdv_geometry curves;
    verdict vb;
    size_t bus_fold = 1, bus_bands = 1;
    double bus_most = 0;
    status = relay_out(p, s, &s->bus_gaps, &curves, &bus_fold, &bus_most, err);
    if (status == GDV_OK) {
      status = judge_folds(p, s, d, wrap_step, bus_fold, &vb, &bus_bands, px, err);
      if (status == GDV_OK && better(&vb, &v)) {
        v = vb;
        bands = bus_bands;
        gdv_geometry_free(&curves);
      } else {
        status = relay_undo(s, &s->bus_gaps, &curves, status, err);
      }
    }
  }
  int pick = status == GDV_OK && v.valid;
  if (pick && better(&v, &p->level_v)) p->level_v = v;
  if (pick && better(&v, &p->best_v)) {
    int done;
    status = gdv_layout_fold(s, p->st, bands, &done, err);
    if (status == GDV_OK) {
      gdv_scene_free(p->best);
      p->best = s;
      p->best_v = v;
      p->rep.collapsed = s->n_collapsed;
      p->rep.bands = s->bands;
      p->rep.lr = lr;
      p->rep.text_wrap = wrap;
      memcpy(p->best_wrap, node_wrap ? node_wrap : p->uniform, p->g->n_nodes * sizeof *p->best_wrap);
      s = NULL;
    }
  }
  gdv_scene_free(s);
  return status;
}

/* Frees a shape's array. */
static void shape_free(shape *sh) {
  free(sh->layer_of);
  memset(sh, 0, sizeof *sh);
}

/* The strip a pick of line widths would lay out, as balance_layers
 * models it: per layer and width (index into balance_wraps) its extent
 * along (widest box) and across (boxes and their edges' slots stacked);
 * per layer the room before it (its in-edges' runs and labels) as the
 * base layout gave it, taken as fixed. */
typedef struct strip_model {
  size_t nl, nw;
  const double *along, *across;   /* [layer * nw + width] */
  const uint8_t *barred;          /* [layer * nw + width]: not offered */
  double *pre;                    /* per layer */
  double trailing;                /* after the last layer */
  double fold_room;               /* a fold's channel and gutters */
  double legend;                  /* the legend's rows below */
  double margins;                 /* on both sides, each way */
  double pw, ph;                  /* the page */
  int lr;
} strip_model;

/* The width of layer l that keeps it within `cap` across with the least
 * extent along (the widest such on a tie), or SIZE_MAX when none does. */
static size_t narrowest_under(const strip_model *m, size_t l, double cap) {
  size_t pick = SIZE_MAX;
  for (size_t w = 0; w < m->nw; w++)
    if (!m->barred[l * m->nw + w] && m->across[l * m->nw + w] <= cap + 0.5 &&
        (pick == SIZE_MAX || m->along[l * m->nw + w] < m->along[l * m->nw + pick]))
      pick = w;
  return pick;
}

/* Layer l's length along the strip at width w, the room before it
 * included (a row that starts with it starts with its labels). */
static double layer_length(const strip_model *m, size_t l, size_t w) {
  return m->pre[l] + m->along[l * m->nw + w];
}

/* Cuts the strip of pick into b rows as gdv_fold cuts it: each cut at the
 * layer boundary nearest an even share of the length, all distinct and
 * increasing. first[r] gets row r's first layer (first[b] = nl); the
 * rows made (fewer when the layers are fewer). */
static size_t strip_rows(const strip_model *m, const size_t *pick, size_t b, size_t *first) {
  double total = m->trailing, at = 0;
  for (size_t l = 0; l < m->nl; l++) total += layer_length(m, l, pick[l]);
  if (b > m->nl) b = m->nl > 0 ? m->nl : 1;
  first[0] = 0;
  size_t l = 0;
  for (size_t j = 1; j < b; j++) {
    double target = total * (double)j / (double)b;
    /* boundaries before layers first[j-1]+1 .. nl-(b-j): enough left */
    size_t best = SIZE_MAX;
    double best_d = INFINITY;
    for (; l < m->nl; l++) {
      if (l > first[j - 1] && m->nl - l >= b - j) {
        double d = fabs(at - target);
        if (d < best_d) best_d = d, best = l;
      }
      if (at > target) break;
      at += layer_length(m, l, pick[l]);
    }
    if (best == SIZE_MAX) {
      first[j] = m->nl;
      return j;
    }
    first[j] = best;
    /* resume the walk at the chosen boundary */
    at = 0;
    for (l = 0; l < best; l++) at += layer_length(m, l, pick[l]);
  }
  first[b] = m->nl;
  return b;
}

/* The page scale of the strip of pick folded into the rows of first
 * (n_rows of them): the widest row across the page, the rows stacked
 * with a fold's room between them and the legend below. *area gets the
 * figure's area: of two picks at one scale the smaller leaves the
 * layout room for what this model does not count. */
static double strip_scale(const strip_model *m, const size_t *pick, const size_t *first, size_t n_rows,
                          double *area) {
  double run = 0, stack = 0;
  for (size_t r = 0; r < n_rows; r++) {
    double length = r + 1 == n_rows ? m->trailing : 0, tallest = 0;
    for (size_t l = first[r]; l < first[r + 1]; l++) {
      length += layer_length(m, l, pick[l]);
      tallest = fmax(tallest, m->across[l * m->nw + pick[l]]);
    }
    run = fmax(run, length);
    stack += tallest;
  }
  if (n_rows > 1) run += m->fold_room, stack += (double)(n_rows - 1) * m->fold_room;
  double w = (m->lr ? run : stack) + m->margins, h = (m->lr ? stack : run) + m->legend + m->margins;
  *area = w * h;
  return fmin(m->pw / w, m->ph / h);
}

/* Orders doubles ascending. */
static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Rows of a folded strip stand as tall as their tallest layer, and only
 * the widest row sets the figure's width: each row of pick (rows at
 * first) takes the least height whose narrowest widths keep it within
 * the widest row's length, so a short row is not made tall to be
 * narrow for nothing. caps: room for the row's extents across. */
static void lower_rows(const strip_model *m, size_t *pick, const size_t *first, size_t n_rows,
                       double *caps) {
  double widest = 0;
  for (size_t r = 0; r < n_rows; r++) {
    double length = 0;
    for (size_t l = first[r]; l < first[r + 1]; l++) length += layer_length(m, l, pick[l]);
    widest = fmax(widest, length);
  }
  for (size_t r = 0; r < n_rows; r++) {
    size_t n = 0;
    for (size_t l = first[r]; l < first[r + 1]; l++)
      for (size_t w = 0; w < m->nw; w++) caps[n++] = m->across[l * m->nw + w];
    qsort(caps, n, sizeof *caps, by_value);
    /* a row's least length falls as its cap rises: the lowest cap that
     * fits, by halving */
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      double length = 0;
      for (size_t l = first[r]; l < first[r + 1] && length <= widest; l++) {
        size_t w = narrowest_under(m, l, caps[mid]);
        length += w == SIZE_MAX ? INFINITY : layer_length(m, l, w);
      }
      if (length <= widest + 0.5) hi = mid;
      else lo = mid + 1;
    }
    if (lo == n) continue;
    for (size_t l = first[r]; l < first[r + 1]; l++) pick[l] = narrowest_under(m, l, caps[lo]);
  }
}

/* A scene node's value and gradient as the pair form draws them: -1
 * when they cannot stand on one row (no value, or a gradient or sum of
 * several lines), else whether they do. */
static int pair_state(const gdv_scene_node *n) {
  for (size_t i = 0; i + 1 < n->n_lines; i++) {
    if (n->lines[i].kind != GDV_TEXT_VALUE) continue;
    const gdv_scene_line *g = &n->lines[i + 1];
    if (g->kind != GDV_TEXT_GRAD && g->kind != GDV_TEXT_SUM) return -1;
    if (i + 2 < n->n_lines && n->lines[i + 2].kind == GDV_TEXT_SUM) return -1;
    return g->join;
  }
  return -1;
}

/* Compares scene nodes (indices into alike_scene's nodes) by layer,
 * kind and operation: 0 for alike units of one layer. */
static const gdv_scene *alike_scene;
static const int *alike_layer;
static const gdv_graph *alike_graph;
static int likeness(size_t a, size_t b) {
  const gdv_scene_node *x = &alike_scene->nodes[a], *y = &alike_scene->nodes[b];
  int lx = alike_layer[x->graph_node], ly = alike_layer[y->graph_node];
  if (lx != ly) return lx < ly ? -1 : 1;
  if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
  int ox = alike_graph->op[x->graph_node], oy = alike_graph->op[y->graph_node];
  return (ox > oy) - (ox < oy);
}
/* Orders scene nodes by likeness, then index. */
static int by_likeness(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  int c = likeness(x, y);
  return c ? c : gdv_cmp_u64(x, y);
}

/* Bars width w (barred[layer * nw + w]) for every layer of scene s whose
 * alike units (same kind, same operation) would not be drawn alike: some
 * with value and gradient side by side, some not, because their numbers
 * differ in length. order: room for s's nodes. */
static void bar_unalike(const planner *p, const gdv_scene *s, const shape *sh, size_t w, size_t nw,
                        uint8_t *barred, size_t *order) {
  size_t n = 0;
  for (size_t i = 0; i < s->n_nodes; i++) {
    gdv_id v = s->nodes[i].graph_node;
    if (v != GDV_NONE && v < p->g->n_nodes && sh->layer_of[v] >= 0 && pair_state(&s->nodes[i]) >= 0)
      order[n++] = i;
  }
  alike_scene = s;
  alike_layer = sh->layer_of;
  alike_graph = p->g;
  qsort(order, n, sizeof *order, by_likeness);
  for (size_t i = 1; i < n; i++)
    if (likeness(order[i - 1], order[i]) == 0 &&
        pair_state(&s->nodes[order[i - 1]]) != pair_state(&s->nodes[order[i]]))
      barred[(size_t)sh->layer_of[s->nodes[order[i]].graph_node] * nw + w] = 1;
}

/* Line widths layer by layer, worked out rather than tried: the scene is
 * built at every width of balance_wraps and its boxes measured (no
 * layout), giving each layer's extent along (its widest box) and across
 * (its boxes and their edges' slots stacked) at each width; then, for
 * every cap on the extent across, each layer takes the width that keeps
 * it under the cap with the least extent along, and, folded, each row
 * the least height that keeps it within the widest row (lower_rows);
 * the pick that draws the figure largest on the page wins, unfolded or
 * folded as the base layout folds best, into node_wrap. The best
 * unfolded pick goes into unfolded_wrap, the text size it promises into
 * *unfolded_px. The room the base layout gives the rest (runs, label
 * columns, the legend) is taken as fixed. */
static gdv_status balance_layers(planner *p, const detail *d, const gdv_scene *base,
                                 const shape *sh, size_t *node_wrap, size_t *unfolded_wrap,
                                 double *unfolded_px, gdv_error *err) {
  const gdv_graph *g = p->g;
  size_t nl = sh->n_layers, nw = N_BALANCE_WRAPS, nn = g->n_nodes;
  int lr = base->rank_lr;
  double *along = calloc(nl * nw + 1, sizeof *along), *across = calloc(nl * nw + 1, sizeof *across);
  double *base_along = calloc(nl + 1, sizeof *base_along), *start = malloc((nl + 1) * sizeof *start);
  double *pre = calloc(nl + 1, sizeof *pre), *caps = malloc((nl * nw + 1) * sizeof *caps);
  size_t *count = calloc(nl + 1, sizeof *count), *pick = malloc((nl + 1) * sizeof *pick);
  size_t *best_pick = malloc((nl + 1) * sizeof *best_pick), *first = malloc((nl + 2) * sizeof *first);
  size_t *flat_pick = malloc((nl + 1) * sizeof *flat_pick);
  uint8_t *barred = calloc(nl * nw + 1, 1);
  double *all_caps = malloc((nl * nw + 1) * sizeof *all_caps);
  if (!along || !across || !base_along || !start || !pre || !caps || !count || !pick || !best_pick ||
      !first || !flat_pick || !barred || !all_caps) {
    free(along); free(across); free(base_along); free(start); free(pre); free(caps); free(all_caps);
    free(count); free(pick); free(best_pick); free(first); free(flat_pick); free(barred);
    return OOM(err);
  }
  gdv_status status = GDV_OK;
  const gdv_style *st = p->st;
  double gap = st->node_sep * 0.7;
  for (size_t l = 0; l < nl; l++) start[l] = INFINITY;
  for (size_t i = 0; i < base->n_nodes; i++) {
    const gdv_scene_node *n = &base->nodes[i];
    if (n->layer < 0 || (size_t)n->layer >= nl) continue;
    double c = lr ? n->x : n->y, half = (lr ? n->w : n->h) / 2;
    base_along[n->layer] = fmax(base_along[n->layer], 2 * half);
    start[n->layer] = fmin(start[n->layer], c - half);
  }
  for (size_t w = 0; status == GDV_OK && w < nw; w++) {
    gdv_scene *s;
    if ((status = build(p, d, balance_wraps[w], NULL, &s, err))) break;
    status = gdv_scene_measure(s, st, err);
    p->work += (double)s->n_nodes;
    /* slots: each edge into a box stacks its label across the box */
    double *slots = calloc(s->n_nodes + 1, sizeof *slots);
    if (status == GDV_OK && slots == NULL) status = OOM(err);
    for (size_t e = 0; status == GDV_OK && e < s->n_edges; e++) {
      const gdv_scene_edge *ed = &s->edges[e];
      double lab = ed->n_lines && ed->label_w > 0 ? (lr ? ed->label_h : ed->label_w) : 0;
      /* staggered, as if every node staggered (the layout staggers only
       * where that shortens the layer) */
      slots[ed->to] += gdv_layers_slot(st, lab, d->stagger);
    }
    memset(count, 0, (nl + 1) * sizeof *count);
    for (size_t i = 0; status == GDV_OK && i < s->n_nodes; i++) {
      gdv_id v = s->nodes[i].graph_node;
      if (v == GDV_NONE || v >= nn || sh->layer_of[v] < 0) continue;
      size_t l = (size_t)sh->layer_of[v];
      const gdv_scene_node *n = &s->nodes[i];
      along[l * nw + w] = fmax(along[l * nw + w], lr ? n->w : n->h);
      across[l * nw + w] += fmax(lr ? n->h : n->w, slots[i]) + (count[l]++ ? gap : 0);
    }
    /* units of one layer are drawn alike: a width that pairs the value
     * and gradient of some and not of others (their numbers differ in
     * length) is not offered */
    size_t *order = d->pair && status == GDV_OK ? malloc((s->n_nodes + 1) * sizeof *order) : NULL;
    if (d->pair && status == GDV_OK && order == NULL) status = OOM(err);
    if (order) bar_unalike(p, s, sh, w, nw, barred, order);
    free(order);
    free(slots);
    gdv_scene_free(s);
  }
  /* the legend as the base figure draws it (its rows, and the gap
   * above them), taken as below the graph: whether a corner of the
   * graph would hold it depends on the layout */
  gdv_figure_floor drawn;
  memset(&drawn, 0, sizeof drawn);
  if (status == GDV_OK) status = gdv_render_figure_floor(base, st, &drawn, err);
  double legend_h = drawn.legend_h > 0 ? drawn.legend_h + st->node_sep : 0;
  /* the room before each layer, as the base layout left it (a layer
   * with no box of its own takes none) */
  double end = 0;
  for (size_t l = 0; l < nl; l++) {
    if (start[l] == INFINITY) continue;
    pre[l] = fmax(start[l] - end, 0);
    end = start[l] + base_along[l];
  }
  strip_model m = {nl, nw, along, across, barred, pre, fmax((lr ? base->width : base->height) - end, 0),
                   /* a fold's channel and gutters: the rows' gap and a few tracks */
                   st->node_sep + FOLD_TRACKS * (st->edge_width_max + 3),
                   legend_h, 2 * st->margin, base->page.width, base->page.height, lr};
  /* every distinct extent across is a cap to try (a chain's layers are
   * alike: a few caps, not one per layer) */
  size_t n_caps = 0;
  for (size_t c = 0; c < nl * nw; c++)
    if (!barred[c]) all_caps[n_caps++] = across[c];
  qsort(all_caps, n_caps, sizeof *all_caps, by_value);
  size_t distinct = 0;
  for (size_t c = 0; c < n_caps; c++)
    if (distinct == 0 || all_caps[c] != all_caps[distinct - 1]) all_caps[distinct++] = all_caps[c];
  n_caps = distinct;
  double best = -1, best_area = INFINITY, flat = -1, flat_area = INFINITY;
  for (size_t c = 0; status == GDV_OK && c < n_caps; c++) {
    int ok = 1;
    for (size_t l = 0; ok && l < nl; l++)
      ok = (pick[l] = narrowest_under(&m, l, all_caps[c])) != SIZE_MAX;
    if (!ok) continue;
    /* the figure as laid out, and folded as its layout folds best; a
     * folded one also with its rows lowered */
    size_t rows[2] = {1, sh->fold}, n_tries = sh->fold > 1 ? 3 : 1;
    for (size_t t = 0; t < n_tries; t++) {
      size_t n_rows = strip_rows(&m, pick, rows[t > 0], first);
      if (t == 2) {
        lower_rows(&m, pick, first, n_rows, caps);
        n_rows = strip_rows(&m, pick, rows[1], first);
      }
      double area, k = strip_scale(&m, pick, first, n_rows, &area);
      if (k > best || (k == best && area < best_area)) {
        best = k;
        best_area = area;
        memcpy(best_pick, pick, nl * sizeof *pick);
      }
      if (t == 0 && (k > flat || (k == flat && area < flat_area))) {
        flat = k;
        flat_area = area;
        memcpy(flat_pick, pick, nl * sizeof *pick);
      }
    }
  }
  *unfolded_px = px_at(p, base, flat);
  /* comfortable unfolded, the figure is never folded: no widths for a fold */
  if (flat > 0 && *unfolded_px >= comfortable_px(&base->page))
    memcpy(best_pick, flat_pick, nl * sizeof *pick);
  for (size_t v = 0; v < nn; v++) {
    if (status == GDV_OK && best > 0 && sh->layer_of[v] >= 0) {
      node_wrap[v] = balance_wraps[best_pick[sh->layer_of[v]]];
      unfolded_wrap[v] = balance_wraps[flat_pick[sh->layer_of[v]]];
    } else {
      unfolded_wrap[v] = node_wrap[v];
    }
  }
  free(along); free(across); free(base_along); free(start); free(pre); free(caps); free(all_caps);
  free(count); free(pick); free(best_pick); free(first); free(flat_pick); free(barred);
  return status;
}

/* One detail in one direction: the options' line width, then line widths
 * balanced layer by layer (balance_layers) from that layout's shape, and
 * once more from the balanced layout's own. */
static gdv_status try_direction(planner *p, const detail *d, int lr, gdv_error *err) {
  shape sh;
  memset(&sh, 0, sizeof sh);
  size_t nn = p->g->n_nodes + 1;
  sh.layer_of = malloc(nn * sizeof *sh.layer_of);
  size_t *node_wrap = malloc(nn * sizeof *node_wrap), *last = malloc(nn * sizeof *last);
  size_t *unfolded_wrap = malloc(nn * sizeof *unfolded_wrap);
  gdv_status status = sh.layer_of && node_wrap && last && unfolded_wrap ? GDV_OK : OOM(err);
  double px;
  gdv_scene *base = NULL;
  if (status == GDV_OK) status = try_layout(p, d, lr, p->opt->text_wrap, 0, NULL, &sh, &px, &base, err);
  for (size_t v = 0; v < nn - 1 && status == GDV_OK; v++) node_wrap[v] = last[v] = p->opt->text_wrap;
  for (int round = 0; status == GDV_OK && base && p->opt->text_wrap && round < BALANCE_ROUNDS &&
                      p->work < WORK_BUDGET; round++) {
    double unfolded_px = 0;
    status = balance_layers(p, d, base, &sh, node_wrap, unfolded_wrap, &unfolded_px, err);
    if (status || memcmp(node_wrap, last, (nn - 1) * sizeof *last) == 0) break;
    /* widths balanced for a fold bet on a fold the judgement will not
     * take where the figure reads unfolded (then it is never folded):
     * where the best unfolded widths promise legible text, they are laid
     * out too, once */
    if (round == 0 && unfolded_px >= gdv_page_legible_px(&base->page) &&
        memcmp(node_wrap, unfolded_wrap, (nn - 1) * sizeof *last) != 0)
      status = try_layout(p, d, lr, p->opt->text_wrap, 0, unfolded_wrap, NULL, &px, NULL, err);
    memcpy(last, node_wrap, (nn - 1) * sizeof *last);
    gdv_scene_free(base);
    base = NULL;
    if (status == GDV_OK)
      status = try_layout(p, d, lr, p->opt->text_wrap, 0, node_wrap, &sh, &px, &base, err);
  }
  gdv_scene_free(base);
  shape_free(&sh);
  free(node_wrap);
  free(unfolded_wrap);
  free(last);
  return status;
}

/* One detail in one direction, each operation in the layer after its
 * operands; then, when some operation could stand later (a decay term
 * used only by the cost, beside the hidden units), with such operations
 * just before their first consumer: the columns of operands stand less
 * tall, at the price of longer edges, and the judgement picks. */
static gdv_status try_layerings(planner *p, detail *d, int lr, gdv_error *err) {
  p->layer_slack = 0;
  d->late = 0;
  gdv_status status = try_direction(p, d, lr, err);
  if (status == GDV_OK && p->layer_slack && p->work < WORK_BUDGET) {
    d->late = 1;
    status = try_direction(p, d, lr, err);
  }
  d->late = 0;
  return status;
}

/* Every direction open to one detail level; *good gets whether its best
 * candidate is legible and traceable (-1: the level cannot keep the
 * lesson, so was not tried). */
static gdv_status try_level(planner *p, size_t level, const int *dirs, int n_dirs, int *good,
                            gdv_error *err) {
  detail d;
  size_t hidden, merged;
  gdv_status status = GDV_OK;
  memset(&p->level_v, 0, sizeof p->level_v);
  *good = -1;
  if (!level_setup(p, level, &d.mask, &d.groups, &hidden, &merged, err, &status)) return status;
  double base = COST_HIDDEN_NODE * (double)hidden + COST_MERGED * (double)merged;
  /* plain text first; values and gradients side by side where that
   * leaves the figure unread; then edge labels as bare numbers too */
  static const struct { int pair, terse; double cost; } forms[] = {
    {0, 0, 0}, {1, 0, COST_PAIRED_LINES}, {0, 1, COST_TERSE_LABELS},
    {1, 1, COST_PAIRED_LINES + COST_TERSE_LABELS}};
  for (size_t f = 0; status == GDV_OK && f < sizeof forms / sizeof *forms; f++) {
    if (f > 0 && (*good || p->work >= WORK_BUDGET)) break;
    if (forms[f].terse && !(p->opt->show & (GDV_SHOW_LOCALS | GDV_SHOW_EDGE_GRADS))) break;
    /* bare numbers need the legend that says which is which */
    if (forms[f].terse && (!(p->opt->show & GDV_SHOW_LEGEND) || p->opt->legend_place == GDV_LEGEND_NONE))
      break;
    d.pair = forms[f].pair;
    d.terse = forms[f].terse;
    d.stagger = 0;
    d.cost = base + forms[f].cost;
    p->tall_slots = 0;
    for (int di = 0; status == GDV_OK && di < n_dirs && p->work < WORK_BUDGET; di++)
      status = try_layerings(p, &d, dirs[di], err);
    /* labels that stand taller than their nodes: the form again with
     * them staggered */
    if (p->tall_slots && !(p->level_v.valid && p->level_v.m.legible && p->level_v.m.traceable)) {
      d.stagger = 1;
      d.cost += COST_STAGGERED;
      for (int di = 0; status == GDV_OK && di < n_dirs && p->work < WORK_BUDGET; di++)
        status = try_layerings(p, &d, dirs[di], err);
    }
    *good = p->level_v.valid && p->level_v.m.legible && p->level_v.m.traceable;
  }
  return status;
}

/* The search. Detail levels run from every group in full (0) through
 * the classes collapsed one by one to every group collapsed (top), then
 * statements merged into their consumers' nodes. The least detailed
 * collapsed figure is tried first: when it reads, the most detailed
 * level that still reads is found by halving (text grows as detail
 * goes), and the level after it is tried too (fewer folds may pay for
 * less detail); when it does not, the merges are tried in turn until one
 * reads. The reading cost decides among everything tried. */
static gdv_status search(planner *p, gdv_error *err) {
  /* the file's direction, or left to right first where it is open */
  int rank_lr = !(p->opt->rankdir == GDV_RANKDIR_TB ||
                  (p->opt->rankdir == GDV_RANKDIR_GRAPH && p->g->rankdir &&
                   (strcmp(p->g->rankdir, "TB") == 0 || strcmp(p->g->rankdir, "BT") == 0)));
  int dirs[2] = {p->free_direction ? 1 : rank_lr, 0}, n_dirs = p->free_direction ? 2 : 1;
  int good;
  if (p->opt->expand_given || p->n_levels <= 1) return try_level(p, 0, dirs, n_dirs, &good, err);
  size_t top = p->n_levels - 1;
  gdv_status status = try_level(p, top, dirs, n_dirs, &good, err);
  if (status == GDV_OK && good > 0) {
    size_t lo = 0, hi = top;
    while (status == GDV_OK && lo < hi && p->work < WORK_BUDGET) {
      size_t mid = lo + (hi - lo) / 2;
      if ((status = try_level(p, mid, dirs, n_dirs, &good, err))) break;
      if (good > 0) hi = mid;
      else lo = mid + 1;
    }
    if (status == GDV_OK && lo + 1 < top && p->work < WORK_BUDGET)
      status = try_level(p, lo + 1, dirs, n_dirs, &good, err);
  } else {
    /* collapsing does not always make text larger (an equation of 4,000
     * factors is longer than its one edge): the full figure is tried too */
    status = try_level(p, 0, dirs, n_dirs, &good, err);
    for (size_t m = 1; status == GDV_OK && !good && m <= p->n_merges && p->work < WORK_BUDGET; m++) {
      status = try_level(p, top + m, dirs, n_dirs, &good, err);
      if (good > 0) break;
    }
  }
  p->rep.budget_spent = p->work >= WORK_BUDGET;
  return status;
}

/* Lays out one scene as given, for the cases the planner does not
 * search: no page (the figure's natural size) or a graph too large. */
static gdv_status as_given(planner *p, gdv_scene **out, gdv_error *err) {
  gdv_scene *s = NULL;
  gdv_status status = gdv_scene_from_graph(p->g, p->opt, &s, err);
  if (status == GDV_OK) {
    if (p->engine == GDV_ENGINE_AUTO && s->n_nodes > GDV_LAYERS_MAX_NODES) p->engine = GDV_ENGINE_COLUMNS;
    status = s->page.width > 0 ? gdv_plan_page(s, p->st, p->engine, err) : lay_out(p, s, err);
  }
  /* on a page, its text size says whether it reads (no closer look: a
   * graph this large does not) */
  double k = 0;
  if (status == GDV_OK && s->page.width > 0 &&
      (status = gdv_render_page_scale(s, p->st, &k, err)) == GDV_OK) {
    p->rep.px_per_em = px_at(p, s, k);
    p->rep.planned = 1;
    p->rep.legible = p->rep.px_per_em >= gdv_page_legible_px(&s->page);
    p->rep.bands = s->bands;
    p->rep.lr = s->rank_lr;
  }
  if (status) {
    gdv_scene_free(s);
    return status;
  }
  *out = s;
  return GDV_OK;
}

/* See gdv_render.h. */
gdv_status gdv_plan_figure(const gdv_graph *g, const gdv_scene_options *opt, const gdv_style *st,
                           gdv_engine engine, gdv_scene **out, gdv_plan_report *rep,
                           gdv_error *err) {
  planner p;
  memset(&p, 0, sizeof p);
  p.g = g;
  p.opt = opt;
  p.st = st;
  p.engine = engine;
  *out = NULL;
  gdv_status status = GDV_OK;
  /* --highlight lists paths through every node: every group in full */
  gdv_scene_options full;
  if (opt->highlight && !opt->expand_given) {
    full = *opt;
    full.expand = NULL;
    full.expand_given = 1;
    p.opt = opt = &full;
  }
  if (!(opt->page.width > 0) || g->n_nodes > SEARCH_MAX_NODES) {
    status = as_given(&p, out, err);
  } else {
    p.tb_costs = opt->rankdir == GDV_RANKDIR_GRAPH && g->rankdir == NULL;
    p.free_direction = opt->rankdir == GDV_RANKDIR_AUTO || p.tb_costs;
    if (g->n_groups > 0) {
      status = gdv_groups_analyse(g, &p.gr, err);
      p.have_groups = status == GDV_OK;
      if (status == GDV_OK) status = make_classes(&p, err);
      if (status == GDV_OK) status = make_merges(&p, err);
    }
    size_t nn = g->n_nodes + 1;
    p.uniform = malloc(nn * sizeof *p.uniform);
    p.best_wrap = malloc(nn * sizeof *p.best_wrap);
    if (status == GDV_OK && (p.uniform == NULL || p.best_wrap == NULL)) status = OOM(err);
    for (size_t v = 0; status == GDV_OK && v < g->n_nodes; v++) p.uniform[v] = opt->text_wrap;
    /* the parallel edges are the same in every candidate: found once (a
     * product of 100,000 factors spent most of its planning finding them) */
    gdv_scene_options known = *opt;
    size_t *groups = NULL;
    if (status == GDV_OK && !opt->parallel_known)
      status = gdv_parallel_groups(g, opt->parallel_max, opt->precision > 0 ? opt->precision : 4,
                                   &groups, err);
    if (status == GDV_OK && !opt->parallel_known) {
      known.parallel_groups = groups;
      known.parallel_known = 1;
      p.opt = &known;
    }
    if (status == GDV_OK) status = search(&p, err);
    free(groups);
    if (status == GDV_OK && p.best == NULL)
      status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "the planner found no figure");
    if (status == GDV_OK) {
      p.best->plan_layouts = p.rep.layouts;
      p.best->plan_measured = p.rep.measured;
      *out = p.best;
      p.best = NULL;
      p.rep.planned = 1;
      p.rep.legible = p.best_v.m.legible;
      p.rep.traceable = p.best_v.m.traceable;
      p.rep.px_per_em = p.best_v.m.px_per_em;
    }
    gdv_scene_free(p.best);
  }
  planner_free(&p);
  if (rep) *rep = p.rep;
  return status;
}
