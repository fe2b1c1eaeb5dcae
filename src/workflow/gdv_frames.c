/*
 * gdv_frames.c: backprop step by step, for slides. One scene is built and
 * laid out once; each frame only switches visibility flags and rewrites the
 * fan-out sums that are still filling, so every box stays where it was and
 * the eye follows the computation, not the layout.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workflow/gdv_workflow.h"

/* The one failure most helpers here can have. */
static gdv_status oom(gdv_error *err) {
  return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "out of memory");
}

/* The step list is plain data so tests and callers can count frames
 * without drawing. */
gdv_status gdv_frames_plan(const gdv_graph *g, gdv_frame_plan *out, gdv_error *err) {
  memset(out, 0, sizeof *out);
  size_t n = 0;
  for (size_t v = 0; v < g->n_nodes; v++) n += (g->op[v] != GDV_OP_LEAF) + g->reaches[v];
  out->steps = calloc(n ? n : 1, sizeof *out->steps);
  if (out->steps == NULL) return oom(err);
  for (size_t v = 0; v < g->n_nodes; v++)
    if (g->op[v] != GDV_OP_LEAF) out->steps[out->n_forward++] = (gdv_frame_step){(gdv_id)v, 0};
  for (size_t v = g->n_nodes; v-- > 0;)
    if (g->reaches[v])
      out->steps[out->n_forward + out->n_backward++] = (gdv_frame_step){(gdv_id)v, 1};
  out->n_steps = out->n_forward + out->n_backward;
  return GDV_OK;
}

/* Leaves the plan zeroed, so a second free is harmless. */
void gdv_frames_plan_free(gdv_frame_plan *p) {
  free(p->steps);
  memset(p, 0, sizeof *p);
}

/* The state a sequence needs besides the scene: the complete sum lines to
 * restore, which out-edge terms have arrived, and the edge weights (flow
 * width and colour would give gradients away in the forward pass). */
typedef struct frames {
  const gdv_graph *g;
  gdv_scene *s;
  char **full_sum;       /* per node: the complete sum line, or NULL */
  size_t *sum_line;      /* per node: index of its GDV_TEXT_SUM line */
  uint8_t *term_known;   /* per edge */
  double *weight;        /* per edge: the scene's flow weight */
  gdv_consumers out;     /* out-edges, for chain-rule titles */
  int precision;
} frames;

/* The scene edge drawing graph edge e: parallel edges with the same
 * numbers may share one (gdv_scene.edge_scene). */
static size_t drawn(const frames *f, size_t e) {
  return f->s->edge_scene ? f->s->edge_scene[e] : e;
}

/* Frees a sequence (also a half-initialised one). */
static void frames_free(frames *f) {
  if (f->full_sum)
    for (size_t v = 0; v < f->g->n_nodes; v++) free(f->full_sum[v]);
  free(f->full_sum);
  free(f->sum_line);
  free(f->term_known);
  free(f->weight);
  gdv_consumers_free(&f->out);
  gdv_scene_free(f->s);
}

/* Builds the complete scene once and remembers what frames will hide. */
static gdv_status frames_init(frames *f, const gdv_graph *g, const gdv_frames_options *opt,
                              gdv_error *err) {
  memset(f, 0, sizeof *f);
  f->g = g;
  f->precision = opt->scene.precision > 0 ? opt->scene.precision : 4;
  /* Frames step through every node: every group is drawn in full, whatever
   * --expand says (scene node i must be graph node i here). */
  gdv_scene_options full = opt->scene;
  full.expand = NULL;
  full.text_wrap = 0;  /* one sum line, rewritten as terms arrive */
  gdv_status st = gdv_scene_from_graph(g, &full, &f->s, err);
  if (st) return st;
  f->s->legend_place = opt->legend;
  f->s->step_frame = 1;
  if ((st = gdv_consumers_build(g, &f->out, err))) return st;
  size_t nn = g->n_nodes ? g->n_nodes : 1, ne = g->n_edges ? g->n_edges : 1;
  f->full_sum = calloc(nn, sizeof *f->full_sum);
  f->sum_line = calloc(nn, sizeof *f->sum_line);
  f->term_known = calloc(ne, 1);
  f->weight = calloc(ne, sizeof *f->weight);
  if (!f->full_sum || !f->sum_line || !f->term_known || !f->weight) return oom(err);
  for (size_t v = 0; v < g->n_nodes && v < f->s->n_nodes; v++) {
    gdv_scene_node *n = &f->s->nodes[v];
    for (size_t i = 0; i < n->n_lines; i++) {
      if (n->lines[i].kind != GDV_TEXT_SUM) continue;
      f->sum_line[v] = i;
      if ((f->full_sum[v] = strdup(n->lines[i].text)) == NULL) return oom(err);
    }
  }
  /* Fix the flow range to the complete one, so colours mean the same on
   * every frame. */
  for (size_t e = 0; e < g->n_edges && drawn(f, e) < f->s->n_edges; e++)
    f->weight[e] = f->s->edges[drawn(f, e)].weight;
  if (f->s->flow_hi <= 0)
    gdv_scene_flow_range(f->s, &f->s->flow_lo, &f->s->flow_hi);
  return GDV_OK;
}

