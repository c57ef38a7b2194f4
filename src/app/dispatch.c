/* Dispatch of service work (SPEC D, L-10) and the K-7 documents. Every
 * change is a timeline event of the ticket and an audit entry (S-3), in the
 * transaction of the change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dispatch.h"
#include "app/events.h"
#include "app/internal.h"
#include "rules/dispatch.h"
#include "rules/ticket.h"
#include "util/crypto.h"
#include "util/time.h"

#define DAY_MS 86400000LL

static int record(struct kf_ctx *c, struct kf_db *db, const struct kf_voucher *v, const char *kind,
		  const char *body, json_t *detail, struct kf_err *err)
{
	json_object_set_new(detail, "voucher_id", kf_app_json_id(v->id));
	json_object_set_new(detail, "voucher_number", json_string(v->number));
	return kf_app_ticket_record(c, db, v->ticket_id, v->ticket_number, kind, true, body, detail,
				    err);
}

/* An event about voucher v for users (n of them) or roles, with the
 * members every ticket event has (GET /api/v1/events) and the voucher's;
 * extra (may be NULL) is merged in and stolen. */
static int notify(struct kf_ctx *c, struct kf_db *db, const char *kind, const int64_t *users, int n,
		  const char *const *roles, const struct kf_voucher *v, const char *rule,
		  json_t *extra, struct kf_err *err)
{
	json_t *p =
	    json_pack("{s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "ticket_id",
		      kf_app_json_id(v->ticket_id), "number", v->ticket_number, "subject",
		      v->ticket_subject, "status", v->ticket_status, "priority", v->ticket_priority,
		      "by", kf_app_json_id(c->actor.user_id), "voucher_id", kf_app_json_id(v->id),
		      "voucher_number", v->number, "rule", rule);
	if (extra) {
		json_object_update(p, extra);
		json_decref(extra);
	}
	return kf_app_notify(c, db, kind, users, n, roles, p, err);
}

/* A document number "<prefix>-<YYYYMMDD>-<NNNN>" from the day's sequence
 * of prefix (the counters of T-4). */
static int doc_number(struct kf_ctx *c, struct kf_db *db, const char *prefix, const char **out,
		      struct kf_err *err)
{
	int64_t seq;
	int ymd = kf_time_local_ymd(c->now);
	int rc = kf_store_ticket_next_seq(db, prefix, ymd, &seq, err);
	if (rc)
		return rc;
	char buf[32];
	kf_ticket_number(prefix, ymd, seq, buf);
	*out = kf_arena_strdup(c->arena, buf);
	return 0;
}

/* The voucher, readable by the caller: a technician reads only their own. */
static int readable(const struct kf_ctx *c, const struct kf_voucher *v, struct kf_err *err)
{
	if (!c->actor.is_operator && c->actor.role == KF_ROLE_TECHNICIAN &&
	    v->technician_id != c->actor.user_id)
		return kf_err_rule(err, KF_EFORBIDDEN, "D-2",
				   "voucher %s is assigned to another technician", v->number);
	return 0;
}

/* Opens the write transaction and reads voucher id for a change that only
 * its own technician makes (D-2). */
static int begin_own(struct kf_ctx *c, int64_t id, struct kf_db **db, struct kf_voucher *v,
		     struct kf_err *err)
{
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_VOUCHERS_WORK, err)) || (rc = kf_ctx_db(c, db, err)) ||
	    (rc = kf_db_begin(*db, err)) || (rc = kf_store_voucher_get(*db, id, c->arena, v, err)))
		return rc;
	if (!c->actor.is_operator && v->technician_id != c->actor.user_id)
		return kf_err_rule(err, KF_EFORBIDDEN, "D-2",
				   "voucher %s is assigned to another technician; only they "
				   "record, start or complete it",
				   v->number);
	return 0;
}

static int begin_manager(struct kf_ctx *c, int64_t id, struct kf_db **db, struct kf_voucher *v,
			 struct kf_err *err)
{
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_DISPATCH, err)) || (rc = kf_ctx_db(c, db, err)) ||
	    (rc = kf_db_begin(*db, err)))
		return rc;
	return kf_store_voucher_get(*db, id, c->arena, v, err);
}

/* KF_ECONFLICT (rule) unless v is in status s; what is the change refused
 * ("is completed"). */
static int require_status(const struct kf_voucher *v, enum kf_voucher_status s, const char *rule,
			  const char *what, struct kf_err *err)
{
	if (!strcmp(v->status, kf_voucher_status_name(s)))
		return 0;
	return kf_err_rule(err, KF_ECONFLICT, rule, "voucher %s is %s; only a %s voucher %s",
			   v->number, v->status, kf_voucher_status_name(s), what);
}

/* Writes v (version checked), records kind and commits; *out gets the
 * voucher as stored. detail is stolen. */
