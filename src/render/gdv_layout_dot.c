/* gdv_layout_dot.c: positions from Graphviz `dot` through libgvc. Graphviz
 * only lays out: every node gets our measured size as a fixed size, every
 * edge label an empty fixed-size HTML cell (which, unlike xlabel, gets its
 * own place in the ranks), and we read centres and splines back. */
#include <dlfcn.h>
#include <math.h>
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
      return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
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

/* cgraph's error level and handler are process-wide: they are swapped for
 * ours on entry and must be restored on every way out. */
gdv_status gdv_layout_dot(gdv_scene *s, const gdv_style *st, gdv_error *err) {
  gdv_status status = gdv_scene_measure(s, st, err);
  if (status) return status;
  agerrlevel_t old_level = agseterr(AGMAX);
  agusererrf old_errf = agseterrf(swallow_message);
  GVC_t *gvc = new_context();
  if (gvc == NULL) {
    agseterr(old_level);
    agseterrf(old_errf);
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "graphviz: no context");
  }
  Agraph_t *g = agopen("scene", Agdirected, NULL);
  Agnode_t **gn = calloc(s->n_nodes ? s->n_nodes : 1, sizeof *gn);
  Agedge_t **ge = calloc(s->n_edges ? s->n_edges : 1, sizeof *ge);
  if (g == NULL || gn == NULL || ge == NULL) {
    status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
  } else {
    set_defaults(g, s, st);
    add_scene(g, s, gn, ge);
    if (gvLayout(gvc, g, "dot") != 0) {
      status = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0,
                             "graphviz: the dot layout failed (is Graphviz's dot "
                             "plugin installed? the columns layout needs none)");
    } else {
      status = read_layout(g, s, gn, ge, err);
      gvFreeLayout(gvc, g);
    }
  }
  if (status == GDV_OK) {
    gdv_layout_edge_labels(s);
    gdv_layout_place_items(s, st);
    s->laid_out = 1;
  }
  if (g) agclose(g);
  gvFreeContext(gvc);
  agseterr(old_level);
  agseterrf(old_errf);
  free(gn);
  free(ge);
  return status;
}
