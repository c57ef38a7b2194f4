/* Health, readiness, metrics and the API description. */
#include <string.h>
#include "http/http.h"
#include "util/time.h"
#include "util/xmalloc.h"

int kf_h_healthz(struct kf_req *r)
{
	return kf_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

int kf_h_readyz(struct kf_req *r)
{
	if (kf_store_ping(r->ctx.app->store, &r->err))
		return kf_err_set(&r->err, KF_EUNAVAILABLE, "store unreachable: %s",
				  r->err.message);
	return kf_reply_json(r, 200, json_pack("{s:s}", "status", "ready"));
}

int kf_h_metrics(struct kf_req *r)
{
	size_t len;
	char *text = kf_metrics_render(r->ctx.app->store, &len);
	return kf_reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

int kf_h_openapi(struct kf_req *r)
{
	return kf_reply_json(r, 200, json_deep_copy(kf_openapi_doc()));
}

/* Tests move time without sleeping: with --test-clock an admin sets "now"
 * and the deadline scan runs at once. Without the flag the endpoint does not
 * exist (404). */
int kf_h_test_clock(struct kf_req *r)
{
	json_t *body;
	int64_t now = 0;
	struct kf_jfield f[] = {{"now", KF_J_INSTANT, true, 0, &now}, {0}};
	int marked = 0, rc;
	if (!kf_req_test_clock(r))
		return kf_err_set(&r->err, KF_ENOTFOUND, "no endpoint %s", r->path);
	if (r->ctx.actor.role != KF_ROLE_ADMIN)
		return kf_err_set(&r->err, KF_EFORBIDDEN, "only an admin may move the test clock");
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	kf_time_freeze(now);
	if ((rc = kf_app_scan_deadlines(r->ctx.app, now, &marked, &r->err)))
		return rc;
	char when[40];
	kf_time_format(now, when);
	return kf_reply_json(r, 200,
			     json_pack("{s:s, s:i}", "now", when, "overdue_marked", marked));
}
