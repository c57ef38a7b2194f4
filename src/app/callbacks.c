/* Callbacks (回访) and surveys (SPEC V, seed 000 第十五条, 第十七条). Every
 * change is a timeline event of the ticket called back and an audit entry
 * (S-3), in the transaction of the change. The survey token is random (256
 * bits); the store keeps only its SHA-256, as for session tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/callbacks.h"
#include "app/complaints.h"
#include "app/events.h"
#include "app/internal.h"
#include "rules/complaint.h"
#include "util/crypto.h"
#include "util/time.h"

/* An internal timeline event of a ticket and its audit entry. detail is
 * stolen. */
static int record(struct kf_ctx *c, struct kf_db *db, int64_t ticket_id, const char *number,
		  const char *kind, const char *body, json_t *detail, struct kf_err *err)
{
	return kf_app_ticket_record(c, db, ticket_id, number, kind, true, body, detail, err);
}

int kf_app_callback_on_close_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
				const struct kf_ticket *t, json_t **issued, struct kf_err *err)
{
	bool open;
	int rc;
	*issued = NULL;
	if (!kf_callback_applies(t->type))
		return 0;
	/* A ticket reopened and closed again keeps the callback not yet made. */
	if ((rc = kf_store_callback_open_exists(db, t->id, &open, err)) || open)
		return rc;
	char token[KF_TOKEN_LEN + 1], hash[KF_SHA256_HEX_LEN + 1];
	kf_crypto_token(token);
	kf_crypto_sha256_hex(token, strlen(token), hash);
	struct kf_callback cb = {
	    .ticket_id = t->id,
	    .status = "due",
	    .due_at = kf_callback_due(c->now, kf_policy_int(p, "callbacks.due_days_after_close")),
	    .agent_id = t->owner_id,
	    .assignee_id = t->assignee_id != t->owner_id ? t->assignee_id : 0,
	    .token_hash = hash,
	    .token_expires_at =
		kf_survey_link_expiry(c->now, kf_policy_int(p, "callbacks.survey_link_valid_days")),
	    .created_at = c->now};
	if ((rc = kf_store_callback_insert(db, &cb, err)) ||
	    (rc = record(c, db, t->id, t->number, "callback_created", NULL,
			 json_pack("{s:s, s:o, s:o, s:o}", "rule", "V-1", "callback_id",
				   kf_app_json_id(cb.id), "due_at", kf_app_json_instant(cb.due_at),
				   "survey_expires_at", kf_app_json_instant(cb.token_expires_at)),
			 err)))
		return rc;
	*issued = json_pack("{s:o, s:o, s:s, s:o}", "id", kf_app_json_id(cb.id), "due_at",
			    kf_app_json_instant(cb.due_at), "survey_token", token,
			    "survey_expires_at", kf_app_json_instant(cb.token_expires_at));
	return 0;
}

int kf_app_callback_list(struct kf_ctx *c, const char *status, int64_t after_id, int limit,
			 struct kf_callback **items, int *n, bool *more, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if (status && strcmp(status, "due") && strcmp(status, "unreached") &&
	    strcmp(status, "done"))
		return kf_err_field(err, KF_EINVALID, "status",
				    "status must be due, unreached or done");
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_callback_list(db, status, 0, after_id, limit, c->arena, items, n, err)))
		return rc;
	*more = *n > limit;
	if (*more)
		*n = limit;
	return 0;
}

/* V-2: checks the four ratings; fills r. */
static int check_survey(const struct kf_survey_input *in, enum kf_rating r[KF_SURVEY_DIMS],
			struct kf_err *err)
{
	for (int i = 0; i < KF_SURVEY_DIMS; i++) {
		int v = kf_rating_parse(in->rating[i]);
		if (v < 0)
			return kf_err_field(err, KF_EINVALID,
					    i == 0   ? "survey.attitude"
					    : i == 1 ? "survey.skill"
					    : i == 2 ? "survey.arrival"
						     : "survey.promise",
					    "%s must be very_satisfied, satisfied, average or poor "
					    "(V-2)",
					    kf_survey_dims[i]);
		r[i] = (enum kf_rating)v;
	}
	return 0;
}

