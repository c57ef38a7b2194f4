/* Health, readiness, metrics and the API description. */
#include <string.h>
#include "http/http.h"
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
	char *text = kf_metrics_render(&len);
	return kf_reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

int kf_h_openapi(struct kf_req *r)
{
	return kf_reply_json(r, 200, json_deep_copy(kf_openapi_doc()));
}
