/* gdv_graph.c: building a graph, checking it and putting it in
 * topological order. Nothing here recurses over the graph: a chain of a
 * million nodes and a node of 100,000 operands take the same paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdv.h"

struct gdv_graph_build {
  size_t cap_nodes;
  size_t cap_edges;
  size_t cap_groups;
  long *edge_arg;        /* per edge as added; -1: none given */
  gdv_id marked_output;
  gdv_index names;       /* node ids by name (keys: g->name) */
};

/* Puts every node in the name index again, under its current id (after
 * finalize renumbered them); 0 when out of memory. */
static int names_rebuild(gdv_graph *g) {
  gdv_index_clear(&g->build->names);
  for (size_t v = 0; v < g->n_nodes; v++)
    if (!gdv_index_add(&g->build->names, gdv_hash_string(g->name[v]), v)) return 0;
  return 1;
}

/* The out-of-memory error (gdv_error_oom) naming the graph's file; g may
 * be NULL. */
static gdv_status no_memory(gdv_graph *g, gdv_error *err) {
  gdv_error_oom(err);
  if (g && err) snprintf(err->file, sizeof err->file, "%s", g->source);
  return GDV_ERR_SYSTEM;
}

/* Creates an empty graph whose messages name `source`. */
gdv_status gdv_graph_new(gdv_graph **out, const char *source, gdv_error *err) {
  gdv_graph *g = calloc(1, sizeof *g);
  if (g == NULL) return no_memory(NULL, err);
  g->build = calloc(1, sizeof *g->build);
  g->source = strdup(source ? source : "");
  if (g->build == NULL || g->source == NULL) {
    gdv_graph_free(g);
    return no_memory(NULL, err);
  }
  g->build->marked_output = GDV_NONE;
  g->output = GDV_NONE;
  *out = g;
  return GDV_OK;
}

/* Frees the graph and everything it owns. */
void gdv_graph_free(gdv_graph *g) {
  if (g == NULL) return;
  for (size_t v = 0; v < g->n_nodes; v++) {
    free(g->name[v]);
    free(g->label[v]);
  }
  free(g->name); free(g->label); free(g->op); free(g->role);
  free(g->exponent); free(g->value); free(g->grad); free(g->reaches);
  free(g->line); free(g->arg_start); free(g->fan_out);
  free(g->edge_from); free(g->edge_to); free(g->edge_local);
  free(g->edge_grad); free(g->edge_line);
  free(g->source); free(g->title); free(g->rankdir); free(g->scratch);
  free(g->op_nodes);
  for (size_t k = 0; k < g->n_groups; k++) {
    free(g->group_name[k]);
    free(g->group_label[k]);
  }
  free(g->group_name); free(g->group_label); free(g->node_group);
  free(g->recorded);
  if (g->build) {
    free(g->build->edge_arg);
    gdv_index_free(&g->build->names);
    free(g->build);
  }
  free(g);
}

#define GROW(ptr, cap) do { \
    void *grown_ = realloc((ptr), (cap) * sizeof *(ptr)); \
    if (grown_ == NULL) return 0; \
    (ptr) = grown_; } while (0)

/* Doubles the per-node arrays. */
static int grow_nodes(gdv_graph *g) {
  size_t cap = g->build->cap_nodes ? 2 * g->build->cap_nodes : 64;
  GROW(g->name, cap); GROW(g->label, cap); GROW(g->op, cap);
  GROW(g->role, cap); GROW(g->exponent, cap); GROW(g->value, cap);
  GROW(g->line, cap);
  if (g->node_group) {
    GROW(g->node_group, cap);
    for (size_t v = g->build->cap_nodes; v < cap; v++) g->node_group[v] = GDV_NONE;
  }
  if (g->recorded) {
    GROW(g->recorded, cap);
    memset(g->recorded + g->build->cap_nodes, 0,
           (cap - g->build->cap_nodes) * sizeof *g->recorded);
  }
  g->build->cap_nodes = cap;
  return 1;
}

/* Doubles the per-edge arrays. */
static int grow_edges(gdv_graph *g) {
  size_t cap = g->build->cap_edges ? 2 * g->build->cap_edges : 64;
  GROW(g->edge_from, cap); GROW(g->edge_to, cap); GROW(g->edge_line, cap);
  GROW(g->build->edge_arg, cap);
  g->build->cap_edges = cap;
  return 1;
}

