/* The store contract: the same behaviour from both engines. Run once with
 * KEFU_TEST_ENGINE=sqlite and once with KEFU_TEST_ENGINE=postgres (which
 * needs KEFU_TEST_PG, a server URL without a database; skipped otherwise). */
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "store/attendance.h"
#include "store/callbacks.h"
#include "store/complaints.h"
#include "store/customers.h"
#include "store/dispatch.h"
#include "store/inbox.h"
#include "store/portal.h"
#include "store/records.h"
#include "store/search.h"
#include "store/search.h"
#include "store/store.h"
#include "store/tickets.h"
#include "store/workforce.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/xmalloc.h"

static char url[512];
static char sqlite_path[256];

static int make_store(void)
{
	const char *engine = getenv("KEFU_TEST_ENGINE");
	char name[64];
	char hex[17];
	kf_crypto_random_hex(hex, 8);
	snprintf(name, sizeof name, "kefu_store_%s", hex);
	if (engine && !strcmp(engine, "postgres")) {
		const char *base = getenv("KEFU_TEST_PG");
		if (!base)
			return 77;
		char admin[512];
		snprintf(admin, sizeof admin, "%s/postgres", base);
		struct kf_store *s;
		struct kf_db *db;
		struct kf_err err;
		char sql[128];
		if (kf_store_open(admin, 1, &s, &err) || kf_store_acquire(s, &db, &err)) {
			fprintf(stderr, "cannot reach PostgreSQL: %s\n", err.message);
			return 1;
		}
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
		int rc = kf_db_exec(db, sql, NULL, 0, NULL, &err);
		kf_store_release(s, db);
		kf_store_close(s);
		if (rc) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		snprintf(url, sizeof url, "%s/%s", base, name);
	} else {
		snprintf(sqlite_path, sizeof sqlite_path, "/tmp/%s.db", name);
		snprintf(url, sizeof url, "sqlite:%s", sqlite_path);
	}
	return 0;
}

struct fixture {
	struct kf_store *s;
	struct kf_db *db;
	struct kf_arena a;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct kf_err err;
	if (kf_store_open(url, 8, &f->s, &err) || kf_store_migrate(f->s, NULL, NULL, &err) ||
	    kf_store_acquire(f->s, &f->db, &err)) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	kf_arena_init(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	kf_store_release(f->s, f->db);
	kf_store_close(f->s);
	kf_arena_release(&f->a);
	free(f);
	return 0;
}

static void migrate_twice_is_a_no_op(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int from, to;
	assert_int_equal(kf_store_migrate(f->s, &from, &to, &err), 0);
	assert_int_equal(from, to);
	assert_int_equal(to, kf_store_binary_schema_version(f->s));
}

static void a_newer_schema_is_refused(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_param p[] = {KP_INT(9999), KP_TEXT("future"), KP_INT(0)};
	assert_int_equal(kf_db_exec(f->db,
				    "INSERT INTO schema_migrations (version, name, applied_at) "
				    "VALUES ($1, $2, $3)",
				    p, 3, NULL, &err),
			 0);
	assert_int_equal(kf_store_migrate(f->s, NULL, NULL, &err), KF_ECONFLICT);
	assert_non_null(strstr(err.message, "newer"));
	struct kf_param q = KP_INT(9999);
	assert_int_equal(kf_db_exec(f->db, "DELETE FROM schema_migrations WHERE version = $1", &q,
				    1, NULL, &err),
			 0);
}

static void rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_team t = {.name = "回滚组", .created_at = 1};
	struct kf_team got;
	assert_int_equal(kf_db_begin(f->db, &err), 0);
	assert_int_equal(kf_store_team_insert(f->db, &t, &err), 0);
	kf_db_rollback(f->db);
	assert_int_equal(kf_store_team_by_name(f->db, "回滚组", &f->a, &got, &err), KF_ENOTFOUND);
}

static void duplicates_are_conflicts_and_dangling_references_invalid(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_team t = {.name = "唯一组", .created_at = 1};
	assert_int_equal(kf_store_team_insert(f->db, &t, &err), 0);
	struct kf_team t2 = {.name = "唯一组", .created_at = 2};
	assert_int_equal(kf_store_team_insert(f->db, &t2, &err), KF_ECONFLICT);
	assert_string_equal(err.field, "name");
	struct kf_user u = {.login = "dangling",
			    .name = "x",
			    .role = "agent",
			    .team_id = 987654,
			    .password_hash = "h",
			    .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), KF_EINVALID);
}

static void text_round_trips_and_nulls(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user u = {.login = "unicode",
			    .name = "王小明 🙂 O'Brien \"q\"",
			    .role = "agent",
			    .password_hash = "h",
			    .active = true,
			    .created_at = 5,
			    .updated_at = 6};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), 0);
	struct kf_user got;
	assert_int_equal(kf_store_user_get(f->db, u.id, &f->a, &got, &err), 0);
	assert_string_equal(got.name, u.name);
	assert_null(got.level);
	assert_null(got.hired_on);
	assert_int_equal(got.team_id, 0);
	assert_int_equal(got.created_at, 5);
	assert_int_equal(kf_store_user_get(f->db, 999999, &f->a, &got, &err), KF_ENOTFOUND);
}

static void stale_versions_are_conflicts(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user u = {.login = "versioned",
			    .name = "v",
			    .role = "agent",
			    .password_hash = "h",
			    .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), 0);
	struct kf_user a = u, b = u;
	a.name = "first";
	assert_int_equal(kf_store_user_update(f->db, &a, &err), 0);
	assert_int_equal(a.version, 2);
	b.name = "second";
	assert_int_equal(kf_store_user_update(f->db, &b, &err), KF_ECONFLICT);
}

/* S-1: the sign-in generation (what a cache of sessions checks) moves on
 * when a write to users or sessions ends, not while its transaction is
 * open; outside a transaction at once; and not for the activity record. */
static void sign_in_generation_moves_on_after_the_write_ends(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user u = {.login = "generation",
			    .name = "g",
			    .role = "agent",
			    .password_hash = "h",
			    .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), 0);
	int64_t sid = 0;
	assert_int_equal(kf_store_session_insert(f->db, "gen-token-hash", "gen-csrf-hash", u.id,
						 1000, 999999999, "127.0.0.1", "test", &sid, &err),
			 0);
	uint64_t g0 = kf_store_auth_generation();
	assert_int_equal(kf_store_session_touch(f->db, sid, 2000, &err), 0);
	assert_true(kf_store_auth_generation() == g0);

	assert_int_equal(kf_db_begin(f->db, &err), 0);
	u.active = false;
	assert_int_equal(kf_store_user_update(f->db, &u, &err), 0);
	assert_true(kf_store_auth_generation() == g0);
	assert_int_equal(kf_db_commit(f->db, &err), 0);
	uint64_t g1 = kf_store_auth_generation();
	assert_true(g1 > g0);

	assert_int_equal(kf_db_begin(f->db, &err), 0);
	assert_int_equal(kf_store_session_revoke(f->db, sid, 3000, &err), 0);
	kf_db_rollback(f->db);
	uint64_t g2 = kf_store_auth_generation();
	assert_true(g2 > g1); /* a rolled-back write counts too: never too few */

	assert_int_equal(kf_store_session_revoke_user(f->db, u.id, 0, 4000, &err), 0);
	assert_true(kf_store_auth_generation() > g2);
}

static void instants_beyond_32_bits_survive(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_throttle_row row = {
	    .failures = 3, .last_failure_at = 1764000000123LL, .locked_until = 4102444800000LL};
	assert_int_equal(kf_store_throttle_put(f->db, "account:x", &row, &err), 0);
	struct kf_throttle_row got;
	assert_int_equal(kf_store_throttle_get(f->db, "account:x", &got, &err), 0);
	assert_int_equal(got.last_failure_at, row.last_failure_at);
	assert_int_equal(got.locked_until, row.locked_until);
	assert_int_equal(kf_store_throttle_clear(f->db, "account:x", &err), 0);
	assert_int_equal(kf_store_throttle_get(f->db, "account:x", &got, &err), 0);
	assert_int_equal(got.failures, 0);
}

static void policy_in_force_is_the_latest_effective(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_policy_version v1 = {.document = "a: 1", .reason = "r", .effective_from = 1000},
				 v2 = {.document = "a: 2", .reason = "r", .effective_from = 5000},
				 v3 = {.document = "a: 3", .reason = "r", .effective_from = 3000};
	assert_int_equal(kf_store_policy_insert(f->db, &v1, &err), 0);
	assert_int_equal(kf_store_policy_insert(f->db, &v2, &err), 0);
	assert_int_equal(kf_store_policy_insert(f->db, &v3, &err), 0);
	struct kf_policy_version got;
	assert_int_equal(kf_store_policy_at(f->db, 999, &f->a, &got, &err), KF_ENOTFOUND);
	assert_int_equal(kf_store_policy_at(f->db, 1000, &f->a, &got, &err), 0);
	assert_string_equal(got.document, "a: 1");
	assert_int_equal(kf_store_policy_at(f->db, 4000, &f->a, &got, &err), 0);
	assert_string_equal(got.document, "a: 3"); /* a later version with an earlier date */
	assert_int_equal(kf_store_policy_at(f->db, 5000, &f->a, &got, &err), 0);
	assert_string_equal(got.document, "a: 2");
}

static void audit_append_needs_a_transaction(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_audit_entry e = {.at = 1, .action = "x", .detail = "{}"};
	assert_int_equal(kf_store_audit_append(f->db, &e, &f->a, &err), KF_EINTERNAL);
}

/* S-3: the audit list's filters, alone and together, in seq order, a page
 * at a time after a cursor. */
static void audit_list_filters_combine(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	enum { N = 24 };
	int64_t seq[N];
	assert_int_equal(kf_db_begin(f->db, &err), 0);
	for (int i = 0; i < N; i++) {
		struct kf_audit_entry e = {.at = 5000000 + i,
					   .actor_id = 900001 + i % 3,
					   .action = i % 2 ? "test.list.b" : "test.list.a",
					   .detail = "{}"};
		assert_int_equal(kf_store_audit_append(f->db, &e, &f->a, &err), 0);
		seq[i] = e.seq;
	}
	assert_int_equal(kf_db_commit(f->db, &err), 0);
	struct {
		struct kf_audit_filter f;
		int want[N + 1]; /* indexes into seq, -1 ends */
	} cases[] = {
	    {{.actor_id = 900002, .limit = 50}, {1, 4, 7, 10, 13, 16, 19, 22, -1}},
	    {{.actor_id = 900002, .action = "test.list.b", .limit = 50}, {1, 7, 13, 19, -1}},
	    {{.actor_id = 900002, .action = "test.list.b", .since = 5000000 + 8, .limit = 50},
	     {13, 19, -1}},
	    {{.action = "test.list.a", .since = 5000000 + 17, .limit = 50}, {18, 20, 22, -1}},
	    {{.actor_id = 900003, .limit = 3}, {2, 5, 8, -1}},
	    {{.actor_id = 900003, .after_seq = -1, .limit = 3}, {11, 14, 17, -1}},
	    {{.actor_id = 900004, .limit = 50}, {-1}},
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		struct kf_audit_filter q = cases[c].f;
		if (q.after_seq < 0)
			q.after_seq = seq[8]; /* the cursor: the last of the page before */
		struct kf_audit_entry *items;
		int n = -1, want = 0;
		assert_int_equal(kf_store_audit_list(f->db, &q, &f->a, &items, &n, &err), 0);
		while (cases[c].want[want] >= 0)
			want++;
		assert_int_equal(n, want);
		for (int i = 0; i < n; i++)
			assert_int_equal(items[i].seq, seq[cases[c].want[i]]);
	}
}

struct writer {
	struct kf_store *s;
	int n;
	int failures;
};

static void *write_audit(void *arg)
{
	struct writer *w = arg;
	for (int i = 0; i < w->n; i++) {
		struct kf_db *db;
		struct kf_err err;
		struct kf_arena a;
		kf_arena_init(&a);
		struct kf_audit_entry e = {.at = i, .action = "test.concurrent", .detail = "{}"};
		if (kf_store_acquire(w->s, &db, &err) || kf_db_begin(db, &err) ||
		    kf_store_audit_append(db, &e, &a, &err) || kf_db_commit(db, &err)) {
			fprintf(stderr, "writer: %s\n", err.message);
			w->failures++;
		}
		kf_store_release(w->s, db);
		kf_arena_release(&a);
	}
	return NULL;
}

static void concurrent_audit_appends_keep_one_chain(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	pthread_t th[6];
	struct writer w[6];
	for (int i = 0; i < 6; i++) {
		w[i] = (struct writer){f->s, 25, 0};
		pthread_create(&th[i], NULL, write_audit, &w[i]);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	struct kf_audit_check c;
	assert_int_equal(kf_store_audit_verify(f->db, &c, &err), 0);
	assert_true(c.ok);
	assert_true(c.entries >= 150);
}

/* Group writes: a job with only a fin (the search indexer's) runs after the
 * fins of the other jobs of its batch, so that no statement of theirs opens
 * a statement journal after its full-text writes. A first job holds the
 * writer thread until three more are queued, so the three share a batch. */
struct order_arg {
	struct kf_store *s;
	const char *name;
	int64_t seen; /* for the fin-only job: the other fins' rows it saw */
};

static int order_put(struct kf_db *db, const char *key, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(key), KP_TEXT("v")};
	return kf_db_exec(db, "INSERT INTO settings (key, value) VALUES ($1, $2)", p, 2, NULL, err);
}

static atomic_bool order_holding;

/* Polls until the number of queued group writes reaches want, for at most
 * ten seconds (a test that waits for ever fails nobody). */
static bool order_wait_queued(struct kf_store *s, int want)
{
	uint64_t commits, jobs;
	int waiting = 0;
	for (int ms = 0; ms < 10000; ms++) {
		kf_store_group_stats(s, &commits, &jobs, &waiting);
		if (waiting >= want)
			return true;
		usleep(1000);
	}
	return false;
}

static int order_hold(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct order_arg *o = arg;
	atomic_store(&order_holding, true);
	if (!order_wait_queued(o->s, 3))
		return kf_err_set(err, KF_EINTERNAL, "the other jobs were never queued");
	return order_put(db, "order-hold", err);
}

static int order_fn(struct kf_db *db, void *arg, struct kf_err *err)
{
	char key[32];
	snprintf(key, sizeof key, "order-%s-fn", ((struct order_arg *)arg)->name);
	return order_put(db, key, err);
}

static int order_fin(struct kf_db *db, void *arg, struct kf_err *err)
{
	char key[32];
	snprintf(key, sizeof key, "order-%s-fin", ((struct order_arg *)arg)->name);
	return order_put(db, key, err);
}

static int order_last(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct order_arg *o = arg;
	int rc = kf_db_query_int(db, "SELECT COUNT(*) FROM settings WHERE key LIKE 'order-%-fin'",
				 NULL, 0, &o->seen, err);
	return rc < 0 ? rc : order_put(db, "order-last", err);
}

struct order_job {
	struct kf_store *s;
	kf_group_fn fn, fin;
	struct order_arg arg;
	int rc;
};

static void *order_run(void *p)
{
	struct order_job *j = p;
	struct kf_err err = {0};
	j->rc = kf_store_group_write(j->s, j->fn, j->fin, &j->arg, &err);
	return NULL;
}

