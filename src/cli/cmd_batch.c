/* cmd_batch.c: `gradviz batch`: every graph in some files and folders, in
 * every format, into one output folder, N at a time.
 *
 * Each figure is drawn by a child process running `gradviz render` (this
 * same binary, /proc/self/exe): cgraph keeps parser state in globals that a
 * syntax error leaves behind, and a crash in one figure must not take the
 * others down. A task is one figure (input x format); an input's first
 * failure is reported and its remaining figures are not started. The
 * child's stderr comes back through a pipe and is quoted in the summary. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"
#include "io/gdv_io.h"
#include "workflow/gdv_workflow.h"

static const char batch_help[] =
  "Usage: gradviz batch PATH... -o DIR [--formats LIST] [--style S] [-j N] [--force]\n\n"
  "Renders every graph (.dot, .gv, .expr) in the given files and folders\n"
  "(folders recursively, in sorted order) into DIR, in every format of LIST,\n"
  "mirroring the folders: PATH/sub/a.dot gives DIR/sub/a.png. Each figure is\n"
  "drawn by its own `gradviz render` process; a failing input does not stop\n"
  "the others, and is listed at the end with its error.\n\n"
  "  -o, --output-dir DIR  where the figures go (created when missing)\n"
  "  --formats LIST        comma list of png, svg, pdf, dot (default png)\n"
  "  --style NAME|FILE     style for every figure\n"
  "  --show LIST           what every figure shows (see gradviz render)\n"
  "  --precision N         significant digits\n"
  "  --dpi N               PNG resolution (small values make thumbnails)\n"
  "  -j, --jobs N          figures drawn at once (default: the number of CPUs)\n"
  "  --force               redraw figures that are newer than their graph\n\n"
  "Settings a graph file carries (graph attributes gradviz_style,\n"
  "gradviz_show, gradviz_precision, gradviz_dpi) apply to its figure;\n"
  "options given here win over them.\n\n"
  "Progress goes to stderr: a bar on a terminal, else one line per graph.\n"
  "Exit status: 0 when every graph was drawn (or up to date), 1 when some\n"
  "failed, 2 for bad usage, 3 when the output folder cannot be made.\n";

typedef struct job {
  size_t item;
  size_t fmt;           /* index of the format being drawn */
  pid_t pid;            /* 0: not running */
  int fd;               /* read end of the child's stderr, -1 when closed */
  char *out_path;       /* the figure being drawn */
  char *log;            /* the failing child's stderr */
  size_t log_len, log_cap;
} job;

typedef struct failure {
  size_t item;
  const char *format;
  char *message;
} failure;

typedef struct batch {
  const char *dir;
  char **formats;
  size_t n_formats;
  const char *style, *show, *precision, *dpi;
  int force, tty;
  size_t jobs;
  gdv_batch_list list;
  unsigned char *todo;  /* per item x format: 1 to draw */
  size_t *order;        /* items in the order they start: biggest first */
  size_t *pending;      /* per item: figures still to draw */
  unsigned char *failed;  /* per item: a figure of it failed */
  size_t finished, drawn, fresh;
  failure *failures;
  size_t n_failures;
} batch;

static volatile sig_atomic_t interrupted;

/* Only a flag: the main loop sees poll() fail with EINTR and cleans up. */
static void on_interrupt(int sig) { interrupted = sig; }

/* sigaction without SA_RESTART, so the main loop's poll() returns EINTR and
 * the batch notices the interrupt at once. */
static void install_interrupt(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* Splits "png,svg" into a checked list. */
static int parse_formats(const char *text, batch *b) {
  char *copy = strdup(text), *save = NULL;
  if (copy == NULL) return 0;
  size_t cap = 1;
  for (const char *s = text; *s; s++) cap += *s == ',';
  b->formats = calloc(cap, sizeof *b->formats);
  if (b->formats == NULL) {
    free(copy);
    return 0;
  }
  for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    if (strcmp(tok, "png") && strcmp(tok, "svg") && strcmp(tok, "pdf") &&
        strcmp(tok, "dot")) {
      gdv_cli_usage("batch", "unknown format '%s' in --formats (png, svg, pdf, dot)", tok);
      free(copy);
      return 0;
    }
    int dup = 0;
    for (size_t i = 0; i < b->n_formats; i++) dup |= strcmp(b->formats[i], tok) == 0;
    if (!dup) b->formats[b->n_formats++] = strdup(tok);
  }
  free(copy);
  if (b->n_formats == 0) {
    gdv_cli_usage("batch", "--formats needs at least one format");
    return 0;
  }
  return 1;
}