static int save(struct kf_ctx *c, struct kf_db *db, struct kf_voucher *v, const char *kind,
		const char *body, json_t *detail, struct kf_voucher *out, struct kf_err *err)
{
	bool changed;
	int rc;
	v->updated_at = c->now;
	if ((rc = kf_store_voucher_update(db, v, &changed, err))) {
		json_decref(detail);
		return rc;
	}
	if (!changed) {
		json_decref(detail);
		return kf_err_set(err, KF_ECONFLICT, "voucher %s was changed meanwhile", v->number);
	}
	json_object_set_new(detail, "status", json_string(v->status));
	if ((rc = record(c, db, v, kind, body, detail, err)) || (rc = kf_db_commit(db, err)))
		return rc;
	return kf_store_voucher_get(db, v->id, c->arena, out, err);
}

int kf_app_voucher_dispatch(struct kf_ctx *c, int64_t ticket_id, const struct kf_voucher_input *in,
			    struct kf_voucher *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	struct kf_user tech;
	int64_t day;
	bool open, met;
	int rc;
	if (!kf_time_parse_date(in->scheduled_on, &day))
		return kf_err_field(err, KF_EINVALID, "scheduled_on",
				    "scheduled_on must be a date YYYY-MM-DD");
	if ((rc = kf_ctx_require(c, KF_PERM_DISPATCH, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_ticket_get(db, ticket_id, c->arena, &t, err)))
		return rc;
	if (!kf_dispatch_applies(t.type))
		return kf_err_rule(err, KF_ERULE, "D-2",
				   "ticket %s is of type %s; service vouchers are for service and "
				   "repair tickets",
				   t.number, t.type);
	if (!strcmp(t.status, "resolved") || !strcmp(t.status, "closed"))
		return kf_err_rule(err, KF_ECONFLICT, "T-6", "ticket %s is %s; reopen it first",
				   t.number, t.status);
	if ((rc = kf_store_voucher_open_exists(db, t.id, &open, err)))
		return rc;
	if (open)
		return kf_err_rule(err, KF_ECONFLICT, "D-2",
				   "ticket %s already has a voucher in hand; complete it first",
				   t.number);
	rc = kf_store_user_get(db, in->technician_id, c->arena, &tech, err);
	if (rc == KF_ENOTFOUND || (!rc && (!tech.active || strcmp(tech.role, "technician")))) {
		kf_err_clear(err);
		return kf_err_field(err, KF_EINVALID, "technician_id",
				    "technician_id must be an active technician");
	}
	if (rc)
		return rc;
	struct kf_voucher v = {.ticket_id = t.id,
			       .technician_id = tech.id,
			       .scheduled_on = in->scheduled_on,
			       .address = in->address,
			       .city = in->city,
			       .note = in->note,
			       .off_site = in->off_site,
			       .status = kf_voucher_status_name(KF_VOUCHER_DISPATCHED),
			       .dispatched_by = c->actor.user_id,
			       .dispatched_at = c->now,
			       .updated_at = c->now,
			       .ticket_number = t.number,
			       .ticket_subject = t.subject,
			       .ticket_status = t.status,
			       .ticket_priority = t.priority};
	if ((rc = doc_number(c, db, "PZ", &v.number, err)) ||
	    (rc = kf_store_voucher_insert(db, &v, err)))
		return rc;
	/* L-10: the work is dispatched. */
	if ((rc = kf_store_deadline_meet(db, t.id, "dispatch", c->now, &met, err)) ||
	    (met && (rc = kf_store_ticket_refresh_due(db, t.id, err))))
		return rc;
	json_t *d = json_pack("{s:s, s:o, s:s, s:b}", "rule", "D-2", "technician_id",
			      kf_app_json_id(tech.id), "scheduled_on", in->scheduled_on, "off_site",
			      in->off_site);
	int64_t who[] = {tech.id};
	if ((rc = record(c, db, &v, "voucher_dispatched", in->note, d, err)) ||
	    (rc = notify(c, db, "voucher.dispatched", who, 1, NULL, &v, "D-2",
			 json_pack("{s:s}", "scheduled_on", in->scheduled_on), err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return kf_store_voucher_get(db, v.id, c->arena, out, err);
}

int kf_app_voucher_list(struct kf_ctx *c, struct kf_voucher_filter *f, struct kf_voucher **items,
			int *n, bool *more, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	int64_t day;
	if (f->status && kf_voucher_status_parse(f->status) < 0)
		return kf_err_field(err, KF_EINVALID, "status",
				    "status must be dispatched, started, completed or "
				    "countersigned");
	if (f->scheduled_on && !kf_time_parse_date(f->scheduled_on, &day))
		return kf_err_field(err, KF_EINVALID, "date", "date must be YYYY-MM-DD");
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)))
		return rc;
	if (!c->actor.is_operator && c->actor.role == KF_ROLE_TECHNICIAN)
		f->technician_id = c->actor.user_id;
	if ((rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_voucher_list(db, f, c->arena, items, n, err)))
		return rc;
	*more = *n > f->limit;
	if (*more)
		*n = f->limit;
	return 0;
}

int kf_app_voucher_get(struct kf_ctx *c, int64_t id, struct kf_voucher *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_voucher_get(db, id, c->arena, out, err)))
		return rc;
	return readable(c, out, err);
}

