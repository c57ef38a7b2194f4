/* SQL for service vouchers, off-site requests, the dispatch list and the
 * K-7 documents (SPEC D, K-7, L-10), for both engines. */
#include <string.h>
#include "store/dispatch.h"

#define V_COLS                                                                                     \
	"v.id, v.number, v.ticket_id, v.technician_id, v.scheduled_on, v.address, v.city, "        \
	"v.note, v.off_site, v.status, v.dispatched_by, v.dispatched_at, v.started_at, "           \
	"v.ended_at, v.work_done, v.parts, v.fee_fen, v.collection, v.travel_cost_fen, "           \
	"v.signer_name, v.signed_at, v.countersigned_by, v.countersigned_at, v.updated_at, "       \
	"v.version, t.number, t.type, t.subject, t.status, t.service_class, u.name, c.name, "      \
	"s.content_type, s.bytes, o.status, o.destination, o.reason, o.decision_comment, "         \
	"o.estimated_cost_fen, o.requested_by, o.requested_at, o.decided_by, o.decided_at, "       \
	"t.priority"
#define V_FROM                                                                                     \
	" FROM service_vouchers v JOIN tickets t ON t.id = v.ticket_id JOIN users u ON u.id = "    \
	"v.technician_id JOIN customers c ON c.id = t.customer_id LEFT JOIN voucher_signatures s " \
	"ON s.voucher_id = v.id LEFT JOIN offsite_requests o ON o.voucher_id = v.id"

static void read_voucher(struct kf_rows *r, struct kf_arena *a, struct kf_voucher *o)
{
	memset(o, 0, sizeof *o);
	o->id = kf_rows_int(r, 0);
	o->number = kf_rows_dup(r, 1, a);
	o->ticket_id = kf_rows_int(r, 2);
	o->technician_id = kf_rows_int(r, 3);
	o->scheduled_on = kf_rows_dup(r, 4, a);
	o->address = kf_rows_dup(r, 5, a);
	o->city = kf_rows_dup(r, 6, a);
	o->note = kf_rows_dup(r, 7, a);
	o->off_site = kf_rows_int(r, 8) != 0;
	o->status = kf_rows_dup(r, 9, a);
	o->dispatched_by = kf_rows_int(r, 10);
	o->dispatched_at = kf_rows_int(r, 11);
	o->started_at = kf_rows_int(r, 12);
	o->ended_at = kf_rows_int(r, 13);
	o->work_done = kf_rows_dup(r, 14, a);
	o->parts = kf_rows_dup(r, 15, a);
	o->has_fee = !kf_rows_null(r, 16);
	o->fee_fen = kf_rows_int(r, 16);
	o->collection = kf_rows_dup(r, 17, a);
	o->has_travel_cost = !kf_rows_null(r, 18);
	o->travel_cost_fen = kf_rows_int(r, 18);
	o->signer_name = kf_rows_dup(r, 19, a);
	o->signed_at = kf_rows_int(r, 20);
	o->countersigned_by = kf_rows_int(r, 21);
	o->countersigned_at = kf_rows_int(r, 22);
	o->updated_at = kf_rows_int(r, 23);
	o->version = kf_rows_int(r, 24);
	o->ticket_number = kf_rows_dup(r, 25, a);
	o->ticket_type = kf_rows_dup(r, 26, a);
	o->ticket_subject = kf_rows_dup(r, 27, a);
	o->ticket_status = kf_rows_dup(r, 28, a);
	o->service_class = kf_rows_dup(r, 29, a);
	o->technician_name = kf_rows_dup(r, 30, a);
	o->customer_name = kf_rows_dup(r, 31, a);
	o->signature_type = kf_rows_dup(r, 32, a);
	o->signature_bytes = kf_rows_int(r, 33);
	o->offsite_status = kf_rows_dup(r, 34, a);
	o->offsite_destination = kf_rows_dup(r, 35, a);
	o->offsite_reason = kf_rows_dup(r, 36, a);
	o->offsite_comment = kf_rows_dup(r, 37, a);
	o->has_offsite_cost = !kf_rows_null(r, 38);
	o->offsite_cost_fen = kf_rows_int(r, 38);
	o->offsite_requested_by = kf_rows_int(r, 39);
	o->offsite_requested_at = kf_rows_int(r, 40);
	o->offsite_decided_by = kf_rows_int(r, 41);
	o->offsite_decided_at = kf_rows_int(r, 42);
	o->ticket_priority = kf_rows_dup(r, 43, a);
}

