/* The libmicrohttpd server: one epoll daemon per connection thread, fed by
 * an accept thread of its own (see accept_thread), one struct kf_req per
 * request with its own arena, the body limit, request ids, the access log,
 * static files and graceful shutdown.
 *
 * libmicrohttpd drops keep-alive when a response is queued in the first call
 * of the access handler, so the first call only sets up the request and every
 * response (GET included) is queued on a later call. The exception is a body
 * announced as too large, which is answered at once and the connection
 * closed.
 *
 * Writes (any method but GET and HEAD) do not run on the connection threads:
 * a write waits for its commit to reach the disk, and a connection thread
 * serves many connections, which would all wait with it. The connection is
 * suspended, the request runs on one of the write threads, and its answer is
 * queued by the connection's thread when the connection resumes. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "app/portal.h"
#include "http/http.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/spare.h"
#include "util/time.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Bodies over the limit but under this are read to the end before the 413. */
#define DISCARD_LIMIT (16u << 20)

/* A connection thread: its daemon and its place (its connections are
 * counted under it in the metrics). */
struct conn_thread {
	struct MHD_Daemon *d;
	unsigned index;
};

struct kf_server {
	/* One daemon a connection thread, each with its own epoll; the accept
	 * thread hands them the connections in turn. */
	struct conn_thread *ct;
	unsigned nd;
	unsigned conn_limit; /* a daemon's connections at most */
	int listen_fd;
	int stop_pipe[2]; /* written to stop the accept thread */
	pthread_t acceptor;
	bool accepting;
	struct kf_app *app;
	struct kf_server_config cfg;
	char *web_root; /* realpath of cfg.web_dir */
	unsigned port;
	atomic_int in_flight;
	/* The write threads and the requests waiting for one (FIFO). */
	pthread_mutex_t wmu;
	pthread_cond_t wcv;
	struct kf_req *whead, *wtail;
	bool wstop;
	pthread_t *wthreads;
	unsigned nwthreads;
};

static bool valid_request_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

/* Request ids need to be unique, not secret: a per-thread xorshift seeded
 * once from the CSPRNG spares a system call per request. */
static void new_request_id(char out[17])
{
	static _Thread_local uint64_t state;
	if (!state)
		state = kf_crypto_random_u64() | 1;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	uint64_t v = state * 0x2545F4914F6CDD1DULL;
	for (int i = 15; i >= 0; i--, v >>= 4)
		out[i] = "0123456789abcdef"[v & 15];
	out[16] = '\0';
}

static struct kf_req *req_new(struct kf_server *s, struct MHD_Connection *conn, const char *url,
			      const char *method)
{
	struct kf_req *r = memset(kf_spare_take(sizeof *r), 0, sizeof *r);
	r->srv = s;
	r->conn = conn;
	r->route = -1;
	r->started_ns = kf_time_mono_ns();
	kf_arena_init(&r->arena);
	kf_buf_init(&r->body, s->cfg.body_limit);
	r->method = kf_arena_strdup(&r->arena, method);
	r->path = kf_arena_strdup(&r->arena, url);
	const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
	if (rid && valid_request_id(rid))
		snprintf(r->request_id, sizeof r->request_id, "%s", rid);
	else
		new_request_id(r->request_id);
	atomic_fetch_add(&s->in_flight, 1);
	return r;
}

static void req_free(struct kf_req *r)
{
	kf_ctx_release(&r->ctx);
	kf_buf_release(&r->body);
	kf_arena_release(&r->arena);
	atomic_fetch_sub(&r->srv->in_flight, 1);
	kf_spare_give(r, sizeof *r);
}

static void add_common_headers(struct kf_req *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
}

static int queue(struct kf_req *r, unsigned status, struct MHD_Response *resp)
{
	add_common_headers(r, resp);
	r->status = status;
	r->responded = true;
	if (r->offloaded) {
		/* A write thread: the connection's thread queues it on resume. */
		r->pending = resp;
		return 0;
	}
	MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	return 0;
}

static int reply_buffer(struct kf_req *r, unsigned status, const char *type, char *data, size_t len,
			void (*free_fn)(void *))
{
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer_with_free_callback(len, data, free_fn);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return queue(r, status, resp);
}

int kf_reply_text(struct kf_req *r, unsigned status, const char *type, char *data, size_t len)
{
	return reply_buffer(r, status, type, data, len, free);
}

