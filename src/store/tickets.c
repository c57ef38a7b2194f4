/* SQL for tickets, deadlines, timeline and transfers, for both engines. */
#include <stdio.h>
#include <string.h>
#include "store/customers.h"
#include "store/search.h"
#include "store/tickets.h"
#include "util/buf.h"
#include "util/log.h"

int kf_store_ticket_next_seq(struct kf_db *db, const char *prefix, int ymd, int64_t *seq,
			     struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(prefix), KP_INT(ymd)};
	int rc = kf_db_query_int(db,
				 "INSERT INTO ticket_counters (prefix, day, value) VALUES ($1, $2, "
				 "1) ON CONFLICT (prefix, day) DO UPDATE SET value = "
				 "ticket_counters.value + 1 RETURNING value",
				 p, 2, seq, err);
	return rc < 0 ? rc : 0;
}

int kf_store_ticket_insert(struct kf_db *db, struct kf_ticket *t,
			   const struct kf_ticket_deadline *dl, int ndl, struct kf_err *err)
{
	struct kf_buf copy;
	kf_buf_init(&copy, 0);
	t->next_due_at = 0;
	for (int i = 0; i < ndl; i++) {
		if (!t->next_due_at || dl[i].due_at < t->next_due_at)
			t->next_due_at = dl[i].due_at;
		kf_store_deadlines_text_add(&copy, &dl[i]);
	}
	struct kf_param p[] = {KP_TEXT(t->number),
			       KP_TEXT(t->type),
			       KP_TEXT(t->channel),
			       KP_TEXT(t->contact),
			       KP_TEXT(t->subject),
			       KP_TEXT(t->description),
			       KP_INT(t->customer_id),
			       KP_TEXT(t->status),
			       KP_TEXT(t->priority),
			       KP_INT(t->owner_id),
			       kf_param_opt_int(t->assignee_id > 0, t->assignee_id),
			       KP_TEXT(t->product),
			       KP_TEXT(t->service_class),
			       KP_INT(t->policy_version),
			       KP_INT(t->created_by),
			       KP_INT(t->created_at),
			       KP_INT(t->pause_pending),
			       KP_TEXT(t->review_rating),
			       kf_param_opt_int(t->next_due_at > 0, t->next_due_at),
			       KP_TEXT(copy.data)};
	t->version = 1;
	t->updated_at = t->created_at;
	int rc = kf_db_query_int(
	    db,
	    "INSERT INTO tickets (number, type, channel, contact, subject, description, "
	    "customer_id, status, priority, owner_id, assignee_id, product, service_class, "
	    "policy_version, created_by, created_at, updated_at, pause_pending, review_rating, "
	    "next_due_at, deadlines) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
	    "$13, $14, $15, $16, $16, $17, $18, $19, $20) RETURNING id",
	    p, 20, &t->id, err);
	kf_buf_release(&copy);
	for (int i = 0; rc >= 0 && i < ndl; i++)
		rc = kf_store_deadline_insert(db, t->id, dl[i].kind, dl[i].due_at, err);
	return rc < 0 ? rc : 0;
}

#define TICKET_COLS                                                                                \
	"t.id, t.number, t.type, t.channel, t.contact, t.subject, t.description, "                 \
	"t.customer_id, t.status, t.priority, t.owner_id, t.assignee_id, t.escalated_to, "         \
	"t.product, t.service_class, t.overdue, t.next_due_at, t.policy_version, "                 \
	"t.created_by, t.created_at, t.updated_at, t.resolved_at, t.closed_at, t.version, "        \
	"c.name, c.phone, c.grade, t.pause_pending, t.pending_since, t.review_rating"

static void read_ticket(struct kf_rows *r, struct kf_arena *a, struct kf_ticket *t)
{
	t->id = kf_rows_int(r, 0);
	t->number = kf_rows_dup(r, 1, a);
	t->type = kf_rows_dup(r, 2, a);
	t->channel = kf_rows_dup(r, 3, a);
	t->contact = kf_rows_dup(r, 4, a);
	t->subject = kf_rows_dup(r, 5, a);
	t->description = kf_rows_dup(r, 6, a);
	t->customer_id = kf_rows_int(r, 7);
	t->status = kf_rows_dup(r, 8, a);
	t->priority = kf_rows_dup(r, 9, a);
	t->owner_id = kf_rows_int(r, 10);
	t->assignee_id = kf_rows_int(r, 11);
	t->escalated_to = kf_rows_dup(r, 12, a);
	t->product = kf_rows_dup(r, 13, a);
	t->service_class = kf_rows_dup(r, 14, a);
	t->overdue = kf_rows_int(r, 15) != 0;
	t->next_due_at = kf_rows_int(r, 16);
	t->policy_version = kf_rows_int(r, 17);
	t->created_by = kf_rows_int(r, 18);
	t->created_at = kf_rows_int(r, 19);
	t->updated_at = kf_rows_int(r, 20);
	t->resolved_at = kf_rows_int(r, 21);
	t->closed_at = kf_rows_int(r, 22);
	t->version = kf_rows_int(r, 23);
	t->customer_name = kf_rows_dup(r, 24, a);
	t->customer_phone = kf_rows_dup(r, 25, a);
	t->customer_grade = kf_rows_dup(r, 26, a);
	t->pause_pending = kf_rows_int(r, 27) != 0;
	t->pending_since = kf_rows_int(r, 28);
	t->review_rating = kf_rows_dup(r, 29, a);
}

