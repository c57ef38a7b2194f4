#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/xmalloc.h"

static char empty[1];

void kf_buf_init(struct kf_buf *b, size_t cap)
{
	b->data = empty;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
	b->overflow = false;
}

void kf_buf_release(struct kf_buf *b)
{
	if (b->alloc)
		free(b->data);
	kf_buf_init(b, b->cap);
}

void kf_buf_reset(struct kf_buf *b)
{
	b->len = 0;
	b->overflow = false;
	if (b->alloc)
		b->data[0] = '\0';
}

static bool grow(struct kf_buf *b, size_t extra)
{
	if (b->overflow)
		return false;
	if (b->cap && (extra > b->cap || b->len > b->cap - extra)) {
		b->overflow = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return true;
	size_t n = b->alloc ? b->alloc : 64;
	while (n < need)
		n *= 2;
	if (b->alloc) {
		b->data = kf_xrealloc(b->data, n);
	} else {
		b->data = kf_xmalloc(n);
		b->data[0] = '\0';
	}
	b->alloc = n;
	return true;
}

void kf_buf_add(struct kf_buf *b, const void *data, size_t n)
{
	if (!b->data)
		kf_buf_init(b, b->cap);
	if (!grow(b, n))
		return;
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void kf_buf_adds(struct kf_buf *b, const char *s)
{
	kf_buf_add(b, s, strlen(s));
}

void kf_buf_addc(struct kf_buf *b, char c)
{
	kf_buf_add(b, &c, 1);
}

void kf_buf_vaddf(struct kf_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof small, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		kf_buf_add(b, small, (size_t)n);
		return;
	}
	if (!b->data)
		kf_buf_init(b, b->cap);
	if (!grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void kf_buf_addf(struct kf_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kf_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void kf_buf_add_json_str(struct kf_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			kf_buf_add(b, "\\\"", 2);
			break;
		case '\\':
			kf_buf_add(b, "\\\\", 2);
			break;
		case '\n':
			kf_buf_add(b, "\\n", 2);
			break;
		case '\r':
			kf_buf_add(b, "\\r", 2);
			break;
		case '\t':
			kf_buf_add(b, "\\t", 2);
			break;
		default:
			if (*p < 0x20)
				kf_buf_addf(b, "\\u%04x", *p);
			else
				kf_buf_addc(b, (char)*p);
		}
	}
}

char *kf_buf_detach(struct kf_buf *b, size_t *len)
{
	char *p;
	if (len)
		*len = b->len;
	if (b->alloc) {
		p = b->data;
	} else {
		p = kf_xstrdup("");
	}
	kf_buf_init(b, b->cap);
	return p;
}