/* V-3: a poor rating (r, NULL without a survey), or a complaint the
 * customer raised during the call (in->has_complaint), opens a complaint
 * linked to the ticket called back: in the complaint chain when that ticket
 * is a complaint with a form (K-6), and in any case through the callback
 * (follow_up_ticket_id) and the timeline of both. */
static int open_follow_up(struct kf_ctx *c, struct kf_db *db, const struct kf_callback *cb,
			  const enum kf_rating *r, const struct kf_survey_input *si, int64_t *id,
			  struct kf_err *err)
{
	const char *comment = si->comment;
	struct kf_ticket t;
	struct kf_complaint f;
	int rc;
	if ((rc = kf_store_ticket_get(db, cb->ticket_id, c->arena, &t, err)))
		return rc;
	char poor[64] = "";
	size_t len = 0;
	for (int i = 0; r && i < KF_SURVEY_DIMS; i++)
		if (r[i] == KF_RATING_POOR)
			len += (size_t)snprintf(poor + len, sizeof poor - len, "%s%s",
						len ? ", " : "", kf_survey_dims[i]);
	struct kf_complaint_input ci = {.has_cause = true,
					.cause = "non_quality",
					.has_severity = true,
					.severity = "general",
					.parent_ticket_id = t.id};
	bool chained = false;
	if (!strcmp(t.type, "complaint")) {
		rc = kf_store_complaint_get(db, t.id, c->arena, &f, err);
		if (rc && rc != KF_ENOTFOUND)
			return rc;
		if (rc == 0) {
			chained = true;
			if (f.cause)
				ci.cause = f.cause;
			if (f.non_quality_kind) {
				ci.non_quality_kind = f.non_quality_kind;
				ci.has_non_quality_kind = true;
			}
			if (f.severity)
				ci.severity = f.severity;
		}
		kf_err_clear(err);
	}
	if (!chained)
		ci.parent_ticket_id = 0;
	if (si->has_complaint && si->complaint_severity)
		ci.severity = si->complaint_severity;
	const char *why =
	    si->has_complaint
		? kf_arena_printf(c->arena, "complaint raised during the callback: %s%s%s",
				  si->complaint_summary, *poor ? "; survey rated poor: " : "", poor)
		: kf_arena_printf(c->arena, "callback survey rated poor: %s", poor);
	struct kf_ticket_input in = {
	    .type = "complaint",
	    .channel = cb->answered_via && !strcmp(cb->answered_via, "link") ? "web" : "phone",
	    .contact = t.contact,
	    .has_contact = t.contact != NULL,
	    .subject = si->has_complaint ? si->complaint_summary : t.subject,
	    .description = kf_arena_printf(c->arena, "%s\n\n[%s] %s%s%s", t.description, t.number,
					   why, comment ? "; " : "", comment ? comment : ""),
	    .priority = t.priority,
	    .has_priority = true,
	    .product = t.product,
	    .has_product = t.product != NULL,
	    .customer_id = t.customer_id,
	    .has_customer_id = true,
	    .complaint = chained || si->has_complaint ? &ci : NULL,
	};
	/* The ticket's owner owns the follow-up when the customer answered
	 * through the link (nobody is signed in); the caller otherwise. */
	struct kf_ctx owner = *c;
	if (!c->actor.user_id)
		owner.actor.user_id = t.owner_id;
	if ((rc = kf_app_ticket_register_tx(&owner, db, &in, id, err)))
		return rc;
	json_t *d = json_pack("{s:s, s:o, s:s, s:o, s:s, s:b}", "rule", "V-3", "parent_id",
			      kf_app_json_id(t.id), "parent_number", t.number, "callback_id",
			      kf_app_json_id(cb->id), "poor", poor, "raised", si->has_complaint);
	struct kf_ticket nt;
	if ((rc = kf_store_ticket_get(db, *id, c->arena, &nt, err)))
		return rc;
	if ((rc = record(c, db, nt.id, nt.number, "callback_follow_up", comment, d, err)))
		return rc;
	int64_t who[] = {t.owner_id, t.assignee_id};
	static const char *const sup[] = {"supervisor", NULL};
	return kf_app_notify(
	    c, db, si->has_complaint ? "callback.complaint" : "callback.poor_rating", who, 2, sup,
	    json_pack("{s:o, s:s, s:o, s:s, s:s}", "ticket_id", kf_app_json_id(nt.id), "number",
		      nt.number, "parent_id", kf_app_json_id(t.id), "poor", poor, "rule", "V-3"),
	    err);
}

