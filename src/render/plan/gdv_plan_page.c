/* gdv_plan_page.c: the page's plan for scenes the planner does not search
 * (graphs past its node limit, --steps of a graph given in full, the MNIST
 * figure): each direction the input leaves open and each fold, measured as
 * the real figure (title and legend included) on the page; the one drawn
 * largest wins. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/gdv_render_int.h"

/* Both directions are laid out only up to this many nodes: the layout runs
 * twice, and for big graphs twice is too slow (make bench: layout time). */
#define FOLD_BOTH_DIRECTIONS_MAX 400

/* One layout in the scene's direction, items left unplaced (they go below
 * the graph after folding). */
static gdv_status lay_out(gdv_scene *s, const gdv_style *st, gdv_engine engine,
                          const unsigned char *unplaced, gdv_error *err) {
  gdv_status status = gdv_layout_engine(s, st, engine, err);
  if (status) return status;
  for (size_t i = 0; i < s->n_items; i++)
    if (unplaced[i]) s->items[i].x = s->items[i].y = NAN;
  return GDV_OK;
}

/* Whether text drawn at scale on the page is large enough that nothing
 * should move to make it larger: its smallest font at least 1/45 of the
 * page's height (24 px per em on a 1920x1080 slide, read from the back of
 * a room). */
static int comfortable(const gdv_scene *s, const gdv_style *st, double scale) {
  return gdv_page_text_share(s, st, scale) >= 1.0 / 45;
}

/* The best fold of the scene as laid out now: *bands and its *scale. */
static gdv_status best_fold(gdv_scene *s, const gdv_style *st, const unsigned char *unplaced,
                            size_t *bands, double *scale, gdv_error *err) {
  *bands = 1;
  *scale = 0;
  for (size_t n = 1; n <= GDV_FOLD_MAX_BANDS; n++) {
    gdv_geometry g;
    if (!gdv_geometry_save(s, &g)) return OOM(err);
    int done = 1;
    gdv_status status = n > 1 ? gdv_layout_fold_strip(s, st, n, &done, err) : GDV_OK;
    double k = 0;
    if (status == GDV_OK && done) {
      gdv_layout_place_unplaced(s, st, unplaced);
      status = gdv_render_page_scale(s, st, &k, err);
    }
    if (!gdv_geometry_restore(s, &g) && status == GDV_OK) status = OOM(err);
    if (status) return status;
    if (!done) break;
    /* another row must earn its place: 3% larger text */
    if (k > *scale * 1.03) {
      *scale = k;
      *bands = n;
    }
    /* text already large on the page needs no fold: a small graph keeps
     * its one row, read as drawn */
    if (n == 1 && comfortable(s, st, k)) break;
  }
  return GDV_OK;
}

/* Without a page: the layout as always. With one: each direction the
 * input leaves open, each fold, measured on the page; the largest wins. */
gdv_status gdv_plan_page(gdv_scene *s, const gdv_style *st, gdv_engine engine, gdv_error *err) {
  if (!(s->page.width > 0)) return gdv_layout_engine(s, st, engine, err);
  unsigned char *unplaced = calloc(s->n_items + 1, 1);
  if (unplaced == NULL) return OOM(err);
  for (size_t i = 0; i < s->n_items; i++)
    unplaced[i] = isnan(s->items[i].x) || isnan(s->items[i].y);
  int both = s->rank_auto && s->n_nodes <= FOLD_BOTH_DIRECTIONS_MAX;
  int first = s->rank_lr, best_lr = first;
  size_t best_bands = 1;
  double best_scale = -1;
  gdv_status status = GDV_OK;
  gdv_geometry first_g;
  int kept = 0;
  for (int d = 0; d < (both ? 2 : 1) && status == GDV_OK; d++) {
    s->rank_lr = d == 0 ? first : !first;
    size_t bands;
    double scale;
    status = lay_out(s, st, engine, unplaced, err);
    if (status == GDV_OK) status = best_fold(s, st, unplaced, &bands, &scale, err);
    /* the contract's default is left to right: top to bottom must be
     * clearly better (15% larger text) to replace it */
    if (status == GDV_OK && scale > best_scale * (d ? 1.15 : 1)) {
      best_scale = scale;
      best_bands = bands;
      best_lr = s->rank_lr;
    }
    if (status == GDV_OK && bands == 1 && comfortable(s, st, scale)) break;
    /* keep the first direction's layout: if it wins, dot need not run a
     * third time (node and label sizes are the same in both directions) */
    if (status == GDV_OK && d == 0 && both && !(kept = gdv_geometry_save(s, &first_g)))
      status = OOM(err);
  }
  if (status == GDV_OK && best_lr != s->rank_lr) {
    s->rank_lr = best_lr;
    if (!gdv_geometry_restore(s, &first_g)) status = OOM(err);
    kept = 0;
  }
  if (kept) gdv_geometry_free(&first_g);
  int done = 0;
  if (status == GDV_OK) status = gdv_layout_fold_strip(s, st, best_bands, &done, err);
  s->bands = done ? best_bands : 1;
  if (status == GDV_OK) gdv_layout_place_unplaced(s, st, unplaced);
  free(unplaced);
  return status;
}
