/* cli_progress.c: "gradviz: drawing FILE… 3 s" on a terminal while a
 * figure takes long. A thread of the command line wakes once a second and
 * rewrites one line of stderr in place; the library is never asked to
 * report progress (it never prints). On anything but a terminal nothing
 * is written at all. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

/* The one progress line of the process. `shown` is what the terminal
 * holds now (columns), so that clearing writes exactly that many blanks:
 * "\r" and blanks work on every terminal, even TERM=dumb. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_t thread;
  int running, stop;
  char what[256];          /* "drawing net.png", escaped */
  struct timespec start;   /* CLOCK_MONOTONIC */
  double delay;            /* seconds before the first line */
  volatile size_t shown;   /* columns on screen; read by the signal handler */
} progress = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Writes all of buf to stderr with write(2): no stdio lock is taken, so a
 * line never waits for (or deadlocks with) the main thread's stdio. */
static void put(const char *buf, size_t n) {
  while (n > 0) {
    ssize_t k = write(STDERR_FILENO, buf, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return;
    buf += k;
    n -= (size_t)k;
  }
}

/* Blanks out the line on screen; async-signal-safe (write(2) only). */
static void erase(void) {
  char blanks[256 + 2];
  size_t n = progress.shown < 256 ? progress.shown : 256;
  if (n == 0) return;
  blanks[0] = '\r';
  memset(blanks + 1, ' ', n);
  blanks[n + 1] = '\r';
  put(blanks, n + 2);
  progress.shown = 0;
}

/* Columns of a UTF-8 text: one per character (names are escaped). */
static size_t columns(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* The line for `seconds`, cut to the terminal's width so that it never
 * wraps (a wrapped line cannot be rewritten in place). Called with the
 * lock held. */
static void draw(long seconds) {
  char what[sizeof progress.what], tail[48], line[sizeof what + 64];
  snprintf(what, sizeof what, "%s", progress.what);
  snprintf(tail, sizeof tail, "\xE2\x80\xA6 %ld s", seconds);
  struct winsize ws;
  size_t width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1 : 79;
  size_t n = strlen(what);
  while (n > 0 && strlen("gradviz: ") + columns(what) + columns(tail) > width) {
    do n--; while (n > 0 && ((unsigned char)what[n] & 0xC0) == 0x80);
    what[n] = '\0';
  }
  snprintf(line, sizeof line, "gradviz: %s%s", what, tail);
  n = strlen(line);
  /* a shorter line than the one on screen (the terminal was narrowed)
   * first blanks the old one */
  if (columns(line) < progress.shown) erase();
  char out[sizeof line + 1];
  out[0] = '\r';
  memcpy(out + 1, line, n);
  put(out, n + 1);
  progress.shown = columns(line);
}

/* Seconds since the start, on the monotonic clock. */
static double elapsed(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - progress.start.tv_sec) +
         1e-9 * (double)(now.tv_nsec - progress.start.tv_nsec);
}

/* A time `seconds` after the start, for pthread_cond_timedwait (whose
 * condition variable waits on the monotonic clock too). */
static struct timespec after_start(double seconds) {
  struct timespec t = progress.start;
  t.tv_sec += (time_t)seconds;
  t.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec++;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

/* Draws at the delay, then at every whole second after it, until told
 * to stop. */
static void *progress_main(void *unused) {
  pthread_mutex_lock(&progress.lock);
  double next = progress.delay > 0 ? progress.delay : 1;
  while (!progress.stop) {
    double t = elapsed();
    if (t < next) {
      struct timespec until = after_start(next);
      pthread_cond_timedwait(&progress.wake, &progress.lock, &until);
      continue;
    }
    draw((long)t);
    next = (double)((long)t + 1);
  }
  pthread_mutex_unlock(&progress.lock);
  return unused;
}

/* GRADVIZ_PROGRESS_DELAY: seconds before the line shows (default 1; 0
 * shows it at once, as tests need). */
static double progress_delay(void) {
  const char *env = getenv("GRADVIZ_PROGRESS_DELAY");
  double d;
  if (env && *env && gdv_parse_number(env, &d) && d >= 0 && d < 1e6) return d;
  return 1;
}

/* Only on a terminal, and not while the figure itself goes to that
 * terminal (-o - with stdout on it). */
void gdv_cli_progress_start(const char *verb, const char *path) {
  if (progress.running || !isatty(STDERR_FILENO)) return;
  int to_stdout = path == NULL || strcmp(path, "-") == 0;
  if (to_stdout && isatty(STDOUT_FILENO)) return;
  const char *slash = to_stdout ? NULL : strrchr(path, '/');
  char *safe = gdv_cli_escape(to_stdout ? "<stdout>" : slash && slash[1] ? slash + 1 : path);
  snprintf(progress.what, sizeof progress.what, "%s %s", verb, safe ? safe : "");
  free(safe);
  clock_gettime(CLOCK_MONOTONIC, &progress.start);
  progress.delay = progress_delay();
  progress.stop = 0;
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_destroy(&progress.wake);
  pthread_cond_init(&progress.wake, &attr);
  pthread_condattr_destroy(&attr);
  /* a delay of 0 draws before the work starts, so even a quick figure
   * shows its line (what the tests look for) */
  if (progress.delay == 0) draw(0);
  /* the thread blocks every signal (it inherits the mask it is made
   * with): SIGINT, SIGTERM and any timer's signal go to the main thread,
   * whose handlers expect them */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  progress.running = pthread_create(&progress.thread, NULL, progress_main, NULL) == 0;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (!progress.running) erase();
}

/* Erases the line so that a message can take its place; the next second
 * draws it again below. */
void gdv_cli_progress_clear(void) {
  if (!progress.running) return;
  pthread_mutex_lock(&progress.lock);
  erase();
  pthread_mutex_unlock(&progress.lock);
}

/* Stops the thread and leaves the terminal as it was. Safe to call when
 * nothing was started, and twice. */
void gdv_cli_progress_stop(void) {
  if (!progress.running) return;
  pthread_mutex_lock(&progress.lock);
  progress.stop = 1;
  pthread_cond_signal(&progress.wake);
  pthread_mutex_unlock(&progress.lock);
  pthread_join(progress.thread, NULL);
  progress.running = 0;
  erase();
}

/* For a signal handler: blanks the line (write(2) only), so that a ^C
 * leaves no half line behind. */
void gdv_cli_progress_abort(void) {
  erase();
}
