/* gdv_svg.c: SVG written from the figure's own structure, not through
 * Cairo's SVG surface (whose text is glyph outlines with ids that clash
 * between two figures on one page). The drawing code of gdv_draw.c runs
 * into a sink (gdv_draw_sink): every shape it fills or strokes becomes a
 * <path>, every line of text a <text> in the measured font with its
 * measured width, inside one <g> per node and per edge that carries the
 * graph's ids, classes for role, op and state, and a <title> saying its
 * numbers in words. Styles are classes in one <style>, numbered in the
 * order first used, so the same scene gives the same bytes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"
#include "render/gdv_render_int.h"

/* A figure of more edges than this
 * (the MNIST network's 23,830) writes its edges that carry no text as one
 * path per pen, not one <g> each: a <g> and a <title> saying only "x₀ →
 * a¹₀" would be most of the file. */
#define BULK_EDGES 2000
/* ... at most this many edges to a <path>: Cairo (rsvg) strokes one path
 * of many crossing lines far slower than the same lines one by one */
#define BULK_PER_PATH 8

/* One writer's state, from the root element to the closing tag. */
typedef struct svg {
  const gdv_scene *s;
  const gdv_style *st;
  const gdv_svg_options *opt;
  const gdv_graph *g;        /* NULL: titles from the scene's lines */
  char prefix[80];
  gdv_sbuf body;             /* everything after <style> */
  gdv_sbuf css;              /* the rules of the classes used */
  gdv_sbuf tmp;              /* a path's d, a title */
  gdv_sbuf hint_path, hint_rect;  /* the rounded box just made: path, <rect> */
  gdv_sbuf *bulk;            /* per class: path data of bulk edges */
  size_t *bulk_count;        /* per class: edges in bulk[c] */
  gdv_sbuf bulk_done;        /* bulk paths written full, waiting for flush_bulk */
  size_t n_bulk, cap_bulk;   /* classes that may hold some; allocated */
  int in_bulk;               /* the part being drawn is a bulk edge */
  gdv_kept_fill kept;        /* a filled path waiting for its stroke */
  char **classes;            /* style declarations, index = class number */
  size_t n_classes, cap_classes;
  gdv_index class_index;     /* the classes by declaration */
  int oom;
  double canvas_w, canvas_h, scale;
  gdv_rgba background;
  const uint8_t *collapsed;  /* per scene node: stands for a collapsed group */
} svg;

/* A number with at most two decimals and no trailing zeros: points are
 * 1/72 inch, so a hundredth is far below a pixel, and "-0" never shows. */
static void num(gdv_sbuf *b, double x) {
  char t[48];
  if (!isfinite(x)) x = 0;
  snprintf(t, sizeof t, "%.2f", x);
  char *dot = strchr(t, '.');
  if (dot) {
    char *end = t + strlen(t) - 1;
    while (end > dot && *end == '0') *end-- = '\0';
    if (end == dot) *end = '\0';
  }
  gdv_sbuf_printf(b, "%s", strcmp(t, "-0") == 0 ? "0" : t);
}

/* XML 1.0 allows tab, newline and the code points from U+0020 on but for
 * surrogates, U+FFFE and U+FFFF; the other controls (C0, DEL, C1) and the
 * noncharacters are replaced too: a reader must not take them for text,
 * and Graphviz's HTML-like labels (expat) refuse them. */
const char *gdv_xml_char(const char *p, size_t *len) {
  static const char replacement[] = "\xEF\xBF\xBD";  /* U+FFFD */
  const unsigned char *u = (const unsigned char *)p;
  *len = 1;
  switch (*u) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '"': return "&quot;";
  case '\t': case '\n': return NULL;
  default: break;
  }
  if (*u < 0x20 || *u == 0x7F) return replacement;
  if (*u < 0x80) return NULL;
  size_t n = gdv_utf8_seq(u, u + strnlen(p, 4));
  if (n == 0) return replacement;
  *len = n;
  unsigned long cp = u[0] & (0x7F >> n);
  for (size_t i = 1; i < n; i++) cp = (cp << 6) | (u[i] & 0x3F);
  int noncharacter = (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
  return cp < 0xA0 || noncharacter ? replacement : NULL;
}

/* Text as XML character data or attribute value (gdv_xml_char). */
static void esc(gdv_sbuf *b, const char *s) {
  size_t len;
  for (; s && *s; s += len) {
    const char *r = gdv_xml_char(s, &len);
    if (r) gdv_sbuf_printf(b, "%s", r);
    else gdv_sbuf_printf(b, "%.*s", (int)len, s);
  }
}

/* The id-safe spelling of a graph id: letters, digits and '-' stay, every
 * other byte (including '_' and each byte of a UTF-8 character) becomes
 * '_' and two upper-case hex digits, so different ids stay different. */
void gdv_svg_escape_id(gdv_sbuf *b, const char *id) {
  for (const unsigned char *p = (const unsigned char *)id; p && *p; p++) {
    int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
               (*p >= '0' && *p <= '9') || *p == '-';
    if (keep) gdv_sbuf_printf(b, "%c", *p);
    else gdv_sbuf_printf(b, "_%02X", *p);
  }
}

/* A prefix made safe: [A-Za-z0-9_-] kept, anything else '-', a letter
 * first (an id and a CSS selector may not start with a digit), and "-"
 * appended unless it ends in '-' or '_'. Empty: "fig-". */