/* D-1, D-3: applies the technician's entries w to v and checks the fee. */
static int apply_work(struct kf_ctx *c, struct kf_voucher *v, const struct kf_voucher_work *w,
		      json_t *d, struct kf_err *err)
{
	const struct kf_policy *p;
	int rc;
	if (w->has_version && w->version != v->version)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "voucher %s is at version %lld, not %lld", v->number,
				    (long long)v->version, (long long)w->version);
	if (w->has_work_done)
		v->work_done = w->work_done;
	if (w->has_parts)
		v->parts = w->parts;
	if (w->has_signer_name)
		v->signer_name = w->signer_name;
	if (w->has_travel_cost) {
		v->has_travel_cost = true;
		v->travel_cost_fen = w->travel_cost_fen;
		json_object_set_new(d, "travel_cost_fen", json_integer(w->travel_cost_fen));
	}
	if (!w->has_fee && !w->has_collection)
		return 0;
	if ((rc = kf_ctx_policy(c, &p, err)))
		return rc;
	int64_t max = kf_policy_int(p, "dispatch.on_site_fee_max_fen");
	if (w->has_fee) {
		if (w->fee_fen > 0 && !kf_service_class_takes_fee(v->service_class))
			return kf_err_rule(err, KF_ERULE, "D-1",
					   "ticket %s is %s service; only paid service (A) "
					   "carries a fee",
					   v->ticket_number, v->service_class);
		v->has_fee = true;
		v->fee_fen = w->fee_fen;
		json_object_set_new(d, "fee_fen", json_integer(w->fee_fen));
	}
	int64_t fee = v->has_fee ? v->fee_fen : 0;
	enum kf_fee_collection col = kf_fee_collection_default(fee, max);
	if (w->has_collection) {
		int parsed = kf_fee_collection_parse(w->collection);
		if (parsed < 0)
			return kf_err_field(err, KF_EINVALID, "collection",
					    "collection must be none, on_site or invoice (D-3)");
		col = (enum kf_fee_collection)parsed;
		if (!kf_fee_collection_allowed(col, fee, max)) {
			kf_err_rule(err, KF_ERULE, "D-3",
				    "a fee of %lld fen cannot be settled %s: on site only fees "
				    "from 1 up to %lld fen, invoice any fee, none only no fee",
				    (long long)fee, w->collection, (long long)max);
			snprintf(err->field, sizeof err->field, "collection");
			return KF_ERULE;
		}
	}
	v->collection = kf_fee_collection_name(col);
	json_object_set_new(d, "collection", json_string(v->collection));
	return 0;
}

/* Opens the change of the technician's entries w on their voucher id
 * (recorded, or completed when complete): the voucher in a state that takes
 * them, the entries applied to *v and described in *d (the caller's, to
 * steal or release). */
static int begin_work(struct kf_ctx *c, int64_t id, const struct kf_voucher_work *w, bool complete,
		      struct kf_db **db, struct kf_voucher *v, json_t **d, struct kf_err *err)
{
	int rc;
	*d = NULL;
	if ((rc = begin_own(c, id, db, v, err)))
		return rc;
	int s = kf_voucher_status_parse(v->status);
	if (complete && (rc = require_status(v, KF_VOUCHER_STARTED, "D-2", "is completed", err)))
		return rc;
	if (!complete && (s == KF_VOUCHER_COMPLETED || s == KF_VOUCHER_COUNTERSIGNED))
		return kf_err_rule(err, KF_ECONFLICT, "D-2",
				   "voucher %s is %s; it is no longer edited", v->number,
				   v->status);
	*d = json_pack("{s:s}", "rule", "D-2");
	return apply_work(c, v, w, *d, err);
}

int kf_app_voucher_record(struct kf_ctx *c, int64_t id, const struct kf_voucher_work *w,
			  struct kf_voucher *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_voucher v;
	json_t *d;
	int rc;
	if ((rc = begin_work(c, id, w, false, &db, &v, &d, err))) {
		json_decref(d);
		return rc;
	}
	return save(c, db, &v, "voucher_recorded", NULL, d, out, err);
}