/* Writes a survey (or a result without one) on cb and records it. */
static int finish(struct kf_ctx *c, struct kf_db *db, struct kf_callback *cb,
		  const char *from_status, const struct kf_survey_input *in, struct kf_err *err)
{
	enum kf_rating r[KF_SURVEY_DIMS];
	bool changed, poor = false;
	int rc;
	if (in->has_survey) {
		if ((rc = check_survey(in, r, err)))
			return rc;
		for (int i = 0; i < KF_SURVEY_DIMS; i++)
			cb->rating[i] = kf_rating_name(r[i]);
		cb->score = kf_survey_score(r);
		poor = kf_survey_any_poor(r);
	}
	if ((poor || in->has_complaint) &&
	    (rc = open_follow_up(c, db, cb, in->has_survey ? r : NULL, in, &cb->follow_up_ticket_id,
				 err)))
		return rc;
	cb->comment = in->comment;
	if ((rc = kf_store_callback_update(db, cb, from_status, &changed, err)))
		return rc;
	if (!changed)
		return kf_err_set(err, KF_ECONFLICT, "callback %lld was answered meanwhile",
				  (long long)cb->id);
	json_t *d = json_pack("{s:s, s:o, s:s, s:o}", "rule", "V-2", "callback_id",
			      kf_app_json_id(cb->id), "status", cb->status, "follow_up_id",
			      kf_app_json_id(cb->follow_up_ticket_id));
	if (cb->has_reached)
		json_object_set_new(d, "reached", json_boolean(cb->reached));
	if (cb->answered_via)
		json_object_set_new(d, "answered_via", json_string(cb->answered_via));
	if (in->has_survey)
		for (int i = 0; i < KF_SURVEY_DIMS; i++)
			json_object_set_new(d, kf_survey_dims[i], json_string(cb->rating[i]));
	return record(c, db, cb->ticket_id, cb->ticket_number, "callback_result", in->comment, d,
		      err);
}

int kf_app_callback_result(struct kf_ctx *c, int64_t id, bool reached,
			   const struct kf_survey_input *in, struct kf_callback *out,
			   struct kf_err *err)
{
	struct kf_db *db;
	struct kf_callback cb;
	int rc;
	if (!reached && in->has_survey)
		return kf_err_field(err, KF_EINVALID, "survey",
				    "a survey goes only with reached: true (V-2)");
	if (!reached && in->has_complaint)
		return kf_err_field(err, KF_EINVALID, "complaint",
				    "a complaint is raised only by a customer reached (V-3)");
	if (in->has_complaint && in->complaint_severity &&
	    kf_complaint_severity_parse(in->complaint_severity) < 0)
		return kf_err_field(err, KF_EINVALID, "complaint.severity",
				    "severity must be general, major or crisis (K-2)");
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_store_callback_get(db, id, c->arena, &cb, err)))
		return rc;
	if (!strcmp(cb.status, "done"))
		return kf_err_rule(err, KF_ECONFLICT, "V-2",
				   "callback %lld is done (%s); its result is recorded",
				   (long long)cb.id, cb.answered_via ? cb.answered_via : "staff");
	const char *from = cb.status;
	cb.called_by = c->actor.user_id;
	cb.called_at = c->now;
	cb.has_reached = true;
	cb.reached = reached;
	if (reached) {
		cb.status = "done";
		cb.done_at = c->now;
		cb.answered_via = in->has_survey ? "staff" : NULL;
		/* The customer was reached: the link has served its turn. */
		cb.token_used_at = c->now;
	} else {
		cb.status = "unreached";
	}
	if ((rc = finish(c, db, &cb, from, in, err)) || (rc = kf_db_commit(db, err)))
		return rc;
	return kf_store_callback_get(db, id, c->arena, out, err);
}

