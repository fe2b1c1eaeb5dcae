/*
 * gdv_batch_run.c: the scheduler of `gradviz batch`. Each figure is drawn
 * by a child process running `EXE render` (cgraph keeps parser state in
 * globals that a syntax error leaves behind, and a crash in one figure must
 * not take the others down). A task is one input: its child parses and lays
 * the graph out once and draws every format asked for (`render -o A.png -o
 * A.svg ...`) into this run's work folder; once it exits 0 the figures are
 * moved into place (gdv_batch_out.c) and their lines added to the manifest,
 * so the manifest follows the figures as they land. A child past the time
 * limit is killed; every child dies with the batch (PR_SET_PDEATHSIG), even
 * when the batch is killed outright. The child's stderr comes back through
 * a pipe and becomes the failure's message. Nothing here prints: the caller
 * gets a progress callback and a result to print from.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch/gdv_batch.h"

/* Only the start of a child's stderr is kept: that is where the error is. */
#define LOG_KEEP 65536

typedef struct job {
  size_t item;
  size_t fmt;           /* index of the first format being drawn */
  pid_t pid;            /* 0: not running */
  int fd;               /* read end of the child's stderr, -1 when closed */
  char **out_paths;     /* per format: where the child draws it, or NULL */
  char *log;            /* the child's stderr; log_cap is always its size */
  size_t log_len, log_cap;
  double deadline;      /* monotonic seconds; 0: no time limit */
  int timed_out;        /* killed for passing the time limit */
  gdv_setting setting;  /* what would help, when the batch itself refused */
} job;

/* One batch in progress: the plan, the result it fills, and the state of
 * every task and child. */
/* Where an input stands while the batch runs. */
typedef struct item_state {
  size_t pending;         /* figures still to draw */
  unsigned char failed;   /* a figure of it failed */
} item_state;

typedef struct runner {
  const gdv_batch_plan *p;
  gdv_batch_result *r;
  size_t *tasks;        /* every item in the order they start, biggest first
                           (plan_order); then, in place, only those with
                           figures to draw (queue_tasks) */
  item_state *state;    /* per item */
  size_t n_tasks, next, running;
  job *jobs;
  size_t n_jobs;
  struct pollfd *pfds;
  int root_fd;          /* the output folder */
  int work_fd;          /* this run's work folder, -1 until made */
  size_t *landed;       /* figures (item x format) in place, not yet in
                           the manifest */
  size_t n_landed;
  gdv_batch_ledger ledger;  /* the manifest between additions */
} runner;

/* Makes room for `room` more bytes and a NUL; the capacity is recorded with
 * the buffer, so a reused slot never reads into a smaller block. */
static int log_reserve(job *j, size_t room) {
  if (j->log_cap - j->log_len >= room + 1 && j->log != NULL) return 1;
  size_t cap = j->log_cap ? j->log_cap : 8192;
  while (cap - j->log_len < room + 1) cap *= 2;
  char *log = realloc(j->log, cap);
  if (log == NULL) return 0;
  j->log = log;
  j->log_cap = cap;
  return 1;
}

/* The job's message when it failed before a child could run. */
static void log_set(job *j, const char *text) {
  j->log_len = 0;
  size_t n = strlen(text);
  if (!log_reserve(j, n)) return;
  memcpy(j->log, text, n + 1);
  j->log_len = n;
}

/* Forgets the paths of the job's last input. */
static void job_paths_free(job *j, size_t n_formats) {
  for (size_t f = 0; f < n_formats; f++) {
    free(j->out_paths[f]);
    j->out_paths[f] = NULL;
  }
}

/* `EXE render INPUT -o OUT --format F ARGS...` for one figure, `EXE render
 * INPUT -o OUT1 -o OUT2 ... ARGS...` (formats by suffix) for several, or
 * the plan's command with each output after its flag, then the item's
 * own options; NULL-terminated (malloc'd array; the strings belong to the
 * plan, the list and the job). */