/* After finalize the arrays are sized and ordered for the passes, so any
 * change would leave them inconsistent: every builder refuses, with a
 * message ending in this. */
#define FINALIZED ": the graph is already finalized"

/* A C builder could pass any id; readers pass ids they looked up. */
static gdv_status no_such_node(const gdv_graph *g, gdv_id id, gdv_error *err) {
  return gdv_error_set(err, GDV_ERR_INPUT, g->source, 0,
                       "node %u does not exist (%zu node%s)", (unsigned)id,
                       g->n_nodes, g->n_nodes == 1 ? "" : "s");
}

/* Ids handed out here live only until gdv_graph_finalize renumbers the
 * nodes; names must be unique (the name index finds a second one). */
gdv_status gdv_graph_add_node(gdv_graph *g, const char *name, gdv_op op,
                              long line, gdv_id *out, gdv_error *err) {
  struct gdv_graph_build *b = g->build;
  if (g->finalized)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, line,
                         "cannot add node '%s'" FINALIZED, name);
  if (g->n_nodes >= (size_t)GDV_NONE - 1)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, line,
                         "too many nodes");
  if (gdv_index_find_string(&b->names, g->name, name) != GDV_INDEX_END)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, line,
                         "node '%s' is defined twice", name);
  if (g->n_nodes == b->cap_nodes && !grow_nodes(g)) return no_memory(g, err);
  gdv_id v = (gdv_id)g->n_nodes;
  g->name[v] = strdup(name);
  if (g->name[v] == NULL) return no_memory(g, err);
  g->label[v] = NULL;
  g->op[v] = (uint8_t)op;
  g->role[v] = op == GDV_OP_LEAF ? GDV_ROLE_INPUT : GDV_ROLE_NONE;
  g->exponent[v] = 0;
  g->value[v] = 0;
  g->line[v] = line;
  if (!gdv_index_add(&b->names, gdv_hash_string(name), v)) {
    free(g->name[v]);
    return no_memory(g, err);
  }
  g->n_nodes++;
  if (out) *out = v;
  return GDV_OK;
}

/* Copies the label; NULL means "show the name", while "" is a real label (an
 * unnamed formula node that shows only its op symbol). */
gdv_status gdv_graph_set_label(gdv_graph *g, gdv_id id, const char *label,
                               gdv_error *err) {
  if (id >= g->n_nodes) return no_such_node(g, id, err);
  if (g->finalized)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[id],
                         "cannot label node '%s'" FINALIZED, g->name[id]);
  char *copy = label ? strdup(label) : NULL;
  if (label && copy == NULL) return no_memory(g, err);
  free(g->label[id]);
  g->label[id] = copy;
  return GDV_OK;
}

/* Only records the edge: arity, operand order and cycles are checked in
 * gdv_graph_finalize, once the whole graph is known. */
gdv_status gdv_graph_add_edge(gdv_graph *g, gdv_id from, gdv_id to, long arg,
                              long line, gdv_error *err) {
  /* Readers pass ids they looked up; a builder in C could pass anything. */
  if (from >= g->n_nodes || to >= g->n_nodes)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, line,
                         "edge %u -> %u names a node that does not exist "
                         "(%zu nodes)", (unsigned)from, (unsigned)to,
                         g->n_nodes);
  if (g->finalized)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, line,
                         "cannot add the edge %s -> %s" FINALIZED,
                         g->name[from], g->name[to]);
  if (g->n_edges == g->build->cap_edges && !grow_edges(g))
    return no_memory(g, err);
  size_t e = g->n_edges++;
  g->edge_from[e] = from;
  g->edge_to[e] = to;
  g->edge_line[e] = line;
  g->build->edge_arg[e] = arg;
  return GDV_OK;
}

/* At most one marked output; marking the same node again is not an error, so
 * readers need not track it. */
gdv_status gdv_graph_mark_output(gdv_graph *g, gdv_id id, gdv_error *err) {
  if (id >= g->n_nodes) return no_such_node(g, id, err);
  if (g->finalized)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[id],
                         "cannot mark node '%s' as the output" FINALIZED,
                         g->name[id]);
  gdv_id prev = g->build->marked_output;
  if (prev != GDV_NONE && prev != id)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[id],
                         "two outputs: '%s' and '%s'", g->name[prev],
                         g->name[id]);
  g->build->marked_output = id;
  return GDV_OK;
}