/* Inputs are named as the user gave them, so messages match their paths. */
static const char *display_name(const batch *b, size_t item) {
  return b->list.items[item].input;
}

/* One line per graph when stderr is a file, a redrawn bar on a terminal. */
static void progress(batch *b, size_t item, const char *what) {
  size_t total = b->list.n;
  if (b->tty) {
    int width = 30, filled = total ? (int)(width * b->finished / total) : width;
    fprintf(stderr, "\r\033[K[");
    for (int i = 0; i < width; i++) fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %zu/%zu %s", b->finished, total, display_name(b, item));
  } else {
    int digits = snprintf(NULL, 0, "%zu", total);
    fprintf(stderr, "[%*zu/%zu] %s %s\n", digits, b->finished, total, what,
            display_name(b, item));
  }
  fflush(stderr);
}

/* Forks `gradviz render INPUT -o OUT --format F [options]`, its stderr into
 * a pipe (close-on-exec, so no other child keeps our end open and EOF
 * really means this child is done). */
static int spawn(batch *b, job *j) {
  const gdv_batch_item *it = &b->list.items[j->item];
  const char *fmt = b->formats[j->fmt];
  gdv_error err;
  free(j->out_path);
  j->out_path = gdv_batch_output_path(b->dir, it, fmt);
  if (j->out_path == NULL) return -1;
  if (gdv_make_parent_dirs(j->out_path, &err)) {
    j->log_len = 0;
    char line[1400];
    int n = snprintf(line, sizeof line, "gradviz: %s: %s\n", err.file, err.message);
    if ((j->log = realloc(j->log, (size_t)n + 1)) == NULL) return -1;
    memcpy(j->log, line, (size_t)n + 1);
    j->log_len = (size_t)n;
    return -1;
  }
  const char *argv[20];
  int k = 0;
  argv[k++] = "gradviz";
  argv[k++] = "render";
  argv[k++] = it->input;
  argv[k++] = "-o";
  argv[k++] = j->out_path;
  argv[k++] = "--format";
  argv[k++] = fmt;
  if (b->style) { argv[k++] = "--style"; argv[k++] = b->style; }
  if (b->show) { argv[k++] = "--show"; argv[k++] = b->show; }
  if (b->precision) { argv[k++] = "--precision"; argv[k++] = b->precision; }
  if (b->dpi) { argv[k++] = "--dpi"; argv[k++] = b->dpi; }
  argv[k] = NULL;
  int pfd[2];
  if (pipe2(pfd, O_CLOEXEC) != 0) return -1;
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(pfd[0]);
    close(pfd[1]);
    return -1;
  }
  if (pid == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
    }
    dup2(pfd[1], 2);
    execv("/proc/self/exe", (char *const *)argv);
    dprintf(2, "gradviz: cannot run gradviz render: %s\n", strerror(errno));
    _exit(127);
  }
  close(pfd[1]);
  j->pid = pid;
  j->fd = pfd[0];
  j->log_len = 0;
  return 0;
}

/* Drains what the child wrote to stderr; EOF closes our end, which is how
 * the main loop learns that the child is done. */
