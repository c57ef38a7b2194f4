/* Tickets, their timeline entries and transfers as the API shows them
 * (docs/api.md). The ticket view, built on every GET /tickets/{id}, is
 * written straight into a buffer (util/jsonw.h): building a jansson tree and
 * dumping it was about half the instructions of the request. Member order
 * and text are those of the jansson version it replaced, byte for byte
 * (tests/unit/test_util.c). */
#include <string.h>
#include "app/app.h"
#include "app/complaints.h"
#include "app/internal.h"
#include "rules/privacy.h"
#include "rules/ticket.h"
#include "util/time.h"

/* ---- written into a buffer ---- */

/* An instant in RFC 3339 local time, or null for 0 (not yet). */
static void w_instant(struct kf_jsonw *w, const char *key, int64_t ms)
{
	char buf[40];
	kf_jsonw_key(w, key);
	if (!ms) {
		kf_jsonw_null(w);
		return;
	}
	kf_time_format(ms, buf);
	kf_jsonw_str(w, buf);
}

/* Ids are strings in the API; 0 (none) is null. */
static void w_id(struct kf_jsonw *w, const char *key, int64_t id)
{
	kf_jsonw_key(w, key);
	if (id)
		kf_jsonw_int_str(w, id);
	else
		kf_jsonw_null(w);
}

static void summary_members(struct kf_jsonw *w, const struct kf_ticket *t)
{
	w_id(w, "id", t->id);
	kf_jsonw_kstr(w, "number", t->number);
	kf_jsonw_kstr(w, "type", t->type);
	kf_jsonw_kstr(w, "channel", t->channel);
	kf_jsonw_kstr(w, "subject", t->subject);
	kf_jsonw_kstr(w, "status", t->status);
	kf_jsonw_kstr(w, "priority", t->priority);
	w_id(w, "customer_id", t->customer_id);
	kf_jsonw_kstr(w, "customer_name", t->customer_name);
	w_id(w, "owner_id", t->owner_id);
	w_id(w, "assignee_id", t->assignee_id);
	kf_jsonw_kstr(w, "escalated_to", t->escalated_to);
	kf_jsonw_kbool(w, "overdue", t->overdue);
	w_instant(w, "next_due_at", t->next_due_at);
	w_instant(w, "created_at", t->created_at);
	w_instant(w, "updated_at", t->updated_at);
	kf_jsonw_kint(w, "version", t->version);
}

void kf_app_ticket_summary_write(struct kf_jsonw *w, const struct kf_ticket *t)
{
	kf_jsonw_obj_begin(w);
	summary_members(w, t);
	kf_jsonw_obj_end(w);
}