int kf_reply_json(struct kf_req *r, unsigned status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!s)
		s = kf_xstrdup("{}");
	return kf_reply_text(r, status, "application/json; charset=utf-8", s, strlen(s));
}

int kf_reply_jsonw(struct kf_req *r, unsigned status, struct kf_jsonw *w)
{
	size_t len;
	void (*free_fn)(void *);
	char *s = kf_jsonw_detach(w, &len, &free_fn);
	return reply_buffer(r, status, "application/json; charset=utf-8", s, len, free_fn);
}

int kf_reply_stream(struct kf_req *r, const char *type,
		    long (*reader)(void *cls, uint64_t pos, char *buf, size_t max), void *cls,
		    void (*done)(void *cls))
{
	struct MHD_Response *resp = MHD_create_response_from_callback(
	    MHD_SIZE_UNKNOWN, 4096, (MHD_ContentReaderCallback)reader, cls, done);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	return queue(r, 200, resp);
}

static void allowed_methods(const char *path, struct kf_buf *b)
{
	const char *params[4];
	size_t lens[4];
	int n;
	bool found;
	for (int i = 0; kf_routes[i].method; i++) {
		if (kf_route_match(kf_routes[i].method, path, params, lens, &n, &found) == i) {
			if (b->len)
				kf_buf_adds(b, ", ");
			kf_buf_adds(b, kf_routes[i].method);
		}
	}
}

int kf_reply_error(struct kf_req *r)
{
	struct kf_err *e = &r->err;
	enum kf_errcode code = e->code ? e->code : KF_EINTERNAL;
	unsigned status = kf_err_http_status(code);
	const char *message = e->message[0] ? e->message : "internal error";
	if (code == KF_EINTERNAL || code == KF_EUNAVAILABLE) {
		/* The detail is for the log; the client gets no SQL or internals. */
		kf_log_error("%s %s failed: %s", r->method, r->path, message);
		message = code == KF_EINTERNAL ? "internal error; the request id is in the log"
					       : "service unavailable; try again shortly";
	}
	json_t *err = json_pack("{s:s, s:s}", "code", kf_err_name(code), "message", message);
	if (e->field[0])
		json_object_set_new(err, "field", json_string(e->field));
	if (e->rule[0])
		json_object_set_new(err, "rule", json_string(e->rule));
	json_t *body = json_pack("{s:o}", "error", err);
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (code == KF_EUNAUTH)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"kefu\"");
	if (code == KF_ETOOMANY && e->retry_after > 0) {
		char v[16];
		snprintf(v, sizeof v, "%d", e->retry_after);
		MHD_add_response_header(resp, "Retry-After", v);
	}
	if (code == KF_EMETHOD) {
		struct kf_buf b;
		kf_buf_init(&b, 0);
		allowed_methods(r->path, &b);
		MHD_add_response_header(resp, "Allow", b.data);
		kf_buf_release(&b);
	}
	if (code == KF_ETOOLARGE)
		MHD_add_response_header(resp, "Connection", "close");
	return queue(r, status, resp);
}

/* ---- request helpers ---- */

const char *kf_req_param(const struct kf_req *r, int n)
{
	return n < r->nparams ? r->params[n] : NULL;
}

int kf_req_id_param(struct kf_req *r, int n, int64_t *id)
{
	const char *s = kf_req_param(r, n);
	char *end;
	if (!s || !*s || strlen(s) > 18 || *s < '1' || *s > '9')
		return kf_err_set(&r->err, KF_ENOTFOUND, "no such resource: %s", s ? s : "");
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno)
		return kf_err_set(&r->err, KF_ENOTFOUND, "no such resource: %s", s);
	*id = v;
	return 0;
}

