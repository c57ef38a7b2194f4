/* A JSON writer that appends text straight to a kf_buf, for responses made
 * on every request (a ticket view): no tree to build, serialise and free.
 * The writer places commas and colons; the caller writes keys and values in
 * order and balances begin and end. Strings are escaped as jansson's
 * json_dumps escapes them (kf_buf_add_json_str: the same bytes as the
 * responses built with jansson; malformed UTF-8 becomes U+FFFD). */
#ifndef KF_UTIL_JSONW_H
#define KF_UTIL_JSONW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "util/buf.h"

struct kf_jsonw {
	struct kf_buf b;
	bool comma; /* a value was written: the next key or value needs ',' */
	int depth;  /* open objects and arrays */
};

void kf_jsonw_init(struct kf_jsonw *w);
void kf_jsonw_release(struct kf_jsonw *w);
void kf_jsonw_obj_begin(struct kf_jsonw *w);
void kf_jsonw_obj_end(struct kf_jsonw *w);
void kf_jsonw_arr_begin(struct kf_jsonw *w);
void kf_jsonw_arr_end(struct kf_jsonw *w);
/* A member's name; its value is the next thing written. Names are the
 * program's own, written as they are: printable ASCII without '"' or '\\'
 * (checked by an assertion, not escaped; the hot views write dozens). */
void kf_jsonw_key(struct kf_jsonw *w, const char *key);
/* A string; NULL writes null. */
void kf_jsonw_str(struct kf_jsonw *w, const char *s);
void kf_jsonw_int(struct kf_jsonw *w, int64_t v);
/* An integer as a string ("42"), as the API writes ids. */
void kf_jsonw_int_str(struct kf_jsonw *w, int64_t v);
void kf_jsonw_bool(struct kf_jsonw *w, bool v);
void kf_jsonw_null(struct kf_jsonw *w);
/* A jansson value, written as json_dumps(v, JSON_COMPACT) would; NULL
 * writes null. */
void kf_jsonw_value(struct kf_jsonw *w, const json_t *v);
/* JSON text kept in the store (a ticket's product, a customer's tags),
 * written as json_dumps(json_loads(text), JSON_COMPACT) would write it: a flat
 * object or array of strings already in that form (compact, escaped as
 * jansson escapes, no repeated key: what kefu stores) is copied as it is,
 * anything else is parsed and dumped. Returns false and writes nothing when
 * the text does not parse, or is not an array though array_only asks for
 * one: the caller writes what stands for it. */
bool kf_jsonw_stored(struct kf_jsonw *w, const char *text, bool array_only);
/* Key and value in one call. */
void kf_jsonw_kstr(struct kf_jsonw *w, const char *key, const char *s);
void kf_jsonw_kint(struct kf_jsonw *w, const char *key, int64_t v);
void kf_jsonw_kbool(struct kf_jsonw *w, const char *key, bool v);
/* The text so far (valid until the next write). */
static inline const char *kf_jsonw_text(const struct kf_jsonw *w)
{
	return kf_buf_str(&w->b);
}
/* Hands the text to the caller and resets w; *free_fn frees it (see
 * kf_buf_detach_with_free). */
char *kf_jsonw_detach(struct kf_jsonw *w, size_t *len, void (**free_fn)(void *));

#endif
