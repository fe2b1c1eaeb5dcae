/*
 * gdv.h: the gradviz core. A computation graph of scalar nodes, its forward
 * and backward passes, and the finite-difference check.
 *
 * The core uses libc and libm only. It never prints and never exits: every
 * function that can fail returns a gdv_status and fills a caller's gdv_error.
 * Nodes and edges are indices (gdv_id), never pointers, so that everything
 * built on top (files, figures, JSON) is deterministic.
 */
#ifndef GDV_H
#define GDV_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gdv_util.h"

/* Status codes double as the command line's exit statuses (CONTRACT 4). */
typedef enum gdv_status {
  GDV_OK = 0,
  GDV_ERR_CHECK = 1,  /* a check that ran and failed */
  GDV_ERR_INPUT = 2,  /* bad input or usage */
  GDV_ERR_SYSTEM = 3  /* the operating system failed us (memory, files) */
} gdv_status;

/* The setting a message is about, when changing it would help. The
 * library's messages say what is wrong in its own terms and never name a
 * command-line flag; a front end names the setting as its users write it
 * (the command line adds the flag, gdv_cli_report). */
typedef enum gdv_setting {
  GDV_SETTING_NONE = 0,
  GDV_SETTING_DPI,           /* a PNG's resolution */
  GDV_SETTING_LAYOUT,        /* the layout in columns would help */
  GDV_SETTING_SHOW,          /* what a figure shows */
  GDV_SETTING_EXPAND,        /* which groups are drawn in full */
  GDV_SETTING_STYLE,         /* a style the user names (any file) */
  GDV_SETTING_STEPS_BY,      /* what one step of the frames adds */
  GDV_SETTING_MAX_OUTPUT,    /* the output size limit */
  GDV_SETTING_OUTPUT_LINKS,  /* writing through a symbolic link */
  GDV_SETTING_FOLLOW_LINKS,  /* following links out of a folder */
  GDV_SETTING_TIME_LIMIT,    /* the time limit */
  GDV_SETTING_ASK,           /* the question of a worksheet (a node or a path) */
  GDV_SETTING_BLANK,         /* what a worksheet leaves for the student */
  GDV_SETTING_LEARNING_RATE, /* training's step size (it diverged) */
  GDV_SETTING_PAGE_NONE      /* a figure drawn at its own size, not on a page */
} gdv_setting;

typedef struct gdv_error {
  gdv_status code;
  char file[512];     /* "" when no file is involved */
  long line;          /* 0 when unknown */
  char message[768];
  gdv_setting setting;  /* GDV_SETTING_NONE unless gdv_error_about said */
} gdv_error;

/* Fills err (when not NULL) and returns code, so callers can write
 * `return gdv_error_set(err, GDV_ERR_INPUT, file, line, "...", ...);`. */
