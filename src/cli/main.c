/* main.c: finds the command in the table and runs it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"

static const gdv_command commands[] = {
  {"render", "render GRAPH -o OUT.{png,svg,pdf,dot,html}  annotated figure or page", gdv_cmd_render, 1},
  {"eval", "eval GRAPH [--format text|json|csv]    values, gradients, per-edge local and grad", gdv_cmd_eval, 1},
  {"check", "check GRAPH                            backprop against finite differences", gdv_cmd_check, 1},
  {"mnist", "mnist [options] -o OUT                 the MNIST network, built, evaluated, drawn", gdv_cmd_mnist, 0},
  {"train", "train [options] -o WEIGHTS             train the MNIST network with the graph engine", gdv_cmd_train, 0},
  {"batch", "batch PATH... -o DIR                   many graphs, many formats, one command", gdv_cmd_batch, 0},
  {"stats", "stats GRAPH                            size, depth, memory and the cost of backprop", gdv_cmd_stats, 1},
  {"worksheet", "worksheet GRAPH -o SHEET --key KEY     an exercise sheet with boxes, and its key", gdv_cmd_worksheet, 1},
  {"grade", "grade GRAPH ANSWERS                    a student's answers, each wrong one with its cause", gdv_cmd_grade, 1},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* The command list comes from the commands table, so a new command shows up
 * here without touching this text. */
static void usage(FILE *f) {
  fputs("Usage: gradviz COMMAND [OPTIONS]\n\n"
        "Evaluates a computation graph forward and backward and draws every\n"
        "node's value and gradient and every edge's local derivative.\n\n"
        "Commands:\n", f);
  for (size_t i = 0; i < N_COMMANDS; i++) fprintf(f, "  gradviz %s\n", commands[i].synopsis);
  fputs("\nGRAPH is a .dot/.gv file, a .expr formula file, or - for standard\n"
        "input (a formula when its first line is a statement such as x = 2,\n"
        "else DOT; --input-format dot|expr says which). 'gradviz COMMAND --help'\n"
        "tells more; so does 'man gradviz'.\n\n"
        "Exit status: 0 success, 1 a check failed, 2 bad input or usage,\n"
        "3 the system failed (cannot write, out of memory).\n", f);
}

/* Reports, tables and help go to standard output through stdio; a full
 * disk or a closed pipe there would lose them silently, so every command
 * ends here: a failed write is exit 3 with the reason, once. */
static int finish(int status) {
  gdv_cli_progress_stop();
  errno = 0;
  int flushed = fflush(stdout) == 0;
  int saved = errno;
  if (flushed && !ferror(stdout)) return status;
  fprintf(stderr, "gradviz: <stdout>: cannot write: %s\n",
          saved ? strerror(saved) : "a write failed");
  return 3;
}

/* The closest command as a hint, else a pointer to the list. */
static int unknown_command(const char *name) {
  gdv_suggest s;
  char hint[GDV_HINT_SIZE];
  gdv_suggest_start(&s, name);
  for (size_t i = 0; i < N_COMMANDS; i++) gdv_suggest_offer(&s, commands[i].name);
  char *safe = gdv_cli_escape(name);
  fprintf(stderr, "gradviz: unknown command '%s'%s\n", safe ? safe : "?",
          s.best[0] ? gdv_suggest_hint(&s, hint, sizeof hint) : " (see 'gradviz --help')");
  free(safe);
  return GDV_ERR_INPUT;
}

/* Dispatch only: `help CMD` runs as `CMD --help`; each command parses its
 * own options and returns the exit status. */
static int dispatch(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
      strcmp(name, "help") == 0) {
    if (argc > 2 && strcmp(name, "help") == 0) {
      char *help_argv[] = {argv[2], "--help", NULL};
      for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, argv[2]) == 0) {
          gdv_cli_begin(&commands[i]);
          return commands[i].run(2, help_argv);
        }
      return unknown_command(argv[2]);
    }
    usage(stdout);
    return 0;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
    printf("gradviz %s\n", PACKAGE_VERSION);
    return 0;
  }
  for (size_t i = 0; i < N_COMMANDS; i++) {
    if (strcmp(commands[i].name, name) == 0) {
      gdv_cli_begin(&commands[i]);
      gdv_cli_install_signals();
      return commands[i].run(argc - 1, argv + 1);
    }
  }
  return unknown_command(name);
}

/* The exit status is the command's, unless standard output failed. */
int main(int argc, char **argv) {
  return finish(dispatch(argc, argv));
}
