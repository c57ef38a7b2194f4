/* Fuzzes the strict reading of request bodies (util/json.h): kf_json_parse_body
 * and then kf_json_read with a field table that has every field type, limits,
 * nullable and optional members, and two levels of nested objects read with a
 * prefix ("customer.", "customer.address."), as handlers do.
 *
 * Invariants: a failure is KF_EBADREQ (parse) or KF_EINVALID naming a field
 * under the prefix in use; on success every required output is set, strings
 * respect their limits (and required ones are not blank), integers their
 * range, ids are positive and dates parse again. The body's UTF-8 check
 * (util/utf8.h) is compared with an independent validator, and kf_utf8_next
 * and kf_utf8_len must agree on valid text. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "util/arena.h"
#include "util/json.h"
#include "util/time.h"
#include "util/utf8.h"

/* Checked in every build type (assert() vanishes under NDEBUG). */
#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	kf_time_set_zone("Asia/Shanghai");
	return 0;
}

/* RFC 3629 well-formedness, written from Unicode's table 3-7 rather than from
 * kf_utf8_valid. */
static bool ref_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		uint8_t lo = 0x80, hi = 0xbf;
		size_t len;
		if (c <= 0x7f) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;
			if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;
			if (c == 0xf4)
				hi = 0x8f;
		} else {
			return false;
		}
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return false;
		i += len;
	}
	return true;
}

static void check_utf8(const uint8_t *data, size_t size)
{
	bool valid = kf_utf8_valid((const char *)data, size);
	CHECK(valid == ref_utf8_valid(data, size));
	if (!valid || memchr(data, 0, size))
		return;
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	size_t n = 0;
	for (const char *p = s; *p; n++) {
		uint32_t cp = kf_utf8_next(&p);
		CHECK(p <= s + size);
		CHECK(cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff));
		CHECK(!kf_utf8_is_cjk(cp) || cp >= 0x3400);
	}
	CHECK(n == kf_utf8_len(s));
	free(s);
}

/* A string output: within max code points and without the control characters
 * its type refuses. */
static void check_string(const char *s, size_t max, bool line)
{
	CHECK(kf_utf8_valid(s, strlen(s)));
	CHECK(kf_utf8_len(s) <= max);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		CHECK(*p != 0x7f);
		CHECK(*p >= 0x20 || (!line && (*p == '\n' || *p == '\t' || *p == '\r')));
	}
}

static bool blank(const char *s)
{
	return strspn(s, " \t\r\n") == strlen(s);
}

static bool field_starts_with(const struct kf_err *err, const char *prefix)
{
	return err->field[0] && !strncmp(err->field, prefix, strlen(prefix));
}

static void read_address(json_t *obj)
{
	const char *city = NULL, *street = NULL;
	struct kf_jfield f[] = {
	    {"city", KF_J_LINE, true, 40, &city},
	    {"street", KF_J_TEXT, false, 200, &street, NULL, true},
	    {0},
	};
	struct kf_err err = {0};
	int rc = kf_json_read(obj, f, "customer.address.", &err);
	if (rc) {
		CHECK(rc == KF_EINVALID);
		CHECK(field_starts_with(&err, "customer.address."));
		return;
	}
	CHECK(city && !blank(city));
	check_string(city, 40, true);
	if (street)
		check_string(street, 200, false);
}

static void read_customer(json_t *obj)
{
	const char *name = NULL, *phone = NULL, *since = NULL;
	int64_t id = 0, level = -1;
	json_t *address = NULL;
	bool has_address = false;
	struct kf_jfield f[] = {
	    {"name", KF_J_LINE, true, 64, &name},
	    {"phone", KF_J_LINE, false, 20, &phone},
	    {"id", KF_J_ID, false, 0, &id},
	    {"since", KF_J_DATE, false, 0, &since},
	    {"level", KF_J_INT, false, 0, &level, NULL, false, 0, 5},
	    {"address", KF_J_OBJECT, false, 0, &address, &has_address, true},
	    {0},
	};
	struct kf_err err = {0};
	int rc = kf_json_read(obj, f, "customer.", &err);
	if (rc) {
		CHECK(rc == KF_EINVALID);
		CHECK(field_starts_with(&err, "customer."));
		return;
	}
	CHECK(name && !blank(name));
	check_string(name, 64, true);
	if (phone)
		check_string(phone, 20, true);
	CHECK(json_object_get(obj, "id") ? id > 0 : id == 0);
	CHECK(level == -1 || (level >= 0 && level <= 5));
	int64_t ms;
	if (since)
		CHECK(kf_time_parse_date(since, &ms));
	CHECK(has_address == (json_object_get(obj, "address") != NULL));
	if (address) {
		CHECK(json_is_object(address));
		read_address(address);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_utf8(data, size);

	struct kf_arena arena;
	struct kf_err err = {0};
	json_t *body = NULL;
	kf_arena_init(&arena);
	int rc = kf_json_parse_body((const char *)data, size, &arena, &body, &err);
	if (rc) {
		CHECK(rc == KF_EBADREQ);
		goto out;
	}
	CHECK(json_is_object(body));

	const char *title = NULL, *note = NULL, *due = NULL;
	int64_t count = -1, id = 0, at = INT64_MIN;
	bool urgent = false, has_count = false, has_note = false;
	json_t *tags = NULL, *customer = NULL;
	struct kf_jfield f[] = {
	    {"title", KF_J_LINE, true, 10, &title},
	    {"note", KF_J_TEXT, false, 2000, &note, &has_note, true},
	    {"count", KF_J_INT, false, 0, &count, &has_count, false, 0, 100},
	    {"urgent", KF_J_BOOL, false, 0, &urgent},
	    {"tags", KF_J_ARRAY, false, 0, &tags},
	    {"customer", KF_J_OBJECT, false, 0, &customer},
	    {"due", KF_J_DATE, false, 0, &due},
	    {"at", KF_J_INSTANT, false, 0, &at},
	    {"id", KF_J_ID, false, 0, &id},
	    {0},
	};
	rc = kf_json_read(body, f, NULL, &err);
	if (rc) {
		CHECK(rc == KF_EINVALID);
		/* Only a member with an empty name gives an empty field. */
		CHECK(err.field[0] || json_object_get(body, ""));
		goto out;
	}
	CHECK(title && !blank(title));
	check_string(title, 10, true);
	if (note)
		check_string(note, 2000, false);
	CHECK(has_note == (json_object_get(body, "note") != NULL));
	CHECK(has_count == (json_object_get(body, "count") != NULL));
	CHECK(count == -1 || (count >= 0 && count <= 100));
	CHECK(!tags || json_is_array(tags));
	CHECK(json_object_get(body, "id") ? id > 0 : id == 0);
	int64_t ms;
	if (due)
		CHECK(kf_time_parse_date(due, &ms));
	if (at != INT64_MIN)
		CHECK(json_is_string(json_object_get(body, "at")));
	if (customer)
		read_customer(customer);

	size_t len;
	char *dump = kf_json_dump(body, &len);
	CHECK(len == strlen(dump));
	free(dump);
out:
	kf_arena_release(&arena);
	return 0;
}