int kf_store_ticket_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_ticket *out,
			struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	struct kf_rows *r;
	int rc = kf_db_query(db,
			     "SELECT " TICKET_COLS " FROM tickets t JOIN customers c ON c.id = "
			     "t.customer_id WHERE t.id = $1",
			     &p, 1, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		read_ticket(r, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_ENOTFOUND, "ticket %lld not found", (long long)id);
	}
	kf_rows_free(r);
	return rc;
}

/* The number of TICKET_COLS. */
#define TICKET_NCOLS 30

int kf_store_ticket_get_full(struct kf_db *db, int64_t id, int64_t viewer, int64_t now,
			     struct kf_arena *a, struct kf_ticket *out, struct kf_customer *cu,
			     bool *revealed, struct kf_ticket_deadline **dl, int *ndl,
			     struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id), KP_INT(viewer), KP_INT(now)};
	struct kf_rows *r;
	char *text = NULL;
	int rc =
	    kf_db_query(db,
			"SELECT " TICKET_COLS ", " KF_STORE_CUSTOMER_COLS
			", EXISTS (SELECT 1 FROM customer_verifications v WHERE " KF_STORE_REVEALED(
			    "t.customer_id", "$2", "$3") "), t.deadlines FROM tickets t JOIN "
							 "customers c ON c.id = t.customer_id "
							 "WHERE t.id = $1",
			p, 3, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		read_ticket(r, a, out);
		kf_store_customer_read(r, TICKET_NCOLS, a, cu);
		*revealed = viewer > 0 && kf_rows_int(r, TICKET_NCOLS + 16) != 0;
		/* The arena's copy, parsed in place. */
		text = (char *)kf_rows_dup(r, TICKET_NCOLS + 17, a);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_ENOTFOUND, "ticket %lld not found", (long long)id);
	}
	kf_rows_free(r);
	if (rc || (text && kf_store_deadlines_parse(text, id, a, dl, ndl) == 0))
		return rc;
	/* No copy (a ticket not changed since PostgreSQL's migration 015
	 * added the column) or, which kefu never writes, one it cannot read:
	 * the deadlines themselves, as before the copy. */
	if (text)
		kf_log_error("ticket %lld: its copy of its deadlines is not readable; read from "
			     "ticket_deadlines",
			     (long long)id);
	return kf_store_deadline_list(db, id, a, dl, ndl, err);
}

int kf_store_ticket_update(struct kf_db *db, struct kf_ticket *t, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(t->contact),
			       KP_TEXT(t->subject),
			       KP_TEXT(t->description),
			       KP_INT(t->customer_id),
			       KP_TEXT(t->status),
			       KP_TEXT(t->priority),
			       KP_INT(t->owner_id),
			       kf_param_opt_int(t->assignee_id > 0, t->assignee_id),
			       KP_TEXT(t->escalated_to),
			       KP_TEXT(t->product),
			       KP_TEXT(t->service_class),
			       KP_INT(t->updated_at),
			       kf_param_opt_int(t->resolved_at > 0, t->resolved_at),
			       kf_param_opt_int(t->closed_at > 0, t->closed_at),
			       KP_INT(t->id),
			       KP_INT(t->version),
			       KP_TEXT(t->type),
			       KP_TEXT(t->channel),
			       kf_param_opt_int(t->pending_since > 0, t->pending_since),
			       KP_TEXT(t->review_rating)};
	int64_t changed = 0;
	int rc =
	    kf_db_exec(db,
		       "UPDATE tickets SET contact = $1, subject = $2, description = $3, "
		       "customer_id = $4, status = $5, priority = $6, owner_id = $7, "
		       "assignee_id = $8, escalated_to = $9, product = $10, service_class = "
		       "$11, updated_at = $12, resolved_at = $13, closed_at = $14, type = $17, "
		       "channel = $18, pending_since = $19, review_rating = $20, version = version "
		       "+ 1 WHERE id = $15 AND version = $16",
		       p, 20, &changed, err);
	if (rc)
		return rc;
	if (!changed)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "ticket %s was changed by someone else (version %lld is stale)",
				    t->number, (long long)t->version);
	t->version++;
	return 0;
}

/* Appends the filter's conditions (" AND …" on alias t) to sql, numbering
 * their parameters from *np + 1. */
static void filter_conds(const struct kf_ticket_filter *f, struct kf_param *p, int *np,
			 struct kf_buf *sql)
{
#define COND(cond, param, fmt)                                                                     \
	if (cond) {                                                                                \
		p[(*np)++] = param;                                                                \
		kf_buf_addf(sql, fmt, *np);                                                        \
	}
	COND(f->status, KP_TEXT(f->status), " AND t.status = $%d");
	COND(f->type, KP_TEXT(f->type), " AND t.type = $%d");
	COND(f->assignee_id, KP_INT(f->assignee_id), " AND t.assignee_id = $%d");
	COND(f->owner_id, KP_INT(f->owner_id), " AND t.owner_id = $%d");
	COND(f->customer_id, KP_INT(f->customer_id), " AND t.customer_id = $%d");
	/* A team's queue: the assignee, or the owner while nobody is assigned,
	 * is in the team. Not an index range: checked per row. */
	COND(f->team_id, KP_INT(f->team_id),
	     " AND COALESCE(t.assignee_id, t.owner_id) IN (SELECT id FROM users WHERE team_id = "
	     "$%d)");
#undef COND
	/* Literals, not parameters: the partial indexes' terms. */
	if (f->overdue == 1)
		kf_buf_adds(sql, " AND t.overdue = 1");
	else if (f->overdue == 0)
		kf_buf_adds(sql, " AND t.overdue = 0");
	if (f->open_only)
		kf_buf_adds(sql, " AND " KF_STORE_OPEN_STATES);
}

