/*
 * gdv_answers.h: the items of a worksheet by name, and a student's answers
 * read from a file (`gradviz grade FILE ANSWERS`).
 *
 * An item is a node's id (for value and grad), or an edge (for local and
 * edge-grad) written FROM->TO, or FROM->TO#k for the k-th (from 1, in
 * operand order) of parallel edges FROM->TO.
 *
 * ANSWERS is CSV with a header naming the columns quantity, item and value
 * (in any order; other columns are ignored; fields may be double-quoted;
 * empty lines and lines starting with '#' are skipped), or JSON: a list of
 * objects with the keys "quantity", "item" and "value" (a number, or a
 * string holding one). A value is written as in graph files (-1.5, .5,
 * 2e-3), and may also use the minus sign U+2212 or a decimal comma.
 */
#ifndef GDV_ANSWERS_H
#define GDV_ANSWERS_H

#include <stddef.h>

#include "core/gdv_exercise.h"

/* The item named `name` for quantity q: a node for value and grad, an
 * edge for local and edge-grad. GDV_ERR_INPUT with what is wrong (no such
 * node, no such edge, a parallel edge without #k, #k out of range). */
gdv_status gdv_item_lookup(const gdv_graph *g, gdv_quantity q, const char *name, gdv_id *out,
                           gdv_error *err);
/* The name of an item as gdv_item_lookup reads it (edges: FROM->TO, with
 * #k only where FROM->TO is several edges); malloc'd, NULL when out of
 * memory. */
char *gdv_item_name(const gdv_graph *g, gdv_quantity q, gdv_id item);

typedef struct gdv_answer_list {
  gdv_answer *a;
  size_t n, cap;
} gdv_answer_list;

/* Reads answers from `path` ("-": standard input), CSV or JSON by their
 * first character ('[' is JSON). Bad lines are GDV_ERR_INPUT naming
 * FILE:LINE; so is a quantity and item answered twice. */
gdv_status gdv_answers_load(const char *path, const gdv_graph *g, gdv_answer_list *out,
                            gdv_error *err);
gdv_status gdv_answers_parse(const char *file, const char *text, size_t size, const gdv_graph *g,
                             gdv_answer_list *out, gdv_error *err);
void gdv_answer_list_free(gdv_answer_list *l);

/* A class (worksheet --class ROSTER): CSV with a header naming an `id`
 * column, and maybe `name` and `variant` (other columns ignored). A
 * student's variant is the variant column's, else the id when it is a
 * whole number from 1 to GDV_VARIANT_MAX, else one from a hash of the id:
 * a student keeps their numbers when the roster is reordered. */
typedef struct gdv_roster_entry {
  char *id, *name;          /* name NULL when the roster has none */
  uint64_t variant;
  long line;
} gdv_roster_entry;
typedef struct gdv_roster {
  gdv_roster_entry *e;
  size_t n, cap;
} gdv_roster;
/* Reads a roster; an empty one, an id twice or a bad variant is
 * GDV_ERR_INPUT naming FILE:LINE. */
gdv_status gdv_roster_load(const char *path, gdv_roster *out, gdv_error *err);
void gdv_roster_free(gdv_roster *r);

#endif
