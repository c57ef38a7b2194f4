/* kefu user add, kefu team add: accounts made by the operator on the server
 * (the first admin, scripted set-ups). Audited like the API's. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "util/time.h"

static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	size_t len = strlen(buf);
	if (len && buf[len - 1] != '\n' && !feof(stdin))
		return -1; /* longer than the buffer */
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

static int resolve_team(struct kf_ctx *c, const char *team, int64_t *id, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_team t;
	int rc = kf_ctx_db(c, &db, err);
	if (rc)
		return rc;
	rc = kf_store_team_by_name(db, team, c->arena, &t, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_field(err, KF_EINVALID, "team",
				    "team %s does not exist (create it with kefu team add)", team);
	if (!rc)
		*id = t.id;
	return rc;
}

int kf_cmd_user(int argc, char **argv)
{
	struct kf_cli_opts o = {0};
	struct kf_user_input in = {0};
	const char *team = NULL;
	bool stdin_pw = false;
	if (argc < 2 || strcmp(argv[1], "add")) {
		bool help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
		printf("usage: kefu user add --login L --name N --role R "
		       "[--level V] [--team T]\n"
		       "                     [--hired-on YYYY-MM-DD] "
		       "--password-stdin [--db URL]\n");
		return help ? KF_EXIT_OK : KF_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: kefu user add --login L --name N --role R [--level V] "
			       "[--team T]\n                     [--hired-on YYYY-MM-DD] "
			       "--password-stdin [--db URL]\n\n"
			       "Roles: agent technician team_lead supervisor manager vp gm analyst "
			       "admin.\nLevels (agents, team leads): trainee junior intermediate "
			       "senior reserve_supervisor.\nThe password is read from the first "
			       "line of standard input.\n");
			return KF_EXIT_OK;
		} else if (kf_cli_db_opt(argc, argv, &i, &o)) {
			continue;
		} else if (!strcmp(a, "--password-stdin")) {
			stdin_pw = true;
		} else if (next && !strcmp(a, "--login")) {
			in.login = argv[++i];
		} else if (next && !strcmp(a, "--name")) {
			in.name = argv[++i];
		} else if (next && !strcmp(a, "--role")) {
			in.role = argv[++i];
		} else if (next && !strcmp(a, "--level")) {
			in.level = argv[++i];
			in.has_level = true;
		} else if (next && !strcmp(a, "--team")) {
			team = argv[++i];
		} else if (next && !strcmp(a, "--hired-on")) {
			in.hired_on = argv[++i];
			in.has_hired_on = true;
		} else {
			fprintf(stderr, "kefu user add: unknown or incomplete option %s\n", a);
			return KF_EXIT_USAGE;
		}
	}
	if (!in.login || !in.name || !in.role || !stdin_pw) {
		fprintf(stderr, "kefu user add: --login, --name, --role and --password-stdin are "
				"required\n");
		return KF_EXIT_USAGE;
	}
	char pw[512];
	if (read_password(pw, sizeof pw)) {
		fprintf(stderr, "kefu user add: no password on standard input (or too long)\n");
		return KF_EXIT_USAGE;
	}
	in.password = pw;
	struct kf_store *store;
	struct kf_app app;
	if (kf_cli_open(o.db, 1, &store, &app, true))
		return KF_EXIT_FAIL;
	struct kf_arena a;
	struct kf_ctx c;
	struct kf_err err = {0};
	struct kf_user u;
	kf_arena_init(&a);
	kf_ctx_init(&c, &app, &a);
	c.actor.is_operator = true;
	int rc = 0;
	if (team) {
		rc = resolve_team(&c, team, &in.team_id, &err);
		in.has_team = true;
	}
	if (!rc && in.has_hired_on) {
		int64_t ms;
		if (!kf_time_parse_date(in.hired_on, &ms))
			rc = kf_err_field(&err, KF_EINVALID, "hired_on",
					  "--hired-on must be a date YYYY-MM-DD");
	}
	if (!rc)
		rc = kf_app_user_create(&c, &in, &u, &err);
	if (!rc)
		printf("user %s created (id %lld, role %s)\n", u.login, (long long)u.id, u.role);
	kf_ctx_release(&c);
	kf_arena_release(&a);
	kf_cli_close(store, &app);
	return rc ? kf_cli_fail(&err) : KF_EXIT_OK;
}

int kf_cmd_team(int argc, char **argv)
{
	struct kf_cli_opts o = {0};
	const char *name = NULL;
	if (argc < 2 || strcmp(argv[1], "add")) {
		printf("usage: kefu team add --name NAME [--db URL]\n");
		return argc >= 2 && !strcmp(argv[1], "--help") ? KF_EXIT_OK : KF_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			printf("usage: kefu team add --name NAME [--db URL]\n");
			return KF_EXIT_OK;
		} else if (kf_cli_db_opt(argc, argv, &i, &o)) {
			continue;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			name = argv[++i];
		} else {
			fprintf(stderr, "kefu team add: unknown option %s\n", argv[i]);
			return KF_EXIT_USAGE;
		}
	}
	if (!name || !*name) {
		fprintf(stderr, "kefu team add: --name is required\n");
		return KF_EXIT_USAGE;
	}
	struct kf_store *store;
	struct kf_app app;
	if (kf_cli_open(o.db, 1, &store, &app, true))
		return KF_EXIT_FAIL;
	struct kf_arena a;
	struct kf_ctx c;
	struct kf_err err = {0};
	struct kf_team t;
	kf_arena_init(&a);
	kf_ctx_init(&c, &app, &a);
	c.actor.is_operator = true;
	int rc = kf_app_team_create(&c, name, &t, &err);
	if (!rc)
		printf("team %s created (id %lld)\n", t.name, (long long)t.id);
	kf_ctx_release(&c);
	kf_arena_release(&a);
	kf_cli_close(store, &app);
	return rc ? kf_cli_fail(&err) : KF_EXIT_OK;
}