static const char **child_argv(const gdv_batch_plan *p, const job *j) {
  size_t n_args = 0, n_out = 0, n_own = 0;
  char **own = p->list->items[j->item].args;
  while (p->render_args && p->render_args[n_args]) n_args++;
  while (own && own[n_own]) n_own++;
  for (size_t f = 0; f < p->n_formats; f++) n_out += j->out_paths[f] != NULL;
  const char **argv = malloc((6 + 2 * n_out + n_args + n_own) * sizeof *argv);
  if (argv == NULL) return NULL;
  size_t k = 0;
  argv[k++] = "gradviz";
  argv[k++] = p->command ? p->command : "render";
  argv[k++] = p->list->items[j->item].input;
  for (size_t f = 0; f < p->n_formats; f++) {
    if (j->out_paths[f] == NULL) continue;
    argv[k++] = p->out_flags ? p->out_flags[f] : "-o";
    argv[k++] = j->out_paths[f];
  }
  if (n_out == 1 && p->out_flags == NULL) {
    argv[k++] = "--format";
    argv[k++] = p->formats[j->fmt];
  }
  for (size_t i = 0; i < n_args; i++) argv[k++] = p->render_args[i];
  for (size_t i = 0; i < n_own; i++) argv[k++] = own[i];
  argv[k] = NULL;
  return argv;
}

/* Seconds on the monotonic clock, for time limits. */
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* In the child: it dies with the batch (SIGKILL when the parent is gone,
 * also when the parent was killed outright: a child must not outlive it
 * and go on writing), default signals, no terminal input or output,
 * stderr into the pipe; never returns. */
static void child_exec(const char *exe, const char **argv, int err_fd, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  /* the parent died before prctl */
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
  }
  dup2(err_fd, 2);
  execv(exe, (char *const *)argv);
  dprintf(2, "gradviz: cannot run gradviz render: %s\n", strerror(errno));
  _exit(127);
}

/* "gradviz: FILE: MESSAGE", the line a child would print for err. */
static void log_error(job *j, const gdv_error *err) {
  char *line = NULL;
  if (asprintf(&line, "gradviz: %s%s%s", err->file, err->file[0] ? ": " : "",
               err->message) < 0)
    line = NULL;
  log_set(j, line ? line : "gradviz: batch: out of memory");
  free(line);
  j->setting = err->setting;
}

/* Checks where the job's figures go (folders made, no link on the way)
 * and names the work files its child draws. -1: the task fails at once
 * (the log says why). */
static int prepare(runner *rn, job *j) {
  const gdv_batch_plan *p = rn->p;
  const gdv_batch_item *it = &p->list->items[j->item];
  gdv_error err;
  gdv_error_clear(&err);
  if (it->outside) {
    gdv_error_set_about(&err, GDV_SETTING_FOLLOW_LINKS, GDV_ERR_INPUT, it->input, 0,
                        "a symbolic link to a file outside its folder: not followed");
    log_error(j, &err);
    return -1;
  }
  const char *base = strrchr(it->stem, '/');
  base = base ? base + 1 : it->stem;
  char *work = gdv_batch_work_path(p->dir, j->item);
  for (size_t f = 0; f < p->n_formats; f++) {
    if (!p->todo[j->item * p->n_formats + f]) continue;
    if (j->fmt == p->n_formats) j->fmt = f;
    if (work == NULL || asprintf(&j->out_paths[f], "%s%s.%s", work, base, p->formats[f]) < 0) {
      j->out_paths[f] = NULL;
      free(work);
      return -1;
    }
    if (gdv_batch_output_check(rn->root_fd, p->dir, it, p->formats[f], &err)) {
      free(work);
      log_error(j, &err);
      return -1;
    }
  }
  free(work);
  return 0;
}

/* Starts the job's child, drawing into its own folder in the work folder;
 * its stderr goes into a pipe (close-on-exec, so no other child keeps our
 * end open and EOF really means this child is done). -1: the figure failed
 * before a child ran (the log says why). */
