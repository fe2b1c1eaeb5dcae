/* gdv_layout_dot.c: positions from Graphviz `dot` through libgvc. Graphviz
 * only lays out: every node gets our measured size as a fixed size, every
 * edge label an empty fixed-size HTML cell (which, unlike xlabel, gets its
 * own place in the ranks), and we read centres and splines back. */
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

#include "render/gdv_render_int.h"

/* Sets a Graphviz attribute given as printf text. */
__attribute__((format(printf, 3, 4)))
static void set_attr(void *obj, const char *name, const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  agset(obj, (char *)name, buf);
}

/* Copies one edge's spline from Graphviz into the scene, y flipped. */
static int copy_spline(gdv_scene_edge *se, Agedge_t *e, double top) {
  free(se->pts);
  se->pts = NULL;
  se->n_pts = 0;
  splines *spl = ED_spl(e);
  if (spl == NULL || spl->size < 1) return 1;
  size_t total = 0;
  for (int b = 0; b < spl->size; b++) total += (size_t)spl->list[b].size;
  se->pts = malloc(2 * total * sizeof *se->pts);
  if (se->pts == NULL) return 0;
  /* dot gives one bezier per edge in practice; concatenate if not */
  for (int b = 0; b < spl->size; b++) {
    bezier *bz = &spl->list[b];
    for (int k = (b > 0 ? 1 : 0); k < bz->size; k++) {
      se->pts[2 * se->n_pts] = bz->list[k].x;
      se->pts[2 * se->n_pts + 1] = top - bz->list[k].y;
      se->n_pts++;
    }
  }
  bezier *last = &spl->list[spl->size - 1];
  if (last->eflag) {
    se->tip_x = last->ep.x;
    se->tip_y = top - last->ep.y;
  } else {
    se->tip_x = se->pts[2 * (se->n_pts - 1)];
    se->tip_y = se->pts[2 * (se->n_pts - 1) + 1];
  }
  return 1;
}

/* A context with only the dot layout plugin. Plain gvContext() reads the
 * plugin configuration and loads the Pango text plugin (Pango, GLib,
 * HarfBuzz: about a third of a small figure's start-up), which our fixed
 * sizes do not need. The plugin sits in graphviz/ beside libgvc; when it is
 * not there, fall back to gvContext(). The handle stays open for the
 * process: every layout reuses it. */
static GVC_t *new_context(void) {
  static lt_symlist_t preloaded[2];
  static int tried;
  if (!tried) {
    tried = 1;
    Dl_info info;
    if (dladdr((void *)gvContext, &info) && info.dli_fname && strrchr(info.dli_fname, '/')) {
      char plugin[4096];
      const char *slash = strrchr(info.dli_fname, '/');
      snprintf(plugin, sizeof plugin, "%.*s/graphviz/libgvplugin_dot_layout.so.6",
               (int)(slash - info.dli_fname), info.dli_fname);
      void *h = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
      void *lib = h ? dlsym(h, "gvplugin_dot_layout_LTX_library") : NULL;
      if (lib) {
        preloaded[0].name = "gvplugin_dot_layout_LTX_library";
        preloaded[0].address = lib;
      }
    }
  }
  return preloaded[0].address ? gvContextPlugins(preloaded, 0) : gvContext();
}

/* Graphviz prints warnings itself; a library must not, so they go here. */
static int swallow_message(char *msg) {
  (void)msg;
  return 0;
}

/* Every node a fixed-size unlabelled box (our sizes, set per node), every
 * edge unlabelled (labels are fixed-size HTML cells, set per edge). */
static const struct {
  int kind;
  const char *name, *value;
} fixed_defaults[] = {
  {AGNODE, "shape", "box"},   {AGNODE, "label", ""},      {AGNODE, "fixedsize", "true"},
  {AGNODE, "width", "0.5"},   {AGNODE, "height", "0.5"},  {AGNODE, "margin", "0"},
  {AGEDGE, "label", ""},      {AGEDGE, "arrowsize", "0.8"}, {AGEDGE, "weight", "1"},
};

