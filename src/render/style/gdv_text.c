/* gdv_text.c: text through Pango (shaping, font fallback for any script
 * with a font installed), measured and drawn by the same code. Metrics are
 * unhinted and glyph positions unrounded, so that PNG, SVG and PDF agree
 * and sizes do not depend on the output device. One Pango context
 * serves the whole process (made on first use): making one per text
 * would cost more than the shaping. */
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "render/gdv_render_int.h"

/* Fontconfig start-up without its template descriptions. FcInit (which
 * the first font lookup calls) also parses every file of conf.avail only
 * to list their descriptions (fc-conflist): two thirds of its time, about
 * 3 ms of a 20 ms figure. Loading the same configuration file
 * (FONTCONFIG_FILE or fonts.conf, with its conf.d) into our own config and
 * making it current gives Pango the same fonts and rules. On any failure
 * fontconfig is left to FcInit. Once per process. */
static void fast_fontconfig(void) {
  static int done;
  if (done) return;
  done = 1;
  FcConfig *config = FcConfigCreate();
  if (config == NULL) return;
  if (!FcConfigParseAndLoad(config, NULL, FcTrue) || !FcConfigBuildFonts(config) ||
      !FcConfigSetCurrent(config)) {
    FcConfigDestroy(config);
    return;
  }
  FcConfigDestroy(config);  /* fontconfig holds its own reference */
}

/* Every text is laid out at this size and scaled to the size asked for:
 * Pango starts a font search (a fontconfig sort over every installed font,
 * about a millisecond) for each new size, and a figure uses five. Unhinted
 * advances scale exactly, and at this size Pango's units (1/1024) lose
 * nothing. */
#define TEXT_REF_SIZE 64.0

/* A family and weight at the reference size, with the ascent and descent of
 * the font the family itself resolves to (not a fallback's), so that a
 * line's baseline does not move when a taller CJK font draws part of it.
 * Kept for the process in a list: a figure uses two or three. */
typedef struct text_face {
  struct text_face *next;
  char family[64];
  int bold;
  double ascent, descent;   /* at TEXT_REF_SIZE */
  PangoFontDescription *desc;
} text_face;

/* What gdv_text_font chose, kept on the cairo_t it was chosen for (as
 * Cairo keeps its own font), so that a measuring context and a drawing
 * context never see each other's choice. */
typedef struct text_font {
  const text_face *face;
  double scale;             /* size asked for / TEXT_REF_SIZE */
} text_font;

/* The last line shaped, kept because a line is measured and then drawn
 * right after: its runs (PangoGlyphItem) in visual order, and its width in
 * Pango units at the reference size. */
typedef struct text_line {
  const text_face *face;
  char *text;
  GSList *runs;
  double width;
} text_line;

/* The process's Pango state; NULL until the first text. */
static PangoContext *text_context;
static PangoAttrList *text_attrs;
static text_face *text_faces;
static text_line text_last;
static cairo_user_data_key_t text_font_key;

/* Hinting off, one antialias mode, unrounded positions: every surface
 * measures and draws text alike. */
