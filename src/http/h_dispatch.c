/* Dispatch of service work (SPEC D, L-10) and the K-7 documents: vouchers,
 * their signatures and off-site requests, the dispatch list, return slips
 * and the finance list. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "app/dispatch.h"
#include "http/http.h"
#include "rules/dispatch.h"
#include "util/crypto.h"

#define TEXT_MAX  2000
#define MONEY_MAX 100000000000LL /* fen: one billion yuan */

int kf_h_voucher_dispatch(struct kf_req *r)
{
	int64_t ticket_id;
	json_t *body;
	struct kf_voucher_input in = {0};
	struct kf_jfield f[] = {
	    {"technician_id", KF_J_ID, true, 0, &in.technician_id},
	    {"scheduled_on", KF_J_DATE, true, 0, &in.scheduled_on},
	    {"address", KF_J_LINE, true, 300, &in.address, .nonempty = true},
	    {"city", KF_J_LINE, false, 100, &in.city},
	    {"off_site", KF_J_BOOL, false, 0, &in.off_site},
	    {"note", KF_J_TEXT, false, TEXT_MAX, &in.note},
	    {0},
	};
	struct kf_voucher v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &ticket_id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_voucher_dispatch(&r->ctx, ticket_id, &in, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_voucher_json(&v));
}

int kf_h_vouchers_list(struct kf_req *r)
{
	static const char *const allowed[] = {"status", "technician_id", "ticket_id", "date", NULL};
	struct kf_voucher_filter f = {0};
	struct kf_voucher *items;
	bool more;
	int n, rc;
	const char *ids[] = {"technician_id", "ticket_id"};
	int64_t *outs[] = {&f.technician_id, &f.ticket_id};
	if ((rc = kf_req_list_args(r, allowed, &f.limit)) || (rc = kf_req_cursor(r, &f.after_id)))
		return rc;
	for (int i = 0; i < 2; i++) {
		const char *s = kf_req_query(r, ids[i]);
		char *end;
		if (!s)
			continue;
		long long v = strtoll(s, &end, 10);
		if (!*s || *end || v <= 0)
			return kf_err_field(&r->err, KF_EINVALID, ids[i], "%s must be an id",
					    ids[i]);
		*outs[i] = v;
	}
	f.status = kf_req_query(r, "status");
	f.scheduled_on = kf_req_query(r, "date");
	if ((rc = kf_app_voucher_list(&r->ctx, &f, &items, &n, &more, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_voucher_json(&items[i]));
	return kf_reply_list(r, a, more, more ? items[n - 1].id : 0);
}

int kf_h_voucher_get(struct kf_req *r)
{
	int64_t id;
	struct kf_voucher v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_voucher_get(&r->ctx, id, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_voucher_json(&v));
}

/* The technician's entries of a PATCH or completion body into w. */
static int read_work(struct kf_req *r, bool complete, struct kf_voucher_work *w)
{
	json_t *body;
	struct kf_jfield f[] = {
	    {"work_done", KF_J_TEXT, false, TEXT_MAX, &w->work_done, &w->has_work_done},
	    {"parts", KF_J_TEXT, false, TEXT_MAX, &w->parts, &w->has_parts},
	    {"fee_fen", KF_J_INT, false, 0, &w->fee_fen, &w->has_fee, .min = 0, .max = MONEY_MAX},
	    {"collection", KF_J_LINE, false, 16, &w->collection, &w->has_collection},
	    {"travel_cost_fen", KF_J_INT, false, 0, &w->travel_cost_fen, &w->has_travel_cost,
	     .min = 0, .max = MONEY_MAX},
	    {"signer_name", KF_J_LINE, false, 100, &w->signer_name, &w->has_signer_name,
	     .nonempty = true},
	    {complete ? NULL : "version", KF_J_INT, false, 0, &w->version, &w->has_version},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	return 0;
}

/* PATCH (record) or complete: the technician's entries, then the use case. */
static int work(struct kf_req *r, bool complete)
{
	int64_t id;
	struct kf_voucher_work w = {0};
	struct kf_voucher v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = read_work(r, complete, &w)) ||
	    (rc = complete ? kf_app_voucher_complete(&r->ctx, id, &w, &v, &r->err)
			   : kf_app_voucher_record(&r->ctx, id, &w, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_voucher_json(&v));
}

int kf_h_voucher_patch(struct kf_req *r)
{
	return work(r, false);
}

int kf_h_voucher_start(struct kf_req *r)
{
	int64_t id;
	struct kf_voucher v;
	int rc;
	/* The request body, if any, is ignored: the start is now. */
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_voucher_start(&r->ctx, id, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_voucher_json(&v));
}

int kf_h_voucher_complete(struct kf_req *r)
{
	return work(r, true);
}

int kf_h_voucher_countersign(struct kf_req *r)
{
	int64_t id;
	struct kf_voucher v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_voucher_countersign(&r->ctx, id, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_voucher_json(&v));
}

/* Whether the request's Content-Type is type (parameters ignored). */
static bool content_type_is(struct kf_req *r, const char *type)
{
	const char *ct = kf_req_header(r, "Content-Type");
	size_t n = strlen(type);
	return ct && !strncasecmp(ct, type, n) && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
}

/* D-2: the signature arrives as the body itself (Content-Type image/png or
 * image/jpeg) or as JSON {"image_base64": "…"} (a data: URL prefix is
 * accepted, as a canvas gives it). */
int kf_h_voucher_signature_put(struct kf_req *r)
{
	int64_t id;
	struct kf_voucher v;
	const unsigned char *img;
	size_t len;
	const char *field;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)))
		return rc;
	if (content_type_is(r, "image/png") || content_type_is(r, "image/jpeg")) {
		img = (const unsigned char *)r->body.data;
		len = r->body.len;
		field = "body";
	} else {
		json_t *body;
		const char *b64 = NULL;
		struct kf_jfield f[] = {
		    /* 4 characters per 3 bytes, and room for a data: prefix. */
		    {"image_base64", KF_J_LINE, true, KF_SIGNATURE_MAX_BYTES / 3 * 4 + 1024, &b64},
		    {0},
		};
		if ((rc = kf_req_json(r, &body)))
			return rc;
		if ((rc = kf_json_read(body, f, NULL, &r->err))) {
			/* Longer than any image within the limit. */
			if (!strcmp(r->err.field, "image_base64") &&
			    json_string_length(json_object_get(body, "image_base64")) >
				KF_SIGNATURE_MAX_BYTES / 3 * 4 + 1024)
				return kf_err_field(&r->err, KF_ETOOLARGE, "image_base64",
						    "the signature image is larger than %d bytes",
						    KF_SIGNATURE_MAX_BYTES);
			return rc;
		}
		if (!strncmp(b64, "data:", 5)) {
			const char *comma = strchr(b64, ',');
			if (!comma || !strstr(b64, ";base64,"))
				return kf_err_field(&r->err, KF_EINVALID, "image_base64",
						    "a data URL must be base64-encoded");
			b64 = comma + 1;
		}
		unsigned char *buf = kf_arena_alloc(&r->arena, KF_SIGNATURE_MAX_BYTES + 1);
		long n = kf_base64_decode(b64, strlen(b64), buf, KF_SIGNATURE_MAX_BYTES + 1);
		if (n == -1)
			return kf_err_field(&r->err, KF_EINVALID, "image_base64",
					    "image_base64 is not base64");
		img = buf;
		len = n == -2 ? KF_SIGNATURE_MAX_BYTES + 1 : (size_t)n;
		field = "image_base64";
	}
	if ((rc = kf_app_voucher_signature_put(&r->ctx, id, img, len, field, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_voucher_json(&v));
}

int kf_h_voucher_signature_get(struct kf_req *r)
{
	int64_t id;
	const char *type;
	unsigned char *data;
	size_t len;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_voucher_signature_get(&r->ctx, id, &type, &data, &len, &r->err)))
		return rc;
	char *copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	return kf_reply_text(r, 200, type, copy, len);
}

