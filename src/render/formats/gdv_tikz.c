/* gdv_tikz.c: the figure as a TikZ picture for LaTeX (-o FIG.tex), drawn
 * through the same drawing code as every other format (a gdv_draw_sink,
 * like the SVG writer): every shape the code fills or strokes becomes a
 * TikZ path at the planner's positions (edges keep their cubic Bezier
 * curves, boxes their rounded corners, edges their widths by gradient),
 * every line of text a node whose text is typeset by LaTeX in the
 * document's fonts, at the size the figure gives it on its page, with
 * its mathematics as mathematics (∂C/∂w11 = 0.1179 is $\partial
 * C/\partial w_{11} = 0.1179$). Colours are the style's, one
 * \definecolor each inside the picture. The file needs nothing but
 * \usepackage{tikz}: it is one tikzpicture to \input in an article, a
 * Beamer frame or the standalone class.
 *
 * The frames of --steps go into one picture as Beamer overlays: frame k
 * is drawn \only<k>, so one frame of the slides steps through the pass;
 * outside Beamer the picture shows the last frame. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_io.h"
#include "render/gdv_render_int.h"

/* One writer's state over all the frames of one picture. */
/* One part (the title, an edge, a node, an item, the legend) as drawn
 * in frames first..last (1-based), unchanged between them. */
typedef struct version {
  int rank;                  /* the drawing's order: title, edges, nodes, items, legend */
  int top;                   /* an emphasised edge, drawn over the others */
  size_t index;              /* the part's index (scene edge, node, item) */
  size_t first, last;
  char *text;
} version;

struct gdv_tikz {
  gdv_sbuf body;             /* the frame being drawn */
  gdv_sbuf head;             /* \definecolor lines, in order of first use */
  gdv_sbuf tmp, hint_path, hint_rect;
  uint32_t *colours;         /* 0xRRGGBB, index = colour name number */
  size_t n_colours, cap_colours;
  gdv_kept_fill kept;        /* a filled shape waiting for its stroke */
  double canvas_w, canvas_h, scale;
  gdv_rgba background;
  int part;                  /* the part being drawn (gdv_part) */
  size_t frames;             /* frames drawn so far */
  int oom;
  char *comment;             /* the file's first line, what it shows */
  const gdv_scene *scene;    /* the frame being drawn (its ids for comments) */
  size_t part_start;         /* where the part being drawn starts in body */
  size_t part_index;
  version *versions;         /* every part's versions, in order made */
  size_t n_versions, cap_versions;
  size_t *open;              /* per part key: its latest version + 1, 0 none */
  size_t n_keys;
};

/* A length in points with at most two decimals, no trailing zeros. */
static void num(gdv_sbuf *b, double x) {
  char t[48];
  if (!isfinite(x)) x = 0;
  snprintf(t, sizeof t, "%.2f", x);
  char *dot = strchr(t, '.');
  char *end = t + strlen(t) - 1;
  while (end > dot && *end == '0') *end-- = '\0';
  if (end == dot) *end = '\0';
  gdv_sbuf_printf(b, "%s", strcmp(t, "-0") == 0 ? "0" : t);
}

/* A figure point as the picture's (y up, the page's scale). */
static void point(gdv_tikz *w, gdv_sbuf *b, double x, double y) {
  gdv_sbuf_printf(b, "(");
  num(b, x * w->scale);
  gdv_sbuf_printf(b, ",");
  num(b, w->canvas_h - y * w->scale);
  gdv_sbuf_printf(b, ")");
}

/* The name of a colour (gdvcN), defined on first use. */
static size_t colour_name(gdv_tikz *w, gdv_rgba c) {
  uint32_t rgb = (uint32_t)lround(fmin(fmax(c.r, 0), 1) * 255) << 16 |
                 (uint32_t)lround(fmin(fmax(c.g, 0), 1) * 255) << 8 |
                 (uint32_t)lround(fmin(fmax(c.b, 0), 1) * 255);
  for (size_t i = 0; i < w->n_colours; i++)
    if (w->colours[i] == rgb) return i;
  if (w->n_colours == w->cap_colours) {
    size_t n = w->cap_colours ? 2 * w->cap_colours : 32;
    uint32_t *t = realloc(w->colours, n * sizeof *t);
    if (t == NULL) { w->oom = 1; return 0; }
    w->colours = t;
    w->cap_colours = n;
  }
  w->colours[w->n_colours] = rgb;
  gdv_sbuf_printf(&w->head, "\\definecolor{gdvc%zu}{HTML}{%06X}\n", w->n_colours, rgb);
  return w->n_colours++;
}

/* "gdvcN" and, when not opaque, its opacity option. */
static void colour_option(gdv_tikz *w, gdv_sbuf *b, const char *what, gdv_rgba c) {
  gdv_sbuf_printf(b, "%s=gdvc%zu", what, colour_name(w, c));
  if (c.a < 1) {
    gdv_sbuf_printf(b, ",%s opacity=", strcmp(what, "fill") == 0 ? "fill" : "draw");
    num(b, c.a);
  }
}

