/* Search index: what the engines do differently, in one place. */
#include <string.h>
#include "store/search.h"
#include "store/tickets.h"

const char kf_store_search_ticket_weights[] = "ABDC";
const char kf_store_search_customer_weights[] = "AAB";

void kf_store_search_vector(struct kf_buf *out, const char *const *fields, const char *weights,
			    int n)
{
	int pos = 0;
	for (int i = 0; i < n; i++) {
		const char *p = fields[i] ? fields[i] : "";
		while (*p) {
			size_t len = strcspn(p, " ");
			if (len) {
				if (pos < 16383)
					pos++;
				kf_buf_addf(out, "%s'%.*s':%d%c", out->len ? " " : "", (int)len, p,
					    pos, weights[i]);
			}
			p += len;
			while (*p == ' ')
				p++;
		}
	}
}

static int put_vector(struct kf_db *db, const char *sql, int64_t id, const char *const *fields,
		      const char *weights, int n, struct kf_err *err)
{
	struct kf_buf v;
	kf_buf_init(&v, 0);
	kf_store_search_vector(&v, fields, weights, n);
	struct kf_param q[] = {KP_INT(id), KP_TEXT(v.data)};
	int rc = kf_db_exec(db, sql, q, 2, NULL, err);
	kf_buf_release(&v);
	return rc;
}

void kf_store_search_type_token(const char *type, struct kf_buf *out)
{
	kf_buf_adds(out, "\xcf\x89"); /* ω */
	kf_buf_adds(out, type ? type : "");
}

int kf_store_search_put_ticket(struct kf_db *db, int64_t id, bool open, const char *type,
			       const char *number, const char *subject, const char *body,
			       const char *customer, struct kf_err *err)
{
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES) {
		const char *fields[] = {number, subject, body, customer};
		return put_vector(db,
				  "UPDATE tickets SET search = CAST($2 AS tsvector) WHERE id = $1",
				  id, fields, kf_store_search_ticket_weights, 4, err);
	}
	struct kf_buf tags;
	kf_buf_init(&tags, 0);
	kf_store_search_type_token(type, &tags);
	struct kf_param p[] = {KP_INT(id),    KP_TEXT(number),	 KP_TEXT(subject),
			       KP_TEXT(body), KP_TEXT(customer), KP_TEXT(tags.data)};
	/* FTS5 deletes an entry the rowid already has. The open tickets'
	 * index (migration 016) gets the same entry while the ticket is open
	 * (the migration's triggers follow status changes). One row each, as
	 * VALUES: a statement that may write several rows (INSERT … SELECT)
	 * opens a statement savepoint, and at a savepoint every FTS5 table of
	 * the transaction writes what it holds in memory out as a new segment:
	 * a segment per entry, 110 µs an entry instead of 23 (measured). The
	 * tags column holds the type's token (migration 019). */
	int rc = kf_db_exec(db,
			    "INSERT OR REPLACE INTO ticket_search (rowid, number, subject, body, "
			    "customer, tags) VALUES ($1, $2, $3, $4, $5, $6)",
			    p, 6, NULL, err);
	if (!rc && !open)
		rc = kf_db_exec(db, "DELETE FROM ticket_search_open WHERE rowid = $1", p, 1, NULL,
				err);
	else if (!rc)
		rc =
		    kf_db_exec(db,
			       "INSERT OR REPLACE INTO ticket_search_open (rowid, number, subject, "
			       "body, customer, tags) VALUES ($1, $2, $3, $4, $5, $6)",
			       p, 6, NULL, err);
	kf_buf_release(&tags);
	return rc;
}

bool kf_store_search_defers(const struct kf_db *db)
{
	return kf_db_engine(db) == KF_ENGINE_SQLITE;
}

int kf_store_search_queue_ticket(struct kf_db *db, int64_t id, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id)};
	return kf_db_exec(db, "INSERT OR IGNORE INTO search_pending (ticket_id) VALUES ($1)", p, 1,
			  NULL, err);
}