void gdv_svg_prefix(const char *name, char *buf, size_t size) {
  size_t n = 0;
  if (size < 8) { if (size) buf[0] = '\0'; return; }
  if (name == NULL || *name == '\0') name = "fig";
  unsigned char c0 = (unsigned char)name[0];
  if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z'))) buf[n++] = 'f';
  for (const unsigned char *p = (const unsigned char *)name; *p && n + 2 < size; p++) {
    int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
               (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
    buf[n++] = keep ? (char)*p : '-';
  }
  if (buf[n - 1] != '-' && buf[n - 1] != '_') buf[n++] = '-';
  buf[n] = '\0';
}

/* The default prefix of a file: its base name without its suffix, and
 * without a graph's suffix before it ("out/neuron.svg" and
 * "neuron.expr.svg" give "neuron-"), so two figures of different files
 * inlined in one page share no id. */
void gdv_svg_prefix_from_path(const char *path, char *buf, size_t size) {
  char base[256];
  const char *slash = path ? strrchr(path, '/') : NULL;
  snprintf(base, sizeof base, "%s", slash ? slash + 1 : path ? path : "");
  for (int k = 0; k < 2; k++) {
    char *dot = strrchr(base, '.');
    if (dot == NULL || dot == base) break;
    /* "neuron.expr.svg": the graph's own suffix goes too */
    if (k == 1 && strcmp(dot, ".dot") && strcmp(dot, ".gv") && strcmp(dot, ".expr")) break;
    *dot = '\0';
  }
  gdv_svg_prefix(base, buf, size);
}

/* The number of the class holding these declarations, made (and its rule
 * written) on first use; numbered in order of use, so deterministic. */
static size_t class_of(svg *w, const char *decl) {
  size_t found = gdv_index_find_string(&w->class_index, w->classes, decl);
  if (found != GDV_INDEX_END) return found;
  if (!gdv_grow((void **)&w->classes, &w->cap_classes, w->n_classes, sizeof *w->classes)) {
    w->oom = 1;
    return 0;
  }
  char *copy = strdup(decl);
  if (copy == NULL) { w->oom = 1; return 0; }
  if (!gdv_index_add(&w->class_index, gdv_hash_string(decl), w->n_classes)) {
    free(copy);
    w->oom = 1;
    return 0;
  }
  w->classes[w->n_classes++] = copy;
  gdv_sbuf_printf(&w->css, "#%sfigure .c%zu{%s}\n", w->prefix, w->n_classes - 1, decl);
  return w->n_classes - 1;
}

/* "#rrggbb", and an opacity declaration when not opaque. */
static void colour(char *out, size_t size, const char *what, gdv_rgba c) {
  int r = (int)lround(c.r * 255), g = (int)lround(c.g * 255), b = (int)lround(c.b * 255);
  if (c.a >= 1) snprintf(out, size, "%s:#%02x%02x%02x", what, r, g, b);
  else snprintf(out, size, "%s:#%02x%02x%02x;%s-opacity:%.3g", what, r, g, b, what, c.a);
}

/* A path number in hundredths of a point, relative to the last point:
 * "1.5", ".25", "-3" (a minus sign needs no space before it), so the
 * points of a curve cost a few bytes each. */
static void hundredths(gdv_sbuf *b, long v, int sep) {
  char t[32];
  unsigned long a = (unsigned long)(v < 0 ? -v : v);
  int n = snprintf(t, sizeof t, "%s", v < 0 ? "-" : sep ? " " : "");
  if (a >= 100) n += snprintf(t + n, sizeof t - (size_t)n, "%lu", a / 100);
  if (a % 100) {
    n += snprintf(t + n, sizeof t - (size_t)n, ".%02lu", a % 100);
    if (t[n - 1] == '0') t[n - 1] = '\0';
  } else if (a < 100) {
    snprintf(t + n, sizeof t - (size_t)n, "0");
  }
  gdv_sbuf_printf(b, "%s", t);
}

/* One path command and its numbers (hundredths; absolute for M, else
 * relative); the letter is left out when it repeats the last one. */
static void put_segment(gdv_sbuf *b, char cmd, const long *v, int n, char *last) {
  int sep = cmd == *last && cmd != 'M';
  if (!sep) gdv_sbuf_printf(b, "%c", cmd);
  for (int k = 0; k < n; k++) hundredths(b, v[k], sep || k > 0);
  *last = cmd;
}

/* Whether the cubic from pen through controls v[0..3] to v[4..5] (all in
 * hundredths) is a straight line: its controls within a hundredth of the
 * chord and between its ends (the MNIST edges' first piece, many of dot's). */
static int straight(const long pen[2], const long v[6]) {
  double dx = (double)(v[4] - pen[0]), dy = (double)(v[5] - pen[1]);
  double len2 = dx * dx + dy * dy;
  if (len2 == 0) return v[0] == pen[0] && v[1] == pen[1] && v[2] == pen[0] && v[3] == pen[1];
  for (int k = 0; k < 2; k++) {
    double px = (double)(v[2 * k] - pen[0]), py = (double)(v[2 * k + 1] - pen[1]);
    double cross = px * dy - py * dx, dot = px * dx + py * dy;
    if (cross * cross > len2 || dot < 0 || dot > len2) return 0;
  }
  return 1;
}

/* One attribute ` NAME="N"`, the number as num writes it: every number
 * of an element's attributes goes out this way. */
static void num_attr(gdv_sbuf *b, const char *name, double v) {
  gdv_sbuf_printf(b, " %s=\"", name);
  num(b, v);
  gdv_sbuf_printf(b, "\"");
}

/* A box's x, y, width and height attributes (a <rect>, an <image>). */
static void box_attrs(gdv_sbuf *b, double x, double y, double wd, double ht) {
  num_attr(b, "x", x);
  num_attr(b, "y", y);
  num_attr(b, "width", wd);
  num_attr(b, "height", ht);
}

/* A box as a <rect>'s attributes (rx: a rounded corner; 0: square). */
static void rect_attrs(gdv_sbuf *b, double x, double y, double wd, double ht, double rx) {
  gdv_sbuf_printf(b, "rect");
  box_attrs(b, x, y, wd, ht);
  if (rx > 0) num_attr(b, "rx", rx);
}

/* Whether path p is one axis-aligned rectangle (cairo_rectangle: move,
 * three lines, close, and Cairo's move after the close); its box then. */
static int path_rect(const cairo_path_t *p, double box[4]) {
  static const int types[] = {CAIRO_PATH_MOVE_TO, CAIRO_PATH_LINE_TO, CAIRO_PATH_LINE_TO,
                              CAIRO_PATH_LINE_TO, CAIRO_PATH_CLOSE_PATH};
  double x[4], y[4];
  int i = 0, k = 0;
  for (; i < p->num_data && k < 5; i += p->data[i].header.length, k++) {
    if ((int)p->data[i].header.type != types[k]) return 0;
    if (k < 4) { x[k] = p->data[i + 1].point.x; y[k] = p->data[i + 1].point.y; }
  }
  if (k < 5) return 0;
  if (i < p->num_data && (p->data[i].header.type != CAIRO_PATH_MOVE_TO ||
                          i + p->data[i].header.length < p->num_data))
    return 0;
  int across = y[0] == y[1] && x[1] == x[2] && y[2] == y[3] && x[3] == x[0];
  int down = x[0] == x[1] && y[1] == y[2] && x[2] == x[3] && y[3] == y[0];
  if (!across && !down) return 0;
  box[0] = fmin(x[0], x[2]);
  box[1] = fmin(y[0], y[2]);
  box[2] = fabs(x[2] - x[0]);
  box[3] = fabs(y[2] - y[0]);
  return 1;
}

/* cr's current path as an element's name and geometry in tmp ("path
 * d=..." or "rect x=..."), absolute, in figure points. */
static void path_data(svg *w, cairo_t *cr) {
  gdv_sbuf_clear(&w->tmp);
  cairo_path_t *p = cairo_copy_path(cr);
  if (p == NULL) return;
  double box[4];
  if (path_rect(p, box)) {
    rect_attrs(&w->tmp, box[0], box[1], box[2], box[3], 0);
    cairo_path_destroy(p);
    return;
  }
  gdv_sbuf_printf(&w->tmp, "path d=\"");
  long pen[2] = {0, 0}, start[2] = {0, 0};
  char last = 0;
  for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
    cairo_path_data_t *d = &p->data[i];
    int type = d->header.type;
    /* Cairo starts a new subpath after each close: a last lone move
     * draws nothing */
    if (type == CAIRO_PATH_MOVE_TO && i + d->header.length >= p->num_data) break;
    if (type == CAIRO_PATH_CLOSE_PATH) {
      gdv_sbuf_printf(&w->tmp, "z");
      last = 'z';
      pen[0] = start[0];
      pen[1] = start[1];
      continue;
    }
    int n = type == CAIRO_PATH_CURVE_TO ? 3 : 1;
    long v[6];
    for (int k = 0; k < n; k++) {
      v[2 * k] = lround(d[k + 1].point.x * 100);
      v[2 * k + 1] = lround(d[k + 1].point.y * 100);
    }
    if (type == CAIRO_PATH_MOVE_TO) {
      put_segment(&w->tmp, 'M', v, 2, &last);
      start[0] = pen[0] = v[0];
      start[1] = pen[1] = v[1];
      continue;
    }
    if (type == CAIRO_PATH_CURVE_TO && straight(pen, v)) {
      v[0] = v[4];
      v[1] = v[5];
      n = 1;
    }
    long end[2] = {v[2 * n - 2], v[2 * n - 1]};
    for (int k = 0; k < 2 * n; k++) v[k] -= pen[k % 2];
    if (n == 3) put_segment(&w->tmp, 'c', v, 6, &last);
    else if (v[1] == 0) put_segment(&w->tmp, 'h', v, 1, &last);
    else if (v[0] == 0) put_segment(&w->tmp, 'v', v + 1, 1, &last);
    else put_segment(&w->tmp, 'l', v, 2, &last);
    pen[0] = end[0];
    pen[1] = end[1];
  }
  gdv_sbuf_printf(&w->tmp, "\"");
  cairo_path_destroy(p);
}

