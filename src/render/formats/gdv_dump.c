/* gdv_dump.c: the layout dump (--dump-layout), JSON that tests read: the
 * figure's legibility measures (plan/gdv_legibility.c, the numbers the
 * planner judged the figure by) and what the drawing code drew, each box,
 * curve and text where it was drawn (draw/gdv_draw.c). */
#include <stdio.h>

#include "render/gdv_render_int.h"

/* See gdv_render.h. */
gdv_status gdv_render_dump_layout(const gdv_scene *s, const gdv_style *st, const gdv_graph *g,
                                  FILE *out, gdv_error *err) {
  gdv_legibility lm;
  gdv_status status = gdv_figure_legibility(s, st, &lm, err);
  if (status) return status;
  fprintf(out, "{\n  \"measures\": ");
  gdv_legibility_json(&lm, out);
  fprintf(out, ",\n  \"crossings\": %ld,\n", lm.crossings);
  return gdv_render_dump_drawing(s, st, g, out, err);
}
