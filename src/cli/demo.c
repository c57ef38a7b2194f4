/* kefu demo: loads the fictional department. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

int kf_cmd_demo(int argc, char **argv)
{
	struct kf_cli_opts o = {0};
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: kefu demo [--db URL]\n\nLoads a fictional department "
			       "(two teams, manager, supervisor, team leads,\ntwelve agents, "
			       "technicians, VP, GM, analyst, admin, 200 customers, 18 tickets of "
			       "the last day\nand a half in every state).\nEvery demo "
			       "account's password is %s. Does nothing if loaded before.\n",
			       kf_demo_password);
			return KF_EXIT_OK;
		}
		if (!kf_cli_db_opt(argc, argv, &i, &o)) {
			fprintf(stderr, "kefu demo: unknown option %s\n", argv[i]);
			return KF_EXIT_USAGE;
		}
	}
	struct kf_store *store;
	struct kf_app app;
	if (kf_cli_open(o.db, 1, &store, &app, true))
		return KF_EXIT_FAIL;
	struct kf_arena a;
	struct kf_ctx c;
	struct kf_err err = {0};
	bool already;
	kf_arena_init(&a);
	kf_ctx_init(&c, &app, &a);
	c.actor.is_operator = true;
	int rc = kf_app_demo_load(&c, &already, &err);
	kf_ctx_release(&c);
	kf_arena_release(&a);
	kf_cli_close(store, &app);
	if (rc)
		return kf_cli_fail(&err);
	printf(already ? "demo data was already loaded\n"
		       : "demo department loaded: 22 people, 2 teams, 200 customers, 18 tickets\n");
	printf("demo sign-in: manager (or admin, supervisor, lead1, agent01 … agent12, tech1, vp, "
	       "gm, analyst) with password %s\n",
	       kf_demo_password);
	return KF_EXIT_OK;
}
