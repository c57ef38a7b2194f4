#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "util/utf8.h"
#include "util/yaml.h"

#define MAX_DEPTH 64

struct reader {
	yaml_parser_t p;
	struct kf_err *err;
};

static int fail(struct reader *r, const yaml_mark_t *m, const char *what)
{
	return kf_err_set(r->err, KF_EINVALID, "YAML line %zu column %zu: %s", m->line + 1,
			  m->column + 1, what);
}

static int next(struct reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->p, ev))
		return kf_err_set(r->err, KF_EINVALID, "YAML line %zu column %zu: %s",
				  r->p.problem_mark.line + 1, r->p.problem_mark.column + 1,
				  r->p.problem ? r->p.problem : "syntax error");
	return 0;
}

static json_t *scalar(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(s, n);
	if (n == 0 || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	    !strcmp(s, "NULL"))
		return json_null();
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return json_true();
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return json_false();
	char *end;
	errno = 0;
	long long i = strtoll(s, &end, 10);
	if (*end == '\0' && errno == 0 &&
	    (s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9')))
		return json_integer(i);
	errno = 0;
	double d = strtod(s, &end);
	if (*end == '\0' && errno == 0 &&
	    (s[0] == '-' || s[0] == '+' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
		return json_real(d);
	return json_stringn(s, n);
}

static int node(struct reader *r, yaml_event_t *ev, int depth, json_t **out);

static int mapping(struct reader *r, int depth, json_t **out)
{
	json_t *obj = json_object();
	for (;;) {
		yaml_event_t k;
		int rc = next(r, &k);
		if (rc)
			goto fail;
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			*out = obj;
			return 0;
		}
		if (k.type != YAML_SCALAR_EVENT) {
			rc = fail(r, &k.start_mark, "mapping keys must be plain strings");
			yaml_event_delete(&k);
			goto fail;
		}
		char *key = strndup((const char *)k.data.scalar.value, k.data.scalar.length);
		yaml_mark_t km = k.start_mark;
		yaml_event_delete(&k);
		if (!key || json_object_get(obj, key)) {
			rc = fail(r, &km, "duplicate key");
			free(key);
			goto fail;
		}
		yaml_event_t v;
		json_t *val;
		if ((rc = next(r, &v))) {
			free(key);
			goto fail;
		}
		rc = node(r, &v, depth + 1, &val);
		yaml_event_delete(&v);
		if (rc) {
			free(key);
			goto fail;
		}
		json_object_set_new(obj, key, val);
		free(key);
		continue;
	fail:
		json_decref(obj);
		return rc;
	}
}

static int sequence(struct reader *r, int depth, json_t **out)
{
	json_t *arr = json_array();
	for (;;) {
		yaml_event_t v;
		int rc = next(r, &v);
		if (rc) {
			json_decref(arr);
			return rc;
		}
		if (v.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&v);
			*out = arr;
			return 0;
		}
		json_t *val;
		rc = node(r, &v, depth + 1, &val);
		yaml_event_delete(&v);
		if (rc) {
			json_decref(arr);
			return rc;
		}
		json_array_append_new(arr, val);
	}
}

static int node(struct reader *r, yaml_event_t *ev, int depth, json_t **out)
{
	if (depth > MAX_DEPTH)
		return fail(r, &ev->start_mark, "nested too deeply");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor ||
		    (ev->data.scalar.tag && ev->data.scalar.plain_implicit == 0 &&
		     ev->data.scalar.quoted_implicit == 0))
			return fail(r, &ev->start_mark, "anchors and tags are not supported");
		*out = scalar(ev);
		return *out ? 0 : fail(r, &ev->start_mark, "invalid scalar");
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor)
			return fail(r, &ev->start_mark, "anchors are not supported");
		return mapping(r, depth, out);
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor)
			return fail(r, &ev->start_mark, "anchors are not supported");
		return sequence(r, depth, out);
	case YAML_ALIAS_EVENT:
		return fail(r, &ev->start_mark, "aliases are not supported");
	default:
		return fail(r, &ev->start_mark, "unexpected YAML event");
	}
}

int kf_yaml_to_json(const char *text, size_t len, json_t **out, struct kf_err *err)
{
	if (!kf_utf8_valid(text, len))
		return kf_err_set(err, KF_EINVALID, "document is not valid UTF-8");
	struct reader r = {.err = err};
	yaml_parser_initialize(&r.p);
	yaml_parser_set_input_string(&r.p, (const unsigned char *)text, len);
	yaml_event_t ev;
	json_t *doc = NULL;
	int rc, docs = 0;
	for (;;) {
		if ((rc = next(&r, &ev)))
			break;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			rc = fail(&r, &ev.start_mark, "only one document is allowed");
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT ||
		    t == YAML_SCALAR_EVENT || t == YAML_ALIAS_EVENT) {
			rc = node(&r, &ev, 0, &doc);
			yaml_event_delete(&ev);
			if (rc)
				break;
			continue;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&r.p);
	if (rc) {
		json_decref(doc);
		return rc;
	}
	if (!doc)
		return kf_err_set(err, KF_EINVALID, "document is empty");
	*out = doc;
	return 0;
}