static int text_engine(void) {
  if (text_attrs) return 1;
  fast_fontconfig();
  PangoFontMap *map = pango_cairo_font_map_new();
  if (map == NULL) return 0;
  text_context = pango_font_map_create_context(map);
  g_object_unref(map);  /* the context holds it */
  if (text_context == NULL) return 0;
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(text_context, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(text_context, FALSE);
  /* one language whatever the locale: the same figure everywhere (it picks
   * fonts), and one font search per face instead of one per language */
  pango_context_set_language(text_context, pango_language_from_string("en"));
  /* no kerning: Cairo's own text (before Pango) had none, and with it the
   * examples' boxes, so their layouts, would move by up to a point */
  text_attrs = pango_attr_list_new();
  pango_attr_list_insert(text_attrs, pango_attr_font_features_new("kern 0"));
  return 1;
}

/* Forgets the last line shaped. */
static void line_clear(text_line *line) {
  g_slist_free_full(line->runs, (GDestroyNotify)pango_glyph_item_free);
  free(line->text);
  memset(line, 0, sizeof *line);
}

/* Shapes one line in a face, unless it is the last one shaped: runs of
 * one font and script (fallback fonts fill in what the face lacks), put
 * in visual order for right-to-left scripts. No PangoLayout: it would also
 * find line-break opportunities, for lines that are never broken, at
 * twice the cost of the shaping. 0 when out of memory. */
static int line_shape(text_line *line, const text_face *face, const char *text) {
  if (line->text && line->face == face && strcmp(line->text, text) == 0) return 1;
  line_clear(line);
  size_t len = strlen(text);
  if (len > INT_MAX / 2 || (line->text = strdup(text)) == NULL) return 0;
  line->face = face;
  pango_context_set_font_description(text_context, face->desc);
  GList *items = pango_itemize(text_context, line->text, 0, (int)len, text_attrs, NULL);
  GList *visual = pango_reorder_items(items);
  g_list_free(items);
  for (GList *l = visual; l; l = l->next) {
    PangoGlyphItem *run = g_slice_new(PangoGlyphItem);
    run->item = l->data;
    run->glyphs = pango_glyph_string_new();
    pango_shape_with_flags(line->text + run->item->offset, run->item->length, line->text,
                           (int)len, &run->item->analysis, run->glyphs, PANGO_SHAPE_NONE);
    line->width += pango_glyph_string_get_width(run->glyphs);
    line->runs = g_slist_prepend(line->runs, run);
  }
  g_list_free(visual);
  line->runs = g_slist_reverse(line->runs);
  return 1;
}

/* Whether text can be measured and drawn: Pango started (once). */
int gdv_text_start(void) {
  return text_engine();
}

/* The face for family and weight, made on first use; NULL when out of
 * memory. */
static const text_face *face_for(const char *family, int bold) {
  for (text_face *f = text_faces; f; f = f->next)
    if (f->bold == bold && strcmp(f->family, family) == 0) return f;
  text_face *f = calloc(1, sizeof *f);
  if (f == NULL) return NULL;
  snprintf(f->family, sizeof f->family, "%s", family);
  f->bold = bold;
  f->desc = pango_font_description_new();
  pango_font_description_set_family(f->desc, f->family);
  pango_font_description_set_weight(f->desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(f->desc, TEXT_REF_SIZE * PANGO_SCALE);
  /* one Latin letter: its logical box is the family's font's ascent and
   * descent (pango_font_get_metrics would also shape a whole sample
   * paragraph for an average width nobody here needs) */
  f->ascent = TEXT_REF_SIZE * 0.8;
  f->descent = TEXT_REF_SIZE * 0.2;
  if (line_shape(&text_last, f, "x") && text_last.runs) {
    PangoGlyphItem *run = text_last.runs->data;
    PangoRectangle logical;
    pango_glyph_string_extents(run->glyphs, run->item->analysis.font, NULL, &logical);
    f->ascent = (double)-logical.y / PANGO_SCALE;
    f->descent = (double)(logical.y + logical.height) / PANGO_SCALE;
  }
  f->next = text_faces;
  text_faces = f;
  return f;
}

/* The selection on cr, made empty when cr has none yet; NULL only when out
 * of memory. */
static text_font *font_of(cairo_t *cr) {
  text_font *tf = cairo_get_user_data(cr, &text_font_key);
  if (tf) return tf;
  tf = calloc(1, sizeof *tf);
  if (tf == NULL) return NULL;
  if (cairo_set_user_data(cr, &text_font_key, tf, free) != CAIRO_STATUS_SUCCESS) {
    free(tf);
    return NULL;
  }
  return tf;
}

/* Op symbols are 15% larger than the other node text so they stand out;
 * gdv_text_font takes its size from here, so measuring and drawing agree. */
double gdv_text_size(const gdv_style *st, gdv_text_context ctx, int kind) {
  switch (ctx) {
  case GDV_CTX_TITLE: return st->title_size;
  case GDV_CTX_EDGE: return st->edge_font_size;
  case GDV_CTX_LEGEND: return st->edge_font_size;
  case GDV_CTX_NODE:
    return kind == GDV_TEXT_OP ? st->font_size * 1.15 : st->font_size;
  default: return st->font_size;
  }
}

/* Rounded up to whole points, so box heights (and thus layouts) are the same
 * in every output format. */
double gdv_text_line_height(const gdv_style *st, gdv_text_context ctx) {
  double base = ctx == GDV_CTX_EDGE || ctx == GDV_CTX_LEGEND ? st->edge_font_size
              : ctx == GDV_CTX_TITLE ? st->title_size : st->font_size;
  return ceil(base * 1.3);
}

/* One rule for bold, so a writer naming the weight (SVG) agrees with
 * what Pango drew. */
int gdv_text_bold(gdv_text_context ctx, int kind) {
  return ctx == GDV_CTX_TITLE || (ctx == GDV_CTX_NODE && kind == GDV_TEXT_NAME) ||
         (ctx == GDV_CTX_NODE && kind == GDV_TEXT_OP);
}

/* The family of the font the face's first run of "x" got: what fontconfig
 * made of the style's name ("sans" is "DejaVu Sans" here), so that a
 * viewer of the SVG on the same machine picks the same font. */
void gdv_text_family(const gdv_style *st, char *buf, size_t size) {
  snprintf(buf, size, "%s", st->font);
  if (!text_engine()) return;
  const text_face *face = face_for(st->font, 0);
  if (face == NULL || !line_shape(&text_last, face, "x") || text_last.runs == NULL) return;
  PangoGlyphItem *run = text_last.runs->data;
  PangoFontDescription *d = pango_font_describe(run->item->analysis.font);
  const char *family = d ? pango_font_description_get_family(d) : NULL;
  if (family && *family) snprintf(buf, size, "%s", family);
  if (d) pango_font_description_free(d);
}

/* Family names that fontconfig maps to a font by its rules: no font has
 * them as its own family, yet they resolve. */
static int generic_family(const char *name) {
  static const char *const generic[] = {"sans-serif", "sans", "serif", "monospace", "mono",
                                        "cursive", "fantasy", "system-ui", "emoji", "math"};
  for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
    if (strcasecmp(name, generic[i]) == 0) return 1;
  return 0;
}

/* Whether an installed font has this family (fontconfig compares without
 * case and blanks), or it is a generic name. */
static int family_installed(const char *family) {
  if (generic_family(family)) return 1;
  FcPattern *pat = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
  FcFontSet *fs = NULL;
  if (pat && os && FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family))
    fs = FcFontList(NULL, pat, os);
  int found = fs == NULL || fs->nfont > 0;  /* out of memory: do not warn */
  if (fs) FcFontSetDestroy(fs);
  if (os) FcObjectSetDestroy(os);
  if (pat) FcPatternDestroy(pat);
  return found;
}

/* Offers every installed family name (a font may have several: its
 * localised names too). */
static void offer_families(gdv_suggest *s) {
  FcPattern *pat = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
  FcFontSet *fs = pat && os ? FcFontList(NULL, pat, os) : NULL;
  for (int i = 0; fs && i < fs->nfont; i++) {
    FcChar8 *name;
    for (int k = 0; FcPatternGetString(fs->fonts[i], FC_FAMILY, k, &name) == FcResultMatch; k++)
      gdv_suggest_offer(s, (const char *)name);
  }
  if (fs) FcFontSetDestroy(fs);
  if (os) FcObjectSetDestroy(os);
  if (pat) FcPatternDestroy(pat);
}

/* The style's font is a family list ("Noto Sans, DejaVu Sans", as Pango
 * reads it): it resolves when one of them is installed. Otherwise Pango
 * falls back silently to what fontconfig likes best; this says which, and
 * the installed family closest to the first name. */
int gdv_text_font_warning(const gdv_style *st, char *buf, size_t size) {
  if (!text_engine()) return 0;
  char list[sizeof st->font], first[sizeof st->font] = "";
  snprintf(list, sizeof list, "%s", st->font);
  for (char *save, *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
    while (*f == ' ' || *f == '\t') f++;
    size_t n = strlen(f);
    while (n > 0 && (f[n - 1] == ' ' || f[n - 1] == '\t')) f[--n] = '\0';
    if (n == 0) continue;
    if (family_installed(f)) return 0;
    if (!first[0]) snprintf(first, sizeof first, "%s", f);
  }
  char used[128], hint[GDV_HINT_SIZE];
  gdv_text_family(st, used, sizeof used);
  gdv_suggest s;
  gdv_suggest_start(&s, first);
  offer_families(&s);
  snprintf(buf, size, "font '%s' is not installed: drawing with '%s'%s", st->font, used,
           gdv_suggest_hint(&s, hint, sizeof hint));
  return 1;
}

/* Every font selection passes here; titles, node names and op symbols are
 * bold. Sizes are absolute (user units are points), not Pango's points at
 * 96 dpi. */
void gdv_text_font(cairo_t *cr, const gdv_style *st, gdv_text_context ctx,
                   int kind) {
  int bold = gdv_text_bold(ctx, kind);
  text_font *tf = font_of(cr);
  if (tf == NULL || !text_engine()) return;
  tf->face = face_for(st->font, bold);
  tf->scale = gdv_text_size(st, ctx, kind) / TEXT_REF_SIZE;
}

/* Lines kept while gdv_render_keep_text is on: a figure written in
 * several formats draws the same lines in each, and shaping them is most
 * of what its text costs. An index over the kept lines, by face and text. */
static struct {
  int on;
  text_line *lines;
  size_t n, cap;
  gdv_index index;     /* the lines by face and text */
} text_kept;

/* The hash of the text, mixed with the face's place in the face list
 * (not its address: nothing here may depend on where malloc put it). */
static uint64_t kept_hash(const text_face *face, const char *text) {
  size_t place = 0;
  for (const text_face *f = text_faces; f && f != face; f = f->next) place++;
  return gdv_hash(gdv_hash(GDV_HASH_START, &place, sizeof place), text, strlen(text));
}

/* The kept line for text in face, shaped now if it is new; NULL when out
 * of memory. */
static const text_line *kept_line(const text_face *face, const char *text) {
  uint64_t h = kept_hash(face, text);
  size_t pos;
  for (size_t i = gdv_index_first(&text_kept.index, h, &pos); i != GDV_INDEX_END;
       i = gdv_index_next(&text_kept.index, h, &pos)) {
    const text_line *line = &text_kept.lines[i];
    if (line->face == face && strcmp(line->text, text) == 0) return line;
  }
  if (!gdv_grow((void **)&text_kept.lines, &text_kept.cap, text_kept.n, sizeof *text_kept.lines))
    return NULL;
  text_line *line = &text_kept.lines[text_kept.n];
  memset(line, 0, sizeof *line);
  if (!line_shape(line, face, text)) {
    line_clear(line);
    return NULL;
  }
  if (!gdv_index_add(&text_kept.index, h, text_kept.n)) {
    line_clear(line);
    return NULL;
  }
  return &text_kept.lines[text_kept.n++];
}

/* Widths remembered for the whole process, by face and text: the planner
 * measures each label once for every candidate it lays out, and shaping
 * was half of a figure's time. A width is a number, not a shaped line, so
 * the memo stays small; past TEXT_WIDTHS_MAX texts (a huge graph's labels,
 * measured once anyway) new ones are measured without being kept. */
#define TEXT_WIDTHS_MAX ((size_t)1 << 17)
typedef struct text_width {
  const text_face *face;
  char *text;
  double width;  /* Pango units at the reference size */
} text_width;
static struct {
  text_width *items;
  size_t n, cap;
  gdv_index index;
} text_widths;

void gdv_render_keep_text(int on) {
  if (!on) {
    for (size_t i = 0; i < text_kept.n; i++) line_clear(&text_kept.lines[i]);
    free(text_kept.lines);
    gdv_index_free(&text_kept.index);
    memset(&text_kept, 0, sizeof text_kept);
    for (size_t i = 0; i < text_widths.n; i++) free(text_widths.items[i].text);
    free(text_widths.items);
    gdv_index_free(&text_widths.index);
    memset(&text_widths, 0, sizeof text_widths);
  }
  text_kept.on = on;
}

/* Text shaped in face: kept while keeping is on, else the last line;
 * NULL when out of memory. */
static const text_line *line_of(const text_face *face, const char *text) {
  if (text_kept.on) return kept_line(face, text);
  return line_shape(&text_last, face, text) ? &text_last : NULL;
}

/* Shapes text in cr's selected face (or finds it kept); NULL when there
 * is nothing to shape with (no selection, Pango could not start, out of
 * memory). */
static const text_line *shaped(cairo_t *cr, const char *text, const text_font **tf_out) {
  const text_font *tf = cairo_get_user_data(cr, &text_font_key);
  if (tf == NULL || tf->face == NULL) return NULL;
  *tf_out = tf;
  return line_of(tf->face, text);
}

/* The width of text in face in Pango units at the reference size, from
 * the memo or shaped now (and remembered); -1 when it cannot be shaped. */
static double width_of(const text_face *face, const char *text) {
  uint64_t h = kept_hash(face, text);
  size_t pos;
  for (size_t i = gdv_index_first(&text_widths.index, h, &pos); i != GDV_INDEX_END;
       i = gdv_index_next(&text_widths.index, h, &pos)) {
    const text_width *w = &text_widths.items[i];
    if (w->face == face && strcmp(w->text, text) == 0) return w->width;
  }
  const text_line *line = line_of(face, text);
  if (line == NULL) return -1;
  double width = line->width;
  char *copy;
  if (text_widths.n < TEXT_WIDTHS_MAX &&
      gdv_grow((void **)&text_widths.items, &text_widths.cap, text_widths.n,
               sizeof *text_widths.items) &&
      (copy = strdup(text)) != NULL) {
    if (gdv_index_add(&text_widths.index, h, text_widths.n))
      text_widths.items[text_widths.n++] = (text_width){face, copy, width};
    else
      free(copy);
  }
  return width;
}

/* The logical width (advances), not the ink extent: pieces of text placed
 * one after another then line up, trailing spaces included. */
double gdv_text_width(cairo_t *cr, const char *text) {
  const text_font *tf = cairo_get_user_data(cr, &text_font_key);
  if (tf == NULL || tf->face == NULL) return 0;
  double width = width_of(tf->face, text);
  return width < 0 ? 0 : width / PANGO_SCALE * tf->scale;
}

/* Ascent and descent of cr's selected font (0 before any selection). */
void gdv_text_extents(cairo_t *cr, double *ascent, double *descent) {
  const text_font *tf = cairo_get_user_data(cr, &text_font_key);
  int known = tf && tf->face;
  *ascent = known ? tf->face->ascent * tf->scale : 0;
  *descent = known ? tf->face->descent * tf->scale : 0;
}

/* Draws one line with its baseline's left end at the current point, in
 * cr's source colour, scaled from the reference size; returns its width
 * like gdv_text_width. */
double gdv_text_show(cairo_t *cr, const char *text) {
  const text_font *tf;
  const text_line *line = shaped(cr, text, &tf);
  if (line == NULL || !cairo_has_current_point(cr)) return 0;
  double x, y;
  cairo_get_current_point(cr, &x, &y);
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, tf->scale, tf->scale);
  int pen = 0;
  for (const GSList *l = line->runs; l; l = l->next) {
    const PangoGlyphItem *run = l->data;
    cairo_move_to(cr, (double)pen / PANGO_SCALE, 0);
    pango_cairo_show_glyph_string(cr, run->item->analysis.font, run->glyphs);
    pen += pango_glyph_string_get_width(run->glyphs);
  }
  cairo_restore(cr);
  return (double)line->width / PANGO_SCALE * tf->scale;
}

/* Hinting off and one antialias mode for whatever Cairo draws itself on
 * cr; Pango's text has its own options (text_engine). */
void gdv_text_font_options(cairo_t *cr) {
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
}

/* Metrics need no real surface: a 1x1 image will do, kept alive by the
 * context, which the caller destroys. */
cairo_t *gdv_text_measure_context(void) {
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create(surf);
  cairo_surface_destroy(surf);
  gdv_text_font_options(cr);
  return cr;
}