/* Recorded numbers are rare (imported graphs), so the array appears with
 * the first one and the graphs of every other file pay nothing. */
gdv_status gdv_graph_record(gdv_graph *g, gdv_id id, unsigned which,
                            const char *text, gdv_error *err) {
  if (g->finalized)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, 0,
                         "cannot record a number" FINALIZED);
  if (id >= g->n_nodes) return no_such_node(g, id, err);
  double x;
  if (!gdv_parse_number(text, &x))
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[id],
                         "node '%s': %s '%s' is not a number (decimal or "
                         "exponent notation, finite)", g->name[id],
                         which == GDV_REC_GRAD ? "grad" : "data", text);
  if (g->recorded == NULL &&
      (g->recorded = calloc(g->build->cap_nodes, sizeof *g->recorded)) == NULL)
    return no_memory(g, err);
  gdv_recorded *r = &g->recorded[id];
  r->has |= which;
  if (which == GDV_REC_GRAD) {
    r->grad = x;
    r->grad_half = gdv_number_half_unit(text);
  } else {
    r->value = x;
    r->value_half = gdv_number_half_unit(text);
  }
  return GDV_OK;
}

/* One group per statement or cluster, so as many as the nodes in a long
 * formula file: the arrays double like the node arrays (grown by one,
 * 100,000 statements copied them 100,000 times). node_group appears with
 * the first group, sized like the node arrays (grow_nodes keeps it so). */
gdv_status gdv_graph_add_group(gdv_graph *g, const char *name, const char *label,
                               gdv_id *out, gdv_error *err) {
  if (g->finalized)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, 0,
                         "cannot add group '%s'" FINALIZED, name);
  if (g->node_group == NULL) {
    size_t cap = g->build->cap_nodes ? g->build->cap_nodes : 1;
    if ((g->node_group = malloc(cap * sizeof *g->node_group)) == NULL)
      return no_memory(g, err);
    for (size_t v = 0; v < cap; v++) g->node_group[v] = GDV_NONE;
  }
  size_t k = g->n_groups;
  if (k == g->build->cap_groups) {
    size_t cap = k ? 2 * k : 16;
    char **names = realloc(g->group_name, cap * sizeof *names);
    if (names == NULL) return no_memory(g, err);
    g->group_name = names;
    char **labels = realloc(g->group_label, cap * sizeof *labels);
    if (labels == NULL) return no_memory(g, err);
    g->group_label = labels;
    g->build->cap_groups = cap;
  }
  char **names = g->group_name, **labels = g->group_label;
  names[k] = strdup(name);
  labels[k] = strdup(label ? label : name);
  if (names[k] == NULL || labels[k] == NULL) {
    free(names[k]);
    free(labels[k]);
    return no_memory(g, err);
  }
  g->n_groups = k + 1;
  if (out) *out = (gdv_id)k;
  return GDV_OK;
}

/* Membership is one index per node, so a node is in at most one group. */
gdv_status gdv_graph_set_group(gdv_graph *g, gdv_id node, gdv_id group,
                               gdv_error *err) {
  if (node >= g->n_nodes) return no_such_node(g, node, err);
  if (g->finalized)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[node],
                         "cannot group node '%s'" FINALIZED, g->name[node]);
  if (group >= g->n_groups)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[node],
                         "group %u does not exist (%zu groups)",
                         (unsigned)group, g->n_groups);
  g->node_group[node] = group;
  return GDV_OK;
}

/* A linear search: groups are few, and looked up only by --expand. */
gdv_id gdv_graph_find_group(const gdv_graph *g, const char *name) {
  for (size_t k = 0; k < g->n_groups; k++)
    if (strcmp(g->group_name[k], name) == 0) return (gdv_id)k;
  return GDV_NONE;
}

/* Looks a name up; before finalize the ids are the building ids. */
gdv_id gdv_graph_find(const gdv_graph *g, const char *name) {
  size_t v = gdv_index_find_string(&g->build->names, g->name, name);
  return v == GDV_INDEX_END ? GDV_NONE : (gdv_id)v;
}

/* The label wins even when it is "", so an unnamed formula node draws only
 * its op symbol, never its internal id like n#1. */
const char *gdv_graph_display_name(const gdv_graph *g, gdv_id v) {
  return g->label[v] ? g->label[v] : g->name[v];
}