/* Nothing computed yet: leaves show their values, nothing else is known. */
static void frames_reset(frames *f) {
  gdv_scene_set_known(f->s, 0, 0);
  for (size_t v = 0; v < f->g->n_nodes && v < f->s->n_nodes; v++)
    if (f->g->op[v] == GDV_OP_LEAF) f->s->nodes[v].flags |= GDV_NODE_VALUE_KNOWN;
  for (size_t e = 0; e < f->g->n_edges && drawn(f, e) < f->s->n_edges; e++)
    f->s->edges[drawn(f, e)].weight = -1;
  memset(f->term_known, 0, f->g->n_edges ? f->g->n_edges : 1);
}

/* Only the current step is highlighted. */
static void clear_highlight(frames *f) {
  for (size_t v = 0; v < f->s->n_nodes; v++) f->s->nodes[v].flags &= ~(uint32_t)GDV_NODE_HIGHLIGHT;
  for (size_t e = 0; e < f->s->n_edges; e++) f->s->edges[e].flags &= ~(uint32_t)GDV_EDGE_HIGHLIGHT;
}

#define PARTIAL "\xE2\x88\x82"   /* ∂ */

/* The name a title uses for node v is the one the figure draws
 * (gdv_sbuf_node_name: a constant drawn as "1" is 1, whatever its id);
 * with term, a name of several terms comes in parentheses, so that
 * ∂C/∂(x1·w1) and ∂(1) read as one symbol. */
static void node_name(const frames *f, gdv_id v, int term, char *buf, size_t size) {
  gdv_sbuf b = {0};
  gdv_sbuf_node_name(&b, f->g, v, term);
  snprintf(buf, size, "%s", b.s && !b.failed ? b.s : "?");
  free(b.s);
}

/* A number in a product or a sum after its first term: a negative one in
 * parentheses, as the figure's sums write it. */
static void operand(const frames *f, double x, int first, char *buf, size_t size) {
  char num[GDV_NUMBER_MAX];
  gdv_figure_number(x, f->precision, num, sizeof num);
  snprintf(buf, size, !first && x < 0 ? "(%s)" : "%s", num);
}

/* The terms of u's fan-out sum that have arrived (every term with
 * all = 1), as u's sum line writes them: a merged group of c parallel
 * edges is "c × t"; at most six terms, then how many more. Returns how
 * many terms are missing; *total gets the arrived terms' sum, *arrived
 * the edges they stand for (a group of 12 is 12: "12 × t" is a sum). */
static size_t sum_terms(const frames *f, gdv_id u, int all, gdv_sbuf *b, double *total,
                        size_t *arrived) {
  const gdv_graph *g = f->g;
  const size_t *group = f->s->edge_group;
  size_t shown = 0, missing = 0, more = 0;
  *total = 0;
  *arrived = 0;
  for (size_t j = f->out.start[u]; j < f->out.start[u + 1]; j++) {
    size_t e = f->out.edge[j], c = group ? group[e] : 1;
    if (!g->reaches[g->edge_to[e]] || c == 0) continue;
    if (!all && !f->term_known[e]) {
      missing++;
      continue;
    }
    *total += (double)c * g->edge_grad[e];
    *arrived += c;
    if (shown == 6) {
      more += c;
      continue;
    }
    char t[GDV_NUMBER_MAX + 4];
    operand(f, g->edge_grad[e], shown == 0 && c == 1, t, sizeof t);
    if (c > 1) gdv_sbuf_printf(b, "%s%zu \xC3\x97 %s", shown ? " + " : "", c, t);
    else gdv_sbuf_printf(b, "%s%s", shown ? " + " : "", t);
    shown++;
  }
  if (more) gdv_sbuf_printf(b, " + \xE2\x80\xA6 (%zu more)", more);
  return missing;
}