/* The indexes in id order (migrations 005 and 013) and the conditions each
 * serves, the most selective first. On SQLite a list or a filtered search
 * names the first whose conditions the filter has, rather than leaving the
 * choice to the planner: without statistics, SQLite rates an index on
 * (assignee_id, id) and the partial one of open tickets on the same columns
 * alike and takes whichever was created last, and the first reads an
 * agent's every ticket for a page of their open ones. The team and
 * overdue = 0 have none. */
enum {
	F_CUSTOMER = 1,
	F_ASSIGNEE = 2,
	F_OWNER = 4,
	F_OPEN = 8,
	F_OVERDUE = 16,
	F_STATUS = 32,
	F_TYPE = 64,
};
static const struct {
	const char *name;
	unsigned serves;
} id_indexes[] = {
    {"tickets_customer", F_CUSTOMER},
    {"tickets_open_assignee", F_OPEN | F_ASSIGNEE},
    {"tickets_open_owner", F_OPEN | F_OWNER},
    {"tickets_assignee", F_ASSIGNEE},
    {"tickets_owner", F_OWNER},
    {"tickets_overdue", F_OVERDUE},
    {"tickets_open", F_OPEN},
    {"tickets_status", F_STATUS},
    {"tickets_type", F_TYPE},
};

/* The index for f (its position in id_indexes), or -1. */
static int id_index(const struct kf_ticket_filter *f)
{
	unsigned has = (f->customer_id ? F_CUSTOMER : 0) | (f->assignee_id ? F_ASSIGNEE : 0) |
		       (f->owner_id ? F_OWNER : 0) | (f->open_only ? F_OPEN : 0) |
		       (f->overdue == 1 ? F_OVERDUE : 0) | (f->status ? F_STATUS : 0) |
		       (f->type ? F_TYPE : 0);
	for (int i = 0; i < (int)(sizeof id_indexes / sizeof id_indexes[0]); i++)
		if ((id_indexes[i].serves & has) == id_indexes[i].serves)
			return i;
	return -1;
}

/* Splits f into the conditions index i serves (*served) and the others
 * (*rest). */
static void split_filter(const struct kf_ticket_filter *f, int i, struct kf_ticket_filter *served,
			 struct kf_ticket_filter *rest)
{
	unsigned s = id_indexes[i].serves;
	*served = (struct kf_ticket_filter){.overdue = -1};
	*rest = *f;
#define MOVE(flag, field, none)                                                                    \
	if (s & (flag)) {                                                                          \
		served->field = f->field;                                                          \
		rest->field = none;                                                                \
	}
	MOVE(F_CUSTOMER, customer_id, 0);
	MOVE(F_ASSIGNEE, assignee_id, 0);
	MOVE(F_OWNER, owner_id, 0);
	MOVE(F_OPEN, open_only, false);
	MOVE(F_OVERDUE, overdue, -1);
	MOVE(F_STATUS, status, NULL);
	MOVE(F_TYPE, type, NULL);
#undef MOVE
}

/* Names index i (of id_indexes; none when i < 0) on SQLite. */
static void add_index(struct kf_db *db, int i, struct kf_buf *sql)
{
	if (i >= 0 && kf_db_engine(db) == KF_ENGINE_SQLITE)
		kf_buf_addf(sql, " INDEXED BY %s", id_indexes[i].name);
}

