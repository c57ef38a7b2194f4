/* Fuzzes the search tokenizer (util/tokenize.h) on arbitrary UTF-8.
 *
 * Invariants: every token is non-empty, at most KF_TOKEN_MAX bytes, valid
 * UTF-8, without spaces; the joined form has no repeated token and no
 * empty one; a query's tokens are all found among the indexed tokens of the
 * same text (so a text always finds itself); every indexed token, read as a
 * query, gives itself back (folding is done once and for all, so that
 * neither engine folds anything further). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/arena.h"
#include "util/tokenize.h"
#include "util/utf8.h"

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void check_token(const char *tok, void *ctx)
{
	size_t n = strlen(tok);
	(void)ctx;
	CHECK(n > 0 && n <= KF_TOKEN_MAX);
	CHECK(kf_utf8_valid(tok, n));
	CHECK(!strchr(tok, ' '));
}

static bool has_token(const char *joined, const char *tok, size_t n)
{
	for (const char *p = joined; (p = strstr(p, tok)) != NULL; p++) {
		bool start = p == joined || p[-1] == ' ';
		if (start && (p[n] == ' ' || p[n] == '\0'))
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096 || !kf_utf8_valid((const char *)data, size))
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (strlen(text) != size) { /* an embedded NUL ends a C string early */
		free(text);
		return 0;
	}
	kf_tokenize(text, false, check_token, NULL);
	kf_tokenize(text, true, check_token, NULL);
	struct kf_arena a;
	kf_arena_init(&a);
	int ni = 0, nq = 0;
	char *indexed = kf_tokenize_join(text, false, 0, &a, &ni);
	char *query = kf_tokenize_join(text, true, 0, &a, &nq);
	CHECK(!strstr(indexed, "  ") && indexed[0] != ' ');
	/* Every query token is an indexed token (a text finds itself). */
	for (char *p = query; *p;) {
		size_t n = strcspn(p, " ");
		char tok[KF_TOKEN_MAX + 1];
		CHECK(n <= KF_TOKEN_MAX);
		memcpy(tok, p, n);
		tok[n] = '\0';
		CHECK(has_token(indexed, tok, n));
		p += n;
		while (*p == ' ')
			p++;
	}
	/* No token twice. */
	for (char *p = indexed; *p;) {
		size_t n = strcspn(p, " ");
		char tok[KF_TOKEN_MAX + 1];
		memcpy(tok, p, n);
		tok[n] = '\0';
		const char *rest = p + n;
		while (*rest == ' ')
			rest++;
		CHECK(!has_token(rest, tok, n));
		CHECK(!strcmp(kf_tokenize_join(tok, true, 0, &a, NULL), tok));
		p = (char *)rest;
	}
	kf_arena_release(&a);
	free(text);
	return 0;
}