static int spawn(runner *rn, job *j) {
  const gdv_batch_plan *p = rn->p;
  j->log_len = 0;
  j->timed_out = 0;
  j->setting = GDV_SETTING_NONE;
  job_paths_free(j, p->n_formats);
  j->fmt = p->n_formats;
  if (prepare(rn, j) != 0) return -1;
  gdv_error err;
  if (rn->work_fd < 0 && (rn->work_fd = gdv_batch_work_open(rn->root_fd, p->dir, &err)) < 0) {
    log_error(j, &err);
    return -1;
  }
  int item_fd = gdv_batch_work_item(rn->work_fd, j->item, 1);
  if (item_fd < 0) return -1;
  close(item_fd);
  const char **argv = child_argv(p, j);
  int pfd[2];
  if (argv == NULL) return -1;
  if (pipe2(pfd, O_CLOEXEC) != 0) {
    free(argv);
    return -1;
  }
  fflush(stderr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) child_exec(p->exe, argv, pfd[1], parent);
  free(argv);
  close(pfd[1]);
  if (pid < 0) {
    close(pfd[0]);
    return -1;
  }
  j->pid = pid;
  j->fd = pfd[0];
  j->deadline = p->time_limit > 0 ? now() + p->time_limit : 0;
  return 0;
}

/* Drains what the child wrote to stderr; EOF closes our end, which is how
 * the loop learns that the child is done. */