const char *kf_req_query(const struct kf_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *kf_req_header(const struct kf_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

bool kf_req_test_clock(const struct kf_req *r)
{
	return r->srv->cfg.test_clock;
}

bool kf_req_secure_cookies(const struct kf_req *r)
{
	return r->srv->cfg.cookie_secure;
}

int kf_req_json(struct kf_req *r, json_t **obj)
{
	return kf_json_parse_body(r->body.data, r->body.len, &r->arena, obj, &r->err);
}

struct arg_check {
	const char *const *allowed;
	const char *bad;
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct arg_check *c = cls;
	if (!strcmp(key, "limit") || !strcmp(key, "cursor"))
		return MHD_YES;
	for (const char *const *a = c->allowed; a && *a; a++)
		if (!strcmp(*a, key))
			return MHD_YES;
	c->bad = key;
	return MHD_NO;
}

int kf_req_list_args(struct kf_req *r, const char *const *allowed, int *limit)
{
	struct arg_check c = {allowed, NULL};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &c);
	if (c.bad)
		return kf_err_field(&r->err, KF_EINVALID, c.bad, "unknown query parameter %s",
				    c.bad);
	*limit = 50;
	const char *l = kf_req_query(r, "limit");
	if (l) {
		char *end;
		errno = 0;
		long v = strtol(l, &end, 10);
		if (!*l || *end || errno || v < 1 || v > 200)
			return kf_err_field(&r->err, KF_EINVALID, "limit",
					    "limit must be an integer from 1 to 200");
		*limit = (int)v;
	}
	return 0;
}

/* A cursor is "<pos>.<first 16 hex of HMAC(pos)>". */
char *kf_req_make_cursor(struct kf_req *r, int64_t pos)
{
	char data[32], mac[KF_SHA256_HEX_LEN + 1];
	int n = snprintf(data, sizeof data, "%lld", (long long)pos);
	kf_crypto_hmac_hex(r->srv->app->secret, data, (size_t)n, mac);
	mac[16] = '\0';
	return kf_arena_printf(&r->arena, "%s.%s", data, mac);
}

int kf_req_cursor(struct kf_req *r, int64_t *pos)
{
	const char *c = kf_req_query(r, "cursor");
	*pos = 0;
	if (!c)
		return 0;
	const char *dot = strchr(c, '.');
	char data[32], mac[KF_SHA256_HEX_LEN + 1];
	if (!dot || dot == c || (size_t)(dot - c) >= sizeof data)
		goto bad;
	memcpy(data, c, (size_t)(dot - c));
	data[dot - c] = '\0';
	kf_crypto_hmac_hex(r->srv->app->secret, data, strlen(data), mac);
	mac[16] = '\0';
	if (!kf_crypto_streq(mac, dot + 1))
		goto bad;
	char *end;
	errno = 0;
	long long v = strtoll(data, &end, 10);
	if (*end || errno || v < 0)
		goto bad;
	*pos = v;
	return 0;
bad:
	return kf_err_field(&r->err, KF_EBADREQ, "cursor",
			    "cursor is not valid (it must be passed back unchanged)");
}

int kf_reply_list(struct kf_req *r, json_t *items, bool more, int64_t next_pos)
{
	json_t *o = json_pack("{s:o}", "items", items);
	json_object_set_new(o, "next_cursor",
			    more ? json_string(kf_req_make_cursor(r, next_pos)) : json_null());
	return kf_reply_json(r, 200, o);
}

/* ---- static files ---- */

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".mjs", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".json", "application/json; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".jpg", "image/jpeg"},
	    {".jpeg", "image/jpeg"},
	    {".gif", "image/gif"},
	    {".webp", "image/webp"},
	    {".ico", "image/x-icon"},
	    {".woff2", "font/woff2"},
	    {".woff", "font/woff"},
	    {".txt", "text/plain; charset=utf-8"},
	    {".map", "application/json; charset=utf-8"},
	    {".webmanifest", "application/manifest+json"},
	};
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof types / sizeof *types; i++)
			if (!strcmp(dot, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

/* Refuses "." and ".." segments, backslashes and control bytes before the
 * file system is asked anything; realpath then confirms the file is inside
 * the web root (symbolic links out of it are refused too). */
static bool safe_path(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const char *p = path; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return false;
		if (p[0] == '/' && p[1] == '.' &&
		    (p[2] == '/' || p[2] == '\0' || (p[2] == '.' && (p[3] == '/' || p[3] == '\0'))))
			return false;
	}
	return true;
}

static int serve_static(struct kf_req *r)
{
	struct kf_server *s = r->srv;
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return kf_err_set(&r->err, KF_EMETHOD, "only GET and HEAD are allowed here");
	if (!s->web_root || !safe_path(r->path))
		return kf_err_set(&r->err, KF_ENOTFOUND, "not found");
	char want[PATH_MAX], real[PATH_MAX];
	const char *rel = strcmp(r->path, "/") ? r->path : "/index.html";
	if ((size_t)snprintf(want, sizeof want, "%s%s", s->web_root, rel) >= sizeof want)
		return kf_err_set(&r->err, KF_ENOTFOUND, "not found");
	size_t rootlen = strlen(s->web_root);
	if (!realpath(want, real) || strncmp(real, s->web_root, rootlen) || real[rootlen] != '/')
		return kf_err_set(&r->err, KF_ENOTFOUND, "not found");
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return kf_err_set(&r->err, KF_ENOTFOUND, "not found");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kf_err_set(&r->err, KF_ENOTFOUND, "not found");
	}
	struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	const char *type = content_type(real);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control",
				strncmp(type, "text/html", 9) ? "public, max-age=300" : "no-cache");
	if (!strncmp(type, "text/html", 9)) {
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; img-src 'self' data:; "
					"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
		/* It governs what a document's own requests and links send: a
		 * page's, not an API answer's (each header is a few hundred
		 * instructions of a read). */
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	}
	return queue(r, 200, resp);
}

