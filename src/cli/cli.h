/* The kefu command line, git style: `kefu <command> [options]`. Commands are
 * a declarative table (cli.c); each calls app/ directly, never HTTP.
 * Exit codes: 0 ok, 1 failure, 2 usage error. */
#ifndef KF_CLI_CLI_H
#define KF_CLI_CLI_H
#include <stdbool.h>
#include "app/app.h"

enum { KF_EXIT_OK = 0, KF_EXIT_FAIL = 1, KF_EXIT_USAGE = 2 };

int kf_cli_main(int argc, char **argv);

/* Shared by the commands. */
struct kf_cli_opts {
	const char *db;
};
/* Handles --db URL / -d URL at argv[*i]; returns true if consumed. */
bool kf_cli_db_opt(int argc, char **argv, int *i, struct kf_cli_opts *o);
/* Opens the store and app for a command (pool of one, or n for serve). */
int kf_cli_open(const char *db, int pool, struct kf_store **store, struct kf_app *app,
		bool require_ready);
void kf_cli_close(struct kf_store *store, struct kf_app *app);
/* Prints "kefu: <message>" (and the field) to stderr and returns 1. */
int kf_cli_fail(const struct kf_err *err);
/* Sets the process time zone from the policy in force. */
int kf_cli_set_zone(struct kf_app *app);

int kf_cmd_init(int argc, char **argv);
int kf_cmd_serve(int argc, char **argv);
int kf_cmd_user(int argc, char **argv);
int kf_cmd_team(int argc, char **argv);
int kf_cmd_policy(int argc, char **argv);
int kf_cmd_demo(int argc, char **argv);
int kf_cmd_routes(int argc, char **argv);

#endif