int kf_app_voucher_start(struct kf_ctx *c, int64_t id, struct kf_voucher *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_voucher v;
	int rc;
	if ((rc = begin_own(c, id, &db, &v, err)))
		return rc;
	int s = kf_voucher_status_parse(v.status);
	int o = v.offsite_status ? kf_offsite_status_parse(v.offsite_status) : KF_OFFSITE_NONE;
	switch (kf_voucher_may_start((enum kf_voucher_status)s, v.off_site,
				     (enum kf_offsite_status)o)) {
	case KF_START_WRONG_STATUS:
		return kf_err_rule(err, KF_ECONFLICT, "D-2",
				   "voucher %s is %s; only a dispatched voucher is started",
				   v.number, v.status);
	case KF_START_OFFSITE:
		return kf_err_rule(err, KF_ERULE, "D-4",
				   "voucher %s is off-site service; its off-site request (%s) must "
				   "be approved by the manager before the work starts",
				   v.number, v.offsite_status ? v.offsite_status : "not filed");
	case KF_START_OK:
		break;
	}
	v.status = kf_voucher_status_name(KF_VOUCHER_STARTED);
	v.started_at = c->now;
	return save(c, db, &v, "voucher_started", NULL, json_pack("{s:s}", "rule", "D-2"), out,
		    err);
}

int kf_app_voucher_complete(struct kf_ctx *c, int64_t id, const struct kf_voucher_work *w,
			    struct kf_voucher *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_voucher v;
	json_t *d;
	int rc;
	if ((rc = begin_work(c, id, w, true, &db, &v, &d, err))) {
		json_decref(d);
		return rc;
	}
	if (!v.work_done || !*v.work_done) {
		json_decref(d);
		return kf_err_field(err, KF_EINVALID, "work_done",
				    "work_done is required to complete a voucher (D-2)");
	}
	if (!v.signer_name || !*v.signer_name) {
		json_decref(d);
		return kf_err_field(err, KF_EINVALID, "signer_name",
				    "the customer signs: signer_name is required (D-2)");
	}
	v.status = kf_voucher_status_name(KF_VOUCHER_COMPLETED);
	v.ended_at = c->now;
	v.signed_at = c->now;
	if (!v.collection)
		v.collection = kf_fee_collection_name(KF_COLLECT_NONE);
	json_object_set_new(d, "signer_name", json_string(v.signer_name));
	json_object_set_new(d, "signature", json_boolean(v.signature_type != NULL));
	/* V-4: the technician is credited with the ticket's callback survey. */
	if ((rc = kf_store_ticket_set_technician(db, v.ticket_id, v.technician_id, err))) {
		json_decref(d);
		return rc;
	}
	int64_t who[] = {v.dispatched_by};
	if ((rc = notify(c, db, "voucher.completed", who, 1, NULL, &v, "D-2", NULL, err))) {
		json_decref(d);
		return rc;
	}
	return save(c, db, &v, "voucher_completed", v.work_done, d, out, err);
}

int kf_app_voucher_countersign(struct kf_ctx *c, int64_t id, struct kf_voucher *out,
			       struct kf_err *err)
{
	struct kf_db *db;
	struct kf_voucher v;
	int rc;
	if ((rc = begin_manager(c, id, &db, &v, err)))
		return rc;
	if ((rc = require_status(&v, KF_VOUCHER_COMPLETED, "D-2", "is countersigned", err)))
		return rc;
	v.status = kf_voucher_status_name(KF_VOUCHER_COUNTERSIGNED);
	v.countersigned_by = c->actor.user_id;
	v.countersigned_at = c->now;
	return save(c, db, &v, "voucher_countersigned", NULL, json_pack("{s:s}", "rule", "D-2"),
		    out, err);
}

int kf_app_voucher_signature_put(struct kf_ctx *c, int64_t id, const unsigned char *img, size_t len,
				 const char *field, struct kf_voucher *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_voucher v;
	int rc;
	if (len > KF_SIGNATURE_MAX_BYTES)
		return kf_err_field(err, KF_ETOOLARGE, field,
				    "the signature image has %zu bytes; at most %d are accepted",
				    len, KF_SIGNATURE_MAX_BYTES);
	enum kf_image_type type = kf_image_sniff(img, len);
	if (type == KF_IMAGE_NONE)
		return kf_err_field(err, KF_EINVALID, field,
				    "the signature must be a PNG or JPEG image");
	if ((rc = begin_own(c, id, &db, &v, err)))
		return rc;
	if ((rc = require_status(&v, KF_VOUCHER_STARTED, "D-2", "takes the customer's signature",
				 err)))
		return rc;
	char hash[KF_SHA256_HEX_LEN + 1];
	kf_crypto_sha256_hex(img, len, hash);
	char *b64 = kf_base64_encode(img, len);
	struct kf_voucher_signature s = {.voucher_id = v.id,
					 .content_type = kf_image_mime(type),
					 .sha256 = hash,
					 .data_base64 = b64,
					 .bytes = (int64_t)len,
					 .captured_by = c->actor.user_id,
					 .captured_at = c->now};
	rc = kf_store_signature_put(db, &s, err);
	free(b64);
	if (rc)
		return rc;
	return save(c, db, &v, "voucher_signature_captured", NULL,
		    json_pack("{s:s, s:s, s:I, s:s}", "rule", "D-2", "content_type", s.content_type,
			      "bytes", (json_int_t)len, "sha256", hash),
		    out, err);
}

