/* Unit tests for util/: buffers, arenas, UTF-8, time, strict JSON reading
 * (S-6), YAML, the search tokenizer's case folding (T-10). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "util/arena.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/time.h"
#include "util/tokenize.h"
#include "util/utf8.h"
#include "util/yaml.h"

static void buf_is_never_null_and_caps_stick(void **s)
{
	struct kf_buf b;
	kf_buf_init(&b, 8);
	assert_string_equal(b.data, "");
	kf_buf_adds(&b, "12345");
	kf_buf_adds(&b, "6789");
	assert_true(b.overflow);
	assert_string_equal(b.data, "12345");
	kf_buf_adds(&b, "x");
	assert_string_equal(b.data, "12345");
	kf_buf_release(&b);
	kf_buf_init(&b, 0);
	for (int i = 0; i < 1000; i++)
		kf_buf_addf(&b, "%d,", i);
	assert_false(b.overflow);
	assert_int_equal(strlen(b.data), b.len);
	kf_buf_release(&b);
}

static void buf_escapes_json(void **s)
{
	struct kf_buf b;
	kf_buf_init(&b, 0);
	kf_buf_add_json_str(&b, "a\"b\\c\nd\x01");
	assert_string_equal(b.data, "a\\\"b\\\\c\\nd\\u0001");
	kf_buf_release(&b);
}

static int deferred;
static void count(void *p)
{
	deferred += *(int *)p;
}

static void arena_serves_large_and_small_and_runs_defers(void **s)
{
	struct kf_arena a;
	kf_arena_init(&a);
	char *small = kf_arena_strdup(&a, "hello");
	char *big = kf_arena_alloc(&a, 100000);
	memset(big, 1, 100000);
	char *small2 = kf_arena_printf(&a, "%s-%d", small, 42);
	assert_string_equal(small2, "hello-42");
	int *n = kf_arena_alloc(&a, sizeof *n);
	*n = 7;
	deferred = 0;
	kf_arena_defer(&a, count, n);
	kf_arena_release(&a);
	assert_int_equal(deferred, 7);
}

static void utf8_rejects_overlongs_surrogates_and_truncation(void **s)
{
	assert_true(kf_utf8_valid("客服 ok", strlen("客服 ok")));
	assert_false(kf_utf8_valid("\xc0\xaf", 2));
	assert_false(kf_utf8_valid("\xed\xa0\x80", 3));
	assert_false(kf_utf8_valid("\xe5\xae", 2));
	assert_false(kf_utf8_valid("\xff", 1));
	assert_int_equal(kf_utf8_len("客服ab"), 4);
}

static void time_formats_with_the_zone_offset(void **s)
{
	assert_int_equal(kf_time_set_zone("Asia/Shanghai"), 0);
	char out[40];
	kf_time_format(1764000000000LL, out);
	assert_string_equal(out, "2025-11-25T00:00:00+08:00");
	kf_time_format(1764000000123LL, out);
	assert_string_equal(out, "2025-11-25T00:00:00.123+08:00");
	assert_int_equal(kf_time_local_ymd(1764000000000LL - 1), 20251124);
	assert_int_equal(kf_time_set_zone("Mars/Olympus"), -1);
	assert_int_equal(kf_time_set_zone("../etc/passwd"), -1);
}

static void time_parses_rfc3339_and_refuses_the_rest(void **s)
{
	int64_t ms;
	assert_true(kf_time_parse("2025-11-25T00:00:00+08:00", &ms));
	assert_int_equal(ms, 1764000000000LL);
	assert_true(kf_time_parse("2025-11-24T16:00:00Z", &ms));
	assert_int_equal(ms, 1764000000000LL);
	assert_true(kf_time_parse("2025-11-24T16:00:00.5Z", &ms));
	assert_int_equal(ms, 1764000000500LL);
	assert_false(kf_time_parse("2025-11-24T16:00:00", &ms));
	assert_false(kf_time_parse("2025-02-29T00:00:00Z", &ms));
	assert_false(kf_time_parse("2025-11-24 16:00:00Z", &ms));
	assert_false(kf_time_parse("2025-11-24T16:00:00+08:00x", &ms));
	assert_true(kf_time_parse_date("2024-02-29", &ms));
	assert_false(kf_time_parse_date("2026-13-01", &ms));
}

static json_t *parse(struct kf_arena *a, const char *text, struct kf_err *err)
{
	json_t *v = NULL;
	if (kf_json_parse_body(text, strlen(text), a, &v, err))
		return NULL;
	return v;
}

static void json_read_names_the_field(void **s)
{
	struct kf_arena a;
	struct kf_err err;
	kf_arena_init(&a);
	const char *name = NULL;
	int64_t n = 0;
	bool flag = false, has_flag = false;
	struct kf_jfield f[] = {
	    {"name", KF_J_LINE, true, 4, &name},
	    {"n", KF_J_INT, false, 0, &n, NULL, false, 1, 10},
	    {"flag", KF_J_BOOL, false, 0, &flag, &has_flag},
	    {0},
	};
	json_t *v = parse(&a, "{\"name\":\"客服\",\"n\":3}", &err);
	assert_int_equal(kf_json_read(v, f, NULL, &err), 0);
	assert_string_equal(name, "客服");
	assert_int_equal(n, 3);
	assert_false(has_flag);
	v = parse(&a, "{\"name\":\"abcde\"}", &err);
	assert_int_equal(kf_json_read(v, f, NULL, &err), KF_EINVALID);
	assert_string_equal(err.field, "name");
	v = parse(&a, "{\"name\":\"ab\",\"extra\":1}", &err);
	assert_int_equal(kf_json_read(v, f, "customer.", &err), KF_EINVALID);
	assert_string_equal(err.field, "customer.extra");
	v = parse(&a, "{\"name\":\"ab\",\"n\":11}", &err);
	assert_int_equal(kf_json_read(v, f, NULL, &err), KF_EINVALID);
	assert_string_equal(err.field, "n");
	v = parse(&a, "{\"name\":\"ab\",\"n\":1.5}", &err);
	assert_int_equal(kf_json_read(v, f, NULL, &err), KF_EINVALID);
	v = parse(&a, "{\"name\":\"  \"}", &err);
	assert_int_equal(kf_json_read(v, f, NULL, &err), KF_EINVALID);
	v = parse(&a, "{\"name\":null}", &err);
	assert_int_equal(kf_json_read(v, f, NULL, &err), KF_EINVALID);
	assert_null(parse(&a, "{\"a\":1,\"a\":2}", &err));
	assert_int_equal(err.code, KF_EBADREQ);
	assert_null(parse(&a, "[]", &err));
	assert_null(parse(&a, "", &err));
	kf_arena_release(&a);
}

static void yaml_resolves_scalars_and_refuses_aliases(void **s)
{
	struct kf_err err;
	json_t *v;
	const char *doc = "a: 1\nb: true\nc: '1'\nd: [x, 2]\ne: ~\nf: 1.5\n";
	assert_int_equal(kf_yaml_to_json(doc, strlen(doc), &v, &err), 0);
	assert_true(json_is_integer(json_object_get(v, "a")));
	assert_true(json_is_true(json_object_get(v, "b")));
	assert_true(json_is_string(json_object_get(v, "c")));
	assert_int_equal(json_array_size(json_object_get(v, "d")), 2);
	assert_true(json_is_null(json_object_get(v, "e")));
	assert_true(json_is_real(json_object_get(v, "f")));
	json_decref(v);
	const char *alias = "a: &x 1\nb: *x\n";
	assert_int_equal(kf_yaml_to_json(alias, strlen(alias), &v, &err), KF_EINVALID);
	const char *dup = "a: 1\na: 2\n";
	assert_int_equal(kf_yaml_to_json(dup, strlen(dup), &v, &err), KF_EINVALID);
	const char *broken = "a: [1, 2\n";
	assert_int_equal(kf_yaml_to_json(broken, strlen(broken), &v, &err), KF_EINVALID);
	assert_non_null(strstr(err.message, "line"));
}

static void put_cp(char *out, unsigned cp)
{
	/* U+0080 … U+07FF: two bytes; U+0800 … U+FFFF: three. */
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		out[2] = '\0';
	} else {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		out[3] = '\0';
	}
}