static int read_list(struct kf_db *db, const char *sql, const struct kf_param *p, int np, int limit,
		     struct kf_arena *a, struct kf_ticket **items, int *n, struct kf_err *err)
{
	struct kf_rows *r;
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	int rc = kf_db_query(db, sql, p, np, &r, err);
	if (rc)
		return rc;
	while (*n < limit && (rc = kf_rows_next(r, err)) == 1)
		read_ticket(r, a, &(*items)[(*n)++]);
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

/* A filtered search on SQLite looks through at most this many times the
 * window's size of the newest matches of the text (see
 * kf_store_search_ticket_window): 20 000 for the window of 2 000. */
#define SEARCH_SCAN_FACTOR 10

/* How the SQLite engine checks a filtered search's conditions. Its planner
 * has no statistics (kefu never runs ANALYZE) and, left alone, looks every
 * match up in the tickets table or every filtered ticket up in FTS5 (0.3 to
 * 0.6 s at 1 000 000 tickets). So the conditions that an index in id order
 * serves (id_indexes) become a query of the tickets that meet them, newest
 * first, at or below a bound ($1), which kf_merge walks beside the matches
 * (0.1 to 0.2 µs a step, a seek of 1 to 3 µs where the filter's tickets are
 * dense and the matches sparse); each match found there is then checked
 * against the other conditions (*rest) on its ticket row. Sets *merge (the
 * query) and appends the query's parameters' values to p; leaves
 * *merge empty and *rest all of f when no index serves f, and each match is
 * then checked against its ticket row (1 to 7 µs, a random read of the
 * table). */
static void filter_merge(struct kf_db *db, const struct kf_ticket_filter *f, struct kf_buf *merge,
			 struct kf_param *p, int *np, int *nmerge, struct kf_ticket_filter *rest)
{
	int i = id_index(f);
	*rest = *f;
	*nmerge = 0;
	if (i < 0)
		return;
	struct kf_ticket_filter served;
	split_filter(f, i, &served, rest);
	struct kf_param mp[8];
	int n = 1; /* $1 is the bound */
	kf_buf_adds(merge, "SELECT t.id FROM tickets t");
	add_index(db, i, merge);
	kf_buf_adds(merge, " WHERE t.id <= $1");
	filter_conds(&served, mp, &n, merge);
	kf_buf_adds(merge, " ORDER BY t.id DESC");
	*nmerge = n - 1;
	for (int k = 1; k < n; k++)
		p[(*np)++] = mp[k];
}

/* T-10: best match first, newest first among equals, within the window of
 * the newest f->window matches with id <= f->top (set here on the first
 * page), so that later pages rank the same window whatever was registered
 * since; with filters, on SQLite, among the newest SEARCH_SCAN_FACTOR
 * windows of matches of the text (and the type, which the search index
 * holds). Only the page's rows are read from
 * tickets and customers. */
static int ticket_search(struct kf_db *db, struct kf_ticket_filter *f, struct kf_arena *a,
			 struct kf_ticket **items, int *n, struct kf_err *err)
{
	int rc;
	if (!f->top) {
		rc = kf_db_query_int(db, "SELECT COALESCE(MAX(id), 0) FROM tickets", NULL, 0,
				     &f->top, err);
		if (rc < 0)
			return rc;
	}
	struct kf_param p[16] = {KP_TEXT(f->query), KP_INT(f->top), KP_INT(f->window)};
	int np = 3, nmerge = 0;
	struct kf_buf conds, merge, sql;
	kf_buf_init(&conds, 0);
	kf_buf_init(&merge, 0);
	kf_buf_init(&sql, 0);
	int scan = f->window * SEARCH_SCAN_FACTOR;
	enum kf_search_plan plan = KF_SEARCH_PLAN_INDEX;
	struct kf_ticket_filter rest = *f;
	/* On SQLite open=true searches the open tickets' index (migration
	 * 016); the open condition stays in the filter only where it narrows
	 * another's index (an agent's open tickets). */
	bool open = kf_db_engine(db) == KF_ENGINE_SQLITE && f->open_only;
	struct kf_ticket_filter g = *f;
	if (open) {
		int i = id_index(f);
		g.open_only =
		    i >= 0 && (id_indexes[i].serves & F_OPEN) && id_indexes[i].serves != F_OPEN;
	}
	if (kf_db_engine(db) == KF_ENGINE_SQLITE) {
		/* The type is a token of the search index (migration 019): FTS5
		 * intersects the text's matches with the type's tickets, the
		 * token looked for in the tags column only. */
		if (g.type && *g.type &&
		    strspn(g.type, "abcdefghijklmnopqrstuvwxyz_") == strlen(g.type)) {
			struct kf_buf m;
			kf_buf_init(&m, 0);
			kf_buf_addf(&m, "%s {tags} : \"", f->query);
			kf_store_search_type_token(g.type, &m);
			kf_buf_addc(&m, '"');
			p[0] = KP_TEXT(kf_arena_strdup(a, m.data));
			kf_buf_release(&m);
			g.type = NULL;
		}
		/* $4 is the merge query, its values after */
		np = 4;
		filter_merge(db, &g, &merge, p, &np, &nmerge, &rest);
		if (merge.len) {
			plan = KF_SEARCH_PLAN_MERGE;
			p[3] = KP_TEXT(merge.data);
		} else {
			np = 3;
		}
	}
	filter_conds(&rest, p, &np, &conds);
	if (plan == KF_SEARCH_PLAN_INDEX && conds.len)
		plan = KF_SEARCH_PLAN_CHECK;
	kf_buf_adds(&sql, "SELECT " TICKET_COLS " FROM (SELECT id, score FROM (");
	kf_store_search_ticket_window(db, plan, open, nmerge, conds.data, scan, &sql);
	p[np++] = KP_INT(f->limit);
	p[np++] = KP_INT(f->offset);
	kf_buf_addf(&sql,
		    ") w ORDER BY score, id DESC LIMIT $%d OFFSET $%d) p JOIN tickets t ON t.id = "
		    "p.id JOIN customers c ON c.id = t.customer_id ORDER BY p.score, p.id DESC",
		    np - 1, np);
	rc = read_list(db, sql.data, p, np, f->limit, a, items, n, err);
	kf_buf_release(&sql);
	kf_buf_release(&merge);
	kf_buf_release(&conds);
	return rc;
}

int kf_store_ticket_list(struct kf_db *db, struct kf_ticket_filter *f, struct kf_arena *a,
			 struct kf_ticket **items, int *n, struct kf_err *err)
{
	if (f->query)
		return ticket_search(db, f, a, items, n, err);
	struct kf_buf sql;
	struct kf_param p[12];
	int np = 0;
	kf_buf_init(&sql, 0);
	kf_buf_adds(&sql, "SELECT " TICKET_COLS " FROM tickets t");
	add_index(db, id_index(f), &sql);
	kf_buf_adds(&sql, " JOIN customers c ON c.id = t.customer_id WHERE 1 = 1");
	filter_conds(f, p, &np, &sql);
	if (f->before_id > 0) {
		p[np++] = KP_INT(f->before_id);
		kf_buf_addf(&sql, " AND t.id < $%d", np);
	}
	p[np++] = KP_INT(f->limit);
	kf_buf_addf(&sql, " ORDER BY t.id DESC LIMIT $%d", np);
	int rc = read_list(db, sql.data, p, np, f->limit, a, items, n, err);
	kf_buf_release(&sql);
	return rc;
}

int kf_store_ticket_counts(struct kf_db *db, const struct kf_ticket_filter *f, int64_t now,
			   int64_t soon_until, struct kf_arena *a, struct kf_ticket_count **rows,
			   int *n, struct kf_err *err)
{
	/* The open-ticket partial indexes (migration 005) serve the open
	 * condition, with the assignee or owner when given. */
	struct kf_ticket_filter only = {.assignee_id = f->assignee_id,
					.owner_id = f->owner_id,
					.team_id = f->team_id,
					.overdue = -1,
					.open_only = true};
	struct kf_buf sql;
	struct kf_param p[8] = {KP_INT(now), KP_INT(soon_until)};
	int np = 2, cap = 0;
	struct kf_rows *r;
	kf_buf_init(&sql, 0);
	kf_buf_adds(&sql, "SELECT t.assignee_id, COUNT(*), SUM(CASE WHEN t.overdue = 1 OR "
			  "t.next_due_at < $1 THEN 1 ELSE 0 END), SUM(CASE WHEN t.overdue = 0 AND "
			  "t.next_due_at >= $1 AND t.next_due_at < $2 THEN 1 ELSE 0 END) FROM "
			  "tickets t WHERE 1 = 1");
	filter_conds(&only, p, &np, &sql);
	kf_buf_adds(&sql, " GROUP BY t.assignee_id ORDER BY t.assignee_id");
	*rows = NULL;
	*n = 0;
	int rc = kf_db_query(db, sql.data, p, np, &r, err);
	kf_buf_release(&sql);
	if (rc)
		return rc;
	while ((rc = kf_rows_next(r, err)) == 1) {
		if (*n == cap)
			*rows = kf_arena_grow(a, *rows, *n, &cap, sizeof **rows);
		struct kf_ticket_count *c = &(*rows)[(*n)++];
		c->assignee_id = kf_rows_int(r, 0);
		c->open = kf_rows_int(r, 1);
		c->overdue = kf_rows_int(r, 2);
		c->due_soon = kf_rows_int(r, 3);
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

/* ---- deadlines ---- */

int kf_store_deadline_insert(struct kf_db *db, int64_t ticket_id, const char *kind, int64_t due_at,
			     struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(ticket_id), KP_TEXT(kind), KP_INT(due_at)};
	return kf_db_exec(db,
			  "INSERT INTO ticket_deadlines (ticket_id, kind, due_at) VALUES ($1, $2, "
			  "$3) ON CONFLICT (ticket_id, kind) DO NOTHING",
			  p, 3, NULL, err);
}

static void read_deadline(struct kf_rows *r, struct kf_arena *a, struct kf_ticket_deadline *d)
{
	d->ticket_id = kf_rows_int(r, 0);
	d->kind = kf_rows_dup(r, 1, a);
	d->due_at = kf_rows_int(r, 2);
	d->met_at = kf_rows_int(r, 3);
	d->overdue_at = kf_rows_int(r, 4);
}

static int deadline_query(struct kf_db *db, const char *sql, const struct kf_param *p, int np,
			  int limit, struct kf_arena *a, struct kf_ticket_deadline **items, int *n,
			  struct kf_err *err)
{
	struct kf_rows *r;
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)limit);
	*n = 0;
	int rc = kf_db_query(db, sql, p, np, &r, err);
	if (rc)
		return rc;
	while (*n < limit && (rc = kf_rows_next(r, err)) == 1)
		read_deadline(r, a, &(*items)[(*n)++]);
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

/* By due time, then kind (a ticket has a few: insertion). */
static void sort_deadlines(struct kf_ticket_deadline *d, int n)
{
	for (int i = 1; i < n; i++) {
		struct kf_ticket_deadline x = d[i];
		int j = i;
		for (; j > 0 && (d[j - 1].due_at > x.due_at || (d[j - 1].due_at == x.due_at &&
								strcmp(d[j - 1].kind, x.kind) > 0));
		     j--)
			d[j] = d[j - 1];
		d[j] = x;
	}
}

int kf_store_deadline_list(struct kf_db *db, int64_t ticket_id, struct kf_arena *a,
			   struct kf_ticket_deadline **items, int *n, struct kf_err *err)
{
	struct kf_param p = KP_INT(ticket_id);
	/* Sorted here, since ORDER BY made SQLite build a temporary B-tree
	 * for two or three rows. */
	int rc = deadline_query(db,
				"SELECT ticket_id, kind, due_at, met_at, overdue_at FROM "
				"ticket_deadlines WHERE ticket_id = $1",
				&p, 1, KF_STORE_DEADLINES_MAX, a, items, n, err);
	if (!rc)
		sort_deadlines(*items, *n);
	return rc;
}

void kf_store_deadlines_text_add(struct kf_buf *out, const struct kf_ticket_deadline *d)
{
	kf_buf_addf(out, "%s%s,%lld,", out->len ? ";" : "", d->kind, (long long)d->due_at);
	if (d->met_at)
		kf_buf_addf(out, "%lld", (long long)d->met_at);
	kf_buf_addc(out, ',');
	if (d->overdue_at)
		kf_buf_addf(out, "%lld", (long long)d->overdue_at);
}

/* The decimal number at *p, with an optional '-' (0 when there are no
 * digits and empty allows it), *p moved past it. */
static bool take_number(char **p, bool empty, int64_t *v)
{
	char *s = *p;
	bool neg = *s == '-';
	if (neg)
		s++;
	char *digits = s;
	uint64_t x = 0, max = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (x > (max - d) / 10)
			return false;
		x = x * 10 + d;
	}
	if (s == digits && (neg || !empty))
		return false;
	*v = !neg ? (int64_t)x : x > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)x;
	*p = s;
	return true;
}