/* A group write from inside a group write's fn would wait for itself: it is
 * refused, and the outer one still commits. */
struct nested_arg {
	struct kf_store *s;
	int inner_rc;
};

static int nested_inner(struct kf_db *db, void *arg, struct kf_err *err)
{
	(void)arg;
	return order_put(db, "nested-inner", err);
}

static int nested_outer(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct nested_arg *n = arg;
	struct kf_err inner = {0};
	n->inner_rc = kf_store_group_write(n->s, nested_inner, NULL, NULL, &inner);
	return order_put(db, "nested-outer", err);
}

static void group_writes_refuse_a_nested_one(void **state)
{
	struct fixture *f = *state;
	struct kf_err err = {0};
	struct nested_arg n = {f->s, -1};
	assert_int_equal(kf_store_group_write(f->s, nested_outer, NULL, &n, &err), 0);
	assert_int_equal(n.inner_rc, KF_EINTERNAL);
	int64_t rows = -1;
	assert_int_equal(kf_db_query_int(f->db,
					 "SELECT COUNT(*) FROM settings WHERE key LIKE 'nested-%'",
					 NULL, 0, &rows, &err),
			 1);
	assert_int_equal(rows, 1);
}

static void group_writes_run_fin_only_jobs_last(void **state)
{
	struct fixture *f = *state;
	struct order_job jobs[] = {
	    {f->s, order_hold, NULL, {f->s, "hold", -1}, -1},
	    {f->s, NULL, order_last, {f->s, "last", -1}, -1},
	    {f->s, order_fn, order_fin, {f->s, "b", -1}, -1},
	    {f->s, order_fn, order_fin, {f->s, "c", -1}, -1},
	};
	enum { N = sizeof jobs / sizeof *jobs };
	pthread_t th[N];
	uint64_t commits0, jobs0, commits1, jobs1, timed0, timed1;
	double queue0, tx0, durable0, queue1, tx1, durable1;
	int waiting;
	kf_store_group_stats(f->s, &commits0, &jobs0, &waiting);
	kf_store_group_times(f->s, &timed0, &queue0, &tx0, &durable0);
	atomic_store(&order_holding, false);
	pthread_create(&th[0], NULL, order_run, &jobs[0]);
	/* The holding job runs in a batch of its own before the others queue;
	 * it holds the writer until all three are queued. */
	bool held = false;
	for (int ms = 0; ms < 10000 && !(held = atomic_load(&order_holding)); ms++)
		usleep(1000);
	/* One at a time, so that the queue's order is the array's (once the
	 * last is queued, the holding job lets the writer go on). */
	int started = 1;
	bool queued = held;
	for (int i = 1; i < N && held; i++, started++) {
		pthread_create(&th[i], NULL, order_run, &jobs[i]);
		if (i < N - 1 && queued)
			queued = order_wait_queued(f->s, i);
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	assert_true(held);
	assert_true(queued);
	for (int i = 0; i < N; i++)
		assert_int_equal(jobs[i].rc, 0);
	/* The fin-only job was queued before b and c, and still saw both
	 * their fins: one batch, and it ran last. */
	assert_int_equal(jobs[1].arg.seen, 2);
	kf_store_group_stats(f->s, &commits1, &jobs1, &waiting);
	assert_int_equal(commits1 - commits0, 2);
	assert_int_equal(jobs1 - jobs0, N);
	assert_int_equal(waiting, 0);
	/* Each job's time by stage (/metrics): the three behind the holding
	 * job waited for the writer while it held its transaction open. */
	kf_store_group_times(f->s, &timed1, &queue1, &tx1, &durable1);
	assert_int_equal(timed1 - timed0, N);
	assert_true(queue1 - queue0 > 0.0005);
	assert_true(tx1 - tx0 > 0.0005);
	assert_true(durable1 >= durable0);
}

/* Group writes: concurrent jobs share transactions; a job that fails leaves
 * nothing behind and the others of its batch still commit. */
struct group_arg {
	int thread, i;
	bool fail;
	int fin_runs;
	struct kf_arena *a;
};

static int group_fn(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct group_arg *g = arg;
	char key[32];
	snprintf(key, sizeof key, "g-%d-%d", g->thread, g->i);
	struct kf_param p[] = {KP_TEXT(key), KP_TEXT("v")};
	struct kf_audit_entry e = {.at = g->i, .action = "test.group", .detail = "{}"};
	int rc =
	    kf_db_exec(db, "INSERT INTO settings (key, value) VALUES ($1, $2)", p, 2, NULL, err);
	if (!rc)
		rc = kf_store_audit_append(db, &e, g->a, err);
	if (!rc && g->fail)
		rc = kf_err_field(err, KF_EINVALID, "job", "job %s fails on purpose", key);
	return rc;
}

static int group_fin(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct group_arg *g = arg;
	g->fin_runs++;
	return 0;
}

struct group_writer {
	struct kf_store *s;
	int thread, n, ok, refused, wrong;
};

static void *write_group(void *arg)
{
	struct group_writer *w = arg;
	for (int i = 0; i < w->n; i++) {
		struct kf_err err = {0};
		struct kf_arena a;
		kf_arena_init(&a);
		struct group_arg g = {.thread = w->thread, .i = i, .fail = i % 5 == 3, .a = &a};
		int rc = kf_store_group_write(w->s, group_fn, group_fin, &g, &err);
		if (rc == 0 && !g.fail && g.fin_runs > 0)
			w->ok++;
		else if (rc == KF_EINVALID && g.fail && !strcmp(err.field, "job"))
			w->refused++;
		else
			w->wrong++;
		kf_arena_release(&a);
	}
	return NULL;
}

static void group_writes_isolate_failed_jobs(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	enum { THREADS = 8, JOBS = 40 };
	pthread_t th[THREADS];
	struct group_writer w[THREADS];
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct group_writer){.s = f->s, .thread = i, .n = JOBS};
		pthread_create(&th[i], NULL, write_group, &w[i]);
	}
	int ok = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].wrong, 0);
		assert_int_equal(w[i].refused, JOBS / 5);
		ok += w[i].ok;
	}
	int64_t rows = 0, failed_rows = -1;
	assert_int_equal(kf_db_query_int(f->db,
					 "SELECT COUNT(*) FROM settings WHERE key LIKE 'g-%'", NULL,
					 0, &rows, &err),
			 1);
	assert_int_equal(rows, ok);
	assert_int_equal(rows, THREADS * (JOBS - JOBS / 5));
	/* The rows of failed jobs (i = 3, 8, 13 …) are not there. */
	assert_int_equal(kf_db_query_int(f->db,
					 "SELECT COUNT(*) FROM settings WHERE key LIKE 'g-%-3' OR "
					 "key LIKE 'g-%-8' OR key LIKE 'g-%-13'",
					 NULL, 0, &failed_rows, &err),
			 1);
	assert_int_equal(failed_rows, 0);
	struct kf_audit_check c;
	assert_int_equal(kf_store_audit_verify(f->db, &c, &err), 0);
	assert_true(c.ok);
}

static bool has_team(struct fixture *f, struct kf_db *db, const char *name)
{
	struct kf_err err;
	struct kf_team got;
	int rc = kf_store_team_by_name(db, name, &f->a, &got, &err);
	assert_true(rc == 0 || rc == KF_ENOTFOUND);
	return rc == 0;
}

static void add_team(struct kf_db *db, const char *name)
{
	struct kf_err err;
	struct kf_team t = {.name = name, .created_at = 1};
	assert_int_equal(kf_store_team_insert(db, &t, &err), 0);
}

/* A read snapshot (kf_db_read_begin) shows one state of the store on SQLite
 * (on PostgreSQL it is not taken: every read sees the latest commit), and
 * never turns into a write: a write outside a transaction commits at once,
 * kf_db_begin succeeds although the snapshot is stale, and releasing the
 * connection ends it. */
static void read_snapshots_see_one_state_and_never_become_writes(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_db *other;
	bool sqlite = kf_db_engine(f->db) == KF_ENGINE_SQLITE;
	assert_int_equal(kf_store_acquire(f->s, &other, &err), 0);
	add_team(other, "快照前");
	assert_int_equal(kf_db_read_begin(f->db, &err), 0);
	assert_true(has_team(f, f->db, "快照前"));
	add_team(other, "快照后");
	assert_int_equal(has_team(f, f->db, "快照后"), !sqlite);
	/* A write outside a transaction ends the snapshot and commits. */
	add_team(f->db, "快照中写");
	assert_false(kf_db_in_tx(f->db));
	assert_true(has_team(f, other, "快照中写"));
	assert_true(has_team(f, f->db, "快照后"));
	/* A stale snapshot, then a write transaction. */
	assert_int_equal(kf_db_read_begin(f->db, &err), 0);
	assert_true(has_team(f, f->db, "快照后"));
	add_team(other, "又一个");
	assert_int_equal(kf_db_begin(f->db, &err), 0);
	add_team(f->db, "事务写");
	assert_true(has_team(f, f->db, "又一个"));
	assert_int_equal(kf_db_commit(f->db, &err), 0);
	assert_true(has_team(f, other, "事务写"));
	/* Inside a transaction kf_db_read_begin changes nothing. */
	assert_int_equal(kf_db_begin(f->db, &err), 0);
	assert_int_equal(kf_db_read_begin(f->db, &err), 0);
	add_team(f->db, "事务内");
	kf_db_rollback(f->db);
	assert_false(has_team(f, other, "事务内"));
	/* Released with a snapshot open: back in the pool without it. */
	assert_int_equal(kf_db_read_begin(f->db, &err), 0);
	assert_false(has_team(f, f->db, "之后"));
	kf_store_release(f->s, f->db);
	add_team(other, "之后");
	assert_int_equal(kf_store_acquire(f->s, &f->db, &err), 0);
	assert_true(has_team(f, f->db, "之后"));
	kf_store_release(f->s, other);
}

/* Engines cache prepared statements by SQL text: more texts than the cache
 * holds, run again and again, give the same answers; on PostgreSQL also
 * after the session's prepared statements were dropped behind the engine's
 * back (a DISCARD ALL, a pooler) and after the connection was lost (the
 * statement that found out fails as unavailable, the next one works).
 * Every text is written into one buffer: SQLite's cache, which looks a
 * statement up by where its text is first, must not run the one before. */
static void statement_cache_survives_eviction_and_lost_sessions(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	char sql[64];
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 600; i++) {
			int64_t v = 0;
			struct kf_param p = KP_INT(i);
			snprintf(sql, sizeof sql, "SELECT $1 + %d", i * 7);
			assert_int_equal(kf_db_query_int(f->db, sql, &p, 1, &v, &err), 1);
			assert_int_equal(v, i * 8);
		}
	}
	if (kf_db_engine(f->db) != KF_ENGINE_POSTGRES)
		return;
	int64_t v = 0, pid = 0;
	struct kf_param p = KP_INT(5);
	assert_int_equal(kf_db_query_int(f->db, "SELECT $1 + 7", &p, 1, &v, &err), 1);
	assert_int_equal(kf_db_exec(f->db, "DEALLOCATE ALL", NULL, 0, NULL, &err), 0);
	assert_int_equal(kf_db_query_int(f->db, "SELECT $1 + 7", &p, 1, &v, &err), 1);
	assert_int_equal(v, 12);
	assert_int_equal(kf_db_query_int(f->db, "SELECT pg_backend_pid()", NULL, 0, &pid, &err), 1);
	struct kf_db *other;
	struct kf_param q = KP_INT(pid);
	assert_int_equal(kf_store_acquire(f->s, &other, &err), 0);
	assert_int_equal(
	    kf_db_query_int(other, "SELECT pg_terminate_backend($1, 5000)", &q, 1, &v, &err), 1);
	kf_store_release(f->s, other);
	assert_int_equal(kf_db_query_int(f->db, "SELECT $1 + 7", &p, 1, &v, &err), KF_EUNAVAILABLE);
	v = 0;
	assert_int_equal(kf_db_query_int(f->db, "SELECT $1 + 7", &p, 1, &v, &err), 1);
	assert_int_equal(v, 12);
}

static int64_t add_user(struct fixture *f, const char *login)
{
	struct kf_err err;
	struct kf_user u = {
	    .login = login, .name = login, .role = "agent", .password_hash = "h", .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), 0);
	return u.id;
}

static int64_t add_customer(struct fixture *f, const char *name, const char *phone)
{
	struct kf_err err;
	struct kf_customer c = {.name = name, .phone = phone, .grade = "B", .tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &c, &err), 0);
	return c.id;
}

static int64_t add_ticket(struct fixture *f, const char *number, const char *status,
			  int64_t customer, int64_t user)
{
	struct kf_err err;
	struct kf_ticket t = {.number = number,
			      .type = "repair",
			      .channel = "phone",
			      .subject = "空调漏水",
			      .description = "x",
			      .customer_id = customer,
			      .status = status,
			      .priority = "normal",
			      .owner_id = user,
			      .assignee_id = user,
			      .policy_version = 1,
			      .created_by = user,
			      .created_at = 1};
	assert_int_equal(kf_store_ticket_insert(f->db, &t, NULL, 0, &err), 0);
	return t.id;
}

static int list_ids(struct fixture *f, struct kf_ticket_filter *flt, int64_t *ids)
{
	struct kf_err err;
	struct kf_ticket *items;
	int n = 0;
	flt->limit = 10;
	assert_int_equal(kf_store_ticket_list(f->db, flt, &f->a, &items, &n, &err), 0);
	for (int i = 0; i < n; i++)
		ids[i] = items[i].id;
	return n;
}

static void set_status(struct fixture *f, int64_t id, const char *status)
{
	struct kf_err err;
	struct kf_param p[] = {KP_INT(id), KP_TEXT(status)};
	assert_int_equal(
	    kf_db_exec(f->db, "UPDATE tickets SET status = $2 WHERE id = $1", p, 2, NULL, &err), 0);
}

/* The ids of a search's first page, best and newest first: text, with a
 * type (NULL: any) and open_only, in a window of window matches. */
static int search_window(struct fixture *f, const char *text, const char *type, bool open_only,
			 int window, int64_t *ids)
{
	struct kf_err err;
	struct kf_ticket *items;
	int n = 0;
	struct kf_ticket_filter flt = {.query = kf_store_search_param(f->db, text, &f->a),
				       .type = type,
				       .open_only = open_only,
				       .overdue = -1,
				       .window = window,
				       .limit = 10};
	assert_int_equal(kf_store_ticket_list(f->db, &flt, &f->a, &items, &n, &err), 0);
	for (int i = 0; i < n; i++)
		ids[i] = items[i].id;
	return n;
}

static int search_filtered(struct fixture *f, const char *text, const char *type, bool open_only,
			   int64_t *ids)
{
	return search_window(f, text, type, open_only, 100, ids);
}

static int search_ids(struct fixture *f, const char *text, bool open_only, int64_t *ids)
{
	return search_filtered(f, text, NULL, open_only, ids);
}

static int search_typed(struct fixture *f, const char *text, const char *type, int64_t *ids)
{
	return search_filtered(f, text, type, false, ids);
}

/* The ticket row's copy of its deadlines (what a ticket view reads, with
 * the ticket) is the ticket's deadlines: n of them, each field equal. */