static void read_voucher_v(struct kf_rows *r, struct kf_arena *a, void *o)
{
	read_voucher(r, a, o);
}

int kf_store_voucher_insert(struct kf_db *db, struct kf_voucher *v, struct kf_err *err)
{
	struct kf_param p[] = {
	    KP_TEXT(v->number),	      KP_INT(v->ticket_id),	KP_INT(v->technician_id),
	    KP_TEXT(v->scheduled_on), KP_TEXT(v->address),	KP_TEXT(v->city),
	    KP_TEXT(v->note),	      KP_INT(v->off_site),	KP_TEXT(v->status),
	    KP_INT(v->dispatched_by), KP_INT(v->dispatched_at), KP_INT(v->updated_at)};
	int rc = kf_db_query_int(
	    db,
	    "INSERT INTO service_vouchers (number, ticket_id, technician_id, scheduled_on, "
	    "address, city, note, off_site, status, dispatched_by, dispatched_at, updated_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
	    p, 12, &v->id, err);
	v->version = 1;
	return rc < 0 ? rc : 0;
}

int kf_store_voucher_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_voucher *out,
			 struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	struct kf_voucher *items;
	int n, rc;
	if ((rc = kf_db_query_rows(db, "SELECT " V_COLS V_FROM " WHERE v.id = $1", &p, 1,
				   read_voucher_v, sizeof *items, a, (void **)&items, &n, err)))
		return rc;
	if (n == 0)
		return kf_err_set(err, KF_ENOTFOUND, "voucher %lld does not exist", (long long)id);
	*out = items[0];
	return 0;
}

int kf_store_voucher_list(struct kf_db *db, const struct kf_voucher_filter *f, struct kf_arena *a,
			  struct kf_voucher **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(f->technician_id), KP_INT(f->ticket_id),
			       KP_TEXT(f->status),	 KP_TEXT(f->scheduled_on),
			       KP_INT(f->after_id),	 KP_INT(f->limit + 1)};
	return kf_db_query_rows(
	    db,
	    "SELECT " V_COLS V_FROM
	    " WHERE (CAST($1 AS BIGINT) = 0 OR v.technician_id = CAST($1 AS BIGINT)) "
	    "AND (CAST($2 AS BIGINT) = 0 OR v.ticket_id = CAST($2 AS BIGINT)) AND "
	    "(CAST($3 AS TEXT) IS NULL OR v.status = CAST($3 AS TEXT)) AND (CAST($4 "
	    "AS TEXT) IS NULL OR v.scheduled_on = CAST($4 AS TEXT)) AND v.id > $5 "
	    "ORDER BY v.id LIMIT $6",
	    p, 6, read_voucher_v, sizeof **items, a, (void **)items, n, err);
}

int kf_store_voucher_open_exists(struct kf_db *db, int64_t ticket_id, bool *exists,
				 struct kf_err *err)
{
	struct kf_param p = KP_INT(ticket_id);
	int64_t v = 0;
	int rc = kf_db_query_int(db,
				 "SELECT COUNT(*) FROM service_vouchers WHERE ticket_id = $1 AND "
				 "status IN ('dispatched', 'started')",
				 &p, 1, &v, err);
	if (rc < 0)
		return rc;
	*exists = v > 0;
	return 0;
}

