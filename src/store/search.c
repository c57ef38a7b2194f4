/* Search index: what the engines do differently, in one place. */
#include <string.h>
#include "store/search.h"

int kf_store_search_put_ticket(struct kf_db *db, int64_t id, const char *number,
			       const char *subject, const char *body, const char *customer,
			       struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id), KP_TEXT(number), KP_TEXT(subject), KP_TEXT(body),
			       KP_TEXT(customer)};
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES)
		return kf_db_exec(
		    db,
		    "UPDATE tickets SET search = "
		    "setweight(array_to_tsvector(string_to_array($2, ' ')), 'A') || "
		    "setweight(array_to_tsvector(string_to_array($3, ' ')), 'B') || "
		    "setweight(array_to_tsvector(string_to_array($4, ' ')), 'D') || "
		    "setweight(array_to_tsvector(string_to_array($5, ' ')), 'C') WHERE id = $1",
		    p, 5, NULL, err);
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
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES)
		return kf_db_exec(
		    db,
		    "UPDATE customers SET search = "
		    "setweight(array_to_tsvector(string_to_array($2, ' ')), 'A') || "
		    "setweight(array_to_tsvector(string_to_array($3, ' ')), 'A') || "
		    "setweight(array_to_tsvector(string_to_array($4, ' ')), 'B') WHERE id = $1",
		    p, 4, NULL, err);
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
