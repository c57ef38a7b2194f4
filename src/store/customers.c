/* SQL for customer records and identity verifications (C-1 … C-5), written
 * once for both engines; the search index is reached through store/search.h. */
#include <stdlib.h>
#include <string.h>
#include "store/customers.h"
#include "store/search.h"
#include "util/buf.h"
#include "util/xmalloc.h"

void kf_store_customer_read(struct kf_rows *r, int col, struct kf_arena *a, struct kf_customer *c)
{
	c->id = kf_rows_int(r, col + 0);
	c->name = kf_rows_dup(r, col + 1, a);
	c->phone = kf_rows_dup(r, col + 2, a);
	c->alt_phone = kf_rows_dup(r, col + 3, a);
	c->email = kf_rows_dup(r, col + 4, a);
	c->address = kf_rows_dup(r, col + 5, a);
	c->company = kf_rows_dup(r, col + 6, a);
	c->grade = kf_rows_dup(r, col + 7, a);
	c->birthday = kf_rows_dup(r, col + 8, a);
	c->id_number = kf_rows_dup(r, col + 9, a);
	c->notes = kf_rows_dup(r, col + 10, a);
	c->tags = kf_rows_dup(r, col + 11, a);
	c->last_callback_at = kf_rows_null(r, col + 12) ? 0 : kf_rows_int(r, col + 12);
	c->created_at = kf_rows_int(r, col + 13);
	c->updated_at = kf_rows_int(r, col + 14);
	c->version = kf_rows_int(r, col + 15);
}

/* Runs a customer query, filling up to max rows into items. */
static int customer_rows(struct kf_db *db, const char *sql, const struct kf_param *p, int np,
			 struct kf_arena *a, struct kf_customer *items, int max, int *n,
			 struct kf_err *err)
{
	struct kf_rows *r;
	int rc = kf_db_query(db, sql, p, np, &r, err);
	if (rc)
		return rc;
	int i = 0;
	while (i < max && (rc = kf_rows_next(r, err)) == 1)
		kf_store_customer_read(r, 0, a, &items[i++]);
	kf_rows_free(r);
	*n = i;
	return rc < 0 ? rc : 0;
}

/* $1 … $12: the columns insert and update write alike. */
static void fields(const struct kf_customer *c, struct kf_param *p)
{
	const struct kf_param f[] = {
	    KP_TEXT(c->name),
	    KP_TEXT(c->phone),
	    KP_TEXT(c->alt_phone),
	    KP_TEXT(c->email),
	    KP_TEXT(c->address),
	    KP_TEXT(c->company),
	    KP_TEXT(c->grade),
	    KP_TEXT(c->birthday),
	    KP_TEXT(c->id_number),
	    KP_TEXT(c->notes),
	    KP_TEXT(c->tags ? c->tags : "[]"),
	    kf_param_opt_int(c->last_callback_at > 0, c->last_callback_at),
	};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		p[i] = f[i];
}

int kf_store_customer_insert(struct kf_db *db, struct kf_customer *c, struct kf_err *err)
{
	struct kf_param p[14];
	fields(c, p);
	p[12] = KP_INT(c->created_at);
	p[13] = KP_INT(c->updated_at);
	c->version = 1;
	if (!c->tags)
		c->tags = "[]";
	int rc = kf_db_query_int(
	    db,
	    "INSERT INTO customers (name, phone, alt_phone, email, address, company, grade, "
	    "birthday, id_number, notes, tags, last_callback_at, created_at, updated_at, version) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1) RETURNING id",
	    p, 14, &c->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_customer_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_customer *out,
			  struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	int n = 0;
	int rc =
	    customer_rows(db, "SELECT " KF_STORE_CUSTOMER_COLS " FROM customers c WHERE c.id = $1",
			  &p, 1, a, out, 1, &n, err);
	if (rc)
		return rc;
	return n ? 0 : kf_err_set(err, KF_ENOTFOUND, "customer %lld not found", (long long)id);
}

int kf_store_customer_update(struct kf_db *db, struct kf_customer *c, struct kf_err *err)
{
	struct kf_param p[15];
	fields(c, p);
	p[12] = KP_INT(c->updated_at);
	p[13] = KP_INT(c->id);
	p[14] = KP_INT(c->version);
	int64_t changed = 0;
	int rc =
	    kf_db_exec(db,
		       "UPDATE customers SET name = $1, phone = $2, alt_phone = $3, email = $4, "
		       "address = $5, company = $6, grade = $7, birthday = $8, id_number = $9, "
		       "notes = $10, tags = $11, last_callback_at = $12, updated_at = $13, "
		       "version = version + 1 WHERE id = $14 AND version = $15",
		       p, 15, &changed, err);
	if (rc)
		return rc;
	if (!changed)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "customer %lld was changed by someone else (version %lld is "
				    "stale)",
				    (long long)c->id, (long long)c->version);
	c->version++;
	return 0;
}