int kf_store_search_has_pending(struct kf_db *db, bool *yes, struct kf_err *err)
{
	int64_t v = 0;
	int rc = kf_db_query_int(db, "SELECT 1 FROM search_pending LIMIT 1", NULL, 0, &v, err);
	if (rc < 0)
		return rc;
	*yes = rc == 1;
	return 0;
}

int kf_store_search_take_pending(struct kf_db *db, int limit, struct kf_arena *a,
				 struct kf_search_pending **out, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(limit)};
	struct kf_rows *r;
	*out = NULL;
	*n = 0;
	int rc = kf_db_query(db,
			     "SELECT t.id, t.number, t.subject, t.description, c.name, c.phone, "
			     "c.company, " KF_STORE_OPEN_STATES ", t.type FROM search_pending q "
			     "JOIN tickets t ON t.id = q.ticket_id "
			     "LEFT JOIN customers c ON c.id = t.customer_id "
			     "ORDER BY q.ticket_id LIMIT $1",
			     p, 1, &r, err);
	if (rc)
		return rc;
	int cap = 0;
	while ((rc = kf_rows_next(r, err)) == 1) {
		if (*n == cap)
			*out = kf_arena_grow(a, *out, *n, &cap, sizeof **out);
		struct kf_search_pending *e = &(*out)[(*n)++];
		e->id = kf_rows_int(r, 0);
		e->number = kf_rows_dup(r, 1, a);
		e->subject = kf_rows_dup(r, 2, a);
		e->description = kf_rows_dup(r, 3, a);
		e->customer_name = kf_rows_dup(r, 4, a);
		e->customer_phone = kf_rows_dup(r, 5, a);
		e->customer_company = kf_rows_dup(r, 6, a);
		e->open = kf_rows_int(r, 7) != 0;
		e->type = kf_rows_dup(r, 8, a);
	}
	kf_rows_free(r);
	if (rc < 0 || !*n)
		return rc < 0 ? rc : 0;
	/* Up to the last one taken (nothing else writes inside this
	 * transaction; a queued id without its ticket goes too). */
	struct kf_param last[] = {KP_INT((*out)[*n - 1].id)};
	return kf_db_exec(db, "DELETE FROM search_pending WHERE ticket_id <= $1", last, 1, NULL,
			  err);
}

int kf_store_search_put_customer(struct kf_db *db, int64_t id, const char *name, const char *phone,
				 const char *company, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id), KP_TEXT(name), KP_TEXT(phone), KP_TEXT(company)};
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES) {
		const char *fields[] = {name, phone, company};
		return put_vector(
		    db, "UPDATE customers SET search = CAST($2 AS tsvector) WHERE id = $1", id,
		    fields, kf_store_search_customer_weights, 3, err);
	}
	int rc = kf_db_exec(db, "DELETE FROM customer_search WHERE rowid = $1", p, 1, NULL, err);
	if (rc)
		return rc;
	return kf_db_exec(db,
			  "INSERT INTO customer_search (rowid, name, phone, company) VALUES ($1, "
			  "$2, $3, $4)",
			  p, 4, NULL, err);
}

const char *kf_store_search_customer_join(struct kf_db *db)
{
	return kf_db_engine(db) == KF_ENGINE_POSTGRES ? ""
						      : " JOIN customer_search s ON s.rowid = c.id";
}

void kf_store_search_customer_where(struct kf_db *db, int param, struct kf_buf *sql)
{
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES)
		kf_buf_addf(sql, "c.search @@ CAST($%d AS tsquery)", param);
	else
		kf_buf_addf(sql, "customer_search MATCH $%d", param);
}

void kf_store_search_customer_order(struct kf_db *db, int param, struct kf_buf *sql)
{
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES)
		kf_buf_addf(sql, "ts_rank(c.search, CAST($%d AS tsquery)) DESC", param);
	else
		kf_buf_adds(sql, "bm25(customer_search, 5.0, 5.0, 2.0)");
}

