/* gdv_detail.c: the level of detail a page can hold. A course graph drawn
 * node by node is often too big to read on a slide; its groups (formula
 * statements, DOT clusters) drawn as one node each carry the same exact
 * numbers in fewer boxes. Without --expand the figure gets the most detail
 * that stays legible: every group in full when that is legible, else
 * groups expanded one by one (the biggest first) from all collapsed while
 * the figure stays legible; when even all collapsed is not legible, every
 * node is drawn unless collapsing makes the text far larger (by a
 * quarter: gru-cell's 10.2 px/em become 15.5). Where that is still not
 * legible, long lines (equations, sums) are wrapped narrower; where even
 * that is not, the statements that only feed the cost are merged into its
 * node (merge_head). Legibility is measured on the real laid-out figure,
 * like the fold. */
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

#define OOM(err) gdv_error_set((err), GDV_ERR_SYSTEM, "", 0, "out of memory")

/* Layouts tried at most while expanding groups one by one: each is a
 * whole layout, and a graph of many statements must still be quick. */
#define DETAIL_MAX_TRIES 10

/* The text size, as a share of the page's height, that a room can read:
 * 18 px per em on a 1920x1080 slide. */
#define DETAIL_LEGIBLE (18.0 / 1080.0)

/* How much larger the text of the all-collapsed figure must be to be
 * drawn when neither it nor the full one is legible. */
#define DETAIL_BETTER 1.25

/* Narrower text wraps tried, in order, when the figure is not legible at
 * the options' own (gdv_scene_options.text_wrap): 30 puts a course
 * network's equations on two lines; 16 is about as narrow as a node's own
 * "∂C/∂x = −0.1234" line, below which wrapping only adds height. */
static const size_t narrower[] = {30, 24, 20, 16};

/* A figure of the second try (narrower lines, merged cost) must also keep
 * its labels clear of their ends: at most a twentieth of them with under
 * this much line on a side (12 pt, and a point for the coarser curve
 * measured here than tests/figure/legible.py's). */
#define DETAIL_LABEL_SIDE 13.0

/* Scenes of more nodes are not laid out again with narrower wraps or
 * merges: their layouts take seconds, and they are never legible whole. */
#define DETAIL_WRAP_NODES 300

/* Builds and lays out the scene for one expansion mask (NULL: all) and
 * says how large its smallest text is, as a share of the page height. */
static gdv_status try_mask(const gdv_graph *g, const gdv_scene_options *opt,
                           const gdv_style *st, int use_dot, const uint8_t *mask,
                           gdv_scene **out, double *text, gdv_error *err) {
  gdv_scene_options o = *opt;
  o.expand = mask;
  *out = NULL;
  gdv_status status = gdv_scene_from_graph(g, &o, out, err);
  if (status == GDV_OK) status = gdv_layout_page(*out, st, use_dot, err);
  double scale = 0;
  if (status == GDV_OK) status = gdv_render_page_scale(*out, st, &scale, err);
  *text = status ? 0 : gdv_page_text_share(*out, st, scale);
  if (status) {
    gdv_scene_free(*out);
    *out = NULL;
  }
  return status;
}

/* Group indices by member count, biggest first (ties by index). */
static const gdv_groups *sort_groups;
static int by_members(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  size_t mx = sort_groups->n_members[x], my = sort_groups->n_members[y];
  if (mx != my) return mx < my ? 1 : -1;
  return (x > y) - (x < y);
}

/* From everything collapsed, expands the biggest groups one at a time
 * while the figure stays legible; *best holds the last legible scene. */
static gdv_status expand_while_legible(const gdv_graph *g, const gdv_scene_options *opt,
                                       const gdv_style *st, int use_dot, const gdv_groups *gr,
                                       uint8_t *mask, gdv_scene **best, gdv_error *err) {
  size_t *order = malloc((gr->n + 1) * sizeof *order);
  if (order == NULL) return OOM(err);
  for (size_t k = 0; k < gr->n; k++) order[k] = k;
  sort_groups = gr;
  qsort(order, gr->n, sizeof *order, by_members);
  gdv_status status = GDV_OK;
  size_t tries = 0;
  for (size_t i = 0; i < gr->n && tries < DETAIL_MAX_TRIES && status == GDV_OK; i++) {
    size_t k = order[i];
    if (gr->exit[k] == GDV_NONE) continue;  /* drawn in full anyway */
    mask[k] = 1;
    gdv_scene *s;
    double text;
    tries++;
    status = try_mask(g, opt, st, use_dot, mask, &s, &text, err);
    if (status) break;
    if (text >= DETAIL_LEGIBLE) {
      gdv_scene_free(*best);
      *best = s;
    } else {
      mask[k] = 0;
      gdv_scene_free(s);
    }
  }
  free(order);
  return status;
}

