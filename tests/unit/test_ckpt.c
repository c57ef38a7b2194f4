/* When the SQLite checkpointer runs (src/store/sqlite_ckpt.h): once every
 * `every` frames committed since the last checkpoint, not at every commit
 * while the WAL is large; once after a quiet spell; never back to back on a
 * stale count from a commit's hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "store/sqlite_ckpt.h"

enum { EVERY = 4000 };

/* Before, the count ran from the WAL's start: every commit past 4 000
 * frames started another checkpoint. Now the next one is 4 000 frames after
 * what the last one found. */
static void due_every_4000_frames_after_the_last(void **state)
{
	(void)state;
	struct kf_ckpt_sched c = {0};
	assert_false(kf_ckpt_hook(&c, 1000, EVERY));
	assert_false(kf_ckpt_hook(&c, 3999, EVERY));
	assert_true(kf_ckpt_hook(&c, 4000, EVERY));
	kf_ckpt_done(&c, 4000, 4100); /* commits went on meanwhile */
	assert_int_equal(c.base, 4100);
	assert_false(kf_ckpt_due(&c, EVERY));
	assert_false(kf_ckpt_hook(&c, 4200, EVERY));
	assert_false(kf_ckpt_hook(&c, 8099, EVERY));
	assert_true(kf_ckpt_hook(&c, 8100, EVERY));
}

/* A WAL smaller than at the last checkpoint has started again from its
 * beginning: the count starts again too. */
static void a_restarted_wal_counts_from_zero(void **state)
{
	(void)state;
	struct kf_ckpt_sched c = {0};
	kf_ckpt_hook(&c, 16500, EVERY);
	kf_ckpt_done(&c, 16500, 16500);
	assert_false(kf_ckpt_hook(&c, 30, EVERY));
	assert_int_equal(c.base, 0);
	assert_true(kf_ckpt_hook(&c, 4000, EVERY));
}

/* A hook that comes after a later commit started the WAL again reports the
 * old, larger WAL: one checkpoint runs, finds the small WAL, and the next
 * is not due at once (it was, at every pass, until the next commit). */
static void a_stale_hook_costs_one_checkpoint_not_a_loop(void **state)
{
	(void)state;
	struct kf_ckpt_sched c = {0};
	kf_ckpt_hook(&c, 16400, EVERY);
	kf_ckpt_done(&c, 16400, 16400);
	assert_false(kf_ckpt_hook(&c, 30, EVERY));   /* the WAL started again */
	assert_true(kf_ckpt_hook(&c, 16400, EVERY)); /* a late hook */
	kf_ckpt_done(&c, 16400, 30);
	assert_false(kf_ckpt_due(&c, EVERY));
	assert_false(kf_ckpt_quiet_due(&c));
	assert_int_equal(c.wal_frames, 30);
	/* The WAL grows on from there. */
	assert_false(kf_ckpt_hook(&c, 3000, EVERY));
	assert_true(kf_ckpt_hook(&c, 4030, EVERY));
}

/* The WAL grew while the checkpoint ran: the hook's newer count stands. */
static void a_fresh_count_is_kept(void **state)
{
	(void)state;
	struct kf_ckpt_sched c = {0};
	kf_ckpt_hook(&c, 4000, EVERY);
	kf_ckpt_hook(&c, 4300, EVERY);
	kf_ckpt_done(&c, 4000, 4100);
	assert_int_equal(c.wal_frames, 4300);
	assert_int_equal(c.base, 4100);
	assert_true(kf_ckpt_quiet_due(&c));
}

/* After a quiet spell, a checkpoint only if something was committed since
 * the last; also when the WAL started again and holds fewer frames than
 * the last checkpoint found (its hook came before the checkpoint ended). */
static void quiet_checkpoint_only_after_commits(void **state)
{
	(void)state;
	struct kf_ckpt_sched c = {0};
	kf_ckpt_hook(&c, 500, EVERY);
	assert_true(kf_ckpt_quiet_due(&c));
	kf_ckpt_done(&c, 500, 500);
	assert_false(kf_ckpt_quiet_due(&c));
	kf_ckpt_hook(&c, 8000, EVERY);
	kf_ckpt_hook(&c, 100, EVERY); /* started again, before done() */
	kf_ckpt_done(&c, 8000, 8000);
	assert_false(kf_ckpt_due(&c, EVERY));
	assert_true(kf_ckpt_quiet_due(&c));
}

/* A checkpoint that could not run (the database could not be opened, an
 * error): the next after another 4 000 frames as the hooks count them, not
 * at once again. */
static void a_failed_checkpoint_waits_for_more_frames(void **state)
{
	(void)state;
	struct kf_ckpt_sched c = {0};
	kf_ckpt_hook(&c, 5000, EVERY);
	kf_ckpt_done(&c, 5000, -1);
	assert_false(kf_ckpt_due(&c, EVERY));
	assert_false(kf_ckpt_quiet_due(&c));
	assert_false(kf_ckpt_hook(&c, 8999, EVERY));
	assert_true(kf_ckpt_hook(&c, 9000, EVERY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(due_every_4000_frames_after_the_last),
	    cmocka_unit_test(a_restarted_wal_counts_from_zero),
	    cmocka_unit_test(a_stale_hook_costs_one_checkpoint_not_a_loop),
	    cmocka_unit_test(a_fresh_count_is_kept),
	    cmocka_unit_test(quiet_checkpoint_only_after_commits),
	    cmocka_unit_test(a_failed_checkpoint_waits_for_more_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