/* ---- dispatch ---- */

static void client_ip(struct kf_req *r)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET) {
			/* Dotted quad by hand: inet_ntop formats with sprintf, 2 %
			 * of a ticket read's instructions. */
			const unsigned char *q =
			    (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
			char *o = buf;
			for (int i = 0; i < 4; i++) {
				if (i)
					*o++ = '.';
				if (q[i] >= 100)
					*o++ = (char)('0' + q[i] / 100);
				if (q[i] >= 10)
					*o++ = (char)('0' + q[i] / 10 % 10);
				*o++ = (char)('0' + q[i] % 10);
			}
			*o = '\0';
		} else if (sa->sa_family == AF_INET6) {
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
				  sizeof buf);
		}
	}
	r->ctx.ip = kf_arena_strdup(&r->arena, buf);
}

/* Query arguments reach SQL and the tokenizer: they must be valid UTF-8. */
static enum MHD_Result check_utf8(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	const char **bad = cls;
	if (!kf_utf8_valid(key, strlen(key)) || (value && !kf_utf8_valid(value, strlen(value)))) {
		*bad = key;
		return MHD_NO;
	}
	return MHD_YES;
}

/* The client's User-Agent goes into the session record: kept only when it
 * is valid UTF-8, and cut to 256 bytes at a character boundary. */
static const char *user_agent(struct kf_req *r)
{
	const char *ua = kf_req_header(r, "User-Agent");
	if (!ua)
		return NULL;
	size_t n = strlen(ua);
	if (n > 256) {
		n = 256;
		while (n > 0 && ((unsigned char)ua[n] & 0xc0) == 0x80)
			n--;
	}
	if (!kf_utf8_valid(ua, n))
		return NULL;
	return kf_arena_strndup(&r->arena, ua, n);
}

/* A staff session (kefu_session) or a customer portal session
 * (kefu_portal), each looked up only in its own table. */
static int authenticate(struct kf_req *r, enum kf_auth_need need)
{
	int (*auth_fn)(struct kf_ctx *, const char *, const char *, bool, struct kf_err *) =
	    need == KF_AUTH_CUSTOMER ? kf_app_portal_authenticate : kf_app_authenticate;
	const char *auth = kf_req_header(r, "Authorization");
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7))
			return kf_err_set(&r->err, KF_EUNAUTH,
					  "Authorization must be \"Bearer <token>\"");
		return auth_fn(&r->ctx, auth + 7, NULL, false, &r->err);
	}
	const char *cookie = MHD_lookup_connection_value(
	    r->conn, MHD_COOKIE_KIND, need == KF_AUTH_CUSTOMER ? "kefu_portal" : "kefu_session");
	bool safe = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
	return auth_fn(&r->ctx, cookie, kf_req_header(r, "X-CSRF-Token"), !safe, &r->err);
}