/* gdv_render_rounded just made cr's path a rounded box: kept as a hint,
 * so that the shape painted next, if it is this path, is written as a
 * <rect rx> (a fifth of the bytes of its arcs). */
static void sink_rounded(void *ctx, cairo_t *cr, double x, double y, double wd, double ht,
                         double r) {
  svg *w = ctx;
  path_data(w, cr);
  gdv_sbuf_clear(&w->hint_path);
  gdv_sbuf_printf(&w->hint_path, "%s", w->tmp.s ? w->tmp.s : "");
  gdv_sbuf_clear(&w->hint_rect);
  rect_attrs(&w->hint_rect, x, y, wd, ht, r);
}

/* The shape of cr's path in tmp: the rounded box hinted, else its path. */
static void shape_data(svg *w, cairo_t *cr) {
  path_data(w, cr);
  if (w->hint_path.n && w->tmp.n == w->hint_path.n && strcmp(w->tmp.s, w->hint_path.s) == 0) {
    gdv_sbuf_clear(&w->tmp);
    gdv_sbuf_printf(&w->tmp, "%s", w->hint_rect.s);
  }
}

/* Appends a bulk edge's path data (up to its closing quote) to its
 * class's path; 0 when out of memory (it is then written alone). */
static int add_bulk(svg *w, size_t c, const char *d) {
  if (c >= w->cap_bulk) {
    size_t nc = w->n_classes > c ? w->n_classes * 2 : c * 2 + 16;
    gdv_sbuf *t = realloc(w->bulk, nc * sizeof *t);
    if (t == NULL) return 0;
    memset(t + w->cap_bulk, 0, (nc - w->cap_bulk) * sizeof *t);
    w->bulk = t;
    size_t *k = realloc(w->bulk_count, nc * sizeof *k);
    if (k == NULL) return 0;
    memset(k + w->cap_bulk, 0, (nc - w->cap_bulk) * sizeof *k);
    w->bulk_count = k;
    w->cap_bulk = nc;
  }
  if (c >= w->n_bulk) w->n_bulk = c + 1;
  gdv_sbuf_printf(&w->bulk[c], "%.*s", (int)strcspn(d, "\""), d);
  if (++w->bulk_count[c] == BULK_PER_PATH) {
    /* full: one stroke of many crossing lines is slow to draw */
    gdv_sbuf_printf(&w->bulk_done, "<path class=\"edge c%zu\" d=\"%s\"/>\n", c, w->bulk[c].s);
    gdv_sbuf_clear(&w->bulk[c]);
    w->bulk_count[c] = 0;
  }
  return 1;
}

