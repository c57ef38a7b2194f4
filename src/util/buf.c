#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/spare.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static char empty[1];

/* A buffer that starts at this size (an answer's, reserved at once) is
 * taken from the thread's spare blocks and given back to them. */
#define SPARE_SIZE 2048

static void spare_free(void *p)
{
	kf_spare_give(p, SPARE_SIZE);
}

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
	if (b->alloc == SPARE_SIZE)
		spare_free(b->data);
	else if (b->alloc)
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
		b->data = n == SPARE_SIZE ? kf_spare_take(n) : kf_xmalloc(n);
		b->data[0] = '\0';
	}
	b->alloc = n;
	return true;
}

void kf_buf_reserve(struct kf_buf *b, size_t n)
{
	if (!b->data)
		kf_buf_init(b, b->cap);
	if (b->cap && n > b->cap - b->len)
		n = b->cap - b->len;
	grow(b, n);
}

void kf_buf_add(struct kf_buf *b, const void *data, size_t n)
{
	/* Room left and no cap to check: the common case, in place. */
	if (!b->cap && n < b->alloc - b->len) {
		memcpy(b->data + b->len, data, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
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
	if (!b->cap && b->alloc - b->len > 1) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
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

/* The bytes that end a run of plain ASCII in a JSON string: controls (the
 * NUL included), the quote, the backslash and every byte of a multi-byte
 * character. */
#define X16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
/* clang-format off */
static const unsigned char json_special[256] = {
	X16(1), X16(1),                                 /* 0x00-0x1f */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20-0x2f: '"' */
	X16(0), X16(0),                                 /* 0x30-0x4f */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50-0x5f: '\\' */
	X16(0), X16(0),                                 /* 0x60-0x7f */
	X16(1), X16(1), X16(1), X16(1),                 /* 0x80-0xff */
	X16(1), X16(1), X16(1), X16(1),
};
/* clang-format on */

void kf_buf_add_json_str(struct kf_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *p = s, *run = s;
	for (;;) {
		/* Runs of plain characters are copied at once. */
		while (!json_special[(unsigned char)*p])
			p++;
		unsigned char c = (unsigned char)*p;
		/* A three-byte character (all of CJK) checked here, the others by
		 * kf_utf8_char_len; the second byte is looked at before the
		 * third, which lies past the end if the second is the NUL. Not
		 * overlong (after E0 the second byte is A0 or more) and not a
		 * surrogate (after ED it is below A0). */
		if ((c & 0xf0) == 0xe0) {
			unsigned char c1 = (unsigned char)p[1];
			if ((c1 & 0xc0) == 0x80 && ((unsigned char)p[2] & 0xc0) == 0x80 &&
			    (c != 0xe0 || c1 >= 0xa0) && (c != 0xed || c1 < 0xa0)) {
				p += 3;
				continue;
			}
		}
		size_t n = c >= 0x80 ? kf_utf8_char_len(p, 4) : 0;
		if (n) {
			p += n;
			continue;
		}
		kf_buf_add(b, run, (size_t)(p - run));
		if (!c)
			return;
		char esc[6] = {'\\', 0};
		size_t elen = 2;
		p++;
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			if (c < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				elen = 6;
			} else {
				/* Malformed UTF-8: U+FFFD for the byte and the
				 * continuation bytes (at most three) after it. */
				for (int i = 0; i < 3 && ((unsigned char)*p & 0xc0) == 0x80; i++)
					p++;
				memcpy(esc, "\xef\xbf\xbd", 3);
				elen = 3;
			}
		}
		kf_buf_add(b, esc, elen);
		run = p;
	}
}

char *kf_buf_detach_with_free(struct kf_buf *b, size_t *len, void (**free_fn)(void *))
{
	*free_fn = b->alloc == SPARE_SIZE ? spare_free : free;
	return kf_buf_detach(b, len);
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
