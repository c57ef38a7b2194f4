/* The search index of tickets and customers (T-10, C-1). Callers pass tokens
 * made by util/tokenize.c, joined by single spaces; each engine stores them in
 * its own index (SQLite FTS5 tables ticket_search and customer_search,
 * PostgreSQL tsvector columns with GIN indexes), weighted by field so that a
 * match in a number or name ranks above one in a description. */
#ifndef KF_STORE_SEARCH_H
#define KF_STORE_SEARCH_H
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"

/* Replaces the index entry of ticket id; on SQLite also its entry in the
 * index of open tickets, where open says whether the ticket is (migration
 * 016), and the token of its type (migration 019). */
int kf_store_search_put_ticket(struct kf_db *db, int64_t id, bool open, const char *type,
			       const char *number, const char *subject, const char *body,
			       const char *customer, struct kf_err *err);
/* Appends the search index's token of a ticket type (SQLite, migration
 * 019): 'ω' and the type's name, which no token of util/tokenize.c can be
 * (it splits words at Greek letters). */
void kf_store_search_type_token(const char *type, struct kf_buf *out);
/* Deferred ticket entries (SQLite). A new ticket's FTS5 entry written in its
 * own small transaction costs a new index segment and its merges, about a
 * third of a registration's CPU; so on SQLite the registration only queues
 * the ticket's id (search_pending, in its transaction: durable with it), and
 * kf_store_search_take_pending hands the queued tickets' fields to an indexer
 * that writes hundreds of entries in one transaction (the indexer of app/scanner.c).
 * Searches index what is queued before they run. PostgreSQL keeps the vector
 * in the ticket row and writes it at once. */
bool kf_store_search_defers(const struct kf_db *db);
int kf_store_search_queue_ticket(struct kf_db *db, int64_t id, struct kf_err *err);
int kf_store_search_has_pending(struct kf_db *db, bool *yes, struct kf_err *err);
/* A queued ticket's searchable fields, and its customer's (NULL when none). */
struct kf_search_pending {
	int64_t id;
	bool open; /* not resolved or closed */
	const char *type;
	const char *number, *subject, *description;
	const char *customer_name, *customer_phone, *customer_company;
};
/* In a write transaction: takes up to limit queued tickets, oldest first,
 * off the queue; the caller writes their entries in the same transaction. */
int kf_store_search_take_pending(struct kf_db *db, int limit, struct kf_arena *a,
				 struct kf_search_pending **out, int *n, struct kf_err *err);

/* Replaces the index entry of customer id. */
int kf_store_search_put_customer(struct kf_db *db, int64_t id, const char *name, const char *phone,
				 const char *company, struct kf_err *err);

/* PostgreSQL: appends to out the tsvector literal of the n fields' tokens
 * (each space-separated) with positions and the weight of each field
 * ('tok':1A 'other':2B …). Lexemes need positions for setweight and ts_rank
 * to see the weights; tokens hold only letters, digits and CJK characters,
 * so quoting them needs no escapes. The weights of the ticket fields
 * (number, subject, body, customer) and the customer fields (name, phone,
 * company), as kf_store_search_put_* use them, are exported for the bulk
 * loader of the benchmarks (bench/gen_store.c). */
extern const char kf_store_search_ticket_weights[];
extern const char kf_store_search_customer_weights[];
void kf_store_search_vector(struct kf_buf *out, const char *const *fields, const char *weights,
			    int n);

/* Customer search (C-1): appends to sql a condition that the customer (alias
 * c) matches every token of the query bound as parameter $param; and to order
 * an ORDER BY expression ranking the best match first (every match is
 * ranked: 200 000 customers). For SQLite the caller must also join the FTS
 * table: kf_store_search_customer_join gives that clause ("" on PostgreSQL). */
const char *kf_store_search_customer_join(struct kf_db *db);
void kf_store_search_customer_where(struct kf_db *db, int param, struct kf_buf *sql);
void kf_store_search_customer_order(struct kf_db *db, int param, struct kf_buf *sql);
/* Ticket search (T-10): appends to sql a query of rows (id, score), the
 * newest $3 tickets with id <= $2 that match the query $1 (from
 * kf_store_search_param) and meet the filter's conditions, with score lower
 * for a better match. conds (" AND …" on alias t; NULL or "" for none) are
 * the conditions, with parameters from $4 on. For KF_SEARCH_PLAN_MERGE
 * (SQLite), $4 is the query of the ids of the tickets that meet the
 * conditions an index serves, newest first, at or below its $1 (with its
 * own parameters $2 … $(nmerge + 1), given here as $5 … $(nmerge + 4)),
 * walked beside the matches by kf_merge (src/store/sqlite.c), and conds
 * are the other conditions, with parameters from $(nmerge + 5) on. With
 * conditions, the SQLite engine looks only through the newest scan matches
 * of the query for them: checking each match of a common word against a
 * filter that few tickets pass costs 0.2 µs or more a match, 30 to 70 ms
 * for every match of 漏 or 退货 at 1 000 000 tickets. PostgreSQL intersects
 * a bitmap of the filter's index with one of the GIN index instead and looks
 * through all; it takes all conditions in conds and plans for itself. */
enum kf_search_plan {
	KF_SEARCH_PLAN_INDEX, /* no conditions: the newest matches in the index */
	KF_SEARCH_PLAN_MERGE, /* the matches merged with a filter's ids, then conds */
	KF_SEARCH_PLAN_CHECK, /* each match checked against its ticket row */
};
/* open (SQLite): the matches come from the index of the open tickets
 * (ticket_search_open, migration 016), so they are all open and conds need
 * not say so. */
void kf_store_search_ticket_window(struct kf_db *db, enum kf_search_plan plan, bool open,
				   int nmerge, const char *conds, int scan, struct kf_buf *sql);
/* The query parameter's text for tokens (space-separated), in the engine's
 * syntax; allocated in a. */
const char *kf_store_search_param(struct kf_db *db, const char *tokens, struct kf_arena *a);

#endif
