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

/* Full-width ASCII (Ａ, ０) is folded to ASCII; upper case to lower (ASCII
 * and Latin-1). */
static uint32_t fold(uint32_t cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e)
		cp -= 0xfee0;
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xc0 && cp <= 0xde && cp != 0xd7))
		cp += 'a' - 'A';
	return cp;
}

static bool is_word_char(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
	       (cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7) /* Latin-1, Extended-A/B */;
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
