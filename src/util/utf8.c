#include "util/utf8.h"

size_t kf_utf8_char_len(const char *s, size_t avail)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	size_t len;
	uint32_t cp, min;
	if (c < 0x80)
		return avail ? 1 : 0;
	if ((c & 0xe0) == 0xc0)
		len = 2, cp = c & 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		len = 3, cp = c & 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (avail < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool kf_utf8_valid(const char *s, size_t n)
{
	const char *end = s + n;
	while (s < end) {
		if ((unsigned char)*s < 0x80) {
			s++;
			continue;
		}
		size_t len = kf_utf8_char_len(s, (size_t)(end - s));
		if (!len)
			return false;
		s += len;
	}
	return true;
}

size_t kf_utf8_len(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

uint32_t kf_utf8_next(const char **sp)
{
	const unsigned char *p = (const unsigned char *)*sp;
	uint32_t cp;
	int len;
	if (p[0] < 0x80) {
		cp = p[0], len = 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f, len = 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f, len = 3;
	} else {
		cp = p[0] & 0x07, len = 4;
	}
	/* Malformed input (a lead byte at the end of the string) must not move
	 * past the terminator: only the bytes read are consumed. */
	int i = 1;
	for (; i < len && (p[i] & 0xc0) == 0x80; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	*sp += i;
	return i == len ? cp : 0xfffd;
}

bool kf_utf8_is_cjk(uint32_t cp)
{
	return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2ebef);
}
