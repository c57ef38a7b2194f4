/* Unit tests for util/: buffers, arenas, UTF-8, time, strict JSON reading
 * (S-6), YAML, the JSON writer, the ticket view written with it, and the
 * search tokenizer's case folding (T-10). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "app/app.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/json.h"
#include "util/jsonw.h"
#include "util/spare.h"
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

/* The escapes are jansson's, byte for byte: every control character, the
 * quote, the backslash, and what is left alone (/, DEL, CJK, 4-byte). */
static void buf_escapes_json_as_jansson_does(void **s)
{
	char in[64];
	size_t n = 0;
	for (int c = 1; c < 0x20; c++)
		in[n++] = (char)c;
	memcpy(in + n, "\"\\/\x7f客\xf0\x9f\x98\x80", 12);
	in[n + 12] = '\0';
	json_t *str = json_string(in);
	assert_non_null(str);
	char *want = json_dumps(str, JSON_ENCODE_ANY);
	struct kf_buf b;
	kf_buf_init(&b, 0);
	kf_buf_addc(&b, '"');
	kf_buf_add_json_str(&b, in);
	kf_buf_addc(&b, '"');
	assert_string_equal(b.data, want);
	assert_non_null(strstr(b.data, "\\b\\t\\n\\u000B\\f\\r\\u000E"));
	free(want);
	json_decref(str);
	kf_buf_release(&b);
}

/* Malformed UTF-8 (which jansson refuses outright) becomes U+FFFD, one per
 * bad sequence, and the output stays valid UTF-8. */
static void buf_replaces_malformed_utf8(void **s)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"a\xff", "a\xef\xbf\xbd"},
	    {"\xe5\xae", "\xef\xbf\xbd"},			  /* cut short at the end */
	    {"\xe5\xaex", "\xef\xbf\xbdx"},			  /* cut short before ASCII */
	    {"\xc0\xaf/", "\xef\xbf\xbd/"},			  /* overlong */
	    {"\xe0\x80\xaf!", "\xef\xbf\xbd!"},			  /* overlong in three bytes */
	    {"\xed\xa0\x80!", "\xef\xbf\xbd!"},			  /* surrogate */
	    {"\x80\x80\x80\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd"}, /* stray continuations */
	    {"\xf4\x90\x80\x80", "\xef\xbf\xbd"},		  /* above U+10FFFF */
	    {"客\xe5服", "客\xef\xbf\xbd\xe6\x9c\x8d"}, /* a lead byte before a character */
	    /* The edges of the three-byte range are kept: U+0800, U+D7FF,
	     * U+E000, U+FFFF. */
	    {"\xe0\xa0\x80\xed\x9f\xbf", "\xe0\xa0\x80\xed\x9f\xbf"},
	    {"\xee\x80\x80\xef\xbf\xbf", "\xee\x80\x80\xef\xbf\xbf"},
	    {"\xed\xbf\xbf!", "\xef\xbf\xbd!"}, /* the last surrogate */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct kf_buf b;
		kf_buf_init(&b, 0);
		kf_buf_add_json_str(&b, cases[i].in);
		assert_string_equal(b.data, cases[i].out);
		assert_true(kf_utf8_valid(b.data, b.len));
		kf_buf_release(&b);
	}
}