/* Finds the callback of a link's token; refuses unknown, used and expired
 * links. */
static int by_token(struct kf_ctx *c, struct kf_db *db, const char *token, struct kf_callback *cb,
		    struct kf_err *err)
{
	char hash[KF_SHA256_HEX_LEN + 1];
	if (!token || strlen(token) != KF_TOKEN_LEN)
		return kf_err_set(err, KF_ENOTFOUND, "no survey has this link");
	kf_crypto_sha256_hex(token, strlen(token), hash);
	int rc = kf_store_callback_by_token(db, hash, c->arena, cb, err);
	if (rc == KF_ENOTFOUND) {
		bool retired;
		if ((rc = kf_store_survey_link_retired(db, hash, &retired, err)))
			return rc;
		return retired ? kf_err_set(err, KF_EGONE,
					    "this survey link was replaced by a newer one; please "
					    "use the latest link you received")
			       : kf_err_set(err, KF_ENOTFOUND, "no survey has this link");
	}
	if (rc)
		return rc;
	if (cb->token_used_at || !strcmp(cb->status, "done"))
		return kf_err_set(err, KF_EGONE,
				  "this survey link was already used; each link answers once");
	if (c->now >= cb->token_expires_at) {
		char when[40];
		kf_time_format(cb->token_expires_at, when);
		return kf_err_set(err, KF_EGONE, "this survey link expired at %s", when);
	}
	return 0;
}

int kf_app_callback_reissue_link(struct kf_ctx *c, int64_t id, struct kf_callback *out,
				 const char **token, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_callback cb;
	const struct kf_policy *p;
	bool changed;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) ||
	    (rc = kf_ctx_policy(c, &p, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_store_callback_get(db, id, c->arena, &cb, err)))
		return rc;
	if (!strcmp(cb.status, "done") || cb.token_used_at)
		return kf_err_rule(err, KF_ECONFLICT, "V-2",
				   "callback %lld is done; its survey is answered",
				   (long long)cb.id);
	char *tok = kf_arena_zalloc(c->arena, KF_TOKEN_LEN + 1);
	char hash[KF_SHA256_HEX_LEN + 1];
	kf_crypto_token(tok);
	kf_crypto_sha256_hex(tok, strlen(tok), hash);
	int64_t expires =
	    kf_survey_link_expiry(c->now, kf_policy_int(p, "callbacks.survey_link_valid_days"));
	if ((rc = kf_store_callback_reissue(db, cb.id, hash, expires, c->now, &changed, err)))
		return rc;
	if (!changed)
		return kf_err_rule(err, KF_ECONFLICT, "V-2", "callback %lld was answered meanwhile",
				   (long long)cb.id);
	if ((rc = record(c, db, cb.ticket_id, cb.ticket_number, "survey_link_reissued", NULL,
			 json_pack("{s:s, s:o, s:o, s:o}", "rule", "V-2", "callback_id",
				   kf_app_json_id(cb.id), "previous_expires_at",
				   kf_app_json_instant(cb.token_expires_at), "survey_expires_at",
				   kf_app_json_instant(expires)),
			 err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*token = tok;
	return kf_store_callback_get(db, id, c->arena, out, err);
}

int kf_app_survey_get(struct kf_ctx *c, const char *token, struct kf_callback *out,
		      struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_db_read(c, &db, err)))
		return rc;
	return by_token(c, db, token, out, err);
}