static void dispatch(struct kf_req *r)
{
	const char *params[4];
	size_t lens[4];
	int n = 0;
	bool path_found;
	int rc;
	kf_log_set_request_id(r->request_id);
	kf_ctx_init(&r->ctx, r->srv->app, &r->arena);
	r->ctx.request_id = r->request_id;
	r->ctx.user_agent = user_agent(r);
	client_ip(r);
	if (r->too_large) {
		kf_err_set(&r->err, KF_ETOOLARGE, "request body is larger than %zu bytes",
			   r->srv->cfg.body_limit);
		kf_reply_error(r);
		goto out;
	}
	r->route = kf_route_match(r->method, r->path, params, lens, &n, &path_found);
	if (r->route < 0) {
		if (path_found)
			rc = kf_err_set(&r->err, KF_EMETHOD, "method %s is not allowed on %s",
					r->method, r->path);
		else if (!strncmp(r->path, "/api/", 5))
			rc = kf_err_set(&r->err, KF_ENOTFOUND, "no endpoint %s", r->path);
		else
			rc = serve_static(r);
		if (rc)
			kf_reply_error(r);
		goto out;
	}
	const char *bad = NULL;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_utf8, &bad);
	if (bad || !kf_utf8_valid(r->path, strlen(r->path))) {
		kf_err_field(&r->err, KF_EBADREQ, bad ? kf_arena_strdup(&r->arena, bad) : "path",
			     "the %s is not valid UTF-8", bad ? "query parameter" : "path");
		kf_reply_error(r);
		goto out;
	}
	for (int i = 0; i < n; i++)
		r->params[i] = kf_arena_strndup(&r->arena, params[i], lens[i]);
	r->nparams = n;
	const struct kf_route *rt = &kf_routes[r->route];
	/* The route table's permission is enforced here, before any input is
	 * read, so that a caller without it learns nothing but 403. Use cases
	 * check again (they also serve the CLI). */
	if (rt->auth != KF_AUTH_NONE &&
	    ((rc = authenticate(r, rt->auth)) ||
	     (rt->perm >= 0 && (rc = kf_ctx_require(&r->ctx, (enum kf_perm)rt->perm, &r->err))))) {
		kf_reply_error(r);
		goto out;
	}
	rc = rt->handler(r);
	if (rc && !r->responded) {
		if (!r->err.code)
			kf_err_set(&r->err, rc, "request failed");
		kf_reply_error(r);
	}
	if (!r->responded) {
		kf_err_set(&r->err, KF_EINTERNAL, "handler gave no response");
		kf_reply_error(r);
	}
out:
	/* The store connection goes back as soon as the answer is ready. */
	kf_ctx_release(&r->ctx);
	kf_log_set_request_id(NULL);
}

static void *write_thread(void *arg)
{
	struct kf_server *s = arg;
	kf_log_thread("http-write");
	pthread_mutex_lock(&s->wmu);
	for (;;) {
		struct kf_req *r = s->whead;
		if (!r) {
			if (s->wstop)
				break;
			pthread_cond_wait(&s->wcv, &s->wmu);
			continue;
		}
		s->whead = r->next_job;
		if (!s->whead)
			s->wtail = NULL;
		pthread_mutex_unlock(&s->wmu);
		kf_metrics_writes(-1, 1);
		dispatch(r);
		kf_log_set_request_id("http-write");
		kf_metrics_writes(0, -1);
		/* r belongs to the connection's thread again from here on. */
		MHD_resume_connection(r->conn);
		pthread_mutex_lock(&s->wmu);
	}
	pthread_mutex_unlock(&s->wmu);
	return NULL;
}

/* Hands the request to a write thread; the connection waits suspended.
 * False once the server is stopping (the caller runs it itself). */
static bool offload(struct kf_server *s, struct kf_req *r)
{
	pthread_mutex_lock(&s->wmu);
	if (s->wstop) {
		pthread_mutex_unlock(&s->wmu);
		return false;
	}
	r->offloaded = true;
	MHD_suspend_connection(r->conn);
	r->next_job = NULL;
	if (s->wtail)
		s->wtail->next_job = r;
	else
		s->whead = r;
	s->wtail = r;
	kf_metrics_writes(1, 0);
	pthread_cond_signal(&s->wcv);
	pthread_mutex_unlock(&s->wmu);
	return true;
}