static void assert_deadlines_copied(struct fixture *f, int64_t ticket, int n)
{
	struct kf_err err;
	struct kf_ticket t;
	struct kf_customer cu;
	bool revealed;
	struct kf_ticket_deadline *copy, *rows;
	int ncopy = -1, nrows = -1;
	assert_int_equal(kf_store_ticket_get_full(f->db, ticket, 0, 0, &f->a, &t, &cu, &revealed,
						  &copy, &ncopy, &err),
			 0);
	assert_int_equal(kf_store_deadline_list(f->db, ticket, &f->a, &rows, &nrows, &err), 0);
	assert_int_equal(nrows, n);
	assert_int_equal(ncopy, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(copy[i].ticket_id, ticket);
		assert_string_equal(copy[i].kind, rows[i].kind);
		assert_int_equal(copy[i].due_at, rows[i].due_at);
		assert_int_equal(copy[i].met_at, rows[i].met_at);
		assert_int_equal(copy[i].overdue_at, rows[i].overdue_at);
	}
}

/* L-4 … L-12: every change to a ticket's deadlines, with
 * kf_store_ticket_refresh_due after it as the use cases call it, leaves the
 * ticket row's copy equal to the deadlines; instants past 32 bits and 0
 * (unset) survive it. */
static void deadlines_copy_follows_every_change(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int64_t uid = add_user(f, "dlcopy");
	int64_t cid = add_customer(f, "期限副本", "13800000016");
	int64_t t = add_ticket(f, "DC-20260101-0001", "assigned", cid, uid);
	const int64_t big = 1795708800000; /* 2026-11-27T00:00+08:00, in milliseconds */
	assert_deadlines_copied(f, t, 0);
	assert_int_equal(kf_store_deadline_insert(f->db, t, "reply", big, &err), 0);
	assert_int_equal(kf_store_deadline_insert(f->db, t, "close", big + 5, &err), 0);
	assert_int_equal(kf_store_deadline_insert(f->db, t, "status_update", big + 1, &err), 0);
	assert_int_equal(kf_store_ticket_refresh_due(f->db, t, &err), 0);
	assert_deadlines_copied(f, t, 3);
	bool changed = false;
	assert_int_equal(kf_store_deadline_meet(f->db, t, "reply", big + 2, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(kf_store_ticket_refresh_due(f->db, t, &err), 0);
	assert_deadlines_copied(f, t, 3);
	assert_int_equal(
	    kf_store_deadline_mark_overdue(f->db, t, "status_update", big + 9, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(kf_store_ticket_refresh_due(f->db, t, &err), 0);
	assert_deadlines_copied(f, t, 3);
	assert_int_equal(kf_store_deadline_move(f->db, t, "close", big + 100, &err), 0);
	assert_int_equal(
	    kf_store_deadline_rearm(f->db, t, "status_update", big + 50, false, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(
	    kf_store_deadline_rearm(f->db, t, "review", big + 60, true, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(kf_store_ticket_refresh_due(f->db, t, &err), 0);
	assert_deadlines_copied(f, t, 4);
	assert_int_equal(kf_store_deadline_delete_unmet(f->db, t, NULL, &err), 0);
	assert_int_equal(kf_store_ticket_refresh_due(f->db, t, &err), 0);
	assert_deadlines_copied(f, t, 2); /* the met reply and status_update */
	/* A row without a copy (PostgreSQL's rows from before migration 015)
	 * or with one that cannot be read: the view reads the deadlines. */
	struct kf_param p = KP_INT(t);
	static const char *const broken[] = {
	    "UPDATE tickets SET deadlines = NULL WHERE id = $1",
	    "UPDATE tickets SET deadlines = 'reply,1,2' WHERE id = $1",
	    "UPDATE tickets SET deadlines = '' WHERE id = $1"};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(kf_db_exec(f->db, broken[i], &p, 1, NULL, &err), 0);
		struct kf_ticket tk;
		struct kf_customer cu;
		bool revealed;
		struct kf_ticket_deadline *d;
		int n = -1;
		assert_int_equal(kf_store_ticket_get_full(f->db, t, 0, 0, &f->a, &tk, &cu,
							  &revealed, &d, &n, &err),
				 0);
		/* "" is a copy: of no deadlines, and believed. */
		assert_int_equal(n, i < 2 ? 2 : 0);
	}
	assert_int_equal(kf_store_ticket_refresh_due(f->db, t, &err), 0);
	assert_deadlines_copied(f, t, 2);
}

/* The copy's text: what kf_store_deadlines_text_add writes,
 * kf_store_deadlines_parse reads back, sorted by due time, then kind; any
 * other text is refused whole. */
static void deadlines_text_round_trips_and_refuses_garbage(void **state)
{
	struct fixture *f = *state;
	struct kf_ticket_deadline in[] = {{7, "close", 3000, 0, 3500},
					  {7, "reply", 1000, 900, 0},
					  {7, "callback", 1000, 0, 0},
					  {7, "review", INT64_MAX, INT64_MAX, INT64_MAX}};
	struct kf_buf b;
	kf_buf_init(&b, 0);
	for (int i = 0; i < 4; i++)
		kf_store_deadlines_text_add(&b, &in[i]);
	assert_string_equal(b.data, "close,3000,,3500;reply,1000,900,;callback,1000,,;review,"
				    "9223372036854775807,9223372036854775807,9223372036854775807");
	struct kf_ticket_deadline *d;
	int n = -1;
	assert_int_equal(kf_store_deadlines_parse(b.data, 7, &f->a, &d, &n), 0);
	assert_int_equal(n, 4);
	const int order[] = {2, 1, 0, 3};
	for (int i = 0; i < 4; i++) {
		const struct kf_ticket_deadline *e = &in[order[i]];
		assert_int_equal(d[i].ticket_id, 7);
		assert_string_equal(d[i].kind, e->kind);
		assert_int_equal(d[i].due_at, e->due_at);
		assert_int_equal(d[i].met_at, e->met_at);
		assert_int_equal(d[i].overdue_at, e->overdue_at);
	}
	kf_buf_release(&b);
	char empty[] = "";
	assert_int_equal(kf_store_deadlines_parse(empty, 7, &f->a, &d, &n), 0);
	assert_int_equal(n, 0);
	static const char *const bad[] = {
	    "reply",
	    "reply,",
	    "reply,1",
	    "reply,1,",
	    "reply,,2,3",
	    "reply,1,2,3,",
	    "reply,1,2,3;",
	    ";reply,1,2,3",
	    "Reply,1,2,3",
	    "re ply,1,2,3",
	    "l5,1,,",
	    "reply,-,2,3",
	    "reply,1,--2,3",
	    "reply,1,2,x",
	    ",1,2,3",
	    "reply,1,2,3;;close,1,2,3",
	    "reply,9223372036854775808,,",
	    "reply,-9223372036854775809,,",
	    "reply,1,2,3 ",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *text = kf_arena_strdup(&f->a, bad[i]);
		n = -1;
		assert_int_equal(kf_store_deadlines_parse(text, 7, &f->a, &d, &n), -1);
		assert_int_equal(n, 0);
	}
	/* Negative instants (a clock set before 1970) and the extremes. */
	char signs[] = "reply,-5,-9223372036854775808,0";
	assert_int_equal(kf_store_deadlines_parse(signs, 7, &f->a, &d, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].due_at, -5);
	assert_int_equal(d[0].met_at, INT64_MIN);
	assert_int_equal(d[0].overdue_at, 0);
	/* As many deadlines as a ticket can have, and one more. */
	kf_buf_init(&b, 0);
	for (int i = 0; i < KF_STORE_DEADLINES_MAX; i++)
		kf_store_deadlines_text_add(&b, &in[0]);
	char *most = kf_arena_strdup(&f->a, b.data);
	assert_int_equal(kf_store_deadlines_parse(most, 7, &f->a, &d, &n), 0);
	assert_int_equal(n, KF_STORE_DEADLINES_MAX);
	kf_store_deadlines_text_add(&b, &in[0]);
	n = -1;
	assert_int_equal(kf_store_deadlines_parse(b.data, 7, &f->a, &d, &n), -1);
	assert_int_equal(n, 0);
	kf_buf_release(&b);
}

/* T-10: a search with a type gives the matches of that type, newest first,
 * and follows a change of type once the entry is written again (as the
 * ticket's update writes it); the index's type token is out of reach of a
 * query's words. */
static void search_by_type_follows_the_type(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int64_t uid = add_user(f, "bytype");
	int64_t cid = add_customer(f, "类型", "13800000026");
	int64_t a = add_ticket(f, "TY-20260101-0001", "assigned", cid, uid);
	int64_t b = add_ticket(f, "TY-20260101-0002", "closed", cid, uid);
	struct kf_param pb = KP_INT(b);
	assert_int_equal(kf_db_exec(f->db, "UPDATE tickets SET type = 'inquiry' WHERE id = $1", &pb,
				    1, NULL, &err),
			 0);
	assert_int_equal(kf_store_search_put_ticket(f->db, a, true, "repair", "TY", "热水器 漏气",
						    "x", "类型", &err),
			 0);
	assert_int_equal(kf_store_search_put_ticket(f->db, b, false, "inquiry", "TY", "热水器 漏气",
						    "x", "类型", &err),
			 0);
	int64_t ids[10];
	assert_int_equal(search_typed(f, "漏气", "repair", ids), 1);
	assert_int_equal(ids[0], a);
	assert_int_equal(search_typed(f, "漏气", "inquiry", ids), 1);
	assert_int_equal(ids[0], b);
	assert_int_equal(search_typed(f, "漏气", "complaint", ids), 0);
	assert_int_equal(search_typed(f, "漏气", NULL, ids), 2);
	assert_int_equal(search_ids(f, "repair", false, ids), 0);
	assert_int_equal(search_ids(f, "inquiry", false, ids), 0);
	/* a becomes an inquiry */
	struct kf_param pa = KP_INT(a);
	assert_int_equal(kf_db_exec(f->db, "UPDATE tickets SET type = 'inquiry' WHERE id = $1", &pa,
				    1, NULL, &err),
			 0);
	assert_int_equal(kf_store_search_put_ticket(f->db, a, true, "inquiry", "TY", "热水器 漏气",
						    "x", "类型", &err),
			 0);
	assert_int_equal(search_typed(f, "漏气", "repair", ids), 0);
	assert_int_equal(search_typed(f, "漏气", "inquiry", ids), 2);
	assert_int_equal(ids[0], b);
	assert_int_equal(ids[1], a);
	/* with the open tickets' index too */
	assert_int_equal(search_filtered(f, "漏气", "inquiry", true, ids), 1);
	assert_int_equal(ids[0], a);
	/* A repair behind twelve newer inquiries with the same word: found
	 * with a window of one match, where walking the type's tickets beside
	 * the newest ten matches (SEARCH_SCAN_FACTOR windows) would not. */
	int64_t r = add_ticket(f, "TY-20260101-0003", "assigned", cid, uid);
	assert_int_equal(
	    kf_store_search_put_ticket(f->db, r, true, "repair", "TY", "漏气", "x", "类型", &err),
	    0);
	for (int i = 0; i < 12; i++) {
		char number[32];
		snprintf(number, sizeof number, "TY-20260101-%04d", 10 + i);
		int64_t t = add_ticket(f, number, "assigned", cid, uid);
		struct kf_param pt = KP_INT(t);
		assert_int_equal(kf_db_exec(f->db,
					    "UPDATE tickets SET type = 'inquiry' WHERE id = $1",
					    &pt, 1, NULL, &err),
				 0);
		assert_int_equal(kf_store_search_put_ticket(f->db, t, true, "inquiry", "TY", "漏气",
							    "x", "类型", &err),
				 0);
	}
	assert_int_equal(search_window(f, "漏气", "repair", false, 1, ids), 1);
	assert_int_equal(ids[0], r);
}

/* Migrations 005, 013, 014, 016 and 017 to 019 (issue 3): kefu init on a store at
 * schema 4 that holds tickets gives it the partial indexes of open and
 * overdue tickets and the indexes in id order, and the queues read the same
 * tickets as before; the deadlines, keyed by ticket and kind since 014, are
 * kept; on SQLite the open tickets' search entries fill the index of 016,
 * the index 015 made and 017 drops is gone, the deadlines' copies are
 * filled (018) and the search entries hold the type's token (019). */
static void schema_4_with_tickets_migrates_to_5(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int64_t uid = add_user(f, "mig3");
	int64_t cid = add_customer(f, "迁移", "13800000003");
	int64_t open1 = add_ticket(f, "BX-20260101-0001", "assigned", cid, uid);
	int64_t closed = add_ticket(f, "BX-20260101-0002", "closed", cid, uid);
	int64_t open2 = add_ticket(f, "BX-20260101-0003", "in_progress", cid, uid);
	struct kf_param p = KP_INT(closed);
	assert_int_equal(
	    kf_db_exec(f->db, "UPDATE tickets SET overdue = 1 WHERE id = $1", &p, 1, NULL, &err),
	    0);
	/* Back to what migration 004 left. */
	static const char *const down[] = {
	    "DROP INDEX tickets_open", "DROP INDEX tickets_open_assignee",
	    "DROP INDEX tickets_open_owner", "DROP INDEX tickets_overdue",
	    "CREATE INDEX tickets_overdue ON tickets(overdue, id)",
	    /* and what later migrations added or changed */
	    "DROP INDEX tickets_type", "DROP INDEX tickets_assignee",
	    "CREATE INDEX tickets_assignee ON tickets(assignee_id, status, next_due_at)",
	    "DROP INDEX tickets_owner",
	    "CREATE INDEX tickets_owner ON tickets(owner_id, status, next_due_at)",
	    "DROP TABLE swap_requests", "DROP TABLE leave_requests", "DROP TABLE roster_wishes",
	    "DROP TABLE roster_assignments", "DROP TABLE rosters", "DROP TABLE shift_templates",
	    "DROP TABLE portal_sessions", "DROP TABLE portal_accounts",
	    "DELETE FROM users WHERE login = '@portal'", "DROP TABLE notifications",
	    "DROP TABLE complaint_sanctions", "DROP TABLE complaint_review_decisions",
	    "DROP TABLE complaint_reviews", "DROP TABLE survey_links_retired",
	    "DROP TABLE handover_items", "DROP TABLE handovers", "DROP TABLE duty_log",
	    "DROP TABLE attendance_punches", "DROP TABLE voucher_signatures",
	    "DROP TABLE offsite_requests", "DROP TABLE service_vouchers",
	    "DROP TABLE discount_certificates", "DROP TABLE return_slips",
	    "ALTER TABLE tickets DROP COLUMN technician_id", "DROP TABLE callbacks",
	    "DROP TABLE IF EXISTS search_pending", "ALTER TABLE tickets DROP COLUMN deadlines",
	    "DELETE FROM schema_migrations WHERE version >= 5"};
	for (size_t i = 0; i < sizeof down / sizeof down[0]; i++)
		assert_int_equal(kf_db_exec(f->db, down[i], NULL, 0, NULL, &err), 0);
	if (kf_db_engine(f->db) == KF_ENGINE_POSTGRES) {
		assert_int_equal(kf_db_exec(f->db,
					    "ALTER TABLE tickets ALTER COLUMN search SET STORAGE "
					    "EXTENDED",
					    NULL, 0, NULL, &err),
				 0);
		assert_int_equal(kf_db_exec(f->db, "DROP FUNCTION attendance_append_only()", NULL,
					    0, NULL, &err),
				 0);
	}
	/* The deadlines table of 002: a surrogate id, (ticket_id, kind)
	 * unique; on SQLite the search index's merge setting of 002 too. */
	static const char *const down_pg[] = {
	    "ALTER TABLE ticket_deadlines DROP CONSTRAINT ticket_deadlines_pkey",
	    "ALTER TABLE ticket_deadlines ADD COLUMN id BIGINT GENERATED BY DEFAULT AS "
	    "IDENTITY PRIMARY KEY",
	    "ALTER TABLE ticket_deadlines ADD CONSTRAINT ticket_deadlines_ticket_id_kind_key "
	    "UNIQUE (ticket_id, kind)"};
	static const char *const down_lite[] = {
	    "DROP TABLE ticket_search",
	    "CREATE VIRTUAL TABLE ticket_search USING fts5(number, subject, body, customer, "
	    "tokenize = 'unicode61 remove_diacritics 0')",
	    "DROP TABLE ticket_deadlines",
	    "CREATE TABLE ticket_deadlines (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL "
	    "REFERENCES tickets(id), kind TEXT NOT NULL, due_at INTEGER NOT NULL, met_at "
	    "INTEGER, overdue_at INTEGER, UNIQUE (ticket_id, kind))",
	    "CREATE INDEX ticket_deadlines_pending ON ticket_deadlines(due_at) WHERE met_at IS "
	    "NULL AND overdue_at IS NULL",
	    "DELETE FROM ticket_search_config WHERE k = 'automerge'",
	    "DROP TRIGGER tickets_search_done",
	    "DROP TRIGGER tickets_search_reopened",
	    "DROP TABLE ticket_search_open"};
	bool pg = kf_db_engine(f->db) == KF_ENGINE_POSTGRES;
	/* Search entries of the three (016 builds the open tickets' index from
	 * them): on SQLite in the four columns the index had before 019. */
	if (pg)
		for (int64_t id = open1; id <= open2; id++)
			assert_int_equal(kf_store_search_put_ticket(f->db, id, id != closed,
								    "repair", "BX", "壁挂炉 漏水",
								    "x", "迁移", &err),
					 0);
	for (size_t i = 0; i < (pg ? 3 : sizeof down_lite / sizeof down_lite[0]); i++)
		assert_int_equal(
		    kf_db_exec(f->db, pg ? down_pg[i] : down_lite[i], NULL, 0, NULL, &err), 0);
	for (int64_t id = open1; !pg && id <= open2; id++) {
		struct kf_param e = KP_INT(id);
		assert_int_equal(
		    kf_db_exec(f->db,
			       "INSERT INTO ticket_search (rowid, number, subject, body, "
			       "customer) VALUES ($1, 'BX', '壁挂炉 漏水', 'x', '迁移')",
			       &e, 1, NULL, &err),
		    0);
	}
	struct kf_param dl[] = {KP_INT(open1), KP_INT(open2)};
	assert_int_equal(
	    kf_db_exec(f->db,
		       "INSERT INTO ticket_deadlines (ticket_id, kind, due_at, met_at) "
		       "VALUES ($1, 'reply', 3000, NULL), ($1, 'close', 2000, NULL), "
		       "($2, 'reply', 1000, 900)",
		       dl, 2, NULL, &err),
	    0);
	int from = 0, to = 0;
	assert_int_equal(kf_store_migrate(f->s, &from, &to, &err), 0);
	assert_int_equal(from, 4);
	assert_int_equal(to, kf_store_binary_schema_version(f->s));
	int64_t n = 0;
	assert_int_equal(
	    kf_db_query_int(
		f->db,
		kf_db_engine(f->db) == KF_ENGINE_POSTGRES
		    ? "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'tickets' AND "
		      "indexname IN ('tickets_open', 'tickets_open_assignee', "
		      "'tickets_open_owner', 'tickets_overdue') AND indexdef LIKE "
		      "'%WHERE%'"
		    : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
		      "('tickets_open', 'tickets_open_assignee', 'tickets_open_owner', "
		      "'tickets_overdue') AND sql LIKE '%WHERE%'",
		NULL, 0, &n, &err),
	    1);
	assert_int_equal(n, 4);
	int64_t ids[10];
	struct kf_ticket_filter mine = {.assignee_id = uid, .open_only = true, .overdue = -1};
	assert_int_equal(list_ids(f, &mine, ids), 2);
	assert_int_equal(ids[0], open2);
	assert_int_equal(ids[1], open1);
	struct kf_ticket_filter late = {.overdue = 1};
	assert_int_equal(list_ids(f, &late, ids), 1);
	assert_int_equal(ids[0], closed);
	/* Migration 013: each index a list names on SQLite (id_indexes in
	 * src/store/tickets.c) exists and gives the filter's tickets, newest
	 * first; open2 is the newest ticket and meets each filter. */
	struct kf_ticket_filter shapes[] = {
	    {.customer_id = cid, .overdue = -1},
	    {.owner_id = uid, .open_only = true, .overdue = -1},
	    {.assignee_id = uid, .overdue = -1},
	    {.owner_id = uid, .overdue = -1},
	    {.open_only = true, .overdue = -1},
	    {.status = "in_progress", .overdue = -1},
	    {.type = "repair", .overdue = -1},
	    {.type = "repair", .status = "in_progress", .team_id = 0, .overdue = 0},
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		assert_true(list_ids(f, &shapes[i], ids) >= 1);
		assert_int_equal(ids[0], open2);
	}
	struct kf_ticket_filter closed_only = {
	    .customer_id = cid, .status = "closed", .overdue = -1};
	assert_int_equal(list_ids(f, &closed_only, ids), 1);
	assert_int_equal(ids[0], closed);
	/* Migration 014: the deadlines are all there, by due time, and are
	 * changed by ticket and kind. Migration 018 (PostgreSQL 015): the
	 * ticket rows' copies of them were filled. */
	struct kf_arena a;
	kf_arena_init(&a);
	struct kf_ticket_deadline *d;
	int nd = 0;
	assert_deadlines_copied(f, open1, 2);
	assert_deadlines_copied(f, open2, 1);
	assert_deadlines_copied(f, closed, 0);
	/* SQLite fills the copies of the tickets with deadlines, PostgreSQL
	 * none (each gets it with its next change). */
	assert_int_equal(kf_db_query_int(f->db,
					 "SELECT COUNT(*) FROM tickets WHERE deadlines IS NOT NULL",
					 NULL, 0, &n, &err),
			 1);
	assert_int_equal(n, pg ? 0 : 2);
	assert_int_equal(kf_store_deadline_list(f->db, open1, &a, &d, &nd, &err), 0);
	assert_int_equal(nd, 2);
	assert_string_equal(d[0].kind, "close");
	assert_int_equal(d[0].due_at, 2000);
	assert_string_equal(d[1].kind, "reply");
	bool changed = false;
	assert_int_equal(
	    kf_store_deadline_mark_overdue(f->db, open1, "reply", 5000, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(kf_store_ticket_refresh_due(f->db, open1, &err), 0);
	assert_deadlines_copied(f, open1, 2);
	assert_int_equal(kf_store_deadline_list(f->db, open2, &a, &d, &nd, &err), 0);
	assert_int_equal(nd, 1);
	assert_int_equal(d[0].met_at, 900);
	assert_int_equal(kf_store_deadline_list(f->db, open1, &a, &d, &nd, &err), 0);
	assert_int_equal(d[1].overdue_at, 5000);
	assert_int_equal(d[0].overdue_at, 0);
	kf_arena_release(&a);
	if (!pg) {
		assert_int_equal(kf_db_query_int(f->db,
						 "SELECT v FROM ticket_search_config WHERE k = "
						 "'automerge'",
						 NULL, 0, &n, &err),
				 1);
		assert_int_equal(n, 8);
	}
	/* 017: the resolved and closed tickets' index of 015 is gone. */
	if (!pg) {
		assert_int_equal(kf_db_query_int(f->db,
						 "SELECT COUNT(*) FROM sqlite_master WHERE name = "
						 "'tickets_done'",
						 NULL, 0, &n, &err),
				 1);
		assert_int_equal(n, 0);
	}
	/* 016: the open tickets' entries, in the open tickets' index too. */
	int64_t found[10];
	assert_int_equal(search_ids(f, "壁挂炉", true, found), 2);
	assert_int_equal(found[0], open2);
	assert_int_equal(found[1], open1);
	assert_int_equal(search_ids(f, "壁挂炉", false, found), 3);
	/* 019: the entries hold their ticket's type. */
	assert_int_equal(search_typed(f, "壁挂炉", "repair", found), 3);
	assert_int_equal(search_typed(f, "壁挂炉", "inquiry", found), 0);
}

/* L-11, L-9: the overdue scan reads the due deadlines, then marks each in
 * a transaction of its own; a deadline replaced in between by one of the
 * same kind due later (a type or rating change) is not marked, and one
 * still due is. */
static void scan_does_not_mark_a_deadline_replaced_since(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int64_t uid = add_user(f, "dl");
	int64_t cid = add_customer(f, "期限", "13800000006");
	int64_t t = add_ticket(f, "DL-20260101-0001", "assigned", cid, uid);
	assert_int_equal(kf_store_deadline_insert(f->db, t, "close", 1000, &err), 0);
	assert_int_equal(kf_store_deadline_insert(f->db, t, "reply", 1500, &err), 0);
	struct kf_ticket_deadline *due;
	int n = 0;
	assert_int_equal(kf_store_deadline_due(f->db, 2000, 10, &f->a, &due, &n, &err), 0);
	assert_int_equal(n, 2);
	/* Replaced between the read and the mark. */
	assert_int_equal(kf_store_deadline_delete_unmet(f->db, t, "close", &err), 0);
	assert_int_equal(kf_store_deadline_insert(f->db, t, "close", 9000, &err), 0);
	bool changed = true;
	assert_int_equal(kf_store_deadline_mark_overdue(f->db, t, "close", 2000, &changed, &err),
			 0);
	assert_false(changed);
	assert_int_equal(kf_store_deadline_mark_overdue(f->db, t, "reply", 2000, &changed, &err),
			 0);
	assert_true(changed);
	struct kf_ticket_deadline *d;
	assert_int_equal(kf_store_deadline_list(f->db, t, &f->a, &d, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].kind, "reply");
	assert_int_equal(d[0].overdue_at, 2000);
	assert_string_equal(d[1].kind, "close");
	assert_int_equal(d[1].due_at, 9000);
	assert_int_equal(d[1].overdue_at, 0);
}

/* T-10 on SQLite: kf_merge, the merge join of a filtered search, answers
 * whether each id is among a query's ids (newest first, at or below $1),
 * whether the ids come down densely (steps), sparsely (seeks past
 * MERGE_STEPS) or out of order; it binds the query's other parameters from
 * its arguments, and refuses a query that writes or whose parameters do
 * not match. Each answer is checked against the same filter evaluated
 * directly. */
static int merge_hits(struct kf_db *db, const char *ids_sql, const char *query, int64_t v,
		      int64_t *sum, struct kf_err *err)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT x FROM (%s) WHERE kf_merge(x, $1, $2)", ids_sql);
	struct kf_param p[] = {KP_TEXT(query), KP_INT(v)};
	struct kf_rows *r;
	int rc = kf_db_query(db, sql, p, 2, &r, err), n = 0;
	if (rc)
		return -1;
	*sum = 0;
	while ((rc = kf_rows_next(r, err)) == 1) {
		*sum += kf_rows_int(r, 0);
		n++;
	}
	kf_rows_free(r);
	return rc < 0 ? -1 : n;
}

static void search_merge_walks_a_filter_beside_the_matches(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	if (kf_db_engine(f->db) != KF_ENGINE_SQLITE)
		skip();
	assert_int_equal(kf_db_exec(f->db, "CREATE TABLE merge_ids (id INTEGER PRIMARY KEY)", NULL,
				    0, NULL, &err),
			 0);
	assert_int_equal(
	    kf_db_exec(f->db,
		       "INSERT INTO merge_ids WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL "
		       "SELECT x + 1 FROM s WHERE x < 3000) SELECT x FROM s",
		       NULL, 0, NULL, &err),
	    0);
	/* The filter: ids that are multiples of v, or (mixed) every id above v
	 * and every 50th below it; and the condition, to check the answers
	 * against. */
	static const char *const query[] = {
	    "SELECT id FROM merge_ids WHERE id <= $1 AND id % $2 = 0 ORDER BY id DESC",
	    "SELECT id FROM merge_ids WHERE id <= $1 AND (id > $2 OR id % 50 = 0) ORDER BY id "
	    "DESC"};
	static const char *const down = "WITH RECURSIVE s(x) AS (SELECT 3000 UNION ALL SELECT x "
					"- 1 FROM s WHERE x > 1) SELECT x FROM s";
	static const char *const sparse = "WITH RECURSIVE s(x) AS (SELECT 2999 UNION ALL SELECT x "
					  "- 100 FROM s WHERE x > 100) SELECT x FROM s";
	static const char *const thirds = "WITH RECURSIVE s(x) AS (SELECT 3000 UNION ALL SELECT x "
					  "- 3 FROM s WHERE x > 3) SELECT x FROM s";
	struct {
		const char *ids; /* the matches, in the order they are given */
		int mixed;
		long long v;
		int min; /* at least this many pass (the case tests something) */
	} cases[] = {
	    /* dense matches, a sparse filter: the walk steps */
	    {down, 0, 7, 428},
	    /* dense matches, a dense filter (every id passing in the second) */
	    {down, 1, 100, 2900},
	    {down, 1, 0, 3000},
	    /* sparse matches, a dense filter: the walk seeks */
	    {sparse, 0, 1, 30},
	    {sparse, 0, 2, 0},
	    /* the density changes down the ids */
	    {down, 1, 1500, 1500},
	    {thirds, 1, 1500, 500},
	    {thirds, 1, 2900, 30},
	    /* out of order: every id seeks */
	    {"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 3000) "
	     "SELECT x FROM s",
	     0, 1000, 3},
	    {"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 3000) "
	     "SELECT x FROM s",
	     1, 2000, 1000},
	    /* ids beyond the filter's last and below its first */
	    {"WITH RECURSIVE s(x) AS (SELECT 5000 UNION ALL SELECT x - 1 FROM s WHERE x > -5) "
	     "SELECT x FROM s",
	     0, 1500, 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char cond[64], direct[640];
		if (cases[i].mixed)
			snprintf(cond, sizeof cond, "(id > %lld OR id %% 50 = 0)", cases[i].v);
		else
			snprintf(cond, sizeof cond, "id %% %lld = 0", cases[i].v);
		snprintf(direct, sizeof direct,
			 "SELECT COUNT(*) * 1000000000 + COALESCE(SUM(x), 0) FROM (%s) WHERE x IN "
			 "(SELECT id FROM merge_ids WHERE %s)",
			 cases[i].ids, cond);
		int64_t want = 0;
		assert_int_equal(kf_db_query_int(f->db, direct, NULL, 0, &want, &err), 1);
		assert_true(want / 1000000000 >= cases[i].min);
		int64_t sum = -1;
		int n =
		    merge_hits(f->db, cases[i].ids, query[cases[i].mixed], cases[i].v, &sum, &err);
		assert_int_equal(n, want / 1000000000);
		assert_int_equal(sum, want % 1000000000);
	}
	int64_t sum;
	assert_int_equal(merge_hits(f->db, "SELECT 5 AS x",
				    "DELETE FROM merge_ids WHERE id <= $1 AND id > $2", 0, &sum,
				    &err),
			 -1);
	assert_int_equal(merge_hits(f->db, "SELECT 5 AS x",
				    "SELECT id FROM merge_ids WHERE id <= $1 ORDER BY id DESC", 0,
				    &sum, &err),
			 -1);
	assert_int_equal(merge_hits(f->db, "SELECT 5 AS x", "", 0, &sum, &err), -1);
	/* A value that is not a bound parameter could change from call to
	 * call, which the walk bound once would not see: refused. */
	struct kf_param q = KP_TEXT(query[0]);
	struct kf_rows *r;
	assert_int_equal(
	    kf_db_query(f->db, "SELECT x FROM (SELECT 5 AS x) WHERE kf_merge(x, $1, x % 2 + 1)", &q,
			1, &r, &err),
	    0);
	assert_true(kf_rows_next(r, &err) < 0);
	kf_rows_free(r);
	int64_t left = 0;
	assert_int_equal(
	    kf_db_query_int(f->db, "SELECT COUNT(*) FROM merge_ids", NULL, 0, &left, &err), 1);
	assert_int_equal(left, 3000);
	assert_int_equal(kf_db_exec(f->db, "DROP TABLE merge_ids", NULL, 0, NULL, &err), 0);
}

/* T-10: a search with open=true gives the open matches, newest first
 * among equals, within the window, on both engines, where the open tickets
 * are sparse (the older half here) and where they are dense (the newer);
 * alone (on SQLite the open tickets' search index of migration 016) and
 * with the assignee (that index, with kf_merge walking the assignee's open
 * tickets beside its matches). */
static void search_open_gives_the_open_matches(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int64_t uid = add_user(f, "so");
	int64_t cid = add_customer(f, "检索", "13800000005");
	/* 600 tickets: in the older half one in ten open, in the newer half
	 * nine in ten; the newer ones first in the results. */
	enum { N = 600 };
	int64_t open[N];
	int nopen = 0;
	for (int i = 0; i < N; i++) {
		char number[32];
		snprintf(number, sizeof number, "SO-20260101-%04d", i + 1);
		bool is_open = i < N / 2 ? i % 10 == 0 : i % 10 != 0;
		const char *status = is_open ? (i % 3 ? "assigned" : "in_progress")
					     : (i % 2 ? "closed" : "resolved");
		int64_t id = add_ticket(f, number, status, cid, uid);
		assert_int_equal(kf_store_search_put_ticket(f->db, id, is_open, "repair", "SO",
							    "漏水", "x", "检索", &err),
				 0);
		if (is_open)
			open[nopen++] = id;
	}
	const char *q = kf_store_search_param(f->db, "漏水", &f->a);
	static const int windows[] = {100, 350, 1000};
	for (int w = 0; w < 3; w++) {
		int want = windows[w] < nopen ? windows[w] : nopen;
		for (int by_assignee = 0; by_assignee < 2; by_assignee++) {
			struct kf_ticket_filter flt = {.query = q,
						       .open_only = true,
						       .assignee_id = by_assignee ? uid : 0,
						       .overdue = -1,
						       .window = windows[w],
						       .limit = 1000};
			struct kf_ticket *items;
			int n = 0;
			assert_int_equal(kf_store_ticket_list(f->db, &flt, &f->a, &items, &n, &err),
					 0);
			assert_int_equal(n, want);
			for (int i = 0; i < n; i++)
				assert_int_equal(items[i].id, open[nopen - 1 - i]);
		}
	}
}

/* T-10: a search with open=true follows each ticket's status and text as
 * they change: a resolved or closed ticket drops out at once and comes back
 * when reopened, a rewritten entry is found by its new text only, and one
 * registered closed is never among the open ones. On SQLite these searches
 * read the open tickets' index of migration 016, kept by the store and its
 * triggers; its FTS5 integrity check passes after all of it. */
static void search_open_follows_status_and_text(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int64_t uid = add_user(f, "sof");
	int64_t cid = add_customer(f, "跟随", "13800000007");
	int64_t a = add_ticket(f, "SF-20260101-0001", "assigned", cid, uid);
	int64_t b = add_ticket(f, "SF-20260101-0002", "in_progress", cid, uid);
	int64_t c = add_ticket(f, "SF-20260101-0003", "closed", cid, uid);
	for (int64_t id = a; id <= c; id++)
		assert_int_equal(kf_store_search_put_ticket(f->db, id, id != c, "repair", "SF",
							    "蒸烤箱 漏水", "x", "跟随", &err),
				 0);
	int64_t ids[10];
	assert_int_equal(search_ids(f, "蒸烤箱", true, ids), 2);
	assert_int_equal(ids[0], b);
	assert_int_equal(ids[1], a);
	assert_int_equal(search_ids(f, "蒸烤箱", false, ids), 3);

	set_status(f, a, "resolved");
	assert_int_equal(search_ids(f, "蒸烤箱", true, ids), 1);
	assert_int_equal(ids[0], b);
	set_status(f, a, "closed"); /* resolved to closed: still not open */
	assert_int_equal(search_ids(f, "蒸烤箱", true, ids), 1);
	set_status(f, a, "reopened");
	assert_int_equal(search_ids(f, "蒸烤箱", true, ids), 2);
	assert_int_equal(ids[1], a);
	set_status(f, b, "pending_customer"); /* open to open */
	assert_int_equal(search_ids(f, "蒸烤箱", true, ids), 2);

	/* b's entry rewritten (its subject changed): found by the new text. */
	assert_int_equal(kf_store_search_put_ticket(f->db, b, true, "repair", "SF", "洗碗机 退货",
						    "x", "跟随", &err),
			 0);
	assert_int_equal(search_ids(f, "蒸烤箱", true, ids), 1);
	assert_int_equal(ids[0], a);
	assert_int_equal(search_ids(f, "洗碗机", true, ids), 1);
	assert_int_equal(ids[0], b);
	/* c's entry rewritten while closed: still not open; reopened, found. */
	assert_int_equal(kf_store_search_put_ticket(f->db, c, false, "repair", "SF", "洗碗机 退货",
						    "x", "跟随", &err),
			 0);
	assert_int_equal(search_ids(f, "洗碗机", true, ids), 1);
	assert_int_equal(search_ids(f, "洗碗机", false, ids), 2);
	set_status(f, c, "reopened");
	assert_int_equal(search_ids(f, "洗碗机", true, ids), 2);
	assert_int_equal(ids[0], c);
	/* The entry copied back holds the type's token (019). */
	assert_int_equal(search_filtered(f, "洗碗机", "repair", true, ids), 2);
	assert_int_equal(ids[0], c);
	if (kf_db_engine(f->db) == KF_ENGINE_SQLITE)
		assert_int_equal(kf_db_exec(f->db,
					    "INSERT INTO ticket_search_open (ticket_search_open, "
					    "rank) VALUES ('integrity-check', 1)",
					    NULL, 0, NULL, &err),
				 0);
}

/* T-10 on SQLite: a new ticket's search entry is queued in its transaction
 * (durable with it) and taken off the queue oldest first with the fields
 * its entry is made of; what is taken is no longer queued. PostgreSQL
 * writes entries at once and queues nothing. */
static void search_entries_are_queued_and_taken_in_order(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	bool pending = true;
	if (!kf_store_search_defers(f->db)) {
		assert_int_equal(kf_db_engine(f->db), KF_ENGINE_POSTGRES);
		skip();
	}
	struct kf_user u = {
	    .login = "idx1", .name = "i", .role = "agent", .password_hash = "h", .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), 0);
	struct kf_customer c = {.name = "索引",
				.phone = "13800000123",
				.company = "某公司",
				.grade = "B",
				.tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &c, &err), 0);
	int64_t a = add_ticket(f, "BX-20260102-0001", "new", c.id, u.id);
	int64_t b = add_ticket(f, "BX-20260102-0002", "new", c.id, u.id);
	assert_int_equal(kf_store_search_has_pending(f->db, &pending, &err), 0);
	assert_false(pending);
	assert_int_equal(kf_db_begin(f->db, &err), 0);
	assert_int_equal(kf_store_search_queue_ticket(f->db, b, &err), 0);
	assert_int_equal(kf_store_search_queue_ticket(f->db, a, &err), 0);
	assert_int_equal(kf_store_search_queue_ticket(f->db, a, &err), 0); /* once */
	assert_int_equal(kf_db_commit(f->db, &err), 0);
	assert_int_equal(kf_store_search_has_pending(f->db, &pending, &err), 0);
	assert_true(pending);

	struct kf_arena ar;
	kf_arena_init(&ar);
	struct kf_search_pending *items;
	int n = 0;
	set_status(f, b, "closed"); /* before its entry is written */
	assert_int_equal(kf_db_begin(f->db, &err), 0);
	assert_int_equal(kf_store_search_take_pending(f->db, 1, &ar, &items, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, a);
	assert_true(items[0].open);
	assert_string_equal(items[0].number, "BX-20260102-0001");
	assert_string_equal(items[0].subject, "空调漏水");
	assert_string_equal(items[0].description, "x");
	assert_string_equal(items[0].customer_name, "索引");
	assert_string_equal(items[0].customer_phone, "13800000123");
	assert_string_equal(items[0].customer_company, "某公司");
	assert_int_equal(kf_store_search_take_pending(f->db, 10, &ar, &items, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, b);
	assert_false(items[0].open);
	assert_int_equal(kf_db_commit(f->db, &err), 0);
	assert_int_equal(kf_store_search_has_pending(f->db, &pending, &err), 0);
	assert_false(pending);
	kf_arena_release(&ar);
}

/* Reads in a loop, each in its own read transaction, until told to stop:
 * readers that keep using older WAL frames are what keeps a WAL from
 * starting again. */
struct wal_load {
	struct kf_store *s;
	const char *wal;
	atomic_bool stop;
	atomic_int reads, commits;
	atomic_llong largest;
};

static void *wal_read_loop(void *arg)
{
	struct wal_load *l = arg;
	struct kf_db *db;
	struct kf_err err;
	if (kf_store_acquire(l->s, &db, &err))
		return NULL;
	while (!atomic_load(&l->stop)) {
		int64_t n = 0;
		if (kf_db_read_begin(db, &err) == 0 &&
		    kf_db_query_int(db, "SELECT count(*) FROM settings", NULL, 0, &n, &err) >= 0)
			atomic_fetch_add(&l->reads, 1);
		kf_db_read_end(db);
	}
	kf_store_release(l->s, db);
	return NULL;
}

#define WAL_WRITERS 12
#define WAL_WRITES  300
#define WAL_VALUE   20000

struct wal_job {
	struct wal_load *l;
	int id;
	/* A new value for every write (SQLite does not write overflow pages
	 * whose content has not changed). */
	char value[WAL_VALUE + 1];
};

static int wal_write_job(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct wal_job *j = arg;
	for (int i = 0; i < 4; i++) {
		char key[32];
		snprintf(key, sizeof key, "wal-%d-%d", j->id, i);
		memset(j->value, 'a' + (j->id + i + j->l->commits) % 26, WAL_VALUE);
		struct kf_param p[] = {KP_TEXT(key), KP_TEXT(j->value)};
		int rc = kf_db_exec(db,
				    "INSERT INTO settings (key, value) VALUES ($1, $2) "
				    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
				    p, 2, NULL, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Group writes, as the server makes them: a batch may begin while the last
 * one's commit is being synced. */
static void *wal_write_loop(void *arg)
{
	struct wal_load *l = arg;
	static atomic_int next_id;
	struct wal_job *j = kf_xcalloc(1, sizeof *j);
	j->l = l;
	j->id = atomic_fetch_add(&next_id, 1);
	struct kf_err err;
	for (int t = 0; t < WAL_WRITES; t++) {
		if (kf_store_group_write(l->s, wal_write_job, NULL, j, &err))
			break;
		atomic_fetch_add(&l->commits, 1);
		struct stat st;
		if (stat(l->wal, &st) == 0) {
			long long was = atomic_load(&l->largest);
			while (st.st_size > was &&
			       !atomic_compare_exchange_weak(&l->largest, &was, st.st_size))
				;
		}
	}
	free(j);
	return NULL;
}

/* SQLite: the checkpointer copies the WAL back and starts it again while
 * writes and reads go on without a pause; the WAL must not grow without
 * bound under a steady load (sqlite.c, checkpointer). */
static void sqlite_wal_is_checkpointed_and_bounded(void **state)
{
	struct fixture *f = *state;
	if (!sqlite_path[0])
		skip();
	struct kf_err err;
	char wal[300];
	snprintf(wal, sizeof wal, "%s-wal", sqlite_path);
	struct wal_load l = {.s = f->s, .wal = wal};
	pthread_t rd[2], wr[WAL_WRITERS];
	uint64_t ckpt0 = kf_store_checkpoints(f->s);
	for (int i = 0; i < 2; i++)
		pthread_create(&rd[i], NULL, wal_read_loop, &l);
	for (int i = 0; i < WAL_WRITERS; i++)
		pthread_create(&wr[i], NULL, wal_write_loop, &l);
	for (int i = 0; i < WAL_WRITERS; i++)
		pthread_join(wr[i], NULL);
	atomic_store(&l.stop, true);
	for (int i = 0; i < 2; i++)
		pthread_join(rd[i], NULL);
	assert_int_equal(atomic_load(&l.commits), WAL_WRITERS * WAL_WRITES);
	assert_true(atomic_load(&l.reads) > 0);
	/* About 300 MB went through the WAL. Nothing is copied back before
	 * 4 000 frames (16 MB), so it grew past that. With the checkpointer
	 * it stays within 70-100 MB here (the RESTART past 16 000 frames, 66 MB
	 * with their headers, and what was committed meanwhile); with passive
	 * checkpoints alone about 140 MB; with none, all 300 MB. */
	assert_true(atomic_load(&l.largest) > 15ll * 1024 * 1024);
	assert_true(atomic_load(&l.largest) < 160ll * 1024 * 1024);
	/* A checkpoint every 4 000 new frames: about 20 for the 75 000 frames
	 * of 300 MB (and one every 5 s while the WAL holds some). Checkpoints
	 * at every commit while the WAL held more than 4 000 frames, as before
	 * the fix, ran hundreds, each syncing the database file. */
	uint64_t ckpts = kf_store_checkpoints(f->s) - ckpt0;
	printf("# %llu checkpoints, largest WAL %lld bytes\n", (unsigned long long)ckpts,
	       (long long)atomic_load(&l.largest));
	assert_true(ckpts >= 2);
	assert_true(ckpts <= 60);
	assert_int_equal(
	    kf_db_exec(f->db, "DELETE FROM settings WHERE key LIKE 'wal-%'", NULL, 0, NULL, &err),
	    0);
}

/* V-4: the surveys of a month per person, counted for the ticket's owner
 * and for its assignee; surveys outside the period and callbacks without a
 * survey do not count. V-2: a result is written once (from its status, with
 * the link unused). */
static void callback_tally_credits_owner_and_assignee(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user u1 = {
	    .login = "cb1", .name = "a", .role = "agent", .password_hash = "h", .active = true};
	struct kf_user u2 = {
	    .login = "cb2", .name = "b", .role = "agent", .password_hash = "h", .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u1, &err), 0);
	assert_int_equal(kf_store_user_insert(f->db, &u2, &err), 0);
	struct kf_customer c = {.name = "回访", .phone = "13800000009", .grade = "A", .tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &c, &err), 0);
	int64_t t = add_ticket(f, "FW-20261101-0001", "closed", c.id, u1.id);
	const int64_t from = 1000000, to = 2000000;
	struct {
		int64_t agent, assignee, done_at;
		const char *r[4];
	} rows[] = {
	    {u1.id, u2.id, from, {"poor", "satisfied", "satisfied", "average"}},
	    {u1.id,
	     0,
	     to - 1,
	     {"very_satisfied", "very_satisfied", "very_satisfied", "very_satisfied"}},
	    {u2.id, 0, to, {"poor", "poor", "poor", "poor"}}, /* outside */
	    {u2.id, 0, 0, {NULL, NULL, NULL, NULL}},	      /* no survey */
	};
	const int scores[] = {10, 16, 4, 0};
	for (int i = 0; i < 4; i++) {
		char hash[KF_SHA256_HEX_LEN + 1];
		kf_crypto_sha256_hex(&i, sizeof i, hash);
		struct kf_callback cb = {.ticket_id = t,
					 .status = "due",
					 .due_at = from,
					 .agent_id = rows[i].agent,
					 .assignee_id = rows[i].assignee,
					 .token_hash = hash,
					 .token_expires_at = to,
					 .created_at = from};
		assert_int_equal(kf_store_callback_insert(f->db, &cb, &err), 0);
		if (!rows[i].done_at)
			continue;
		cb.status = "done";
		cb.done_at = rows[i].done_at;
		cb.has_reached = cb.reached = true;
		cb.answered_via = "staff";
		cb.token_used_at = rows[i].done_at;
		cb.score = scores[i];
		memcpy(cb.rating, rows[i].r, sizeof cb.rating);
		bool changed = false;
		assert_int_equal(kf_store_callback_update(f->db, &cb, "due", &changed, &err), 0);
		assert_true(changed);
		assert_int_equal(kf_store_callback_update(f->db, &cb, "due", &changed, &err), 0);
		assert_false(changed);
	}
	struct kf_callback_tally *items;
	int n = 0;
	assert_int_equal(kf_store_callback_tally(f->db, from, to, &f->a, &items, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].user_id, u1.id);
	assert_int_equal(items[0].surveys, 2);
	assert_int_equal(items[0].poor, 1);
	assert_int_equal(items[0].score_sum, 26);
	assert_int_equal(items[1].user_id, u2.id);
	assert_int_equal(items[1].surveys, 1);
	assert_int_equal(items[1].poor, 1);
	assert_int_equal(items[1].score_sum, 10);
	struct kf_callback *due;
	assert_int_equal(kf_store_callback_list(f->db, "due", 0, 0, 10, &f->a, &due, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(due[0].agent_id, u2.id);
	assert_null(due[0].rating[0]);
}

/* S-4, S-1: one portal account per customer record and per phone; portal
 * sessions end at expiry, idle time and revocation, and the staff session
 * lookup never finds them. */
static void portal_accounts_are_unique_and_sessions_end(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_customer a = {
	    .name = "门户甲", .phone = "13900000101", .grade = "C", .tags = "[]"};
	struct kf_customer b = {
	    .name = "门户乙", .phone = "13900000102", .grade = "C", .tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &a, &err), 0);
	assert_int_equal(kf_store_customer_insert(f->db, &b, &err), 0);
	struct kf_portal_account acct = {.customer_id = a.id,
					 .phone = "13900000101",
					 .password_hash = "hash-a",
					 .created_at = 5};
	assert_int_equal(kf_store_portal_account_insert(f->db, &acct, &err), 0);
	assert_true(acct.id > 0);
	struct kf_portal_account got;
	assert_int_equal(kf_store_portal_account_by_phone(f->db, "13900000101", &f->a, &got, &err),
			 0);
	assert_int_equal(got.id, acct.id);
	assert_int_equal(got.customer_id, a.id);
	assert_string_equal(got.password_hash, "hash-a");
	assert_string_equal(got.customer_name, "门户甲");
	assert_true(got.active);
	assert_int_equal(got.created_by, 0);
	assert_int_equal(kf_store_portal_account_by_customer(f->db, a.id, &f->a, &got, &err), 0);
	assert_null(got.password_hash);
	assert_int_equal(kf_store_portal_account_by_customer(f->db, b.id, &f->a, &got, &err),
			 KF_ENOTFOUND);
	assert_int_equal(kf_store_portal_account_by_phone(f->db, "13900000102", &f->a, &got, &err),
			 KF_ENOTFOUND);
	/* A second account for the record, or the phone for another record. */
	struct kf_portal_account dup = {
	    .customer_id = a.id, .phone = "13900000199", .password_hash = "h", .created_at = 5};
	assert_int_equal(kf_store_portal_account_insert(f->db, &dup, &err), KF_ECONFLICT);
	dup.customer_id = b.id;
	dup.phone = "13900000101";
	assert_int_equal(kf_store_portal_account_insert(f->db, &dup, &err), KF_ECONFLICT);

	char token_hash[KF_SHA256_HEX_LEN + 1];
	kf_crypto_sha256_hex("portal-token", 12, token_hash);
	int64_t sid;
	assert_int_equal(kf_store_portal_session_insert(f->db, token_hash, "csrf", acct.id, 1000,
							100000, "127.0.0.1", "ua", &sid, &err),
			 0);
	struct kf_portal_session s;
	assert_int_equal(
	    kf_store_portal_session_lookup(f->db, token_hash, 2000, 0, &f->a, &s, &got, &err), 0);
	assert_int_equal(s.id, sid);
	assert_int_equal(s.account_id, acct.id);
	assert_int_equal(got.customer_id, a.id);
	assert_string_equal(s.csrf_hash, "csrf");
	/* Expired; idle too long; touched, alive again. */
	assert_int_equal(
	    kf_store_portal_session_lookup(f->db, token_hash, 100000, 0, &f->a, &s, &got, &err),
	    KF_EUNAUTH);
	assert_int_equal(
	    kf_store_portal_session_lookup(f->db, token_hash, 5000, 3000, &f->a, &s, &got, &err),
	    KF_EUNAUTH);
	assert_int_equal(kf_store_portal_session_touch(f->db, sid, 4000, &err), 0);
	assert_int_equal(
	    kf_store_portal_session_lookup(f->db, token_hash, 5000, 3000, &f->a, &s, &got, &err),
	    0);
	/* The staff lookup does not know portal sessions. */
	struct kf_session ss;
	struct kf_user u;
	assert_int_equal(kf_store_session_lookup(f->db, token_hash, 2000, 0, &f->a, &ss, &u, &err),
			 KF_EUNAUTH);
	assert_int_equal(kf_store_portal_session_revoke(f->db, sid, 6000, &err), 0);
	assert_int_equal(
	    kf_store_portal_session_lookup(f->db, token_hash, 6001, 0, &f->a, &s, &got, &err),
	    KF_EUNAUTH);
}

/* L-6, T-5: counts of open tickets per assignee are computed in SQL (overdue:
 * flagged or past due; due soon: in [now, soon)); a team's transfers are
 * those from or to one of its members. */
static void counts_and_team_transfers(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_team team = {.name = "计数组", .created_at = 1};
	assert_int_equal(kf_store_team_insert(f->db, &team, &err), 0);
	struct kf_user in = {.login = "cnt1",
			     .name = "a",
			     .role = "agent",
			     .password_hash = "h",
			     .active = true,
			     .team_id = team.id};
	struct kf_user out = {
	    .login = "cnt2", .name = "b", .role = "agent", .password_hash = "h", .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &in, &err), 0);
	assert_int_equal(kf_store_user_insert(f->db, &out, &err), 0);
	struct kf_customer cu = {
	    .name = "计数", .phone = "13900000201", .grade = "C", .tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &cu, &err), 0);
	const int64_t now = 1000000;
	/* in: overdue (flag), overdue (past due), due soon, later, closed; out: due soon. */
	struct {
		const char *num, *status;
		int64_t user, due;
		bool flag;
	} rows[] = {
	    {"ZX-20261101-0901", "assigned", in.id, now + 999999, true},
	    {"ZX-20261101-0902", "in_progress", in.id, now - 1, false},
	    {"ZX-20261101-0903", "assigned", in.id, now, false},
	    {"ZX-20261101-0904", "assigned", in.id, now + 5000, false},
	    {"ZX-20261101-0905", "closed", in.id, now - 5, true},
	    {"ZX-20261101-0906", "assigned", out.id, now + 10, false},
	};
	int64_t tid[6];
	for (int i = 0; i < 6; i++) {
		tid[i] = add_ticket(f, rows[i].num, rows[i].status, cu.id, rows[i].user);
		struct kf_param p[] = {KP_INT(rows[i].due), KP_INT(rows[i].flag), KP_INT(tid[i])};
		assert_int_equal(
		    kf_db_exec(f->db,
			       "UPDATE tickets SET next_due_at = $1, overdue = $2 WHERE "
			       "id = $3",
			       p, 3, NULL, &err),
		    0);
	}
	struct kf_ticket_filter flt = {.team_id = team.id, .overdue = -1};
	struct kf_ticket_count *c;
	int n = 0;
	assert_int_equal(kf_store_ticket_counts(f->db, &flt, now, now + 1000, &f->a, &c, &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].assignee_id, in.id);
	assert_int_equal(c[0].open, 4);
	assert_int_equal(c[0].overdue, 2);
	assert_int_equal(c[0].due_soon, 1);
	flt = (struct kf_ticket_filter){.assignee_id = out.id, .overdue = -1};
	assert_int_equal(kf_store_ticket_counts(f->db, &flt, now, now + 1000, &f->a, &c, &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].open, 1);
	assert_int_equal(c[0].due_soon, 1);

	struct kf_transfer x1 = {.ticket_id = tid[0],
				 .from_user_id = in.id,
				 .to_user_id = out.id,
				 .reason = "r",
				 .created_at = now};
	struct kf_transfer x2 = {.ticket_id = tid[5],
				 .from_user_id = out.id,
				 .to_user_id = out.id,
				 .reason = "r",
				 .created_at = now};
	assert_int_equal(kf_store_transfer_insert(f->db, &x1, &err), 0);
	assert_int_equal(kf_store_transfer_insert(f->db, &x2, &err), 0);
	struct kf_transfer *xs;
	assert_int_equal(
	    kf_store_transfer_list(f->db, 0, 0, team.id, NULL, 0, 10, &f->a, &xs, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(xs[0].id, x1.id);
	assert_int_equal(
	    kf_store_transfer_list(f->db, 0, 0, 0, "pending", 0, 10, &f->a, &xs, &n, &err), 0);
	assert_true(n >= 2);
	assert_int_equal(xs[0].id, x2.id);
}

/* K-2: a person's inbox: newest first, unread filter and count, marked read
 * once, and never another's. */
static void inbox_is_per_person_and_read_once(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user u1 = {
	    .login = "ib1", .name = "a", .role = "manager", .password_hash = "h", .active = true};
	struct kf_user u2 = {
	    .login = "ib2", .name = "b", .role = "vp", .password_hash = "h", .active = true};
	struct kf_user u3 = {
	    .login = "ib3", .name = "c", .role = "vp", .password_hash = "h", .active = false};
	assert_int_equal(kf_store_user_insert(f->db, &u1, &err), 0);
	assert_int_equal(kf_store_user_insert(f->db, &u2, &err), 0);
	assert_int_equal(kf_store_user_insert(f->db, &u3, &err), 0);
	int64_t *ids;
	int n = 0;
	assert_int_equal(kf_store_user_ids_by_role(f->db, "vp", &f->a, &ids, &n, &err), 0);
	assert_int_equal(n, 1); /* the inactive VP gets nothing */
	assert_int_equal(ids[0], u2.id);
	int64_t made[3];
	for (int i = 0; i < 3; i++) {
		struct kf_notification x = {.recipient_id = i < 2 ? u1.id : u2.id,
					    .kind = "complaint.reported",
					    .payload = "{\"number\":\"TS-1\"}",
					    .created_at = 1000 + i};
		assert_int_equal(kf_store_notification_insert(f->db, &x, &err), 0);
		made[i] = x.id;
	}
	struct kf_notification *items;
	assert_int_equal(
	    kf_store_notification_list(f->db, u1.id, false, 0, 10, &f->a, &items, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, made[1]);
	assert_int_equal(items[0].ticket_id, 0);
	assert_string_equal(items[1].payload, "{\"number\":\"TS-1\"}");
	bool changed;
	assert_int_equal(kf_store_notification_read(f->db, made[0], u2.id, 5, &changed, &err), 0);
	assert_false(changed); /* not u2's */
	assert_int_equal(kf_store_notification_read(f->db, made[0], u1.id, 5, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(kf_store_notification_read(f->db, made[0], u1.id, 9, &changed, &err), 0);
	assert_false(changed);
	int64_t unread;
	assert_int_equal(kf_store_notification_unread(f->db, u1.id, &unread, &err), 0);
	assert_int_equal(unread, 1);
	assert_int_equal(
	    kf_store_notification_list(f->db, u1.id, true, 0, 10, &f->a, &items, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, made[1]);
	struct kf_notification one;
	assert_int_equal(kf_store_notification_get(f->db, made[0], u1.id, &f->a, &one, &err), 0);
	assert_int_equal(one.read_at, 5);
	assert_int_equal(kf_store_notification_get(f->db, made[0], u2.id, &f->a, &one, &err),
			 KF_ENOTFOUND);
}

/* K-9: one fine entry per complaint, person and role; counted in a window.
 * K-8: a month is reviewed once, with its decisions. */
static void fines_once_per_complaint_and_reviews_once_per_month(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user u = {
	    .login = "fn1", .name = "罚", .role = "agent", .password_hash = "h", .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), 0);
	struct kf_customer c = {.name = "复核", .phone = "13800000010", .grade = "B", .tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &c, &err), 0);
	int64_t t1 = add_ticket(f, "TS-20300301-0001", "closed", c.id, u.id);
	int64_t t2 = add_ticket(f, "TS-20300301-0002", "closed", c.id, u.id);
	struct kf_complaint_sanction s = {.ticket_id = t1,
					  .user_id = u.id,
					  .role = "responsible",
					  .rule = "E-8",
					  .occurrence = 1,
					  .fine_fen = 3000,
					  .policy_version = 1,
					  .created_at = 100};
	bool inserted;
	assert_int_equal(kf_store_sanction_insert(f->db, &s, &inserted, &err), 0);
	assert_true(inserted);
	assert_int_equal(kf_store_sanction_insert(f->db, &s, &inserted, &err), 0);
	assert_false(inserted);
	s.ticket_id = t2;
	s.occurrence = 2;
	s.fine_fen = 6000;
	s.created_at = 200;
	assert_int_equal(kf_store_sanction_insert(f->db, &s, &inserted, &err), 0);
	assert_true(inserted);
	int64_t count;
	assert_int_equal(kf_store_sanction_count(f->db, u.id, "responsible", 150, &count, &err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(kf_store_sanction_count(f->db, u.id, "responsible", 0, &count, &err), 0);
	assert_int_equal(count, 2);
	assert_int_equal(kf_store_sanction_count(f->db, u.id, "direct_leader", 0, &count, &err), 0);
	assert_int_equal(count, 0);
	struct kf_complaint_sanction *list;
	int n;
	assert_int_equal(kf_store_sanction_list(f->db, t2, 0, 0, 0, &f->a, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].fine_fen, 6000);
	assert_string_equal(list[0].user_name, "罚");
	assert_string_equal(list[0].ticket_number, "TS-20300301-0002");
	struct kf_review_decision d[] = {{.ticket_id = t1, .sanction = "warning"},
					 {.ticket_id = t2,
					  .sanction = "none",
					  .has_fine = true,
					  .fine_fen = 6000,
					  .comment = "二次"}};
	struct kf_complaint_review r = {.month = "2030-03",
					.reviewed_by = u.id,
					.reviewed_at = 300,
					.decisions = d,
					.ndecisions = 2};
	assert_int_equal(kf_store_review_insert(f->db, &r, &err), 0);
	assert_int_equal(kf_store_review_insert(f->db, &r, &err), KF_ECONFLICT);
	struct kf_complaint_review got;
	assert_int_equal(kf_store_review_get(f->db, "2030-03", &f->a, &got, &err), 0);
	assert_int_equal(got.reviewed_at, 300);
	assert_null(got.comment);
	assert_int_equal(got.ndecisions, 2);
	assert_false(got.decisions[0].has_fine);
	assert_int_equal(got.decisions[1].fine_fen, 6000);
	assert_string_equal(got.decisions[1].comment, "二次");
	assert_int_equal(kf_store_review_get(f->db, "2030-04", &f->a, &got, &err), KF_ENOTFOUND);
}

/* V-2: a re-issued survey link replaces the hash; the old one is retired;
 * a done callback gets no new link. */
static void survey_link_reissue_retires_the_old_hash(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user u = {
	    .login = "sl1", .name = "a", .role = "agent", .password_hash = "h", .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), 0);
	struct kf_customer c = {.name = "链接", .phone = "13800000011", .grade = "B", .tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &c, &err), 0);
	int64_t t = add_ticket(f, "FW-20300301-0009", "closed", c.id, u.id);
	struct kf_callback cb = {.ticket_id = t,
				 .status = "due",
				 .due_at = 10,
				 .agent_id = u.id,
				 .token_hash = "old-hash",
				 .token_expires_at = 20,
				 .created_at = 1};
	assert_int_equal(kf_store_callback_insert(f->db, &cb, &err), 0);
	bool changed, retired;
	assert_int_equal(kf_store_callback_reissue(f->db, cb.id, "new-hash", 99, 5, &changed, &err),
			 0);
	assert_true(changed);
	struct kf_callback got;
	assert_int_equal(kf_store_callback_by_token(f->db, "old-hash", &f->a, &got, &err),
			 KF_ENOTFOUND);
	assert_int_equal(kf_store_callback_by_token(f->db, "new-hash", &f->a, &got, &err), 0);
	assert_int_equal(got.token_expires_at, 99);
	assert_int_equal(kf_store_survey_link_retired(f->db, "old-hash", &retired, &err), 0);
	assert_true(retired);
	assert_int_equal(kf_store_survey_link_retired(f->db, "new-hash", &retired, &err), 0);
	assert_false(retired);
	cb.status = "done";
	cb.token_used_at = 6;
	assert_int_equal(kf_store_callback_update(f->db, &cb, "due", &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(kf_store_callback_reissue(f->db, cb.id, "third", 99, 7, &changed, &err),
			 0);
	assert_false(changed);
}

/* W-15, W-17: punches and duty log entries are append-only in the store
 * itself: both engines refuse UPDATE and DELETE. */
static void punches_and_duty_log_are_append_only(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int64_t u = add_user(f, "att1");
	struct kf_punch in = {
	    .user_id = u, .kind = "in", .at = 1000, .shift_name = "early", .shift_end = 9000};
	struct kf_punch out = {.user_id = u,
			       .kind = "out",
			       .at = 5000,
			       .has_waiting = true,
			       .customers_waiting = 2,
			       .overtime_ms = 70};
	assert_int_equal(kf_store_punch_insert(f->db, &in, &err), 0);
	assert_int_equal(kf_store_punch_insert(f->db, &out, &err), 0);
	struct kf_punch last, *items;
	bool found;
	int n;
	assert_int_equal(kf_store_punch_last(f->db, u, &f->a, &last, &found, &err), 0);
	assert_true(found);
	assert_string_equal(last.kind, "out");
	assert_int_equal(last.customers_waiting, 2);
	assert_int_equal(last.overtime_ms, 70);
	assert_null(last.shift_name);
	assert_int_equal(kf_store_punch_list(f->db, u, 1000, 5000, &f->a, &items, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].shift_name, "early");
	assert_int_equal(items[0].shift_end, 9000);
	assert_false(items[0].has_waiting);
	assert_int_equal(kf_store_punch_last(f->db, u + 1000, &f->a, &last, &found, &err), 0);
	assert_false(found);

	struct kf_duty_entry e = {.author_id = u,
				  .day = "2026-11-24",
				  .shift = "early",
				  .kind = "call",
				  .body = "业户来电报修",
				  .occurred_at = 10,
				  .created_at = 11};
	assert_int_equal(kf_store_duty_insert(f->db, &e, &err), 0);
	struct kf_duty_entry c = e;
	c.body = "更正:业户来电咨询";
	c.corrects_id = e.id;
	assert_int_equal(kf_store_duty_insert(f->db, &c, &err), 0);
	struct kf_duty_entry got, *list;
	assert_int_equal(kf_store_duty_get(f->db, e.id, &f->a, &got, &err), 0);
	assert_int_equal(got.corrected_by, c.id);
	assert_string_equal(got.body, "业户来电报修");
	assert_string_equal(got.author_name, "att1");
	assert_int_equal(
	    kf_store_duty_list(f->db, "2026-11-24", "early", 0, 10, &f->a, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(list[1].corrects_id, e.id);
	assert_int_equal(
	    kf_store_duty_list(f->db, "2026-11-24", "late", 0, 10, &f->a, &list, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(kf_store_duty_get(f->db, c.id + 1, &f->a, &got, &err), KF_ENOTFOUND);

	struct kf_param p = KP_INT(e.id);
	assert_true(kf_db_exec(f->db, "UPDATE duty_log SET body = 'x' WHERE id = $1", &p, 1, NULL,
			       &err) < 0);
	assert_true(kf_db_exec(f->db, "DELETE FROM duty_log WHERE id = $1", &p, 1, NULL, &err) < 0);
	p = KP_INT(u);
	assert_true(kf_db_exec(f->db, "UPDATE attendance_punches SET at = 0 WHERE user_id = $1", &p,
			       1, NULL, &err) < 0);
	assert_true(kf_db_exec(f->db, "DELETE FROM attendance_punches WHERE user_id = $1", &p, 1,
			       NULL, &err) < 0);
	assert_int_equal(kf_store_duty_get(f->db, e.id, &f->a, &got, &err), 0);
	assert_string_equal(got.body, "业户来电报修");
}

/* W-16: a handover is confirmed once, by the incoming agent only; its
 * unresolved items are the incoming agent's carried list until a later
 * handover carries them. */
static void handover_confirmation_and_carry_over(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	int64_t a = add_user(f, "ho.a"), b = add_user(f, "ho.b"), c = add_user(f, "ho.c");
	struct kf_customer cu = {
	    .name = "交接", .phone = "13800000077", .grade = "A", .tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &cu, &err), 0);
	int64_t t1 = add_ticket(f, "BX-20261124-0001", "in_progress", cu.id, a);
	add_ticket(f, "BX-20261124-0002", "closed", cu.id, a);
	struct kf_handover_item *work;
	int n;
	assert_int_equal(kf_store_handover_open_work(f->db, a, 50, &f->a, &work, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(work[0].ticket_id, t1);
	assert_string_equal(work[0].kind, "ticket");
	assert_string_equal(work[0].ticket_number, "BX-20261124-0001");

	struct kf_handover_item items[] = {
	    {.kind = "ticket", .ticket_id = t1, .text = "等待配件", .resolved = false},
	    {.kind = "promise", .text = "答应明早回电", .resolved = false},
	    {.kind = "other", .text = "打印机已修好", .resolved = true},
	};
	struct kf_handover h = {.from_user_id = a,
				.to_user_id = b,
				.status = "pending",
				.equipment_checked = true,
				.notes = "交班",
				.created_at = 100,
				.items = items,
				.nitems = 3};
	assert_int_equal(kf_store_handover_insert(f->db, &h, &err), 0);
	bool pending, any;
	assert_int_equal(kf_store_handover_state(f->db, a, 100, &pending, &any, &err), 0);
	assert_true(pending);
	assert_true(any);
	assert_int_equal(kf_store_handover_state(f->db, a, 101, &pending, &any, &err), 0);
	assert_false(pending);
	assert_false(any);

	struct kf_handover *list;
	assert_int_equal(
	    kf_store_handover_list(f->db, b, "incoming", "pending", 0, 10, &f->a, &list, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].to_name, "ho.b");
	assert_int_equal(
	    kf_store_handover_list(f->db, c, "incoming", NULL, 0, 10, &f->a, &list, &n, &err), 0);
	assert_int_equal(n, 0);

	bool changed;
	/* Neither a third person nor the outgoing agent confirms it. */
	assert_int_equal(kf_store_handover_confirm(f->db, h.id, c, 200, NULL, &changed, &err), 0);
	assert_false(changed);
	assert_int_equal(kf_store_handover_confirm(f->db, h.id, a, 200, NULL, &changed, &err), 0);
	assert_false(changed);
	assert_int_equal(kf_store_handover_confirm(f->db, h.id, b, 200, "收到", &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(kf_store_handover_confirm(f->db, h.id, b, 201, NULL, &changed, &err), 0);
	assert_false(changed);
	assert_int_equal(kf_store_handover_state(f->db, a, 0, &pending, &any, &err), 0);
	assert_false(pending);
	assert_true(any);

	struct kf_handover_item *carried;
	assert_int_equal(kf_store_handover_carried(f->db, b, &f->a, &carried, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(carried[0].id, items[0].id);
	assert_int_equal(carried[0].from_user_id, a);
	assert_string_equal(carried[1].text, "答应明早回电");
	assert_int_equal(kf_store_handover_carried(f->db, a, &f->a, &carried, &n, &err), 0);
	assert_int_equal(n, 0);

	/* B's handover to nobody (the next shift) carries one of them on. */
	struct kf_handover_item next[] = {
	    {.kind = "promise", .text = "答应明早回电", .carried_from_item_id = items[1].id}};
	struct kf_handover h2 = {
	    .from_user_id = b, .status = "pending", .created_at = 300, .items = next, .nitems = 1};
	assert_int_equal(kf_store_handover_insert(f->db, &h2, &err), 0);
	assert_int_equal(kf_store_handover_carried(f->db, b, &f->a, &carried, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(carried[0].id, items[0].id);
	assert_int_equal(kf_store_handover_state(f->db, b, 0, &pending, &any, &err), 0);
	assert_false(pending);
	assert_true(any);
	/* An item is carried over once. */
	struct kf_handover h3 = h2;
	h3.items = next;
	assert_int_equal(kf_db_begin(f->db, &err), 0);
	assert_int_equal(kf_store_handover_insert(f->db, &h3, &err), KF_ECONFLICT);
	kf_db_rollback(f->db);
	/* Addressed to nobody: anyone but the outgoing agent confirms it. */
	assert_int_equal(
	    kf_store_handover_list(f->db, c, "incoming", "pending", 0, 10, &f->a, &list, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(kf_store_handover_confirm(f->db, h2.id, c, 400, NULL, &changed, &err), 0);
	assert_true(changed);
	struct kf_handover got;
	assert_int_equal(kf_store_handover_get(f->db, h2.id, &f->a, &got, &err), 0);
	assert_int_equal(got.to_user_id, c);
	assert_int_equal(got.confirmed_by, c);
	assert_string_equal(got.status, "confirmed");
	assert_int_equal(got.nitems, 1);
	assert_int_equal(got.items[0].carried_from_item_id, items[1].id);
	assert_int_equal(kf_store_handover_get(f->db, h.id, &f->a, &got, &err), 0);
	assert_int_equal(got.nitems, 3);
	assert_string_equal(got.items[0].ticket_number, "BX-20261124-0001");
	assert_string_equal(got.confirm_note, "收到");
	assert_true(got.items[2].resolved);
}

/* D-2, D-4, L-10, V-4, K-7: vouchers with their version check, the
 * signature replaced by a new capture, the off-site request decided once,
 * the dispatch list of undispatched work, the technician credited once in
 * the survey tally, and a return slip received once. */
static void vouchers_signatures_offsite_and_return_slips(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user a = {.login = "dv.agent",
			    .name = "a",
			    .role = "agent",
			    .password_hash = "h",
			    .active = true};
	struct kf_user tech = {.login = "dv.tech",
			       .name = "师傅",
			       .role = "technician",
			       .password_hash = "h",
			       .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &a, &err), 0);
	assert_int_equal(kf_store_user_insert(f->db, &tech, &err), 0);
	struct kf_customer c = {.name = "派工", .phone = "13800000077", .grade = "A", .tags = "[]"};
	assert_int_equal(kf_store_customer_insert(f->db, &c, &err), 0);
	int64_t t1 = add_ticket(f, "FW-20261201-0001", "new", c.id, a.id);
	int64_t t2 = add_ticket(f, "FW-20261201-0002", "closed", c.id, a.id);
	struct kf_dispatch_item *items;
	int n0 = 0, n1 = 0;
	assert_int_equal(
	    kf_store_dispatch_pending(f->db, INT64_MAX, 1000, &f->a, &items, &n0, &err), 0);
	bool listed = false;
	for (int i = 0; i < n0; i++)
		listed |= items[i].ticket_id == t1;
	assert_true(listed); /* L-10: open repair work without a voucher */
	struct kf_voucher v = {.number = "PZ-20261201-0001",
			       .ticket_id = t1,
			       .technician_id = tech.id,
			       .scheduled_on = "2026-12-02",
			       .address = "上海",
			       .off_site = true,
			       .status = "dispatched",
			       .dispatched_by = a.id,
			       .dispatched_at = 1000,
			       .updated_at = 1000};
	assert_int_equal(kf_store_voucher_insert(f->db, &v, &err), 0);
	assert_int_equal(
	    kf_store_dispatch_pending(f->db, INT64_MAX, 1000, &f->a, &items, &n1, &err), 0);
	for (int i = 0; i < n1; i++) {
		assert_int_not_equal(items[i].ticket_id, t1); /* dispatched */
		assert_int_not_equal(items[i].ticket_id, t2); /* closed */
	}
	assert_true(n1 <= n0);
	bool open = false, changed = false;
	assert_int_equal(kf_store_voucher_open_exists(f->db, t1, &open, &err), 0);
	assert_true(open);
	struct kf_voucher got;
	assert_int_equal(kf_store_voucher_get(f->db, v.id, &f->a, &got, &err), 0);
	assert_string_equal(got.technician_name, "师傅");
	assert_true(got.off_site);
	assert_null(got.offsite_status);
	assert_null(got.signature_type);
	assert_false(got.has_fee);
	/* A stale version changes nothing. */
	got.status = "started";
	got.started_at = 2000;
	got.has_fee = true;
	got.fee_fen = 12000;
	got.version = 7;
	assert_int_equal(kf_store_voucher_update(f->db, &got, &changed, &err), 0);
	assert_false(changed);
	got.version = 1;
	assert_int_equal(kf_store_voucher_update(f->db, &got, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(got.version, 2);
	/* D-4 */
	assert_int_equal(
	    kf_store_offsite_put(f->db, v.id, "苏州", "工厂", true, 30000, tech.id, 2000, &err), 0);
	assert_int_equal(
	    kf_store_offsite_decide(f->db, v.id, "approved", a.id, 3000, NULL, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(
	    kf_store_offsite_decide(f->db, v.id, "rejected", a.id, 3000, NULL, &changed, &err), 0);
	assert_false(changed);
	/* D-2: a new capture replaces the signature. */
	struct kf_voucher_signature sig = {.voucher_id = v.id,
					   .content_type = "image/png",
					   .sha256 = "x",
					   .data_base64 = "iVBORw0KGgo=",
					   .bytes = 8,
					   .captured_by = tech.id,
					   .captured_at = 2500};
	assert_int_equal(kf_store_signature_put(f->db, &sig, &err), 0);
	sig.content_type = "image/jpeg";
	sig.data_base64 = "/9j/4A==";
	sig.bytes = 4;
	assert_int_equal(kf_store_signature_put(f->db, &sig, &err), 0);
	struct kf_voucher_signature back;
	assert_int_equal(kf_store_signature_get(f->db, v.id, &f->a, &back, &err), 0);
	assert_string_equal(back.content_type, "image/jpeg");
	assert_string_equal(back.data_base64, "/9j/4A==");
	assert_int_equal(back.bytes, 4);
	assert_int_equal(kf_store_voucher_get(f->db, v.id, &f->a, &got, &err), 0);
	assert_string_equal(got.offsite_status, "approved");
	assert_int_equal(got.offsite_cost_fen, 30000);
	assert_string_equal(got.signature_type, "image/jpeg");
	assert_int_equal(got.fee_fen, 12000);
	/* D-3: the fee is listed once the work ended in the period. */
	struct kf_voucher *fees;
	int nf = -1;
	got.status = "completed";
	got.ended_at = 5000;
	assert_int_equal(kf_store_voucher_update(f->db, &got, &changed, &err), 0);
	assert_int_equal(kf_store_voucher_fees(f->db, 5000, 5001, 10, &f->a, &fees, &nf, &err), 0);
	assert_int_equal(nf, 1);
	assert_int_equal(kf_store_voucher_fees(f->db, 5001, 9000, 10, &f->a, &fees, &nf, &err), 0);
	assert_int_equal(nf, 0);
	/* V-4: the technician is credited once with the ticket's survey. */
	assert_int_equal(kf_store_ticket_set_technician(f->db, t1, tech.id, &err), 0);
	char hash[KF_SHA256_HEX_LEN + 1];
	kf_crypto_sha256_hex("dispatch", 8, hash);
	struct kf_callback cb = {.ticket_id = t1,
				 .status = "due",
				 .due_at = 3000000,
				 .agent_id = a.id,
				 .token_hash = hash,
				 .token_expires_at = 4000000,
				 .created_at = 3000000};
	assert_int_equal(kf_store_callback_insert(f->db, &cb, &err), 0);
	cb.status = "done";
	cb.done_at = 3000001;
	cb.has_reached = cb.reached = true;
	cb.answered_via = "staff";
	cb.token_used_at = 3000001;
	cb.score = 15;
	const char *r[4] = {"very_satisfied", "very_satisfied", "very_satisfied", "satisfied"};
	memcpy(cb.rating, r, sizeof cb.rating);
	assert_int_equal(kf_store_callback_update(f->db, &cb, "due", &changed, &err), 0);
	struct kf_callback_tally *tally;
	int nt = 0;
	assert_int_equal(kf_store_callback_tally(f->db, 3000000, 3000002, &f->a, &tally, &nt, &err),
			 0);
	assert_int_equal(nt, 2);
	for (int i = 0; i < nt; i++) {
		assert_true(tally[i].user_id == a.id || tally[i].user_id == tech.id);
		assert_int_equal(tally[i].surveys, 1);
		assert_int_equal(tally[i].score_sum, 15);
	}
	/* K-7: a return slip is received once. */
	struct kf_resolution res = {.ticket_id = t2,
				    .kind = "return",
				    .summary = "退货",
				    .has_quantity = true,
				    .quantity = 3,
				    .status = "approved",
				    .policy_version = 1,
				    .created_by = a.id,
				    .created_at = 1000};
	assert_int_equal(kf_store_resolution_insert(f->db, &res, &err), 0);
	struct kf_k7_doc slip = {.number = "TH-20261201-0001",
				 .resolution_id = res.id,
				 .ticket_id = t2,
				 .quantity = 3,
				 .created_at = 1000};
	assert_int_equal(kf_store_return_slip_insert(f->db, &slip, &err), 0);
	struct kf_k7_doc dup = slip;
	dup.number = "TH-20261201-0002";
	assert_int_equal(kf_store_return_slip_insert(f->db, &dup, &err), KF_ECONFLICT);
	slip.received_qty = 2;
	slip.received_by = a.id;
	slip.received_at = 2000;
	assert_int_equal(kf_store_return_slip_receive(f->db, &slip, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(kf_store_return_slip_receive(f->db, &slip, &changed, &err), 0);
	assert_false(changed);
	struct kf_k7_doc *docs;
	int nd = 0;
	assert_int_equal(
	    kf_store_k7_list(f->db, true, "received", 0, 0, 10, &f->a, &docs, &nd, &err), 0);
	assert_int_equal(nd, 1);
	assert_int_equal(docs[0].received_qty, 2);
	assert_string_equal(docs[0].customer_name, "派工");
}

/* W-2, S-2: the shifts a person is rostered for between two instants come
 * from published rosters only, overlapping the interval (a shift across
 * midnight counts on both sides); a roster is saved with an optimistic
 * version (a stale one is a conflict); W-13: a swap is listed for both
 * people; W-9: leave is listed by overlap and status. */
static void roster_shifts_between_published_only(void **state)
{
	struct fixture *f = *state;
	struct kf_err err;
	struct kf_user u = {
	    .login = "ro1", .name = "a", .role = "agent", .password_hash = "h", .active = true};
	struct kf_user v = {
	    .login = "ro2", .name = "b", .role = "agent", .password_hash = "h", .active = true};
	assert_int_equal(kf_store_user_insert(f->db, &u, &err), 0);
	assert_int_equal(kf_store_user_insert(f->db, &v, &err), 0);
	const int64_t H = 3600000, day = 4000000000000LL; /* beyond 32 bits */
	struct kf_roster_rec dec = {.month = "2096-10",
				    .status = "draft",
				    .templates = "{}",
				    .coverage = "{}",
				    .members = "[]",
				    .shortfalls = "[]",
				    .created_at = 1};
	struct kf_roster_rec nov = dec;
	nov.month = "2096-11";
	assert_int_equal(kf_store_roster_save(f->db, &dec, &err), 0);
	assert_int_equal(kf_store_roster_save(f->db, &nov, &err), 0);
	assert_int_equal(dec.version, 1);
	struct kf_roster_cell c1 = {u.id, "2096-10-01", "late", day + 18 * H, day + 24 * H};
	struct kf_roster_cell c2 = {u.id, "2096-10-02", "early", day + 33 * H, day + 42 * H};
	struct kf_roster_cell c3 = {u.id, "2096-11-01", "early", day + 57 * H, day + 66 * H};
	assert_int_equal(kf_store_roster_cell_put(f->db, dec.id, &c1, &err), 0);
	assert_int_equal(kf_store_roster_cell_put(f->db, dec.id, &c2, &err), 0);
	assert_int_equal(kf_store_roster_cell_put(f->db, nov.id, &c3, &err), 0);
	struct kf_rostered_shift *sh;
	int n = -1;
	assert_int_equal(
	    kf_store_roster_shifts_between(f->db, u.id, day, day + 100 * H, &f->a, &sh, &n, &err),
	    0);
	assert_int_equal(n, 0); /* drafts do not bind (W-2) */
	dec.status = "published";
	dec.published_at = 2;
	assert_int_equal(kf_store_roster_save(f->db, &dec, &err), 0);
	assert_int_equal(dec.version, 2);
	struct kf_roster_rec stale = dec;
	stale.version = 1;
	assert_int_equal(kf_store_roster_save(f->db, &stale, &err), KF_ECONFLICT);
	assert_int_equal(kf_store_roster_shifts_between(f->db, u.id, day + 23 * H, day + 34 * H,
							&f->a, &sh, &n, &err),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(sh[0].shift, "late");
	assert_string_equal(sh[0].day, "2096-10-01");
	assert_string_equal(sh[0].month, "2096-10");
	assert_int_equal(sh[1].start_at, day + 33 * H);
	/* The interval's ends are exclusive: ending at 24:00 is not in [24:00, …). */
	assert_int_equal(kf_store_roster_shifts_between(f->db, u.id, day + 24 * H, day + 33 * H,
							&f->a, &sh, &n, &err),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    kf_store_roster_shifts_between(f->db, v.id, day, day + 100 * H, &f->a, &sh, &n, &err),
	    0);
	assert_int_equal(n, 0);
	/* Rest: the cell goes. */
	struct kf_roster_cell rest = {u.id, "2096-10-01", NULL, 0, 0};
	assert_int_equal(kf_store_roster_cell_put(f->db, dec.id, &rest, &err), 0);
	struct kf_roster_cell *cells;
	assert_int_equal(kf_store_roster_cells(f->db, dec.id, &f->a, &cells, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(cells[0].day, "2096-10-02");

	struct kf_swap_rec sw = {.month = "2096-10",
				 .day = "2096-10-02",
				 .requester_id = u.id,
				 .with_user_id = v.id,
				 .requester_shift = "early",
				 .status = "pending",
				 .decisions = "[]",
				 .created_at = 3};
	assert_int_equal(kf_store_swap_insert(f->db, &sw, &err), 0);
	struct kf_swap_rec *sws;
	assert_int_equal(kf_store_swap_list(f->db, v.id, NULL, 0, 10, &f->a, &sws, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_null(sws[0].with_shift);
	sw.counterpart = "approved";
	assert_int_equal(kf_store_swap_update(f->db, &sw, &err), 0);
	sw.version = 1;
	assert_int_equal(kf_store_swap_update(f->db, &sw, &err), KF_ECONFLICT);

	struct kf_leave_rec l = {.user_id = u.id,
				 .filed_by = u.id,
				 .type = "sick",
				 .start_at = day,
				 .end_at = day + 24 * H,
				 .days = 1,
				 .reason = "x",
				 .status = "approved",
				 .levels = "supervisor",
				 .decisions = "[]",
				 .created_at = 4};
	assert_int_equal(kf_store_leave_insert(f->db, &l, &err), 0);
	struct kf_leave_filter lf = {.user_id = u.id,
				     .status = "approved",
				     .overlap_from = day + 23 * H,
				     .overlap_to = day + 30 * H,
				     .limit = 10};
	struct kf_leave_rec *ls;
	assert_int_equal(kf_store_leave_list(f->db, &lf, &f->a, &ls, &n, &err), 0);
	assert_int_equal(n, 1);
	lf.overlap_from = day + 24 * H;
	assert_int_equal(kf_store_leave_list(f->db, &lf, &f->a, &ls, &n, &err), 0);
	assert_int_equal(n, 0);
	lf.overlap_from = lf.overlap_to = 0;
	lf.status = "pending";
	assert_int_equal(kf_store_leave_list(f->db, &lf, &f->a, &ls, &n, &err), 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	kf_crypto_init();
	int rc = make_store();
	if (rc)
		return rc;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(migrate_twice_is_a_no_op),
	    cmocka_unit_test(a_newer_schema_is_refused),
	    cmocka_unit_test(rollback_leaves_nothing),
	    cmocka_unit_test(sign_in_generation_moves_on_after_the_write_ends),
	    cmocka_unit_test(duplicates_are_conflicts_and_dangling_references_invalid),
	    cmocka_unit_test(text_round_trips_and_nulls),
	    cmocka_unit_test(stale_versions_are_conflicts),
	    cmocka_unit_test(instants_beyond_32_bits_survive),
	    cmocka_unit_test(policy_in_force_is_the_latest_effective),
	    cmocka_unit_test(audit_append_needs_a_transaction),
	    cmocka_unit_test(concurrent_audit_appends_keep_one_chain),
	    cmocka_unit_test(audit_list_filters_combine),
	    cmocka_unit_test(group_writes_isolate_failed_jobs),
	    cmocka_unit_test(group_writes_run_fin_only_jobs_last),
	    cmocka_unit_test(group_writes_refuse_a_nested_one),
	    cmocka_unit_test(search_entries_are_queued_and_taken_in_order),
	    cmocka_unit_test(scan_does_not_mark_a_deadline_replaced_since),
	    cmocka_unit_test(deadlines_copy_follows_every_change),
	    cmocka_unit_test(deadlines_text_round_trips_and_refuses_garbage),
	    cmocka_unit_test(search_merge_walks_a_filter_beside_the_matches),
	    cmocka_unit_test(search_open_gives_the_open_matches),
	    cmocka_unit_test(search_open_follows_status_and_text),
	    cmocka_unit_test(search_by_type_follows_the_type),
	    cmocka_unit_test(sqlite_wal_is_checkpointed_and_bounded),

	    cmocka_unit_test(read_snapshots_see_one_state_and_never_become_writes),
	    cmocka_unit_test(statement_cache_survives_eviction_and_lost_sessions),
	    cmocka_unit_test(schema_4_with_tickets_migrates_to_5),
	    cmocka_unit_test(callback_tally_credits_owner_and_assignee),
	    cmocka_unit_test(portal_accounts_are_unique_and_sessions_end),
	    cmocka_unit_test(counts_and_team_transfers),
	    cmocka_unit_test(inbox_is_per_person_and_read_once),
	    cmocka_unit_test(fines_once_per_complaint_and_reviews_once_per_month),
	    cmocka_unit_test(survey_link_reissue_retires_the_old_hash),
	    cmocka_unit_test(punches_and_duty_log_are_append_only),
	    cmocka_unit_test(handover_confirmation_and_carry_over),
	    cmocka_unit_test(vouchers_signatures_offsite_and_return_slips),
	    cmocka_unit_test(roster_shifts_between_published_only),
	};
	rc = cmocka_run_group_tests(tests, setup, teardown);
	if (sqlite_path[0]) {
		char p[300];
		unlink(sqlite_path);
		snprintf(p, sizeof p, "%s-wal", sqlite_path);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", sqlite_path);
		unlink(p);
	}
	return rc;
}