/* The most detail that stays legible at the options' text wrap, and its
 * text size in *out_text. Without a page, groups or with an expansion
 * already chosen: that one scene. */
static gdv_status legible_detail(const gdv_graph *g, const gdv_scene_options *opt,
                                 const gdv_style *st, int use_dot, gdv_scene **out,
                                 double *out_text, gdv_error *err) {
  gdv_scene *best = NULL;
  double best_text = 0;
  *out = NULL;
  gdv_status status = try_mask(g, opt, st, use_dot, opt->expand, &best, &best_text, err);
  *out_text = best_text;
  if (status || !(opt->page.width > 0) || g->n_groups == 0 || opt->expand != NULL ||
      best_text >= DETAIL_LEGIBLE) {
    *out = best;
    return status;
  }
  gdv_groups gr;
  if ((status = gdv_groups_analyse(g, &gr, err))) {
    gdv_scene_free(best);
    return status;
  }
  uint8_t *mask = calloc(gr.n + 1, 1);
  if (mask == NULL) status = OOM(err);
  gdv_scene *s = NULL;
  double text = 0;
  gdv_scene_options o = *opt;
  o.groups = &gr;
  if (status == GDV_OK) status = try_mask(g, &o, st, use_dot, mask, &s, &text, err);
  if (status == GDV_OK && text >= DETAIL_LEGIBLE) {
    gdv_scene_free(best);
    best = s;
    *out_text = text;
    status = expand_while_legible(g, &o, st, use_dot, &gr, mask, &best, err);
  } else if (status == GDV_OK && text >= DETAIL_BETTER * best_text) {
    /* not legible either way, but far larger collapsed: the room reads
     * more of it (--expand all draws every node) */
    gdv_scene_free(best);
    best = s;
    *out_text = text;
  } else {
    /* collapsing loses detail: worth it only where it makes the text much
     * larger; short of that, every node stays drawn */
    gdv_scene_free(s);
  }
  free(mask);
  gdv_groups_free(&gr);
  if (status) {
    gdv_scene_free(best);
    return status;
  }
  *out = best;
  return GDV_OK;
}

/* Whether a scene of the second try reads on the page: text of `text`
 * (a share of the page height), labels clear of their ends and none
 * that could be another edge's. */
static int reads(const gdv_scene *s, double text) {
  size_t labelled, n_short = gdv_scene_short_labels(s, DETAIL_LABEL_SIDE, &labelled);
  return text >= DETAIL_LEGIBLE && 20 * n_short <= labelled && gdv_scene_unclear_labels(s) == 0;
}

/* Whether leaf u is one of the graph's inputs (not a weight or constant;
 * a leaf without a role is an input). */
static int is_input(const gdv_graph *g, gdv_id u) {
  return g->op[u] == GDV_OP_LEAF && (g->role[u] == GDV_ROLE_NONE || g->role[u] == GDV_ROLE_INPUT);
}

/* Whether group k can join the head: every edge leaving its members ends
 * in a group counted as the head's, so that the head keeps one exit; and
 * no input of the graph would then feed the head alone, so that the
 * figure keeps its inputs and the paths from them (mu = (x1 + x2 + x3)/3
 * stays out of batchnorm's head: on a portrait page, merging everything
 * would leave one box and no graph). `oi`: the graph's out-edges. */
static int joins_head(const gdv_graph *g, const gdv_consumers *oi, const gdv_id *into, gdv_id k,
                      gdv_id head) {
  int any = 0;
  for (size_t e = 0; e < g->n_edges; e++) {
    gdv_id u = g->edge_from[e], v = g->edge_to[e];
    if (g->node_group[u] != k) continue;
    any = 1;
    if (g->node_group[v] == k) continue;
    if (g->node_group[v] == GDV_NONE || into[g->node_group[v]] != head) return 0;
  }
  for (size_t e = 0; any && e < g->n_edges; e++) {
    gdv_id u = g->edge_from[e];
    if (g->node_group[g->edge_to[e]] != k || !is_input(g, u)) continue;
    int outside = 0;  /* a use of u outside the head and k */
    for (size_t j = oi->start[u]; !outside && j < oi->start[u + 1]; j++) {
      gdv_id w = g->node_group[g->edge_to[oi->edge[j]]];
      outside = w == GDV_NONE || (w != k && into[w] != head);
    }
    if (!outside) return 0;
  }
  return any;
}