int kf_store_deadlines_parse(char *text, int64_t ticket_id, struct kf_arena *a,
			     struct kf_ticket_deadline **items, int *n)
{
	*n = 0;
	*items = NULL;
	if (!*text)
		return 0;
	struct kf_ticket_deadline *d = kf_arena_zalloc(a, sizeof *d * KF_STORE_DEADLINES_MAX);
	char *p = text;
	int k = 0;
	while (*p) {
		if (k == KF_STORE_DEADLINES_MAX)
			return -1;
		struct kf_ticket_deadline *e = &d[k];
		e->ticket_id = ticket_id;
		e->kind = p;
		while ((*p >= 'a' && *p <= 'z') || *p == '_')
			p++;
		if (p == e->kind || *p != ',')
			return -1;
		*p++ = '\0';
		if (!take_number(&p, false, &e->due_at) || *p++ != ',' ||
		    !take_number(&p, true, &e->met_at) || *p++ != ',' ||
		    !take_number(&p, true, &e->overdue_at))
			return -1;
		if (*p == ';' && p[1])
			p++;
		else if (*p)
			return -1;
		k++;
	}
	sort_deadlines(d, k);
	*items = d;
	*n = k;
	return 0;
}

int kf_store_deadline_meet(struct kf_db *db, int64_t ticket_id, const char *kind, int64_t at,
			   bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(at), KP_INT(ticket_id), KP_TEXT(kind)};
	int64_t n = 0;
	int rc = kf_db_exec(db,
			    "UPDATE ticket_deadlines SET met_at = $1 WHERE ticket_id = $2 AND kind "
			    "= $3 AND met_at IS NULL",
			    p, 3, &n, err);
	*changed = n > 0;
	return rc;
}

