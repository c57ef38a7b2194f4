#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/json.h"
#include "util/time.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static void decref(void *p)
{
	json_decref(p);
}

json_t *kf_json_keep(struct kf_arena *arena, json_t *v)
{
	if (v)
		kf_arena_defer(arena, decref, v);
	return v;
}

int kf_json_parse_body(const char *data, size_t len, struct kf_arena *arena, json_t **out,
		       struct kf_err *err)
{
	if (len == 0)
		return kf_err_set(err, KF_EBADREQ, "request body is required (a JSON object)");
	if (!kf_utf8_valid(data, len))
		return kf_err_set(err, KF_EBADREQ, "request body is not valid UTF-8");
	json_error_t je;
	json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!v)
		return kf_err_set(err, KF_EBADREQ, "malformed JSON at line %d column %d: %s",
				  je.line, je.column, je.text);
	kf_json_keep(arena, v);
	if (!json_is_object(v))
		return kf_err_set(err, KF_EBADREQ, "request body must be a JSON object");
	*out = v;
	return 0;
}

static bool line_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool text_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
			return false;
	return true;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static int read_one(const struct kf_jfield *f, json_t *v, const char *name, struct kf_err *err)
{
	switch (f->type) {
	case KF_J_LINE:
	case KF_J_TEXT:
	case KF_J_DATE: {
		if (!json_is_string(v))
			return kf_err_field(err, KF_EINVALID, name, "%s must be a string", name);
		const char *s = json_string_value(v);
		if (strlen(s) != json_string_length(v))
			return kf_err_field(err, KF_EINVALID, name, "%s must not contain NUL",
					    name);
		if (f->type == KF_J_DATE) {
			int64_t ms;
			if (!kf_time_parse_date(s, &ms))
				return kf_err_field(err, KF_EINVALID, name,
						    "%s must be a date YYYY-MM-DD", name);
		} else {
			size_t max = f->max_len ? f->max_len : 200;
			if ((f->required || f->nonempty) && blank(s))
				return kf_err_field(err, KF_EINVALID, name, "%s must not be empty",
						    name);
			if (kf_utf8_len(s) > max)
				return kf_err_field(err, KF_EINVALID, name,
						    "%s is longer than %zu characters", name, max);
			if (!(f->type == KF_J_LINE ? line_ok(s) : text_ok(s)))
				return kf_err_field(err, KF_EINVALID, name,
						    "%s contains control characters", name);
		}
		*(const char **)f->out = s;
		return 0;
	}
	case KF_J_INT: {
		if (!json_is_integer(v))
			return kf_err_field(err, KF_EINVALID, name, "%s must be an integer", name);
		int64_t x = json_integer_value(v);
		if (f->min < f->max && (x < f->min || x > f->max))
			return kf_err_field(err, KF_EINVALID, name,
					    "%s must be between %lld and %lld", name,
					    (long long)f->min, (long long)f->max);
		*(int64_t *)f->out = x;
		return 0;
	}
	case KF_J_BOOL:
		if (!json_is_boolean(v))
			return kf_err_field(err, KF_EINVALID, name, "%s must be true or false",
					    name);
		*(bool *)f->out = json_is_true(v);
		return 0;
	case KF_J_OBJECT:
		if (!json_is_object(v))
			return kf_err_field(err, KF_EINVALID, name, "%s must be an object", name);
		*(json_t **)f->out = v;
		return 0;
	case KF_J_ARRAY:
		if (!json_is_array(v))
			return kf_err_field(err, KF_EINVALID, name, "%s must be an array", name);
		*(json_t **)f->out = v;
		return 0;
	case KF_J_ID: {
		int64_t id = 0;
		if (json_is_integer(v)) {
			id = json_integer_value(v);
		} else if (json_is_string(v)) {
			const char *s = json_string_value(v);
			char *end;
			errno = 0;
			long long x = strtoll(s, &end, 10);
			id = (*s >= '1' && *s <= '9' && !*end && !errno) ? x : 0;
		}
		if (id <= 0)
			return kf_err_field(err, KF_EINVALID, name, "%s must be an id", name);
		*(int64_t *)f->out = id;
		return 0;
	}
	case KF_J_INSTANT: {
		int64_t ms;
		if (!json_is_string(v) || !kf_time_parse(json_string_value(v), &ms))
			return kf_err_field(err, KF_EINVALID, name,
					    "%s must be an RFC 3339 time with offset", name);
		*(int64_t *)f->out = ms;
		return 0;
	}
	}
	return kf_err_set(err, KF_EINTERNAL, "unknown field type");
}

int kf_json_read(json_t *obj, const struct kf_jfield *fields, const char *prefix,
		 struct kf_err *err)
{
	const char *key;
	json_t *v;
	char name[160];
	if (!prefix)
		prefix = "";
	json_object_foreach(obj, key, v)
	{
		const struct kf_jfield *f = fields;
		while (f->name && strcmp(f->name, key))
			f++;
		snprintf(name, sizeof name, "%s%s", prefix, key);
		if (!f->name)
			return kf_err_field(err, KF_EINVALID, name[0] ? name : "(empty)",
					    "unknown field \"%s\"", name);
	}
	for (const struct kf_jfield *f = fields; f->name; f++) {
		snprintf(name, sizeof name, "%s%s", prefix, f->name);
		v = json_object_get(obj, f->name);
		if (f->present)
			*f->present = v != NULL;
		if (!v || json_is_null(v)) {
			if (f->required)
				return kf_err_field(err, KF_EINVALID, name, "%s is required", name);
			if (v && !f->nullable)
				return kf_err_field(err, KF_EINVALID, name, "%s must not be null",
						    name);
			continue;
		}
		int rc = read_one(f, v, name, err);
		if (rc)
			return rc;
	}
	return 0;
}

char *kf_json_dump(const json_t *v, size_t *len)
{
	char *s = json_dumps(v, JSON_COMPACT);
	if (!s)
		s = kf_xstrdup("null");
	if (len)
		*len = strlen(s);
	return s;
}