static void jsonw_places_commas_and_writes_every_kind(void **s)
{
	struct kf_jsonw w;
	kf_jsonw_init(&w);
	kf_jsonw_obj_begin(&w);
	kf_jsonw_kstr(&w, "s", "x\"y");
	kf_jsonw_kstr(&w, "none", NULL);
	kf_jsonw_kint(&w, "min", INT64_MIN);
	kf_jsonw_kint(&w, "max", INT64_MAX);
	kf_jsonw_kint(&w, "zero", 0);
	kf_jsonw_key(&w, "id");
	kf_jsonw_int_str(&w, 42);
	kf_jsonw_kbool(&w, "t", true);
	kf_jsonw_kbool(&w, "f", false);
	kf_jsonw_key(&w, "empty");
	kf_jsonw_obj_begin(&w);
	kf_jsonw_obj_end(&w);
	kf_jsonw_key(&w, "a");
	kf_jsonw_arr_begin(&w);
	kf_jsonw_null(&w);
	kf_jsonw_arr_begin(&w);
	kf_jsonw_arr_end(&w);
	kf_jsonw_int(&w, -7);
	kf_jsonw_obj_begin(&w);
	kf_jsonw_kstr(&w, "k", "v");
	kf_jsonw_obj_end(&w);
	kf_jsonw_str(&w, "客服");
	kf_jsonw_arr_end(&w);
	json_t *v = json_pack("{s:i, s:[s, n]}", "b", 1, "a", "z");
	kf_jsonw_key(&w, "jansson");
	kf_jsonw_value(&w, v);
	json_decref(v);
	kf_jsonw_key(&w, "nothing");
	kf_jsonw_value(&w, NULL);
	kf_jsonw_obj_end(&w);
	const char *want = "{\"s\":\"x\\\"y\",\"none\":null,\"min\":-9223372036854775808,"
			   "\"max\":9223372036854775807,\"zero\":0,\"id\":\"42\",\"t\":true,"
			   "\"f\":false,\"empty\":{},\"a\":[null,[],-7,{\"k\":\"v\"},\"客服\"],"
			   "\"jansson\":{\"b\":1,\"a\":[\"z\",null]},\"nothing\":null}";
	assert_string_equal(kf_jsonw_text(&w), want);
	json_error_t je;
	json_t *parsed = json_loads(kf_jsonw_text(&w), 0, &je);
	assert_non_null(parsed);
	json_decref(parsed);
	size_t len;
	void (*free_fn)(void *);
	char *text = kf_jsonw_detach(&w, &len, &free_fn);
	assert_int_equal(len, strlen(want));
	assert_string_equal(kf_jsonw_text(&w), "");
	free_fn(text);
	kf_jsonw_release(&w);
}

static int deferred;
static void count(void *p)
{
	deferred += *(int *)p;
}

/* A thread's spare blocks (util/spare.h) come back for the size they were
 * given with and never for another; what a thread keeps is freed when it
 * ends, and what it cannot keep at once (the sanitizer run finds a leak
 * otherwise). */
static void *spare_round(void *arg)
{
	(void)arg;
	void *given[12];
	for (int i = 0; i < 12; i++)
		given[i] = kf_spare_take(3000);
	for (int i = 0; i < 12; i++)
		kf_spare_give(given[i], 3000);
	void *other = kf_spare_take(5000);
	for (int i = 0; i < 12; i++)
		assert_ptr_not_equal(other, given[i]);
	memset(other, 1, 5000);
	kf_spare_give(other, 5000);
	assert_ptr_equal(kf_spare_take(5000), other);
	void *again = kf_spare_take(3000);
	bool kept = false;
	for (int i = 0; i < 12; i++)
		kept |= again == given[i];
	assert_true(kept);
	memset(again, 2, 3000);
	free(again);
	free(other);
	return NULL;
}

static void spare_blocks_come_back_by_size(void **s)
{
	(void)s;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, spare_round, NULL), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	spare_round(NULL);
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

/* What libc says, written as kf_time_format writes (an offset with seconds,
 * old local mean time, in UTC). */
static void format_with_libc(int64_t ms, char out[64])
{
	time_t sec = (time_t)(ms / 1000 - (ms % 1000 < 0));
	int milli = (int)(ms - (int64_t)sec * 1000);
	struct tm tm;
	localtime_r(&sec, &tm);
	long off = tm.tm_gmtoff;
	bool lmt = off % 60 != 0;
	if (lmt)
		gmtime_r(&sec, &tm);
	size_t n = strftime(out, 64, "%Y-%m-%dT%H:%M:%S", &tm);
	if (milli)
		n += (size_t)snprintf(out + n, 64 - n, ".%03d", milli);
	if (lmt)
		snprintf(out + n, 64 - n, "Z");
	else
		snprintf(out + n, 64 - n, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600,
			 labs(off) / 60 % 60);
}

/* P-3: the offset kf_time_format writes is libc's for every instant, in zones
 * with a steady offset for decades (where it is not asked each time), with
 * daylight saving time, with half hours, and with local mean time. */