/* The cost head: from the output's statement back, the statements that
 * only feed it are merged into it one by one (the latest first: the
 * y_i = gamma·d_i/sd + beta of batchnorm, then sd and var) until the
 * figure, every group collapsed, is legible; the first legible one
 * replaces *out. The head's node shows every merged equation, and each
 * edge into it d(C)/du through all of them: exact, as a group's are. */
static gdv_status merge_head(const gdv_graph *g, const gdv_scene_options *opt,
                             const gdv_style *st, int use_dot, gdv_scene **out,
                             gdv_error *err) {
  gdv_id head = g->node_group[g->output];
  if (head == GDV_NONE) return GDV_OK;
  gdv_consumers oi;
  gdv_status status = gdv_consumers_build(g, &oi, err);
  if (status) return status;
  gdv_id *into = malloc(g->n_groups * sizeof *into);
  uint8_t *mask = calloc(g->n_groups + 1, 1);
  if (into == NULL || mask == NULL) {
    free(into);
    free(mask);
    gdv_consumers_free(&oi);
    return OOM(err);
  }
  for (size_t k = 0; k < g->n_groups; k++) into[k] = (gdv_id)k;
  size_t tries = 0;
  for (size_t k = g->n_groups; k-- > 0 && tries < DETAIL_MAX_TRIES && status == GDV_OK;) {
    if (k == head || !joins_head(g, &oi, into, (gdv_id)k, head)) continue;
    into[k] = head;
    tries++;
    gdv_groups gr;
    if ((status = gdv_groups_analyse_merged(g, into, &gr, err))) break;
    gdv_scene_options o = *opt;
    o.groups = &gr;
    gdv_scene *s;
    double text;
    status = try_mask(g, &o, st, use_dot, mask, &s, &text, err);
    gdv_groups_free(&gr);
    if (status == GDV_OK && reads(s, text)) {
      gdv_scene_free(*out);
      *out = s;
      break;
    }
    if (status == GDV_OK) gdv_scene_free(s);
  }
  free(into);
  free(mask);
  gdv_consumers_free(&oi);
  return status;
}

/* The most detail that stays legible on the page (see the top); when
 * none is, the same choice again with long lines wrapped narrower, the
 * first that makes the figure legible; when none does, the statements
 * that only compute the cost merged into one node (merge_head). A figure
 * bound by the page's width trades it for height this way: gru-cell's
 * equations on two lines take its text from 15.5 to 18.6 px/em (at 20).
 * Short of legible, the figure keeps its lines: narrower wraps crowd the
 * labels of a figure that is bound both ways (the 3-3-3 network: 12.0 to
 * 13.0 px/em, with 2 labels squeezed against their arrowheads). Big
 * graphs, whose layouts take seconds, are laid out once. */
gdv_status gdv_scene_legible(const gdv_graph *g, const gdv_scene_options *opt,
                             const gdv_style *st, int use_dot, gdv_scene **out,
                             gdv_error *err) {
  double text;
  gdv_status status = legible_detail(g, opt, st, use_dot, out, &text, err);
  if (status || text >= DETAIL_LEGIBLE || !(opt->page.width > 0) ||
      (*out)->n_nodes > DETAIL_WRAP_NODES)
    return status;
  for (size_t i = 0; opt->text_wrap && i < sizeof narrower / sizeof narrower[0]; i++) {
    if (narrower[i] >= opt->text_wrap) continue;
    gdv_scene_options o = *opt;
    o.text_wrap = narrower[i];
    gdv_scene *s;
    double t;
    if ((status = legible_detail(g, &o, st, use_dot, &s, &t, err))) {
      gdv_scene_free(*out);
      *out = NULL;
      return status;
    }
    if (reads(s, t)) {
      gdv_scene_free(*out);
      *out = s;
      return GDV_OK;
    }
    gdv_scene_free(s);
  }
  if (opt->expand == NULL && g->n_groups > 0 && (status = merge_head(g, opt, st, use_dot, out, err))) {
    gdv_scene_free(*out);
    *out = NULL;
  }
  return status;
}
