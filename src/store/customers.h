/* Customer records (C-1 … C-5) and identity verifications (C-3). Strings
 * read from the store are allocated in the caller's arena. Functions return 0
 * or a negative kf_errcode (KF_ENOTFOUND, KF_ECONFLICT on a stale version). */
#ifndef KF_STORE_CUSTOMERS_H
#define KF_STORE_CUSTOMERS_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

struct kf_customer {
	int64_t id;
	const char *name, *phone, *alt_phone, *email, *address, *company, *grade;
	const char *birthday; /* YYYY-MM-DD or NULL */
	const char *id_number, *notes;
	const char *tags;	  /* JSON array text */
	int64_t last_callback_at; /* 0 for never */
	int64_t created_at, updated_at, version;
};

int kf_store_customer_insert(struct kf_db *db, struct kf_customer *c, struct kf_err *err);
int kf_store_customer_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_customer *out,
			  struct kf_err *err);
/* Writes every field if the stored version is still c->version; increments it. */
int kf_store_customer_update(struct kf_db *db, struct kf_customer *c, struct kf_err *err);
int kf_store_customer_count(struct kf_db *db, int64_t *n, struct kf_err *err);

/* What a list selects; members left zero do not filter. */
struct kf_customer_filter {
	/* Query tokens from kf_tokenize_join(…, query = true): every one must
	 * match the search index (T-10). With tokens, rows come best match
	 * first and paging is by offset; without, in id order after after_id. */
	const char *tokens;
	const char *grade;
	const char *const *grades; /* any of these ngrades grades (C-4 greetings) */
	int ngrades;
	const char *birthdays[2]; /* "MM-DD": a birthday on either day (C-4) */
	int64_t after_id;
	int64_t offset;
	int limit;
};
int kf_store_customer_list(struct kf_db *db, const struct kf_customer_filter *f, struct kf_arena *a,
			   struct kf_customer **items, int *n, struct kf_err *err);

/* C-5: customers of grades[i] whose last callback is before cutoffs[i] or who
 * were never called back, in id order after after_id. */
int kf_store_customer_callbacks_due(struct kf_db *db, const char *const *grades,
				    const int64_t *cutoffs, int ngrades, int64_t after_id,
				    int limit, struct kf_arena *a, struct kf_customer **items,
				    int *n, struct kf_err *err);

/* C-3: an identity check of the caller, by one staff member. A passed one
 * opens the record to that person until expires_at; a failed one has
 * expires_at == at and opens nothing. */
struct kf_customer_verification {
	int64_t id, customer_id, user_id;
	const char *method;
	bool passed;
	int64_t at, expires_at;
};
int kf_store_customer_verification_insert(struct kf_db *db, struct kf_customer_verification *v,
					  struct kf_err *err);
/* Whether user_id holds a passed verification of customer_id still open at
 * now; *expires_at (optional) gets the latest end. */
/* The columns of a customer record (alias c), in the order
 * kf_store_customer_read reads them from column col on. Columns are
 * qualified: on SQLite a search joins the FTS table, whose columns (name,
 * phone, company) would otherwise be ambiguous. */
#define KF_STORE_CUSTOMER_COLS                                                                     \
	"c.id, c.name, c.phone, c.alt_phone, c.email, c.address, c.company, c.grade, "             \
	"c.birthday, c.id_number, c.notes, c.tags, c.last_callback_at, c.created_at, "             \
	"c.updated_at, c.version"
void kf_store_customer_read(struct kf_rows *r, int col, struct kf_arena *a, struct kf_customer *c);
/* C-3: the condition that a verification v (alias) of customer cust by user
 * user passed and is open at now (SQL expressions). */
#define KF_STORE_REVEALED(cust, user, now)                                                         \
	"v.customer_id = " cust " AND v.user_id = " user " AND v.expires_at > " now                \
	" AND v.passed = 1"
int kf_store_customer_revealed(struct kf_db *db, int64_t customer_id, int64_t user_id, int64_t now,
			       bool *revealed, int64_t *expires_at, struct kf_err *err);
/* For each of ids[0..n), whether user_id holds an open verification of it
 * at now (revealed[i]); one query, whatever n (at most 500). */
int kf_store_customer_revealed_among(struct kf_db *db, int64_t user_id, int64_t now,
				     const int64_t *ids, int n, bool *revealed, struct kf_err *err);

#endif
