/* Customer records (C-1 … C-5): created and changed by front-line staff,
 * every change audited with what changed (S-3); personal data shown masked
 * until the person at the desk has verified the caller (C-3), and every
 * unmasked view audited; the daily care lists (C-4) and the periodic
 * callbacks due (C-5). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "app/internal.h"
#include "rules/privacy.h"
#include "store/search.h"
#include "util/time.h"
#include "util/tokenize.h"
#include "util/utf8.h"

/* Most a list or care page checks for reveals at once (kf_req_list_args
 * caps pages at 200). */
#define REVEAL_MAX 500

static const char *id_str(struct kf_ctx *c, int64_t id)
{
	return kf_arena_printf(c->arena, "%lld", (long long)id);
}

/* ---- checks ---- */

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

static int check_text(const char *field, const char *s, size_t max, bool required,
		      struct kf_err *err)
{
	if (!s)
		return required ? kf_err_field(err, KF_EINVALID, field, "%s is required", field)
				: 0;
	if (!kf_utf8_valid(s, strlen(s)))
		return kf_err_field(err, KF_EINVALID, field, "%s is not valid UTF-8", field);
	if (blank(s))
		return kf_err_field(err, KF_EINVALID, field, "%s must not be empty", field);
	if (kf_utf8_len(s) > max)
		return kf_err_field(err, KF_EINVALID, field, "%s is longer than %zu characters",
				    field, max);
	return 0;
}

/* Phone numbers are stored as their digits, with the leading '+' of an
 * international number kept: people type "138-1234-5678" or
 * "(010) 6234 5678", and a search must find the number however it was
 * typed. */
int kf_app_phone_normalise(struct kf_ctx *c, const char *field, const char *s, const char **out,
			   struct kf_err *err)
{
	size_t n = strlen(s);
	char *d = kf_arena_alloc(c->arena, n + 1);
	size_t len = 0, digits = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= '0' && ch <= '9') {
			d[len++] = ch;
			digits++;
		} else if (ch == '+' && len == 0 && digits == 0) {
			d[len++] = ch;
		} else if (!(ch == ' ' || ch == '-' || ch == '(' || ch == ')' || ch == '.')) {
			return kf_err_field(err, KF_EINVALID, field,
					    "%s may contain only digits, a leading '+', spaces, "
					    "'-', '.' and parentheses",
					    field);
		}
	}
	d[len] = '\0';
	if (digits < 5 || digits > 20)
		return kf_err_field(err, KF_EINVALID, field, "%s must have 5 to 20 digits", field);
	*out = d;
	return 0;
}

/* The shape of an address, not its existence: one '@', a local part, and a
 * domain of dot-separated labels without spaces. */
static int check_email(const char *s, struct kf_err *err)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s);
	bool ok = at && at != s && !strchr(at + 1, '@') && n <= 254 && (size_t)(at - s) <= 64;
	if (ok) {
		const char *dom = at + 1;
		size_t dl = strlen(dom);
		ok = dl >= 3 && strchr(dom, '.') && dom[0] != '.' && dom[dl - 1] != '.' &&
		     !strstr(dom, "..");
		for (const char *p = s; ok && *p; p++)
			if ((unsigned char)*p <= ' ' || *p == ',' || *p == ';' || *p == '<' ||
			    *p == '>' || *p == '"' || *p == '\\' || *p == 0x7f)
				ok = false;
	}
	return ok ? 0
		  : kf_err_field(err, KF_EINVALID, "email",
				 "email must look like name@example.com");
}

static int check_id_number(struct kf_ctx *c, const char *s, const char **out, struct kf_err *err)
{
	size_t n = strlen(s);
	if (n < 4 || n > 32)
		return kf_err_field(err, KF_EINVALID, "id_number",
				    "id_number must have 4 to 32 letters and digits");
	char *u = kf_arena_strdup(c->arena, s);
	for (char *p = u; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A'); /* 11010119900307123x is …123X */
		else if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z')))
			return kf_err_field(err, KF_EINVALID, "id_number",
					    "id_number may contain only letters and digits");
	}
	*out = u;
	return 0;
}