static void job_read(job *j) {
  if (j->log_cap - j->log_len < 4096) {
    size_t cap = j->log_cap ? 2 * j->log_cap : 8192;
    char *log = realloc(j->log, cap);
    if (log == NULL) return;
    j->log = log;
    j->log_cap = cap;
  }
  ssize_t n = read(j->fd, j->log + j->log_len, j->log_cap - j->log_len - 1);
  if (n > 0) {
    /* Keep the first 64 KiB: that is where the error line is. */
    if (j->log_len + (size_t)n < 65536) j->log_len += (size_t)n;
    return;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  close(j->fd);
  j->fd = -1;
}

/* The child's message, trimmed, for the summary. */
static char *job_message(job *j, int status) {
  char *msg;
  size_t len = j->log_len;
  const char *log = j->log ? j->log : "";
  while (len > 0 && (log[len - 1] == '\n' || log[len - 1] == ' ')) len--;
  if (WIFSIGNALED(status)) {
    if (asprintf(&msg, "%.*s%skilled by signal %d (%s)", (int)len, log,
                 len ? "\n" : "", WTERMSIG(status), strsignal(WTERMSIG(status))) < 0)
      msg = NULL;
  } else if (len == 0) {
    if (asprintf(&msg, "exit status %d, no message", WEXITSTATUS(status)) < 0)
      msg = NULL;
  } else {
    msg = strndup(log, len);
  }
  return msg;
}

/* Failures are kept, not printed at once: the summary lists them together,
 * after the progress output. */
static void record_failure(batch *b, size_t item, const char *format, char *message) {
  failure *f = realloc(b->failures, (b->n_failures + 1) * sizeof *f);
  if (f == NULL) {
    free(message);
    return;
  }
  b->failures = f;
  f[b->n_failures].item = item;
  f[b->n_failures].format = format;
  f[b->n_failures].message = message;
  b->n_failures++;
}

/* A figure is done: an input is finished when its last figure is drawn, or
 * at its first failure (reported once; its other figures are not started). */
static void task_ended(batch *b, job *j, int ok, int status) {
  size_t item = j->item;
  j->pid = 0;
  if (!ok) gdv_remove_temporaries(j->out_path);
  if (b->failed[item]) {
    /* A sibling figure running at the same time failed first: keep the
     * report of the first format in --formats order, whatever the timing. */
    for (size_t i = 0; !ok && i < b->n_failures; i++) {
      failure *f = &b->failures[i];
      if (f->item != item || strcmp(f->format, b->formats[j->fmt]) == 0) continue;
      size_t have = 0;
      while (have < b->n_formats && strcmp(b->formats[have], f->format)) have++;
      if (j->fmt < have) {
        free(f->message);
        f->message = job_message(j, status);
        f->format = b->formats[j->fmt];
      }
    }
    return;
  }
  if (!ok) {
    record_failure(b, item, b->formats[j->fmt], job_message(j, status));
    b->failed[item] = 1;
    b->finished++;
    progress(b, item, "FAILED");
    return;
  }
  if (--b->pending[item] == 0) {
    b->finished++;
    b->drawn++;
    progress(b, item, "ok    ");
  }
}

/* Ctrl-C: stop every child, remove what they were writing, then die of the
 * same signal so the shell sees an interrupted command. */
static void stop_all(batch *b, job *jobs, size_t n_jobs) {
  for (size_t i = 0; i < n_jobs; i++)
    if (jobs[i].pid > 0) kill(jobs[i].pid, SIGTERM);
  for (size_t i = 0; i < n_jobs; i++) {
    if (jobs[i].pid <= 0) continue;
    int status;
    while (waitpid(jobs[i].pid, &status, 0) < 0 && errno == EINTR) {}
    gdv_remove_temporaries(jobs[i].out_path);
    if (jobs[i].fd >= 0) close(jobs[i].fd);
  }
  if (b->tty) fputc('\n', stderr);
  fprintf(stderr, "gradviz: batch: interrupted after %zu of %zu graphs; "
          "no partial figure left\n", b->finished, b->list.n);
}

/* The scheduler: at most b->jobs children at once, a poll() over their
 * stderr pipes; returns 0, or dies of the signal after an interrupt. */
static int run(batch *b) {
  /* Tasks are figures (input x format), biggest inputs first: finer pieces
   * keep every worker busy until the end. */
  size_t n_tasks = 0, next = 0, running = 0;
  for (size_t i = 0; i < b->list.n * b->n_formats; i++) n_tasks += b->todo[i];
  size_t n_jobs = b->jobs < n_tasks ? b->jobs : n_tasks;
  job *jobs = calloc(n_jobs ? n_jobs : 1, sizeof *jobs);
  struct pollfd *pfds = calloc(n_jobs ? n_jobs : 1, sizeof *pfds);
  size_t *tasks = malloc((n_tasks ? n_tasks : 1) * sizeof *tasks);
  if (jobs == NULL || pfds == NULL || tasks == NULL) {
    free(jobs);
    free(pfds);
    free(tasks);
    fprintf(stderr, "gradviz: batch: out of memory\n");
    return GDV_ERR_SYSTEM;
  }
  size_t k = 0;
  for (size_t o = 0; o < b->list.n; o++) {
    size_t item = b->order[o];
    for (size_t f = 0; f < b->n_formats; f++)
      if (b->todo[item * b->n_formats + f]) {
        tasks[k++] = item * b->n_formats + f;
        b->pending[item]++;
      }
    if (b->pending[item] == 0) {
      b->finished++;
      b->fresh++;
      progress(b, item, "fresh ");
    }
  }
  for (size_t i = 0; i < n_jobs; i++) jobs[i].fd = -1;
  install_interrupt();
  while (!interrupted && (next < n_tasks || running > 0)) {
    for (size_t s = 0; s < n_jobs && next < n_tasks && !interrupted; s++) {
      job *j = &jobs[s];
      if (j->pid != 0 || j->fd >= 0) continue;
      j->item = tasks[next] / b->n_formats;
      j->fmt = tasks[next] % b->n_formats;
      next++;
      if (b->failed[j->item] || spawn(b, j) != 0) {
        if (!b->failed[j->item]) task_ended(b, j, 0, 0);
        s--;  /* the slot is still free */
        continue;
      }
      running++;
    }
    if (running == 0) continue;
    size_t n = 0;
    for (size_t s = 0; s < n_jobs; s++) {
      if (jobs[s].fd < 0) continue;
      pfds[n].fd = jobs[s].fd;
      pfds[n].events = POLLIN;
      pfds[n].revents = 0;
      n++;
    }
    if (poll(pfds, n, 250) < 0 && errno != EINTR) break;
    for (size_t s = 0; s < n_jobs; s++) {
      job *j = &jobs[s];
      if (j->fd < 0) continue;
      for (size_t q = 0; q < n; q++)
        if (pfds[q].fd == j->fd && pfds[q].revents) job_read(j);
      if (j->fd >= 0 || j->pid <= 0) continue;
      /* EOF: the child closed its stderr, it is ending. */
      int status;
      pid_t got;
      while ((got = waitpid(j->pid, &status, 0)) < 0 && errno == EINTR) {}
      if (got < 0) status = 0;
      running--;
      task_ended(b, j, WIFEXITED(status) && WEXITSTATUS(status) == 0, status);
    }
  }
  free(tasks);
  int sig = interrupted;
  if (sig) stop_all(b, jobs, n_jobs);
  for (size_t i = 0; i < n_jobs; i++) {
    free(jobs[i].out_path);
    free(jobs[i].log);
  }
  free(jobs);
  free(pfds);
  if (sig) {
    signal(sig, SIG_DFL);
    raise(sig);
    return 128 + sig;
  }
  return 0;
}

/* Input order, for qsort. */
static int cmp_failures(const void *x, const void *y) {
  const failure *a = x, *b = y;
  return a->item < b->item ? -1 : a->item > b->item;
}

/* Failures in input order, whatever order the children finished in. */
static void summary(batch *b) {
  if (b->n_failures > 1)
    qsort(b->failures, b->n_failures, sizeof *b->failures, cmp_failures);
  if (b->tty) fprintf(stderr, "\r\033[K");
  fprintf(stderr, "gradviz: batch: %zu graph%s: %zu drawn, %zu up to date, %zu failed\n",
          b->list.n, b->list.n == 1 ? "" : "s", b->drawn, b->fresh, b->n_failures);
  for (size_t i = 0; i < b->n_failures; i++) {
    const failure *f = &b->failures[i];
    fprintf(stderr, "failed: %s (%s)\n", b->list.items[f->item].input, f->format);
    const char *m = f->message ? f->message : "(out of memory)";
    while (*m) {
      const char *nl = strchr(m, '\n');
      int len = nl ? (int)(nl - m) : (int)strlen(m);
      fprintf(stderr, "  %.*s\n", len, m);
      m += len + (nl != NULL);
    }
  }
}

/* Biggest graphs first (longest processing time first): the last job to
 * finish is then a small one, and N workers stay busy to the end. Ties keep
 * the sorted name order, so the schedule is deterministic. */
static off_t *sort_size;
/* Biggest first, ties in list (name) order; sort_size is a file static
 * because qsort passes no context. */
static int cmp_order(const void *x, const void *y) {
  size_t a = *(const size_t *)x, b = *(const size_t *)y;
  if (sort_size[a] != sort_size[b]) return sort_size[a] > sort_size[b] ? -1 : 1;
  return a < b ? -1 : a > b;
}

/* A file stat cannot see counts as size 0: its child reports the real error.
 * Returns 0 when out of memory. */
static int plan_order(batch *b) {
  b->order = malloc((b->list.n ? b->list.n : 1) * sizeof *b->order);
  sort_size = malloc((b->list.n ? b->list.n : 1) * sizeof *sort_size);
  if (b->order == NULL || sort_size == NULL) {
    free(sort_size);
    return 0;
  }
  for (size_t i = 0; i < b->list.n; i++) {
    struct stat sb;
    b->order[i] = i;
    sort_size[i] = stat(b->list.items[i].input, &sb) == 0 ? sb.st_size : 0;
  }
  qsort(b->order, b->list.n, sizeof *b->order, cmp_order);
  free(sort_size);
  sort_size = NULL;
  return 1;
}

/* Frees everything a batch owns (safe on a half-built one). */
static void batch_free(batch *b) {
  for (size_t i = 0; i < b->n_formats; i++) free(b->formats[i]);
  free(b->formats);
  for (size_t i = 0; i < b->n_failures; i++) free(b->failures[i].message);
  free(b->failures);
  free(b->todo);
  free(b->order);
  free(b->pending);
  free(b->failed);
  gdv_batch_list_free(&b->list);
}

/* Options, the list of graphs and what is already fresh, then run. */
int gdv_cmd_batch(int argc, char **argv) {
  static const struct option opts[] = {
    {"output-dir", required_argument, NULL, 'o'},
    {"formats", required_argument, NULL, 'F'},
    {"style", required_argument, NULL, 'S'},
    {"show", required_argument, NULL, 'W'},
    {"precision", required_argument, NULL, 'P'},
    {"dpi", required_argument, NULL, 'D'},
    {"jobs", required_argument, NULL, 'j'},
    {"force", no_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  batch b;
  memset(&b, 0, sizeof b);
  const char *formats = "png";
  size_t size;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  b.jobs = cpus > 0 ? (size_t)cpus : 1;
  int c, status = 0;
  while ((c = gdv_cli_getopt("batch", argc, argv, "o:j:h", opts)) != -1) {
    switch (c) {
    case 'o': b.dir = optarg; break;
    case 'F': formats = optarg; break;
    case 'S': b.style = optarg; break;
    case 'W': b.show = optarg; break;
    case 'P':
      if (!gdv_cli_size("batch", "--precision", optarg, &size)) return GDV_ERR_INPUT;
      b.precision = optarg;
      break;
    case 'D':
      if (!gdv_cli_size("batch", "--dpi", optarg, &size)) return GDV_ERR_INPUT;
      b.dpi = optarg;
      break;
    case 'j':
      if (!gdv_cli_size("batch", "--jobs", optarg, &size)) return GDV_ERR_INPUT;
      if (size == 0) return gdv_cli_usage("batch", "--jobs needs at least 1");
      b.jobs = size;
      break;
    case 'f': b.force = 1; break;
    case 'h': fputs(batch_help, stdout); return 0;
    case 'V': printf("gradviz %s\n", PACKAGE_VERSION); return 0;
    default: return GDV_ERR_INPUT;
    }
  }
  if (b.dir == NULL) return gdv_cli_usage("batch", "needs an output folder: -o DIR");
  if (optind >= argc) return gdv_cli_usage("batch", "needs at least one PATH");
  if (!parse_formats(formats, &b)) {
    batch_free(&b);
    return GDV_ERR_INPUT;
  }
  gdv_error err;
  gdv_error_clear(&err);
  if (gdv_batch_collect(argv + optind, (size_t)(argc - optind), b.dir, &b.list, &err)) {
    batch_free(&b);
    return gdv_cli_report(&err);
  }
  if (b.list.n == 0) {
    fprintf(stderr, "gradviz: batch: no graphs (.dot, .gv, .expr) found\n");
    batch_free(&b);
    return GDV_ERR_INPUT;
  }
  b.todo = calloc(b.list.n * b.n_formats, 1);
  b.pending = calloc(b.list.n, sizeof *b.pending);
  b.failed = calloc(b.list.n, 1);
  if (b.todo == NULL || b.pending == NULL || b.failed == NULL || !plan_order(&b)) {
    batch_free(&b);
    fprintf(stderr, "gradviz: batch: out of memory\n");
    return GDV_ERR_SYSTEM;
  }
  for (size_t i = 0; i < b.list.n; i++) {
    for (size_t k = 0; k < b.n_formats; k++) {
      char *out = gdv_batch_output_path(b.dir, &b.list.items[i], b.formats[k]);
      b.todo[i * b.n_formats + k] =
          b.force || out == NULL || !gdv_output_is_fresh(b.list.items[i].input, out);
      free(out);
    }
  }
  b.tty = isatty(2);
  status = run(&b);
  if (status == 0) {
    summary(&b);
    status = b.n_failures ? GDV_ERR_CHECK : 0;
  }
  batch_free(&b);
  return status;
}