/* Writes one shape (tmp's element) with a fill, a stroke (pen from cr)
 * or both. */
static void put_path(void *ctx, const char *shape, const gdv_rgba *fill, cairo_t *cr,
                     const gdv_rgba *stroke) {
  svg *w = ctx;
  char decl[256], f[64], s[64], extra[96] = "";
  if (fill) colour(f, sizeof f, "fill", *fill);
  else snprintf(f, sizeof f, "fill:none");
  s[0] = '\0';
  if (stroke) {
    colour(s, sizeof s, ";stroke", *stroke);
    int nd = cairo_get_dash_count(cr);
    double dash[4] = {0}, off;
    if (nd == 2) {
      cairo_get_dash(cr, dash, &off);
      snprintf(extra, sizeof extra, ";stroke-dasharray:%.3g %.3g", dash[0], dash[1]);
    }
    size_t n = strlen(extra);
    snprintf(extra + n, sizeof extra - n, ";stroke-width:%.3g", cairo_get_line_width(cr));
  }
  snprintf(decl, sizeof decl, "%s%s%s", f, s, extra);
  size_t c = class_of(w, decl);
  if (w->in_bulk && strncmp(shape, "path d=\"", 8) == 0 && add_bulk(w, c, shape + 8)) return;
  gdv_sbuf_printf(&w->body, "<%s class=\"c%zu\"/>\n", shape, c);
}

/* A fill is kept until the next shape: a node's box is filled, then the
 * same path stroked, and one <path> with both is half the bytes. */
static void sink_paint(void *ctx, cairo_t *cr, int stroke) {
  svg *w = ctx;
  shape_data(w, cr);
  if (w->tmp.n) gdv_kept_fill_paint(&w->kept, cr, stroke, w->tmp.s);
}

static const char *const text_kinds[] = {"name", "op", "value", "grad", "sum", "local",
                                         "edge-grad", "note", "title"};

/* A <text> at the baseline's left end, stretched to the width Pango
 * measured (textLength), so every viewer's font fits the same box. */
static void sink_text(void *ctx, int kind, int bold, double size, const char *text,
                      double x, double baseline, double width, gdv_rgba c) {
  svg *w = ctx;
  gdv_kept_fill_flush(&w->kept);
  char decl[160], fill[64];
  colour(fill, sizeof fill, "fill", c);
  snprintf(decl, sizeof decl, "font-size:%.3gpx;%s%s", size,
           bold ? "font-weight:bold;" : "", fill);
  size_t cls = class_of(w, decl);
  const char *k = kind >= 0 && kind < GDV_TEXT_KIND_COUNT ? text_kinds[kind] : "legend";
  gdv_sbuf_printf(&w->body, "<text class=\"t-%s c%zu\"", k, cls);
  num_attr(&w->body, "x", x);
  num_attr(&w->body, "y", baseline);
  num_attr(&w->body, "textLength", width);
  gdv_sbuf_printf(&w->body, " lengthAdjust=\"spacingAndGlyphs\">");
  esc(&w->body, text);
  gdv_sbuf_printf(&w->body, "</text>\n");
}

/* Appends n raw bytes (a PNG has NULs, which printf cannot pass). */
static void put_bytes(gdv_sbuf *b, const void *p, size_t n) {
  if (b->failed) return;
  if (b->n + n + 1 > b->cap) {
    size_t nc = (b->n + n + 1) * 2;
    char *t = realloc(b->s, nc);
    if (t == NULL) { b->failed = 1; return; }
    b->s = t;
    b->cap = nc;
  }
  memcpy(b->s + b->n, p, n);
  b->n += n;
  b->s[b->n] = '\0';
}

/* Cairo's PNG writer into a buffer. */
static cairo_status_t png_to_sbuf(void *closure, const unsigned char *data, unsigned int len) {
  gdv_sbuf *b = closure;
  put_bytes(b, data, len);
  return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* Base64 of n bytes, for a data: URL. */
static void base64(gdv_sbuf *b, const unsigned char *p, size_t n) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                 (i + 2 < n ? p[i + 2] : 0);
    char q[4] = {a[v >> 18 & 63], a[v >> 12 & 63], i + 1 < n ? a[v >> 6 & 63] : '=',
                 i + 2 < n ? a[v & 63] : '='};
    put_bytes(b, q, 4);
  }
}

/* About what a pixel costs as a <rect>. */
#define RECT_BYTES 60
/* ... and what an <image> costs besides its PNG. */
#define IMAGE_BYTES 160

/* A picture of few pixels as <rect>s, one a pixel, each a shade's class
 * (smaller than a PNG's fixed cost there). */
static void image_rects(svg *w, double x, double y, double pw, double ph, size_t px_w,
                        size_t px_h, const gdv_rgba *px) {
  for (size_t r = 0; r < px_h; r++)
    for (size_t c = 0; c < px_w; c++) {
      char decl[64];
      colour(decl, sizeof decl, "fill", px[r * px_w + c]);
      size_t cls = class_of(w, decl);
      gdv_sbuf_clear(&w->tmp);
      rect_attrs(&w->tmp, x + (double)c * pw, y + (double)r * ph, pw, ph, 0);
      gdv_sbuf_printf(&w->body, "<%s class=\"c%zu\"/>\n", w->tmp.s, cls);
    }
}