int kf_store_customer_count(struct kf_db *db, int64_t *n, struct kf_err *err)
{
	int rc = kf_db_query_int(db, "SELECT COUNT(*) FROM customers", NULL, 0, n, err);
	return rc < 0 ? rc : 0;
}

#define MAX_PARAMS 72 /* room for the policy's 32 grades: two parameters each, and two more */

int kf_store_customer_list(struct kf_db *db, const struct kf_customer_filter *f, struct kf_arena *a,
			   struct kf_customer **items, int *n, struct kf_err *err)
{
	struct kf_param p[MAX_PARAMS];
	int np = 0;
	int limit = f->limit > 0 ? f->limit : 1;
	if (f->ngrades > MAX_PARAMS - 8)
		return kf_err_set(err, KF_EINTERNAL, "too many grades in a customer filter");
	struct kf_buf sql;
	kf_buf_init(&sql, 0);
	kf_buf_adds(&sql, "SELECT " KF_STORE_CUSTOMER_COLS " FROM customers c");
	int search = 0;
	if (f->tokens && *f->tokens) {
		kf_buf_adds(&sql, kf_store_search_customer_join(db));
		p[np++] = KP_TEXT(kf_store_search_param(db, f->tokens, a));
		search = np;
		kf_buf_adds(&sql, " WHERE ");
		kf_store_search_customer_where(db, search, &sql);
	} else {
		p[np++] = KP_INT(f->after_id);
		kf_buf_addf(&sql, " WHERE c.id > $%d", np);
	}
	if (f->grade) {
		p[np++] = KP_TEXT(f->grade);
		kf_buf_addf(&sql, " AND c.grade = $%d", np);
	}
	if (f->ngrades > 0) {
		kf_buf_adds(&sql, " AND c.grade IN (");
		for (int i = 0; i < f->ngrades; i++) {
			p[np++] = KP_TEXT(f->grades[i]);
			kf_buf_addf(&sql, "%s$%d", i ? ", " : "", np);
		}
		kf_buf_adds(&sql, ")");
	}
	if (f->birthdays[0]) {
		/* The same expression as the index customers_birthday, so that
		 * the day's birthdays are an index lookup. */
		p[np++] = KP_TEXT(f->birthdays[0]);
		p[np++] = KP_TEXT(f->birthdays[1] ? f->birthdays[1] : f->birthdays[0]);
		kf_buf_addf(&sql, " AND substr(c.birthday, 6, 5) IN ($%d, $%d)", np - 1, np);
	}
	if (search) {
		kf_buf_adds(&sql, " ORDER BY ");
		kf_store_search_customer_order(db, search, &sql);
		p[np++] = KP_INT(limit);
		p[np++] = KP_INT(f->offset);
		kf_buf_addf(&sql, ", c.id LIMIT $%d OFFSET $%d", np - 1, np);
	} else {
		p[np++] = KP_INT(limit);
		kf_buf_addf(&sql, " ORDER BY c.id LIMIT $%d", np);
	}
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)limit);
	int rc = customer_rows(db, sql.data, p, np, a, *items, limit, n, err);
	kf_buf_release(&sql);
	return rc;
}

