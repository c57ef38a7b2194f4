/* GET /api/v1/events: server-sent events for the signed-in person. The
 * stream parks its connection (libmicrohttpd suspend) when there is nothing
 * to send and the hub wakes it (resume) when there is; a keep-alive comment
 * goes out every 15 s, which also notices clients that went away. */
#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include "app/events.h"
#include "http/http.h"
#include "util/xmalloc.h"

struct stream {
	struct kf_hub *hub;
	struct kf_sub *sub;
	struct MHD_Connection *conn;
	struct kf_buf buf;
	size_t off;
};

static void wake(void *ctx)
{
	struct stream *s = ctx;
	MHD_resume_connection(s->conn);
}

static void park(void *ctx)
{
	struct stream *s = ctx;
	MHD_suspend_connection(s->conn);
}

static long reader(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	if (s->off >= s->buf.len) {
		kf_buf_reset(&s->buf);
		s->off = 0;
		int rc = kf_hub_next(s->hub, s->sub, &s->buf, park, s);
		if (rc < 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (rc == 0)
			return 0;
	}
	size_t n = s->buf.len - s->off;
	if (n > max)
		n = max;
	memcpy(out, s->buf.data + s->off, n);
	s->off += n;
	return (long)n;
}

static void done(void *cls)
{
	struct stream *s = cls;
	kf_hub_unsubscribe(s->hub, s->sub);
	kf_buf_release(&s->buf);
	free(s);
}

int kf_h_events(struct kf_req *r)
{
	struct kf_hub *hub = r->ctx.app->hub;
	if (!hub)
		return kf_err_set(&r->err, KF_EUNAVAILABLE, "events are not available");
	int64_t last = 0;
	const char *field = "Last-Event-ID";
	const char *h = kf_req_header(r, field);
	if (!h && (h = kf_req_query(r, "last_event_id")))
		field = "last_event_id";
	if (h) {
		char *end;
		errno = 0;
		long long v = strtoll(h, &end, 10);
		if (!*h || *end || errno || v < 0)
			return kf_err_field(&r->err, KF_EINVALID, field, "%s must be an event id",
					    field);
		last = v;
	}
	struct stream *s = kf_xcalloc(1, sizeof *s);
	s->hub = hub;
	s->conn = r->conn;
	kf_buf_init(&s->buf, 0);
	/* The first bytes tell the browser how soon to reconnect. */
	kf_buf_adds(&s->buf, "retry: 3000\n: connected\n\n");
	s->sub = kf_hub_subscribe(hub, r->ctx.actor.user_id, r->ctx.actor.session_id,
				  kf_role_name(r->ctx.actor.role), last, wake, s);
	return kf_reply_stream(r, "text/event-stream; charset=utf-8", reader, s, done);
}
