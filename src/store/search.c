/* Search index: what the engines do differently, in one place. */
#include <string.h>
#include "store/search.h"

/* PostgreSQL: the fields' tokens as one tsvector literal with positions and
 * weights ('tok':1A 'other':2B …). Lexemes need positions for setweight and
 * ts_rank to see the weights; tokens hold only letters, digits and CJK
 * characters, so quoting them needs no escapes. */
static int put_vector(struct kf_db *db, const char *sql, int64_t id, const char *const *fields,
		      const char *weights, int n, struct kf_err *err)
{
	struct kf_buf v;
	int pos = 0;
	kf_buf_init(&v, 0);
	for (int i = 0; i < n; i++) {
		const char *p = fields[i] ? fields[i] : "";
		while (*p) {
			size_t len = strcspn(p, " ");
			if (len) {
				if (pos < 16383)
					pos++;
				kf_buf_addf(&v, "%s'%.*s':%d%c", v.len ? " " : "", (int)len, p, pos,
					    weights[i]);
			}
			p += len;
			while (*p == ' ')
				p++;
		}
	}
	struct kf_param q[] = {KP_INT(id), KP_TEXT(v.data)};
	int rc = kf_db_exec(db, sql, q, 2, NULL, err);
	kf_buf_release(&v);
	return rc;
}

int kf_store_search_put_ticket(struct kf_db *db, int64_t id, const char *number,
			       const char *subject, const char *body, const char *customer,
			       struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id), KP_TEXT(number), KP_TEXT(subject), KP_TEXT(body),
			       KP_TEXT(customer)};
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES) {
		const char *fields[] = {number, subject, body, customer};
		const char weights[] = {'A', 'B', 'D', 'C'};
		return put_vector(db,
				  "UPDATE tickets SET search = CAST($2 AS tsvector) WHERE id = $1",
				  id, fields, weights, 4, err);
	}
	int rc = kf_db_exec(db, "DELETE FROM ticket_search WHERE rowid = $1", p, 1, NULL, err);
	if (rc)
		return rc;
	return kf_db_exec(db,
			  "INSERT INTO ticket_search (rowid, number, subject, body, customer) "
			  "VALUES ($1, $2, $3, $4, $5)",
			  p, 5, NULL, err);
}

int kf_store_search_put_customer(struct kf_db *db, int64_t id, const char *name, const char *phone,
				 const char *company, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id), KP_TEXT(name), KP_TEXT(phone), KP_TEXT(company)};
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES) {
		const char *fields[] = {name, phone, company};
		const char weights[] = {'A', 'A', 'B'};
		return put_vector(
		    db, "UPDATE customers SET search = CAST($2 AS tsvector) WHERE id = $1", id,
		    fields, weights, 3, err);
	}
	int rc = kf_db_exec(db, "DELETE FROM customer_search WHERE rowid = $1", p, 1, NULL, err);
	if (rc)
		return rc;
	return kf_db_exec(db,
			  "INSERT INTO customer_search (rowid, name, phone, company) VALUES ($1, "
			  "$2, $3, $4)",
			  p, 4, NULL, err);
}

static bool is_tickets(const char *table)
{
	return !strcmp(table, "tickets");
}

const char *kf_store_search_join(struct kf_db *db, const char *table)
{
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES)
		return "";
	return is_tickets(table) ? " JOIN ticket_search s ON s.rowid = t.id"
				 : " JOIN customer_search s ON s.rowid = c.id";
}

void kf_store_search_where(struct kf_db *db, const char *table, int param, struct kf_buf *sql)
{
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES)
		kf_buf_addf(sql, "%s.search @@ CAST($%d AS tsquery)", is_tickets(table) ? "t" : "c",
			    param);
	else
		kf_buf_addf(sql, "%s MATCH $%d",
			    is_tickets(table) ? "ticket_search" : "customer_search", param);
}

void kf_store_search_order(struct kf_db *db, const char *table, int param, struct kf_buf *sql)
{
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES)
		kf_buf_addf(sql, "ts_rank(%s.search, CAST($%d AS tsquery)) DESC",
			    is_tickets(table) ? "t" : "c", param);
	else if (is_tickets(table))
		kf_buf_adds(sql, "bm25(ticket_search, 10.0, 4.0, 1.0, 3.0)");
	else
		kf_buf_adds(sql, "bm25(customer_search, 5.0, 5.0, 2.0)");
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