/* ------------------------------------------------------------------ */
/* Text as LaTeX: words in the document's text font, mathematics in its
 * math fonts                                                          */

/* Names written as Greek letters ($\lambda$) and functions with their
 * own LaTeX operator ($\tanh$). */
static const char *const greek[] = {
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
  "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
  "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega"};
static const char *const operators[] = {"tanh", "exp", "log", "sin", "cos", "max", "min"};

/* Whether the n letters at p are one of names. */
static int one_of(const char *p, size_t n, const char *const *names, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0) return 1;
  return 0;
}

/* UTF-8 characters the figures draw, as LaTeX mathematics (Greek letters
 * are greek_math's). */
static const struct { const char *utf8, *math; } math_chars[] = {
  /* calculus */
  {"\xE2\x88\x82", "\\partial "}, {"\xE2\x88\x87", "\\nabla "}, {"\xE2\x88\x91", "\\sum "},
  {"\xE2\x88\x9E", "\\infty "}, {"\xE2\x88\x9A", "\\surd "},
  /* operators */
  {"\xE2\x88\x92", "-"}, {"\xC3\x97", "\\times "}, {"\xC2\xB7", "\\cdot "}, {"\xC3\xB7", "\\div "},
  {"\xC2\xB1", "\\pm "}, {"\xE2\x9C\x97", "\\times "}, {"\xC2\xBD", "{\\textstyle\\frac12}"},
  /* relations */
  {"\xE2\x89\xA4", "\\le "}, {"\xE2\x89\xA5", "\\ge "}, {"\xE2\x89\x88", "\\approx "},
  {"\xE2\x89\xA0", "\\ne "}, {"\xE2\x88\x88", "\\in "}, {"\xE2\x86\x92", "\\to "},
  /* punctuation */
  {"\xE2\x80\xA6", "\\ldots "}, {"\xE2\x8B\xAF", "\\cdots "}, {"\xE2\x80\x94", "\\mbox{---}"},
  {"\xE2\x80\x93", "\\mbox{--}"}, {"\xE2\x80\x96", "\\| "}, {"\xE2\x80\xB2", "'"}};

/* The Greek letters U+0391..U+03C9 by code point: capitals that look
 * Latin are Latin, the accented ones between (and U+03A2) are NULL. */
#define GREEK_FIRST 0x391
static const char *const greek_math[] = {
  "A", "B", "\\Gamma ", "\\Delta ", "E", "Z", "H", "\\Theta ", "I", "K", "\\Lambda ", "M", "N",
  "\\Xi ", "O", "\\Pi ", "P", NULL, "\\Sigma ", "T", "\\Upsilon ", "\\Phi ", "X", "\\Psi ",
  "\\Omega ", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  "\\alpha ", "\\beta ", "\\gamma ", "\\delta ", "\\epsilon ", "\\zeta ", "\\eta ", "\\theta ",
  "\\iota ", "\\kappa ", "\\lambda ", "\\mu ", "\\nu ", "\\xi ", "o", "\\pi ", "\\rho ",
  "\\varsigma ", "\\sigma ", "\\tau ", "\\upsilon ", "\\phi ", "\\chi ", "\\psi ", "\\omega "};

/* The LaTeX of the two-byte character at p when it is a Greek letter, or
 * NULL. */
static const char *greek_letter(const unsigned char *p) {
  if ((p[0] != 0xCE && p[0] != 0xCF) || (p[1] & 0xC0) != 0x80) return NULL;
  unsigned cp = ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
  if (cp < GREEK_FIRST || cp >= GREEK_FIRST + sizeof greek_math / sizeof *greek_math) return NULL;
  return greek_math[cp - GREEK_FIRST];
}

/* Superscript and subscript digits and signs: ⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ and ₀..₉. */
static int script_char(const unsigned char *p, size_t *len, char *out, int *sub) {
  for (int d = 0; d < 10; d++) {
    size_t n = strlen(gdv_superscript_digit[d]);
    if (strncmp((const char *)p, gdv_superscript_digit[d], n) == 0) { *len = n; *out = (char)('0' + d); *sub = 0; return 1; }
  }
  if (strncmp((const char *)p, "\xE2\x81\xBB", 3) == 0) { *len = 3; *out = '-'; *sub = 0; return 1; }
  if (strncmp((const char *)p, "\xE2\x81\xBA", 3) == 0) { *len = 3; *out = '+'; *sub = 0; return 1; }
  if (p[0] == 0xE2 && p[1] == 0x82 && p[2] >= 0x80 && p[2] <= 0x89) {
    *len = 3;
    *out = (char)('0' + (p[2] - 0x80));
    *sub = 1;
    return 1;
  }
  return 0;
}

/* The length of the UTF-8 character at p (1 for a stray byte). */
static size_t char_len(const unsigned char *p) {
  size_t n = gdv_utf8_seq(p, p + strnlen((const char *)p, 4));
  return n ? n : 1;
}

/* A Latin-1 letter (U+00C0..U+00FF but × ÷ and the letters OT1 lacks):
 * LaTeX's UTF-8 input reads it in any text font. */