int kf_store_deadline_rearm(struct kf_db *db, int64_t ticket_id, const char *kind, int64_t due_at,
			    bool create, bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(ticket_id), KP_TEXT(kind), KP_INT(due_at)};
	int64_t n = 0;
	int rc =
	    kf_db_exec(db,
		       create ? "INSERT INTO ticket_deadlines (ticket_id, kind, due_at) VALUES "
				"($1, $2, $3) ON CONFLICT (ticket_id, kind) DO UPDATE SET due_at "
				"= excluded.due_at, met_at = NULL, overdue_at = NULL"
			      : "UPDATE ticket_deadlines SET due_at = $3, met_at = NULL, "
				"overdue_at = NULL WHERE ticket_id = $1 AND kind = $2",
		       p, 3, &n, err);
	*changed = n > 0;
	return rc;
}

int kf_store_deadline_move(struct kf_db *db, int64_t ticket_id, const char *kind, int64_t due_at,
			   struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(due_at), KP_INT(ticket_id), KP_TEXT(kind)};
	return kf_db_exec(db,
			  "UPDATE ticket_deadlines SET due_at = $1 WHERE ticket_id = $2 AND kind "
			  "= $3 AND met_at IS NULL AND overdue_at IS NULL",
			  p, 3, NULL, err);
}

int kf_store_deadline_delete_unmet(struct kf_db *db, int64_t ticket_id, const char *kind,
				   struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(ticket_id), KP_TEXT(kind)};
	if (kind)
		return kf_db_exec(db,
				  "DELETE FROM ticket_deadlines WHERE ticket_id = $1 AND met_at IS "
				  "NULL AND kind = $2",
				  p, 2, NULL, err);
	return kf_db_exec(db,
			  "DELETE FROM ticket_deadlines WHERE ticket_id = $1 AND met_at IS NULL "
			  "AND kind <> 'status_update'",
			  p, 1, NULL, err);
}

int kf_store_ticket_touch(struct kf_db *db, int64_t ticket_id, int64_t at, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(at), KP_INT(ticket_id)};
	return kf_db_exec(db, "UPDATE tickets SET updated_at = $1 WHERE id = $2", p, 2, NULL, err);
}

