/* C-3 masks. Lengths are counted in characters (code points), so that a
 * Chinese address keeps six characters, not six bytes. */
#include <string.h>
#include "rules/privacy.h"

/* Appends to out (capacity KF_PRIVACY_MASK_MAX) without ever passing it; a
 * piece that does not fit is dropped whole, so that a character is never
 * cut. */
struct writer {
	char *out;
	size_t len;
};

static void put(struct writer *w, const char *s, size_t n)
{
	if (w->len + n + 1 > KF_PRIVACY_MASK_MAX)
		return;
	memcpy(w->out + w->len, s, n);
	w->len += n;
	w->out[w->len] = '\0';
}

/* Bytes of the UTF-8 sequence starting with byte c (1 for anything that is
 * not a lead byte, so that malformed input still advances). */
static size_t seq_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* Byte offsets of the n-th character of s (n may equal the count). */
static size_t offset_of(const char *s, size_t n)
{
	size_t off = 0;
	while (n-- && s[off]) {
		size_t k = seq_len((unsigned char)s[off]);
		for (size_t i = 1; i < k; i++)
			if (!s[off + i]) /* truncated sequence at the end */
				return off + i;
		off += k;
	}
	return off;
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (size_t off = 0; s[off]; n++)
		off = offset_of(s + off, 1) + off;
	return n;
}

/* head characters, the stars, tail characters; whatever the length, at
 * least four characters stay hidden. */
static void keep_ends(const char *s, size_t head, const char *stars, size_t tail, char *out)
{
	struct writer w = {out, 0};
	out[0] = '\0';
	if (!s)
		return;
	size_t n = chars(s);
	if (n < head + tail + 4) {
		head = 0;
		tail = n > 4 ? n - 4 : 0;
		if (tail > 4)
			tail = 4;
	}
	put(&w, s, offset_of(s, head));
	put(&w, stars, strlen(stars));
	size_t from = offset_of(s, n - tail);
	put(&w, s + from, strlen(s + from));
}

void kf_privacy_mask_phone(const char *s, char *out)
{
	keep_ends(s, 3, "****", 4, out);
}

void kf_privacy_mask_id_number(const char *s, char *out)
{
	keep_ends(s, 3, "********", 4, out);
}

void kf_privacy_mask_address(const char *s, char *out)
{
	struct writer w = {out, 0};
	out[0] = '\0';
	if (!s)
		return;
	size_t n = chars(s);
	size_t keep = n > 12 ? 6 : n / 2;
	put(&w, s, offset_of(s, keep));
	put(&w, "****", 4);
}

void kf_privacy_mask_email(const char *s, char *out)
{
	struct writer w = {out, 0};
	out[0] = '\0';
	if (!s)
		return;
	const char *at = strrchr(s, '@');
	if (!at) {
		put(&w, "***", 3);
		return;
	}
	size_t first = offset_of(s, 1);
	if (s + first <= at)
		put(&w, s, first);
	put(&w, "***@", 4);
	/* The domain, cut at a character boundary if it does not fit. */
	const char *d = at + 1;
	while (*d) {
		size_t k = offset_of(d, 1);
		if (w.len + k + 1 > KF_PRIVACY_MASK_MAX)
			break;
		put(&w, d, k);
		d += k;
	}
}

void kf_privacy_mask_contact(const char *s, char *out)
{
	out[0] = '\0';
	if (!s)
		return;
	size_t digits = 0, n = strlen(s);
	for (const char *p = s; *p; p++)
		digits += *p >= '0' && *p <= '9';
	if (strchr(s, '@'))
		kf_privacy_mask_email(s, out);
	else if (digits * 2 >= n)
		kf_privacy_mask_phone(s, out);
	else
		kf_privacy_mask_address(s, out);
}