static void time_format_agrees_with_libc(void **s)
{
	static const char *const zones[] = {"Asia/Shanghai", "Europe/Berlin", "America/New_York",
					    "Asia/Kolkata", "UTC"};
	uint64_t x = 88172645463325252ULL;
	for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
		assert_int_equal(kf_time_set_zone(zones[z]), 0);
		for (int i = 0; i < 4000; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* 1900-01-02 to 2100, milliseconds or whole seconds. */
			int64_t ms = -2208902400000LL + (int64_t)(x % 6311433600000ULL);
			if (i % 2)
				ms -= ms % 1000;
			char got[40], want[64];
			kf_time_format(ms, got);
			format_with_libc(ms, want);
			if (strcmp(got, want))
				fail_msg("%s at %lld: %s, libc %s", zones[z], (long long)ms, got,
					 want);
		}
	}
	assert_int_equal(kf_time_set_zone("Asia/Shanghai"), 0);
	char out[40];
	kf_time_format(583718400000LL, out); /* 1988-07-01T00:00Z: China's summer time */
	assert_string_equal(out, "1988-07-01T09:00:00+09:00");
	kf_time_format(1751328000000LL, out); /* 2025-07-01T00:00Z */
	assert_string_equal(out, "2025-07-01T08:00:00+08:00");
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

/* Stored JSON text comes out as json_dumps(json_loads(text)) would write it,
 * whether it is copied (the canonical form kefu stores) or parsed; what does
 * not parse, or is not the array asked for, is left to the caller. */
static void jsonw_stored_text_is_what_jansson_would_dump(void **s)
{
	static const char *const texts[] = {
	    "{\"model\":\"KFR-35\",\"spec\":\"1.5匹\"}",
	    "[\"老客户\",\"vip\"]",
	    "{}",
	    "[]",
	    "{\"a\":\"x\\\"y\\\\z\\n\\u001F\\u0001\"}",
	    "{ \"spaced\" : \"out\" }",
	    "{\"escaped\":\"\\u00e9\\/\"}",
	    "{\"lower\":\"\\u001f\"}",
	    "{\"long\":\"\\u000A\"}",
	    "{\"twice\":\"1\",\"twice\":\"2\"}",
	    "{\"n\":1,\"b\":true,\"o\":{\"x\":[1,2.5]}}",
	    "[1,\"a\"]",
	    "{\"cut\":\"\\u00",
	    "{\"bad\":\"\xff\"}",
	    "{\"a\":\"b\"}x",
	    "\"just a string\"",
	    "not json",
	    "",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		for (int array_only = 0; array_only < 2; array_only++) {
			json_error_t je;
			json_t *v = json_loads(texts[i], 0, &je);
			bool ok = v && (!array_only || json_is_array(v));
			char *want = ok ? json_dumps(v, JSON_COMPACT) : NULL;
			struct kf_jsonw w;
			kf_jsonw_init(&w);
			kf_jsonw_arr_begin(&w);
			assert_int_equal(kf_jsonw_stored(&w, texts[i], array_only), ok);
			if (ok) {
				assert_string_equal(kf_jsonw_text(&w) + 1, want);
			} else {
				assert_string_equal(kf_jsonw_text(&w), "[");
			}
			kf_jsonw_arr_end(&w);
			free(want);
			json_decref(v);
			kf_jsonw_release(&w);
		}
	}
}

/* The ticket view JSON of GET /api/v1/tickets/{id} (docs/api.md): three
 * tickets (masked and revealed customers, contact as phone and e-mail, a
 * product that is and one that is not JSON, tags that are not an array,
 * deadlines met and overdue, control characters and CJK in the text). */
static struct kf_ticket_deadline golden_dl[] = {
    {7, "reply", 1732500000123LL, 1732490000000LL, 0},
    {7, "close", 1732700000000LL, 0, 1732700060000LL},
    {7, "callback", 1732900000999LL, 0, 0},
};

