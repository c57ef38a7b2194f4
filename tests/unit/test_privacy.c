/* Unit tests for the C-3 masks of customers' personal data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "rules/privacy.h"

static void phone_keeps_first_three_and_last_four(void **s)
{
	char out[KF_PRIVACY_MASK_MAX];
	kf_privacy_mask_phone("13812345678", out);
	assert_string_equal(out, "138****5678");
	kf_privacy_mask_phone("+8613812345678", out);
	assert_string_equal(out, "+86****5678");
}

static void short_phones_hide_at_least_four_characters(void **s)
{
	char out[KF_PRIVACY_MASK_MAX];
	kf_privacy_mask_phone("62345678", out); /* a city line: 8 digits */
	assert_string_equal(out, "****5678");
	kf_privacy_mask_phone("1234567890", out); /* 10: 3 + 4 would leave only 3 hidden */
	assert_string_equal(out, "****7890");
	kf_privacy_mask_phone("12345", out);
	assert_string_equal(out, "****5");
	kf_privacy_mask_phone("1234", out);
	assert_string_equal(out, "****");
	kf_privacy_mask_phone("", out);
	assert_string_equal(out, "****");
}

static void null_gives_an_empty_string(void **s)
{
	char out[KF_PRIVACY_MASK_MAX];
	kf_privacy_mask_phone(NULL, out);
	assert_string_equal(out, "");
	kf_privacy_mask_id_number(NULL, out);
	assert_string_equal(out, "");
	kf_privacy_mask_address(NULL, out);
	assert_string_equal(out, "");
	kf_privacy_mask_email(NULL, out);
	assert_string_equal(out, "");
}

static void id_number_keeps_first_three_and_last_four(void **s)
{
	char out[KF_PRIVACY_MASK_MAX];
	kf_privacy_mask_id_number("11010119900307123X", out);
	assert_string_equal(out, "110********123X");
	kf_privacy_mask_id_number("E12345678", out); /* 9: too short for both ends */
	assert_string_equal(out, "********5678");
	kf_privacy_mask_id_number("A123", out);
	assert_string_equal(out, "********");
}

static void address_keeps_six_characters_not_bytes(void **s)
{
	char out[KF_PRIVACY_MASK_MAX];
	kf_privacy_mask_address("上海市浦东新区张杨路500号", out);
	assert_string_equal(out, "上海市浦东新****");
	kf_privacy_mask_address("12 Baker Street, London", out);
	assert_string_equal(out, "12 Bak****");
	/* Short addresses keep only their first half. */
	kf_privacy_mask_address("北京市朝阳区", out);
	assert_string_equal(out, "北京市****");
	kf_privacy_mask_address("x", out);
	assert_string_equal(out, "****");
}

static void email_keeps_first_character_and_domain(void **s)
{
	char out[KF_PRIVACY_MASK_MAX];
	kf_privacy_mask_email("zhang.wei@example.cn", out);
	assert_string_equal(out, "z***@example.cn");
	kf_privacy_mask_email("王芳@例子.中国", out);
	assert_string_equal(out, "王***@例子.中国");
	kf_privacy_mask_email("no-at-sign", out);
	assert_string_equal(out, "***");
	kf_privacy_mask_email("@example.cn", out);
	assert_string_equal(out, "***@example.cn");
}

static void contact_is_masked_as_what_it_looks_like(void **s)
{
	char out[KF_PRIVACY_MASK_MAX];
	kf_privacy_mask_contact("13812345678", out);
	assert_string_equal(out, "138****5678");
	kf_privacy_mask_contact("010-6234 5678", out); /* mostly digits: a phone */
	assert_string_equal(out, "010****5678");
	kf_privacy_mask_contact("someone@example.org", out);
	assert_string_equal(out, "s***@example.org");
	kf_privacy_mask_contact("上海市浦东新区张杨路500号", out);
	assert_string_equal(out, "上海市浦东新****");
	kf_privacy_mask_contact(NULL, out);
	assert_string_equal(out, "");
}

static void overlong_input_is_cut_at_a_character_boundary(void **s)
{
	char in[2000], out[KF_PRIVACY_MASK_MAX];
	size_t len = 0;
	len += (size_t)snprintf(in, sizeof in, "a@");
	for (int i = 0; i < 600; i++)
		len += (size_t)snprintf(in + len, sizeof in - len, "域");
	kf_privacy_mask_email(in, out);
	size_t n = strlen(out);
	assert_true(n < KF_PRIVACY_MASK_MAX);
	assert_int_equal((n - strlen("a***@")) % 3, 0);
	assert_memory_equal(out, "a***@", 5);
	/* A malformed sequence at the end never reads past the string. */
	kf_privacy_mask_address("abcdefghijklmn\xe4\xb8", out);
	assert_string_equal(out, "abcdef****");
	kf_privacy_mask_phone("1381234567\xe4", out);
	assert_int_equal(strncmp(out, "138****", 7), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(phone_keeps_first_three_and_last_four),
	    cmocka_unit_test(short_phones_hide_at_least_four_characters),
	    cmocka_unit_test(null_gives_an_empty_string),
	    cmocka_unit_test(id_number_keeps_first_three_and_last_four),
	    cmocka_unit_test(address_keeps_six_characters_not_bytes),
	    cmocka_unit_test(email_keeps_first_character_and_domain),
	    cmocka_unit_test(contact_is_masked_as_what_it_looks_like),
	    cmocka_unit_test(overlong_input_is_cut_at_a_character_boundary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
