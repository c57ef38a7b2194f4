/* Callbacks and surveys (SPEC V): the staff's list and results, and the
 * customer's survey link, answered without signing in. */
#include <string.h>
#include "app/callbacks.h"
#include "http/http.h"

#define COMMENT_MAX 2000

/* The "survey" object ({"attitude", "skill", "arrival", "promise"}, each a
 * rating name) and "comment" of a body into in. */
static int read_survey(json_t *survey, const char *comment, struct kf_survey_input *in,
		       struct kf_err *err)
{
	in->comment = comment;
	if (!survey)
		return 0;
	struct kf_jfield f[] = {
	    {"attitude", KF_J_LINE, true, 32, &in->rating[0]},
	    {"skill", KF_J_LINE, true, 32, &in->rating[1]},
	    {"arrival", KF_J_LINE, true, 32, &in->rating[2]},
	    {"promise", KF_J_LINE, true, 32, &in->rating[3]},
	    {0},
	};
	in->has_survey = true;
	return kf_json_read(survey, f, "survey.", err);
}

int kf_h_callbacks_list(struct kf_req *r)
{
	static const char *const allowed[] = {"status", NULL};
	struct kf_callback *items;
	bool more;
	int limit, n, rc;
	int64_t after;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &after)) ||
	    (rc = kf_app_callback_list(&r->ctx, kf_req_query(r, "status"), after, limit, &items, &n,
				       &more, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_callback_json(&items[i]));
	return kf_reply_list(r, a, more, more ? items[n - 1].id : 0);
}

int kf_h_callback_result(struct kf_req *r)
{
	int64_t id;
	json_t *body, *survey = NULL, *complaint = NULL;
	bool reached = false;
	const char *comment = NULL;
	struct kf_jfield f[] = {
	    {"reached", KF_J_BOOL, true, 0, &reached},
	    {"survey", KF_J_OBJECT, false, 0, &survey},
	    {"comment", KF_J_TEXT, false, COMMENT_MAX, &comment},
	    {"complaint", KF_J_OBJECT, false, 0, &complaint},
	    {0},
	};
	struct kf_survey_input in = {0};
	struct kf_jfield g[] = {
	    {"summary", KF_J_LINE, true, 200, &in.complaint_summary, NULL, false, 0, 0, true},
	    {"severity", KF_J_LINE, false, 32, &in.complaint_severity},
	    {0},
	};
	struct kf_callback cb;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = read_survey(survey, comment, &in, &r->err)) ||
	    (complaint && (rc = kf_json_read(complaint, g, "complaint.", &r->err))))
		return rc;
	in.has_complaint = complaint != NULL;
	if ((rc = kf_app_callback_result(&r->ctx, id, reached, &in, &cb, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_callback_json(&cb));
}

int kf_h_survey_get(struct kf_req *r)
{
	struct kf_callback cb;
	int rc = kf_app_survey_get(&r->ctx, kf_req_param(r, 0), &cb, &r->err);
	return rc ? rc : kf_reply_json(r, 200, kf_app_survey_public_json(&cb));
}

int kf_h_survey_answer(struct kf_req *r)
{
	json_t *body, *survey = NULL;
	const char *comment = NULL;
	struct kf_jfield f[] = {
	    {"survey", KF_J_OBJECT, true, 0, &survey},
	    {"comment", KF_J_TEXT, false, COMMENT_MAX, &comment},
	    {0},
	};
	struct kf_survey_input in = {0};
	struct kf_callback cb;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = read_survey(survey, comment, &in, &r->err)) ||
	    (rc = kf_app_survey_answer(&r->ctx, kf_req_param(r, 0), &in, &cb, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_survey_public_json(&cb));
}

int kf_h_callback_survey_link(struct kf_req *r)
{
	int64_t id;
	struct kf_callback cb;
	const char *token;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_callback_reissue_link(&r->ctx, id, &cb, &token, &r->err)))
		return rc;
	json_t *o = kf_app_callback_json(&cb);
	json_t *reply = json_pack("{s:O, s:s, s:O}", "callback", o, "survey_token", token,
				  "survey_expires_at", json_object_get(o, "survey_expires_at"));
	json_decref(o);
	return kf_reply_json(r, 201, reply);
}
