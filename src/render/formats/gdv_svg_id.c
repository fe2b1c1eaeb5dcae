/* gdv_svg_id.c: the default id prefix of an SVG figure, unique to what it
 * draws. Two figures inlined in one page (a notebook's outputs, a slide
 * deck) must share no id, or the second's style sheet restyles the first;
 * a prefix from the file name alone clashes when two figures are written
 * under one name (a notebook's loss.svg, again and again). The base name
 * stays first, for people reading the ids; a hash of the figure drawn
 * with it follows, so the same figure always gets the same prefix. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/gdv_render_int.h"

/* See gdv_render.h. */
gdv_status gdv_svg_content_prefix(const gdv_scene *s, const gdv_style *st,
                                  const gdv_svg_options *opt, char *buf, size_t size,
                                  gdv_error *err) {
  char base[96];
  gdv_svg_prefix(opt ? opt->id_prefix : NULL, base, sizeof base);
  gdv_svg_options o = {base, opt ? opt->graph : NULL, opt ? opt->name : NULL, 1};
  gdv_sbuf b = {0};
  gdv_status st2 = gdv_svg_write(s, st, &o, &b, err);
  if (st2 == GDV_OK) {
    /* every byte drawn; 32 bits of the hash shown */
    uint64_t h = gdv_hash(GDV_HASH_START, b.s, b.n);
    snprintf(buf, size, "%s%08x-", base, (unsigned)(h ^ (h >> 32)));
  }
  free(b.s);
  return st2;
}
