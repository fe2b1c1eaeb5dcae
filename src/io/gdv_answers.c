/* gdv_answers.c: worksheet items by name, and a student's answers read
 * from CSV or JSON (gdv_answers.h). Both readers are loops over the text,
 * one record at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/gdv_answers.h"
#include "io/gdv_io.h"

/* The edges FROM -> TO in operand order: how many, and the k-th's index
 * (k from 1) in *which. */
static size_t parallel(const gdv_graph *g, gdv_id from, gdv_id to, size_t k, gdv_id *which) {
  size_t n = 0;
  for (size_t e = g->arg_start[to]; e < g->arg_start[to + 1]; e++)
    if (g->edge_from[e] == from && ++n == k) *which = (gdv_id)e;
  return n;
}

gdv_status gdv_item_lookup(const gdv_graph *g, gdv_quantity q, const char *name, gdv_id *out,
                           gdv_error *err) {
  const char *arrow = strstr(name, "->");
  if (q == GDV_Q_VALUE || q == GDV_Q_GRAD) {
    gdv_id v = gdv_graph_find(g, name);
    if (v != GDV_NONE) { *out = v; return GDV_OK; }
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, arrow ? "%s is an edge: %s takes a node's id"
                         : "no node named '%s'", name, gdv_quantity_name(q));
  }
  if (arrow == NULL)
    return gdv_error_set(err, GDV_ERR_INPUT, "", 0, "'%s' is not an edge: %s takes FROM->TO",
                         name, gdv_quantity_name(q));
  char *from = strndup(name, (size_t)(arrow - name)), *to = strdup(arrow + 2);
  if (from == NULL || to == NULL) {
    free(from);
    free(to);
    return gdv_error_oom(err);
  }
  size_t k = 0;
  char *hash = strrchr(to, '#');
  gdv_id f = gdv_graph_find(g, from), t = gdv_graph_find(g, to);
  if (t == GDV_NONE && hash) {   /* an id may hold '#' itself */
    char *end;
    k = strtoul(hash + 1, &end, 10);
    if (*end == '\0' && end != hash + 1 && k > 0) {
      *hash = '\0';
      t = gdv_graph_find(g, to);
    }
  }
  gdv_status st = GDV_OK;
  gdv_id e = GDV_NONE;
  size_t n = f != GDV_NONE && t != GDV_NONE ? parallel(g, f, t, k ? k : 1, &e) : 0;
  if (f == GDV_NONE || t == GDV_NONE)
    st = gdv_error_set(err, GDV_ERR_INPUT, "", 0, "no node named '%s'", f == GDV_NONE ? from : to);
  else if (n == 0)
    st = gdv_error_set(err, GDV_ERR_INPUT, "", 0, "no edge %s->%s", from, to);
  else if (k > n)
    st = gdv_error_set(err, GDV_ERR_INPUT, "", 0, "%s: %s->%s is %zu edge%s", name, from, to, n,
                       n == 1 ? "" : "s");
  else if (k == 0 && n > 1)
    st = gdv_error_set(err, GDV_ERR_INPUT, "", 0, "%s is %zu parallel edges: say which, "
                       "%s#1 to %s#%zu", name, n, name, name, n);
  else
    *out = e;
  free(from);
  free(to);
  return st;
}

char *gdv_item_name(const gdv_graph *g, gdv_quantity q, gdv_id item) {
  if (q == GDV_Q_VALUE || q == GDV_Q_GRAD) return strdup(g->name[item]);
  gdv_id from = g->edge_from[item], to = g->edge_to[item], which = GDV_NONE;
  size_t n = parallel(g, from, to, SIZE_MAX, &which), k = 0;
  for (size_t e = g->arg_start[to]; e <= item; e++) k += g->edge_from[e] == from;
  char *s = NULL;
  int len = n > 1 ? asprintf(&s, "%s->%s#%zu", g->name[from], g->name[to], k)
                  : asprintf(&s, "%s->%s", g->name[from], g->name[to]);
  return len < 0 ? NULL : s;
}

void gdv_answer_list_free(gdv_answer_list *l) {
  free(l->a);
  memset(l, 0, sizeof *l);
}

/* What a reader is at: the text, its file and line, and the list. */
typedef struct reader {
  const char *file;
  const char *p, *end;
  long line;
  const gdv_graph *g;
  gdv_answer_list *out;
} reader;

/* A number as a student writes it: graph-file syntax, also with U+2212
 * for the sign or a comma for the point. */