/* Graph-wide attributes: direction, spacing from the style, and bounded
 * effort on big graphs; nodes are fixed-size unlabelled boxes. */
static void set_defaults(Agraph_t *g, const gdv_scene *s, const gdv_style *st) {
  agattr(g, AGRAPH, "rankdir", s->rank_lr ? "LR" : "TB");
  set_attr(g, "nodesep", "%.4f", st->node_sep / 72.0);
  set_attr(g, "ranksep", "%.4f", st->rank_sep / 72.0);
  if (s->n_nodes > 300) {
    /* big graphs: network simplex and crossing reduction spend most of the
     * time; bounded iterations keep 1,500 nodes well under 5 s and still
     * give layered, readable figures */
    agattr(g, AGRAPH, "nslimit", "1");
    agattr(g, AGRAPH, "nslimit1", "1");
    agattr(g, AGRAPH, "mclimit", "0.3");
  }
  for (size_t i = 0; i < sizeof fixed_defaults / sizeof fixed_defaults[0]; i++)
    agattr(g, fixed_defaults[i].kind, (char *)fixed_defaults[i].name,
           (char *)fixed_defaults[i].value);
}

/* Our measured sizes as fixed node sizes, and each edge label as an empty
 * fixed-size HTML cell, so Graphviz reserves exactly the room we draw in. */
static void add_scene(Agraph_t *g, const gdv_scene *s, Agnode_t **gn, Agedge_t **ge) {
  char name[32];
  for (size_t i = 0; i < s->n_nodes; i++) {
    snprintf(name, sizeof name, "n%zu", i);
    gn[i] = agnode(g, name, 1);
    set_attr(gn[i], "width", "%.4f", s->nodes[i].w / 72.0);
    set_attr(gn[i], "height", "%.4f", s->nodes[i].h / 72.0);
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    const gdv_scene_edge *se = &s->edges[i];
    snprintf(name, sizeof name, "e%zu", i);
    ge[i] = agedge(g, gn[se->from], gn[se->to], name, 1);
    /* the computation's spine (operation to operation) straight, leaves
     * hanging off it: a chain reads as a line, not a staircase */
    if (s->nodes[se->from].kind == GDV_KIND_OP && s->nodes[se->to].kind == GDV_KIND_OP)
      agset(ge[i], "weight", "8");
    if (se->label_w > 0) {
      char html[256];
      snprintf(html, sizeof html,
               "<TABLE BORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"0\"><TR>"
               "<TD FIXEDSIZE=\"TRUE\" WIDTH=\"%d\" HEIGHT=\"%d\"></TD></TR></TABLE>",
               (int)ceil(se->label_w), (int)ceil(se->label_h));
      char *h = agstrdup_html(g, html);
      agset(ge[i], "label", h);
      agstrfree(g, h);
    }
  }
}

/* Positions, sizes (as Graphviz rounded them), splines and label centres
 * back into the scene, y flipped to point down. */
static gdv_status read_layout(Agraph_t *g, gdv_scene *s, Agnode_t **gn, Agedge_t **ge,
                              gdv_error *err) {
  double top = GD_bb(g).UR.y;
  s->width = GD_bb(g).UR.x;
  s->height = top;
  for (size_t i = 0; i < s->n_nodes; i++) {
    gdv_scene_node *n = &s->nodes[i];
    n->x = ND_coord(gn[i]).x;
    n->y = top - ND_coord(gn[i]).y;
    n->w = ND_width(gn[i]) * 72.0;
    n->h = ND_height(gn[i]) * 72.0;
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    gdv_scene_edge *se = &s->edges[i];
    if (!copy_spline(se, ge[i], top))
      return gdv_error_oom(err);
    textlabel_t *lab = ED_label(ge[i]);
    if (lab && se->label_w > 0) {
      se->label_x = lab->pos.x;
      se->label_y = top - lab->pos.y;
      se->label_w = lab->dimen.x;
      se->label_h = lab->dimen.y;
    }
  }
  return GDV_OK;
}