int kf_app_voucher_signature_get(struct kf_ctx *c, int64_t id, const char **type,
				 unsigned char **data, size_t *len, struct kf_err *err)
{
	struct kf_voucher v;
	struct kf_voucher_signature s;
	struct kf_db *db;
	int rc;
	if ((rc = kf_app_voucher_get(c, id, &v, err)) || (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_signature_get(db, id, c->arena, &s, err)))
		return rc;
	*data = kf_arena_alloc(c->arena, (size_t)s.bytes + 1);
	long n = kf_base64_decode(s.data_base64, strlen(s.data_base64), *data, (size_t)s.bytes);
	if (n != s.bytes)
		return kf_err_set(err, KF_EINTERNAL, "signature of voucher %lld is damaged",
				  (long long)id);
	*len = (size_t)n;
	*type = s.content_type;
	return 0;
}

int kf_app_offsite_request(struct kf_ctx *c, int64_t id, const char *destination,
			   const char *reason, bool has_cost, int64_t cost_fen,
			   struct kf_voucher *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_voucher v;
	int rc;
	if ((rc = begin_own(c, id, &db, &v, err)))
		return rc;
	if (!v.off_site)
		return kf_err_rule(
		    err, KF_ECONFLICT, "D-4",
		    "voucher %s is not off-site service; it needs no off-site request", v.number);
	if ((rc = require_status(&v, KF_VOUCHER_DISPATCHED, "D-4",
				 "gets an off-site request (before the work starts)", err)))
		return rc;
	if (v.offsite_status && strcmp(v.offsite_status, "rejected"))
		return kf_err_rule(err, KF_ECONFLICT, "D-4",
				   "voucher %s has an off-site request %s", v.number,
				   v.offsite_status);
	if ((rc = kf_store_offsite_put(db, v.id, destination, reason, has_cost, cost_fen,
				       c->actor.user_id, c->now, err)))
		return rc;
	static const char *const managers[] = {"manager", NULL};
	json_t *d = json_pack("{s:s, s:s}", "rule", "D-4", "destination", destination);
	if (has_cost)
		json_object_set_new(d, "estimated_cost_fen", json_integer(cost_fen));
	if ((rc = notify(c, db, "voucher.offsite_requested", NULL, 0, managers, &v, "D-4",
			 json_pack("{s:s}", "destination", destination), err))) {
		json_decref(d);
		return rc;
	}
	return save(c, db, &v, "voucher_offsite_requested", reason, d, out, err);
}

int kf_app_offsite_decide(struct kf_ctx *c, int64_t id, bool approve, const char *comment,
			  struct kf_voucher *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_voucher v;
	bool changed;
	int rc;
	if ((rc = begin_manager(c, id, &db, &v, err)))
		return rc;
	const char *to = approve ? "approved" : "rejected";
	if ((rc = kf_store_offsite_decide(db, v.id, to, c->actor.user_id, c->now, comment, &changed,
					  err)))
		return rc;
	if (!changed)
		return kf_err_rule(err, KF_ECONFLICT, "D-4",
				   "voucher %s has no off-site request waiting (%s)", v.number,
				   v.offsite_status ? v.offsite_status : "none filed");
	int64_t who[] = {v.technician_id};
	if ((rc = notify(c, db, "voucher.offsite_decided", who, 1, NULL, &v, "D-4",
			 json_pack("{s:s}", "decision", to), err)))
		return rc;
	return save(c, db, &v, approve ? "voucher_offsite_approved" : "voucher_offsite_rejected",
		    comment, json_pack("{s:s}", "rule", "D-4"), out, err);
}

/* The local midnight that starts date (NULL: today) and the next one. */
static int day_bounds(struct kf_ctx *c, const char *date, const char *field, int64_t *start,
		      int64_t *end, char out[11], struct kf_err *err)
{
	if (!date) {
		kf_time_format_date(c->now, out);
	} else {
		if (strlen(date) != 10)
			return kf_err_field(err, KF_EINVALID, field, "%s must be YYYY-MM-DD",
					    field);
		memcpy(out, date, 11);
	}
	if (!kf_time_parse_date(out, start))
		return kf_err_field(err, KF_EINVALID, field, "%s must be YYYY-MM-DD", field);
	/* The next local midnight, also across a change of offset. */
	char next[11];
	kf_time_format_date(*start + DAY_MS + DAY_MS / 2, next);
	kf_time_parse_date(next, end);
	return 0;
}