/* A picture as one <image> holding a PNG of its pixels, drawn unsmoothed:
 * a 28x28 digit is about a kilobyte this way, 40 as 784 <rect>s; a
 * picture of a few pixels is smaller as <rect>s. */
static void sink_image(void *ctx, double x, double y, double wd, double ht, size_t px_w,
                       size_t px_h, const gdv_rgba *px) {
  svg *w = ctx;
  gdv_kept_fill_flush(&w->kept);
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)px_w, (int)px_h);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) { cairo_surface_destroy(img); return; }
  cairo_surface_flush(img);
  unsigned char *data = cairo_image_surface_get_data(img);
  int stride = cairo_image_surface_get_stride(img);
  for (size_t r = 0; r < px_h; r++)
    for (size_t c = 0; c < px_w; c++) {
      gdv_rgba v = px[r * px_w + c];
      uint32_t rgb = (uint32_t)lround(v.r * 255) << 16 | (uint32_t)lround(v.g * 255) << 8 |
                     (uint32_t)lround(v.b * 255);
      memcpy(data + r * (size_t)stride + c * 4, &rgb, 4);
    }
  cairo_surface_mark_dirty(img);
  gdv_sbuf png = {0};
  cairo_surface_write_to_png_stream(img, png_to_sbuf, &png);
  cairo_surface_destroy(img);
  if (!png.failed && png.n * 4 / 3 + IMAGE_BYTES > px_w * px_h * RECT_BYTES) {
    free(png.s);
    image_rects(w, x, y, wd / (double)px_w, ht / (double)px_h, px_w, px_h, px);
    return;
  }
  gdv_sbuf_printf(&w->body, "<image");
  box_attrs(&w->body, x, y, wd, ht);
  gdv_sbuf_printf(&w->body, " preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" "
                  "xlink:href=\"data:image/png;base64,");
  if (!png.failed && png.s) base64(&w->body, (const unsigned char *)png.s, png.n);
  gdv_sbuf_printf(&w->body, "\"/>\n");
  if (png.failed) w->oom = 1;
  free(png.s);
}

/* The figure's size and scale, kept for the root element. */
static void sink_figure(void *ctx, double canvas_w, double canvas_h, double scale, gdv_rgba bg) {
  svg *w = ctx;
  w->canvas_w = canvas_w;
  w->canvas_h = canvas_h;
  w->scale = scale;
  w->background = bg;
}

/* A number as the figure prints it (the scene's precision). */
static void fignum(svg *w, gdv_sbuf *b, double x) {
  char t[GDV_NUMBER_MAX];
  gdv_sbuf_printf(b, "%s", gdv_figure_number(x, w->s->precision > 0 ? w->s->precision : 4,
                                              t, sizeof t));
}

/* Whether a node's line is shown, by the same rule as gdv_draw.c. */
static int node_line_shown(const gdv_scene_node *n, int kind) {
  if (kind == GDV_TEXT_VALUE) return (n->flags & GDV_NODE_VALUE_KNOWN) != 0;
  if (kind == GDV_TEXT_GRAD || kind == GDV_TEXT_SUM) return gdv_node_line_shown(n, kind);
  if (kind == GDV_TEXT_NOTE && (n->flags & GDV_NODE_NONFINITE_ORIGIN))
    return gdv_render_nonfinite_shown(n);
  return kind != GDV_TEXT_OP;
}

/* Node i's numbers in words into tmp: its name (and op), then every shown
 * line as the figure prints it: "value 2", "∂C/∂x = 3 + 12 + (−1) = 14". */
static void node_words(svg *w, size_t i) {
  const gdv_scene_node *n = &w->s->nodes[i];
  gdv_sbuf *b = &w->tmp;
  gdv_sbuf_clear(b);
  size_t first = 0;
  if (n->n_lines && n->lines[0].kind == GDV_TEXT_NAME) {
    gdv_sbuf_printf(b, "%s", n->lines[0].text);
    first = 1;
  } else {
    gdv_sbuf_printf(b, "%s", n->id ? n->id : "");
  }
  gdv_id v = n->graph_node;
  if (w->g && v != GDV_NONE && v < w->g->n_nodes && w->g->op[v] != GDV_OP_LEAF)
    gdv_sbuf_printf(b, " (%s)", gdv_op_get((gdv_op)w->g->op[v])->name);
  const char *sep = ": ";
  for (size_t k = first; k < n->n_lines; k++) {
    if (!node_line_shown(n, n->lines[k].kind)) continue;
    gdv_sbuf_printf(b, "%s%s", sep, n->lines[k].text);
    sep = "; ";
  }
  if (n->flags & GDV_NODE_GREYED) gdv_sbuf_printf(b, "%sdoes not reach the output", sep);
}

/* The scene id of node i, or its index when it has none. */
static const char *node_id(const svg *w, size_t i, char *buf, size_t size) {
  const gdv_scene_node *n = &w->s->nodes[i];
  if (n->id) return n->id;
  snprintf(buf, size, "%zu", i);
  return buf;
}

/* Edge i's numbers in words into tmp: "x → p: local 3 × upstream 1 =
 * gradient 3" with the graph; else its shown label lines. */
