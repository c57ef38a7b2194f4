/* Fuzzes the policy document parser, kf_policy_parse (rules/policy.h): YAML,
 * shape against the default, merge, presets, rules and cross-field rules.
 *
 * Invariants: a refusal is KF_EINVALID (never KF_EINTERNAL, which would mean
 * that a document can reach a value no rule in policy.c covers, or that the
 * default broke) with a message and *out left NULL; an accepted policy
 * answers the typed lookups handlers rely on within their ranges, and its
 * effective values, given back as a document, are accepted again and give the
 * same values (applying a policy to itself changes nothing). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "rules/policy.h"
#include "util/log.h"

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
	kf_log_set_level(KF_LOG_ERROR);
	return 0;
}

/* Whether a string holds a character that YAML reads differently from JSON
 * inside double quotes (line and paragraph separators, NEL, BOM, C1
 * controls), so that the JSON text of the values is not the same document. */
static bool yaml_unsafe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return true;
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			return true;
		if (p[0] == 0xef && ((p[1] == 0xbb && p[2] == 0xbf) ||
				     (p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))))
			return true;
	}
	return false;
}

static bool round_trippable(const json_t *v)
{
	const char *key;
	json_t *val;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return strlen(json_string_value(v)) == json_string_length(v) &&
		       !yaml_unsafe(json_string_value(v));
	case JSON_ARRAY:
		for (size_t i = 0; i < json_array_size(v); i++)
			if (!round_trippable(json_array_get(v, i)))
				return false;
		return true;
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, val)
		{
			if (yaml_unsafe(key) || !round_trippable(val))
				return false;
		}
		return true;
	default:
		return true;
	}
}

static void check_accepted(struct kf_policy *p)
{
	const json_t *values = kf_policy_values(p);
	CHECK(json_is_object(values));
	int64_t min_len = kf_policy_int(p, "security.password.min_length");
	CHECK(min_len >= 8 && min_len <= 128);
	CHECK(kf_policy_int(p, "deadlines.l8_close_days") >= 1);
	CHECK(kf_policy_int(p, "complaints.approval.manager_up_to_fen") <
	      kf_policy_int(p, "complaints.approval.gm_from_fen"));
	CHECK(kf_policy_int(p, "security.login_throttle.slow_down_after_failures") <
	      kf_policy_int(p, "security.login_throttle.lock_account_after_failures"));
	CHECK(kf_policy_str(p, "timezone")[0]);
	CHECK(kf_policy_str(p, "workforce.shifts.preset")[0]);
	(void)kf_policy_bool(p, "security.sign_in.only_on_shift");
	CHECK(kf_policy_get(p, "no.such.key") == NULL);

	struct kf_policy *q = kf_policy_ref(p);
	CHECK(q == p);
	kf_policy_unref(q);

	if (!round_trippable(values))
		return;
	char *text = json_dumps(values, 0);
	CHECK(text);
	struct kf_policy *again = NULL;
	struct kf_err err = {0};
	int rc = kf_policy_parse(text, strlen(text), &again, &err);
	if (rc) {
		fprintf(stderr,
			"invariant failed: the effective values of an accepted policy are refused: "
			"%d %s [%s]\n",
			rc, err.message, err.field);
		abort();
	}
	if (!json_equal(values, kf_policy_values(again))) {
		char *second = json_dumps(kf_policy_values(again), JSON_SORT_KEYS);
		fprintf(stderr,
			"invariant failed: applying a policy to itself changed it:\n%s\n%s\n", text,
			second);
		abort();
	}
	kf_policy_unref(again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_policy *p = (struct kf_policy *)1;
	struct kf_err err = {0};

	int rc = kf_policy_parse((const char *)data, size, &p, &err);
	if (rc) {
		if (rc != KF_EINVALID) {
			fprintf(
			    stderr,
			    "invariant failed: policy refused with %d, not KF_EINVALID: %s [%s]\n",
			    rc, err.message, err.field);
			abort();
		}
		CHECK(p == NULL);
		CHECK(err.message[0]);
		return 0;
	}
	CHECK(p);
	check_accepted(p);
	kf_policy_unref(p);
	return 0;
}
