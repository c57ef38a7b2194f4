/* A growable byte buffer whose data is never NULL and always NUL-terminated
 * (after git's strbuf), with a size cap fixed at init (curl's dynbuf) and a
 * sticky overflow flag checked once at the end (SQLite's sqlite3_str).
 * A zeroed struct is a valid empty buffer with no cap. */
#ifndef KF_UTIL_BUF_H
#define KF_UTIL_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct kf_buf {
	char *data; /* never NULL after kf_buf_init; "" when empty */
	size_t len;
	size_t alloc;
	size_t cap;    /* maximum len; 0 = unlimited */
	bool overflow; /* set when an append would pass cap; later appends are dropped */
};

/* cap = maximum length in bytes (0 for none). */
void kf_buf_init(struct kf_buf *b, size_t cap);
void kf_buf_release(struct kf_buf *b);
void kf_buf_reset(struct kf_buf *b);
/* Makes room for n more bytes at once (within the cap), so that a buffer
 * whose size is known roughly is not grown step by step. */
void kf_buf_reserve(struct kf_buf *b, size_t n);
void kf_buf_add(struct kf_buf *b, const void *data, size_t n);
void kf_buf_adds(struct kf_buf *b, const char *s);
void kf_buf_addc(struct kf_buf *b, char c);
void kf_buf_addf(struct kf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kf_buf_vaddf(struct kf_buf *b, const char *fmt, va_list ap);
/* Appends s as the inside of a JSON string (quotes not included), escaped as
 * jansson's json_dumps escapes: \" \\ \b \f \n \r \t, other control
 * characters as \u00XX, everything else as is. Malformed UTF-8 (a byte that
 * cannot start a character, with the continuation bytes after it) becomes one
 * U+FFFD each, so the output is always valid JSON. */
void kf_buf_add_json_str(struct kf_buf *b, const char *s);
/* Hands the data to the caller (free with free()) and resets b. */
char *kf_buf_detach(struct kf_buf *b, size_t *len);
/* The same, with *free_fn the function that frees the data: free, or one
 * that keeps the block for the thread's next buffer (see util/spare.h). */
char *kf_buf_detach_with_free(struct kf_buf *b, size_t *len, void (**free_fn)(void *));
/* The data, valid until the next change. */
static inline const char *kf_buf_str(const struct kf_buf *b)
{
	return b->data ? b->data : "";
}

#endif