static void golden_views(struct kf_ticket_view v[3])
{
	memset(v, 0, 3 * sizeof *v);
	struct kf_ticket *t = &v[0].t;
	t->id = 7;
	t->number = "TS20241125-0042";
	t->type = "complaint";
	t->channel = "phone";
	t->contact = "13812345678";
	t->subject = "空调漏水 \"急\" \\ / tab\there";
	t->description = "第一行\n第二行\r\n\b\f\x01\x1f\x7f end 😀 é";
	t->customer_id = 99;
	t->status = "in_progress";
	t->priority = "urgent";
	t->owner_id = 3;
	t->assignee_id = 4;
	t->escalated_to = "supervisor";
	t->product = "{\"model\":\"KFR-35\",\"purchased_on\":\"2024-05-01\",\"spec\":\"1.5匹\"}";
	t->service_class = "paid";
	t->overdue = true;
	t->next_due_at = 1732700000000LL;
	t->policy_version = 2;
	t->created_at = 1732480000000LL;
	t->updated_at = 1732490000456LL;
	t->version = 5;
	t->customer_name = "张三";
	v[0].deadlines = golden_dl;
	v[0].ndeadlines = 3;
	struct kf_customer *c = &v[0].customer;
	c->id = 99;
	c->name = "张三";
	c->phone = "13812345678";
	c->alt_phone = "01062345678";
	c->email = "zhang.san@example.com";
	c->address = "北京市朝阳区建国路88号";
	c->company = "某某公司";
	c->grade = "VIP";
	c->birthday = "1980-02-29";
	c->id_number = "11010519491231002X";
	c->notes = "prefers \"morning\" calls";
	c->tags = "[\"vip\",\"北京\"]";
	c->last_callback_at = 1732000000000LL;
	c->created_at = 1600000000000LL;
	c->updated_at = 1700000000001LL;
	c->version = 3;
	v[0].customer_revealed = false;

	t = &v[1].t;
	t->id = 8;
	t->number = "ZX20241125-0001";
	t->type = "inquiry";
	t->channel = "web";
	t->subject = "s";
	t->description = "d";
	t->customer_id = 100;
	t->status = "new";
	t->priority = "normal";
	t->owner_id = 3;
	t->policy_version = 1;
	t->created_at = 1732480000000LL;
	t->updated_at = 1732480000000LL;
	t->version = 1;
	t->customer_name = "Li";
	c = &v[1].customer;
	c->id = 100;
	c->name = "Li";
	c->grade = "C";
	c->created_at = 1732480000000LL;
	c->updated_at = 1732480000000LL;
	c->version = 1;
	v[1].customer_revealed = true;

	t = &v[2].t;
	t->id = 9;
	t->number = "WX20241125-0002";
	t->type = "repair";
	t->channel = "chat";
	t->contact = "someone@example.org";
	t->subject = "closed one";
	t->description = "x";
	t->customer_id = 101;
	t->status = "closed";
	t->priority = "critical";
	t->owner_id = 5;
	t->product = "{not json";
	t->resolved_at = 1732490000000LL;
	t->closed_at = 1732590000000LL;
	t->created_at = 1732480000000LL;
	t->updated_at = 1732590000000LL;
	t->policy_version = 3;
	t->version = 9;
	c = &v[2].customer;
	c->id = 101;
	c->name = "Wang";
	c->phone = "+8613812345678";
	c->grade = "A";
	c->tags = "{\"not\":\"array\"}";
	c->created_at = 1732480000000LL;
	c->updated_at = 1732480000000LL;
	c->version = 2;
	v[2].customer_revealed = true;
}

/* What kf_app_ticket_json (jansson tree, json_dumps JSON_COMPACT) gave for
 * golden_views before the ticket view was written straight into a buffer,
 * with the members added since (review_rating, L-9; parent_id and
 * complaint, K-1 … K-6). */
