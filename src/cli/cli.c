/* Command dispatch and what the commands share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "http/http.h"
#include "util/crypto.h"
#include "util/embed.h"
#include "util/log.h"
#include "util/time.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"init", kf_cmd_init, "create the store or bring its schema up to date"},
    {"serve", kf_cmd_serve, "run the HTTP server"},
    {"user", kf_cmd_user, "manage accounts (user add)"},
    {"team", kf_cmd_team, "manage teams (team add)"},
    {"policy", kf_cmd_policy, "check a policy document, print the default"},
    {"demo", kf_cmd_demo, "load a fictional department with demo data"},
    {"routes", kf_cmd_routes, "list the HTTP endpoints (method, path, permission)"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: kefu <command> [options]\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fprintf(out, "\n'kefu <command> --help' tells more. Every command that uses the store "
		     "takes --db URL\n(or KEFU_DB): sqlite:PATH (default sqlite:./kefu.db) or "
		     "postgres://USER@HOST:PORT/DB.\n");
}

int kf_cli_main(int argc, char **argv)
{
	const char *lvl = getenv("KEFU_LOG_LEVEL");
	if (lvl && kf_log_parse_level(lvl) >= 0)
		kf_log_set_level((enum kf_log_level)kf_log_parse_level(lvl));
	if (kf_crypto_init() != 0) {
		fprintf(stderr, "kefu: cannot initialise libsodium\n");
		return KF_EXIT_FAIL;
	}
	if (argc < 2) {
		usage(stderr);
		return KF_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return KF_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("kefu %s\n", KEFU_VERSION);
		return KF_EXIT_OK;
	}
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "kefu: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return KF_EXIT_USAGE;
}

bool kf_cli_db_opt(int argc, char **argv, int *i, struct kf_cli_opts *o)
{
	const char *a = argv[*i];
	if (!strncmp(a, "--db=", 5)) {
		o->db = a + 5;
		return true;
	}
	if ((!strcmp(a, "--db") || !strcmp(a, "-d")) && *i + 1 < argc) {
		o->db = argv[++*i];
		return true;
	}
	return false;
}

int kf_cli_fail(const struct kf_err *err)
{
	if (err->field[0])
		fprintf(stderr, "kefu: %s (field: %s)\n", err->message, err->field);
	else
		fprintf(stderr, "kefu: %s\n", err->message);
	return KF_EXIT_FAIL;
}

int kf_cli_open(const char *db, int pool, struct kf_store **store, struct kf_app *app,
		bool require_ready)
{
	struct kf_err err = {0};
	if (!db)
		db = getenv("KEFU_DB");
	if (!db || !*db)
		db = "sqlite:./kefu.db";
	if (kf_store_open(db, pool, store, &err))
		return kf_cli_fail(&err);
	kf_app_init(app, *store);
	if (require_ready && kf_app_open(app, &err)) {
		kf_cli_close(*store, app);
		return kf_cli_fail(&err);
	}
	return 0;
}

void kf_cli_close(struct kf_store *store, struct kf_app *app)
{
	kf_app_release(app);
	kf_store_close(store);
}

int kf_cli_set_zone(struct kf_app *app)
{
	struct kf_arena a;
	struct kf_ctx c;
	const struct kf_policy *p;
	struct kf_err err = {0};
	kf_arena_init(&a);
	kf_ctx_init(&c, app, &a);
	int rc = kf_ctx_policy(&c, &p, &err);
	if (!rc && kf_time_set_zone(kf_policy_str(p, "timezone")) != 0)
		rc = kf_err_set(&err, KF_EINVALID, "time zone %s is not known to this system",
				kf_policy_str(p, "timezone"));
	kf_ctx_release(&c);
	kf_arena_release(&a);
	return rc ? kf_cli_fail(&err) : 0;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int kf_cmd_init(int argc, char **argv)
{
	struct kf_cli_opts o = {0};
	if (wants_help(argc, argv)) {
		printf("usage: kefu init [--db URL]\n\nCreates the store, or applies the "
		       "migrations it lacks, and writes\nthe shipped default policy as version 1. "
		       "Refuses a store whose schema\nis newer than this kefu.\n");
		return KF_EXIT_OK;
	}
	for (int i = 1; i < argc; i++) {
		if (!kf_cli_db_opt(argc, argv, &i, &o)) {
			fprintf(stderr, "kefu init: unknown option %s\n", argv[i]);
			return KF_EXIT_USAGE;
		}
	}
	struct kf_store *store;
	struct kf_app app;
	struct kf_err err = {0};
	int from = 0, to = 0;
	if (kf_cli_open(o.db, 1, &store, &app, false))
		return KF_EXIT_FAIL;
	int rc = kf_app_bootstrap(&app, &from, &to, &err);
	kf_cli_close(store, &app);
	if (rc)
		return kf_cli_fail(&err);
	if (from == to)
		printf("store is up to date (schema version %d)\n", to);
	else
		printf("store migrated from schema version %d to %d\n", from, to);
	return KF_EXIT_OK;
}

int kf_cmd_policy(int argc, char **argv)
{
	if (argc < 2 || wants_help(argc, argv)) {
		printf("usage: kefu policy check FILE   validate a policy document\n"
		       "       kefu policy default      print the shipped default document\n");
		return argc < 2 ? KF_EXIT_USAGE : KF_EXIT_OK;
	}
	if (!strcmp(argv[1], "default") && argc == 2) {
		fputs(kf_policy_default_text(), stdout);
		return KF_EXIT_OK;
	}
	if (strcmp(argv[1], "check") || argc != 3) {
		fprintf(stderr, "usage: kefu policy check FILE | kefu policy default\n");
		return KF_EXIT_USAGE;
	}
	FILE *f = !strcmp(argv[2], "-") ? stdin : fopen(argv[2], "rb");
	if (!f) {
		fprintf(stderr, "kefu: cannot open %s\n", argv[2]);
		return KF_EXIT_FAIL;
	}
	struct kf_buf b;
	char chunk[8192];
	size_t n;
	kf_buf_init(&b, 4 << 20);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		kf_buf_add(&b, chunk, n);
	if (f != stdin)
		fclose(f);
	struct kf_err err = {0};
	int rc = b.overflow ? kf_err_set(&err, KF_EINVALID, "document is larger than 4 MiB")
			    : kf_app_policy_check(b.data, b.len, NULL, &err);
	kf_buf_release(&b);
	if (rc) {
		fprintf(stderr, "%s: %s\n", argv[2], err.message);
		return KF_EXIT_FAIL;
	}
	printf("%s: ok\n", argv[2]);
	return KF_EXIT_OK;
}

int kf_cmd_routes(int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		printf("usage: kefu routes\n\nLists every HTTP endpoint as METHOD PATH "
		       "PERMISSION (- for none, * for any signed-in user, customer for a "
		       "customer signed in to the portal).\n");
		return KF_EXIT_OK;
	}
	for (int i = 0; kf_routes[i].method; i++) {
		const struct kf_route *r = &kf_routes[i];
		const char *perm = r->perm >= 0		     ? kf_perm_name((enum kf_perm)r->perm)
				   : r->auth == KF_AUTH_USER ? "*"
				   : r->auth == KF_AUTH_CUSTOMER ? "customer"
								 : "-";
		printf("%s %s %s\n", r->method, r->pattern, perm);
	}
	return KF_EXIT_OK;
}
