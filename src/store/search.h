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

/* Replaces the index entry of ticket id. */
int kf_store_search_put_ticket(struct kf_db *db, int64_t id, const char *number,
			       const char *subject, const char *body, const char *customer,
			       struct kf_err *err);
/* Replaces the index entry of customer id. */
int kf_store_search_put_customer(struct kf_db *db, int64_t id, const char *name, const char *phone,
				 const char *company, struct kf_err *err);

/* Appends to sql a condition that the row (alias t for tickets, c for
 * customers) matches every token of query (space-separated), binding the
 * query as parameter $param; and to order an ORDER BY expression ranking
 * the best match first. For SQLite the caller must also join the FTS table:
 * kf_store_search_join gives that clause ("" on PostgreSQL). */
const char *kf_store_search_join(struct kf_db *db, const char *table);
void kf_store_search_where(struct kf_db *db, const char *table, int param, struct kf_buf *sql);
void kf_store_search_order(struct kf_db *db, const char *table, int param, struct kf_buf *sql);
/* The query parameter's text for tokens (space-separated), in the engine's
 * syntax; allocated in a. */
const char *kf_store_search_param(struct kf_db *db, const char *tokens, struct kf_arena *a);

#endif