static int latin_letter(const unsigned char *p) {
  if (p[0] != 0xC3 || p[1] < 0x80 || p[1] > 0xBF) return 0;
  unsigned cp = 0xC0 + (p[1] - 0x80);
  return cp != 0xD7 && cp != 0xF7 && cp != 0xD0 && cp != 0xDE && cp != 0xF0 && cp != 0xFE;
}

/* ASCII letters and digits. */
static int is_letter(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* A name in mathematics: Greek names as Greek letters, LaTeX's own
 * operators as such, one letter in italics, several upright; digits after
 * it (w11) or what follows a '_' (w_ij) is its index. *pp moves past it. */
static void math_name(gdv_sbuf *b, const unsigned char **pp, const unsigned char *end) {
  const unsigned char *p = *pp, *s = p;
  while (p < end && is_letter(*p)) p++;
  size_t len = (size_t)(p - s);
  const char *name = (const char *)s;
  if (one_of(name, len, greek, sizeof greek / sizeof *greek) ||
      one_of(name, len, operators, sizeof operators / sizeof *operators))
    gdv_sbuf_printf(b, "\\%.*s ", (int)len, name);
  else if (len == 1)
    gdv_sbuf_printf(b, "%c", *name);
  else
    gdv_sbuf_printf(b, "\\mathrm{%.*s}", (int)len, name);
  const unsigned char *d = p;
  if (p < end && is_digit(*p)) {
    while (p < end && is_digit(*p)) p++;
  } else if (p + 1 < end && *p == '_' && (is_letter(p[1]) || is_digit(p[1]))) {
    d = ++p;
    while (p < end && (is_letter(*p) || is_digit(*p))) p++;
  }
  if (p > d) gdv_sbuf_printf(b, "_{%.*s}", (int)(p - d), (const char *)d);
  *pp = p;
}

/* An ASCII character in mathematics (LaTeX's special ones escaped). */
static void math_ascii(gdv_sbuf *b, unsigned char c) {
  switch (c) {
  case '#': case '$': case '%': case '&': case '{': case '}': case '_':
    gdv_sbuf_printf(b, "\\%c", c); break;
  case '\\': gdv_sbuf_printf(b, "\\backslash "); break;
  case '~': gdv_sbuf_printf(b, "\\sim "); break;
  case '*': gdv_sbuf_printf(b, "\\ast "); break;
  case '"': gdv_sbuf_printf(b, "''"); break;
  case '^': gdv_sbuf_printf(b, "\\wedge "); break;
  default:
    if (c >= 0x20 && c < 0x7F) gdv_sbuf_printf(b, "%c", c);
  }
}

/* Appends text (n bytes) as LaTeX mathematics: w11 is w_{11}, ∂ \partial,
 * ⁻⁵ ^{-5}, x^2 x^{2}, a space between two words kept; a character it
 * cannot write (a script LaTeX's fonts lack) is '?'. */
static void math_text(gdv_sbuf *b, const char *text, size_t n) {
  const unsigned char *p = (const unsigned char *)text, *end = p + n;
  int last_word = 0;   /* the last token was a name or a number */
  while (p < end) {
    if (*p == ' ') {
      while (p < end && *p == ' ') p++;
      if (last_word && p < end && (is_letter(*p) || is_digit(*p))) gdv_sbuf_printf(b, "\\ ");
      continue;
    }
    int word = is_letter(*p) || is_digit(*p);
    if (is_letter(*p)) {
      math_name(b, &p, end);
    } else if (is_digit(*p)) {
      const unsigned char *s = p;
      while (p < end && (is_digit(*p) || (*p == '.' && p + 1 < end && is_digit(p[1])))) p++;
      gdv_sbuf_printf(b, "%.*s", (int)(p - s), (const char *)s);
    } else if (*p == '^' && p + 1 < end && (is_letter(p[1]) || is_digit(p[1]))) {
      const unsigned char *s = ++p;
      while (p < end && (is_letter(*p) || is_digit(*p))) p++;
      gdv_sbuf_printf(b, "{}^{%.*s}", (int)(p - s), (const char *)s);
    } else if (*p < 0x80) {
      math_ascii(b, *p++);
    } else {
      char script[32], c;
      size_t k = 0, len;
      int sub = 0, kind = -1;
      while (p < end && k + 1 < sizeof script && script_char(p, &len, &c, &sub) &&
             (kind < 0 || kind == sub)) {
        kind = sub;
        script[k++] = c;
        p += len;
      }
      if (k) {
        gdv_sbuf_printf(b, "%s{%.*s}", kind ? "_" : "^", (int)k, script);
        last_word = 0;
        continue;
      }
      len = char_len(p);
      size_t m = 0, count = sizeof math_chars / sizeof *math_chars;
      while (m < count && !(strlen(math_chars[m].utf8) == len && memcmp(p, math_chars[m].utf8, len) == 0)) m++;
      const char *letter = len == 2 ? greek_letter(p) : NULL;
      if (m < count) gdv_sbuf_printf(b, "%s", math_chars[m].math);
      else if (letter) gdv_sbuf_printf(b, "%s", letter);
      else if (latin_letter(p)) gdv_sbuf_printf(b, "\\mbox{%.*s}", (int)len, (const char *)p);
      else gdv_sbuf_printf(b, "?");
      p += len;
    }
    last_word = word;
  }
}

/* Appends a word of prose in the text font, LaTeX's specials escaped. */
static void prose_text(gdv_sbuf *b, const char *text, size_t n) {
  const unsigned char *p = (const unsigned char *)text, *end = p + n;
  while (p < end) {
    if (*p < 0x80) {
      switch (*p) {
      case '#': case '$': case '%': case '&': case '{': case '}': case '_':
        gdv_sbuf_printf(b, "\\%c", *p); break;
      case '\\': gdv_sbuf_printf(b, "\\textbackslash{}"); break;
      case '~': gdv_sbuf_printf(b, "\\textasciitilde{}"); break;
      case '^': gdv_sbuf_printf(b, "\\textasciicircum{}"); break;
      case '<': case '>': case '|': gdv_sbuf_printf(b, "$%c$", *p); break;
      case '"': gdv_sbuf_printf(b, "''"); break;
      default:
        if (*p >= 0x20 && *p < 0x7F) gdv_sbuf_printf(b, "%c", *p);
      }
      p++;
      continue;
    }
    size_t len = char_len(p);
    if (latin_letter(p)) gdv_sbuf_printf(b, "%.*s", (int)len, (const char *)p);
    else if (len == 3 && memcmp(p, "\xE2\x80\x94", 3) == 0) gdv_sbuf_printf(b, "---");
    else if (len == 3 && memcmp(p, "\xE2\x80\x93", 3) == 0) gdv_sbuf_printf(b, "--");
    else {
      gdv_sbuf_printf(b, "$");
      math_text(b, (const char *)p, len);
      gdv_sbuf_printf(b, "$");
    }
    p += len;
  }
}

/* Whether a word (n bytes, no space) reads as prose: letters only (two
 * or more, or a dash), not a Greek name or an operator, with at most an
 * opening parenthesis before and punctuation after. */
static int prose_word(const char *w, size_t n) {
  const unsigned char *p = (const unsigned char *)w, *end = p + n;
  if ((n == 3 && memcmp(w, "\xE2\x80\x94", 3) == 0) || (n == 3 && memcmp(w, "\xE2\x80\x93", 3) == 0))
    return 1;
  if (p < end && *p == '(') p++;
  while (end > p && strchr(",.:;!?)", end[-1])) end--;
  const unsigned char *s = p;
  size_t letters = 0;
  while (p < end) {
    if (is_letter(*p) || *p == '-' || *p == '\'') { p++; letters++; continue; }
    if (latin_letter(p)) { p += 2; letters++; continue; }
    return 0;
  }
  if (letters < 2) return 0;
  size_t len = (size_t)(end - s);
  return !one_of((const char *)s, len, greek, sizeof greek / sizeof *greek) &&
         !one_of((const char *)s, len, operators, sizeof operators / sizeof *operators);
}

/* Whether a word is an operator of a formula alone (= + − / · × ...):
 * a name beside one is a variable of the formula, not a word of prose
 * ("sd" in γ · d1 / sd + β). */
static int operator_word(const char *w, size_t n) {
  static const char *const ops[] = {"=", "+", "-", "/", "*", "^", "<", ">", "|",
                                    "\xE2\x88\x92", "\xC2\xB7", "\xC3\x97", "\xC3\xB7",
                                    "\xE2\x89\xA4", "\xE2\x89\xA5", "\xE2\x86\x92"};
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (strlen(ops[i]) == n && memcmp(w, ops[i], n) == 0) return 1;
  return 0;
}

/* The words of a line (runs without spaces), at most `max`. */
static size_t split_words(const char *text, const char **start, size_t *len, size_t max) {
  size_t k = 0;
  for (const char *p = text; *p && k < max;) {
    while (*p == ' ') p++;
    if (!*p) break;
    start[k] = p;
    while (*p && *p != ' ') p++;
    len[k] = (size_t)(p - start[k]);
    k++;
  }
  return k;
}

/* Appends a line of the figure as LaTeX: its words that read as prose in
 * the text font, the runs of the others as one formula each ("value
 * $0.7071$", "step 3 of 13 --- backward: $\partial C/\partial n = 0.5$");
 * a formula's closing ':' or ',' stays outside it. */
static void tex_line(gdv_sbuf *b, const char *text) {
  size_t max = 1;
  for (const char *p = text; *p; p++) max += *p == ' ';
  const char **start = malloc(max * sizeof *start);
  size_t *len = malloc(max * sizeof *len);
  uint8_t *prose = malloc(max);
  if (start == NULL || len == NULL || prose == NULL) {
    b->failed = 1;
    free(start);
    free(len);
    free(prose);
    return;
  }
  size_t n = split_words(text, start, len, max);
  for (size_t i = 0; i < n; i++) prose[i] = (uint8_t)prose_word(start[i], len[i]);
  for (size_t i = 0; i < n; i++) {
    /* a name beside an operator is a variable */
    if (prose[i] && ((i > 0 && operator_word(start[i - 1], len[i - 1])) ||
                     (i + 1 < n && operator_word(start[i + 1], len[i + 1]))))
      prose[i] = 0;
    /* "a" before a word of prose is the article, not a variable */
    if (!prose[i] && len[i] == 1 && (*start[i] == 'a' || *start[i] == 'A') && i + 1 < n &&
        prose_word(start[i + 1], len[i + 1]) && (i == 0 || prose[i - 1]))
      prose[i] = 1;
  }
  int in_math = 0, last_alnum = 0;
  for (size_t i = 0; i < n; i++) {
    const char *w = start[i];
    size_t m = len[i], tail = 0;
    if (!prose[i] && m > 1 && (w[m - 1] == ':' || w[m - 1] == ',' || w[m - 1] == ';')) tail = 1;
    if (prose[i]) {
      if (in_math) gdv_sbuf_printf(b, "$");
      if (i) gdv_sbuf_printf(b, " ");
      prose_text(b, w, m);
      in_math = 0;
      continue;
    }
    if (!in_math) gdv_sbuf_printf(b, "%s$", i ? " " : "");
    else gdv_sbuf_printf(b, last_alnum && (is_letter((unsigned char)*w) ||
                                           is_digit((unsigned char)*w)) ? "\\ " : " ");
    math_text(b, w, m - tail);
    last_alnum = m > tail && (is_letter((unsigned char)w[m - tail - 1]) ||
                              is_digit((unsigned char)w[m - tail - 1]));
    in_math = 1;
    if (tail) {
      gdv_sbuf_printf(b, "$%c", w[m - 1]);
      in_math = 0;
    }
  }
  if (in_math) gdv_sbuf_printf(b, "$");
  free(start);
  free(len);
  free(prose);
}

/* ------------------------------------------------------------------ */
/* Shapes                                                              */

/* cr's current path as TikZ path operations into out, in the picture's
 * coordinates: "(x,y) -- (x,y) .. controls (a,b) and (c,d) .. (x,y)". */
static void path_ops(gdv_tikz *w, cairo_t *cr, gdv_sbuf *out) {
  gdv_sbuf_clear(out);
  cairo_path_t *p = cairo_copy_path(cr);
  if (p == NULL) return;
  for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
    cairo_path_data_t *d = &p->data[i];
    int type = d->header.type;
    /* Cairo starts a new subpath after each close: a last lone move draws nothing */
    if (type == CAIRO_PATH_MOVE_TO && i + d->header.length >= p->num_data) break;
    if (out->n) gdv_sbuf_printf(out, " ");
    if (type == CAIRO_PATH_CLOSE_PATH) {
      gdv_sbuf_printf(out, "-- cycle");
    } else if (type == CAIRO_PATH_CURVE_TO) {
      gdv_sbuf_printf(out, ".. controls ");
      point(w, out, d[1].point.x, d[1].point.y);
      gdv_sbuf_printf(out, " and ");
      point(w, out, d[2].point.x, d[2].point.y);
      gdv_sbuf_printf(out, " .. ");
      point(w, out, d[3].point.x, d[3].point.y);
    } else {
      if (type == CAIRO_PATH_LINE_TO) gdv_sbuf_printf(out, "-- ");
      point(w, out, d[1].point.x, d[1].point.y);
    }
  }
  cairo_path_destroy(p);
}

