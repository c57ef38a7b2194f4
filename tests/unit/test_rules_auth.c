/* Unit tests for the sign-in rules: password rules and throttling (S-1) and
 * the role-to-permission table (R). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "rules/password.h"
#include "rules/roles.h"
#include "rules/throttle.h"

static void password_of_exactly_min_length_is_accepted(void **s)
{
	struct kf_err err;
	assert_int_equal(kf_password_check("Abcdefgh1!", "x", 10, &err), 0);
	assert_int_equal(kf_password_check("Abcdefgh1", "x", 10, &err), KF_EINVALID);
	assert_string_equal(err.field, "password");
}

static void length_counts_characters_not_bytes(void **s)
{
	struct kf_err err;
	/* Ten Chinese characters and a digit: 11 characters, 31 bytes. */
	assert_int_equal(kf_password_check("客服系统密码很安全的1", "x", 11, &err), 0);
	assert_int_equal(kf_password_check("客服系统密码1", "x", 10, &err), KF_EINVALID);
}

static void one_character_class_is_refused(void **s)
{
	struct kf_err err;
	assert_int_equal(kf_password_check("abcdefghijkl", "x", 10, &err), KF_EINVALID);
	assert_int_equal(kf_password_check("ABCDEFGHIJKL", "x", 10, &err), KF_EINVALID);
	assert_int_equal(kf_password_check("918273645546", "x", 10, &err), KF_EINVALID);
	assert_int_equal(kf_password_check("abcdefghijK", "x", 10, &err), 0);
}

static void the_login_and_its_reverse_are_refused(void **s)
{
	struct kf_err err;
	assert_int_equal(kf_password_check("Wang.Fang2026", "wang.fang2026", 10, &err),
			 KF_EINVALID);
	assert_int_equal(kf_password_check("6202gnaf.gnaw", "wang.fang2026", 10, &err),
			 KF_EINVALID);
}

static void common_passwords_are_refused_whatever_the_case(void **s)
{
	struct kf_err err;
	assert_int_equal(kf_password_check("PASSWORD123", "x", 10, &err), KF_EINVALID);
	assert_non_null(strstr(err.message, "common"));
	assert_int_equal(kf_password_check("woaini1314", "x", 10, &err), KF_EINVALID);
}

static void over_long_passwords_are_refused(void **s)
{
	struct kf_err err;
	char pw[300];
	memset(pw, 'a', sizeof pw - 2);
	pw[sizeof pw - 2] = '1';
	pw[sizeof pw - 1] = '\0';
	assert_int_equal(kf_password_check(pw, "x", 10, &err), KF_EINVALID);
}

static const struct kf_throttle_limits lim = {.slow_after = 3,
					      .lock_after = 10,
					      .lock_ms = 15 * 60000,
					      .window_ms = 15 * 60000,
					      .slow_ms = 2000};

static void failures_below_the_slow_down_wait_nothing(void **s)
{
	struct kf_throttle_row row = {0};
	kf_throttle_fail(&row, &lim, 1000);
	kf_throttle_fail(&row, &lim, 1001);
	assert_int_equal(kf_throttle_wait_ms(&row, &lim, 1002), 0);
}

static void the_third_failure_slows_and_the_wait_doubles(void **s)
{
	struct kf_throttle_row row = {0};
	for (int i = 0; i < 3; i++)
		kf_throttle_fail(&row, &lim, 1000);
	assert_int_equal(kf_throttle_wait_ms(&row, &lim, 1000), 2000);
	assert_int_equal(kf_throttle_wait_ms(&row, &lim, 3000), 0);
	kf_throttle_fail(&row, &lim, 3000);
	assert_int_equal(kf_throttle_wait_ms(&row, &lim, 3000), 4000);
}

static void the_tenth_failure_locks_for_the_policy_time(void **s)
{
	struct kf_throttle_row row = {0};
	int64_t t = 0;
	for (int i = 0; i < 10; i++, t += 70000)
		kf_throttle_fail(&row, &lim, t);
	int64_t last = t - 70000;
	assert_int_equal(row.locked_until, last + lim.lock_ms);
	assert_int_equal(kf_throttle_wait_ms(&row, &lim, last + 1), lim.lock_ms - 1);
	assert_int_equal(kf_throttle_wait_ms(&row, &lim, last + lim.lock_ms), 0);
}

static void failures_outside_the_window_are_forgotten(void **s)
{
	struct kf_throttle_row row = {0};
	for (int i = 0; i < 9; i++)
		kf_throttle_fail(&row, &lim, 0);
	kf_throttle_fail(&row, &lim, lim.window_ms);
	assert_int_equal(row.failures, 1);
	assert_int_equal(row.locked_until, 0);
}

static void admin_writes_users_and_agents_do_not(void **s)
{
	assert_true(kf_role_can(KF_ROLE_ADMIN, KF_PERM_USERS_WRITE));
	assert_false(kf_role_can(KF_ROLE_MANAGER, KF_PERM_USERS_WRITE));
	assert_false(kf_role_can(KF_ROLE_AGENT, KF_PERM_USERS_WRITE));
	assert_true(kf_role_can(KF_ROLE_GM, KF_PERM_AUDIT_READ));
	assert_false(kf_role_can(KF_ROLE_VP, KF_PERM_AUDIT_READ));
	assert_true(kf_role_can(KF_ROLE_AGENT, KF_PERM_POLICY_READ));
	assert_false(kf_role_can(KF_ROLE_GM, KF_PERM_POLICY_WRITE));
	assert_false(kf_role_can((enum kf_role)99, KF_PERM_USERS_READ));
}

static void role_and_level_names_round_trip(void **s)
{
	for (int r = 0; r < KF_ROLE_COUNT; r++)
		assert_int_equal(kf_role_parse(kf_role_name((enum kf_role)r)), r);
	for (int l = 0; l < KF_LEVEL_COUNT; l++)
		assert_int_equal(kf_level_parse(kf_level_name((enum kf_level)l)), l);
	assert_int_equal(kf_role_parse("customer"), -1);
	assert_int_equal(kf_level_parse("expert"), -1);
	assert_true(kf_role_has_level(KF_ROLE_AGENT));
	assert_false(kf_role_has_level(KF_ROLE_MANAGER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(password_of_exactly_min_length_is_accepted),
	    cmocka_unit_test(length_counts_characters_not_bytes),
	    cmocka_unit_test(one_character_class_is_refused),
	    cmocka_unit_test(the_login_and_its_reverse_are_refused),
	    cmocka_unit_test(common_passwords_are_refused_whatever_the_case),
	    cmocka_unit_test(over_long_passwords_are_refused),
	    cmocka_unit_test(failures_below_the_slow_down_wait_nothing),
	    cmocka_unit_test(the_third_failure_slows_and_the_wait_doubles),
	    cmocka_unit_test(the_tenth_failure_locks_for_the_policy_time),
	    cmocka_unit_test(failures_outside_the_window_are_forgotten),
	    cmocka_unit_test(admin_writes_users_and_agents_do_not),
	    cmocka_unit_test(role_and_level_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