static void edge_words(svg *w, size_t i) {
  const gdv_scene_edge *e = &w->s->edges[i];
  gdv_sbuf *b = &w->tmp;
  char t1[32], t2[32];
  gdv_sbuf_clear(b);
  const gdv_scene_node *from = &w->s->nodes[e->from], *to = &w->s->nodes[e->to];
  gdv_sbuf_printf(b, "%s → %s",
                  from->n_lines ? from->lines[0].text : node_id(w, e->from, t1, sizeof t1),
                  to->n_lines ? to->lines[0].text : node_id(w, e->to, t2, sizeof t2));
  gdv_id k = e->graph_edge;
  int local = (e->flags & GDV_EDGE_LOCAL_KNOWN) != 0, grad = (e->flags & GDV_EDGE_GRAD_KNOWN) != 0;
  /* a collapsed group's edges carry the group's numbers, not the graph
   * edge's: their lines say them */
  if (w->g && k != GDV_NONE && k < w->g->n_edges && (local || grad) && !w->s->node_scene) {
    const gdv_graph *g = w->g;
    gdv_sbuf_printf(b, ": local ");
    fignum(w, b, g->edge_local[k]);
    if (grad) {
      gdv_sbuf_printf(b, " × upstream ");
      fignum(w, b, g->grad[g->edge_to[k]]);
      gdv_sbuf_printf(b, " = gradient ");
      fignum(w, b, g->edge_grad[k]);
    }
  } else {
    const char *sep = ": ";
    for (size_t j = 0; j < e->n_lines; j++) {
      int kind = e->lines[j].kind;
      if ((kind == GDV_TEXT_LOCAL && !local) || (kind == GDV_TEXT_EDGE_GRAD && !grad)) continue;
      gdv_sbuf_printf(b, "%s%s", sep, e->lines[j].text);
      sep = "; ";
    }
  }
  if (e->count > 1) gdv_sbuf_printf(b, " (each of %zu parallel edges)", e->count);
}

/* The state classes a node or edge carries for the page's style sheet. */
static void state_classes(gdv_sbuf *b, uint32_t flags, int edge) {
  static const struct { uint32_t node, edge; const char *name; } states[] = {
    {GDV_NODE_OUTPUT, 0, "output"},
    {GDV_NODE_GREYED, GDV_EDGE_GREYED, "greyed"},
    {GDV_NODE_NONFINITE, GDV_EDGE_NONFINITE, "nonfinite"},
    {GDV_NODE_HIGHLIGHT, GDV_EDGE_HIGHLIGHT, "highlight"},
    {GDV_NODE_ON_PATH, GDV_EDGE_ON_PATH, "on-path"},
  };
  for (size_t k = 0; k < sizeof states / sizeof states[0]; k++) {
    uint32_t bit = edge ? states[k].edge : states[k].node;
    if (bit && (flags & bit)) gdv_sbuf_printf(b, " %s", states[k].name);
  }
}

static const char *const role_names[] = {"op", "input", "param", "const", "ellipsis"};

/* Opens node i's <g>: id, classes, graph index and id, and its <title>. */
static void begin_node(svg *w, size_t i) {
  const gdv_scene_node *n = &w->s->nodes[i];
  gdv_sbuf *b = &w->body;
  char t[32];
  const char *id = node_id(w, i, t, sizeof t);
  gdv_sbuf_printf(b, "<g id=\"%snode-", w->prefix);
  gdv_svg_escape_id(b, id);
  gdv_sbuf_printf(b, "\" class=\"node role-%s", role_names[n->kind < 5 ? n->kind : 0]);
  gdv_id v = n->graph_node;
  if (w->g && v != GDV_NONE && v < w->g->n_nodes && w->g->op[v] != GDV_OP_LEAF)
    gdv_sbuf_printf(b, " op-%s", gdv_op_get((gdv_op)w->g->op[v])->name);
  state_classes(b, n->flags, 0);
  if (w->collapsed && w->collapsed[i]) gdv_sbuf_printf(b, " collapsed");
  gdv_sbuf_printf(b, "\"");
  if (v != GDV_NONE) gdv_sbuf_printf(b, " data-node=\"%u\"", (unsigned)v);
  gdv_sbuf_printf(b, " data-id=\"");
  esc(b, w->g && v != GDV_NONE && v < w->g->n_nodes ? w->g->name[v] : id);
  gdv_sbuf_printf(b, "\"><title>");
  node_words(w, i);
  esc(b, w->tmp.s);
  gdv_sbuf_printf(b, "</title>\n");
}

/* Opens edge i's <g>: id from the graph edge (the order of `eval --format
 * json`), classes, endpoints, operand, and its <title>. */
static void begin_edge(svg *w, size_t i) {
  const gdv_scene_edge *e = &w->s->edges[i];
  gdv_sbuf *b = &w->body;
  char t1[32], t2[32];
  gdv_id k = e->graph_edge;
  if (k != GDV_NONE) gdv_sbuf_printf(b, "<g id=\"%sedge-%u\" class=\"edge", w->prefix, (unsigned)k);
  else gdv_sbuf_printf(b, "<g id=\"%sedge-s%zu\" class=\"edge", w->prefix, i);
  state_classes(b, e->flags, 1);
  gdv_sbuf_printf(b, "\"");
  if (k != GDV_NONE) gdv_sbuf_printf(b, " data-edge=\"%u\"", (unsigned)k);
  const gdv_graph *g = w->g && k != GDV_NONE && k < w->g->n_edges && !w->s->node_scene
                       ? w->g : NULL;
  gdv_sbuf_printf(b, " data-from=\"");
  esc(b, g ? g->name[g->edge_from[k]] : node_id(w, e->from, t1, sizeof t1));
  gdv_sbuf_printf(b, "\" data-to=\"");
  esc(b, g ? g->name[g->edge_to[k]] : node_id(w, e->to, t2, sizeof t2));
  gdv_sbuf_printf(b, "\"");
  if (g) gdv_sbuf_printf(b, " data-arg=\"%zu\"", (size_t)k - g->arg_start[g->edge_to[k]]);
  gdv_sbuf_printf(b, "><title>");
  edge_words(w, i);
  esc(b, w->tmp.s);
  gdv_sbuf_printf(b, "</title>\n");
}