/* The drawing code just made cr's path a rounded box: kept as a hint, so
 * the shape painted next, if it is this path, is written as a rectangle
 * with rounded corners. */
static void sink_rounded(void *ctx, cairo_t *cr, double x, double y, double wd, double ht,
                         double r) {
  gdv_tikz *w = ctx;
  path_ops(w, cr, &w->hint_path);
  gdv_sbuf_clear(&w->hint_rect);
  gdv_sbuf_printf(&w->hint_rect, "rounded corners=");
  num(&w->hint_rect, r * w->scale);
  gdv_sbuf_printf(&w->hint_rect, "] ");
  point(w, &w->hint_rect, x, y + ht);
  gdv_sbuf_printf(&w->hint_rect, " rectangle ");
  point(w, &w->hint_rect, x + wd, y);
}

/* The shape of cr's path into tmp as "OPTIONS] PATH": the rounded box
 * hinted, else its path with no option. */
static void shape(gdv_tikz *w, cairo_t *cr) {
  path_ops(w, cr, &w->tmp);
  if (w->tmp.n && w->hint_path.n == w->tmp.n && strcmp(w->tmp.s, w->hint_path.s) == 0) {
    gdv_sbuf_clear(&w->tmp);
    gdv_sbuf_printf(&w->tmp, "%s", w->hint_rect.s);
  } else if (w->tmp.n) {
    gdv_sbuf_clear(&w->hint_path);
    gdv_sbuf_printf(&w->hint_path, "] %s", w->tmp.s);
    gdv_sbuf_clear(&w->tmp);
    gdv_sbuf_printf(&w->tmp, "%s", w->hint_path.s);
    gdv_sbuf_clear(&w->hint_path);
  }
}