/* tickets.deadlines (kf_store_deadlines_parse) of the row of alias
 * tickets, from ticket_deadlines: group_concat on SQLite (3.40 has no
 * string_agg), string_agg on PostgreSQL. */
#define DEADLINES_TEXT(agg)                                                                        \
	"COALESCE((SELECT " agg "(d.kind || ',' || d.due_at || ',' || "                            \
	"COALESCE(CAST(d.met_at AS TEXT), '') || ',' || "                                          \
	"COALESCE(CAST(d.overdue_at AS TEXT), ''), ';') "                                          \
	"FROM ticket_deadlines d WHERE d.ticket_id = tickets.id), '')"
#define REFRESH_DUE(agg)                                                                           \
	"UPDATE tickets SET next_due_at = (SELECT MIN(due_at) FROM ticket_deadlines d WHERE "      \
	"d.ticket_id = tickets.id AND d.met_at IS NULL), overdue = CASE WHEN EXISTS (SELECT 1 "    \
	"FROM ticket_deadlines d WHERE d.ticket_id = tickets.id AND d.met_at IS NULL AND "         \
	"d.overdue_at IS NOT NULL) THEN 1 ELSE 0 END, "                                            \
	"deadlines = " DEADLINES_TEXT(agg) " WHERE id = $1"

int kf_store_ticket_refresh_due(struct kf_db *db, int64_t ticket_id, struct kf_err *err)
{
	struct kf_param p = KP_INT(ticket_id);
	return kf_db_exec(db,
			  kf_db_engine(db) == KF_ENGINE_POSTGRES ? REFRESH_DUE("string_agg")
								 : REFRESH_DUE("group_concat"),
			  &p, 1, NULL, err);
}

int kf_store_deadline_due(struct kf_db *db, int64_t now, int limit, struct kf_arena *a,
			  struct kf_ticket_deadline **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(now), KP_INT(limit)};
	return deadline_query(db,
			      "SELECT d.ticket_id, d.kind, d.due_at, d.met_at, d.overdue_at "
			      "FROM ticket_deadlines d JOIN tickets t ON t.id = d.ticket_id WHERE "
			      "d.due_at <= $1 AND d.met_at IS NULL AND d.overdue_at IS NULL AND "
			      "t.status <> 'closed' AND NOT (t.pause_pending = 1 AND t.status = "
			      "'pending_customer' AND d.kind IN ('reply', 'close')) ORDER BY "
			      "d.due_at LIMIT $2",
			      p, 2, limit, a, items, n, err);
}

int kf_store_deadline_mark_overdue(struct kf_db *db, int64_t ticket_id, const char *kind,
				   int64_t at, bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(at), KP_INT(ticket_id), KP_TEXT(kind)};
	int64_t n = 0;
	/* due_at <= at: the row read as due may have been replaced since by
	 * one of the same kind due later (a type or rating change, L-11,
	 * L-9), or moved on (L-12). */
	int rc = kf_db_exec(db,
			    "UPDATE ticket_deadlines SET overdue_at = $1 WHERE ticket_id = $2 AND "
			    "kind = $3 AND met_at IS NULL AND overdue_at IS NULL AND due_at <= $1",
			    p, 3, &n, err);
	*changed = n > 0;
	return rc;
}

/* ---- timeline ---- */

int kf_store_event_insert(struct kf_db *db, struct kf_ticket_event *e, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(e->ticket_id),
			       KP_INT(e->at),
			       kf_param_opt_int(e->actor_id > 0, e->actor_id),
			       KP_TEXT(e->kind),
			       KP_INT(e->internal),
			       KP_TEXT(e->body),
			       KP_TEXT(e->detail ? e->detail : "{}")};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, internal, "
			    "body, detail) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
			    p, 7, &e->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_event_list(struct kf_db *db, int64_t ticket_id, int64_t after_id, int limit,
			bool with_internal, struct kf_arena *a, struct kf_ticket_event **items,
			int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(ticket_id), KP_INT(after_id), KP_INT(with_internal ? 1 : 0),
			       KP_INT(limit)};
	struct kf_rows *r;
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)limit);
	*n = 0;
	int rc =
	    kf_db_query(db,
			"SELECT e.id, e.ticket_id, e.at, e.actor_id, e.kind, e.internal, "
			"e.body, e.detail, u.name FROM ticket_events e LEFT JOIN users u ON "
			"u.id = e.actor_id WHERE e.ticket_id = $1 AND e.id > $2 AND (e.internal "
			"= 0 OR CAST($3 AS INTEGER) = 1) ORDER BY e.id LIMIT $4",
			p, 4, &r, err);
	if (rc)
		return rc;
	while (*n < limit && (rc = kf_rows_next(r, err)) == 1) {
		struct kf_ticket_event *e = &(*items)[(*n)++];
		e->id = kf_rows_int(r, 0);
		e->ticket_id = kf_rows_int(r, 1);
		e->at = kf_rows_int(r, 2);
		e->actor_id = kf_rows_int(r, 3);
		e->kind = kf_rows_dup(r, 4, a);
		e->internal = kf_rows_int(r, 5) != 0;
		e->body = kf_rows_dup(r, 6, a);
		e->detail = kf_rows_dup(r, 7, a);
		e->actor_name = kf_rows_dup(r, 8, a);
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

int kf_store_event_exists(struct kf_db *db, int64_t ticket_id, const char *kind, bool *exists,
			  struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(ticket_id), KP_TEXT(kind)};
	int64_t one = 0;
	int rc = kf_db_query_int(db,
				 "SELECT 1 FROM ticket_events WHERE ticket_id = $1 AND kind = $2 "
				 "LIMIT 1",
				 p, 2, &one, err);
	*exists = rc == 1;
	return rc < 0 ? rc : 0;
}