int kf_store_voucher_update(struct kf_db *db, struct kf_voucher *v, bool *changed,
			    struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(v->status),
			       kf_param_opt_int(v->started_at > 0, v->started_at),
			       kf_param_opt_int(v->ended_at > 0, v->ended_at),
			       KP_TEXT(v->work_done),
			       KP_TEXT(v->parts),
			       kf_param_opt_int(v->has_fee, v->fee_fen),
			       KP_TEXT(v->collection),
			       kf_param_opt_int(v->has_travel_cost, v->travel_cost_fen),
			       KP_TEXT(v->signer_name),
			       kf_param_opt_int(v->signed_at > 0, v->signed_at),
			       kf_param_opt_int(v->countersigned_by > 0, v->countersigned_by),
			       kf_param_opt_int(v->countersigned_at > 0, v->countersigned_at),
			       KP_INT(v->updated_at),
			       KP_INT(v->id),
			       KP_INT(v->version)};
	int64_t n = 0;
	int rc = kf_db_exec(db,
			    "UPDATE service_vouchers SET status = $1, started_at = $2, ended_at = "
			    "$3, work_done = $4, parts = $5, fee_fen = $6, collection = $7, "
			    "travel_cost_fen = $8, signer_name = $9, signed_at = $10, "
			    "countersigned_by = $11, countersigned_at = $12, updated_at = $13, "
			    "version = version + 1 WHERE id = $14 AND version = $15",
			    p, 15, &n, err);
	if (rc)
		return rc;
	*changed = n == 1;
	if (*changed)
		v->version++;
	return 0;
}

int kf_store_signature_put(struct kf_db *db, const struct kf_voucher_signature *s,
			   struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(s->voucher_id),	KP_TEXT(s->content_type),
			       KP_INT(s->bytes),	KP_TEXT(s->sha256),
			       KP_TEXT(s->data_base64), KP_INT(s->captured_by),
			       KP_INT(s->captured_at)};
	return kf_db_exec(
	    db,
	    "INSERT INTO voucher_signatures (voucher_id, content_type, bytes, sha256, "
	    "data_base64, captured_by, captured_at) VALUES ($1, $2, $3, $4, $5, $6, "
	    "$7) ON CONFLICT (voucher_id) DO UPDATE SET content_type = $2, bytes = $3, "
	    "sha256 = $4, data_base64 = $5, captured_by = $6, captured_at = $7",
	    p, 7, NULL, err);
}

int kf_store_signature_get(struct kf_db *db, int64_t voucher_id, struct kf_arena *a,
			   struct kf_voucher_signature *out, struct kf_err *err)
{
	struct kf_param p = KP_INT(voucher_id);
	struct kf_rows *r;
	int rc = kf_db_query(db,
			     "SELECT content_type, bytes, sha256, data_base64, captured_by, "
			     "captured_at FROM voucher_signatures WHERE voucher_id = $1",
			     &p, 1, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		out->voucher_id = voucher_id;
		out->content_type = kf_rows_dup(r, 0, a);
		out->bytes = kf_rows_int(r, 1);
		out->sha256 = kf_rows_dup(r, 2, a);
		out->data_base64 = kf_rows_dup(r, 3, a);
		out->captured_by = kf_rows_int(r, 4);
		out->captured_at = kf_rows_int(r, 5);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_ENOTFOUND, "voucher %lld has no captured signature",
				(long long)voucher_id);
	}
	kf_rows_free(r);
	return rc;
}

int kf_store_offsite_put(struct kf_db *db, int64_t voucher_id, const char *destination,
			 const char *reason, bool has_cost, int64_t cost_fen, int64_t by,
			 int64_t at, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(voucher_id), KP_TEXT(destination),
			       KP_TEXT(reason),	   kf_param_opt_int(has_cost, cost_fen),
			       KP_INT(by),	   KP_INT(at)};
	return kf_db_exec(
	    db,
	    "INSERT INTO offsite_requests (voucher_id, destination, reason, estimated_cost_fen, "
	    "status, requested_by, requested_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6) ON "
	    "CONFLICT (voucher_id) DO UPDATE SET destination = $2, reason = $3, "
	    "estimated_cost_fen = $4, status = 'pending', requested_by = $5, requested_at = $6, "
	    "decided_by = NULL, decided_at = NULL, decision_comment = NULL",
	    p, 6, NULL, err);
}

int kf_store_offsite_decide(struct kf_db *db, int64_t voucher_id, const char *status, int64_t by,
			    int64_t at, const char *comment, bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(status), KP_INT(by), KP_INT(at), KP_TEXT(comment),
			       KP_INT(voucher_id)};
	int64_t n = 0;
	int rc =
	    kf_db_exec(db,
		       "UPDATE offsite_requests SET status = $1, decided_by = $2, decided_at = "
		       "$3, decision_comment = $4 WHERE voucher_id = $5 AND status = 'pending'",
		       p, 5, &n, err);
	if (rc)
		return rc;
	*changed = n == 1;
	return 0;
}