/* Writes one shape ("OPTIONS] PATH") filled, stroked with cr's pen, or
 * both. */
static void put_shape(void *ctx, const char *shp, const gdv_rgba *fill, cairo_t *cr,
                      const gdv_rgba *stroke) {
  gdv_tikz *w = ctx;
  gdv_sbuf *b = &w->body;
  gdv_sbuf_printf(b, "\\%s[", fill && stroke ? "filldraw" : fill ? "fill" : "draw");
  if (fill) colour_option(w, b, "fill", *fill);
  if (stroke) {
    gdv_sbuf_printf(b, "%s", fill ? "," : "");
    colour_option(w, b, "draw", *stroke);
    gdv_sbuf_printf(b, ",line width=");
    num(b, cairo_get_line_width(cr) * w->scale);
    if (cairo_get_dash_count(cr) == 2) {
      double dash[2], off;
      cairo_get_dash(cr, dash, &off);
      gdv_sbuf_printf(b, ",dash pattern=on ");
      num(b, dash[0] * w->scale);
      gdv_sbuf_printf(b, "pt off ");
      num(b, dash[1] * w->scale);
      gdv_sbuf_printf(b, "pt");
    }
  }
  if (shp[0] != ']') gdv_sbuf_printf(b, ",");
  gdv_sbuf_printf(b, "%s;\n", shp);
}