static const char *const golden_json[] = {
    "{\"id\":\"7\",\"number\":\"TS20241125-0042\",\"type\":\"complaint\",\"channe"
    "l\":\"phone\",\"subject\":\"空调漏水 \\\"急\\\" \\\\ / tab\\there\",\"status\":\""
    "in_progress\",\"priority\":\"urgent\",\"customer_id\":\"99\",\"customer_name"
    "\":\"张三\",\"owner_id\":\"3\",\"assignee_id\":\"4\",\"escalated_to\":\"superv"
    "isor\",\"overdue\":true,\"next_due_at\":\"2024-11-27T17:33:20+08:00\",\"crea"
    "ted_at\":\"2024-11-25T04:26:40+08:00\",\"updated_at\":\"2024-11-25T07:13:20."
    "456+08:00\",\"version\":5,\"contact\":\"138****5678\",\"description\":\"第一行"
    "\\n第二行\\r\\n\\b\\f\\u0001\\u001F\177 end 😀 é\",\"customer\":{\"id\":\"99\","
    "\"name\":\"张三\",\"phone\":\"138****5678\",\"alt_phone\":\"010****5678\",\"em"
    "ail\":\"z***@example.com\",\"address\":\"北京市朝阳区****\",\"id_number\":\"110***"
    "*****002X\",\"company\":\"某某公司\",\"grade\":\"VIP\",\"birthday\":\"1980-02-29"
    "\",\"tags\":[\"vip\",\"北京\"],\"notes\":\"prefers \\\"morning\\\" calls\",\"l"
    "ast_callback_at\":\"2024-11-19T15:06:40+08:00\",\"masked\":true,\"created_at"
    "\":\"2020-09-13T20:26:40+08:00\",\"updated_at\":\"2023-11-15T06:13:20.001+08"
    ":00\",\"version\":3},\"product\":{\"model\":\"KFR-35\",\"purchased_on\":\"20"
    "24-05-01\",\"spec\":\"1.5匹\"},\"service_class\":\"paid\",\"review_rating\":n"
    "ull,\"resolved_at\":null,\"closed_at\":null,\"policy_version\":2,\"deadlines"
    "\":[{\"kind\":\"reply\",\"rule\":\"L-6\",\"due_at\":\"2024-11-25T10:00:00.12"
    "3+08:00\",\"met_at\":\"2024-11-25T07:13:20+08:00\",\"overdue_at\":null},{\"k"
    "ind\":\"close\",\"rule\":\"L-8\",\"due_at\":\"2024-11-27T17:33:20+08:00\",\""
    "met_at\":null,\"overdue_at\":\"2024-11-27T17:34:20+08:00\"},{\"kind\":\"call"
    "back\",\"rule\":\"L-4\",\"due_at\":\"2024-11-30T01:06:40.999+08:00\",\"met_a"
    "t\":null,\"overdue_at\":null}],\"allowed_transitions\":[\"pending_customer\""
    ",\"resolved\"],\"parent_id\":null,\"complaint\":null}",
    "{\"id\":\"8\",\"number\":\"ZX20241125-0001\",\"type\":\"inquiry\",\"channel"
    "\":\"web\",\"subject\":\"s\",\"status\":\"new\",\"priority\":\"normal\",\"cu"
    "stomer_id\":\"100\",\"customer_name\":\"Li\",\"owner_id\":\"3\",\"assignee_i"
    "d\":null,\"escalated_to\":null,\"overdue\":false,\"next_due_at\":null,\"crea"
    "ted_at\":\"2024-11-25T04:26:40+08:00\",\"updated_at\":\"2024-11-25T04:26:40+"
    "08:00\",\"version\":1,\"contact\":null,\"description\":\"d\",\"customer\":{"
    "\"id\":\"100\",\"name\":\"Li\",\"phone\":null,\"alt_phone\":null,\"email\":n"
    "ull,\"address\":null,\"id_number\":null,\"company\":null,\"grade\":\"C\",\"b"
    "irthday\":null,\"tags\":[],\"notes\":null,\"last_callback_at\":null,\"masked"
    "\":false,\"created_at\":\"2024-11-25T04:26:40+08:00\",\"updated_at\":\"2024-"
    "11-25T04:26:40+08:00\",\"version\":1},\"product\":null,\"service_class\":nul"
    "l,\"review_rating\":null,\"resolved_at\":null,\"closed_at\":null,\"policy_ve"
    "rsion\":1,\"deadlines\":[],\"allowed_transitions\":[\"assigned\"],\"parent_i"
    "d\":null,\"complaint\":null}",
    "{\"id\":\"9\",\"number\":\"WX20241125-0002\",\"type\":\"repair\",\"channel\""
    ":\"chat\",\"subject\":\"closed one\",\"status\":\"closed\",\"priority\":\"cr"
    "itical\",\"customer_id\":\"101\",\"customer_name\":null,\"owner_id\":\"5\","
    "\"assignee_id\":null,\"escalated_to\":null,\"overdue\":false,\"next_due_at\""
    ":null,\"created_at\":\"2024-11-25T04:26:40+08:00\",\"updated_at\":\"2024-11-"
    "26T11:00:00+08:00\",\"version\":9,\"contact\":\"someone@example.org\",\"desc"
    "ription\":\"x\",\"customer\":{\"id\":\"101\",\"name\":\"Wang\",\"phone\":\"+"
    "8613812345678\",\"alt_phone\":null,\"email\":null,\"address\":null,\"id_numb"
    "er\":null,\"company\":null,\"grade\":\"A\",\"birthday\":null,\"tags\":[],\"n"
    "otes\":null,\"last_callback_at\":null,\"masked\":false,\"created_at\":\"2024"
    "-11-25T04:26:40+08:00\",\"updated_at\":\"2024-11-25T04:26:40+08:00\",\"versi"
    "on\":2},\"product\":null,\"service_class\":null,\"review_rating\":null,\"res"
    "olved_at\":\"2024-11-25T07:13:20+08:00\",\"closed_at\":\"2024-11-26T11:00:00"
    "+08:00\",\"policy_version\":3,\"deadlines\":[],\"allowed_transitions\":[\"re"
    "opened\"],\"parent_id\":null,\"complaint\":null}",
};

