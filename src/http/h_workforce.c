/* Workforce (SPEC W-1 … W-13): shift templates, rosters, wishes, leave and
 * swap requests. Bodies are read before the month of the path is checked, so
 * that a body's own problems are named first. */
#include <string.h>
#include "app/workforce.h"
#include "rules/erlang.h"
#include "http/http.h"

#define COMMENT_MAX 2000

int kf_h_shift_templates_get(struct kf_req *r)
{
	json_t *out;
	int rc = kf_app_shift_templates_get(&r->ctx, &out, &r->err);
	return rc ? rc : kf_reply_json(r, 200, out);
}

int kf_h_shift_templates_put(struct kf_req *r)
{
	json_t *body, *templates = NULL, *coverage = NULL, *out;
	const char *preset = NULL;
	int64_t version = 0;
	struct kf_jfield f[] = {
	    {"preset", KF_J_LINE, false, 64, &preset},
	    {"templates", KF_J_ARRAY, false, 0, &templates},
	    {"coverage", KF_J_OBJECT, false, 0, &coverage},
	    {"version", KF_J_INT, true, 0, &version, .min = 0, .max = INT64_MAX},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_shift_templates_put(&r->ctx, preset, templates, coverage, version, &out,
					     &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

int kf_h_roster_get(struct kf_req *r)
{
	json_t *out;
	int rc = kf_app_roster_get(&r->ctx, kf_req_param(r, 0), &out, &r->err);
	return rc ? rc : kf_reply_json(r, 200, out);
}

int kf_h_roster_generate(struct kf_req *r)
{
	json_t *body, *out;
	struct kf_roster_generate_input in = {.iterations = -1};
	struct kf_jfield f[] = {
	    {"team_id", KF_J_ID, false, 0, &in.team_id},
	    {"user_ids", KF_J_ARRAY, false, 0, &in.user_ids},
	    {"seed", KF_J_INT, false, 0, &in.seed, .min = 0, .max = INT64_MAX},
	    {"iterations", KF_J_INT, false, 0, &in.iterations, .min = 0, .max = 5000000},
	    {"version", KF_J_INT, false, 0, &in.version, &in.has_version},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	if (in.user_ids && in.team_id)
		return kf_err_field(&r->err, KF_EINVALID, "user_ids", "give team_id or user_ids");
	if ((rc = kf_app_roster_generate(&r->ctx, kf_req_param(r, 0), &in, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

int kf_h_roster_assignments(struct kf_req *r)
{
	json_t *body, *changes = NULL, *out, *v;
	int64_t version = 0;
	struct kf_jfield f[] = {
	    {"version", KF_J_INT, true, 0, &version},
	    {"changes", KF_J_ARRAY, true, 0, &changes},
	    {0},
	};
	int rc;
	size_t i;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	size_t n = json_array_size(changes);
	if (n == 0 || n > 1000)
		return kf_err_field(&r->err, KF_EINVALID, "changes", "give 1 to 1000 changes");
	struct kf_roster_change *ch = kf_arena_zalloc(&r->arena, sizeof *ch * n);
	json_array_foreach(changes, i, v)
	{
		char prefix[32], field[48];
		bool has_shift = false;
		snprintf(prefix, sizeof prefix, "changes[%zu].", i);
		snprintf(field, sizeof field, "changes[%zu].shift", i);
		struct kf_jfield cf[] = {
		    {"user_id", KF_J_ID, true, 0, &ch[i].user_id},
		    {"date", KF_J_DATE, true, 0, &ch[i].date},
		    {"shift", KF_J_LINE, false, 32, &ch[i].shift, &has_shift, .nullable = true},
		    {0},
		};
		if (!json_is_object(v))
			return kf_err_field(&r->err, KF_EINVALID, "changes",
					    "changes[%zu] must be an object", i);
		if ((rc = kf_json_read(v, cf, prefix, &r->err)))
			return rc;
		if (!has_shift)
			return kf_err_field(&r->err, KF_EINVALID, field,
					    "%s is required (null for rest)", field);
	}
	if ((rc = kf_app_roster_edit(&r->ctx, kf_req_param(r, 0), version, ch, (int)n, &out,
				     &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

int kf_h_roster_publish(struct kf_req *r)
{
	json_t *body, *out;
	int64_t version = 0;
	struct kf_jfield f[] = {
	    {"version", KF_J_INT, true, 0, &version},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_roster_publish(&r->ctx, kf_req_param(r, 0), version, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

int kf_h_roster_wishes(struct kf_req *r)
{
	json_t *body, *days_off = NULL, *out;
	const char *preferred = NULL;
	int64_t user_id = 0;
	struct kf_jfield f[] = {
	    {"user_id", KF_J_ID, false, 0, &user_id},
	    {"days_off", KF_J_ARRAY, true, 0, &days_off},
	    {"preferred_shift", KF_J_LINE, false, 32, &preferred, .nullable = true},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_roster_wish_put(&r->ctx, kf_req_param(r, 0), user_id, days_off, preferred,
					 &out, &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

/* GET lists of leave and swap requests: scope, status, limit, cursor. */
static int list(struct kf_req *r, int (*fn)(struct kf_ctx *, const char *, const char *, int64_t,
					    int, json_t **, bool *, int64_t *, struct kf_err *))
{
	static const char *const allowed[] = {"scope", "status", NULL};
	json_t *items;
	bool more;
	int limit, rc;
	int64_t after, last;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &after)) ||
	    (rc = fn(&r->ctx, kf_req_query(r, "scope"), kf_req_query(r, "status"), after, limit,
		     &items, &more, &last, &r->err)))
		return rc;
	return kf_reply_list(r, items, more, last);
}

int kf_h_leave_list(struct kf_req *r)
{
	return list(r, kf_app_leave_list);
}

int kf_h_leave_create(struct kf_req *r)
{
	json_t *body, *out;
	struct kf_leave_input in = {0};
	struct kf_jfield f[] = {
	    {"user_id", KF_J_ID, false, 0, &in.user_id},
	    {"type", KF_J_LINE, true, 32, &in.type},
	    {"start", KF_J_INSTANT, true, 0, &in.start_at},
	    {"end", KF_J_INSTANT, true, 0, &in.end_at},
	    {"reason", KF_J_TEXT, true, COMMENT_MAX, &in.reason},
	    {"special", KF_J_BOOL, false, 0, &in.special},
	    {"emergency", KF_J_BOOL, false, 0, &in.emergency},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_leave_request(&r->ctx, &in, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 201, out);
}

/* {"decision": "approve"|"reject", "comment"?} */
static int read_decision(struct kf_req *r, int64_t *id, const char **decision, const char **comment)
{
	json_t *body;
	struct kf_jfield f[] = {
	    {"decision", KF_J_LINE, true, 16, decision},
	    {"comment", KF_J_TEXT, false, COMMENT_MAX, comment},
	    {0},
	};
	int rc;
	if ((rc = kf_req_id_param(r, 0, id)) || (rc = kf_req_json(r, &body)))
		return rc;
	return kf_json_read(body, f, NULL, &r->err);
}

int kf_h_leave_decide(struct kf_req *r)
{
	const char *decision = NULL, *comment = NULL;
	json_t *out;
	int64_t id;
	int rc;
	if ((rc = read_decision(r, &id, &decision, &comment)) ||
	    (rc = kf_app_leave_decide(&r->ctx, id, decision, comment, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

int kf_h_swap_list(struct kf_req *r)
{
	return list(r, kf_app_swap_list);
}

int kf_h_swap_create(struct kf_req *r)
{
	json_t *body, *out;
	int64_t with = 0;
	const char *date = NULL, *shift = NULL;
	struct kf_jfield f[] = {
	    {"with_user_id", KF_J_ID, true, 0, &with},
	    {"date", KF_J_DATE, true, 0, &date},
	    {"shift", KF_J_LINE, true, 32, &shift},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_swap_request(&r->ctx, with, date, shift, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 201, out);
}

int kf_h_swap_decide(struct kf_req *r)
{
	const char *decision = NULL, *comment = NULL;
	json_t *out;
	int64_t id;
	int rc;
	if ((rc = read_decision(r, &id, &decision, &comment)) ||
	    (rc = kf_app_swap_decide(&r->ctx, id, decision, comment, &out, &r->err)))
		return rc;
	return kf_reply_json(r, 200, out);
}

int kf_h_staffing_erlang(struct kf_req *r)
{
	json_t *body;
	int64_t calls = 0, interval = 0, aht = 0, answer = 0, level = 0;
	struct kf_jfield f[] = {
	    {"calls", KF_J_INT, true, 0, &calls, .min = 0, .max = 10000000},
	    {"interval_minutes", KF_J_INT, true, 0, &interval, .min = 1, .max = 1440},
	    {"aht_seconds", KF_J_INT, true, 0, &aht, .min = 1, .max = 86400},
	    {"target_answer_seconds", KF_J_INT, true, 0, &answer, .min = 0, .max = 86400},
	    {"target_service_level_percent", KF_J_INT, true, 0, &level, .min = 1, .max = 99},
	    {0},
	};
	struct kf_erlang_result res;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_staffing_erlang(&r->ctx, calls, interval, aht, answer, level, &res,
					 &r->err)))
		return rc;
	return kf_reply_json(
	    r, 200,
	    json_pack("{s:i, s:f, s:f, s:f, s:f, s:f}", "agents", res.agents, "traffic_erlangs",
		      res.traffic_erlangs, "wait_probability", res.wait_probability,
		      "service_level", res.service_level, "occupancy", res.occupancy,
		      "average_speed_of_answer_seconds", res.average_speed_of_answer_seconds));
}