/* Where each node belongs in source order: an operation at its own
 * index, a leaf (no edge in) beside its first consumer, so that x1 and w1
 * of x1*w1 stay together above x2 and w2 rather than x1, x2, w1, w2 in
 * the order they were declared. */
static void source_keys(const gdv_scene *s, size_t *key) {
  for (size_t i = 0; i < s->n_nodes; i++) key[i] = SIZE_MAX;
  for (size_t e = 0; e < s->n_edges; e++) key[s->edges[e].to] = s->edges[e].to;
  /* an operation's key is itself; a leaf's, its least consumer so far */
  for (size_t e = 0; e < s->n_edges; e++) {
    size_t from = s->edges[e].from, to = s->edges[e].to;
    if (key[from] != from && to < key[from]) key[from] = to;
  }
  for (size_t i = 0; i < s->n_nodes; i++)
    if (key[i] == SIZE_MAX) key[i] = i;
}

/* Whether node a comes before node b in source order. */
static int source_before(const size_t *key, size_t a, size_t b) {
  return key[a] != key[b] ? key[a] < key[b] : a < b;
}

/* Nodes of one rank, in source order, for the second run of
 * source_order: a rank=same subgraph chained by invisible edges that
 * order the rank (dot ignores the order of flat edges of weight 0). */
static void pin_rank(Agraph_t *g, Agnode_t **gn, const size_t *members, size_t n, size_t rank) {
  char name[48];
  snprintf(name, sizeof name, "rank%zu", rank);
  Agraph_t *sub = agsubg(g, name, 1);
  agsafeset(sub, "rank", "same", "");
  for (size_t k = 0; k < n; k++) agsubnode(sub, gn[members[k]], 1);
  for (size_t k = 0; k + 1 < n; k++) {
    snprintf(name, sizeof name, "order%zu_%zu", rank, k);
    Agedge_t *e = agedge(g, gn[members[k]], gn[members[k + 1]], name, 1);
    agsafeset(e, "style", "invis", "");
    agset(e, "weight", "1");
  }
}

/* Set while Graphviz lays out, for a fault handler's message. */
static volatile sig_atomic_t dot_busy;

int gdv_layout_dot_busy(void) {
  return dot_busy != 0;
}

/* Graphviz's dot recurses as deep as a chain is long (network simplex,
 * component search): a 200,000-node chain overflows the main thread's
 * 8 MiB stack inside libgvc. gvLayout runs on a thread whose stack is
 * reserved, not committed: pages are only touched as deep as it goes. */
#define LAYOUT_STACK ((size_t)256 << 20)
/* The thread's own stack for a fault handler (sigaltstack is per thread). */
#define LAYOUT_SIGNAL_STACK ((size_t)64 << 10)

typedef struct layout_call {
  GVC_t *gvc;
  Agraph_t *g;
  int rc;
} layout_call;

/* The thread: an alternate signal stack first, so that a handler the
 * program installed with SA_ONSTACK can still run after an overflow. */
static void *layout_thread(void *arg) {
  layout_call *c = arg;
  void *alt = malloc(LAYOUT_SIGNAL_STACK);
  if (alt) {
    stack_t ss = {.ss_sp = alt, .ss_size = LAYOUT_SIGNAL_STACK, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) { /* without it, a handler runs on the big stack */ }
  }
  c->rc = gvLayout(c->gvc, c->g, "dot");
  if (alt) {
    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    free(alt);
  }
  return NULL;
}

/* gvLayout on the large stack; on this thread's stack when no thread can
 * be made. Graphviz is not thread-safe: the caller waits for it. */