int kf_h_voucher_offsite_request(struct kf_req *r)
{
	int64_t id, cost = 0;
	bool has_cost = false;
	const char *destination = NULL, *reason = NULL;
	json_t *body;
	struct kf_jfield f[] = {
	    {"destination", KF_J_LINE, true, 200, &destination, .nonempty = true},
	    {"reason", KF_J_TEXT, true, TEXT_MAX, &reason, .nonempty = true},
	    {"estimated_cost_fen", KF_J_INT, false, 0, &cost, &has_cost, .min = 0,
	     .max = MONEY_MAX},
	    {0},
	};
	struct kf_voucher v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_offsite_request(&r->ctx, id, destination, reason, has_cost, cost, &v,
					 &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_voucher_json(&v));
}

int kf_h_voucher_offsite_decide(struct kf_req *r)
{
	int64_t id;
	const char *decision = NULL, *comment = NULL;
	json_t *body;
	struct kf_jfield f[] = {
	    {"decision", KF_J_LINE, true, 16, &decision},
	    {"comment", KF_J_TEXT, false, TEXT_MAX, &comment},
	    {0},
	};
	struct kf_voucher v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	if (strcmp(decision, "approve") && strcmp(decision, "reject"))
		return kf_err_field(&r->err, KF_EINVALID, "decision",
				    "decision must be approve or reject");
	if ((rc = kf_app_offsite_decide(&r->ctx, id, !strcmp(decision, "approve"), comment, &v,
					&r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_voucher_json(&v));
}

int kf_h_dispatch_list(struct kf_req *r)
{
	static const char *const allowed[] = {"date", NULL};
	struct kf_dispatch_list l;
	int limit, rc;
	if ((rc = kf_req_list_args(r, allowed, &limit)) ||
	    (rc = kf_app_dispatch_list(&r->ctx, kf_req_query(r, "date"), limit, &l, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_dispatch_list_json(&l));
}

int kf_h_return_slips_list(struct kf_req *r)
{
	static const char *const allowed[] = {"status", NULL};
	struct kf_k7_doc *items;
	bool more;
	int limit, n, rc;
	if ((rc = kf_req_list_args(r, allowed, &limit)) ||
	    (rc = kf_app_return_slip_list(&r->ctx, kf_req_query(r, "status"), limit, &items, &n,
					  &more, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_k7_doc_json(&items[i], true));
	return kf_reply_list(r, a, false, 0);
}

int kf_h_return_slip_receive(struct kf_req *r)
{
	int64_t id, qty = 0;
	const char *note = NULL;
	json_t *body;
	struct kf_jfield f[] = {
	    {"received_qty", KF_J_INT, true, 0, &qty, .min = 1, .max = 1000000000},
	    {"note", KF_J_TEXT, false, TEXT_MAX, &note},
	    {0},
	};
	struct kf_k7_doc d;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_return_slip_receive(&r->ctx, id, qty, note, &d, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_k7_doc_json(&d, true));
}

int kf_h_finance_list(struct kf_req *r)
{
	static const char *const allowed[] = {"from", "to", NULL};
	struct kf_finance_list l;
	int limit, rc;
	if ((rc = kf_req_list_args(r, allowed, &limit)) ||
	    (rc = kf_app_finance_list(&r->ctx, kf_req_query(r, "from"), kf_req_query(r, "to"),
				      limit, &l, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_finance_json(&l));
}