static bool is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **state)
{
	struct kf_server *s = cls;
	struct kf_req *r = *state;
	if (!r) {
		r = req_new(s, conn, url, method);
		*state = r;
		const char *cl =
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl) {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(cl, &end, 10);
			if (errno || *end || v > s->cfg.body_limit) {
				r->too_large = true;
				/* A body of moderate size is read and dropped so that
				 * the client, still sending, sees the 413; anything
				 * larger is answered at once and the connection
				 * closed. */
				if (errno || *end || v > DISCARD_LIMIT)
					dispatch(r);
			}
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		r->received += *upload_data_size;
		if (r->too_large && r->received > DISCARD_LIMIT) {
			/* Enough read to be polite. libmicrohttpd 0.9.75 cannot
			 * queue an answer while a body is still arriving: close
			 * the connection (a body announced this large was
			 * answered with 413 on the first call). */
			kf_log_warn("closing a connection sending a body over %u bytes",
				    DISCARD_LIMIT);
			return MHD_NO;
		}
		if (!r->too_large) {
			kf_buf_add(&r->body, upload_data, *upload_data_size);
			if (r->body.overflow) {
				r->too_large = true;
				kf_buf_release(&r->body);
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->pending) {
		/* Back from a write thread. */
		MHD_queue_response(conn, r->status, r->pending);
		MHD_destroy_response(r->pending);
		r->pending = NULL;
	} else if (!r->responded) {
		if (!s->nwthreads || r->offloaded || r->too_large || !is_write(r->method) ||
		    !offload(s, r))
			dispatch(r);
	}
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
			 enum MHD_RequestTerminationCode toe)
{
	struct kf_req *r = *state;
	if (!r)
		return;
	int64_t ns = kf_time_mono_ns() - r->started_ns;
	kf_metrics_record(r->route, r->status, ns);
	if (kf_log_enabled(KF_LOG_INFO)) {
		char fields[512];
		struct kf_buf b;
		kf_buf_init(&b, 0);
		kf_buf_add_json_str(&b, r->path);
		snprintf(fields, sizeof fields,
			 "\"method\":\"%s\",\"path\":\"%.300s\",\"status\":%u,\"duration_ms\":%.3f,"
			 "\"ip\":\"%s\",\"user_id\":%lld%s",
			 r->method, b.data, r->status, (double)ns / 1e6, r->ctx.ip ? r->ctx.ip : "",
			 (long long)r->ctx.actor.user_id,
			 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : ",\"aborted\":true");
		kf_buf_release(&b);
		kf_log_set_request_id(r->request_id);
		kf_log(KF_LOG_INFO, fields, "request");
		kf_log_set_request_id(NULL);
	}
	if (r->pending)
		MHD_destroy_response(r->pending);
	req_free(r);
	*state = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	const struct conn_thread *t = cls;
	kf_metrics_connection(t->index, toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	kf_log(KF_LOG_DEBUG, "\"source\":\"libmicrohttpd\"", "%s", msg);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct kf_err *err)
{
	const char *colon = strrchr(listen, ':');
	char host[64];
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return kf_err_field(err, KF_EINVALID, "listen", "listen must be ADDRESS:PORT");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || port < 0 || port > 65535)
		return kf_err_field(err, KF_EINVALID, "listen", "port must be 0 to 65535");
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
		return kf_err_field(err, KF_EINVALID, "listen", "address %s is not an IPv4 address",
				    host);
	return 0;
}

/* Lets the write threads finish the requests queued and joins them; a
 * write that comes later runs on its connection's thread (offload). */
static void stop_write_threads(struct kf_server *s)
{
	pthread_mutex_lock(&s->wmu);
	s->wstop = true;
	pthread_cond_broadcast(&s->wcv);
	pthread_mutex_unlock(&s->wmu);
	for (unsigned i = 0; i < s->nwthreads; i++)
		pthread_join(s->wthreads[i], NULL);
}

/* After the daemon has stopped (its threads use the queue's lock). */
static void free_server(struct kf_server *s)
{
	pthread_mutex_destroy(&s->wmu);
	pthread_cond_destroy(&s->wcv);
	free(s->ct);
	free(s->wthreads);
	free(s->web_root);
	free(s);
}

/* kefu accepts its connections itself. libmicrohttpd's thread pool lets
 * every worker accept from the one listen socket, up to eleven connections
 * at a time, so connections opened together (a client's pool, a proxy's)
 * land on one thread while the others idle: 16 opened at once went 16 to 0
 * or 13 to 3 over two threads, and a search at 16 connections ran on one
 * core of two (docs/performance.md, item 15). Here each daemon, one a
 * connection thread, gets the next connection in turn, skipping a daemon
 * at its connection limit; while every one is, new connections wait in the
 * listen backlog. */

/* The next daemon from *next on with room for a connection, or NULL. */
static struct conn_thread *next_with_room(struct kf_server *s, unsigned *next)
{
	for (unsigned k = 0; k < s->nd; k++) {
		struct conn_thread *t = &s->ct[(*next + k) % s->nd];
		if (kf_metrics_thread_connections(t->index) < s->conn_limit) {
			*next = (*next + k + 1) % s->nd;
			return t;
		}
	}
	return NULL;
}

/* Errors of one pending connection (accept(2) passes the network's on),
 * after which the next can be accepted at once. */
static bool accept_error_transient(int e)
{
	return e == EINTR || e == EAGAIN || e == EWOULDBLOCK || e == ECONNABORTED || e == EPROTO ||
	       e == ENETDOWN || e == ENOPROTOOPT || e == EHOSTDOWN || e == ENONET ||
	       e == EHOSTUNREACH || e == EOPNOTSUPP || e == ENETUNREACH;
}

/* A warning of the accept thread, at most once a minute (*last). */
static void warn_throttled(time_t *last, const char *what, const char *why)
{
	time_t now = time(NULL);
	if (now - *last >= 60) {
		kf_log_warn("%s: %s", what, why);
		*last = now;
	}
}

static void *accept_thread(void *arg)
{
	struct kf_server *s = arg;
	kf_log_thread("accept");
	unsigned next = 0;
	time_t warned = 0;
	for (;;) {
		/* Waits for a connection or the stop signal; while every
		 * daemon is full, only for the stop signal, a while. */
		bool room = next_with_room(s, &(unsigned){next}) != NULL;
		struct pollfd pf[2] = {{s->stop_pipe[0], POLLIN, 0}, {s->listen_fd, POLLIN, 0}};
		int n = poll(pf, room ? 2 : 1, room ? -1 : 50);
		if (n < 0 && errno != EINTR) {
			kf_log_error("accept thread: poll: %s", strerror(errno));
			break;
		}
		if (n > 0 && pf[0].revents)
			break;
		if (n <= 0 || !room || !pf[1].revents)
			continue;
		struct sockaddr_storage addr;
		socklen_t len = sizeof addr;
		int fd = accept4(s->listen_fd, (struct sockaddr *)&addr, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (accept_error_transient(errno))
				continue;
			/* Out of descriptors or memory: say so and try again
			 * shortly, without spinning. */
			warn_throttled(&warned, "cannot accept connections", strerror(errno));
			poll(pf, 1, 50);
			if (pf[0].revents)
				break;
			continue;
		}
		struct conn_thread *t = next_with_room(s, &next);
		/* The daemon takes the socket, and closes it if it cannot. */
		if (!t || MHD_add_connection(t->d, fd, (struct sockaddr *)&addr, len) != MHD_YES) {
			if (!t)
				close(fd);
			warn_throttled(&warned, "a new connection was refused",
				       t ? strerror(errno) : "every connection thread is full");
		}
	}
	return NULL;
}

/* The listen socket, as libmicrohttpd would make it (SO_REUSEADDR, the
 * system's backlog), non-blocking: the accept thread polls it. */
static int open_listener(const struct sockaddr_in *sa, const char *listen_at, struct kf_err *err)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int on = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) ||
	    bind(fd, (const struct sockaddr *)sa, sizeof *sa) || listen(fd, SOMAXCONN)) {
		kf_err_set(err, KF_EUNAVAILABLE, "cannot listen on %s: %s", listen_at,
			   strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Stops taking connections: the accept thread ends and the socket
 * closes. */
static void stop_accepting(struct kf_server *s)
{
	if (s->accepting) {
		ssize_t w;
		do
			w = write(s->stop_pipe[1], "x", 1);
		while (w < 0 && errno == EINTR);
		pthread_join(s->acceptor, NULL);
		s->accepting = false;
	}
	for (int i = 0; i < 2; i++) {
		if (s->stop_pipe[i] >= 0)
			close(s->stop_pipe[i]);
		s->stop_pipe[i] = -1;
	}
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
}

static void stop_daemons(struct kf_server *s)
{
	for (unsigned i = 0; i < s->nd; i++)
		MHD_stop_daemon(s->ct[i].d);
	s->nd = 0;
}

struct kf_server *kf_server_start(struct kf_app *app, const struct kf_server_config *cfg,
				  struct kf_err *err)
{
	struct sockaddr_in sa;
	if (parse_listen(cfg->listen, &sa, err))
		return NULL;
	struct kf_server *s = kf_xcalloc(1, sizeof *s);
	s->app = app;
	s->cfg = *cfg;
	if (cfg->web_dir) {
		char real[PATH_MAX];
		if (realpath(cfg->web_dir, real))
			s->web_root = kf_xstrdup(real);
		else
			kf_log_warn("web directory %s not found; serving no static files",
				    cfg->web_dir);
	}
	unsigned threads = cfg->threads ? cfg->threads : 2;
	if (threads > KF_HTTP_MAX_THREADS)
		threads = KF_HTTP_MAX_THREADS;
	kf_metrics_init(threads);
	pthread_mutex_init(&s->wmu, NULL);
	pthread_cond_init(&s->wcv, NULL);
	/* Before the daemon: its threads read nwthreads. */
	if (cfg->write_threads) {
		s->wthreads = kf_xcalloc(cfg->write_threads, sizeof *s->wthreads);
		for (unsigned i = 0; i < cfg->write_threads; i++) {
			if (pthread_create(&s->wthreads[i], NULL, write_thread, s))
				break; /* fewer threads; none: writes run inline */
			s->nwthreads++;
		}
	}
	s->stop_pipe[0] = s->stop_pipe[1] = -1;
	s->listen_fd = open_listener(&sa, cfg->listen, err);
	if (s->listen_fd < 0) {
		stop_write_threads(s);
		free_server(s);
		return NULL;
	}
	s->ct = kf_xcalloc(threads, sizeof *s->ct);
	s->conn_limit = 15000u / threads + 1;
	const char *failed = NULL;
	for (; s->nd < threads; s->nd++) {
		struct conn_thread *t = &s->ct[s->nd];
		t->index = s->nd;
		t->d = MHD_start_daemon(
		    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC |
			MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
		    0, NULL, NULL, on_request, s, MHD_OPTION_CONNECTION_TIMEOUT,
		    cfg->connection_timeout_s ? cfg->connection_timeout_s : 30,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024,
		    MHD_OPTION_CONNECTION_LIMIT, s->conn_limit, MHD_OPTION_NOTIFY_COMPLETED,
		    on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, t,
		    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_END);
		if (!t->d) {
			failed = "cannot start a connection thread";
			break;
		}
	}
	int prc = 0;
	if (!failed && pipe2(s->stop_pipe, O_CLOEXEC))
		failed = "cannot make the accept thread's stop signal";
	if (!failed && (prc = pthread_create(&s->acceptor, NULL, accept_thread, s)))
		failed = "cannot start the accept thread";
	if (failed) {
		kf_err_set(err, KF_EUNAVAILABLE, "%s on %s%s%s", failed, cfg->listen,
			   prc ? ": " : "", prc ? strerror(prc) : "");
		stop_accepting(s);
		stop_daemons(s);
		stop_write_threads(s);
		free_server(s);
		return NULL;
	}
	s->accepting = true;
	struct sockaddr_in bound;
	socklen_t blen = sizeof bound;
	s->port = getsockname(s->listen_fd, (struct sockaddr *)&bound, &blen)
		      ? ntohs(sa.sin_port)
		      : ntohs(bound.sin_port);
	return s;
}

unsigned kf_server_port(const struct kf_server *s)
{
	return s->port;
}

void kf_server_stop(struct kf_server *s, int grace_ms)
{
	if (!s)
		return;
	stop_accepting(s);
	/* Requests already on accepted connections may not have been read yet:
	 * the server is idle only after 100 ms without a request in flight. */
	int quiet = 0;
	for (int waited = 0; quiet < 100 && waited < grace_ms; waited += 10) {
		struct timespec ts = {0, 10 * 1000000};
		nanosleep(&ts, NULL);
		quiet = atomic_load(&s->in_flight) > 0 ? 0 : quiet + 10;
	}
	if (atomic_load(&s->in_flight) > 0)
		kf_log_warn("stopping with %d requests still in flight",
			    atomic_load(&s->in_flight));
	/* The write threads finish what they were given (a request they hold
	 * must not be freed under them), then the connections close. */
	stop_write_threads(s);
	stop_daemons(s);
	free_server(s);
}