static int check_birthday(struct kf_ctx *c, const char *s, struct kf_err *err)
{
	int64_t ms;
	char today[11];
	if (!kf_time_parse_date(s, &ms))
		return kf_err_field(err, KF_EINVALID, "birthday",
				    "birthday must be a real date YYYY-MM-DD");
	kf_time_format_date(c->now, today);
	if (strcmp(s, today) > 0)
		return kf_err_field(err, KF_EINVALID, "birthday", "birthday %s is in the future",
				    s);
	if (strcmp(s, "1900-01-01") < 0)
		return kf_err_field(err, KF_EINVALID, "birthday",
				    "birthday must be in 1900 or later");
	return 0;
}

/* Tags: at most 20 strings of 1 to 32 characters; a repeated tag is kept
 * once. Stored as a JSON array text. */
static int check_tags(struct kf_ctx *c, json_t *tags, const char **out, struct kf_err *err)
{
	if (!json_is_array(tags))
		return kf_err_field(err, KF_EINVALID, "tags", "tags must be an array of strings");
	if (json_array_size(tags) > 20)
		return kf_err_field(err, KF_EINVALID, "tags", "at most 20 tags");
	json_t *kept = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t)
	{
		char field[32];
		snprintf(field, sizeof field, "tags[%zu]", i);
		const char *s = json_string_value(t);
		int rc = 0;
		if (!s || strlen(s) != json_string_length(t))
			rc = kf_err_field(err, KF_EINVALID, field, "%s must be a string", field);
		else if (!(rc = check_text(field, s, 32, true, err)))
			for (const char *p = s; *p && !rc; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					rc = kf_err_field(err, KF_EINVALID, field,
							  "%s contains control characters", field);
		if (rc) {
			json_decref(kept);
			return rc;
		}
		bool dup = false;
		size_t j;
		json_t *k;
		json_array_foreach(kept, j, k)
		{
			if (!strcmp(json_string_value(k), s))
				dup = true;
		}
		if (!dup)
			json_array_append_new(kept, json_string(s));
	}
	char *text = json_dumps(kept, JSON_COMPACT);
	json_decref(kept);
	*out = kf_arena_strdup(c->arena, text);
	free(text);
	return 0;
}

static bool grade_known(const struct kf_policy *p, const char *grade)
{
	const json_t *grades = kf_policy_get(p, "customers.grades");
	size_t i;
	json_t *g;
	json_array_foreach(grades, i, g)
	{
		if (!strcmp(json_string_value(g), grade))
			return true;
	}
	return false;
}

static int check_grade(const struct kf_policy *p, const char *grade, struct kf_err *err)
{
	if (grade && grade_known(p, grade))
		return 0;
	struct kf_buf b;
	kf_buf_init(&b, 0);
	const json_t *grades = kf_policy_get(p, "customers.grades");
	size_t i;
	json_t *g;
	json_array_foreach(grades, i, g)
	{
		kf_buf_addf(&b, "%s%s", i ? ", " : "", json_string_value(g));
	}
	kf_err_field(err, KF_EINVALID, "grade", "grade must be one of %s (C-2)", b.data);
	kf_buf_release(&b);
	return KF_EINVALID;
}

/* C-2 interpretation: a customer nobody graded is in the least important
 * grade, the last of the policy's list (C in VIP, A, B, C), so that only a
 * person's decision makes a customer VIP (and their requests critical, T-9). */
static const char *default_grade(const struct kf_policy *p)
{
	const json_t *grades = kf_policy_get(p, "customers.grades");
	return json_string_value(json_array_get(grades, json_array_size(grades) - 1));
}