static int student_number(const char *text, double *out) {
  char buf[64];
  size_t n = 0;
  while (*text == ' ' || *text == '\t') text++;
  if (strncmp(text, "\xE2\x88\x92", 3) == 0) {
    buf[n++] = '-';
    text += 3;
  }
  for (; *text && n + 1 < sizeof buf; text++) buf[n++] = *text == ',' ? '.' : *text;
  while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r')) n--;
  buf[n] = '\0';
  return *text == '\0' && gdv_parse_number(buf, out);
}

/* One answer from its three texts, at r->line. */
static gdv_status add_answer(reader *r, const char *quantity, const char *item,
                             const char *value, gdv_error *err) {
  gdv_quantity q;
  gdv_answer a = {0, 0, 0, r->line};
  if (!gdv_quantity_lookup(quantity, &q))
    return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "unknown quantity '%s' "
                         "(value, grad, local or edge-grad)", quantity);
  a.quantity = (uint8_t)q;
  gdv_id id;
  if (gdv_item_lookup(r->g, q, item, &id, err)) {
    snprintf(err->file, sizeof err->file, "%s", r->file);
    err->line = r->line;
    return GDV_ERR_INPUT;
  }
  a.item = id;
  if (!student_number(value, &a.value))
    return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "%s %s: '%s' is not a number",
                         quantity, item, value);
  for (size_t i = 0; i < r->out->n; i++)
    if (r->out->a[i].quantity == a.quantity && r->out->a[i].item == a.item)
      return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "%s %s is answered twice "
                           "(line %ld too)", quantity, item, r->out->a[i].line);
  if (!gdv_grow((void **)&r->out->a, &r->out->cap, r->out->n, sizeof *r->out->a))
    return gdv_error_set(err, GDV_ERR_SYSTEM, r->file, 0, "out of memory");
  r->out->a[r->out->n++] = a;
  return GDV_OK;
}

/* ---- CSV ---- */

/* The next field of a CSV line into buf (quotes removed, "" as one);
 * returns the position after its comma, or NULL at the line's end. */
static const char *csv_field(const char *p, const char *eol, char *buf, size_t size, int *more) {
  size_t n = 0;
  while (p < eol && (*p == ' ' || *p == '\t')) p++;
  if (p < eol && *p == '"') {
    for (p++; p < eol; p++) {
      if (*p == '"' && p + 1 < eol && p[1] == '"') p++;
      else if (*p == '"') { p++; break; }
      if (n + 1 < size) buf[n++] = *p;
    }
    while (p < eol && *p != ',') p++;
  } else {
    for (; p < eol && *p != ','; p++)
      if (n + 1 < size) buf[n++] = *p;
    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r')) n--;
  }
  buf[n] = '\0';
  *more = p < eol;
  return p < eol ? p + 1 : eol;
}

#define FIELD_MAX 1024
#define CSV_MAX_COLUMNS 64

static gdv_status parse_csv(reader *r, gdv_error *err) {
  int col[3] = {-1, -1, -1};   /* quantity, item, value */
  static const char *const names[3] = {"quantity", "item", "value"};
  int header = 0;
  char fields[3][FIELD_MAX], buf[FIELD_MAX];
  for (; r->p < r->end; r->line++) {
    const char *eol = memchr(r->p, '\n', (size_t)(r->end - r->p));
    if (eol == NULL) eol = r->end;
    const char *p = r->p;
    r->p = eol < r->end ? eol + 1 : eol;
    while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
    if (p == eol || *p == '#') continue;
    int more = 1, k = 0;
    for (int i = 0; i < 3; i++) fields[i][0] = '\0';
    int seen = 0;
    for (; more && k < CSV_MAX_COLUMNS; k++) {
      p = csv_field(p, eol, buf, sizeof buf, &more);
      if (!header) {
        for (int i = 0; i < 3; i++)
          if (strcmp(buf, names[i]) == 0 && col[i] < 0) col[i] = k;
      } else {
        for (int i = 0; i < 3; i++)
          if (col[i] == k) { memcpy(fields[i], buf, sizeof buf); seen++; }
      }
    }
    if (!header) {
      for (int i = 0; i < 3; i++)
        if (col[i] < 0)
          return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "the header must name the "
                               "columns quantity,item,value (no '%s')", names[i]);
      header = 1;
      continue;
    }
    if (seen < 3)
      return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "needs the 3 fields "
                           "quantity,item,value");
    gdv_status st = add_answer(r, fields[0], fields[1], fields[2], err);
    if (st) return st;
  }
  if (!header)
    return gdv_error_set(err, GDV_ERR_INPUT, r->file, 0, "no header: the first line must be "
                         "quantity,item,value");
  return GDV_OK;
}

/* ---- JSON: [ {"quantity": ..., "item": ..., "value": ...}, ... ] ---- */

/* Skips white space, counting lines. */
static void json_space(reader *r) {
  for (; r->p < r->end; r->p++) {
    if (*r->p == '\n') r->line++;
    else if (*r->p != ' ' && *r->p != '\t' && *r->p != '\r') break;
  }
}