int kf_store_ticket_set_technician(struct kf_db *db, int64_t ticket_id, int64_t technician_id,
				   struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(technician_id), KP_INT(ticket_id)};
	return kf_db_exec(db, "UPDATE tickets SET technician_id = $1 WHERE id = $2", p, 2, NULL,
			  err);
}

static void read_item(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_dispatch_item *o = out;
	o->ticket_id = kf_rows_int(r, 0);
	o->number = kf_rows_dup(r, 1, a);
	o->type = kf_rows_dup(r, 2, a);
	o->subject = kf_rows_dup(r, 3, a);
	o->priority = kf_rows_dup(r, 4, a);
	o->service_class = kf_rows_dup(r, 5, a);
	o->status = kf_rows_dup(r, 6, a);
	o->customer_name = kf_rows_dup(r, 7, a);
	o->created_at = kf_rows_int(r, 8);
}

int kf_store_dispatch_pending(struct kf_db *db, int64_t before, int limit, struct kf_arena *a,
			      struct kf_dispatch_item **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(before), KP_INT(limit)};
	/* Open tickets are a small part of a store, service and repair tickets
	 * a large one: SQLite, which has no statistics, would read every
	 * service and repair ticket through tickets_type, so it is told to
	 * read the open ones (migration 005). */
#define PENDING_SQL(ix)                                                                            \
	"SELECT t.id, t.number, t.type, t.subject, t.priority, t.service_class, "                  \
	"t.status, c.name, t.created_at FROM tickets t" ix " JOIN customers c ON c.id = "          \
	"t.customer_id WHERE t.type IN ('service', 'repair') AND t.status NOT IN "                 \
	"('resolved', 'closed') AND t.created_at < $1 AND NOT EXISTS (SELECT 1 FROM "              \
	"service_vouchers v WHERE v.ticket_id = t.id) ORDER BY t.created_at, t.id LIMIT $2"
	return kf_db_query_rows(db,
				kf_db_engine(db) == KF_ENGINE_SQLITE
				    ? PENDING_SQL(" INDEXED BY tickets_open")
				    : PENDING_SQL(""),
				p, 2, read_item, sizeof **items, a, (void **)items, n, err);
#undef PENDING_SQL
}

/* ---- K-7 ---- */

#define CERT_COLS                                                                                  \
	"d.id, d.number, d.resolution_id, d.ticket_id, d.amount_fen, 0, NULL, NULL, NULL, NULL, "  \
	"NULL, d.created_at, t.number, c.name"
#define SLIP_COLS                                                                                  \
	"d.id, d.number, d.resolution_id, d.ticket_id, 0, d.quantity, d.status, d.received_qty, "  \
	"d.received_by, d.received_at, d.received_note, d.created_at, t.number, c.name"
#define DOC_JOIN " d JOIN tickets t ON t.id = d.ticket_id JOIN customers c ON c.id = t.customer_id"

static void read_doc(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_k7_doc *o = out;
	memset(o, 0, sizeof *o);
	o->id = kf_rows_int(r, 0);
	o->number = kf_rows_dup(r, 1, a);
	o->resolution_id = kf_rows_int(r, 2);
	o->ticket_id = kf_rows_int(r, 3);
	o->amount_fen = kf_rows_int(r, 4);
	o->quantity = kf_rows_int(r, 5);
	o->status = kf_rows_dup(r, 6, a);
	o->has_received = !kf_rows_null(r, 7);
	o->received_qty = kf_rows_int(r, 7);
	o->received_by = kf_rows_int(r, 8);
	o->received_at = kf_rows_int(r, 9);
	o->received_note = kf_rows_dup(r, 10, a);
	o->created_at = kf_rows_int(r, 11);
	o->ticket_number = kf_rows_dup(r, 12, a);
	o->customer_name = kf_rows_dup(r, 13, a);
}

