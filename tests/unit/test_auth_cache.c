/* Unit tests for sessions answered from memory (S-1, app/auth_cache.h): an
 * entry is used only within its time to live and its sign-in generation,
 * only for its own token, and its strings belong to the caller's arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "app/auth_cache.h"
#include "store/store.h"

static const char H1[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
/* The same first eight digits (the same slot in any table), another token. */
static const char H2[] = "01234567ffffffff0123456789abcdef0123456789abcdef0123456789abcdef";

static void example(struct kf_session *s, struct kf_user *u, char *name)
{
	*s = (struct kf_session){.id = 7,
				 .user_id = 3,
				 .csrf_hash = "c5rf",
				 .created_at = 100,
				 .expires_at = 900000,
				 .last_seen_at = 100};
	*u = (struct kf_user){.id = 3,
			      .login = "amy",
			      .name = name,
			      .role = "agent",
			      .level = NULL,
			      .team_id = 2,
			      .hired_on = "2024-03-01",
			      .password_hash = "secret",
			      .active = true,
			      .version = 4};
}

static void a_hit_returns_a_copy_within_the_time_to_live(void **state)
{
	(void)state;
	struct kf_auth_cache *c = kf_auth_cache_new(16, 1000);
	struct kf_session s, gs;
	struct kf_user u, gu;
	char name[] = "艾米";
	example(&s, &u, name);
	kf_auth_cache_put(c, H1, kf_store_auth_generation(), 5000, &s, &u);
	name[0] = 'X'; /* the cache copied the strings when it stored them */
	struct kf_arena a;
	kf_arena_init(&a);
	assert_true(kf_auth_cache_get(c, H1, 5999, &a, &gs, &gu));
	assert_int_equal(gs.id, 7);
	assert_string_equal(gs.csrf_hash, "c5rf");
	assert_string_equal(gu.name, "艾米");
	assert_string_equal(gu.login, "amy");
	assert_null(gu.level);
	assert_null(gu.password_hash); /* never kept */
	assert_int_equal(gu.team_id, 2);
	assert_int_equal(gu.version, 4);
	/* Exactly the time to live later, or before it was stored: a miss. */
	assert_false(kf_auth_cache_get(c, H1, 6000, &a, &gs, &gu));
	assert_false(kf_auth_cache_get(c, H1, 4999, &a, &gs, &gu));
	kf_arena_release(&a);
	kf_auth_cache_free(c);
}

static void another_token_in_the_same_slot_is_a_miss_and_replaces_it(void **state)
{
	(void)state;
	struct kf_auth_cache *c = kf_auth_cache_new(16, 1000);
	struct kf_session s, gs;
	struct kf_user u, gu;
	example(&s, &u, "艾米");
	struct kf_arena a;
	kf_arena_init(&a);
	kf_auth_cache_put(c, H1, kf_store_auth_generation(), 5000, &s, &u);
	assert_false(kf_auth_cache_get(c, H2, 5001, &a, &gs, &gu));
	s.id = 8;
	kf_auth_cache_put(c, H2, kf_store_auth_generation(), 5001, &s, &u);
	assert_true(kf_auth_cache_get(c, H2, 5002, &a, &gs, &gu));
	assert_int_equal(gs.id, 8);
	assert_false(kf_auth_cache_get(c, H1, 5002, &a, &gs, &gu));
	kf_arena_release(&a);
	kf_auth_cache_free(c);
}

static void an_entry_of_an_earlier_generation_is_a_miss(void **state)
{
	(void)state;
	struct kf_auth_cache *c = kf_auth_cache_new(16, 1000);
	struct kf_session s, gs;
	struct kf_user u, gu;
	example(&s, &u, "艾米");
	struct kf_arena a;
	kf_arena_init(&a);
	/* Read before a sign-in change committed: never used after it. */
	kf_auth_cache_put(c, H1, kf_store_auth_generation() - 1, 5000, &s, &u);
	assert_false(kf_auth_cache_get(c, H1, 5001, &a, &gs, &gu));
	kf_auth_cache_put(c, H1, kf_store_auth_generation(), 5000, &s, &u);
	assert_true(kf_auth_cache_get(c, H1, 5001, &a, &gs, &gu));
	kf_arena_release(&a);
	kf_auth_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_hit_returns_a_copy_within_the_time_to_live),
	    cmocka_unit_test(another_token_in_the_same_slot_is_a_miss_and_replaces_it),
	    cmocka_unit_test(an_entry_of_an_earlier_generation_is_a_miss),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