/* Whether edge i is drawn in bulk (see BULK_EDGES). */
static int bulk_edge(const svg *w, size_t i) {
  const gdv_scene_edge *e = &w->s->edges[i];
  return w->s->n_edges > BULK_EDGES && e->n_lines == 0 &&
         !(e->flags & (GDV_EDGE_HIGHLIGHT | GDV_EDGE_ON_PATH));
}

/* Writes the bulk edges gathered so far, one <path> per class, in the
 * order the classes were made, inside <g class="edges">. */
static void flush_bulk(svg *w) {
  if (!w->n_bulk) return;
  gdv_sbuf_printf(&w->body, "<g class=\"edges\">\n");
  put_bytes(&w->body, w->bulk_done.s ? w->bulk_done.s : "", w->bulk_done.n);
  if (w->bulk_done.failed) w->oom = 1;
  gdv_sbuf_clear(&w->bulk_done);
  for (size_t c = 0; c < w->n_bulk; c++) {
    w->bulk_count[c] = 0;
    if (w->bulk[c].n == 0) continue;
    if (w->bulk[c].failed) w->oom = 1;
    gdv_sbuf_printf(&w->body, "<path class=\"edge c%zu\" d=\"%s\"/>\n", c, w->bulk[c].s);
    gdv_sbuf_clear(&w->bulk[c]);
  }
  gdv_sbuf_printf(&w->body, "</g>\n");
  w->n_bulk = 0;
}

/* Opens a part's <g> (a bulk edge has none: its shapes go to bulk). */
static void sink_begin(void *ctx, gdv_part part, size_t index) {
  svg *w = ctx;
  gdv_kept_fill_flush(&w->kept);
  w->in_bulk = part == GDV_PART_EDGE && bulk_edge(w, index);
  if (w->in_bulk) return;
  flush_bulk(w);
  if (part == GDV_PART_NODE) begin_node(w, index);
  else if (part == GDV_PART_EDGE) begin_edge(w, index);
  else if (part == GDV_PART_TITLE) gdv_sbuf_printf(&w->body, "<g class=\"title\">\n");
  else if (part == GDV_PART_LEGEND) gdv_sbuf_printf(&w->body, "<g class=\"legend\">\n");
  else if (w->s->items[index].kind == GDV_ITEM_BLANK)   /* a worksheet's box */
    gdv_sbuf_printf(&w->body, "<g class=\"item blank\" data-item=\"%zu\">\n", index);
  else gdv_sbuf_printf(&w->body, "<g class=\"item\">\n");
}

/* Closes it. */
static void sink_end(void *ctx, gdv_part part, size_t index) {
  svg *w = ctx;
  (void)part;
  (void)index;
  gdv_kept_fill_flush(&w->kept);
  if (w->in_bulk) { w->in_bulk = 0; return; }
  gdv_sbuf_printf(&w->body, "</g>\n");
}

/* The figure's title into tmp: "neuron: o = tanh(x1·w1 + x2·w2 + b) =
 * 0.7071" (the name, the output's equation or name, its value); without
 * the graph, the scene's title or the output node's lines. */
static void figure_title(svg *w) {
  gdv_sbuf *b = &w->tmp;
  gdv_sbuf_clear(b);
  const char *name = w->opt && w->opt->name ? w->opt->name : NULL;
  if (name && *name) gdv_sbuf_printf(b, "%s: ", name);
  const gdv_graph *g = w->g;
  if (w->s->step_frame && w->s->title) {  /* a frame says its step */
    for (const char *t = w->s->title; *t; t++) gdv_sbuf_printf(b, *t == '\n' ? "; " : "%c", *t);
    return;
  }
  if (g && g->output != GDV_NONE) {
    gdv_id o = g->output;
    if (g->node_group && g->node_group[o] != GDV_NONE && g->group_label[g->node_group[o]])
      gdv_sbuf_printf(b, "%s", g->group_label[g->node_group[o]]);
    else
      gdv_sbuf_node_name(b, g, o, 0);
    gdv_sbuf_printf(b, " = ");
    fignum(w, b, g->value[o]);
    return;
  }
  if (w->s->title && *w->s->title) { gdv_sbuf_printf(b, "%s", w->s->title); return; }
  for (size_t i = 0; i < w->s->n_nodes; i++)
    if (w->s->nodes[i].flags & GDV_NODE_OUTPUT) {
      const gdv_scene_node *n = &w->s->nodes[i];
      for (size_t k = 0; k < n->n_lines; k++)
        if (node_line_shown(n, n->lines[k].kind))
          gdv_sbuf_printf(b, "%s%s", k ? ", " : "", n->lines[k].text);
      return;
    }
  gdv_sbuf_printf(b, "gradviz figure");
}

/* Leaves and params listed in the description at most; the rest counted. */
#define DESC_MAX_LEAVES 40

/* What the figure computes, for screen readers, into tmp: size, output
 * and value, then the gradient of the output with respect to every input
 * and parameter ("∂C/∂x1 = −1.5"). */
static void figure_desc(svg *w) {
  gdv_sbuf *b = &w->tmp;
  const gdv_graph *g = w->g;
  gdv_sbuf_clear(b);
  gdv_sbuf_printf(b, "Computation graph of %zu nodes and %zu edges: each node's value "
                  "(forward pass) and the output's gradient with respect to it (backward pass).",
                  g ? g->n_nodes : w->s->n_nodes, g ? g->n_edges : w->s->n_edges);
  if (g == NULL || g->output == GDV_NONE) return;
  gdv_sbuf_printf(b, " The output ");
  gdv_sbuf_node_name(b, g, g->output, 0);
  gdv_sbuf_printf(b, " is ");
  fignum(w, b, g->value[g->output]);
  gdv_sbuf_printf(b, ". Its gradients:");
  size_t shown = 0, more = 0;
  for (gdv_id v = 0; v < g->n_nodes; v++) {
    if (g->role[v] != GDV_ROLE_INPUT && g->role[v] != GDV_ROLE_PARAM) continue;
    if (shown == DESC_MAX_LEAVES) { more++; continue; }
    gdv_sbuf_printf(b, "%s %s ∂C/∂", shown ? ";" : "",
                    g->role[v] == GDV_ROLE_INPUT ? "input" : "parameter");
    gdv_sbuf_node_name(b, g, v, 1);
    gdv_sbuf_printf(b, " = ");
    fignum(w, b, g->grad[v]);
    shown++;
  }
  if (more) gdv_sbuf_printf(b, "; and %zu more", more);
  gdv_sbuf_printf(b, "%s", shown ? "." : " none (no inputs or parameters).");
}

