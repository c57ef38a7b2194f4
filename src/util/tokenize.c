#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/arena.h"
#include "util/buf.h"
#include "util/tokenize.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static bool is_cjk_like(uint32_t cp)
{
	return kf_utf8_is_cjk(cp) || (cp >= 0x3040 && cp <= 0x30ff) /* kana */ ||
	       (cp >= 0xac00 && cp <= 0xd7a3) /* hangul syllables */;
}

/* Lower case of U+0100 … U+024F (Latin Extended-A and -B): Unicode's simple
 * lowercase mapping (UnicodeData.txt), except that U+0130 İ gives i and
 * U+017F ſ gives s, as SQLite's unicode61 tokenizer folds them. Some map
 * out of the block: Ÿ to ÿ (Latin-1), Ɓ and others to IPA Extensions
 * (U+0250 … U+02AF), Ⱥ and Ⱦ to U+2C65 and U+2C66. */
static const uint16_t lower_ext[0x250 - 0x100] = {
    0x0101, 0x0101, 0x0103, 0x0103, 0x0105, 0x0105, 0x0107, 0x0107, 0x0109, 0x0109, 0x010b, 0x010b,
    0x010d, 0x010d, 0x010f, 0x010f, 0x0111, 0x0111, 0x0113, 0x0113, 0x0115, 0x0115, 0x0117, 0x0117,
    0x0119, 0x0119, 0x011b, 0x011b, 0x011d, 0x011d, 0x011f, 0x011f, 0x0121, 0x0121, 0x0123, 0x0123,
    0x0125, 0x0125, 0x0127, 0x0127, 0x0129, 0x0129, 0x012b, 0x012b, 0x012d, 0x012d, 0x012f, 0x012f,
    0x0069, 0x0131, 0x0133, 0x0133, 0x0135, 0x0135, 0x0137, 0x0137, 0x0138, 0x013a, 0x013a, 0x013c,
    0x013c, 0x013e, 0x013e, 0x0140, 0x0140, 0x0142, 0x0142, 0x0144, 0x0144, 0x0146, 0x0146, 0x0148,
    0x0148, 0x0149, 0x014b, 0x014b, 0x014d, 0x014d, 0x014f, 0x014f, 0x0151, 0x0151, 0x0153, 0x0153,
    0x0155, 0x0155, 0x0157, 0x0157, 0x0159, 0x0159, 0x015b, 0x015b, 0x015d, 0x015d, 0x015f, 0x015f,
    0x0161, 0x0161, 0x0163, 0x0163, 0x0165, 0x0165, 0x0167, 0x0167, 0x0169, 0x0169, 0x016b, 0x016b,
    0x016d, 0x016d, 0x016f, 0x016f, 0x0171, 0x0171, 0x0173, 0x0173, 0x0175, 0x0175, 0x0177, 0x0177,
    0x00ff, 0x017a, 0x017a, 0x017c, 0x017c, 0x017e, 0x017e, 0x0073, 0x0180, 0x0253, 0x0183, 0x0183,
    0x0185, 0x0185, 0x0254, 0x0188, 0x0188, 0x0256, 0x0257, 0x018c, 0x018c, 0x018d, 0x01dd, 0x0259,
    0x025b, 0x0192, 0x0192, 0x0260, 0x0263, 0x0195, 0x0269, 0x0268, 0x0199, 0x0199, 0x019a, 0x019b,
    0x026f, 0x0272, 0x019e, 0x0275, 0x01a1, 0x01a1, 0x01a3, 0x01a3, 0x01a5, 0x01a5, 0x0280, 0x01a8,
    0x01a8, 0x0283, 0x01aa, 0x01ab, 0x01ad, 0x01ad, 0x0288, 0x01b0, 0x01b0, 0x028a, 0x028b, 0x01b4,
    0x01b4, 0x01b6, 0x01b6, 0x0292, 0x01b9, 0x01b9, 0x01ba, 0x01bb, 0x01bd, 0x01bd, 0x01be, 0x01bf,
    0x01c0, 0x01c1, 0x01c2, 0x01c3, 0x01c6, 0x01c6, 0x01c6, 0x01c9, 0x01c9, 0x01c9, 0x01cc, 0x01cc,
    0x01cc, 0x01ce, 0x01ce, 0x01d0, 0x01d0, 0x01d2, 0x01d2, 0x01d4, 0x01d4, 0x01d6, 0x01d6, 0x01d8,
    0x01d8, 0x01da, 0x01da, 0x01dc, 0x01dc, 0x01dd, 0x01df, 0x01df, 0x01e1, 0x01e1, 0x01e3, 0x01e3,
    0x01e5, 0x01e5, 0x01e7, 0x01e7, 0x01e9, 0x01e9, 0x01eb, 0x01eb, 0x01ed, 0x01ed, 0x01ef, 0x01ef,
    0x01f0, 0x01f3, 0x01f3, 0x01f3, 0x01f5, 0x01f5, 0x0195, 0x01bf, 0x01f9, 0x01f9, 0x01fb, 0x01fb,
    0x01fd, 0x01fd, 0x01ff, 0x01ff, 0x0201, 0x0201, 0x0203, 0x0203, 0x0205, 0x0205, 0x0207, 0x0207,
    0x0209, 0x0209, 0x020b, 0x020b, 0x020d, 0x020d, 0x020f, 0x020f, 0x0211, 0x0211, 0x0213, 0x0213,
    0x0215, 0x0215, 0x0217, 0x0217, 0x0219, 0x0219, 0x021b, 0x021b, 0x021d, 0x021d, 0x021f, 0x021f,
    0x019e, 0x0221, 0x0223, 0x0223, 0x0225, 0x0225, 0x0227, 0x0227, 0x0229, 0x0229, 0x022b, 0x022b,
    0x022d, 0x022d, 0x022f, 0x022f, 0x0231, 0x0231, 0x0233, 0x0233, 0x0234, 0x0235, 0x0236, 0x0237,
    0x0238, 0x0239, 0x2c65, 0x023c, 0x023c, 0x019a, 0x2c66, 0x023f, 0x0240, 0x0242, 0x0242, 0x0180,
    0x0289, 0x028c, 0x0247, 0x0247, 0x0249, 0x0249, 0x024b, 0x024b, 0x024d, 0x024d, 0x024f, 0x024f,
};