void kf_store_search_ticket_window(struct kf_db *db, enum kf_search_plan plan, bool open,
				   int nmerge, const char *conds, int scan, struct kf_buf *sql)
{
	const char *c = conds ? conds : "";
	const char *ix = open ? "ticket_search_open" : "ticket_search";
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES) {
		/* The planner has statistics: it drives from the primary key, the
		 * GIN index or a filter's index (bitmaps intersected) as the
		 * numbers say. */
		kf_buf_addf(sql,
			    "SELECT id, -ts_rank(search, CAST($1 AS tsquery)) AS score FROM "
			    "(SELECT t.id, t.search FROM tickets t WHERE t.search @@ CAST($1 AS "
			    "tsquery) AND t.id <= $2%s ORDER BY t.id DESC LIMIT $3) m",
			    c);
		return;
	}
	/* FTS5 gives the matches newest first from the index itself; kf_rank
	 * (src/store/sqlite.c) ranks only those in the window. */
	if (plan == KF_SEARCH_PLAN_INDEX) {
		kf_buf_addf(
		    sql,
		    "SELECT rowid AS id, kf_rank(%s, 10.0, 4.0, 1.0, 3.0, 0.0) AS score FROM "
		    "%s WHERE %s MATCH $1 AND rowid <= $2 ORDER BY rowid DESC LIMIT $3",
		    ix, ix, ix);
		return;
	}
	/* The newest scan matches, ranked only where they meet the conditions:
	 * those among the tickets that meet the indexed ones (the query $4,
	 * walked beside the matches by kf_merge) and then the others (conds)
	 * on the ticket row, or all of them (conds) on the ticket row. The
	 * outer query takes the first $3 in the inner query's order (no ORDER
	 * BY, so that it stops there). */
	kf_buf_adds(sql, "SELECT id, score FROM (SELECT rowid AS id, CASE WHEN ");
	if (plan == KF_SEARCH_PLAN_MERGE) {
		kf_buf_adds(sql, "kf_merge(rowid, $4");
		for (int i = 0; i < nmerge; i++)
			kf_buf_addf(sql, ", $%d", 5 + i);
		kf_buf_addc(sql, ')');
	}
	if (plan == KF_SEARCH_PLAN_CHECK || *c)
		kf_buf_addf(sql, "%sEXISTS (SELECT 1 FROM tickets t WHERE t.id = %s.rowid%s)",
			    plan == KF_SEARCH_PLAN_MERGE ? " AND " : "", ix, c);
	kf_buf_addf(
	    sql,
	    " THEN kf_rank(%s, 10.0, 4.0, 1.0, 3.0, 0.0) END AS score FROM %s WHERE %s MATCH "
	    "$1 AND rowid <= $2 ORDER BY rowid DESC LIMIT %d) WHERE score IS NOT NULL "
	    "LIMIT $3",
	    ix, ix, ix, scan);
}

const char *kf_store_search_param(struct kf_db *db, const char *tokens, struct kf_arena *a)
{
	/* Tokens hold only letters, digits and CJK characters, so quoting them
	 * is enough in both syntaxes: FTS5 "a" "b" (all must match), tsquery
	 * 'a' & 'b'. */
	bool pg = kf_db_engine(db) == KF_ENGINE_POSTGRES;
	struct kf_buf b;
	kf_buf_init(&b, 0);
	const char *p = tokens;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (n) {
			if (b.len)
				kf_buf_adds(&b, pg ? " & " : " ");
			kf_buf_addc(&b, pg ? '\'' : '"');
			kf_buf_add(&b, p, n);
			kf_buf_addc(&b, pg ? '\'' : '"');
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	const char *out = kf_arena_strdup(a, b.data);
	kf_buf_release(&b);
	return out;
}
