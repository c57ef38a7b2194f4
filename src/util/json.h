/* Reading request bodies strictly: a body must be a JSON object whose members
 * are all known, of the right type and within limits. The first problem found
 * becomes a kf_err naming the field (S-6). Strings are returned as pointers
 * into the jansson value, so the value must outlive their use (the request
 * arena keeps it). */
#ifndef KF_UTIL_JSON_H
#define KF_UTIL_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "util/arena.h"
#include "util/err.h"

enum kf_jtype {
	KF_J_LINE,    /* one-line string: no control characters; out: const char ** */
	KF_J_TEXT,    /* multi-line string (tabs and newlines allowed); const char ** */
	KF_J_INT,     /* integer; out: int64_t * */
	KF_J_BOOL,    /* true/false; out: bool * */
	KF_J_OBJECT,  /* object; out: json_t ** (borrowed) */
	KF_J_ARRAY,   /* array; out: json_t ** (borrowed) */
	KF_J_DATE,    /* "YYYY-MM-DD"; out: const char ** */
	KF_J_INSTANT, /* RFC 3339 with offset; out: int64_t * (ms) */
	KF_J_ID,      /* an id: "42" (as the API writes ids) or 42; out: int64_t * */
};

struct kf_jfield {
	const char *name;
	enum kf_jtype type;
	bool required;
	size_t max_len; /* code points for strings (0 = 200); unused otherwise */
	void *out;
	bool *present;	  /* optional: set when the member is present (also when null) */
	bool nullable;	  /* null accepted (out left untouched, present set) */
	int64_t min, max; /* for KF_J_INT when min < max */
	bool nonempty;	  /* strings: blank refused even when not required */
};

/* Parses a request body. Empty, invalid UTF-8, invalid JSON, or not an object
 * is KF_EBADREQ. On success *out is a new reference released with the arena. */
int kf_json_parse_body(const char *data, size_t len, struct kf_arena *arena, json_t **out,
		       struct kf_err *err);
/* Checks obj against fields (a NULL-name-terminated array) and fills the
 * outputs. Unknown members, wrong types, missing required members and
 * over-long or empty strings are KF_EINVALID with err->field set; prefix (may
 * be NULL) is prepended to field names for nested objects ("customer."). */
int kf_json_read(json_t *obj, const struct kf_jfield *fields, const char *prefix,
		 struct kf_err *err);
/* Adds a jansson value to the arena so that it is released with it. */
json_t *kf_json_keep(struct kf_arena *arena, json_t *v);
/* Serialises v compactly into a malloc'd string. */
char *kf_json_dump(const json_t *v, size_t *len);

#endif