int kf_app_dispatch_list(struct kf_ctx *c, const char *date, int limit,
			 struct kf_dispatch_list *out, struct kf_err *err)
{
	struct kf_db *db;
	int64_t start, end;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = day_bounds(c, date, "date", &start, &end, out->date, err)) ||
	    (rc = kf_ctx_require(c, KF_PERM_DISPATCH, err)) || (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_dispatch_pending(db, end, limit + 1, c->arena, &out->pending,
					    &out->npending, err)))
		return rc;
	out->pending_more = out->npending > limit;
	if (out->pending_more)
		out->npending = limit;
	/* L-10: work of earlier days heads the list (the store gives oldest
	 * first, so carried-over work already comes first). */
	out->carried_over = kf_arena_alloc(c->arena, sizeof(bool) * (size_t)(out->npending + 1));
	for (int i = 0; i < out->npending; i++)
		out->carried_over[i] = kf_dispatch_carried_over(out->pending[i].created_at, start);
	struct kf_voucher_filter f = {.scheduled_on = out->date, .limit = limit};
	if ((rc = kf_store_voucher_list(db, &f, c->arena, &out->scheduled, &out->nscheduled, err)))
		return rc;
	out->scheduled_more = out->nscheduled > limit;
	if (out->scheduled_more)
		out->nscheduled = limit;
	return 0;
}

/* ---- K-7 ---- */

int kf_app_k7_on_approved_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t,
			     const struct kf_resolution *r, struct kf_err *err)
{
	struct kf_k7_doc d = {.resolution_id = r->id, .ticket_id = t->id, .created_at = c->now};
	const char *kind;
	int rc;
	switch (kf_k7_document_for(r->kind)) {
	case KF_K7_DISCOUNT_CERTIFICATE:
		kind = "discount_certificate";
		d.amount_fen = r->amount_fen;
		if ((rc = doc_number(c, db, "ZK", &d.number, err)) ||
		    (rc = kf_store_certificate_insert(db, &d, err)))
			return rc;
		break;
	case KF_K7_RETURN_SLIP:
		kind = "return_slip";
		d.quantity = r->quantity;
		if ((rc = doc_number(c, db, "TH", &d.number, err)) ||
		    (rc = kf_store_return_slip_insert(db, &d, err)))
			return rc;
		break;
	default:
		return 0;
	}
	json_t *detail = json_pack("{s:s, s:s, s:o, s:s, s:o}", "rule", "K-7", "document", kind,
				   "document_id", kf_app_json_id(d.id), "document_number", d.number,
				   "resolution_id", kf_app_json_id(r->id));
	return kf_app_ticket_record(c, db, t->id, t->number, "k7_document_created", false, NULL,
				    detail, err);
}

