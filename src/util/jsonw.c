#include <assert.h>
#include <string.h>
#include "util/jsonw.h"
#include "util/utf8.h"

void kf_jsonw_init(struct kf_jsonw *w)
{
	kf_buf_init(&w->b, 0);
	/* A ticket is about 1.5 KB of JSON: one allocation instead of a
	 * growth from 64 bytes in five steps. */
	kf_buf_reserve(&w->b, 2000);
	w->comma = false;
	w->depth = 0;
}

void kf_jsonw_release(struct kf_jsonw *w)
{
	kf_buf_release(&w->b);
	w->comma = false;
	w->depth = 0;
}

/* Before a value (or a key): the comma that separates it from the last. */
static void sep(struct kf_jsonw *w)
{
	if (w->comma)
		kf_buf_addc(&w->b, ',');
	w->comma = true;
}

static void open_(struct kf_jsonw *w, char c)
{
	sep(w);
	kf_buf_addc(&w->b, c);
	w->comma = false;
	w->depth++;
}

static void close_(struct kf_jsonw *w, char c)
{
	assert(w->depth > 0);
	kf_buf_addc(&w->b, c);
	w->comma = true;
	w->depth--;
}

void kf_jsonw_obj_begin(struct kf_jsonw *w)
{
	open_(w, '{');
}

void kf_jsonw_obj_end(struct kf_jsonw *w)
{
	close_(w, '}');
}

void kf_jsonw_arr_begin(struct kf_jsonw *w)
{
	open_(w, '[');
}

void kf_jsonw_arr_end(struct kf_jsonw *w)
{
	close_(w, ']');
}

static void quoted(struct kf_buf *b, const char *s)
{
	kf_buf_addc(b, '"');
	kf_buf_add_json_str(b, s);
	kf_buf_addc(b, '"');
}

#ifndef NDEBUG
static bool plain_name(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '"' || *s == '\\')
			return false;
	return true;
}
#endif

void kf_jsonw_key(struct kf_jsonw *w, const char *key)
{
	assert(plain_name(key));
	/* The comma, the quoted key and the colon written in place when they
	 * fit (the writer's buffer has no cap): a key is written for every
	 * member of every answer, 55 in a ticket's. */
	size_t n = strlen(key);
	struct kf_buf *b = &w->b;
	if (!b->cap && n + 5 < b->alloc - b->len) {
		char *o = b->data + b->len;
		if (w->comma)
			*o++ = ',';
		*o++ = '"';
		memcpy(o, key, n);
		o += n;
		*o++ = '"';
		*o++ = ':';
		*o = '\0';
		b->len = (size_t)(o - b->data);
	} else {
		sep(w);
		kf_buf_addc(b, '"');
		kf_buf_add(b, key, n);
		kf_buf_add(b, "\":", 2);
	}
	w->comma = false; /* the value follows the colon */
}

void kf_jsonw_str(struct kf_jsonw *w, const char *s)
{
	sep(w);
	if (s)
		quoted(&w->b, s);
	else
		kf_buf_add(&w->b, "null", 4);
}

/* Decimal digits of v, quoted if asked, ending at end; returns the start. */
static char *digits(int64_t v, bool quote, char *end)
{
	char *p = end;
	/* The magnitude from the right; INT64_MIN included. */
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (quote)
		*--p = '"';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	if (quote)
		*--p = '"';
	return p;
}

void kf_jsonw_int(struct kf_jsonw *w, int64_t v)
{
	char d[24], *p = digits(v, false, d + sizeof d);
	sep(w);
	kf_buf_add(&w->b, p, (size_t)(d + sizeof d - p));
}

void kf_jsonw_int_str(struct kf_jsonw *w, int64_t v)
{
	char d[24], *p = digits(v, true, d + sizeof d);
	sep(w);
	kf_buf_add(&w->b, p, (size_t)(d + sizeof d - p));
}

void kf_jsonw_bool(struct kf_jsonw *w, bool v)
{
	sep(w);
	if (v)
		kf_buf_add(&w->b, "true", 4);
	else
		kf_buf_add(&w->b, "false", 5);
}

void kf_jsonw_null(struct kf_jsonw *w)
{
	sep(w);
	kf_buf_add(&w->b, "null", 4);
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	kf_buf_add(data, buffer, size);
	return 0;
}