/* A fill is kept until the next shape: a box is filled, then the same
 * path stroked, and one \filldraw does both. */
static void sink_paint(void *ctx, cairo_t *cr, int stroke) {
  gdv_tikz *w = ctx;
  shape(w, cr);
  if (w->tmp.n) gdv_kept_fill_paint(&w->kept, cr, stroke, w->tmp.s);
}

/* A line of text on its baseline, centred where the figure centres it
 * (the legend's texts start at their left end), in the document's fonts
 * at the size the page gives it, never wider than the figure measured it
 * (\gdvt scales it down to that width, so a wider font never runs into
 * its neighbour). pgf's \pgftext, not a TikZ node: a figure's hundred
 * texts typeset in half the time. */
static void sink_text(void *ctx, int kind, int bold, double size, const char *text, double x,
                      double baseline, double width, gdv_rgba c) {
  gdv_tikz *w = ctx;
  (void)kind;
  gdv_kept_fill_flush(&w->kept);
  gdv_sbuf *b = &w->body;
  int left = w->part == GDV_PART_LEGEND;
  gdv_sbuf_printf(b, "\\gdvt{%s}{gdvc%zu}{", left ? "base,left" : "base", colour_name(w, c));
  num(b, (left ? x : x + width / 2) * w->scale);
  gdv_sbuf_printf(b, "}{");
  num(b, w->canvas_h - baseline * w->scale);
  gdv_sbuf_printf(b, "}{");
  num(b, width * w->scale);
  gdv_sbuf_printf(b, "}{\\fontsize{");
  num(b, size * w->scale);
  gdv_sbuf_printf(b, "}{");
  num(b, 1.2 * size * w->scale);
  gdv_sbuf_printf(b, "}\\selectfont%s}{", bold ? "\\bfseries\\boldmath" : "");
  tex_line(b, text);
  gdv_sbuf_printf(b, "}\n");
}

/* A picture: a filled square a pixel. */
static void sink_image(void *ctx, double x, double y, double wd, double ht, size_t px_w,
                       size_t px_h, const gdv_rgba *px) {
  gdv_tikz *w = ctx;
  gdv_kept_fill_flush(&w->kept);
  double pw = wd / (double)px_w, ph = ht / (double)px_h;
  for (size_t r = 0; r < px_h; r++)
    for (size_t c = 0; c < px_w; c++) {
      gdv_sbuf_printf(&w->body, "\\fill[gdvc%zu] ", colour_name(w, px[r * px_w + c]));
      point(w, &w->body, x + (double)c * pw, y + (double)(r + 1) * ph);
      gdv_sbuf_printf(&w->body, " rectangle ");
      point(w, &w->body, x + (double)(c + 1) * pw, y + (double)r * ph);
      gdv_sbuf_printf(&w->body, ";\n");
    }
}

/* The page's size and the figure's scale on it. */
static void sink_figure(void *ctx, double canvas_w, double canvas_h, double scale, gdv_rgba bg) {
  gdv_tikz *w = ctx;
  if (w->frames == 0) {
    w->canvas_w = canvas_w;
    w->canvas_h = canvas_h;
    w->background = bg;
  }
  w->scale = scale;
}

/* What a comment may hold of a name: one line. */
static void comment_text(gdv_sbuf *b, const char *s) {
  for (; s && *s; s++) gdv_sbuf_printf(b, "%c", (unsigned char)*s < 0x20 ? ' ' : *s);
}