/* Whether the next character (after white space) is c, taking it. */
static int json_take(reader *r, char c) {
  json_space(r);
  if (r->p < r->end && *r->p == c) {
    r->p++;
    return 1;
  }
  return 0;
}

/* A JSON string into buf (escapes \" \\ \/ \n \t and \uXXXX of the
 * Basic Multilingual Plane), or a number's text as written. */
static int json_scalar(reader *r, char *buf, size_t size) {
  size_t n = 0;
  json_space(r);
  if (r->p < r->end && *r->p == '"') {
    for (r->p++; r->p < r->end && *r->p != '"'; r->p++) {
      char c = *r->p;
      if (c == '\n') return 0;
      if (c == '\\' && r->p + 1 < r->end) {
        c = *++r->p;
        if (c == 'n') c = '\n';
        else if (c == 't') c = '\t';
        else if (c == 'u' && r->end - r->p > 4) {
          unsigned u = 0;
          for (int i = 1; i <= 4; i++) {
            char h = r->p[i];
            u = u * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
          }
          r->p += 4;
          char enc[4];
          size_t len = u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
          if (len == 1) enc[0] = (char)u;
          else if (len == 2) { enc[0] = (char)(0xC0 | u >> 6); enc[1] = (char)(0x80 | (u & 63)); }
          else {
            enc[0] = (char)(0xE0 | u >> 12);
            enc[1] = (char)(0x80 | (u >> 6 & 63));
            enc[2] = (char)(0x80 | (u & 63));
          }
          for (size_t i = 0; i < len; i++)
            if (n + 1 < size) buf[n++] = enc[i];
          continue;
        }
      }
      if (n + 1 < size) buf[n++] = c;
    }
    if (r->p >= r->end) return 0;
    r->p++;
  } else {
    while (r->p < r->end && strchr("+-.0123456789eE", *r->p))
      if (n + 1 < size) buf[n++] = *r->p++;
      else r->p++;
    if (n == 0) return 0;
  }
  buf[n] = '\0';
  return 1;
}

static gdv_status parse_json(reader *r, gdv_error *err) {
  char key[FIELD_MAX], val[FIELD_MAX], fields[3][FIELD_MAX];
  static const char *const names[3] = {"quantity", "item", "value"};
  if (!json_take(r, '['))
    return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "expected a JSON list");
  if (json_take(r, ']')) goto end;
  do {
    long start = (json_space(r), r->line);
    if (!json_take(r, '{'))
      return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "expected an object "
                           "{\"quantity\": ..., \"item\": ..., \"value\": ...}");
    int have[3] = {0, 0, 0};
    if (!json_take(r, '}')) {
      do {
        if (!json_scalar(r, key, sizeof key) || !json_take(r, ':') ||
            !json_scalar(r, val, sizeof val))
          return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "expected \"key\": value "
                               "(a string or a number)");
        for (int i = 0; i < 3; i++)
          if (strcmp(key, names[i]) == 0) {
            memcpy(fields[i], val, sizeof val);
            have[i] = 1;
          }
      } while (json_take(r, ','));
      if (!json_take(r, '}'))
        return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "expected , or }");
    }
    for (int i = 0; i < 3; i++)
      if (!have[i])
        return gdv_error_set(err, GDV_ERR_INPUT, r->file, start, "an answer without \"%s\"",
                             names[i]);
    long here = r->line;
    r->line = start;
    gdv_status st = add_answer(r, fields[0], fields[1], fields[2], err);
    r->line = here;
    if (st) return st;
  } while (json_take(r, ','));
  if (!json_take(r, ']'))
    return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "expected , or ]");
end:
  json_space(r);
  if (r->p < r->end)
    return gdv_error_set(err, GDV_ERR_INPUT, r->file, r->line, "text after the list");
  return GDV_OK;
}

gdv_status gdv_answers_parse(const char *file, const char *text, size_t size, const gdv_graph *g,
                             gdv_answer_list *out, gdv_error *err) {
  memset(out, 0, sizeof *out);
  reader r = {file, text, text + size, 1, g, out};
  if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) r.p += 3;  /* a spreadsheet's BOM */
  const char *p = r.p;
  while (p < r.end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
  gdv_status st = p < r.end && *p == '[' ? parse_json(&r, err) : parse_csv(&r, err);
  if (st) gdv_answer_list_free(out);
  return st;
}

gdv_status gdv_answers_load(const char *path, const gdv_graph *g, gdv_answer_list *out,
                            gdv_error *err) {
  gdv_file_text t;
  memset(out, 0, sizeof *out);
  gdv_status st = gdv_file_load(path, &t, err);
  if (st) return st;
  st = gdv_answers_parse(strcmp(path, "-") ? path : "<stdin>", t.data, t.size, g, out, err);
  gdv_file_text_free(&t);
  return st;
}