/* Checks and normalises every member the input carries into cu. */
static int apply_input(struct kf_ctx *c, const struct kf_policy *pol,
		       const struct kf_customer_input *in, bool create, struct kf_customer *cu,
		       struct kf_err *err)
{
	int rc;
	if (create || in->has_name) {
		if ((rc = check_text("name", in->name, 100, true, err)))
			return rc;
		cu->name = in->name;
	}
	if (in->has_phone || (create && in->phone)) {
		cu->phone = NULL;
		if (in->phone &&
		    (rc = kf_app_phone_normalise(c, "phone", in->phone, &cu->phone, err)))
			return rc;
	}
	if (in->has_alt_phone || (create && in->alt_phone)) {
		cu->alt_phone = NULL;
		if (in->alt_phone && (rc = kf_app_phone_normalise(c, "alt_phone", in->alt_phone,
								  &cu->alt_phone, err)))
			return rc;
	}
	if (in->has_email || (create && in->email)) {
		if (in->email && (rc = check_email(in->email, err)))
			return rc;
		cu->email = in->email;
	}
	if (in->has_address || (create && in->address)) {
		if ((rc = check_text("address", in->address, 200, false, err)))
			return rc;
		cu->address = in->address;
	}
	if (in->has_company || (create && in->company)) {
		if ((rc = check_text("company", in->company, 100, false, err)))
			return rc;
		cu->company = in->company;
	}
	if (in->has_grade || (create && in->grade)) {
		if ((rc = check_grade(pol, in->grade, err)))
			return rc;
		cu->grade = in->grade;
	} else if (create) {
		cu->grade = default_grade(pol);
	}
	if (in->has_birthday || (create && in->birthday)) {
		if (in->birthday && (rc = check_birthday(c, in->birthday, err)))
			return rc;
		cu->birthday = in->birthday;
	}
	if (in->has_id_number || (create && in->id_number)) {
		cu->id_number = NULL;
		if (in->id_number && (rc = check_id_number(c, in->id_number, &cu->id_number, err)))
			return rc;
	}
	if (in->has_notes || (create && in->notes)) {
		if (in->notes && kf_utf8_len(in->notes) > 2000)
			return kf_err_field(err, KF_EINVALID, "notes",
					    "notes is longer than 2000 characters");
		cu->notes = in->notes;
	}
	if (in->has_tags || (create && in->tags)) {
		cu->tags = "[]";
		if (in->tags && (rc = check_tags(c, in->tags, &cu->tags, err)))
			return rc;
	}
	return 0;
}

/* ---- search index (T-10) ---- */

static void add_phone_tokens(struct kf_buf *b, const char *phone)
{
	if (!phone)
		return;
	char digits[32];
	size_t n = 0;
	for (const char *p = phone; *p && n < sizeof digits - 1; p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	digits[n] = '\0';
	if (!n)
		return;
	/* The whole number and its last four digits, so that "5678" finds
	 * 138****5678 (what a caller reads out from a masked screen). */
	kf_buf_addf(b, " %s", digits);
	if (n > 4)
		kf_buf_addf(b, " %s", digits + n - 4);
}

static int index_customer(struct kf_ctx *c, struct kf_db *db, const struct kf_customer *cu,
			  struct kf_err *err)
{
	struct kf_buf phones, other;
	kf_buf_init(&phones, 0);
	kf_buf_init(&other, 0);
	add_phone_tokens(&phones, cu->phone);
	add_phone_tokens(&phones, cu->alt_phone);
	kf_buf_addf(&other, "%s %s", cu->company ? cu->company : "",
		    cu->address ? cu->address : "");
	const char *name = kf_tokenize_join(cu->name, false, 0, c->arena, NULL);
	const char *phone = kf_tokenize_join(phones.data, false, 0, c->arena, NULL);
	const char *company = kf_tokenize_join(other.data, false, 0, c->arena, NULL);
	kf_buf_release(&phones);
	kf_buf_release(&other);
	return kf_store_search_put_customer(db, cu->id, name, phone, company, err);
}

/* ---- audit (S-3) with masked personal values (C-3) ---- */

enum kind { PLAIN, PHONE, ID_NUMBER, ADDRESS, EMAIL };

/* s masked as a k, in out (or s itself for PLAIN); NULL stays NULL. */
static const char *mask(const char *s, enum kind k, char out[KF_PRIVACY_MASK_MAX])
{
	if (!s)
		return NULL;
	switch (k) {
	case PHONE:
		kf_privacy_mask_phone(s, out);
		break;
	case ID_NUMBER:
		kf_privacy_mask_id_number(s, out);
		break;
	case ADDRESS:
		kf_privacy_mask_address(s, out);
		break;
	case EMAIL:
		kf_privacy_mask_email(s, out);
		break;
	default:
		return s;
	}
	return out;
}

static json_t *masked_value(const char *s, enum kind k)
{
	char out[KF_PRIVACY_MASK_MAX];
	const char *m = mask(s, k, out);
	return m ? json_string(m) : json_null();
}

struct field_desc {
	const char *name;
	enum kind kind;
	size_t offset;
};

#define FD(n, k)                                                                                   \
	{                                                                                          \
#n, k, offsetof(struct kf_customer, n)                                             \
	}
static const struct field_desc fields[] = {
    FD(name, PLAIN),	      FD(phone, PHONE),	  FD(alt_phone, PHONE), FD(email, EMAIL),
    FD(address, ADDRESS),     FD(company, PLAIN), FD(grade, PLAIN),	FD(birthday, PLAIN),
    FD(id_number, ID_NUMBER), FD(notes, PLAIN),	  FD(tags, PLAIN),
};

static const char *field_of(const struct kf_customer *cu, const struct field_desc *f)
{
	return *(const char *const *)((const char *)cu + f->offset);
}

static json_t *audit_value(const struct kf_customer *cu, const struct field_desc *f)
{
	const char *s = field_of(cu, f);
	if (!strcmp(f->name, "tags")) {
		json_error_t je;
		json_t *t = s ? json_loads(s, 0, &je) : NULL;
		return t ? t : json_array();
	}
	return masked_value(s, f->kind);
}

static bool same(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (!a || !strcmp(a, b));
}

static json_t *created_detail(const struct kf_customer *cu)
{
	json_t *d = json_object();
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		json_object_set_new(d, fields[i].name, audit_value(cu, &fields[i]));
	return d;
}

static json_t *changes_detail(const struct kf_customer *before, const struct kf_customer *after)
{
	json_t *changes = json_object();
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		const struct field_desc *f = &fields[i];
		if (same(field_of(before, f), field_of(after, f)))
			continue;
		json_object_set_new(changes, f->name,
				    json_pack("{s:o, s:o}", "before", audit_value(before, f),
					      "after", audit_value(after, f)));
	}
	return json_pack("{s:o}", "changes", changes);
}