/* A comment before each node and edge, naming it. */
static void sink_begin(void *ctx, gdv_part part, size_t index) {
  gdv_tikz *w = ctx;
  gdv_kept_fill_flush(&w->kept);
  w->part = part;
  w->part_index = index;
  w->part_start = w->body.n;
  const gdv_scene *s = w->scene;
  if (part == GDV_PART_NODE && s && index < s->n_nodes && s->nodes[index].id) {
    gdv_sbuf_printf(&w->body, "%% node ");
    comment_text(&w->body, s->nodes[index].id);
    gdv_sbuf_printf(&w->body, "\n");
  } else if (part == GDV_PART_EDGE && s && index < s->n_edges) {
    const gdv_scene_edge *e = &s->edges[index];
    gdv_sbuf_printf(&w->body, "%% edge ");
    comment_text(&w->body, s->nodes[e->from].id ? s->nodes[e->from].id : "?");
    gdv_sbuf_printf(&w->body, " -> ");
    comment_text(&w->body, s->nodes[e->to].id ? s->nodes[e->to].id : "?");
    gdv_sbuf_printf(&w->body, "\n");
  } else if (part == GDV_PART_TITLE || part == GDV_PART_LEGEND) {
    gdv_sbuf_printf(&w->body, "%% %s\n", part == GDV_PART_TITLE ? "title" : "legend");
  }
}

/* The part's key among all parts of a frame (title, edges, nodes,
 * items, legend), or SIZE_MAX when out of range. */
static size_t part_key(const gdv_tikz *w, int part, size_t index) {
  const gdv_scene *s = w->scene;
  switch (part) {
  case GDV_PART_TITLE: return 0;
  case GDV_PART_EDGE: return index < s->n_edges ? 1 + index : SIZE_MAX;
  case GDV_PART_NODE: return index < s->n_nodes ? 1 + s->n_edges + index : SIZE_MAX;
  case GDV_PART_ITEM:
    return index < s->n_items ? 1 + s->n_edges + s->n_nodes + index : SIZE_MAX;
  default: return 1 + s->n_edges + s->n_nodes + s->n_items;
  }
}

/* Ends a part: what it drew in this frame extends its version of the
 * frame before when it is the same, else starts a new one. */
static void sink_end(void *ctx, gdv_part part, size_t index) {
  gdv_tikz *w = ctx;
  (void)index;
  gdv_kept_fill_flush(&w->kept);
  size_t key = part_key(w, part, w->part_index);
  const char *text = w->body.s ? w->body.s + w->part_start : "";
  size_t len = w->body.n - w->part_start, frame = w->frames + 1;
  if (w->body.failed) { w->oom = 1; return; }
  if (key >= w->n_keys) { w->body.n = w->part_start; return; }
  size_t v = w->open[key];
  if (v && w->versions[v - 1].last + 1 == frame && strlen(w->versions[v - 1].text) == len &&
      memcmp(w->versions[v - 1].text, text, len) == 0) {
    w->versions[v - 1].last = frame;
  } else {
    if (w->n_versions == w->cap_versions) {
      size_t n = w->cap_versions ? 2 * w->cap_versions : 64;
      version *t = realloc(w->versions, n * sizeof *t);
      if (t == NULL) { w->oom = 1; return; }
      w->versions = t;
      w->cap_versions = n;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL) { w->oom = 1; return; }
    memcpy(copy, text, len);
    copy[len] = '\0';
    int top = part == GDV_PART_EDGE &&
              (w->scene->edges[w->part_index].flags & (GDV_EDGE_ON_PATH | GDV_EDGE_HIGHLIGHT));
    w->versions[w->n_versions++] = (version){(int)part, top, w->part_index, frame, frame, copy};
    w->open[key] = w->n_versions;
  }
  w->body.n = w->part_start;
}

/* ------------------------------------------------------------------ */
/* The picture                                                         */

/* See gdv_render_int.h. */
gdv_tikz *gdv_tikz_new(const char *comment) {
  gdv_tikz *w = calloc(1, sizeof *w);
  if (w == NULL) return NULL;
  w->kept.put = put_shape;
  w->kept.w = w;
  if (comment && (w->comment = strdup(comment)) == NULL) {
    free(w);
    return NULL;
  }
  return w;
}

/* Draws a laid-out scene as the picture's next frame. Every frame of one
 * picture is one scene changed (the same parts) and has the first one's
 * size; a part drawn alike in consecutive frames is kept once. */
gdv_status gdv_tikz_frame(gdv_tikz *w, const gdv_scene *s, const gdv_style *st,
                          gdv_error *err) {
  gdv_draw_sink sink = {w, sink_figure, sink_begin, sink_end, sink_text, sink_paint,
                        sink_image, sink_rounded};
  size_t keys = s->n_edges + s->n_nodes + s->n_items + 2;
  if (w->open == NULL) {
    if ((w->open = calloc(keys, sizeof *w->open)) == NULL)
      return gdv_error_oom(err);
    w->n_keys = keys;
  }
  if (keys != w->n_keys)
    return gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "TikZ: frames of different figures");
  w->scene = s;
  gdv_sbuf_clear(&w->body);
  gdv_sbuf_clear(&w->hint_path);
  gdv_status st2 = gdv_render_to_sink(s, st, &sink, err);
  w->scene = NULL;
  gdv_kept_fill_flush(&w->kept);
  w->frames++;
  return st2;
}

/* The drawing's order: parts by kind, emphasised edges over the others,
 * then by index and frame. */