void kf_jsonw_value(struct kf_jsonw *w, const json_t *v)
{
	sep(w);
	size_t before = w->b.len;
	if (v && !json_dump_callback(v, dump_cb, &w->b, JSON_COMPACT | JSON_ENCODE_ANY))
		return;
	/* Nothing half written: what jansson could not dump is null. */
	w->b.len = before;
	if (w->b.alloc)
		w->b.data[before] = '\0';
	kf_buf_add(&w->b, "null", 4);
}

/* A string as json_dumps writes it: the escapes it makes (\" \\ \b \f \n
 * \r \t, \u00XX in capitals for other control characters), everything
 * else as is, in well-formed UTF-8. Moves *pp past it. */
static bool canonical_string(const char **pp)
{
	const char *p = *pp;
	if (*p++ != '"')
		return false;
	for (;;) {
		unsigned char c = (unsigned char)*p;
		if (c == '"') {
			*pp = p + 1;
			return true;
		}
		if (c < 0x20)
			return false; /* also the end of the text */
		if (c == '\\') {
			char e = p[1];
			if (e && strchr("\"\\bfnrt", e)) {
				p += 2;
				continue;
			}
			/* \u0001 … \u001F but not those with a short form, nor
			 * \u0000, which jansson does not load. */
			if (e != 'u' || p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1'))
				return false;
			const char *hex = "0123456789ABCDEF", *d = p[5] ? strchr(hex, p[5]) : NULL;
			if (!d)
				return false;
			int code = (p[4] - '0') * 16 + (int)(d - hex);
			if (!code || code == '\b' || code == '\t' || code == '\n' || code == '\f' ||
			    code == '\r')
				return false;
			p += 6;
			continue;
		}
		size_t n = c < 0x80 ? 1 : kf_utf8_char_len(p, 4);
		if (!n)
			return false;
		p += n;
	}
}

/* Whether s is a flat object or array of strings exactly as json_dumps
 * (JSON_COMPACT) writes it, with at most 16 keys and none repeated. */
static bool canonical_flat(const char *s, bool *array)
{
	const char *keys[16], *p = s + 1;
	size_t klen[16];
	int nkeys = 0;
	*array = *s == '[';
	if (*s != '{' && *s != '[')
		return false;
	char close = *array ? ']' : '}';
	if (*p == close)
		return !p[1];
	for (;;) {
		const char *str = p;
		if (!canonical_string(&p))
			return false;
		if (!*array) {
			size_t len = (size_t)(p - str);
			for (int i = 0; i < nkeys; i++)
				if (klen[i] == len && !memcmp(keys[i], str, len))
					return false;
			if (nkeys == 16)
				return false;
			keys[nkeys] = str;
			klen[nkeys++] = len;
			if (*p++ != ':' || !canonical_string(&p))
				return false;
		}
		if (*p == ',') {
			p++;
			continue;
		}
		return *p == close && !p[1];
	}
}

bool kf_jsonw_stored(struct kf_jsonw *w, const char *text, bool array_only)
{
	bool array;
	if (canonical_flat(text, &array)) {
		if (array_only && !array)
			return false;
		sep(w);
		kf_buf_adds(&w->b, text);
		return true;
	}
	json_error_t je;
	json_t *v = json_loads(text, 0, &je);
	bool ok = v && (!array_only || json_is_array(v));
	if (ok)
		kf_jsonw_value(w, v);
	json_decref(v);
	return ok;
}

void kf_jsonw_kstr(struct kf_jsonw *w, const char *key, const char *s)
{
	kf_jsonw_key(w, key);
	kf_jsonw_str(w, s);
}

void kf_jsonw_kint(struct kf_jsonw *w, const char *key, int64_t v)
{
	kf_jsonw_key(w, key);
	kf_jsonw_int(w, v);
}

void kf_jsonw_kbool(struct kf_jsonw *w, const char *key, bool v)
{
	kf_jsonw_key(w, key);
	kf_jsonw_bool(w, v);
}

char *kf_jsonw_detach(struct kf_jsonw *w, size_t *len, void (**free_fn)(void *))
{
	assert(w->depth == 0);
	w->comma = false;
	return kf_buf_detach_with_free(&w->b, len, free_fn);
}