void kf_app_ticket_write(struct kf_jsonw *w, const struct kf_ticket_view *v)
{
	const struct kf_ticket *t = &v->t;
	kf_jsonw_obj_begin(w);
	summary_members(w, t);
	/* C-3: the raw contact is personal data, masked like the customer's
	 * unless revealed. */
	if (t->contact && !v->customer_revealed) {
		char masked[KF_PRIVACY_MASK_MAX];
		kf_privacy_mask_contact(t->contact, masked);
		kf_jsonw_kstr(w, "contact", masked);
	} else {
		kf_jsonw_kstr(w, "contact", t->contact);
	}
	kf_jsonw_kstr(w, "description", t->description);
	kf_jsonw_key(w, "customer");
	kf_app_customer_write(w, &v->customer, v->customer_revealed);
	/* product is stored as the JSON object it was given as; what does not
	 * parse is shown as null. */
	kf_jsonw_key(w, "product");
	if (!t->product || !kf_jsonw_stored(w, t->product, false))
		kf_jsonw_null(w);
	kf_jsonw_kstr(w, "service_class", t->service_class);
	kf_jsonw_kstr(w, "review_rating", t->review_rating);
	w_instant(w, "resolved_at", t->resolved_at);
	w_instant(w, "closed_at", t->closed_at);
	kf_jsonw_kint(w, "policy_version", t->policy_version);
	kf_jsonw_key(w, "deadlines");
	kf_jsonw_arr_begin(w);
	for (int i = 0; i < v->ndeadlines; i++) {
		const struct kf_ticket_deadline *d = &v->deadlines[i];
		kf_jsonw_obj_begin(w);
		kf_jsonw_kstr(w, "kind", d->kind);
		kf_jsonw_kstr(w, "rule", kf_deadline_rule(kf_deadline_kind_parse(d->kind)));
		w_instant(w, "due_at", d->due_at);
		w_instant(w, "met_at", d->met_at);
		w_instant(w, "overdue_at", d->overdue_at);
		kf_jsonw_obj_end(w);
	}
	kf_jsonw_arr_end(w);
	kf_jsonw_key(w, "allowed_transitions");
	kf_jsonw_arr_begin(w);
	enum kf_status states[KF_ST_COUNT];
	int n = kf_ticket_next_states((enum kf_status)kf_status_parse(t->status), states);
	for (int i = 0; i < n; i++)
		kf_jsonw_str(w, kf_status_name(states[i]));
	kf_jsonw_arr_end(w);
	/* K-1 … K-6: the complaint form and its chain (null for other
	 * tickets), rendered by app/complaints.c. */
	if (v->complaint) {
		json_t *o = json_object();
		kf_app_complaint_json(o, v);
		kf_jsonw_key(w, "parent_id");
		kf_jsonw_value(w, json_object_get(o, "parent_id"));
		kf_jsonw_key(w, "complaint");
		kf_jsonw_value(w, json_object_get(o, "complaint"));
		json_decref(o);
	} else {
		kf_jsonw_key(w, "parent_id");
		kf_jsonw_null(w);
		kf_jsonw_key(w, "complaint");
		kf_jsonw_null(w);
	}
	/* V-1: only in the answer to the close that created the callback. */
	if (v->callback) {
		kf_jsonw_key(w, "callback");
		kf_jsonw_value(w, v->callback);
	}
	kf_jsonw_obj_end(w);
}

/* ---- jansson values ---- */

json_t *kf_app_json_instant(int64_t ms)
{
	char buf[40];
	if (!ms)
		return json_null();
	kf_time_format(ms, buf);
	return json_string(buf);
}

json_t *kf_app_json_id(int64_t id)
{
	return id ? json_sprintf("%lld", (long long)id) : json_null();
}

json_t *kf_app_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *kf_app_event_json(const struct kf_ticket_event *e)
{
	json_error_t je;
	json_t *detail = e->detail ? json_loads(e->detail, 0, &je) : NULL;
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(e->id));
	json_object_set_new(o, "at", kf_app_json_instant(e->at));
	json_object_set_new(o, "kind", json_string(e->kind));
	json_object_set_new(o, "internal", json_boolean(e->internal));
	json_object_set_new(o, "actor_id", kf_app_json_id(e->actor_id));
	json_object_set_new(o, "actor_name", kf_app_json_str(e->actor_name));
	json_object_set_new(o, "body", kf_app_json_str(e->body));
	json_object_set_new(o, "detail", detail ? detail : json_object());
	return o;
}

json_t *kf_app_transfer_json(const struct kf_transfer *x)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(x->id));
	json_object_set_new(o, "ticket_id", kf_app_json_id(x->ticket_id));
	json_object_set_new(o, "ticket_number", kf_app_json_str(x->ticket_number));
	json_object_set_new(o, "ticket_subject", kf_app_json_str(x->ticket_subject));
	json_object_set_new(o, "from_user_id", kf_app_json_id(x->from_user_id));
	json_object_set_new(o, "to_user_id", kf_app_json_id(x->to_user_id));
	json_object_set_new(o, "reason", kf_app_json_str(x->reason));
	json_object_set_new(o, "status", json_string(x->status));
	json_object_set_new(o, "created_at", kf_app_json_instant(x->created_at));
	json_object_set_new(o, "decided_at", kf_app_json_instant(x->decided_at));
	return o;
}
