/* Customers (C-1 … C-5): records, search, identity verification, the daily
 * care list and the periodic callbacks due. */
#include <string.h>
#include "http/http.h"
#include "util/time.h"

/* Care lists are not paged (two lists in one answer); each holds at most
 * this many customers unless limit asks for fewer, and says when there were
 * more (the rest are GET /customers?birthday=MM-DD or ?grade=…). */
#define CARE_MAX 200

int kf_http_read_customer(json_t *obj, const char *prefix, bool create,
			  struct kf_customer_input *in, struct kf_err *err)
{
	bool has_version = false;
	int64_t version = 0;
	struct kf_jfield f[] = {
	    {"name", KF_J_LINE, create, 100, &in->name, &in->has_name},
	    {"phone", KF_J_LINE, false, 32, &in->phone, &in->has_phone, true},
	    {"alt_phone", KF_J_LINE, false, 32, &in->alt_phone, &in->has_alt_phone, true},
	    {"email", KF_J_LINE, false, 254, &in->email, &in->has_email, true},
	    {"address", KF_J_LINE, false, 200, &in->address, &in->has_address, true},
	    {"company", KF_J_LINE, false, 100, &in->company, &in->has_company, true},
	    {"grade", KF_J_LINE, false, 16, &in->grade, &in->has_grade},
	    {"birthday", KF_J_DATE, false, 10, &in->birthday, &in->has_birthday, true},
	    {"id_number", KF_J_LINE, false, 32, &in->id_number, &in->has_id_number, true},
	    {"notes", KF_J_TEXT, false, 2000, &in->notes, &in->has_notes, true},
	    {"tags", KF_J_ARRAY, false, 0, &in->tags, &in->has_tags, true},
	    /* A new record has no version to check: on create the member is
	     * unknown like any other. */
	    {create ? NULL : "version", KF_J_INT, false, 0, &version, &has_version, false, 1,
	     INT32_MAX},
	    {0},
	};
	int rc = kf_json_read(obj, f, prefix, err);
	if (rc)
		return rc;
	in->version = has_version ? version : 0;
	return 0;
}

static int reply_customer(struct kf_req *r, unsigned status, const struct kf_customer *cu,
			  bool revealed)
{
	return kf_reply_json(r, status, kf_app_customer_json(cu, revealed));
}

int kf_h_customers_create(struct kf_req *r)
{
	json_t *body;
	struct kf_customer_input in = {0};
	struct kf_customer cu;
	int rc;
	if ((rc = kf_req_json(r, &body)) ||
	    (rc = kf_http_read_customer(body, NULL, true, &in, &r->err)) ||
	    (rc = kf_app_customer_create(&r->ctx, &in, &cu, &r->err)))
		return rc;
	/* Masked like every other view: typing a number in is not verifying
	 * the caller (C-3). */
	return reply_customer(r, 201, &cu, false);
}

static json_t *customer_array(const struct kf_customer *items, const bool *revealed, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_customer_json(&items[i], revealed[i]));
	return a;
}

int kf_h_customers_list(struct kf_req *r)
{
	static const char *const allowed[] = {"q", "grade", "birthday", NULL};
	struct kf_customer_query q = {0};
	struct kf_customer *items;
	bool *revealed, more;
	int n, rc;
	int64_t next;
	if ((rc = kf_req_list_args(r, allowed, &q.limit)) || (rc = kf_req_cursor(r, &q.pos)))
		return rc;
	q.q = kf_req_query(r, "q");
	if (q.q && !*q.q)
		q.q = NULL; /* an empty search box lists everyone */
	q.grade = kf_req_query(r, "grade");
	q.birthday = kf_req_query(r, "birthday");
	if ((rc = kf_app_customer_list(&r->ctx, &q, &items, &revealed, &n, &more, &next, &r->err)))
		return rc;
	return kf_reply_list(r, customer_array(items, revealed, n), more, next);
}

int kf_h_customer_get(struct kf_req *r)
{
	int64_t id;
	struct kf_customer cu;
	bool revealed;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_customer_get(&r->ctx, id, &cu, &revealed, &r->err)))
		return rc;
	return reply_customer(r, 200, &cu, revealed);
}

int kf_h_customer_patch(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	struct kf_customer_input in = {0};
	struct kf_customer cu;
	bool revealed;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_http_read_customer(body, NULL, false, &in, &r->err)) ||
	    (rc = kf_app_customer_update(&r->ctx, id, &in, &cu, &revealed, &r->err)))
		return rc;
	return reply_customer(r, 200, &cu, revealed);
}

int kf_h_customer_verify(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	const char *method = NULL, *note = NULL;
	bool passed = false;
	struct kf_jfield f[] = {
	    {"method", KF_J_LINE, true, 32, &method},
	    {"passed", KF_J_BOOL, true, 0, &passed},
	    {"note", KF_J_TEXT, false, 500, &note, NULL, true},
	    {0},
	};
	struct kf_customer_verification v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_customer_verify(&r->ctx, id, method, passed, note, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_customer_verification_json(&v));
}

/* ?date=YYYY-MM-DD, or NULL for today. */
static int date_arg(struct kf_req *r, const char **date)
{
	int64_t ms;
	*date = kf_req_query(r, "date");
	if (*date && !kf_time_parse_date(*date, &ms))
		return kf_err_field(&r->err, KF_EINVALID, "date", "date must be a date YYYY-MM-DD");
	return 0;
}

int kf_h_customers_care(struct kf_req *r)
{
	static const char *const allowed[] = {"date", NULL};
	struct kf_customer_care care;
	const char *date;
	int limit, rc;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = date_arg(r, &date)))
		return rc;
	if (kf_req_query(r, "cursor"))
		return kf_err_field(&r->err, KF_EINVALID, "cursor",
				    "the care list is not paged; use limit (at most %d)", CARE_MAX);
	if (!kf_req_query(r, "limit"))
		limit = CARE_MAX;
	if ((rc = kf_app_customer_care(&r->ctx, date, limit, &care, &r->err)))
		return rc;
	json_t *holidays = json_array();
	for (int i = 0; i < care.nholidays; i++)
		json_array_append_new(holidays,
				      json_pack("{s:s, s:s}", "date", care.holidays[i].date, "name",
						care.holidays[i].name));
	json_t *o =
	    json_pack("{s:s, s:o, s:b, s:o, s:o, s:b}", "date", care.date, "birthdays",
		      customer_array(care.birthdays, care.birthdays_revealed, care.nbirthdays),
		      "birthdays_more", care.birthdays_more, "holidays", holidays, "greet",
		      customer_array(care.greet, care.greet_revealed, care.ngreet), "greet_more",
		      care.greet_more);
	return kf_reply_json(r, 200, o);
}

int kf_h_customers_callbacks_due(struct kf_req *r)
{
	static const char *const allowed[] = {"date", NULL};
	struct kf_customer *items;
	const char *date;
	bool *revealed, more;
	int limit, n, rc;
	int64_t after;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &after)) ||
	    (rc = date_arg(r, &date)) ||
	    (rc = kf_app_customer_callbacks_due(&r->ctx, date, after, limit, &items, &revealed, &n,
						&more, &r->err)))
		return rc;
	return kf_reply_list(r, customer_array(items, revealed, n), more,
			     more ? items[n - 1].id : 0);
}