/* T-10: the tokenizer folds Latin capitals beyond Latin-1 itself. SQLite's
 * unicode61 folds them when it indexes, PostgreSQL takes the tokens as they
 * are, so a capital left to the engines made "ŁÓDŹ" findable as "łódź" on
 * SQLite only. */
static void tokenizer_folds_latin_extended_capitals(void **s)
{
	struct kf_arena a;
	kf_arena_init(&a);
	assert_string_equal(kf_tokenize_join("ŁÓDŹ Ĳssel ŐRSÉG", false, 0, &a, NULL),
			    "łódź ĳssel őrség");
	assert_string_equal(kf_tokenize_join("łódź", true, 0, &a, NULL),
			    kf_tokenize_join("ŁÓDŹ", true, 0, &a, NULL));
	/* Title-case digraphs, and capitals whose small letters lie outside the
	 * block (IPA Extensions, Latin-1, Latin Extended-C): one word each. */
	assert_string_equal(kf_tokenize_join("ǄEMAL ǅemal", false, 0, &a, NULL), "ǆemal");
	assert_string_equal(kf_tokenize_join("ƁƆƐ", false, 0, &a, NULL), "ɓɔɛ");
	assert_string_equal(kf_tokenize_join("ŸȺȾ", false, 0, &a, NULL), "ÿⱥⱦ");
	/* As SQLite's unicode61 folds them. */
	assert_string_equal(kf_tokenize_join("İstanbul ſtraße", false, 0, &a, NULL),
			    "istanbul straße");
	/* Every letter of Latin-1, Latin Extended-A and -B and IPA Extensions is
	 * a word of its own, and its token is already folded: read again, it
	 * gives itself back. */
	for (unsigned cp = 0xc0; cp <= 0x2af; cp++) {
		if (cp == 0xd7 || cp == 0xf7)
			continue;
		char in[4];
		int n = 0;
		put_cp(in, cp);
		const char *tok = kf_tokenize_join(in, false, 0, &a, &n);
		assert_int_equal(n, 1);
		assert_string_equal(kf_tokenize_join(tok, false, 0, &a, NULL), tok);
	}
	kf_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(buf_is_never_null_and_caps_stick),
	    cmocka_unit_test(buf_escapes_json),
	    cmocka_unit_test(arena_serves_large_and_small_and_runs_defers),
	    cmocka_unit_test(utf8_rejects_overlongs_surrogates_and_truncation),
	    cmocka_unit_test(time_formats_with_the_zone_offset),
	    cmocka_unit_test(time_parses_rfc3339_and_refuses_the_rest),
	    cmocka_unit_test(json_read_names_the_field),
	    cmocka_unit_test(yaml_resolves_scalars_and_refuses_aliases),
	    cmocka_unit_test(tokenizer_folds_latin_extended_capitals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