int kf_store_customer_callbacks_due(struct kf_db *db, const char *const *grades,
				    const int64_t *cutoffs, int ngrades, int64_t after_id,
				    int limit, struct kf_arena *a, struct kf_customer **items,
				    int *n, struct kf_err *err)
{
	struct kf_param p[MAX_PARAMS];
	int np = 0;
	if (limit < 1)
		limit = 1;
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)limit);
	*n = 0;
	if (ngrades <= 0)
		return 0;
	if (ngrades * 2 > MAX_PARAMS - 2)
		return kf_err_set(err, KF_EINTERNAL, "too many grades for callbacks");
	struct kf_buf sql;
	kf_buf_init(&sql, 0);
	p[np++] = KP_INT(after_id);
	kf_buf_adds(&sql,
		    "SELECT " KF_STORE_CUSTOMER_COLS " FROM customers c WHERE c.id > $1 AND (");
	for (int i = 0; i < ngrades; i++) {
		p[np++] = KP_TEXT(grades[i]);
		p[np++] = KP_INT(cutoffs[i]);
		kf_buf_addf(&sql,
			    "%s(c.grade = $%d AND (c.last_callback_at IS NULL OR "
			    "c.last_callback_at < $%d))",
			    i ? " OR " : "", np - 1, np);
	}
	p[np++] = KP_INT(limit);
	kf_buf_addf(&sql, ") ORDER BY c.id LIMIT $%d", np);
	int rc = customer_rows(db, sql.data, p, np, a, *items, limit, n, err);
	kf_buf_release(&sql);
	return rc;
}

int kf_store_customer_verification_insert(struct kf_db *db, struct kf_customer_verification *v,
					  struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(v->customer_id), KP_INT(v->user_id),
			       KP_TEXT(v->method),     KP_INT(v->passed ? 1 : 0),
			       KP_INT(v->at),	       KP_INT(v->expires_at)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO customer_verifications (customer_id, user_id, method, "
			    "passed, at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) "
			    "RETURNING id",
			    p, 6, &v->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_customer_revealed(struct kf_db *db, int64_t customer_id, int64_t user_id, int64_t now,
			       bool *revealed, int64_t *expires_at, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(customer_id), KP_INT(user_id), KP_INT(now)};
	int64_t until = 0;
	int rc = kf_db_query_int(
	    db,
	    "SELECT expires_at FROM customer_verifications v WHERE " KF_STORE_REVEALED(
		"$1", "$2", "$3") " ORDER BY expires_at DESC LIMIT 1",
	    p, 3, &until, err);
	if (rc < 0)
		return rc;
	*revealed = rc == 1;
	if (expires_at)
		*expires_at = rc == 1 ? until : 0;
	return 0;
}

int kf_store_customer_revealed_among(struct kf_db *db, int64_t user_id, int64_t now,
				     const int64_t *ids, int n, bool *revealed, struct kf_err *err)
{
	for (int i = 0; i < n; i++)
		revealed[i] = false;
	if (n <= 0 || user_id <= 0)
		return 0;
	if (n > 500)
		return kf_err_set(err, KF_EINTERNAL, "too many customers to check at once");
	struct kf_param *p = kf_xmalloc(sizeof *p * (size_t)(n + 2));
	struct kf_buf sql;
	kf_buf_init(&sql, 0);
	p[0] = KP_INT(user_id);
	p[1] = KP_INT(now);
	/* customer_id leads the index customer_verifications_open, so this is
	 * one index probe per listed customer. */
	kf_buf_adds(&sql, "SELECT DISTINCT customer_id FROM customer_verifications WHERE "
			  "customer_id IN (");
	for (int i = 0; i < n; i++) {
		p[i + 2] = KP_INT(ids[i]);
		kf_buf_addf(&sql, "%s$%d", i ? ", " : "", i + 3);
	}
	kf_buf_adds(&sql, ") AND user_id = $1 AND expires_at > $2 AND passed = 1");
	struct kf_rows *r;
	int rc = kf_db_query(db, sql.data, p, n + 2, &r, err);
	kf_buf_release(&sql);
	free(p);
	if (rc)
		return rc;
	while ((rc = kf_rows_next(r, err)) == 1) {
		int64_t id = kf_rows_int(r, 0);
		for (int i = 0; i < n; i++)
			if (ids[i] == id)
				revealed[i] = true;
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}
