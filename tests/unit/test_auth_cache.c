/* Unit tests for sessions answered from memory (S-1, app/auth_cache.h): an
 * entry is used only within its time to live and its sign-in generation,
 * only for its own token, and its strings belong to the caller's arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "app/auth_cache.h"
#include "store/store.h"

static const char H1[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
/* The same first eight digits (the same slot in any table), another token. */
static const char H2[] = "01234567ffffffff0123456789abcdef0123456789abcdef0123456789abcdef";

/* A cache of 16 slots with a second to live, a session and its person to
 * store (name in a buffer of the test's, to change after storing), what a
 * hit gives back, and the arena that gets its strings. */
struct fixture {
	struct kf_auth_cache *c;
	char name[16];
	struct kf_session s, gs;
	struct kf_user u, gu;
	struct kf_arena a;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->c = kf_auth_cache_new(16, 1000);
	snprintf(f->name, sizeof f->name, "%s", "艾米");
	f->s = (struct kf_session){.id = 7,
				   .user_id = 3,
				   .csrf_hash = "c5rf",
				   .created_at = 100,
				   .expires_at = 900000,
				   .last_seen_at = 100};
	f->u = (struct kf_user){.id = 3,
				.login = "amy",
				.name = f->name,
				.role = "agent",
				.level = NULL,
				.team_id = 2,
				.hired_on = "2024-03-01",
				.password_hash = "secret",
				.active = true,
				.version = 4};
	kf_arena_init(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	kf_arena_release(&f->a);
	kf_auth_cache_free(f->c);
	free(f);
	return 0;
}

static void a_hit_returns_a_copy_within_the_time_to_live(void **state)
{
	struct fixture *f = *state;
	kf_auth_cache_put(f->c, H1, kf_store_auth_generation(), 5000, &f->s, &f->u);
	f->name[0] = 'X'; /* the cache copied the strings when it stored them */
	assert_true(kf_auth_cache_get(f->c, H1, 5999, &f->a, &f->gs, &f->gu));
	assert_int_equal(f->gs.id, 7);
	assert_string_equal(f->gs.csrf_hash, "c5rf");
	assert_string_equal(f->gu.name, "艾米");
	assert_string_equal(f->gu.login, "amy");
	assert_null(f->gu.level);
	assert_null(f->gu.password_hash); /* never kept */
	assert_int_equal(f->gu.team_id, 2);
	assert_int_equal(f->gu.version, 4);
	/* Exactly the time to live later, or before it was stored: a miss. */
	assert_false(kf_auth_cache_get(f->c, H1, 6000, &f->a, &f->gs, &f->gu));
	assert_false(kf_auth_cache_get(f->c, H1, 4999, &f->a, &f->gs, &f->gu));
}

static void another_token_in_the_same_slot_is_a_miss_and_replaces_it(void **state)
{
	struct fixture *f = *state;
	kf_auth_cache_put(f->c, H1, kf_store_auth_generation(), 5000, &f->s, &f->u);
	assert_false(kf_auth_cache_get(f->c, H2, 5001, &f->a, &f->gs, &f->gu));
	f->s.id = 8;
	kf_auth_cache_put(f->c, H2, kf_store_auth_generation(), 5001, &f->s, &f->u);
	assert_true(kf_auth_cache_get(f->c, H2, 5002, &f->a, &f->gs, &f->gu));
	assert_int_equal(f->gs.id, 8);
	assert_false(kf_auth_cache_get(f->c, H1, 5002, &f->a, &f->gs, &f->gu));
}

static void an_entry_of_an_earlier_generation_is_a_miss(void **state)
{
	struct fixture *f = *state;
	/* Read before a sign-in change committed: never used after it. */
	kf_auth_cache_put(f->c, H1, kf_store_auth_generation() - 1, 5000, &f->s, &f->u);
	assert_false(kf_auth_cache_get(f->c, H1, 5001, &f->a, &f->gs, &f->gu));
	kf_auth_cache_put(f->c, H1, kf_store_auth_generation(), 5000, &f->s, &f->u);
	assert_true(kf_auth_cache_get(f->c, H1, 5001, &f->a, &f->gs, &f->gu));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(a_hit_returns_a_copy_within_the_time_to_live, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		another_token_in_the_same_slot_is_a_miss_and_replaces_it, setup, teardown),
	    cmocka_unit_test_setup_teardown(an_entry_of_an_earlier_generation_is_a_miss, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