/* Per scene node: whether it stands for a collapsed group (several graph
 * nodes drawn by it); NULL when nothing is collapsed. */
static uint8_t *collapsed_nodes(const gdv_scene *s, const gdv_graph *g) {
  if (s->node_scene == NULL || g == NULL || s->n_nodes == 0) return NULL;
  uint8_t *count = calloc(s->n_nodes, 1);
  if (count == NULL) return NULL;
  for (size_t v = 0; v < g->n_nodes; v++) {
    size_t i = s->node_scene[v];
    if (i < s->n_nodes && count[i] < 2) count[i]++;
  }
  for (size_t i = 0; i < s->n_nodes; i++) count[i] = count[i] > 1;
  return count;
}

/* The root element, the figure's <title> and <desc>, the style sheet and
 * the body, in that order, into out. */
static void assemble(svg *w, gdv_sbuf *out) {
  char family[128];
  gdv_text_family(w->st, family, sizeof family);
  if (!(w->opt && w->opt->fragment))
    gdv_sbuf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  gdv_sbuf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                  "xmlns:xlink=\"http://www.w3.org/1999/xlink\" id=\"%sfigure\" width=\"",
                  w->prefix);
  num(out, w->canvas_w);
  gdv_sbuf_printf(out, "pt\" height=\"");
  num(out, w->canvas_h);
  gdv_sbuf_printf(out, "pt\" viewBox=\"0 0 ");
  num(out, w->canvas_w);
  gdv_sbuf_printf(out, " ");
  num(out, w->canvas_h);
  gdv_sbuf_printf(out, "\" role=\"img\" aria-labelledby=\"%stitle %sdesc\" font-family=\"",
                  w->prefix, w->prefix);
  esc(out, family);
  gdv_sbuf_printf(out, "\" stroke-linecap=\"round\" stroke-linejoin=\"round\" "
                  "xml:space=\"preserve\">\n<title id=\"%stitle\">", w->prefix);
  figure_title(w);
  esc(out, w->tmp.s);
  gdv_sbuf_printf(out, "</title>\n<desc id=\"%sdesc\">", w->prefix);
  figure_desc(w);
  esc(out, w->tmp.s);
  /* xml:space="preserve" keeps a text's spaces in an SVG file, but not in
   * an HTML page holding it inline: there white-space does */
  gdv_sbuf_printf(out, "</desc>\n<style>\n#%sfigure text{white-space:pre}\n%s</style>\n",
                  w->prefix, w->css.s ? w->css.s : "");
  if (w->background.a > 0) {
    char fill[64];
    colour(fill, sizeof fill, "fill", w->background);
    gdv_sbuf_printf(out, "<rect width=\"100%%\" height=\"100%%\" style=\"%s\"/>\n", fill);
  }
  if (w->scale != 1) {
    gdv_sbuf_printf(out, "<g transform=\"scale(%.6g)\">\n", w->scale);
  }
  put_bytes(out, w->body.s ? w->body.s : "", w->body.n);
  gdv_sbuf_printf(out, "%s</svg>\n", w->scale != 1 ? "</g>\n" : "");
}

/* Frees the writer's buffers and class table; 1 when the writer or one of
 * its buffers ran out of memory on the way (the document is incomplete).
 * Every text buffer is listed once, for both. */
static int svg_free(svg *w) {
  gdv_sbuf *texts[] = {&w->body,      &w->css,       &w->tmp,      &w->kept.path,
                       &w->hint_path, &w->hint_rect, &w->bulk_done};
  int failed = w->oom;
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    failed |= texts[i]->failed;
    free(texts[i]->s);
  }
  for (size_t i = 0; i < w->cap_bulk; i++) {
    failed |= w->bulk[i].failed;
    free(w->bulk[i].s);
  }
  free(w->bulk);
  free(w->bulk_count);
  for (size_t i = 0; i < w->n_classes; i++) free(w->classes[i]);
  free(w->classes);
  gdv_index_free(&w->class_index);
  free((void *)w->collapsed);
  return failed;
}

/* The drawing code runs into the sink; the document is put together once
 * it is done, since the style sheet comes first but is known last. */
gdv_status gdv_svg_write(const gdv_scene *s, const gdv_style *st, const gdv_svg_options *opt,
                         gdv_sbuf *out, gdv_error *err) {
  svg w;
  memset(&w, 0, sizeof w);
  w.s = s;
  w.st = st;
  w.opt = opt;
  w.g = opt ? opt->graph : NULL;
  w.scale = 1;
  w.kept.put = put_path;
  w.kept.w = &w;
  gdv_svg_prefix(opt && opt->id_prefix ? opt->id_prefix : NULL, w.prefix, sizeof w.prefix);
  w.collapsed = collapsed_nodes(s, w.g);
  gdv_draw_sink sink = {&w, sink_figure, sink_begin, sink_end, sink_text, sink_paint,
                        sink_image, sink_rounded};
  gdv_status status = gdv_render_to_sink(s, st, &sink, err);
  gdv_kept_fill_flush(&w.kept);
  flush_bulk(&w);
  if (!status) assemble(&w, out);
  int oom = svg_free(&w) || out->failed;
  if (!status && oom) status = gdv_error_oom(err);
  return status;
}
