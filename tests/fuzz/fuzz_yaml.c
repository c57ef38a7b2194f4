/* Fuzzes kf_yaml_to_json (util/yaml.h), the reader of the policy document and
 * the OpenAPI description. Besides memory errors and leaks it checks that a
 * document read successfully, written back as JSON (which is YAML flow style),
 * reads back to an equal value: the scalar typing (integers, floats, booleans,
 * null, quoted strings) must be stable. That check is skipped for strings
 * that are not printable ASCII, whose escapes differ between JSON and YAML. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "util/yaml.h"

/* Checked in every build type (CHECK() vanishes under NDEBUG). */
#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/* Whether every string and key in v is printable ASCII. */
static bool plain_strings(const json_t *v)
{
	const char *key;
	json_t *val;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return printable(json_string_value(v), json_string_length(v));
	case JSON_ARRAY:
		for (size_t i = 0; i < json_array_size(v); i++)
			if (!plain_strings(json_array_get(v, i)))
				return false;
		return true;
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, val)
		{
			if (!printable(key, strlen(key)) || !plain_strings(val))
				return false;
		}
		return true;
	default:
		return true;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_err err = {0};
	json_t *doc = NULL;

	int rc = kf_yaml_to_json((const char *)data, size, &doc, &err);
	if (rc) {
		CHECK(rc == KF_EINVALID);
		CHECK(err.message[0]);
		return 0;
	}
	CHECK(doc);
	if (plain_strings(doc)) {
		char *text = json_dumps(doc, JSON_ENCODE_ANY);
		CHECK(text);
		json_t *again = NULL;
		rc = kf_yaml_to_json(text, strlen(text), &again, &err);
		if (rc || !json_equal(doc, again)) {
			fprintf(stderr, "invariant failed: YAML read back differently: %s\n  %s\n",
				text, rc ? err.message : "values differ");
			abort();
		}
		json_decref(again);
		free(text);
	}
	json_decref(doc);
	return 0;
}