/* A formula names its statements and leaves; the operations and the
 * literal numbers inside a statement get ids of the statement's name, '#'
 * and a number (h1#2), where the statement's own node is named like its
 * group. Every other node carries the file's own name. */
int gdv_graph_named(const gdv_graph *g, gdv_id v) {
  const char *id = g->name[v], *hash = strrchr(id, '#');
  if (hash == NULL || hash[1] == '\0' || g->node_group == NULL) return 1;
  for (const char *p = hash + 1; *p; p++)
    if (*p < '0' || *p > '9') return 1;
  char *stmt = strndup(id, (size_t)(hash - id));
  if (stmt == NULL) return 1;
  gdv_id u = gdv_graph_find(g, stmt);
  int made = u != GDV_NONE && g->node_group[u] != GDV_NONE &&
             strcmp(g->group_name[g->node_group[u]], stmt) == 0;
  free(stmt);
  return !made;
}

/* A binary min-heap of node ids: Kahn's algorithm takes the ready node that
 * came first in the file, so the order is the file's as far as the
 * dependencies allow. */
typedef struct id_heap { gdv_id *a; size_t n; } id_heap;

/* Min-heap of ready ids: Kahn's algorithm always places the smallest one, so
 * the topological order is deterministic and keeps definition order where it
 * can. */
static void heap_push(id_heap *h, gdv_id v) {
  size_t i = h->n++;
  while (i > 0 && h->a[(i - 1) / 2] > v) {
    h->a[i] = h->a[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h->a[i] = v;
}

/* Pops the smallest ready id; sift-down without recursion, like the rest of
 * the graph code. */
static gdv_id heap_pop(id_heap *h) {
  gdv_id top = h->a[0], last = h->a[--h->n];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && h->a[c + 1] < h->a[c]) c++;
    if (h->a[c] >= last) break;
    h->a[i] = h->a[c];
    i = c;
  }
  if (h->n > 0) h->a[i] = last;
  return top;
}

/* Writes "a -> b -> c -> a" for a cycle among the nodes Kahn's algorithm
 * could not place (those with indeg > 0). Walks predecessors, iteratively. */
static gdv_status report_cycle(gdv_graph *g, const size_t *in_start,
                               const size_t *in_edge, const size_t *indeg,
                               gdv_error *err) {
  size_t n = g->n_nodes;
  size_t *seen_at = calloc(n, sizeof *seen_at);   /* step + 1 */
  gdv_id *walk = malloc(n * sizeof *walk);
  if (seen_at == NULL || walk == NULL) {
    free(seen_at); free(walk);
    return no_memory(g, err);
  }
  gdv_id v = 0;
  while (indeg[v] == 0) v++;
  size_t steps = 0;
  while (seen_at[v] == 0) {
    seen_at[v] = steps + 1;
    walk[steps++] = v;
    for (size_t k = in_start[v]; k < in_start[v + 1]; k++) {
      gdv_id u = g->edge_from[in_edge[k]];
      if (indeg[u] > 0) { v = u; break; }
    }
  }
  /* walk[first .. steps-1] runs backwards along the edges. The text starts
   * at the cycle's node that came first in the file, so the same cycle
   * always reads the same way, whichever node the walk began at. */
  size_t first = seen_at[v] - 1, start = first;
  for (size_t i = first; i < steps; i++)
    if (walk[i] < walk[start]) start = i;
  size_t cycle_len = steps - first;
  char text[sizeof err->message];
  size_t len = 0;
  text[0] = '\0';
  for (size_t j = 0; j <= cycle_len; j++) {
    /* Going forward along the edges is going down the walk, wrapping. */
    size_t i = first + (start - first + cycle_len - j % cycle_len) % cycle_len;
    len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0,
                            j < cycle_len ? "%s -> " : "%s", g->name[walk[i]]);
    if (len >= sizeof text) break;
  }
  long line = g->line[walk[start]];
  free(seen_at); free(walk);
  return gdv_error_set(err, GDV_ERR_INPUT, g->source, line, "cycle: %s",
                       text);
}