gdv_status gdv_error_set(gdv_error *err, gdv_status code, const char *file,
                         long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
void gdv_error_clear(gdv_error *err);
/* gdv_error_set for a message about a setting (see gdv_setting). */
gdv_status gdv_error_set_about(gdv_error *err, gdv_setting setting, gdv_status code,
                               const char *file, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* The out-of-memory error, worded once: GDV_ERR_SYSTEM, no file. */
gdv_status gdv_error_oom(gdv_error *err);

typedef uint32_t gdv_id;
#define GDV_NONE ((gdv_id)UINT32_MAX)

/* The operations of CONTRACT section 2. GDV_OP_LEAF marks a leaf. */
typedef enum gdv_op {
  GDV_OP_LEAF = 0,
  GDV_OP_ADD, GDV_OP_MUL, GDV_OP_SUB, GDV_OP_DIV,
  GDV_OP_POW,        /* two operands: x0 ^ x1 */
  GDV_OP_POWK,       /* one operand and a constant exponent: x0 ^ k */
  GDV_OP_MAX, GDV_OP_MIN,
  GDV_OP_NEG, GDV_OP_SQUARE, GDV_OP_SQRT, GDV_OP_EXP, GDV_OP_LOG, GDV_OP_ABS,
  GDV_OP_TANH, GDV_OP_SIGMOID, GDV_OP_RELU, GDV_OP_SIN, GDV_OP_COS,
  GDV_OP_IDENTITY,
  GDV_OP_SOFTPLUS,   /* log(1 + exp(x0)) */
  GDV_OP_LOG1P,      /* log(1 + x0), exact for small x0 */
  GDV_OP_SILU,       /* x0 * sigmoid(x0), also called swish */
  GDV_OP_LOGSUMEXP,  /* log(sum of exp(x_k)), computed from the largest */
  GDV_OP_MEAN,       /* (x0 + ... + x_{n-1}) / n */
  GDV_OP_CLAMP,      /* clamp(x, lo, hi) = min(max(x, lo), hi), as PyTorch */
  GDV_OP_COUNT
} gdv_op;

typedef enum gdv_role {
  GDV_ROLE_NONE = 0,  /* op nodes */
  GDV_ROLE_INPUT, GDV_ROLE_PARAM, GDV_ROLE_CONST
} gdv_role;

/* What an op's backward pass reads besides the gradient coming in: the
 * values its forward pass must keep for it (`stats` counts them). */
enum {
  GDV_SAVE_NOTHING = 0,
  GDV_SAVE_INPUTS = 1u << 0,   /* its operands' values (mul, div, log, sin...) */
  GDV_SAVE_OUTPUT = 1u << 1,   /* its own value (exp, tanh, sigmoid, relu, sqrt) */
  GDV_SAVE_INDEX = 1u << 2     /* which operand won (max, min) */
};

/* What the rest of the program needs to know about an op. Adding an op:
 * see "Adding an op" in README.md; the compiler lists the switches. */
typedef struct gdv_op_info {
  const char *name;     /* the name in DOT `op=` and formula calls */
  const char *symbol;   /* UTF-8, for figures: "+", "×", "σ" ... */
  int min_args;
  int max_args;         /* -1: no limit */
  unsigned saves;       /* GDV_SAVE_*: what backward reads */
} gdv_op_info;

const gdv_op_info *gdv_op_get(gdv_op op);
/* Finds an op by its contract name ("pow" gives GDV_OP_POW) or by an
 * alias ("swish" gives GDV_OP_SILU). */
int gdv_op_lookup(const char *name, gdv_op *out);
/* Alias i (from 0) and the op it names; NULL past the last. Aliases are
 * read, never written: a file says the op's own name. */
const char *gdv_op_alias(size_t i, gdv_op *op);
const char *gdv_role_name(gdv_role role);
int gdv_role_lookup(const char *name, gdv_role *out);

/*
 * The graph. Built with gdv_graph_add_*, then gdv_graph_finalize checks it,
 * orders it topologically and renumbers nodes so that node i comes before
 * every consumer of i. After finalize every array below is indexed by that
 * order; in-edges of node v are edges arg_start[v] .. arg_start[v+1]-1, in
 * operand order. After finalize the builders (add_node, add_edge,
 * set_label, mark_output, finalize) refuse with GDV_ERR_INPUT.
 */
typedef struct gdv_graph {
  size_t n_nodes;
  size_t n_edges;
  /* per node */
  char **name;          /* the id in the file */
  char **label;         /* NULL: draw the name */
  uint8_t *op;          /* gdv_op */
  uint8_t *role;        /* gdv_role */
  double *exponent;     /* for GDV_OP_POWK */
  double *value;
  double *grad;         /* dC/dnode */
  uint8_t *reaches;     /* 1 if a path leads to the output */
  long *line;           /* source line, 0 if unknown */
  size_t *arg_start;    /* n_nodes + 1 entries after finalize */
  uint32_t *fan_out;
  /* per edge, grouped by consumer */
  gdv_id *edge_from;
  gdv_id *edge_to;
  double *edge_local;   /* d to / d from */
  double *edge_grad;    /* dC/d(to) * local */
  long *edge_line;
  gdv_id output;
  char *source;         /* file name for messages */
  /* graph attributes worth keeping */
  char *title;
  char *rankdir;
  /* Groups (optional): named sets of nodes a figure may draw as one node.
   * A formula statement is one (its node and the op nodes its expression
   * made, not the leaves or other statements' nodes; label: the equation,
   * "h1 = tanh(w11·x1 + b1)"), and so is a DOT `subgraph cluster_*` (label:
   * the cluster's label, else its name; a node in nested clusters belongs
   * to the innermost). node_group is NULL while n_groups is 0. */
  size_t n_groups;
  char **group_name;
  char **group_label;
  gdv_id *node_group;   /* per node: its group, or GDV_NONE */
  /* Recorded numbers (optional): what the code that built the graph says
   * a node's value and dC/dnode were (a student's backward, PyTorch, a
   * draw_dot file). They never change what gradviz computes; `check`
   * compares them. NULL while no node has one (see gdv_graph_record). */
  struct gdv_recorded *recorded;
  /* private: building state and scratch */
  struct gdv_graph_build *build;
  double *scratch;      /* max fan-in doubles, for mul's prefix products */
  size_t max_fan_in;
  gdv_id *op_nodes;     /* the op nodes in order: the passes skip leaves */
  size_t n_op_nodes;
  int finalized;        /* set by finalize; the builders then refuse */
} gdv_graph;

gdv_status gdv_graph_new(gdv_graph **out, const char *source, gdv_error *err);
void gdv_graph_free(gdv_graph *g);

/* Adds a node named `name` (copied). Returns its id in *out. */
gdv_status gdv_graph_add_node(gdv_graph *g, const char *name, gdv_op op,
                              long line, gdv_id *out, gdv_error *err);
gdv_status gdv_graph_set_label(gdv_graph *g, gdv_id id, const char *label,
                               gdv_error *err);
/* Adds the edge from -> to. arg < 0: operand order is edge order. */
gdv_status gdv_graph_add_edge(gdv_graph *g, gdv_id from, gdv_id to, long arg,
                              long line, gdv_error *err);
/* Marks `id` as the output (CONTRACT 1: output=true). */
gdv_status gdv_graph_mark_output(gdv_graph *g, gdv_id id, gdv_error *err);
/* Checks arity, values, args, output; orders; finds cycles. */
gdv_status gdv_graph_finalize(gdv_graph *g, gdv_error *err);

/* Adds a group (name and label copied; label NULL: the name); its index in
 * *out. Then gdv_graph_set_group puts a node in it (a node is in at most
 * one group: the last call wins). Builders: refused after finalize, which
 * renumbers node_group with the nodes. */
gdv_status gdv_graph_add_group(gdv_graph *g, const char *name, const char *label,
                               gdv_id *out, gdv_error *err);
gdv_status gdv_graph_set_group(gdv_graph *g, gdv_id node, gdv_id group,
                               gdv_error *err);
/* A recorded number, kept with the precision of its text: `half` is half
 * a unit of its last written digit (0.5000: 5e-5), the widest gap the
 * writer's rounding explains. */
enum {
  GDV_REC_VALUE = 1u << 0,
  GDV_REC_GRAD = 1u << 1,
  GDV_REC_ROUNDED_LEAF = 1u << 2   /* a leaf whose value is its recorded
                                      text (draw_dot's data): as rounded */
};
typedef struct gdv_recorded {
  unsigned has;         /* GDV_REC_* */
  double value, value_half;
  double grad, grad_half;
} gdv_recorded;

/* Records node id's value (which GDV_REC_VALUE) or gradient
 * (GDV_REC_GRAD) as written in `text`, which must be a number; allocates
 * g->recorded on first use. Builder: refused after finalize. */
gdv_status gdv_graph_record(gdv_graph *g, gdv_id id, unsigned which,
                            const char *text, gdv_error *err);
/* Half a unit of the last digit written in a number's text ("0.5000":
 * 5e-5, "2": 0.5, "1.25e-3": 5e-6); the text must pass gdv_parse_number. */
double gdv_number_half_unit(const char *text);

/* The group called `name`, or GDV_NONE. */
gdv_id gdv_graph_find_group(const gdv_graph *g, const char *name);

/* After finalize: the node called `name`, or GDV_NONE. */
gdv_id gdv_graph_find(const gdv_graph *g, const char *name);
/* Makes `id` the output C and recomputes which nodes reach it. */
void gdv_graph_set_output(gdv_graph *g, gdv_id id);
static inline size_t gdv_fan_in(const gdv_graph *g, gdv_id v) {
  return g->arg_start[v + 1] - g->arg_start[v];
}
/* Whether node v bears a name of the file's: a formula's statements and
 * leaves, every node of a DOT file; 0 for the operations a formula makes
 * inside a statement (named h1#2 in group h1). The figure must show every
 * named node's value and gradient. */
int gdv_graph_named(const gdv_graph *g, gdv_id v);
/* The name a figure or table shows: label if set, else the id. */
const char *gdv_graph_display_name(const gdv_graph *g, gdv_id v);

/* Forward pass: every op node's value from its operands, in order. */
void gdv_forward(gdv_graph *g);
/* Backward pass from the output: every edge's local and grad, every node's
 * grad. Needs the values of the last forward pass. */
void gdv_backward(gdv_graph *g);
/* Computes the value of the output only, without touching grads: the
 * forward pass finite differences call. */
double gdv_forward_output(gdv_graph *g);

/* Out-edges: CSR by producer, built on demand (fan-out sums, drawing). */
typedef struct gdv_consumers {
  size_t *start;   /* n_nodes + 1 */
  size_t *edge;    /* edge indices, by producer, in consumer order */
} gdv_consumers;
gdv_status gdv_consumers_build(const gdv_graph *g, gdv_consumers *out,
                               gdv_error *err);
void gdv_consumers_free(gdv_consumers *idx);

/* A group seen from outside, for drawing it as one node (gdv_group.c).
 * Its EXIT is the member whose value leaves the group (used outside it, the
 * output, or used by nothing); every member reaches the exit inside the
 * group, so a single-exit group collapses without making a cycle. A leaf
 * declared in the group but used outside it too is not a member here
 * (node_group says GDV_NONE): it is an input of every group using it. Each
 * node u outside feeding the group is one INPUT: `local` is d exit / d u
 * through the group (the chain rule summed over the paths inside it, by a
 * reverse pass over the members' edges), `grad` the sum of the grads of
 * u's edges into the group (from the backward pass: dC/du's share that
 * flows through the group). Needs forward and backward first. */
typedef struct gdv_group_input {
  gdv_id from;
  size_t first_edge;    /* u's first edge into the group (graph order) */
  size_t n_edges;       /* u's edges into the group */
  double local;
  double grad;
} gdv_group_input;

typedef struct gdv_groups {
  size_t n;             /* g->n_groups */
  gdv_id *exit;         /* per group; GDV_NONE when several members exit */
  gdv_id *exit2;        /* when several: two of them (2k, 2k+1), for
                           messages */
  size_t *n_members;    /* per group */
  size_t *input_start;  /* n + 1: group k's inputs are input_start[k] ..
                           input_start[k+1]-1, by first_edge */
  gdv_group_input *inputs;
  size_t *edge_input;   /* per graph edge: its input, or SIZE_MAX (inside
                           a group, or into no group) */
  gdv_id *node_group;   /* per node: the group it counts in (merges applied) */
  gdv_id *merged_into;  /* per group: the group it counts as (itself if not
                           merged; a merged group has no members) */
} gdv_groups;

/* Linear in nodes and edges; no recursion. Empty (n 0) without groups. */
gdv_status gdv_groups_analyse(const gdv_graph *g, gdv_groups *out, gdv_error *err);
/* The same with groups merged: the nodes of group k count as group
 * into[k]'s (into[k] == k: not merged; one level, into[into[k]] ==
 * into[k], else GDV_ERR_INPUT), so that several statements, such as a
 * network's cost after its last layer, are seen from outside as one. */
gdv_status gdv_groups_analyse_merged(const gdv_graph *g, const gdv_id *into, gdv_groups *out,
                                     gdv_error *err);
void gdv_groups_free(gdv_groups *gr);

/* Finite-difference check (CONTRACT 4, `check`). */
typedef struct gdv_check_options {
  double eps;        /* central difference step, default 1e-6 */
  double rtol;       /* default 1e-5 */
  size_t sample;     /* 0: every leaf */
  uint64_t seed;
} gdv_check_options;

typedef struct gdv_check_row {
  gdv_id leaf;
  double analytic;   /* from backprop */
  double numeric;    /* (C(x+eps) - C(x-eps)) / 2eps */
  double error;      /* |a - n| / max(1, |a|, |n|) */
  int ok;
} gdv_check_row;

typedef struct gdv_check_result {
  gdv_check_row *rows;
  size_t n_rows;
  size_t n_failed;
  size_t n_leaves;          /* leaves in the graph */
  size_t forward_passes;    /* finite differences: 2 per checked leaf */
  double output_value;
} gdv_check_result;

void gdv_check_defaults(gdv_check_options *opt);
/* Runs forward+backward, then finite differences on the chosen leaves
 * (params first, then inputs, then consts). Leaves values as they were. */
gdv_status gdv_check_run(gdv_graph *g, const gdv_check_options *opt,
                         gdv_check_result *res, gdv_error *err);
void gdv_check_result_free(gdv_check_result *res);

/* Recorded numbers against computed ones (after forward and backward).
 * A recorded number matches when |r - c| <= max(its half unit,
 * rtol * max(|r|, |c|)) + u, u being how far c can move when the leaves
 * whose values are rounded text (GDV_REC_ROUNDED_LEAF) move within their
 * half units (0 without such leaves; found by moving each, two passes per
 * leaf; values and grads are left as they were). For a wrong gradient the likely cause, from the
 * node's out-edge terms t_j = (recorded dC/dconsumer, else computed) *
 * d consumer / d node: */
typedef enum gdv_rec_cause {
  GDV_CAUSE_NONE = 0,
  GDV_CAUSE_OVERWRITTEN,   /* fans out; equals some of its terms, not all:
                              overwritten instead of accumulated */
  GDV_CAUSE_DOWNSTREAM     /* equals the sum of its terms: its own backward
                              is right, a consumer's recorded grad is wrong */
} gdv_rec_cause;

typedef struct gdv_rec_row {
  gdv_id node;
  unsigned which;          /* GDV_REC_VALUE or GDV_REC_GRAD */
  double recorded, computed;
  gdv_rec_cause cause;
  size_t n_terms;          /* out-edge terms (edges into consumers) */
  size_t n_matched;        /* OVERWRITTEN: how many terms the recorded
                              number sums */
  size_t first_edge;       /* OVERWRITTEN: the first of them (an edge) */
} gdv_rec_row;

typedef struct gdv_rec_result {
  size_t n_recorded;       /* recorded numbers compared */
  size_t n_wrong;
  gdv_rec_row *rows;       /* the wrong ones, by node, value before grad */
  uint8_t *wrong_grad;     /* per node: 1 when its recorded grad is wrong */
} gdv_rec_result;

gdv_status gdv_recorded_check(gdv_graph *g, double rtol,
                              gdv_rec_result *res, gdv_error *err);
void gdv_rec_result_free(gdv_rec_result *res);
/* 1 when the recorded x matches the computed c (see above). */
int gdv_recorded_matches(double x, double half, double c, double rtol);

/* The next number of the splitmix64 sequence from *state (which it
 * advances): fixed on every platform, for sampling and seeded weights. */
uint64_t gdv_splitmix64(uint64_t *state);

/* Reading numbers as the contract allows (`-1.5`, `.5`, `4.`, `2e-3`). */
int gdv_parse_number(const char *text, double *out);
/* 1 when text is written as a number but too large for a double. */
int gdv_number_overflows(const char *text);
/* Shortest decimal text that reads back as the same double ("null" not
 * handled here: callers decide). buf needs 32 bytes. */
char *gdv_number_text(double x, char *buf, size_t size);

/* -1, 0 or 1 as a is below, equal to or above b: what the qsort orders of
 * sizes, indexes and file positions end in. Compares rather than
 * subtracts, which could wrap; one spelling instead of three. */
static inline int gdv_cmp_u64(uint64_t a, uint64_t b) {
  return (a > b) - (a < b);
}

/* "Did you mean": the known name closest to a misspelt word (gdv_suggest.c).
 * Start with the word, offer every known name, then read the hint. Names
 * over GDV_SUGGEST_MAX bytes are never compared. */
#define GDV_SUGGEST_MAX 64
typedef struct gdv_suggest {
  const char *word;
  const char *prefix;               /* before the name in the hint ("--") */
  size_t distance;                  /* edits to best; SIZE_MAX while none */
  char best[GDV_SUGGEST_MAX + 1];   /* "" while no name is close */
} gdv_suggest;
void gdv_suggest_start(gdv_suggest *s, const char *word);
void gdv_suggest_offer(gdv_suggest *s, const char *name);
/* " (did you mean 'NAME'?)", or "" when no name was close; in buf. */
const char *gdv_suggest_hint(const gdv_suggest *s, char *buf, size_t size);
/* That hint for a word that is no op's name, over the op table. */
const char *gdv_op_hint(const char *word, char *buf, size_t size);
#define GDV_HINT_SIZE (GDV_SUGGEST_MAX + 32)

/* The index of name in a table of n names, or -1: the one lookup behind
 * every option value that names an enum member (formats, legend places). */
static inline int gdv_name_index(const char *const *names, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(name, names[i]) == 0) return i;
  return -1;
}

#endif
