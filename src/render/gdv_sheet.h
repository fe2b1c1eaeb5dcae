/*
 * gdv_sheet.h: a worksheet's figure (scene/gdv_sheet.c): the annotated
 * figure of a graph with some of its numbers left as write-in boxes, and
 * its answer key, the same figure with the numbers in the boxes.
 *
 * One layout serves both: the figure is planned (gdv_plan_figure) with a
 * placeholder number in every blank, as wide as the widest answer, so
 * every box has room for any of them and no box's size tells its answer;
 * gdv_sheet_scene then turns a copy of that laid-out scene into the sheet
 * or the key. A line holding a blank is no longer drawn as a line but as
 * scene items at its very place: its words (GDV_ITEM_TEXT) and a box
 * for each blank (GDV_ITEM_BLANK), empty on the sheet, holding the
 * answer on the key. Nothing moves: sheet and key have every node, edge,
 * word and box at the same point.
 */
#ifndef GDV_SHEET_H
#define GDV_SHEET_H

#include "core/gdv_exercise.h"
#include "render/gdv_render.h"

/* Which numbers are blanks: per quantity, one flag per graph node (value,
 * grad) or graph edge (local, edge-grad); NULL: none of that quantity. */
typedef struct gdv_sheet_marks {
  const uint8_t *blank[GDV_Q_COUNT];
} gdv_sheet_marks;

/* Whether quantity q of item is a blank. */
int gdv_sheet_is_blank(const gdv_sheet_marks *m, gdv_quantity q, size_t item);

/* The placeholder a worksheet's figure is planned with: a negative
 * number that, written at `precision` digits, is at least as wide as
 * every blank's answer (in the node font), and reads unlike every number
 * the figure shows outside the blanks (so gdv_sheet_scene finds the
 * blanks again, and only them). */
double gdv_sheet_placeholder(const gdv_graph *g, const gdv_sheet_marks *m, int precision,
                             const gdv_style *st);

/* One box of a worksheet: the quantity and item it asks for and the scene
 * item that draws it. A fan-out sum's term and its edge's label ask for
 * the same edge-grad: two boxes, one quantity. */
typedef struct gdv_sheet_box {
  uint8_t quantity;        /* gdv_quantity */
  gdv_id item;             /* graph node or edge */
  size_t scene_item;       /* in the scene's items */
} gdv_sheet_box;

/* Makes the worksheet's figure of a laid-out scene of g planned with the
 * placeholder in the blanks marked: each line holding a blank becomes
 * items (see above); with `answers` the boxes hold g's numbers (the key),
 * else each box of an edge's number holds that edge's name in grey
 * (FROM->TO, where it fits: what the answers file calls it). The boxes,
 * in item order, go to *boxes (malloc'd). A scene whose blanks cannot be
 * found is GDV_ERR_SYSTEM (a figure not planned with the placeholder). */
gdv_status gdv_sheet_scene(gdv_scene *s, const gdv_graph *g, const gdv_sheet_marks *m,
                           double placeholder, const gdv_style *st, int answers,
                           gdv_sheet_box **boxes, size_t *n_boxes, gdv_error *err);

/* The sheet as a page a student fills in offline (key 0), or the key as a
 * page showing its figure (key 1): the figure's SVG (no graph: its words
 * say only what is drawn) with a field over each box, and what checking
 * needs: per quantity asked, salted hashes (gdv_grade_hash) of the cells
 * near its answer, of the cells near each part of a fan-out sum, and the
 * numbers the sheet shows anyway (for carried errors), never an answer.
 * The script (formats/html/worksheet.js) judges as `grade` does, as the
 * student types. id_prefix: the SVG's ids; salt: per sheet. */
gdv_status gdv_sheet_page_write(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                                const gdv_sheet_box *boxes,
                                size_t n_boxes, const char *id_prefix, const char *title,
                                const char *salt, const gdv_grade_options *tol, int key, FILE *f,
                                gdv_error *err);

#endif