/* Case folding happens here, for both engines: every character of a token
 * this tokenizer gives is one that SQLite's unicode61 tokenizer (with
 * remove_diacritics 0) leaves as it is, and PostgreSQL takes tokens as they
 * are (tsvector literals, no dictionary), so a query finds the same rows on
 * both. Full-width ASCII (Ａ, ０) is folded to ASCII; upper case to lower
 * (ASCII, Latin-1, Latin Extended-A and -B). */
static uint32_t fold(uint32_t cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e)
		cp -= 0xfee0;
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xc0 && cp <= 0xde && cp != 0xd7))
		cp += 'a' - 'A';
	else if (cp >= 0x100 && cp < 0x250)
		cp = lower_ext[cp - 0x100];
	return cp;
}

/* On folded characters: Latin letters and digits (Latin-1, Extended-A and
 * -B, and the IPA Extensions and U+2C65, U+2C66 that some of their capitals
 * fold to). */
static bool is_word_char(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
	       (cp >= 0xc0 && cp <= 0x2af && cp != 0xd7 && cp != 0xf7) || cp == 0x2c65 ||
	       cp == 0x2c66;
}

static size_t put_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

void kf_tokenize(const char *text, bool query, void (*emit)(const char *tok, void *ctx), void *ctx)
{
	char word[KF_TOKEN_MAX + 1];
	size_t wlen = 0;
	/* The CJK run so far: the previous character and the run's length. */
	char prev[5];
	size_t prevlen = 0, run = 0;
	const char *p = text;
	for (;;) {
		uint32_t cp = *p ? fold(kf_utf8_next(&p)) : 0;
		bool cjk = cp && is_cjk_like(cp);
		bool wc = cp && !cjk && is_word_char(cp);
		if (!wc && wlen) {
			word[wlen] = '\0';
			emit(word, ctx);
			wlen = 0;
		}
		if (!cjk && run) {
			if (query && run == 1) {
				prev[prevlen] = '\0';
				emit(prev, ctx);
			}
			run = 0;
		}
		if (!cp)
			break;
		if (wc) {
			char u[4];
			size_t n = put_utf8(cp, u);
			if (wlen + n <= KF_TOKEN_MAX) {
				memcpy(word + wlen, u, n);
				wlen += n;
			}
		} else if (cjk) {
			char cur[5], pair[9];
			size_t n = put_utf8(cp, cur);
			cur[n] = '\0';
			if (!query) {
				emit(cur, ctx);
			}
			if (run) {
				memcpy(pair, prev, prevlen);
				memcpy(pair + prevlen, cur, n + 1);
				emit(pair, ctx);
			}
			memcpy(prev, cur, n + 1);
			prevlen = n;
			run++;
		}
	}
}

/* Distinct tokens are kept with a small open-addressing set of offsets
 * into the output buffer, so that joining stays linear in the text. */
struct joiner {
	struct kf_buf buf;
	int count, max;
	size_t *slots; /* offset + 1 of each kept token; 0 = empty */
	size_t nslots;
};

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void grow(struct joiner *j)
{
	size_t n = j->nslots ? j->nslots * 2 : 256;
	size_t *slots = kf_xcalloc(n, sizeof *slots);
	for (size_t i = 0; i < j->nslots; i++) {
		if (!j->slots[i])
			continue;
		const char *t = j->buf.data + j->slots[i] - 1;
		size_t len = strcspn(t, " ");
		size_t k = hash(t, len) & (n - 1);
		while (slots[k])
			k = (k + 1) & (n - 1);
		slots[k] = j->slots[i];
	}
	free(j->slots);
	j->slots = slots;
	j->nslots = n;
}

static void join_one(const char *tok, void *ctx)
{
	struct joiner *j = ctx;
	size_t n = strlen(tok);
	if (j->max && j->count >= j->max)
		return;
	if ((size_t)(j->count + 1) * 2 > j->nslots)
		grow(j);
	size_t k = hash(tok, n) & (j->nslots - 1);
	while (j->slots[k]) {
		const char *t = j->buf.data + j->slots[k] - 1;
		if (!strncmp(t, tok, n) && (t[n] == ' ' || t[n] == '\0'))
			return;
		k = (k + 1) & (j->nslots - 1);
	}
	if (j->buf.len)
		kf_buf_addc(&j->buf, ' ');
	j->slots[k] = j->buf.len + 1;
	kf_buf_add(&j->buf, tok, n);
	j->count++;
}

char *kf_tokenize_join(const char *text, bool query, int max_tokens, struct kf_arena *a, int *count)
{
	struct joiner j = {.max = max_tokens};
	kf_buf_init(&j.buf, 0);
	if (text)
		kf_tokenize(text, query, join_one, &j);
	char *out = kf_arena_strdup(a, j.buf.data);
	kf_buf_release(&j.buf);
	free(j.slots);
	if (count)
		*count = j.count;
	return out;
}