/* Checks that a node has as many operands as its op takes. */
static gdv_status check_arity(gdv_graph *g, gdv_id v, size_t n_in,
                              gdv_error *err) {
  const gdv_op_info *info = gdv_op_get((gdv_op)g->op[v]);
  if (g->op[v] == GDV_OP_LEAF) {
    if (n_in == 0) return GDV_OK;
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[v],
                         "node '%s' has %zu operand%s but no op", g->name[v],
                         n_in, n_in == 1 ? "" : "s");
  }
  if (info->max_args < 0 && n_in < (size_t)info->min_args)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[v],
                         "node '%s': op '%s' takes at least %d operand, "
                         "it has none", g->name[v], info->name,
                         info->min_args);
  if (info->max_args >= 0 &&
      (n_in < (size_t)info->min_args || n_in > (size_t)info->max_args)) {
    if (g->op[v] == GDV_OP_POW || g->op[v] == GDV_OP_POWK)
      return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[v],
                           "node '%s': op 'pow' takes 2 operands, or 1 with "
                           "'exponent'; it has %zu", g->name[v], n_in);
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, g->line[v],
                         "node '%s': op '%s' takes %d operand%s, it has %zu",
                         g->name[v], info->name, info->min_args,
                         info->min_args == 1 ? "" : "s", n_in);
  }
  return GDV_OK;
}

/* Lists sinks for the "several sinks" message, at most a handful. */
static gdv_status report_sinks(gdv_graph *g, const uint32_t *fan_out,
                               size_t n_sinks, gdv_error *err) {
  char text[sizeof err->message];
  size_t len = 0, shown = 0;
  text[0] = '\0';
  for (size_t v = 0; v < g->n_nodes && shown < 8; v++) {
    if (fan_out[v] != 0) continue;
    len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0,
                            "%s%s", shown ? ", " : "", g->name[v]);
    shown++;
    if (len >= sizeof text) break;
  }
  if (shown < n_sinks && len < sizeof text)
    snprintf(text + len, sizeof text - len, " and %zu more", n_sinks - shown);
  return gdv_error_set(err, GDV_ERR_INPUT, g->source, 0,
                       "%zu sinks and no node marked output=true: %s",
                       n_sinks, text);
}

/* Puts the in-edges of each consumer in operand order: by `arg` where
 * given, else in the order they were added. Fills in_start/in_edge over the
 * building ids. */
static gdv_status order_operands(gdv_graph *g, size_t *in_start,
                                 size_t *in_edge, gdv_error *err) {
  size_t n = g->n_nodes, m = g->n_edges;
  const long *arg = g->build->edge_arg;
  size_t *with_arg = calloc(n, sizeof *with_arg);
  size_t *fill = calloc(n, sizeof *fill);
  gdv_status st = GDV_OK;
  if (with_arg == NULL || fill == NULL) { st = no_memory(g, err); goto done; }
  for (size_t e = 0; e < m; e++) {
    in_start[g->edge_to[e] + 1]++;
    if (arg[e] >= 0) with_arg[g->edge_to[e]]++;
  }
  for (size_t v = 0; v < n; v++) in_start[v + 1] += in_start[v];
  for (size_t e = 0; e < m; e++) {
    gdv_id v = g->edge_to[e];
    size_t n_in = in_start[v + 1] - in_start[v];
    if (with_arg[v] != 0 && with_arg[v] != n_in) {
      st = gdv_error_set(err, GDV_ERR_INPUT, g->source, g->edge_line[e],
                         "node '%s': 'arg' is on %zu of its %zu in-edges; "
                         "give it on all or none", g->name[v], with_arg[v],
                         n_in);
      goto done;
    }
    if (with_arg[v] == 0) {
      in_edge[in_start[v] + fill[v]++] = e;
      continue;
    }
    if ((size_t)arg[e] >= n_in) {
      st = gdv_error_set(err, GDV_ERR_INPUT, g->source, g->edge_line[e],
                         "edge %s -> %s: arg %ld is out of range "
                         "(%zu operand%s: 0 to %zu)", g->name[g->edge_from[e]],
                         g->name[v], arg[e], n_in, n_in == 1 ? "" : "s",
                         n_in - 1);
      goto done;
    }
    size_t slot = in_start[v] + (size_t)arg[e];
    /* Slots start as (size_t)-1 (see finalize): a taken one is a repeat. */
    if (in_edge[slot] != (size_t)-1) {
      st = gdv_error_set(err, GDV_ERR_INPUT, g->source, g->edge_line[e],
                         "node '%s': arg %ld is given twice", g->name[v],
                         arg[e]);
      goto done;
    }
    in_edge[slot] = e;
    fill[v]++;
  }
done:
  free(with_arg);
  free(fill);
  return st;
}