static int by_order(const void *a, const void *b) {
  const version *x = a, *y = b;
  if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
  if (x->top != y->top) return x->top < y->top ? -1 : 1;
  if (x->index != y->index) return x->index < y->index ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

/* Every version in the drawing's order; one not in every frame inside
 * \gdvstep{FIRST}{LAST}{...}. */
static void put_versions(gdv_tikz *w, gdv_sbuf *out) {
  qsort(w->versions, w->n_versions, sizeof *w->versions, by_order);
  for (size_t i = 0; i < w->n_versions; i++) {
    const version *v = &w->versions[i];
    int all = v->first == 1 && v->last == w->frames;
    if (!all) gdv_sbuf_printf(out, "\\gdvstep{%zu}{%zu}{%%\n", v->first, v->last);
    gdv_sbuf_printf(out, "%s", v->text);
    if (!all) gdv_sbuf_printf(out, "}%%\n");
  }
}

/* Writes the picture: a comment saying what it is, the colours, the
 * overlay command when there are overlays, the bounding box and page
 * background, then the drawing. */
gdv_status gdv_tikz_finish(gdv_tikz *w, FILE *f, int overlays, gdv_error *err) {
  gdv_sbuf out = {0};
  if (w->comment) {
    gdv_sbuf_printf(&out, "%% ");
    comment_text(&out, w->comment);
    gdv_sbuf_printf(&out, "\n");
  }
  gdv_sbuf_printf(&out, "%% A TikZ picture: needs \\usepackage{tikz} alone; \\input it in a "
                  "document, a Beamer frame or the standalone class.\n");
  if (overlays)
    gdv_sbuf_printf(&out, "%% %zu steps as Beamer overlays (\\only<1> to \\only<%zu>): one "
                    "frame steps through them; elsewhere the last step is drawn.\n",
                    w->frames, w->frames);
  gdv_sbuf_printf(&out, "\\begin{tikzpicture}[x=1pt,y=1pt,line cap=round,line join=round]\n");
  gdv_rgba bg = w->background;
  int page_colour = bg.a > 0 && !(bg.r >= 1 && bg.g >= 1 && bg.b >= 1);
  if (page_colour) colour_name(w, bg);
  gdv_sbuf_printf(&out, "%s", w->head.s ? w->head.s : "");
  /* \gdvt{ANCHOR}{COLOUR}{X}{Y}{WIDTH}{FONT}{TEXT}: a line of text at
   * most WIDTH points wide */
  gdv_sbuf_printf(&out, "\\def\\gdvt#1#2#3#4#5#6#7{\\setbox0\\hbox{\\pgfinterruptpicture"
                  "\\color{#2}#6#7\\endpgfinterruptpicture}\\ifdim\\wd0>#5pt\\pgfmathsetmacro"
                  "\\gdvs{#5/\\the\\wd0}\\else\\def\\gdvs{1}\\fi\\begin{pgfscope}"
                  "\\pgftransformshift{\\pgfpoint{#3pt}{#4pt}}\\pgftransformscale{\\gdvs}"
                  "\\pgftext[#1]{\\box0}\\end{pgfscope}}\n");
  /* \gdvstep{FIRST}{LAST}{...}: drawn on the slides of steps FIRST to
   * LAST (Beamer), or when LAST is the last step (elsewhere) */
  if (w->frames > 1)
    gdv_sbuf_printf(&out, "\\ifx\\only\\undefined\\def\\gdvstep#1#2#3{\\ifnum#2=%zu\\relax#3\\fi}"
                    "\\else\\def\\gdvstep#1#2{\\only<#1-#2>}\\fi\n", w->frames);
  gdv_sbuf_printf(&out, "\\useasboundingbox (0,0) rectangle (");
  num(&out, w->canvas_w);
  gdv_sbuf_printf(&out, ",");
  num(&out, w->canvas_h);
  gdv_sbuf_printf(&out, ");\n");
  if (page_colour) {
    gdv_sbuf_printf(&out, "\\fill[gdvc%zu] (0,0) rectangle (", colour_name(w, bg));
    num(&out, w->canvas_w);
    gdv_sbuf_printf(&out, ",");
    num(&out, w->canvas_h);
    gdv_sbuf_printf(&out, ");\n");
  }
  put_versions(w, &out);
  gdv_sbuf_printf(&out, "\\end{tikzpicture}\n");
  gdv_status st = GDV_OK;
  int oom = w->oom || out.failed || w->body.failed || w->head.failed || w->tmp.failed ||
            w->kept.path.failed || w->hint_path.failed || w->hint_rect.failed;
  if (oom) st = gdv_error_oom(err);
  else if (fwrite(out.s, 1, out.n, f) != out.n)
    st = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "cannot write the TikZ picture");
  free(out.s);
  return st;
}

/* Frees the writer. */
void gdv_tikz_free(gdv_tikz *w) {
  if (w == NULL) return;
  free(w->body.s);
  free(w->head.s);
  free(w->tmp.s);
  free(w->kept.path.s);
  free(w->hint_path.s);
  free(w->hint_rect.s);
  free(w->colours);
  free(w->comment);
  for (size_t i = 0; i < w->n_versions; i++) free(w->versions[i].text);
  free(w->versions);
  free(w->open);
  free(w);
}