/* Node v's live out-edges (into nodes that reach the output); *only gets
 * the one when there is exactly one. */
static size_t live_out(const frames *f, gdv_id v, size_t *only) {
  size_t n = 0;
  for (size_t j = f->out.start[v]; j < f->out.start[v + 1]; j++)
    if (f->g->reaches[f->g->edge_to[f->out.edge[j]]]) {
      *only = f->out.edge[j];
      n++;
    }
  return n;
}

/* The chain rule at v's backward step: the output is 1; one consumer w
 * gives ∂C/∂v = ∂C/∂w · ∂w/∂v = G × L = G·L; several give the fan-out
 * sum of their edges' gradients. */
static void chain_rule(const frames *f, gdv_id v, gdv_sbuf *b) {
  const gdv_graph *g = f->g;
  char nv[200], nw[200], num[GDV_NUMBER_MAX], t1[GDV_NUMBER_MAX + 4], t2[GDV_NUMBER_MAX + 4];
  size_t e = 0, live = live_out(f, v, &e);
  node_name(f, v, 1, nv, sizeof nv);
  gdv_figure_number(g->grad[v], f->precision, num, sizeof num);
  gdv_sbuf_printf(b, PARTIAL "C/" PARTIAL "%s = ", nv);
  if ((gdv_id)v == g->output || live == 0) {
    gdv_sbuf_printf(b, "%s", num);
  } else if (live == 1) {
    gdv_id w = g->edge_to[e];
    node_name(f, w, 1, nw, sizeof nw);
    operand(f, g->grad[w], 1, t1, sizeof t1);
    operand(f, g->edge_local[e], 0, t2, sizeof t2);
    gdv_sbuf_printf(b, PARTIAL "C/" PARTIAL "%s \xC2\xB7 " PARTIAL "%s/" PARTIAL "%s = "
                    "%s \xC3\x97 %s = %s", nw, nw, nv, t1, t2, num);
  } else {
    double total;
    size_t arrived;
    sum_terms(f, v, 1, b, &total, &arrived);
    gdv_sbuf_printf(b, " = %s", num);
  }
}

/* At w's backward step each operand u that fans out gains a term: a
 * title line with u's sum so far (each u once, x*x has two edges). */
static void sums_so_far(const frames *f, gdv_id w, gdv_sbuf *b) {
  const gdv_graph *g = f->g;
  for (size_t e = g->arg_start[w]; e < g->arg_start[w + 1]; e++) {
    gdv_id u = g->edge_from[e];
    size_t only, seen = 0;
    for (size_t d = g->arg_start[w]; d < e; d++) seen |= g->edge_from[d] == u;
    if (seen || live_out(f, u, &only) < 2) continue;
    char nu[200], num[GDV_NUMBER_MAX];
    double total;
    node_name(f, u, 1, nu, sizeof nu);
    gdv_sbuf_printf(b, "\n" PARTIAL "C/" PARTIAL "%s = ", nu);
    size_t arrived, missing = sum_terms(f, u, 0, b, &total, &arrived);
    gdv_figure_number(total, f->precision, num, sizeof num);
    if (missing) gdv_sbuf_printf(b, " (so far)");
    /* one term is its own sum */
    if (arrived > 1) gdv_sbuf_printf(b, " = %s", num);
    if (!missing) gdv_sbuf_printf(b, " (complete)");
  }
}

/* The frame's title: the step, then what it computes, by the names the
 * figure draws. */