static int layout_big_stack(GVC_t *gvc, Agraph_t *g) {
  layout_call c = {gvc, g, -1};
  pthread_attr_t attr;
  pthread_t t;
  dot_busy = 1;
  int made = pthread_attr_init(&attr) == 0;
  int ok = made && pthread_attr_setstacksize(&attr, LAYOUT_STACK) == 0 &&
           pthread_create(&t, &attr, layout_thread, &c) == 0;
  if (made) pthread_attr_destroy(&attr);
  if (ok) pthread_join(t, NULL);
  else c.rc = gvLayout(gvc, g, "dot");
  dot_busy = 0;
  return c.rc;
}

/* One dot run over the scene. With `rank` (per scene node, a rank of an
 * earlier run), each rank's nodes are pinned in source order (by `key`,
 * see source_keys). On success the scene holds the layout and *ranks
 * (when not NULL) each node's rank. */
static gdv_status run_dot(GVC_t *gvc, gdv_scene *s, const gdv_style *st, const int *rank,
                          const size_t *key, int *ranks, gdv_error *err) {
  gdv_status status = GDV_OK;
  Agraph_t *g = agopen("scene", Agdirected, NULL);
  Agnode_t **gn = calloc(s->n_nodes ? s->n_nodes : 1, sizeof *gn);
  Agedge_t **ge = calloc(s->n_edges ? s->n_edges : 1, sizeof *ge);
  size_t *by_rank = rank ? calloc(s->n_nodes ? s->n_nodes : 1, sizeof *by_rank) : NULL;
  if (g == NULL || gn == NULL || ge == NULL || (rank && by_rank == NULL)) {
    status = gdv_error_oom(err);
    goto done;
  }
  set_defaults(g, s, st);
  add_scene(g, s, gn, ge);
  if (rank) {
    /* ranks are small integers from dot; gather each rank's nodes in
     * index order with one pass per rank present */
    int most = 0;
    for (size_t i = 0; i < s->n_nodes; i++)
      if (rank[i] > most) most = rank[i];
    for (int r = 0; r <= most; r++) {
      size_t n = 0;
      for (size_t i = 0; i < s->n_nodes; i++) {
        if (rank[i] != r) continue;
        /* insertion by (key, index): ranks are short here */
        size_t at = n++;
        while (at > 0 && source_before(key, i, by_rank[at - 1])) {
          by_rank[at] = by_rank[at - 1];
          at--;
        }
        by_rank[at] = i;
      }
      if (n > 1) pin_rank(g, gn, by_rank, n, (size_t)r);
    }
  }
  if (layout_big_stack(gvc, g) != 0) {
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0,
                           "graphviz: the dot layout failed (is Graphviz's dot "
                           "plugin installed? the columns layout needs none)");
    goto done;
  }
  status = read_layout(g, s, gn, ge, err);
  if (status == GDV_OK && ranks)
    for (size_t i = 0; i < s->n_nodes; i++) ranks[i] = ND_rank(gn[i]);
  gvFreeLayout(gvc, g);
done:
  if (g) agclose(g);
  free(gn);
  free(ge);
  free(by_rank);
  return status;
}

/* Scenes up to this many nodes get a second run in source order when the
 * first is out of it (a pairwise check and a second layout: cheap there,
 * and bigger graphs are drawn as built anyway). */
#define SOURCE_ORDER_MAX_NODES 300

/* Pairs of same-rank nodes drawn against source order (the later one
 * above the earlier, or left of it in TB), and the pairs compared. */
static void inversions(const gdv_scene *s, const int *ranks, const size_t *key,
                       size_t *against, size_t *pairs) {
  *against = *pairs = 0;
  for (size_t i = 0; i < s->n_nodes; i++)
    for (size_t j = i + 1; j < s->n_nodes; j++) {
      if (ranks[i] != ranks[j]) continue;
      double a = s->rank_lr ? s->nodes[i].y : s->nodes[i].x;
      double b = s->rank_lr ? s->nodes[j].y : s->nodes[j].x;
      if (a == b) continue;
      (*pairs)++;
      *against += (a > b) == source_before(key, i, j);
    }
}