int kf_app_return_slip_list(struct kf_ctx *c, const char *status, int limit,
			    struct kf_k7_doc **items, int *n, bool *more, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if (status && strcmp(status, "awaiting") && strcmp(status, "received"))
		return kf_err_field(err, KF_EINVALID, "status",
				    "status must be awaiting or received");
	if ((rc = kf_ctx_require(c, KF_PERM_RETURNS_CONFIRM, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_k7_list(db, true, status, 0, 0, limit + 1, c->arena, items, n, err)))
		return rc;
	*more = *n > limit;
	if (*more)
		*n = limit;
	return 0;
}

int kf_app_return_slip_receive(struct kf_ctx *c, int64_t id, int64_t received_qty, const char *note,
			       struct kf_k7_doc *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_k7_doc d;
	bool changed;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_RETURNS_CONFIRM, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_return_slip_get(db, id, c->arena, &d, err)))
		return rc;
	if (strcmp(d.status, "awaiting"))
		return kf_err_rule(err, KF_ECONFLICT, "K-7",
				   "return slip %s was received already (%lld)", d.number,
				   (long long)d.received_qty);
	if (!kf_return_received_valid(d.quantity, received_qty)) {
		kf_err_rule(err, KF_ERULE, "K-7",
			    "return slip %s is for %lld; the received quantity must be from 1 "
			    "to %lld",
			    d.number, (long long)d.quantity, (long long)d.quantity);
		snprintf(err->field, sizeof err->field, "received_qty");
		return KF_ERULE;
	}
	d.received_qty = received_qty;
	d.has_received = true;
	d.received_by = c->actor.user_id;
	d.received_at = c->now;
	d.received_note = note;
	if ((rc = kf_store_return_slip_receive(db, &d, &changed, err)))
		return rc;
	if (!changed)
		return kf_err_rule(err, KF_ECONFLICT, "K-7",
				   "return slip %s was received meanwhile", d.number);
	json_t *detail =
	    json_pack("{s:s, s:o, s:s, s:I, s:I}", "rule", "K-7", "return_slip_id",
		      kf_app_json_id(d.id), "number", d.number, "quantity", (json_int_t)d.quantity,
		      "received_qty", (json_int_t)received_qty);
	if ((rc = kf_app_ticket_record(c, db, d.ticket_id, d.ticket_number, "return_received",
				       false, note, detail, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return kf_store_return_slip_get(db, id, c->arena, out, err);
}

int kf_app_finance_list(struct kf_ctx *c, const char *from, const char *to, int limit,
			struct kf_finance_list *out, struct kf_err *err)
{
	struct kf_db *db;
	int64_t from_start, from_end, to_start, to_end;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = day_bounds(c, from, "from", &from_start, &from_end, out->from, err)) ||
	    (rc = day_bounds(c, to, "to", &to_start, &to_end, out->to, err)))
		return rc;
	if (to_end <= from_start)
		return kf_err_field(err, KF_EINVALID, "to", "to must not be before from");
	if ((rc = kf_ctx_require(c, KF_PERM_FINANCE_READ, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_k7_list(db, false, NULL, from_start, to_end, limit + 1, c->arena,
				   &out->certificates, &out->ncertificates, err)) ||
	    (rc = kf_store_k7_list(db, true, NULL, from_start, to_end, limit + 1, c->arena,
				   &out->slips, &out->nslips, err)) ||
	    (rc = kf_store_voucher_fees(db, from_start, to_end, limit + 1, c->arena, &out->fees,
					&out->nfees, err)))
		return rc;
	int *counts[] = {&out->ncertificates, &out->nslips, &out->nfees};
	for (int i = 0; i < 3; i++)
		if (*counts[i] > limit) {
			*counts[i] = limit;
			out->more = true;
		}
	return 0;
}

/* ---- JSON ---- */

static json_t *opt_int(bool has, int64_t v)
{
	return has ? json_integer(v) : json_null();
}

json_t *kf_app_voucher_json(const struct kf_voucher *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(v->id));
	json_object_set_new(o, "number", json_string(v->number));
	json_object_set_new(o, "ticket_id", kf_app_json_id(v->ticket_id));
	json_object_set_new(o, "ticket_number", kf_app_json_str(v->ticket_number));
	json_object_set_new(o, "ticket_type", kf_app_json_str(v->ticket_type));
	json_object_set_new(o, "ticket_subject", kf_app_json_str(v->ticket_subject));
	json_object_set_new(o, "ticket_status", kf_app_json_str(v->ticket_status));
	json_object_set_new(o, "service_class", kf_app_json_str(v->service_class));
	json_object_set_new(o, "customer_name", kf_app_json_str(v->customer_name));
	json_object_set_new(o, "technician_id", kf_app_json_id(v->technician_id));
	json_object_set_new(o, "technician_name", kf_app_json_str(v->technician_name));
	json_object_set_new(o, "scheduled_on", kf_app_json_str(v->scheduled_on));
	json_object_set_new(o, "address", kf_app_json_str(v->address));
	json_object_set_new(o, "city", kf_app_json_str(v->city));
	json_object_set_new(o, "note", kf_app_json_str(v->note));
	json_object_set_new(o, "off_site", json_boolean(v->off_site));
	json_object_set_new(o, "status", json_string(v->status));
	json_object_set_new(o, "dispatched_by", kf_app_json_id(v->dispatched_by));
	json_object_set_new(o, "dispatched_at", kf_app_json_instant(v->dispatched_at));
	json_object_set_new(o, "started_at", kf_app_json_instant(v->started_at));
	json_object_set_new(o, "ended_at", kf_app_json_instant(v->ended_at));
	json_object_set_new(o, "work_done", kf_app_json_str(v->work_done));
	json_object_set_new(o, "parts", kf_app_json_str(v->parts));
	json_object_set_new(o, "fee_fen", opt_int(v->has_fee, v->fee_fen));
	json_object_set_new(o, "collection", kf_app_json_str(v->collection));
	json_object_set_new(o, "travel_cost_fen", opt_int(v->has_travel_cost, v->travel_cost_fen));
	json_object_set_new(o, "signer_name", kf_app_json_str(v->signer_name));
	json_object_set_new(o, "signed_at", kf_app_json_instant(v->signed_at));
	json_t *sig = json_null();
	if (v->signature_type)
		sig = json_pack("{s:s, s:I}", "content_type", v->signature_type, "bytes",
				(json_int_t)v->signature_bytes);
	json_object_set_new(o, "signature", sig);
	json_object_set_new(o, "countersigned_by", kf_app_json_id(v->countersigned_by));
	json_object_set_new(o, "countersigned_at", kf_app_json_instant(v->countersigned_at));
	json_t *req = json_null();
	if (v->offsite_status) {
		req = json_object();
		json_object_set_new(req, "status", json_string(v->offsite_status));
		json_object_set_new(req, "destination", kf_app_json_str(v->offsite_destination));
		json_object_set_new(req, "reason", kf_app_json_str(v->offsite_reason));
		json_object_set_new(req, "estimated_cost_fen",
				    opt_int(v->has_offsite_cost, v->offsite_cost_fen));
		json_object_set_new(req, "requested_by", kf_app_json_id(v->offsite_requested_by));
		json_object_set_new(req, "requested_at",
				    kf_app_json_instant(v->offsite_requested_at));
		json_object_set_new(req, "decided_by", kf_app_json_id(v->offsite_decided_by));
		json_object_set_new(req, "decided_at", kf_app_json_instant(v->offsite_decided_at));
		json_object_set_new(req, "comment", kf_app_json_str(v->offsite_comment));
	}
	json_object_set_new(o, "offsite_request", req);
	json_object_set_new(o, "updated_at", kf_app_json_instant(v->updated_at));
	json_object_set_new(o, "version", json_integer(v->version));
	return o;
}