static void job_read(job *j) {
  if (!log_reserve(j, 4096)) return;
  ssize_t n = read(j->fd, j->log + j->log_len, j->log_cap - j->log_len - 1);
  if (n > 0) {
    if (j->log_len + (size_t)n < LOG_KEEP) j->log_len += (size_t)n;
    return;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  close(j->fd);
  j->fd = -1;
}

/* Every occurrence of `from` in text replaced by `to` (malloc'd; text
 * itself when out of memory or nothing to replace). */
static char *replace_all(char *text, const char *from, const char *to) {
  size_t lf = strlen(from), lt = strlen(to), count = 0;
  for (const char *q = text; lf && (q = strstr(q, from)) != NULL; q += lf) count++;
  if (count == 0) return text;
  char *out = malloc(strlen(text) + count * lt + 1), *o = out;
  if (out == NULL) return text;
  for (const char *q = text, *hit; ; q = hit + lf) {
    hit = strstr(q, from);
    size_t keep = hit ? (size_t)(hit - q) : strlen(q);
    memcpy(o, q, keep);
    o += keep;
    if (hit == NULL) break;
    memcpy(o, to, lt);
    o += lt;
  }
  *o = '\0';
  free(text);
  return out;
}

/* The child's message, trimmed, for the summary; the work folder's name
 * in it (a file the child could not write) becomes the figure's folder. */
static char *job_message(const runner *rn, const job *j, int status) {
  char *msg;
  size_t len = j->log_len;
  const char *log = j->log ? j->log : "";
  const gdv_batch_item *it = &rn->p->list->items[j->item];
  while (len > 0 && (log[len - 1] == '\n' || log[len - 1] == ' ')) len--;
  if (j->timed_out) {
    if (asprintf(&msg, "%.*s%sgradviz: %s: stopped after the time limit of %g s",
                 (int)len, log, len ? "\n" : "", it->input,
                 rn->p->time_limit) < 0)
      msg = NULL;
  } else if (WIFSIGNALED(status)) {
    if (asprintf(&msg, "%.*s%skilled by signal %d (%s)", (int)len, log,
                 len ? "\n" : "", WTERMSIG(status), strsignal(WTERMSIG(status))) < 0)
      msg = NULL;
  } else if (len == 0) {
    if (asprintf(&msg, "exit status %d, no message", WEXITSTATUS(status)) < 0)
      msg = NULL;
  } else {
    msg = strndup(log, len);
  }
  char *work = gdv_batch_work_path(rn->p->dir, j->item);
  char *out = gdv_batch_output_path(rn->p->dir, it, "x");  /* DIR/sub/NAME.x */
  char *slash = out ? strrchr(out, '/') : NULL;
  if (slash) slash[1] = '\0';
  if (msg && work && slash) msg = replace_all(msg, work, out);
  free(work);
  free(out);
  return msg;
}

/* Failures are kept for the caller's summary; without memory for the
 * record the input still counts as failed (its message is lost). */
static void record_failure(gdv_batch_result *r, size_t item, size_t fmt, char *message,
                           gdv_setting setting) {
  gdv_batch_failure *f = realloc(r->failures, (r->n_failures + 1) * sizeof *f);
  if (f == NULL) {
    free(message);
    return;
  }
  r->failures = f;
  f[r->n_failures] = (gdv_batch_failure){item, fmt, message, setting};
  r->n_failures++;
}

/* Tells the caller an input is finished. */
static void report(runner *rn, size_t item, gdv_batch_outcome what) {
  if (rn->p->progress) rn->p->progress(rn->p->ctx, item, what, rn->r->finished);
}

/* Moves the figures the child drew into place, in format order, until one
 * cannot be (a link planted there, say): 0 then, with the log saying why.
 * The ones in place wait in rn->landed for the manifest. */
static int land(runner *rn, job *j) {
  const gdv_batch_plan *p = rn->p;
  int from = -1, ok = 1;
  char name[32];
  snprintf(name, sizeof name, "%zu", j->item);
  from = openat(rn->work_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  for (size_t f = 0; ok && f < p->n_formats; f++) {
    if (j->out_paths[f] == NULL) continue;
    gdv_error err;
    gdv_error_clear(&err);
    if (from < 0) {
      gdv_error_set(&err, GDV_ERR_SYSTEM, p->dir, 0, "the work folder is gone");
    } else if (gdv_batch_output_land(rn->root_fd, p->dir, &p->list->items[j->item],
                                     p->formats[f], from, &err) == GDV_OK) {
      rn->r->made[j->item * p->n_formats + f] = 1;
      rn->landed[rn->n_landed++] = j->item * p->n_formats + f;
      continue;
    }
    j->fmt = f;
    log_error(j, &err);
    ok = 0;
  }
  if (from >= 0) close(from);
  return ok;
}

/* A task is done: its input is finished, drawn (every figure in place) or
 * failed (reported once; its other figures are not started). What the
 * child left in the work folder goes. */
static void task_ended(runner *rn, job *j, int ok, int status) {
  size_t item = j->item, n_formats = rn->p->n_formats;
  gdv_batch_result *r = rn->r;
  int landed = ok && land(rn, j);
  j->pid = 0;
  if (rn->work_fd >= 0) gdv_batch_work_item(rn->work_fd, item, 0);
  r->finished++;
  if (!landed) {
    record_failure(r, item, j->fmt < n_formats ? j->fmt : 0,
                   ok ? strndup(j->log ? j->log : "", j->log_len) : job_message(rn, j, status),
                   j->timed_out ? GDV_SETTING_TIME_LIMIT : j->setting);
    rn->state[item].failed = 1;
    report(rn, item, GDV_BATCH_FAILED);
    return;
  }
  rn->state[item].pending = 0;
  r->drawn++;
  report(rn, item, GDV_BATCH_DRAWN);
}

/* Adds the figures now in place to the manifest; the first failure to
 * write it is kept for the caller (the figures are still there, and the
 * next run redraws what the manifest lacks). */
static void record_landed(runner *rn) {
  const gdv_batch_plan *p = rn->p;
  if (rn->n_landed == 0) return;
  gdv_error err;
  gdv_error_clear(&err);
  if (gdv_batch_manifest_add(p->dir, &rn->ledger, p->list, p->formats, p->n_formats, p->want,
                             rn->landed, rn->n_landed, &err) != GDV_OK &&
      !rn->r->manifest_failed) {
    rn->r->manifest_failed = 1;
    rn->r->manifest_err = err;
  }
  rn->n_landed = 0;
}

/* A stop: kill every child and wait for it; what they were writing goes
 * with the work folder. */
static void stop_all(runner *rn) {
  for (size_t i = 0; i < rn->n_jobs; i++)
    if (rn->jobs[i].pid > 0) kill(rn->jobs[i].pid, SIGTERM);
  for (size_t i = 0; i < rn->n_jobs; i++) {
    job *j = &rn->jobs[i];
    if (j->pid <= 0) continue;
    int status;
    while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR) {}
    if (j->fd >= 0) close(j->fd);
    j->pid = 0;
    j->fd = -1;
  }
}

/* An input's size, for ordering: biggest first. */
typedef struct sized {
  off_t size;
  size_t item;
} sized;

/* Biggest first, ties in list (name) order, so the schedule is
 * deterministic. */
static int cmp_sized(const void *x, const void *y) {
  const sized *a = x, *b = y;
  if (a->size != b->size) return a->size > b->size ? -1 : 1;
  return gdv_cmp_u64(a->item, b->item);
}

/* Longest processing time first: the last job to finish is then a small
 * one, and N workers stay busy to the end. A file stat cannot see counts
 * as size 0: its child reports the real error. */
static int plan_order(runner *rn) {
  size_t n = rn->p->list->n;
  sized *s = malloc((n ? n : 1) * sizeof *s);
  if (s == NULL) return 0;
  for (size_t i = 0; i < n; i++) {
    struct stat sb;
    s[i].item = i;
    s[i].size = stat(rn->p->list->items[i].input, &sb) == 0 ? sb.st_size : 0;
  }
  qsort(s, n, sizeof *s, cmp_sized);
  for (size_t i = 0; i < n; i++) rn->tasks[i] = s[i].item;
  free(s);
  return 1;
}

/* Tasks are inputs, biggest first, so the last to finish is a small one.
 * Inputs with nothing to draw are finished (up to date) at once; the
 * others stay in the list, which shrinks in place (k never passes o). */
static void queue_tasks(runner *rn) {
  const gdv_batch_plan *p = rn->p;
  size_t k = 0;
  for (size_t o = 0; o < p->list->n; o++) {
    size_t item = rn->tasks[o];
    item_state *st = &rn->state[item];
    for (size_t f = 0; f < p->n_formats; f++)
      st->pending += p->todo[item * p->n_formats + f];
    if (st->pending > 0) rn->tasks[k++] = item;
    if (st->pending == 0) {
      rn->r->finished++;
      rn->r->fresh++;
      report(rn, item, GDV_BATCH_FRESH);
    }
  }
}

/* Fills the free slots with the next tasks; a task that cannot start ends
 * as a failure and its slot takes the next one. */
static void start_jobs(runner *rn) {
  for (size_t s = 0; s < rn->n_jobs && rn->next < rn->n_tasks && !*rn->p->stop; s++) {
    job *j = &rn->jobs[s];
    if (j->pid != 0 || j->fd >= 0) continue;
    j->item = rn->tasks[rn->next];
    rn->next++;
    if (rn->state[j->item].failed || spawn(rn, j) != 0) {
      if (!rn->state[j->item].failed) task_ended(rn, j, 0, 0);
      s--;  /* the slot is still free */
      continue;
    }
    rn->running++;
  }
}

/* One poll() over the children's stderr pipes; a child whose pipe reached
 * EOF is reaped and its task ended. Returns 0 when poll itself failed. */
static int poll_jobs(runner *rn) {
  size_t n = 0;
  for (size_t s = 0; s < rn->n_jobs; s++) {
    if (rn->jobs[s].fd < 0) continue;
    rn->pfds[n] = (struct pollfd){rn->jobs[s].fd, POLLIN, 0};
    n++;
  }
  int wait_ms = 250;
  double t = now();
  for (size_t s = 0; s < rn->n_jobs; s++) {
    const job *j = &rn->jobs[s];
    if (j->pid > 0 && j->deadline > 0 && !j->timed_out && (j->deadline - t) * 1000 < wait_ms)
      wait_ms = j->deadline > t ? (int)((j->deadline - t) * 1000) + 1 : 0;
  }
  if (poll(rn->pfds, n, wait_ms) < 0 && errno != EINTR) return 0;
  t = now();
  for (size_t s = 0; s < rn->n_jobs; s++) {
    job *j = &rn->jobs[s];
    /* past its time: killed here, reaped below once its pipe closes */
    if (j->pid > 0 && j->deadline > 0 && !j->timed_out && t >= j->deadline) {
      kill(j->pid, SIGKILL);
      j->timed_out = 1;
    }
    if (j->fd < 0) continue;
    for (size_t q = 0; q < n; q++)
      if (rn->pfds[q].fd == j->fd && rn->pfds[q].revents) job_read(j);
    if (j->fd >= 0 || j->pid <= 0) continue;
    int status;
    pid_t got;
    while ((got = waitpid(j->pid, &status, 0)) < 0 && errno == EINTR) {}
    if (got < 0) status = 0;
    rn->running--;
    task_ended(rn, j, WIFEXITED(status) && WEXITSTATUS(status) == 0, status);
  }
  return 1;
}

/* Frees what one job holds: its paths and its log (what runner_init
 * gave it, and what its runs added). */
static void job_free(job *j, size_t n_formats) {
  if (j->out_paths) job_paths_free(j, n_formats);
  free(j->out_paths);
  free(j->log);
}

/* Frees what the runner owns (not the plan or the result). */
static void runner_free(runner *rn) {
  for (size_t i = 0; rn->jobs && i < rn->n_jobs; i++) job_free(&rn->jobs[i], rn->p->n_formats);
  free(rn->jobs);
  free(rn->pfds);
  free(rn->tasks);
  free(rn->state);
  free(rn->landed);
  gdv_batch_manifest_free(&rn->ledger.m);
  if (rn->root_fd >= 0) close(rn->root_fd);
}

/* Allocates the runner's arrays and the result's; 0 when out of memory. */
static int runner_init(runner *rn, const gdv_batch_plan *p, gdv_batch_result *r) {
  size_t n = p->list->n, figures = n * p->n_formats;
  memset(rn, 0, sizeof *rn);
  rn->p = p;
  rn->r = r;
  rn->work_fd = -1;
  rn->root_fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (size_t i = 0; i < n; i++) {
    int any = 0;
    for (size_t f = 0; f < p->n_formats; f++) any |= p->todo[i * p->n_formats + f];
    rn->n_tasks += (size_t)any;
  }
  rn->n_jobs = p->jobs < rn->n_tasks ? p->jobs : rn->n_tasks;
  rn->jobs = calloc(rn->n_jobs ? rn->n_jobs : 1, sizeof *rn->jobs);
  rn->pfds = calloc(rn->n_jobs ? rn->n_jobs : 1, sizeof *rn->pfds);
  rn->tasks = malloc((n ? n : 1) * sizeof *rn->tasks);
  rn->state = calloc(n ? n : 1, sizeof *rn->state);
  rn->landed = malloc((figures ? figures : 1) * sizeof *rn->landed);
  r->made = calloc(figures ? figures : 1, 1);
  if (!rn->jobs || !rn->pfds || !rn->tasks || !rn->state || !rn->landed || !r->made) return 0;
  for (size_t i = 0; i < rn->n_jobs; i++) {
    rn->jobs[i].fd = -1;
    rn->jobs[i].out_paths = calloc(p->n_formats ? p->n_formats : 1, sizeof (char *));
    if (rn->jobs[i].out_paths == NULL) return 0;
  }
  return plan_order(rn);
}

/* Input order, for qsort. */
static int cmp_failures(const void *x, const void *y) {
  const gdv_batch_failure *a = x, *b = y;
  return gdv_cmp_u64(a->item, b->item);
}

/* The loop runs until every task ended or a stop; failures come out in
 * input order, whatever order the children finished in. */
gdv_status gdv_batch_run(const gdv_batch_plan *p, gdv_batch_result *r, gdv_error *err) {
  runner rn;
  memset(r, 0, sizeof *r);
  if (!runner_init(&rn, p, r)) {
    runner_free(&rn);
    gdv_batch_result_free(r);
    return gdv_error_oom(err);
  }
  if (rn.root_fd < 0) {
    gdv_status st = gdv_error_set(err, GDV_ERR_SYSTEM, p->dir, 0, "cannot open the folder: %s",
                                  strerror(errno));
    runner_free(&rn);
    gdv_batch_result_free(r);
    return st;
  }
  queue_tasks(&rn);
  gdv_status st = GDV_OK;
  while (!*p->stop && (rn.next < rn.n_tasks || rn.running > 0)) {
    start_jobs(&rn);
    if (rn.running > 0 && !poll_jobs(&rn)) {
      st = gdv_error_set(err, GDV_ERR_SYSTEM, "", 0, "poll: %s", strerror(errno));
      break;
    }
    start_jobs(&rn);      /* the freed slots draw while the manifest is written */
    record_landed(&rn);
  }
  if (*p->stop || st) stop_all(&rn);
  record_landed(&rn);
  if (rn.work_fd >= 0) gdv_batch_work_close(rn.root_fd, rn.work_fd);
  r->stopped = *p->stop;
  runner_free(&rn);
  if (r->n_failures > 1) qsort(r->failures, r->n_failures, sizeof *r->failures, cmp_failures);
  return st;
}

/* Leaves the result zeroed, so a second free is harmless. */
void gdv_batch_result_free(gdv_batch_result *r) {
  for (size_t i = 0; i < r->n_failures; i++) free(r->failures[i].message);
  free(r->failures);
  free(r->made);
  memset(r, 0, sizeof *r);
}
