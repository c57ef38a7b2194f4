/* Attendance (W-15, W-18), handover (W-16) and the duty log (W-17): parse,
 * call app/attendance.c, render. */
#include <string.h>
#include "app/attendance.h"
#include "http/http.h"

#define NOTE_MAX 4000

/* The body as an object, or none when the request has no body (clock-in
 * and clock-out need nothing). */
static int optional_body(struct kf_req *r, json_t **body)
{
	*body = NULL;
	return r->body.len ? kf_req_json(r, body) : 0;
}

int kf_h_clock_in(struct kf_req *r)
{
	json_t *body, *out;
	struct kf_jfield f[] = {{0}};
	int rc;
	if ((rc = optional_body(r, &body)) ||
	    (body && (rc = kf_json_read(body, f, NULL, &r->err))) ||
	    (rc = kf_app_clock_in(&r->ctx, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

int kf_h_clock_out(struct kf_req *r)
{
	json_t *body, *out;
	int64_t waiting = 0;
	bool has_waiting = false;
	struct kf_jfield f[] = {
	    {"customers_waiting", KF_J_INT, false, 0, &waiting, &has_waiting, false, 0, 100000},
	    {0},
	};
	int rc;
	if ((rc = optional_body(r, &body)) ||
	    (body && (rc = kf_json_read(body, f, NULL, &r->err))) ||
	    (rc = kf_app_clock_out(&r->ctx, has_waiting, waiting, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

int kf_h_attendance_month(struct kf_req *r)
{
	static const char *const allowed[] = {"user_id", "month", NULL};
	int64_t user_id;
	int limit, rc;
	json_t *out;
	const char *month = kf_req_query(r, "month");
	if ((rc = kf_req_list_args(r, allowed, &limit)) ||
	    (rc = kf_req_query_id(r, "user_id", &user_id)))
		return rc;
	if (!month)
		return kf_err_field(&r->err, KF_EINVALID, "month", "month (YYYY-MM) is required");
	if ((rc = kf_app_attendance_month(&r->ctx, user_id, month, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

/* items[i] of a handover body. */
static int read_item(struct kf_req *r, json_t *o, int i, struct kf_handover_item_input *it)
{
	struct kf_jfield f[] = {
	    {"kind", KF_J_LINE, true, 16, &it->kind},
	    {"text", KF_J_TEXT, false, NOTE_MAX, &it->text},
	    {"ticket_id", KF_J_ID, false, 0, &it->ticket_id},
	    {"callback_id", KF_J_ID, false, 0, &it->callback_id},
	    {"carried_from_item_id", KF_J_ID, false, 0, &it->carried_from_item_id},
	    {"resolved", KF_J_BOOL, false, 0, &it->resolved},
	    {0},
	};
	const char *prefix = kf_arena_printf(&r->arena, "items[%d].", i);
	if (!json_is_object(o))
		return kf_err_field(&r->err, KF_EINVALID,
				    kf_arena_printf(&r->arena, "items[%d]", i),
				    "each item is an object");
	return kf_json_read(o, f, prefix, &r->err);
}

int kf_h_handovers_create(struct kf_req *r)
{
	json_t *body, *items = NULL;
	struct kf_handover_input in = {0};
	struct kf_jfield f[] = {
	    {"to_user_id", KF_J_ID, false, 0, &in.to_user_id},
	    {"equipment_checked", KF_J_BOOL, true, 0, &in.equipment_checked},
	    {"equipment_note", KF_J_TEXT, false, NOTE_MAX, &in.equipment_note},
	    {"anomalies", KF_J_TEXT, false, NOTE_MAX, &in.anomalies},
	    {"notes", KF_J_TEXT, false, NOTE_MAX, &in.notes},
	    {"items", KF_J_ARRAY, false, 0, &items, &in.has_items},
	    {0},
	};
	struct kf_handover h;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	in.nitems = items ? (int)json_array_size(items) : 0;
	in.items = kf_arena_zalloc(&r->arena, sizeof *in.items * (size_t)(in.nitems + 1));
	for (int i = 0; i < in.nitems; i++)
		if ((rc = read_item(r, json_array_get(items, (size_t)i), i, &in.items[i])))
			return rc;
	if ((rc = kf_app_handover_create(&r->ctx, &in, &h, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_handover_json(&h));
}

int kf_h_handover_draft(struct kf_req *r)
{
	json_t *out;
	int rc = kf_app_handover_draft(&r->ctx, &out, &r->err);
	return rc ? rc : kf_reply_json(r, 200, out);
}

int kf_h_handover_get(struct kf_req *r)
{
	int64_t id;
	struct kf_handover h;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_handover_get(&r->ctx, id, &h, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_handover_json(&h));
}

int kf_h_handover_confirm(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	const char *note = NULL;
	struct kf_jfield f[] = {{"note", KF_J_TEXT, false, NOTE_MAX, &note}, {0}};
	struct kf_handover h;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = optional_body(r, &body)) ||
	    (body && (rc = kf_json_read(body, f, NULL, &r->err))) ||
	    (rc = kf_app_handover_confirm(&r->ctx, id, note, &h, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_handover_json(&h));
}

int kf_h_handovers_list(struct kf_req *r)
{
	static const char *const allowed[] = {"box", "status", NULL};
	struct kf_handover *items;
	bool more;
	int limit, n, rc;
	int64_t after;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &after)) ||
	    (rc = kf_app_handover_list(&r->ctx, kf_req_query(r, "box"), kf_req_query(r, "status"),
				       after, limit, &items, &n, &more, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_handover_json(&items[i]));
	return kf_reply_list(r, a, more, more ? items[n - 1].id : 0);
}

int kf_h_duty_log_add(struct kf_req *r)
{
	json_t *body;
	struct kf_duty_input in = {0};
	struct kf_jfield f[] = {
	    {"kind", KF_J_LINE, true, 16, &in.kind},
	    {"body", KF_J_TEXT, true, NOTE_MAX, &in.body},
	    {"occurred_at", KF_J_INSTANT, false, 0, &in.occurred_at, &in.has_occurred_at},
	    {"day", KF_J_DATE, false, 0, &in.day},
	    {"shift", KF_J_LINE, false, 32, &in.shift},
	    {"corrects_id", KF_J_ID, false, 0, &in.corrects_id},
	    {0},
	};
	struct kf_duty_entry e;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_duty_add(&r->ctx, &in, &e, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_duty_json(&e));
}

int kf_h_duty_log_list(struct kf_req *r)
{
	static const char *const allowed[] = {"day", "shift", NULL};
	struct kf_duty_entry *items;
	bool more;
	int limit, n, rc;
	int64_t after;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &after)) ||
	    (rc = kf_app_duty_list(&r->ctx, kf_req_query(r, "day"), kf_req_query(r, "shift"), after,
				   limit, &items, &n, &more, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_duty_json(&items[i]));
	return kf_reply_list(r, a, more, more ? items[n - 1].id : 0);
}
