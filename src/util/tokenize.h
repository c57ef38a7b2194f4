/* The search tokenizer (T-10), one for both engines: the same tokens are
 * stored in SQLite's FTS5 index and PostgreSQL's GIN index, so that a query
 * finds the same rows on both.
 *
 * Letters and digits of Latin script form words, lower-cased here, not by
 * the engines (full-width forms are folded to ASCII first; Latin-1 and Latin
 * Extended-A and -B capitals to their small letters), so that both engines
 * index and look up the very same tokens. CJK ideographs, kana and hangul are
 * indexed as every single character (unigram) and every pair of neighbours
 * (bigram), so one- and two-character Chinese words are found ("退货",
 * "投诉", "漏"). Everything else separates tokens.
 *
 * A query is tokenized the other way round: a run of one CJK character is its
 * unigram, a longer run gives its bigrams only (all must match), so "漏水维修"
 * looks for 漏水, 水维 and 维修. */
#ifndef KF_UTIL_TOKENIZE_H
#define KF_UTIL_TOKENIZE_H
#include <stdbool.h>
#include <stddef.h>

#define KF_TOKEN_MAX 64 /* bytes; longer words are cut at a character boundary */

/* Calls emit for each token of text (valid UTF-8). query selects the query
 * form. Tokens are NUL-terminated and valid only during the call. */
void kf_tokenize(const char *text, bool query, void (*emit)(const char *tok, void *ctx), void *ctx);

/* The distinct tokens of text joined by single spaces, in the arena; *count
 * (optional) gets how many. At most max_tokens are kept (0: no limit). */
struct kf_arena;
char *kf_tokenize_join(const char *text, bool query, int max_tokens, struct kf_arena *a,
		       int *count);

#endif