/* Mirrors the layout across its ranks (top to bottom in LR, left to
 * right in TB): the same crossings, each rank read the other way. */
static void mirror(gdv_scene *s) {
  int lr = s->rank_lr;
  double extent = lr ? s->height : s->width;
  for (size_t i = 0; i < s->n_nodes; i++) {
    double *c = lr ? &s->nodes[i].y : &s->nodes[i].x;
    *c = extent - *c;
  }
  for (size_t i = 0; i < s->n_edges; i++) {
    gdv_scene_edge *e = &s->edges[i];
    size_t c = lr ? 1 : 0;  /* the coordinate across the ranks: y in LR */
    for (size_t k = 0; k < e->n_pts; k++) e->pts[2 * k + c] = extent - e->pts[2 * k + c];
    if (lr) {
      e->tip_y = extent - e->tip_y;
      e->label_y = extent - e->label_y;
    } else {
      e->tip_x = extent - e->tip_x;
      e->label_x = extent - e->label_x;
    }
  }
}

/* A second layout in source order is kept while it adds at most a fifth
 * to the crossings (0 to a layout without any): a few crossings buy a
 * figure read in the order the file was written. */
#define SOURCE_ORDER_SLACK 5

/* The layout, with every rank in source order (inputs top to bottom as
 * declared) unless that adds crossings beyond the slack; else dot's own
 * order, or its mirror image when that reads closer to the source: dot
 * orders ranks by crossings alone and mirrors freely between equal ones
 * (x2 above x1, h3 above h1). */
static gdv_status source_order(GVC_t *gvc, gdv_scene *s, const gdv_style *st,
                               gdv_error *err) {
  if (s->n_nodes > SOURCE_ORDER_MAX_NODES || s->n_nodes < 2)
    return run_dot(gvc, s, st, NULL, NULL, NULL, err);
  int *ranks = malloc(s->n_nodes * sizeof *ranks);
  size_t *key = malloc(s->n_nodes * sizeof *key);
  if (ranks == NULL || key == NULL) {
    free(ranks);
    free(key);
    return gdv_error_oom(err);
  }
  source_keys(s, key);
  gdv_status status = run_dot(gvc, s, st, NULL, NULL, ranks, err);
  size_t against = 0, pairs = 0;
  if (status == GDV_OK) inversions(s, ranks, key, &against, &pairs);
  if (status == GDV_OK && against > 0) {
    long crossings = gdv_scene_crossings(s);
    gdv_geometry first;
    int kept = 0;
    if (!gdv_geometry_save(s, &first)) status = gdv_error_oom(err);
    if (status == GDV_OK) status = run_dot(gvc, s, st, ranks, key, NULL, err);
    if (status == GDV_OK && gdv_scene_crossings(s) > crossings + crossings / SOURCE_ORDER_SLACK) {
      if (!gdv_geometry_restore(s, &first))
        status = gdv_error_oom(err);
    } else {
      kept = 1;
      gdv_geometry_free(&first);
    }
    /* dot's own order, mirrored when that reads closer to the source */
    if (status == GDV_OK && !kept && 2 * against > pairs) mirror(s);
  }
  free(ranks);
  free(key);
  return status;
}

/* Graphviz 2.42 routes an edge through a static table of 1,000 boxes
 * (make_regular_edge in dotsplines.c), two for each rank it crosses, with
 * no bound check: an edge across more than 500 ranks writes past the
 * table and dot dies of SIGSEGV (w of h_i = tanh(w*h_{i-1} + x_i) feeds
 * every step: at 150 steps, w -> the last step crosses 894 ranks). Its
 * ranks are at least the longest path between its ends, twice that when
 * edges carry labels (dot gives each label a rank of its own). A margin
 * below 500 for the boxes at its ends. */
#define DOT_MAX_SPAN 480