/* ---- transfers ---- */

#define TRANSFER_COLS                                                                              \
	"x.id, x.ticket_id, x.from_user_id, x.to_user_id, x.reason, x.status, x.created_at, "      \
	"x.decided_at, t.number, t.subject"

static void read_transfer(struct kf_rows *r, struct kf_arena *a, struct kf_transfer *x)
{
	x->id = kf_rows_int(r, 0);
	x->ticket_id = kf_rows_int(r, 1);
	x->from_user_id = kf_rows_int(r, 2);
	x->to_user_id = kf_rows_int(r, 3);
	x->reason = kf_rows_dup(r, 4, a);
	x->status = kf_rows_dup(r, 5, a);
	x->created_at = kf_rows_int(r, 6);
	x->decided_at = kf_rows_int(r, 7);
	x->ticket_number = kf_rows_dup(r, 8, a);
	x->ticket_subject = kf_rows_dup(r, 9, a);
}

int kf_store_transfer_insert(struct kf_db *db, struct kf_transfer *x, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(x->ticket_id), KP_INT(x->from_user_id), KP_INT(x->to_user_id),
			       KP_TEXT(x->reason), KP_INT(x->created_at)};
	x->status = "pending";
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO ticket_transfers (ticket_id, from_user_id, to_user_id, "
			    "reason, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5) "
			    "RETURNING id",
			    p, 5, &x->id, err);
	return rc < 0 ? rc : 0;
}

static int transfer_one(struct kf_db *db, const char *sql, struct kf_param p, struct kf_arena *a,
			struct kf_transfer *out, struct kf_err *err)
{
	struct kf_rows *r;
	int rc = kf_db_query(db, sql, &p, 1, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		read_transfer(r, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_ENOTFOUND, "transfer not found");
	}
	kf_rows_free(r);
	return rc;
}

int kf_store_transfer_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_transfer *out,
			  struct kf_err *err)
{
	return transfer_one(db,
			    "SELECT " TRANSFER_COLS " FROM ticket_transfers x JOIN tickets t ON "
			    "t.id = x.ticket_id WHERE x.id = $1",
			    KP_INT(id), a, out, err);
}

int kf_store_transfer_pending(struct kf_db *db, int64_t ticket_id, struct kf_arena *a,
			      struct kf_transfer *out, struct kf_err *err)
{
	return transfer_one(db,
			    "SELECT " TRANSFER_COLS " FROM ticket_transfers x JOIN tickets t ON "
			    "t.id = x.ticket_id WHERE x.ticket_id = $1 AND x.status = 'pending'",
			    KP_INT(ticket_id), a, out, err);
}

int kf_store_transfer_decide(struct kf_db *db, int64_t id, const char *status, int64_t at,
			     bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(status), KP_INT(at), KP_INT(id)};
	int64_t n = 0;
	int rc =
	    kf_db_exec(db,
		       "UPDATE ticket_transfers SET status = $1, decided_at = $2 WHERE id = $3 "
		       "AND status = 'pending'",
		       p, 3, &n, err);
	*changed = n > 0;
	return rc;
}

int kf_store_transfer_list(struct kf_db *db, int64_t to_user_id, int64_t from_user_id,
			   int64_t team_id, const char *status, int64_t before_id, int limit,
			   struct kf_arena *a, struct kf_transfer **items, int *n,
			   struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(to_user_id), KP_INT(from_user_id),
			       KP_TEXT(status),	   KP_INT(before_id > 0 ? before_id : INT64_MAX),
			       KP_INT(limit),	   KP_INT(team_id)};
	struct kf_rows *r;
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)limit);
	*n = 0;
	int rc = kf_db_query(db,
			     "SELECT " TRANSFER_COLS " FROM ticket_transfers x JOIN tickets t ON "
			     "t.id = x.ticket_id WHERE (CAST($1 AS BIGINT) = 0 OR x.to_user_id = "
			     "$1) AND (CAST($2 AS BIGINT) = 0 OR x.from_user_id = $2) AND "
			     "(CAST($3 AS TEXT) IS NULL OR x.status = $3) AND x.id < "
			     "CAST($4 AS BIGINT) AND (CAST($6 AS BIGINT) = 0 OR EXISTS (SELECT 1 "
			     "FROM users u WHERE u.id IN (x.from_user_id, x.to_user_id) AND "
			     "u.team_id = $6)) ORDER BY x.id DESC LIMIT $5",
			     p, 6, &r, err);
	if (rc)
		return rc;
	while (*n < limit && (rc = kf_rows_next(r, err)) == 1)
		read_transfer(r, a, &(*items)[(*n)++]);
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}
