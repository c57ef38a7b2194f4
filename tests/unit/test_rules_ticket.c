/* Unit tests for the ticket rules: the T-6 state machine (every allowed and
 * every refused pair), T-4 numbering, T-9 priority, L-4 … L-10 deadlines,
 * and the T-10 search tokenizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "rules/policy.h"
#include "rules/ticket.h"
#include "util/arena.h"
#include "util/tokenize.h"

/* T-6 as written in SPEC, independently of the table in ticket.c. */
static const char *const allowed_pairs[] = {"new>assigned",
					    "assigned>in_progress",
					    "in_progress>pending_customer",
					    "pending_customer>in_progress",
					    "in_progress>resolved",
					    "pending_customer>resolved",
					    "resolved>closed",
					    "resolved>reopened",
					    "closed>reopened",
					    "reopened>in_progress",
					    NULL};

static bool listed(enum kf_status from, enum kf_status to)
{
	char pair[64];
	snprintf(pair, sizeof pair, "%s>%s", kf_status_name(from), kf_status_name(to));
	for (const char *const *p = allowed_pairs; *p; p++)
		if (!strcmp(*p, pair))
			return true;
	return false;
}

static void every_pair_of_states_is_allowed_exactly_when_listed(void **s)
{
	int allowed = 0;
	for (int from = 0; from < KF_ST_COUNT; from++)
		for (int to = 0; to < KF_ST_COUNT; to++) {
			bool want = listed((enum kf_status)from, (enum kf_status)to);
			assert_int_equal(
			    kf_ticket_transition_allowed((enum kf_status)from, (enum kf_status)to),
			    want);
			allowed += want;
		}
	assert_int_equal(allowed, 10);
}

static void no_state_goes_to_itself_and_closed_only_reopens(void **s)
{
	for (int st = 0; st < KF_ST_COUNT; st++)
		assert_false(kf_ticket_transition_allowed((enum kf_status)st, (enum kf_status)st));
	enum kf_status next[KF_ST_COUNT];
	assert_int_equal(kf_ticket_next_states(KF_ST_CLOSED, next), 1);
	assert_int_equal(next[0], KF_ST_REOPENED);
	assert_false(kf_ticket_transition_allowed(KF_ST_NEW, KF_ST_CLOSED));
	assert_false(kf_ticket_transition_allowed((enum kf_status)99, KF_ST_NEW));
}

static void numbers_follow_prefix_date_and_four_digits(void **s)
{
	char out[32];
	kf_ticket_number("TS", 20261125, 1, out);
	assert_string_equal(out, "TS-20261125-0001");
	kf_ticket_number("ZX", 20261231, 9999, out);
	assert_string_equal(out, "ZX-20261231-9999");
	kf_ticket_number("ZX", 20261231, 10000, out);
	assert_string_equal(out, "ZX-20261231-10000");
}

static struct kf_policy *policy(const char *doc)
{
	struct kf_policy *p;
	struct kf_err err;
	assert_int_equal(kf_policy_parse(doc, strlen(doc), &p, &err), 0);
	return p;
}

static void prefixes_come_from_the_policy(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	assert_string_equal(kf_ticket_prefix(p, KF_TT_COMPLAINT), "TS");
	assert_string_equal(kf_ticket_prefix(p, KF_TT_SERVICE), "FW");
	kf_policy_unref(p);
}

static void vip_customers_and_major_complaints_are_critical(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	assert_int_equal(kf_ticket_priority(p, -1, "B", NULL), KF_PRI_NORMAL);
	assert_int_equal(kf_ticket_priority(p, KF_PRI_URGENT, "B", NULL), KF_PRI_URGENT);
	assert_int_equal(kf_ticket_priority(p, -1, "VIP", NULL), KF_PRI_CRITICAL);
	assert_int_equal(kf_ticket_priority(p, KF_PRI_NORMAL, "VIP", NULL), KF_PRI_CRITICAL);
	assert_int_equal(kf_ticket_priority(p, -1, "C", "major"), KF_PRI_CRITICAL);
	assert_int_equal(kf_ticket_priority(p, -1, "C", "crisis"), KF_PRI_CRITICAL);
	assert_int_equal(kf_ticket_priority(p, -1, "C", "general"), KF_PRI_NORMAL);
	kf_policy_unref(p);
}

#define HOUR 3600000LL
#define DAY  (24 * HOUR)

static int64_t due(const struct kf_deadline *d, int n, enum kf_deadline_kind k)
{
	for (int i = 0; i < n; i++)
		if (d[i].kind == k)
			return d[i].due_at;
	return -1;
}

