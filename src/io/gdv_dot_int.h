/*
 * gdv_dot_int.h: what the DOT reader (gdv_dot.c) shares with the reader of
 * draw_dot's dialect (gdv_dot_drawdot.c), both on cgraph's graph.
 */
#ifndef GDV_DOT_INT_H
#define GDV_DOT_INT_H

#include <cgraph.h>

#include "core/gdv.h"

/* The line where a node name first appears in the file (0: unknown). */
typedef long (*gdv_dot_line_fn)(const void *ctx, const char *name);

/* 1 when the graph is one a micrograd-style draw_dot wrote: no gradviz
 * attribute (op, value) and a `shape=record` node whose label has a
 * `data` field. */
int gdv_drawdot_detect(Agraph_t *dg);

/* Builds g (not finalized) from such a graph: each record a node, each op
 * node folded into the record it feeds, leaves' data as values, every
 * record's data and grad as recorded numbers. */
gdv_status gdv_drawdot_read(const char *file, Agraph_t *dg, gdv_graph *g,
                            gdv_dot_line_fn line_of, const void *ctx, gdv_error *err);

#endif