/* The scratch arrays of one gdv_graph_finalize, over the building ids. */
typedef struct finalize_work {
  size_t *in_start, *in_edge;    /* in-edges by consumer, operand order */
  size_t *out_start, *out_edge;  /* out-edges by producer */
  size_t *indeg;                 /* Kahn's algorithm: unplaced operands */
  gdv_id *order;                 /* building ids in topological order */
  gdv_id *new_of_old;
  id_heap heap;
  uint32_t *fan_out;
} finalize_work;

/* Frees what work_alloc got; safe on a half-allocated work. */
static void work_free(finalize_work *w) {
  free(w->in_start); free(w->in_edge); free(w->out_start); free(w->out_edge);
  free(w->indeg); free(w->order); free(w->new_of_old); free(w->heap.a);
  free(w->fan_out);
}

/* All of finalize's scratch at once, so the steps need not check memory. */
static gdv_status work_alloc(gdv_graph *g, finalize_work *w, gdv_error *err) {
  size_t n = g->n_nodes, m = g->n_edges;
  w->in_start = calloc(n + 1, sizeof *w->in_start);
  w->in_edge = malloc((m ? m : 1) * sizeof *w->in_edge);
  w->out_start = calloc(n + 1, sizeof *w->out_start);
  w->out_edge = malloc((m ? m : 1) * sizeof *w->out_edge);
  w->indeg = malloc(n * sizeof *w->indeg);
  w->order = malloc(n * sizeof *w->order);
  w->new_of_old = malloc(n * sizeof *w->new_of_old);
  w->heap.a = malloc(n * sizeof(gdv_id));
  w->heap.n = 0;
  w->fan_out = calloc(n, sizeof *w->fan_out);
  if (!w->in_start || !w->in_edge || !w->out_start || !w->out_edge ||
      !w->indeg || !w->order || !w->new_of_old || !w->heap.a || !w->fan_out)
    return no_memory(g, err);
  return GDV_OK;
}

/* In-edges in operand order, each node's arity, then the out-edges. */
static gdv_status index_edges(gdv_graph *g, finalize_work *w, gdv_error *err) {
  size_t n = g->n_nodes, m = g->n_edges;
  /* Mark slots empty so repeated args can be told from fresh ones. */
  for (size_t k = 0; k < m; k++) w->in_edge[k] = (size_t)-1;
  gdv_status st = order_operands(g, w->in_start, w->in_edge, err);
  if (st) return st;
  for (size_t v = 0; v < n; v++) {
    st = check_arity(g, (gdv_id)v, w->in_start[v + 1] - w->in_start[v], err);
    if (st) return st;
  }
  for (size_t e = 0; e < m; e++) {
    w->out_start[g->edge_from[e] + 1]++;
    w->fan_out[g->edge_from[e]]++;
  }
  for (size_t v = 0; v < n; v++) w->out_start[v + 1] += w->out_start[v];
  size_t *pos = malloc((n ? n : 1) * sizeof *pos);
  if (pos == NULL) return no_memory(g, err);
  memcpy(pos, w->out_start, n * sizeof *pos);
  for (size_t e = 0; e < m; e++) w->out_edge[pos[g->edge_from[e]]++] = e;
  free(pos);
  return GDV_OK;
}

/* Kahn's algorithm; nodes it cannot place lie on a cycle, reported. */
static gdv_status topo_order(gdv_graph *g, finalize_work *w, gdv_error *err) {
  size_t n = g->n_nodes;
  for (size_t v = 0; v < n; v++) {
    w->indeg[v] = w->in_start[v + 1] - w->in_start[v];
    if (w->indeg[v] == 0) heap_push(&w->heap, (gdv_id)v);
  }
  size_t placed = 0;
  while (w->heap.n > 0) {
    gdv_id u = heap_pop(&w->heap);
    w->order[placed++] = u;
    for (size_t k = w->out_start[u]; k < w->out_start[u + 1]; k++) {
      gdv_id to = g->edge_to[w->out_edge[k]];
      if (--w->indeg[to] == 0) heap_push(&w->heap, to);
    }
  }
  if (placed < n)
    return report_cycle(g, w->in_start, w->in_edge, w->indeg, err);
  for (size_t i = 0; i < n; i++) w->new_of_old[w->order[i]] = (gdv_id)i;
  return GDV_OK;
}