static void complaints_get_callback_report_and_close_deadlines(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	struct kf_deadline d[KF_DL_COUNT];
	int64_t t0 = 1764000000000LL;
	int n = kf_ticket_deadlines(p, KF_TT_COMPLAINT, t0, t0, d);
	assert_int_equal(n, 4);
	assert_int_equal(due(d, n, KF_DL_REPLY), t0 + 24 * HOUR);  /* L-6 */
	assert_int_equal(due(d, n, KF_DL_CALLBACK), t0 + 2 * DAY); /* L-4 */
	assert_int_equal(due(d, n, KF_DL_REPORT), t0 + 3 * DAY);   /* L-7 */
	assert_int_equal(due(d, n, KF_DL_CLOSE), t0 + 6 * DAY);	   /* L-8 */
	n = kf_ticket_deadlines(p, KF_TT_INQUIRY, t0, t0, d);
	assert_int_equal(n, 1);
	kf_policy_unref(p);
}

static void service_work_is_due_for_dispatch_at_the_start_of_the_next_day(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	struct kf_deadline d[KF_DL_COUNT];
	int64_t midnight = 1764000000000LL, t0 = midnight + 15 * HOUR;
	int n = kf_ticket_deadlines(p, KF_TT_SERVICE, t0, midnight, d);
	assert_int_equal(due(d, n, KF_DL_DISPATCH), midnight + DAY); /* L-10 */
	kf_policy_unref(p);
}

static void deadlines_follow_the_policy_version(void **s)
{
	struct kf_policy *p = policy("deadlines:\n  l8_close_days: 5\n  l6_reply_hours: 8\n");
	struct kf_deadline d[KF_DL_COUNT];
	int n = kf_ticket_deadlines(p, KF_TT_COMPLAINT, 0, 0, d);
	assert_int_equal(due(d, n, KF_DL_CLOSE), 5 * DAY);
	assert_int_equal(due(d, n, KF_DL_REPLY), 8 * HOUR);
	kf_policy_unref(p);
}

static char *tokens(struct kf_arena *a, const char *text, bool query)
{
	return kf_tokenize_join(text, query, 0, a, NULL);
}

static void chinese_text_is_indexed_as_unigrams_and_bigrams(void **s)
{
	struct kf_arena a;
	kf_arena_init(&a);
	assert_string_equal(tokens(&a, "要求退货", false), "要 求 要求 退 求退 货 退货");
	assert_string_equal(tokens(&a, "退货", true), "退货");
	assert_string_equal(tokens(&a, "漏", true), "漏");
	assert_string_equal(tokens(&a, "漏水维修", true), "漏水 水维 维修");
	kf_arena_release(&a);
}

static void latin_words_digits_and_full_width_forms_fold(void **s)
{
	struct kf_arena a;
	kf_arena_init(&a);
	assert_string_equal(tokens(&a, "TS-20261125-0001", true), "ts 20261125 0001");
	assert_string_equal(tokens(&a, "ＡＢＣ１２３ Router", false), "abc123 router");
	assert_string_equal(tokens(&a, "空调E5故障", false), "空 调 空调 e5 故 障 故障");
	kf_arena_release(&a);
}

static void punctuation_alone_gives_no_token(void **s)
{
	struct kf_arena a;
	int n = -1;
	kf_arena_init(&a);
	assert_string_equal(kf_tokenize_join("！？。，…--//", true, 0, &a, &n), "");
	assert_int_equal(n, 0);
	kf_arena_release(&a);
}

static void tokens_are_distinct_and_capped(void **s)
{
	struct kf_arena a;
	int n;
	kf_arena_init(&a);
	assert_string_equal(kf_tokenize_join("aa bb aa bb", false, 0, &a, &n), "aa bb");
	assert_int_equal(n, 2);
	kf_tokenize_join("a b c d e f", true, 3, &a, &n);
	assert_int_equal(n, 3);
	/* A long text stays linear: 20 000 characters. */
	char *big = kf_arena_alloc(&a, 60001);
	for (int i = 0; i < 20000; i++)
		memcpy(big + 3 * i, "漏", 3);
	big[60000] = '\0';
	assert_string_equal(kf_tokenize_join(big, false, 0, &a, &n), "漏 漏漏");
	kf_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_pair_of_states_is_allowed_exactly_when_listed),
	    cmocka_unit_test(no_state_goes_to_itself_and_closed_only_reopens),
	    cmocka_unit_test(numbers_follow_prefix_date_and_four_digits),
	    cmocka_unit_test(prefixes_come_from_the_policy),
	    cmocka_unit_test(vip_customers_and_major_complaints_are_critical),
	    cmocka_unit_test(complaints_get_callback_report_and_close_deadlines),
	    cmocka_unit_test(service_work_is_due_for_dispatch_at_the_start_of_the_next_day),
	    cmocka_unit_test(deadlines_follow_the_policy_version),
	    cmocka_unit_test(chinese_text_is_indexed_as_unigrams_and_bigrams),
	    cmocka_unit_test(latin_words_digits_and_full_width_forms_fold),
	    cmocka_unit_test(punctuation_alone_gives_no_token),
	    cmocka_unit_test(tokens_are_distinct_and_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