json_t *kf_app_k7_doc_json(const struct kf_k7_doc *d, bool slip)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(d->id));
	json_object_set_new(o, "number", json_string(d->number));
	json_object_set_new(o, "resolution_id", kf_app_json_id(d->resolution_id));
	json_object_set_new(o, "ticket_id", kf_app_json_id(d->ticket_id));
	json_object_set_new(o, "ticket_number", kf_app_json_str(d->ticket_number));
	json_object_set_new(o, "customer_name", kf_app_json_str(d->customer_name));
	if (slip) {
		json_object_set_new(o, "quantity", json_integer(d->quantity));
		json_object_set_new(o, "status", kf_app_json_str(d->status));
		json_object_set_new(o, "received_qty", opt_int(d->has_received, d->received_qty));
		json_object_set_new(o, "received_by", kf_app_json_id(d->received_by));
		json_object_set_new(o, "received_at", kf_app_json_instant(d->received_at));
		json_object_set_new(o, "received_note", kf_app_json_str(d->received_note));
	} else {
		json_object_set_new(o, "amount_fen", json_integer(d->amount_fen));
	}
	json_object_set_new(o, "created_at", kf_app_json_instant(d->created_at));
	return o;
}

json_t *kf_app_dispatch_list_json(const struct kf_dispatch_list *l)
{
	json_t *pending = json_array(), *scheduled = json_array();
	for (int i = 0; i < l->npending; i++) {
		const struct kf_dispatch_item *it = &l->pending[i];
		json_t *o = json_object();
		json_object_set_new(o, "ticket_id", kf_app_json_id(it->ticket_id));
		json_object_set_new(o, "number", json_string(it->number));
		json_object_set_new(o, "type", json_string(it->type));
		json_object_set_new(o, "subject", json_string(it->subject));
		json_object_set_new(o, "priority", json_string(it->priority));
		json_object_set_new(o, "status", json_string(it->status));
		json_object_set_new(o, "service_class", kf_app_json_str(it->service_class));
		json_object_set_new(o, "customer_name", kf_app_json_str(it->customer_name));
		json_object_set_new(o, "created_at", kf_app_json_instant(it->created_at));
		json_object_set_new(o, "carried_over", json_boolean(l->carried_over[i]));
		json_object_set_new(o, "rule",
				    l->carried_over[i] ? json_string("L-10") : json_null());
		json_array_append_new(pending, o);
	}
	for (int i = 0; i < l->nscheduled; i++)
		json_array_append_new(scheduled, kf_app_voucher_json(&l->scheduled[i]));
	return json_pack("{s:s, s:o, s:b, s:o, s:b}", "date", l->date, "pending", pending,
			 "pending_more", l->pending_more, "scheduled", scheduled, "scheduled_more",
			 l->scheduled_more);
}

json_t *kf_app_finance_json(const struct kf_finance_list *l)
{
	json_t *certs = json_array(), *slips = json_array(), *fees = json_array();
	int64_t cert_total = 0, fee_total = 0, on_site = 0, invoiced = 0;
	for (int i = 0; i < l->ncertificates; i++) {
		cert_total += l->certificates[i].amount_fen;
		json_array_append_new(certs, kf_app_k7_doc_json(&l->certificates[i], false));
	}
	for (int i = 0; i < l->nslips; i++)
		json_array_append_new(slips, kf_app_k7_doc_json(&l->slips[i], true));
	for (int i = 0; i < l->nfees; i++) {
		const struct kf_voucher *v = &l->fees[i];
		fee_total += v->fee_fen;
		if (v->collection && !strcmp(v->collection, "on_site"))
			on_site += v->fee_fen;
		else
			invoiced += v->fee_fen;
		json_array_append_new(
		    fees,
		    json_pack("{s:o, s:s, s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "voucher_id",
			      kf_app_json_id(v->id), "voucher_number", v->number, "ticket_number",
			      kf_app_json_str(v->ticket_number), "customer_name",
			      kf_app_json_str(v->customer_name), "technician_name",
			      kf_app_json_str(v->technician_name), "fee_fen",
			      (json_int_t)v->fee_fen, "collection", kf_app_json_str(v->collection),
			      "travel_cost_fen", opt_int(v->has_travel_cost, v->travel_cost_fen),
			      "ended_at", kf_app_json_instant(v->ended_at)));
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:b}", "from", l->from,
			 "to", l->to, "discount_certificates", certs, "return_slips", slips,
			 "service_fees", fees, "totals", "discount_fen", (json_int_t)cert_total,
			 "service_fee_fen", (json_int_t)fee_total, "collected_on_site_fen",
			 (json_int_t)on_site, "invoiced_fen", (json_int_t)invoiced, "more",
			 l->more);
}