/* Whether some edge of the scene must cross more than DOT_MAX_SPAN ranks
 * in any dot layout. Longest paths from the sources first (Kahn's order,
 * linear): only an edge whose ends lie that far apart there can be that
 * long; for each tail of such an edge, the longest paths from it decide
 * (one more linear pass per such tail: none in most graphs). */
static int span_overflows(const gdv_scene *s) {
  size_t nn = s->n_nodes, ne = s->n_edges, factor = 1, head = 0, tail = 0;
  for (size_t e = 0; e < ne; e++) factor = s->edges[e].label_w > 0 ? 2 : factor;
  size_t *indeg = calloc(nn + 1, sizeof *indeg), *start, *out;
  size_t *order = malloc((nn + 1) * sizeof *order);
  size_t *depth = calloc(nn + 1, sizeof *depth), *pos = malloc((nn + 1) * sizeof *pos);
  long *dist = malloc((nn + 1) * sizeof *dist);
  int over = 0, ok = gdv_scene_out_edges(s, &start, &out) && indeg && order && depth && pos && dist;
  for (size_t e = 0; ok && e < ne; e++) indeg[s->edges[e].to]++;
  for (size_t v = 0; ok && v < nn; v++)
    if (indeg[v] == 0) order[tail++] = v;
  while (ok && head < tail) {
    size_t v = order[head];
    pos[v] = head++;
    for (size_t k = start[v]; k < start[v + 1]; k++) {
      size_t w = s->edges[out[k]].to;
      if (depth[w] < depth[v] + 1) depth[w] = depth[v] + 1;
      if (--indeg[w] == 0) order[tail++] = w;
    }
  }
  ok = ok && tail == nn;   /* a cycle: dot breaks it its own way; not judged */
  for (size_t u = 0; ok && !over && u < nn; u++) {
    int candidate = 0;
    for (size_t k = start[u]; k < start[u + 1]; k++) {
      size_t v = s->edges[out[k]].to;
      candidate |= depth[v] > depth[u] && (depth[v] - depth[u]) * factor > DOT_MAX_SPAN;
    }
    if (!candidate) continue;
    /* longest paths from u, in the order from u on */
    for (size_t i = 0; i < nn; i++) dist[i] = -1;
    dist[u] = 0;
    for (size_t i = pos[u]; i < nn; i++) {
      size_t x = order[i];
      for (size_t k = start[x]; dist[x] >= 0 && k < start[x + 1]; k++) {
        size_t y = s->edges[out[k]].to;
        if (dist[y] < dist[x] + 1) dist[y] = dist[x] + 1;
      }
    }
    for (size_t k = start[u]; k < start[u + 1]; k++)
      over |= dist[s->edges[out[k]].to] * (long)factor > DOT_MAX_SPAN;
  }
  free(indeg);
  free(start);
  free(out);
  free(order);
  free(depth);
  free(pos);
  free(dist);
  return over;
}

/* cgraph's error level and handler are process-wide: they are swapped for
 * ours on entry and must be restored on every way out. */
gdv_status gdv_layout_dot(gdv_scene *s, const gdv_style *st, gdv_error *err) {
  gdv_status status = gdv_scene_measure(s, st, err);
  if (status) return status;
  /* what dot cannot route without crashing, auto's engine draws */
  if (span_overflows(s))
    return s->n_nodes > GDV_LAYERS_MAX_NODES ? gdv_layout_columns(s, st, NULL, err)
                                             : gdv_layout_layers(s, st, err);
  agerrlevel_t old_level = agseterr(AGMAX);
  agusererrf old_errf = agseterrf(swallow_message);
  GVC_t *gvc = new_context();
  if (gvc == NULL) {
    agseterr(old_level);
    agseterrf(old_errf);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "graphviz: no context");
  }
  status = source_order(gvc, s, st, err);
  if (status == GDV_OK) {
    gdv_layout_edge_labels(s);
    gdv_layout_place_items(s, st);
    s->laid_out = 1;
  }
  gvFreeContext(gvc);
  agseterr(old_level);
  agseterrf(old_errf);
  return status;
}