static void ticket_view_json_is_what_the_jansson_version_wrote(void **s)
{
	struct kf_ticket_view v[3];
	assert_int_equal(kf_time_set_zone("Asia/Shanghai"), 0);
	golden_views(v);
	for (int i = 0; i < 3; i++) {
		struct kf_jsonw w;
		kf_jsonw_init(&w);
		kf_app_ticket_write(&w, &v[i]);
		assert_string_equal(kf_jsonw_text(&w), golden_json[i]);
		kf_jsonw_release(&w);
	}
	/* The customer inside it, also as a jansson value (customer answers). */
	json_t *cu = kf_app_customer_json(&v[0].customer, false);
	assert_string_equal(json_string_value(json_object_get(cu, "phone")), "138****5678");
	assert_true(json_is_true(json_object_get(cu, "masked")));
	assert_int_equal(json_array_size(json_object_get(cu, "tags")), 2);
	json_decref(cu);
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

/* T-10: Greek letters separate words, so no token of a query or of an
 * indexed text holds one; the search index's type tokens (ω and the type's
 * name, migration 019) are therefore out of reach of both. */
static void tokenizer_never_gives_the_type_tokens(void **s)
{
	(void)s;
	struct kf_arena a;
	kf_arena_init(&a);
	for (int query = 0; query < 2; query++) {
		assert_string_equal(kf_tokenize_join("ωrepair", query, 0, &a, NULL), "repair");
		assert_string_equal(kf_tokenize_join("Ωrepair ώinquiry", query, 0, &a, NULL),
				    "repair inquiry");
	}
	kf_arena_release(&a);
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

/* A session token's hash, remembered per thread, is always the SHA-256 of
 * that token: on a repeat, and when another token takes the same entry. */
static void token_hash_is_the_tokens_sha256_also_when_remembered(void **s)
{
	assert_int_equal(kf_crypto_init(), 0);
	char a[KF_TOKEN_LEN + 1], b[KF_TOKEN_LEN + 1];
	kf_crypto_token(a);
	memcpy(b, a, sizeof b);
	b[KF_TOKEN_LEN - 1] = b[KF_TOKEN_LEN - 1] == 'A' ? 'B' : 'A'; /* same entry, other token */
	const char *order[] = {a, a, b, a, b, b};
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		char got[KF_SHA256_HEX_LEN + 1], want[KF_SHA256_HEX_LEN + 1];
		kf_crypto_token_hash_hex(order[i], got);
		kf_crypto_sha256_hex(order[i], KF_TOKEN_LEN, want);
		assert_string_equal(got, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(token_hash_is_the_tokens_sha256_also_when_remembered),
	    cmocka_unit_test(buf_is_never_null_and_caps_stick),
	    cmocka_unit_test(buf_escapes_json),
	    cmocka_unit_test(buf_escapes_json_as_jansson_does),
	    cmocka_unit_test(buf_replaces_malformed_utf8),
	    cmocka_unit_test(jsonw_places_commas_and_writes_every_kind),
	    cmocka_unit_test(jsonw_stored_text_is_what_jansson_would_dump),
	    cmocka_unit_test(spare_blocks_come_back_by_size),
	    cmocka_unit_test(arena_serves_large_and_small_and_runs_defers),
	    cmocka_unit_test(utf8_rejects_overlongs_surrogates_and_truncation),
	    cmocka_unit_test(time_formats_with_the_zone_offset),
	    cmocka_unit_test(time_format_agrees_with_libc),
	    cmocka_unit_test(time_parses_rfc3339_and_refuses_the_rest),
	    cmocka_unit_test(json_read_names_the_field),
	    cmocka_unit_test(yaml_resolves_scalars_and_refuses_aliases),
	    cmocka_unit_test(ticket_view_json_is_what_the_jansson_version_wrote),
	    cmocka_unit_test(tokenizer_folds_latin_extended_capitals),
	    cmocka_unit_test(tokenizer_never_gives_the_type_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