/* ---- use cases ---- */

int kf_app_customer_insert_tx(struct kf_ctx *c, struct kf_db *db,
			      const struct kf_customer_input *in, struct kf_customer *out,
			      struct kf_err *err)
{
	const struct kf_policy *pol;
	int rc;
	if ((rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	struct kf_customer cu = {.tags = "[]", .created_at = c->now, .updated_at = c->now};
	if ((rc = apply_input(c, pol, in, true, &cu, err)) ||
	    (rc = kf_store_customer_insert(db, &cu, err)) ||
	    (rc = index_customer(c, db, &cu, err)) ||
	    (rc = kf_app_audit(c, db, "customer.create", "customer", id_str(c, cu.id),
			       created_detail(&cu), err)))
		return rc;
	*out = cu;
	return 0;
}

int kf_app_customer_create(struct kf_ctx *c, const struct kf_customer_input *in,
			   struct kf_customer *out, struct kf_err *err)
{
	struct kf_db *db;
	const struct kf_policy *pol;
	int rc;
	/* The policy is taken before the transaction, so that SQLite's write
	 * lock is not held while it is read. */
	if ((rc = kf_ctx_require(c, KF_PERM_CUSTOMERS_WRITE, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_ctx_policy(c, &pol, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_app_customer_insert_tx(c, db, in, out, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return 0;
}

int kf_app_customer_revealed(struct kf_ctx *c, struct kf_db *db, int64_t customer_id,
			     bool *revealed, struct kf_err *err)
{
	*revealed = false;
	if (c->actor.user_id <= 0)
		return 0;
	return kf_store_customer_revealed(db, customer_id, c->actor.user_id, c->now, revealed, NULL,
					  err);
}

/* S-3, C-3: an unmasked view is an audit entry, in a transaction of its own
 * for reads (or the caller's, when one is open). */
int kf_app_customer_audit_views(struct kf_ctx *c, struct kf_db *db, const struct kf_customer *items,
				const bool *revealed, int n, const char *via, struct kf_err *err)
{
	int any = 0, rc;
	for (int i = 0; i < n; i++)
		any += revealed[i];
	if (!any)
		return 0;
	bool own = !kf_db_in_tx(db);
	if (own && (rc = kf_db_begin(db, err)))
		return rc;
	for (int i = 0; i < n; i++)
		if (revealed[i] && (rc = kf_app_audit(c, db, "customer.view_unmasked", "customer",
						      id_str(c, items[i].id),
						      json_pack("{s:s}", "via", via), err)))
			return rc;
	return own ? kf_db_commit(db, err) : 0;
}

static int reveal_all(struct kf_ctx *c, struct kf_db *db, const struct kf_customer *items, int n,
		      bool **revealed, const char *via, struct kf_err *err)
{
	bool *r = kf_arena_zalloc(c->arena, sizeof *r * (size_t)(n > 0 ? n : 1));
	*revealed = r;
	if (n <= 0 || c->actor.user_id <= 0)
		return 0;
	if (n > REVEAL_MAX)
		n = REVEAL_MAX;
	int64_t *ids = kf_arena_alloc(c->arena, sizeof *ids * (size_t)n);
	for (int i = 0; i < n; i++)
		ids[i] = items[i].id;
	int rc = kf_store_customer_revealed_among(db, c->actor.user_id, c->now, ids, n, r, err);
	if (rc)
		return rc;
	return kf_app_customer_audit_views(c, db, items, r, n, via, err);
}

static int not_found(struct kf_err *err, int rc, int64_t id)
{
	return rc == KF_ENOTFOUND ? kf_err_set(err, rc, "customer %lld not found", (long long)id)
				  : rc;
}

int kf_app_customer_get(struct kf_ctx *c, int64_t id, struct kf_customer *out, bool *revealed,
			struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	*revealed = false;
	if ((rc = kf_ctx_require(c, KF_PERM_CUSTOMERS_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	if ((rc = kf_store_customer_get(db, id, c->arena, out, err)))
		return not_found(err, rc, id);
	if ((rc = kf_app_customer_revealed(c, db, id, revealed, err)))
		return rc;
	return kf_app_customer_audit_views(c, db, out, revealed, 1, "get", err);
}

int kf_app_customer_update(struct kf_ctx *c, int64_t id, const struct kf_customer_input *in,
			   struct kf_customer *out, bool *revealed, struct kf_err *err)
{
	struct kf_db *db;
	const struct kf_policy *pol;
	struct kf_customer cu;
	int rc;
	*revealed = false;
	if ((rc = kf_ctx_require(c, KF_PERM_CUSTOMERS_WRITE, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_ctx_policy(c, &pol, err)) ||
	    (rc = kf_db_begin(db, err)))
		return rc;
	if ((rc = kf_store_customer_get(db, id, c->arena, &cu, err)))
		return not_found(err, rc, id);
	if (in->version && in->version != cu.version)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "customer %lld is at version %lld, not %lld", (long long)id,
				    (long long)cu.version, (long long)in->version);
	struct kf_customer before = cu;
	if ((rc = apply_input(c, pol, in, false, &cu, err)))
		return rc;
	cu.updated_at = c->now;
	if ((rc = kf_store_customer_update(db, &cu, err)) ||
	    (rc = index_customer(c, db, &cu, err)) ||
	    (rc = kf_app_audit(c, db, "customer.update", "customer", id_str(c, id),
			       changes_detail(&before, &cu), err)) ||
	    (rc = kf_app_customer_revealed(c, db, id, revealed, err)) ||
	    (rc = kf_app_customer_audit_views(c, db, &cu, revealed, 1, "update", err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = cu;
	return 0;
}

/* A q of digits and phone separators only is a phone number (full, or its
 * last four digits): it is searched as its digits, however it was typed. */
static const char *phone_query(struct kf_ctx *c, const char *q)
{
	size_t n = strlen(q), digits = 0;
	char *d = kf_arena_alloc(c->arena, n + 1);
	for (size_t i = 0; i < n; i++) {
		char ch = q[i];
		if (ch >= '0' && ch <= '9')
			d[digits++] = ch;
		else if (!(ch == ' ' || ch == '-' || ch == '(' || ch == ')' || ch == '.' ||
			   ch == '+'))
			return NULL;
	}
	d[digits] = '\0';
	return digits ? d : NULL;
}

int kf_app_customer_list(struct kf_ctx *c, const struct kf_customer_query *q,
			 struct kf_customer **items, bool **revealed, int *n, bool *more,
			 int64_t *next_pos, struct kf_err *err)
{
	struct kf_db *db;
	const struct kf_policy *pol;
	int rc;
	*n = 0;
	*more = false;
	*next_pos = 0;
	if ((rc = kf_ctx_require(c, KF_PERM_CUSTOMERS_READ, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	struct kf_customer_filter f = {.limit = q->limit + 1};
	if (q->q) {
		if (kf_utf8_len(q->q) > 100)
			return kf_err_field(err, KF_EINVALID, "q",
					    "q is longer than 100 characters");
		const char *digits = phone_query(c, q->q);
		int count = 0;
		f.tokens = kf_tokenize_join(digits ? digits : q->q, true, 16, c->arena, &count);
		/* T-10: a query must have something to look for; punctuation
		 * alone would match nothing (or, unchecked, everything). */
		if (count == 0)
			return kf_err_field(err, KF_EINVALID, "q",
					    "q must contain letters, digits or Chinese characters");
		f.offset = q->pos;
	} else {
		f.after_id = q->pos;
	}
	if (q->grade) {
		if ((rc = check_grade(pol, q->grade, err)))
			return rc;
		f.grade = q->grade;
	}
	if (q->birthday) {
		int mo, d;
		char extra;
		if (strlen(q->birthday) != 5 ||
		    sscanf(q->birthday, "%2d-%2d%c", &mo, &d, &extra) != 2 || mo < 1 || mo > 12 ||
		    d < 1 || d > 31 || q->birthday[2] != '-')
			return kf_err_field(err, KF_EINVALID, "birthday",
					    "birthday must be a day of the year MM-DD");
		f.birthdays[0] = q->birthday;
	}
	if ((rc = kf_store_customer_list(db, &f, c->arena, items, n, err)))
		return rc;
	if (*n > q->limit) {
		*more = true;
		*n = q->limit;
		*next_pos = q->q ? q->pos + q->limit : (*items)[q->limit - 1].id;
	}
	return reveal_all(c, db, *items, *n, revealed, q->q ? "search" : "list", err);
}

static bool method_known(const char *m)
{
	static const char *const methods[] = {"id_number", "phone", "security_question", "account",
					      "other"};
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
		if (!strcmp(m, methods[i]))
			return true;
	return false;
}

int kf_app_customer_verify(struct kf_ctx *c, int64_t id, const char *method, bool passed,
			   const char *note, struct kf_customer_verification *out,
			   struct kf_err *err)
{
	struct kf_db *db;
	const struct kf_policy *pol;
	struct kf_customer cu;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_CUSTOMERS_VERIFY, err)))
		return rc;
	if (!method || !method_known(method))
		return kf_err_field(err, KF_EINVALID, "method",
				    "method must be one of id_number, phone, security_question, "
				    "account, other");
	/* A verification opens a record to one person; the CLI operator is
	 * nobody in particular. */
	if (c->actor.user_id <= 0)
		return kf_err_set(err, KF_EFORBIDDEN, "only a signed-in person verifies callers");
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	/* C-3: the policy in force now sets how long the record stays open;
	 * the end is stored, so a later policy change does not move it. */
	int64_t minutes = kf_policy_int(pol, "customers.verification_unmask_minutes");
	struct kf_customer_verification v = {
	    .customer_id = id,
	    .user_id = c->actor.user_id,
	    .method = method,
	    .passed = passed,
	    .at = c->now,
	    .expires_at = passed ? c->now + minutes * 60000 : c->now,
	};
	if ((rc = kf_db_begin(db, err)))
		return rc;
	if ((rc = kf_store_customer_get(db, id, c->arena, &cu, err)))
		return not_found(err, rc, id);
	json_t *d = json_pack("{s:s, s:b}", "method", method, "passed", passed);
	if (passed) {
		char until[40];
		kf_time_format(v.expires_at, until);
		json_object_set_new(d, "expires_at", json_string(until));
	}
	if (note)
		json_object_set_new(d, "note", json_string(note));
	if ((rc = kf_store_customer_verification_insert(db, &v, err)) ||
	    (rc = kf_app_audit(c, db, "customer.verify", "customer", id_str(c, id), d, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = v;
	return 0;
}

/* ---- dates (C-4, C-5) ---- */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a civil date and back (H. Hinnant's algorithm),
 * so that date arithmetic does not depend on the process's time zone. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The local date of the request: the one given (already checked as a real
 * YYYY-MM-DD), or today in the policy's time zone (P-3). */
static void day_of(struct kf_ctx *c, const char *date, int *y, int *m, int *d)
{
	char today[11];
	if (!date) {
		kf_time_format_date(c->now, today);
		date = today;
	}
	sscanf(date, "%4d-%2d-%2d", y, m, d);
}

int kf_app_customer_care(struct kf_ctx *c, const char *date, int limit,
			 struct kf_customer_care *out, struct kf_err *err)
{
	struct kf_db *db;
	const struct kf_policy *pol;
	int rc, y, m, d;
	memset(out, 0, sizeof *out);
	if ((rc = kf_ctx_require(c, KF_PERM_CUSTOMERS_READ, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	day_of(c, date, &y, &m, &d);
	snprintf(out->date, sizeof out->date, "%04d-%02d-%02d", y, m, d);

	/* C-4: every grade's birthdays of the day. A 29 February birthday is
	 * remembered on 28 February in other years. */
	struct kf_customer_filter f = {.limit = limit + 1};
	char md[6], feb29[6] = "02-29";
	snprintf(md, sizeof md, "%02d-%02d", m, d);
	f.birthdays[0] = md;
	if (m == 2 && d == 28 && !leap(y))
		f.birthdays[1] = feb29;
	if ((rc = kf_store_customer_list(db, &f, c->arena, &out->birthdays, &out->nbirthdays, err)))
		return rc;
	if (out->nbirthdays > limit) {
		out->nbirthdays = limit;
		out->birthdays_more = true;
	}

	/* Holidays from the date to holiday_lead_days after it. */
	int64_t lead = kf_policy_int(pol, "customers.care.holiday_lead_days");
	const json_t *annual = kf_policy_get(pol, "customers.care.annual_holidays");
	const json_t *dated = kf_policy_get(pol, "customers.care.dated_holidays");
	out->holidays = kf_arena_zalloc(c->arena, sizeof *out->holidays * (size_t)(2 * lead + 2));
	int64_t day0 = days_from_civil(y, m, d);
	for (int64_t k = 0; k <= lead; k++) {
		int hy, hm, hd;
		char key[11];
		civil_from_days(day0 + k, &hy, &hm, &hd);
		snprintf(key, sizeof key, "%04d-%02d-%02d", hy, hm, hd);
		const json_t *names[2] = {json_object_get(annual, key + 5),
					  json_object_get(dated, key)};
		for (int j = 0; j < 2; j++) {
			if (!json_is_string(names[j]))
				continue;
			out->holidays[out->nholidays].date = kf_arena_strdup(c->arena, key);
			out->holidays[out->nholidays++].name =
			    kf_arena_strdup(c->arena, json_string_value(names[j]));
		}
	}

	/* Before a holiday, the chosen grades' customers to greet. */
	const json_t *greet = kf_policy_get(pol, "customers.care.holiday_greet_grades");
	int ngrades = (int)json_array_size(greet);
	if (out->nholidays > 0 && ngrades > 0) {
		const char **grades = kf_arena_alloc(c->arena, sizeof *grades * (size_t)ngrades);
		for (int i = 0; i < ngrades; i++)
			grades[i] = json_string_value(json_array_get(greet, (size_t)i));
		struct kf_customer_filter g = {
		    .grades = grades, .ngrades = ngrades, .limit = limit + 1};
		if ((rc = kf_store_customer_list(db, &g, c->arena, &out->greet, &out->ngreet, err)))
			return rc;
		if (out->ngreet > limit) {
			out->ngreet = limit;
			out->greet_more = true;
		}
	}
	if ((rc = reveal_all(c, db, out->birthdays, out->nbirthdays, &out->birthdays_revealed,
			     "care", err)) ||
	    (rc = reveal_all(c, db, out->greet, out->ngreet, &out->greet_revealed, "care", err)))
		return rc;
	return 0;
}

int kf_app_customer_callbacks_due(struct kf_ctx *c, const char *date, int64_t after_id, int limit,
				  struct kf_customer **items, bool **revealed, int *n, bool *more,
				  struct kf_err *err)
{
	struct kf_db *db;
	const struct kf_policy *pol;
	int rc, y, m, d;
	*n = 0;
	*more = false;
	if ((rc = kf_ctx_require(c, KF_PERM_CUSTOMERS_READ, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	day_of(c, date, &y, &m, &d);
	/* C-5: a customer of a grade called back every N months is due on
	 * date D when never called back, or when the last callback was on
	 * D − N months or earlier (the month's last day when D's day does not
	 * exist in it): last_callback_at before the local midnight that ends
	 * that day. */
	const json_t *by_grade = kf_policy_get(pol, "customers.callback_interval_months_by_grade");
	int ngrades = (int)json_object_size(by_grade);
	const char **grades = kf_arena_alloc(c->arena, sizeof *grades * (size_t)(ngrades + 1));
	int64_t *cutoffs = kf_arena_alloc(c->arena, sizeof *cutoffs * (size_t)(ngrades + 1));
	int i = 0;
	const char *grade;
	json_t *months;
	json_object_foreach((json_t *)by_grade, grade, months)
	{
		int64_t total = (int64_t)y * 12 + (m - 1) - json_integer_value(months);
		int cy = (int)(total / 12), cm = (int)(total % 12) + 1;
		int cd = d > month_days(cy, cm) ? month_days(cy, cm) : d;
		int ny, nm, nd;
		civil_from_days(days_from_civil(cy, cm, cd) + 1, &ny, &nm, &nd);
		char next[11];
		snprintf(next, sizeof next, "%04d-%02d-%02d", ny, nm, nd);
		int64_t midnight;
		/* A cutoff before the calendar kefu keeps (1900) means nobody was
		 * called back that long ago: everyone of the grade is due. */
		if (!kf_time_parse_date(next, &midnight))
			midnight = INT64_MIN / 2;
		grades[i] = grade;
		cutoffs[i++] = midnight;
	}
	if ((rc = kf_store_customer_callbacks_due(db, grades, cutoffs, i, after_id, limit + 1,
						  c->arena, items, n, err)))
		return rc;
	if (*n > limit) {
		*n = limit;
		*more = true;
	}
	return reveal_all(c, db, *items, *n, revealed, "callbacks_due", err);
}

/* ---- JSON ---- */

/* A personal field: as stored when revealed, masked otherwise (C-3). */
static void w_personal(struct kf_jsonw *w, const char *key, const char *s, enum kind k,
		       bool revealed)
{
	char out[KF_PRIVACY_MASK_MAX];
	kf_jsonw_kstr(w, key, revealed ? s : mask(s, k, out));
}

static void w_instant(struct kf_jsonw *w, const char *key, int64_t ms)
{
	char buf[40];
	kf_time_format(ms, buf);
	kf_jsonw_kstr(w, key, buf);
}

void kf_app_customer_write(struct kf_jsonw *w, const struct kf_customer *cu, bool revealed)
{
	kf_jsonw_obj_begin(w);
	kf_jsonw_key(w, "id");
	kf_jsonw_int_str(w, cu->id);
	kf_jsonw_kstr(w, "name", cu->name);
	/* C-3: personal data masked unless this person verified the caller. */
	w_personal(w, "phone", cu->phone, PHONE, revealed);
	w_personal(w, "alt_phone", cu->alt_phone, PHONE, revealed);
	w_personal(w, "email", cu->email, EMAIL, revealed);
	w_personal(w, "address", cu->address, ADDRESS, revealed);
	w_personal(w, "id_number", cu->id_number, ID_NUMBER, revealed);
	kf_jsonw_kstr(w, "company", cu->company);
	kf_jsonw_kstr(w, "grade", cu->grade);
	kf_jsonw_kstr(w, "birthday", cu->birthday);
	/* tags: the stored JSON array; anything else shows as []. */
	kf_jsonw_key(w, "tags");
	if (!cu->tags || !kf_jsonw_stored(w, cu->tags, true)) {
		kf_jsonw_arr_begin(w);
		kf_jsonw_arr_end(w);
	}
	kf_jsonw_kstr(w, "notes", cu->notes);
	if (cu->last_callback_at) {
		w_instant(w, "last_callback_at", cu->last_callback_at);
	} else {
		kf_jsonw_key(w, "last_callback_at");
		kf_jsonw_null(w);
	}
	kf_jsonw_kbool(w, "masked", !revealed);
	w_instant(w, "created_at", cu->created_at);
	w_instant(w, "updated_at", cu->updated_at);
	kf_jsonw_kint(w, "version", cu->version);
	kf_jsonw_obj_end(w);
}

/* One definition of the shape: the written text, parsed. */
json_t *kf_app_customer_json(const struct kf_customer *cu, bool revealed)
{
	struct kf_jsonw w;
	json_error_t je;
	kf_jsonw_init(&w);
	kf_app_customer_write(&w, cu, revealed);
	json_t *o = json_loadb(w.b.data, w.b.len, 0, &je);
	kf_jsonw_release(&w);
	return o ? o : json_object();
}

json_t *kf_app_customer_verification_json(const struct kf_customer_verification *v)
{
	char at[40], until[40];
	kf_time_format(v->at, at);
	kf_time_format(v->expires_at, until);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_sprintf("%lld", (long long)v->id));
	json_object_set_new(o, "customer_id", json_sprintf("%lld", (long long)v->customer_id));
	json_object_set_new(o, "user_id", json_sprintf("%lld", (long long)v->user_id));
	json_object_set_new(o, "method", json_string(v->method));
	json_object_set_new(o, "passed", json_boolean(v->passed));
	json_object_set_new(o, "at", json_string(at));
	json_object_set_new(o, "expires_at", v->passed ? json_string(until) : json_null());
	return o;
}