static gdv_status step_title(frames *f, const gdv_frame_plan *plan, size_t k, gdv_error *err) {
  gdv_frame_step step = plan->steps[k];
  gdv_sbuf b = {0};
  gdv_sbuf_printf(&b, "step %zu of %zu \xE2\x80\x94 %s: ", k + 1, plan->n_steps,
                  step.backward ? "backward" : "forward");
  if (step.backward) {
    chain_rule(f, step.node, &b);
    sums_so_far(f, step.node, &b);
  } else {
    char name[200], num[GDV_NUMBER_MAX];
    node_name(f, step.node, 0, name, sizeof name);
    gdv_sbuf_printf(&b, "%s = %s", name,
                    gdv_figure_number(f->g->value[step.node], f->precision, num, sizeof num));
  }
  gdv_status st = b.failed ? oom(err) : gdv_scene_set_text(&f->s->title, b.s, err);
  free(b.s);
  return st;
}

/* Applies step k (the steps before it are applied already). */
static gdv_status apply_step(frames *f, const gdv_frame_plan *plan, size_t k,
                             gdv_error *err) {
  const gdv_graph *g = f->g;
  gdv_frame_step step = plan->steps[k];
  gdv_id v = step.node;
  gdv_status st = GDV_OK;
  clear_highlight(f);
  f->s->nodes[v].flags |= GDV_NODE_HIGHLIGHT;
  for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1]; e++)
    f->s->edges[drawn(f, e)].flags |= GDV_EDGE_HIGHLIGHT;
  if (!step.backward) {
    f->s->nodes[v].flags |= GDV_NODE_VALUE_KNOWN;
  } else {
    f->s->nodes[v].flags |= GDV_NODE_GRAD_KNOWN;
    if (f->full_sum[v] && (st = gdv_scene_set_text(&f->s->nodes[v].lines[f->sum_line[v]].text,
                                                   f->full_sum[v], err)))
      return st;
    for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1]; e++) {
      f->s->edges[drawn(f, e)].flags |= GDV_EDGE_LOCAL_KNOWN | GDV_EDGE_GRAD_KNOWN;
      f->s->edges[drawn(f, e)].weight = f->weight[e];
      f->term_known[e] = 1;
      gdv_id u = g->edge_from[e];
      if (f->full_sum[u]) {
        f->s->nodes[u].flags |= GDV_NODE_GRAD_KNOWN;
        if ((st = gdv_scene_sum_arrived(f->s, g, u, f->term_known, err))) return st;
      }
    }
  }
  return step_title(f, plan, k, err);
}

/* Every frame gets the size of the largest (titles and legends differ
 * from step to step): a dry run over the steps, then back to the start.
 * Otherwise a slide show scales each frame differently and the boxes the
 * eye follows jump. */
static gdv_status frames_floor(frames *f, const gdv_frame_plan *plan, const gdv_style *style,
                               gdv_error *err) {
  gdv_figure_floor floor = {0, 0, 0, 0};
  gdv_status st = GDV_OK;
  for (size_t k = 0; k < plan->n_steps && st == GDV_OK; k++) {
    st = apply_step(f, plan, k, err);
    if (st == GDV_OK) st = gdv_render_figure_floor(f->s, style, &floor, err);
  }
  f->s->floor = floor;
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

/* Builds the sequence's one scene, lays it out and fixes its size, then
 * applies step after step and hands each frame to fn: the slide files
 * below and the HTML page's frames come from this one loop, so they
 * cannot disagree. */
gdv_status gdv_frames_each(const gdv_graph *g, const gdv_frames_options *opt,
                           gdv_frame_fn fn, void *ctx, size_t *n_steps, gdv_error *err) {
  gdv_frame_plan plan;
  frames f;
  gdv_status st;
  *n_steps = 0;
  if ((st = gdv_frames_plan(g, &plan, err))) return st;
  if (plan.n_steps > GDV_FRAMES_MAX) {
    st = gdv_error_set(err, GDV_ERR_INPUT, g->source, 0,
                       "%zu steps (%zu forward, %zu backward) is more than %d "
                       "frames; frames are for small course graphs",
                       plan.n_steps, plan.n_forward, plan.n_backward, GDV_FRAMES_MAX);
    gdv_frames_plan_free(&plan);
    return st;
  }
  st = frames_init(&f, g, opt, err);
  if (st == GDV_OK) st = gdv_layout_page(f.s, opt->style, GDV_ENGINE_AUTO, err);
  if (st == GDV_OK) {
    frames_reset(&f);
    st = frames_floor(&f, &plan, opt->style, err);
  }
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
  if ((ff.path = malloc(ff.dlen)) == NULL) return oom(err);
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