int kf_store_certificate_insert(struct kf_db *db, struct kf_k7_doc *d, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(d->number), KP_INT(d->resolution_id), KP_INT(d->ticket_id),
			       KP_INT(d->amount_fen), KP_INT(d->created_at)};
	int rc = kf_db_query_int(db,
				 "INSERT INTO discount_certificates (number, resolution_id, "
				 "ticket_id, amount_fen, created_at) VALUES ($1, $2, $3, $4, $5) "
				 "RETURNING id",
				 p, 5, &d->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_return_slip_insert(struct kf_db *db, struct kf_k7_doc *d, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(d->number), KP_INT(d->resolution_id), KP_INT(d->ticket_id),
			       KP_INT(d->quantity), KP_INT(d->created_at)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO return_slips (number, resolution_id, ticket_id, "
			    "quantity, status, created_at) VALUES ($1, $2, $3, $4, 'awaiting', "
			    "$5) RETURNING id",
			    p, 5, &d->id, err);
	d->status = "awaiting";
	return rc < 0 ? rc : 0;
}

int kf_store_return_slip_get(struct kf_db *db, int64_t id, struct kf_arena *a,
			     struct kf_k7_doc *out, struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	struct kf_k7_doc *items;
	int n, rc;
	if ((rc = kf_db_query_rows(
		 db, "SELECT " SLIP_COLS " FROM return_slips" DOC_JOIN " WHERE d.id = $1", &p, 1,
		 read_doc, sizeof *items, a, (void **)&items, &n, err)))
		return rc;
	if (n == 0)
		return kf_err_set(err, KF_ENOTFOUND, "return slip %lld does not exist",
				  (long long)id);
	*out = items[0];
	return 0;
}

int kf_store_return_slip_receive(struct kf_db *db, const struct kf_k7_doc *d, bool *changed,
				 struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(d->received_qty), KP_INT(d->received_by),
			       KP_INT(d->received_at), KP_TEXT(d->received_note), KP_INT(d->id)};
	int64_t n = 0;
	int rc = kf_db_exec(db,
			    "UPDATE return_slips SET status = 'received', received_qty = $1, "
			    "received_by = $2, received_at = $3, received_note = $4 WHERE id = $5 "
			    "AND status = 'awaiting'",
			    p, 5, &n, err);
	if (rc)
		return rc;
	*changed = n == 1;
	return 0;
}

int kf_store_k7_list(struct kf_db *db, bool slips, const char *status, int64_t from, int64_t to,
		     int limit, struct kf_arena *a, struct kf_k7_doc **items, int *n,
		     struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(from), KP_INT(to), KP_INT(limit), KP_TEXT(status)};
	return kf_db_query_rows(
	    db,
	    slips ? "SELECT " SLIP_COLS " FROM return_slips" DOC_JOIN
		    " WHERE (CAST($1 AS BIGINT) = CAST($2 AS BIGINT) OR (d.created_at >= $1 AND "
		    "d.created_at < $2)) AND (CAST($4 AS TEXT) IS NULL OR d.status = CAST($4 AS "
		    "TEXT)) ORDER BY d.created_at, d.id LIMIT $3"
		  : "SELECT " CERT_COLS " FROM discount_certificates" DOC_JOIN
		    " WHERE (CAST($1 AS BIGINT) = CAST($2 AS BIGINT) OR (d.created_at >= $1 AND "
		    "d.created_at < $2)) AND CAST($4 AS TEXT) IS NULL ORDER BY d.created_at, d.id "
		    "LIMIT $3",
	    p, 4, read_doc, sizeof **items, a, (void **)items, n, err);
}

int kf_store_voucher_fees(struct kf_db *db, int64_t from, int64_t to, int limit, struct kf_arena *a,
			  struct kf_voucher **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(from), KP_INT(to), KP_INT(limit)};
	return kf_db_query_rows(
	    db,
	    "SELECT " V_COLS V_FROM
	    " WHERE v.fee_fen > 0 AND v.ended_at >= $1 AND v.ended_at < $2 ORDER BY "
	    "v.ended_at, v.id LIMIT $3",
	    p, 3, read_voucher_v, sizeof **items, a, (void **)items, n, err);
}