int kf_app_survey_answer(struct kf_ctx *c, const char *token, const struct kf_survey_input *in,
			 struct kf_callback *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_callback cb;
	enum kf_rating r[KF_SURVEY_DIMS];
	int rc;
	if (!in->has_survey)
		return kf_err_field(err, KF_EINVALID, "survey", "survey is required (V-2)");
	if ((rc = check_survey(in, r, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = by_token(c, db, token, &cb, err)))
		return rc;
	const char *from = cb.status;
	cb.status = "done";
	cb.done_at = c->now;
	cb.answered_via = "link";
	cb.token_used_at = c->now;
	if ((rc = finish(c, db, &cb, from, in, err)) || (rc = kf_db_commit(db, err)))
		return rc;
	return kf_store_callback_get(db, cb.id, c->arena, out, err);
}

json_t *kf_app_callback_json(const struct kf_callback *cb)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(cb->id));
	json_object_set_new(o, "ticket_id", kf_app_json_id(cb->ticket_id));
	json_object_set_new(o, "ticket_number", kf_app_json_str(cb->ticket_number));
	json_object_set_new(o, "ticket_type", kf_app_json_str(cb->ticket_type));
	json_object_set_new(o, "ticket_subject", kf_app_json_str(cb->ticket_subject));
	json_object_set_new(o, "status", json_string(cb->status));
	json_object_set_new(o, "due_at", kf_app_json_instant(cb->due_at));
	json_object_set_new(o, "agent_id", kf_app_json_id(cb->agent_id));
	json_object_set_new(o, "assignee_id", kf_app_json_id(cb->assignee_id));
	json_object_set_new(o, "survey_expires_at", kf_app_json_instant(cb->token_expires_at));
	json_object_set_new(o, "survey_link_used_at", kf_app_json_instant(cb->token_used_at));
	json_object_set_new(o, "called_by", kf_app_json_id(cb->called_by));
	json_object_set_new(o, "called_at", kf_app_json_instant(cb->called_at));
	json_object_set_new(o, "reached",
			    cb->has_reached ? json_boolean(cb->reached) : json_null());
	json_object_set_new(o, "answered_via", kf_app_json_str(cb->answered_via));
	json_object_set_new(o, "done_at", kf_app_json_instant(cb->done_at));
	json_t *s = json_null();
	if (cb->rating[0]) {
		s = json_object();
		for (int i = 0; i < KF_SURVEY_DIMS; i++)
			json_object_set_new(s, kf_survey_dims[i], json_string(cb->rating[i]));
		json_object_set_new(s, "score", json_integer(cb->score));
	}
	json_object_set_new(o, "survey", s);
	json_object_set_new(o, "comment", kf_app_json_str(cb->comment));
	json_object_set_new(o, "follow_up_ticket_id", kf_app_json_id(cb->follow_up_ticket_id));
	json_object_set_new(o, "created_at", kf_app_json_instant(cb->created_at));
	return o;
}

json_t *kf_app_survey_public_json(const struct kf_callback *cb)
{
	json_t *dims = json_array();
	for (int i = 0; i < KF_SURVEY_DIMS; i++)
		json_array_append_new(dims, json_string(kf_survey_dims[i]));
	json_t *scale = json_array();
	for (int i = 0; i < 4; i++)
		json_array_append_new(scale, json_string(kf_rating_name((enum kf_rating)i)));
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}", "ticket_number", cb->ticket_number,
			 "subject", cb->ticket_subject, "dimensions", dims, "ratings", scale,
			 "expires_at", kf_app_json_instant(cb->token_expires_at), "status",
			 cb->token_used_at ? "answered" : "open");
}