/* ---- a class roster ---- */

/* Frees what one student's entry holds (its id and name), for the roster's
 * free and for a row that ran out of memory half made. */
static void entry_free(gdv_roster_entry *e) {
  free(e->id);
  free(e->name);
}

/* Leaves the roster zeroed, so a second free is harmless. */
void gdv_roster_free(gdv_roster *r) {
  for (size_t i = 0; i < r->n; i++) entry_free(&r->e[i]);
  free(r->e);
  memset(r, 0, sizeof *r);
}

/* The variant of a student without a variant column: the id itself when
 * it is a whole number in range, else FNV-1a of it, into 1..MAX. */
static uint64_t id_variant(const char *id) {
  char *end;
  unsigned long long k = strtoull(id, &end, 10);
  if (*id >= '0' && *id <= '9' && *end == '\0' && k >= 1 && k <= GDV_VARIANT_MAX) return k;
  return 1 + gdv_hash_string(id) % GDV_VARIANT_MAX;
}

/* One student from the row's fields (id, name, variant text or NULL). */
static gdv_status roster_add(gdv_roster *r, const char *file, long line, const char *id,
                             const char *name, const char *variant, gdv_error *err) {
  if (*id == '\0') return gdv_error_set(err, GDV_ERR_INPUT, file, line, "a student without an id");
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->e[i].id, id) == 0)
      return gdv_error_set(err, GDV_ERR_INPUT, file, line, "id '%s' twice (line %ld too)", id,
                           r->e[i].line);
  uint64_t k = id_variant(id);
  if (variant && *variant) {
    char *end;
    unsigned long long v = strtoull(variant, &end, 10);
    if (*variant < '0' || *variant > '9' || *end != '\0' || v < 1 || v > GDV_VARIANT_MAX)
      return gdv_error_set(err, GDV_ERR_INPUT, file, line, "variant '%s' is not a whole number "
                           "from 1 to %u", variant, GDV_VARIANT_MAX);
    k = v;
  }
  if (!gdv_grow((void **)&r->e, &r->cap, r->n, sizeof *r->e))
    return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
  gdv_roster_entry *e = &r->e[r->n];
  e->id = strdup(id);
  e->name = name && *name ? strdup(name) : NULL;
  e->variant = k;
  e->line = line;
  if (e->id == NULL || (name && *name && e->name == NULL)) {
    entry_free(e);
    return gdv_error_set(err, GDV_ERR_SYSTEM, file, 0, "out of memory");
  }
  r->n++;
  return GDV_OK;
}

gdv_status gdv_roster_load(const char *path, gdv_roster *out, gdv_error *err) {
  memset(out, 0, sizeof *out);
  gdv_file_text t;
  gdv_status st = gdv_file_load(path, &t, err);
  if (st) return st;
  const char *file = strcmp(path, "-") ? path : "<stdin>";
  const char *p = t.data, *end = t.data + t.size;
  if (t.size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  int col[3] = {-1, -1, -1}, header = 0;   /* id, name, variant */
  static const char *const names[3] = {"id", "name", "variant"};
  char fields[3][FIELD_MAX], buf[FIELD_MAX];
  for (long line = 1; st == GDV_OK && p < end; line++) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    const char *q = p;
    p = eol < end ? eol + 1 : eol;
    while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
    if (q == eol || *q == '#') continue;
    int more = 1;
    for (int i = 0; i < 3; i++) fields[i][0] = '\0';
    for (int k = 0; more && k < CSV_MAX_COLUMNS; k++) {
      q = csv_field(q, eol, buf, sizeof buf, &more);
      for (int i = 0; i < 3; i++) {
        if (!header && strcmp(buf, names[i]) == 0 && col[i] < 0) col[i] = k;
        if (header && col[i] == k) memcpy(fields[i], buf, sizeof buf);
      }
    }
    if (!header) {
      if (col[0] < 0)
        st = gdv_error_set(err, GDV_ERR_INPUT, file, line, "the header must name an id column "
                           "(and may name name and variant)");
      header = 1;
      continue;
    }
    st = roster_add(out, file, line, fields[0], col[1] >= 0 ? fields[1] : NULL,
                    col[2] >= 0 ? fields[2] : NULL, err);
  }
  gdv_file_text_free(&t);
  if (st == GDV_OK && out->n == 0)
    st = gdv_error_set(err, GDV_ERR_INPUT, file, 0, "no students (a header naming id, then "
                       "one line a student)");
  if (st) gdv_roster_free(out);
  return st;
}