/* The output: marked, or the single sink (a building id). */
static gdv_status find_output(gdv_graph *g, const finalize_work *w,
                              gdv_id *output, gdv_error *err) {
  *output = g->build->marked_output;
  if (*output != GDV_NONE) return GDV_OK;
  size_t n_sinks = 0;
  for (size_t v = 0; v < g->n_nodes; v++)
    if (w->fan_out[v] == 0) { n_sinks++; *output = (gdv_id)v; }
  if (n_sinks > 1) return report_sinks(g, w->fan_out, n_sinks, err);
  return GDV_OK;
}

/* Renumbers every per-node and per-edge array into topological order, the
 * edges grouped by consumer in operand order; frees the building ones. */
static gdv_status renumber(gdv_graph *g, const finalize_work *w,
                           gdv_error *err) {
  size_t n = g->n_nodes, m = g->n_edges;
  char **name = malloc(n * sizeof *name), **label = malloc(n * sizeof *label);
  uint8_t *op = malloc(n), *role = malloc(n);
  double *expo = malloc(n * sizeof *expo), *value = malloc(n * sizeof *value);
  long *line = malloc(n * sizeof *line);
  uint32_t *fo = malloc(n * sizeof *fo);
  size_t *arg_start = malloc((n + 1) * sizeof *arg_start);
  gdv_id *efrom = malloc((m ? m : 1) * sizeof *efrom);
  gdv_id *eto = malloc((m ? m : 1) * sizeof *eto);
  long *eline = malloc((m ? m : 1) * sizeof *eline);
  if (!name || !label || !op || !role || !expo || !value || !line || !fo ||
      !arg_start || !efrom || !eto || !eline) {
    free(name); free(label); free(op); free(role); free(expo); free(value);
    free(line); free(fo); free(arg_start); free(efrom); free(eto);
    free(eline);
    return no_memory(g, err);
  }
  gdv_id *group = NULL;
  gdv_recorded *rec = NULL;
  if ((g->node_group && (group = malloc(n * sizeof *group)) == NULL) ||
      (g->recorded && (rec = malloc(n * sizeof *rec)) == NULL)) {
    free(group);
    free(name); free(label); free(op); free(role); free(expo); free(value);
    free(line); free(fo); free(arg_start); free(efrom); free(eto);
    free(eline);
    return no_memory(g, err);
  }
  size_t e_new = 0, max_in = 1;
  for (size_t i = 0; i < n; i++) {
    gdv_id old = w->order[i];
    name[i] = g->name[old]; label[i] = g->label[old];
    op[i] = g->op[old]; role[i] = g->role[old];
    expo[i] = g->exponent[old]; value[i] = g->value[old];
    line[i] = g->line[old]; fo[i] = w->fan_out[old];
    if (group) group[i] = g->node_group[old];
    if (rec) rec[i] = g->recorded[old];
    arg_start[i] = e_new;
    size_t n_in = w->in_start[old + 1] - w->in_start[old];
    if (n_in > max_in) max_in = n_in;
    for (size_t k = w->in_start[old]; k < w->in_start[old + 1]; k++) {
      size_t e = w->in_edge[k];
      efrom[e_new] = w->new_of_old[g->edge_from[e]];
      eto[e_new] = (gdv_id)i;
      eline[e_new] = g->edge_line[e];
      e_new++;
    }
  }
  arg_start[n] = e_new;
  free(g->name); free(g->label); free(g->op); free(g->role);
  free(g->exponent); free(g->value); free(g->line);
  free(g->edge_from); free(g->edge_to); free(g->edge_line);
  g->name = name; g->label = label; g->op = op; g->role = role;
  g->exponent = expo; g->value = value; g->line = line; g->fan_out = fo;
  g->arg_start = arg_start; g->edge_from = efrom; g->edge_to = eto;
  g->edge_line = eline;
  if (group) {
    free(g->node_group);
    g->node_group = group;
  }
  if (rec) {
    free(g->recorded);
    g->recorded = rec;
  }
  g->max_fan_in = max_in;
  return GDV_OK;
}

/* The arrays the passes write, the name table over the new ids, and the
 * list of op nodes. */
static gdv_status alloc_pass_arrays(gdv_graph *g, gdv_error *err) {
  size_t n = g->n_nodes, m = g->n_edges;
  free(g->build->edge_arg);
  g->build->edge_arg = NULL;
  g->build->cap_nodes = n;
  g->build->cap_edges = m;
  g->grad = calloc(n, sizeof *g->grad);
  g->reaches = calloc(n, 1);
  g->edge_local = calloc(m ? m : 1, sizeof *g->edge_local);
  g->edge_grad = calloc(m ? m : 1, sizeof *g->edge_grad);
  g->scratch = malloc(g->max_fan_in * sizeof *g->scratch);
  g->op_nodes = malloc(n * sizeof *g->op_nodes);
  if (!g->grad || !g->reaches || !g->edge_local || !g->edge_grad ||
      !g->scratch || !g->op_nodes ||
      !names_rebuild(g))
    return no_memory(g, err);
  /* In a network half the nodes are leaves (weights, inputs): listing the
   * op nodes lets forward and backward step over them for free. */
  g->n_op_nodes = 0;
  for (size_t v = 0; v < n; v++)
    if (g->op[v] != GDV_OP_LEAF) g->op_nodes[g->n_op_nodes++] = (gdv_id)v;
  return GDV_OK;
}

/* The steps share one set of scratch arrays, allocated up front and freed
 * on every path. Ids from gdv_graph_add_node are void afterwards (look
 * names up again). No recursion. */
gdv_status gdv_graph_finalize(gdv_graph *g, gdv_error *err) {
  if (g->finalized)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, 0,
                         "cannot finalize the graph: it is already finalized");
  if (g->n_nodes == 0)
    return gdv_error_set(err, GDV_ERR_INPUT, g->source, 0,
                         "the graph is empty");
  finalize_work w = {0};
  gdv_id output = GDV_NONE;
  gdv_status st = work_alloc(g, &w, err);
  if (!st) st = index_edges(g, &w, err);
  if (!st) st = topo_order(g, &w, err);
  if (!st) st = find_output(g, &w, &output, err);
  if (!st) st = renumber(g, &w, err);
  if (!st) st = alloc_pass_arrays(g, err);
  if (!st) {
    g->finalized = 1;
    gdv_graph_set_output(g, w.new_of_old[output]);
  }
  work_free(&w);
  return st;
}

/* Marks the nodes with a path to `id`: one reverse sweep suffices because
 * every consumer comes after its operands. */
void gdv_graph_set_output(gdv_graph *g, gdv_id id) {
  g->output = id;
  memset(g->reaches, 0, g->n_nodes);
  g->reaches[id] = 1;
  for (size_t v = id + 1; v-- > 0;) {
    if (!g->reaches[v]) continue;
    for (size_t e = g->arg_start[v]; e < g->arg_start[v + 1]; e++)
      g->reaches[g->edge_from[e]] = 1;
  }
}

/* The graph keeps only in-edges; this builds the out-edge CSR on demand,
 * each node's edges in increasing edge index, for readers that walk forward. */
gdv_status gdv_consumers_build(const gdv_graph *g, gdv_consumers *out,
                               gdv_error *err) {
  size_t n = g->n_nodes;
  out->start = calloc(n + 1, sizeof *out->start);
  out->edge = malloc((g->n_edges ? g->n_edges : 1) * sizeof *out->edge);
  size_t *pos = malloc((n ? n : 1) * sizeof *pos);
  if (!out->start || !out->edge || !pos) {
    free(pos);
    gdv_consumers_free(out);
    return gdv_error_set(err, GDV_ERR_SYSTEM, g->source, 0, "out of memory");
  }
  for (size_t e = 0; e < g->n_edges; e++) out->start[g->edge_from[e] + 1]++;
  for (size_t v = 0; v < n; v++) out->start[v + 1] += out->start[v];
  memcpy(pos, out->start, n * sizeof *pos);
  for (size_t e = 0; e < g->n_edges; e++) out->edge[pos[g->edge_from[e]]++] = e;
  free(pos);
  return GDV_OK;
}

/* Leaves the pointers NULL, so it is safe on a half-built index and safe to
 * call twice. */
void gdv_consumers_free(gdv_consumers *idx) {
  free(idx->start);
  free(idx->edge);
  idx->start = NULL;
  idx->edge = NULL;
}
