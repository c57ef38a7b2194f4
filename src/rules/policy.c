/* The policy document (SPEC P-1 … P-4): parsing, validation and lookup.
 *
 * The shipped default is the schema. Validation runs four passes, each stopping at the
 * first problem so that the error names exactly one key:
 *  1. shape: the document against the default, after the default's own presets are
 *     applied (so a section's preset values count as its keys). Unknown keys and wrong
 *     types are refused. Where the default has no example value (an empty free-key map
 *     or list) the rule table below supplies the type.
 *  2. merge: the document over the default. Fixed mappings merge key by key; free-key
 *     maps and lists are replaced whole so that entries can be removed, except the
 *     presets groups, which merge so that an organisation's presets sit beside the
 *     shipped ones. Then every section with a `preset:` key takes the chosen preset's
 *     values, and after them the keys the document itself wrote in that section.
 *  3. rules: every value of the result, the presets included, against the table of
 *     ranges, enumerations and formats. Every integer and string must be covered by
 *     some rule, so a key added to the default without a rule fails the unit test
 *     instead of going unchecked.
 *  4. cross-field rules (K-5 thresholds ascending, unique ticket prefixes, references
 *     to grades, shifts and rule sets).
 *
 * Nothing here does I/O, reads the clock or touches the store: the time zone is checked
 * for its form only, and the caller checks that it exists. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/policy.h"
#include "util/embed.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "util/yaml.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PATH_LEN      512
/* 100 million yuan: far above any amount in the seeds, far below int64 overflow. */
#define MONEY_MAX 10000000000LL

struct kf_policy {
	atomic_int refs;
	json_t *values; /* the default merged with the document, presets applied */
};

enum kind {
	K_INT,	    /* integer in [min, max] */
	K_ENUM,	    /* string, one of `allowed` (space-separated) */
	K_TIME,	    /* "HH:MM", 00:00 to 23:59 */
	K_END_TIME, /* "HH:MM", 00:00 to 24:00: the end of a shift or period */
	K_DATE,	    /* "YYYY-MM-DD", a real calendar date */
	K_MONTHDAY, /* "MM-DD", a real day of some year (02-29 allowed) */
	K_ZONE,	    /* an IANA time zone name, by form only */
	K_PREFIX,   /* two uppercase ASCII letters (T-4) */
	K_TEXT,	    /* text of min to max characters, no control characters */
	K_NAME,	    /* [a-z][a-z0-9_]{0,31}: shift, rule set and preset names */
	K_GRADE,    /* [A-Za-z0-9_]{1,16}: customer grades (C-2) */
	K_MAP,	    /* a mapping with free keys of kind `key`, at most max entries */
	K_LIST,	    /* a list of min to max entries */
};

enum {
	F_UNIQUE = 1, /* K_LIST: no entry twice */
	F_MERGE = 2,  /* K_MAP: a document's map merges with the default's, not replaces it */
	F_UNITS = 4,  /* applies to integers only: the safety net for units named in keys */
};

/* One constraint. `pattern` is a dotted path in which `*` matches one key or list
 * index, `*_fen` any key ending in "_fen", and a leading `**` any number of keys. All
 * rules matching a value apply, in table order, so specific rules come before the
 * generic ones and give the more precise message. */
struct rule {
	const char *pattern;
	enum kind kind;
	int64_t min, max;    /* K_INT: value; K_TEXT: characters; K_LIST, K_MAP: entries */
	const char *allowed; /* K_ENUM values, or the key values of a K_MAP with K_ENUM keys */
	enum kind key;	     /* K_MAP: what its keys must be */
	unsigned flags;
};

#define INT(p, lo, hi)                                                                             \
	{                                                                                          \
		p, K_INT, lo, hi, NULL, K_INT, 0                                                   \
	}
#define UNIT(p, lo, hi)                                                                            \
	{                                                                                          \
		p, K_INT, lo, hi, NULL, K_INT, F_UNITS                                             \
	}
#define STR(p, k)                                                                                  \
	{                                                                                          \
		p, k, 0, 0, NULL, K_INT, 0                                                         \
	}
#define TEXT(p, n)                                                                                 \
	{                                                                                          \
		p, K_TEXT, 1, n, NULL, K_INT, 0                                                    \
	}
#define ENUM(p, a)                                                                                 \
	{                                                                                          \
		p, K_ENUM, 0, 0, a, K_INT, 0                                                       \
	}
#define LIST(p, lo, hi, f)                                                                         \
	{                                                                                          \
		p, K_LIST, lo, hi, NULL, K_INT, f                                                  \
	}
#define MAP(p, hi, k, a, f)                                                                        \
	{                                                                                          \
		p, K_MAP, 0, hi, a, k, f                                                           \
	}

static const char roles[] = "agent technician team_lead supervisor manager vp gm analyst admin";
static const char ticket_types[] = "complaint inquiry query repair suggestion help service";
static const char weekdays[] = "mon tue wed thu fri sat sun";
static const char windows[] = "calendar_month calendar_quarter calendar_year rolling_12_months";
static const char priorities[] = "normal urgent critical";
static const char severities[] = "general major crisis";

static const struct rule rules[] = {
    /* P-3 */
    STR("timezone", K_ZONE),
    /* P-2: a preset choice names a preset; that it exists is checked when presets
     * apply. Groups map preset names to values shaped like their section. */
    STR("**.preset", K_NAME),
    MAP("presets.*", 64, K_NAME, NULL, F_MERGE),
    /* */
    INT("staff.monthly_base_salary_fen.*", 0, MONEY_MAX),
    /* C-2 … C-5 */
    LIST("customers.grades", 1, 32, F_UNIQUE),
    STR("customers.grades.*", K_GRADE),
    INT("customers.verification_unmask_minutes", 1, 1439),
    MAP("customers.callback_interval_months_by_grade", 32, K_GRADE, NULL, 0),
    INT("customers.callback_interval_months_by_grade.*", 1, 60),
    LIST("customers.care.holiday_greet_grades", 0, 32, F_UNIQUE),
    STR("customers.care.holiday_greet_grades.*", K_GRADE),
    INT("customers.care.holiday_lead_days", 0, 30),
    MAP("customers.care.annual_holidays", 366, K_MONTHDAY, NULL, 0),
    TEXT("customers.care.annual_holidays.*", 100),
    MAP("customers.care.dated_holidays", 1000, K_DATE, NULL, 0),
    TEXT("customers.care.dated_holidays.*", 100),
    /* T-4, T-9 */
    STR("tickets.number_prefix_by_type.*", K_PREFIX),
    ENUM("tickets.priority.default", priorities),
    LIST("tickets.priority.critical_customer_grades", 0, 32, F_UNIQUE),
    STR("tickets.priority.critical_customer_grades.*", K_GRADE),
    LIST("tickets.priority.critical_complaint_severities", 0, 3, F_UNIQUE),
    ENUM("tickets.priority.critical_complaint_severities.*", severities),
    /* L-1 … L-10: a deadline of zero would make every ticket overdue at birth. */
    INT("deadlines.l1_answer_phone_seconds", 1, 600),
    INT("deadlines.l2_chat_greeting_seconds", 1, 3600),
    INT("deadlines.l3_chat_reply_seconds", 1, 3600),
    INT("deadlines.l4_complaint_callback_days", 1, 365),
    INT("deadlines.l5_delay_status_hours", 1, 8760),
    INT("deadlines.l6_reply_hours", 1, 8760),
    INT("deadlines.l7_report_days", 1, 365),
    INT("deadlines.l8_close_days", 1, 365),
    INT("deadlines.l9_review_days", 1, 365),
    INT("deadlines.l10_dispatch_days", 1, 31),
    LIST("deadlines.business_hours.types", 0, 7, F_UNIQUE),
    ENUM("deadlines.business_hours.types.*", ticket_types),
    STR("deadlines.business_hours.start", K_TIME),
    STR("deadlines.business_hours.end", K_END_TIME),
    LIST("deadlines.business_hours.weekdays", 1, 7, F_UNIQUE),
    ENUM("deadlines.business_hours.weekdays.*", weekdays),
    /* K-5, K-8 */
    INT("complaints.approval.*_fen", 1, MONEY_MAX),
    INT("complaints.monthly_review_before_day", 2, 28),
    /* D-3 */
    INT("dispatch.on_site_fee_max_fen", 0, MONEY_MAX),
    /* V-1, V-2 */
    INT("callbacks.due_days_after_close", 1, 365),
    INT("callbacks.survey_link_valid_days", 1, 365),
    /* H-2, H-4 */
    INT("chat.away_max_minutes", 1, 1439),
    TEXT("chat.away_auto_reply", 500),
    STR("language.default_rule_set", K_NAME),
    MAP("language.rule_sets", 64, K_NAME, NULL, 0),
    LIST("language.rule_sets.*.*", 0, 500, F_UNIQUE),
    TEXT("language.rule_sets.*.required_phrases.*", 50),
    TEXT("language.rule_sets.*.closing_phrases.*", 50),
    TEXT("language.rule_sets.*.forbidden_phrases.*.phrase", 50),
    TEXT("language.rule_sets.*.forbidden_phrases.*.suggestion", 200),
    /* W-1, W-3 */
    MAP("workforce.shifts.templates", 16, K_NAME, NULL, 0),
    STR("workforce.shifts.templates.*.start", K_TIME),
    STR("workforce.shifts.templates.*.end", K_END_TIME),
    INT("workforce.coverage.min_agents_per_shift", 0, 1000),
    MAP("workforce.coverage.by_shift", 16, K_NAME, NULL, 0),
    INT("workforce.coverage.by_shift.*", 0, 1000),
    MAP("workforce.coverage.by_weekday", 7, K_ENUM, weekdays, 0),
    INT("workforce.coverage.by_weekday.*", 0, 1000),
    MAP("workforce.coverage.by_date", 1000, K_DATE, NULL, 0),
    INT("workforce.coverage.by_date.*", 0, 1000),
    INT("workforce.coverage.erlang_c.target_answered_percent", 1, 99),
    INT("workforce.coverage.erlang_c.target_answer_seconds", 1, 3600),
    /* W-4 */
    INT("workforce.rest.max_consecutive_work_days", 1, 31),
    INT("workforce.rest.min_rest_days_per_month", 0, 31),
    INT("workforce.rest.*_between_shifts_hours", 0, 24),
    /* W-8, W-9, W-11, W-12 */
    INT("workforce.leave.notice.*_hours", 0, 720),
    INT("workforce.leave.supervisor_up_to_days", 0, 366),
    STR("workforce.leave.late_shift_request_before", K_TIME),
    INT("workforce.leave.emergency_phone_notice_hours", 1, 720),
    /* W-13 */
    INT("workforce.swaps.max_per_person_per_month", 0, 31),
    /* W-15, W-16 */
    INT("workforce.attendance.*_minutes", 1, 1439),
    INT("workforce.handover.*_minutes", 0, 240),
    /* E-1 … E-3, E-14 */
    INT("evaluation.weights_percent.*", 0, 100),
    INT("evaluation.resolution_reopen_window_days", 1, 366),
    INT("evaluation.quarterly_grade_min_score.*", 0, 100),
    INT("evaluation.monthly_pass_score", 0, 100),
    /* E-7 … E-10 (E-4 … E-6 are covered by the unit rules at the end) */
    ENUM("fines.*.count_window", windows),
    INT("fines.conduct.*_from_count", 1, 100),
    INT("fines.conduct.drinking_suspension_days", 0, 30),
    INT("fines.conduct.private_call_cost_multiple", 0, 10),
    INT("fines.conduct.distraction_warnings_before_fine", 0, 10),
    LIST("fines.service_complaint.fen_by_occurrence", 1, 12, 0),
    INT("fines.service_complaint.fen_by_occurrence.*", 0, MONEY_MAX),
    INT("fines.service_complaint.propose_dismissal_from_count", 0, 100),
    INT("fines.joint_liability.supervisor_multiple", 1, 10),
    /* S-1, S-2, S-5, H-7 */
    INT("security.password.min_length", 8, 128),
    INT("security.login_throttle.*_after_failures", 1, 100000),
    INT("security.login_throttle.slow_down_seconds", 1, 60),
    INT("security.login_throttle.*_minutes", 1, 1439),
    INT("security.session.lifetime_hours", 1, 720),
    INT("security.session.idle_minutes", 1, 1439),
    INT("security.sign_in.grace_minutes", 0, 720),
    LIST("security.sign_in.exempt_roles", 0, 9, F_UNIQUE),
    ENUM("security.sign_in.exempt_roles.*", roles),
    LIST("security.export_roles.*", 0, 9, F_UNIQUE),
    ENUM("security.export_roles.*.*", roles),
    /* B-5 */
    STR("meetings.*.start", K_TIME),
    INT("meetings.*.duration_minutes", 1, 480),
    ENUM("meetings.weekly.weekday", weekdays),
    /* O-3 */
    INT("reports.*_before_day", 2, 28),
    /* The unit a key names bounds it wherever it stands: durations are never negative
     * and minutes stay within a day, percentages within 0..100. */
    UNIT("**.*_seconds", 0, 86400),
    UNIT("**.*_minutes", 0, 1439),
    UNIT("**.*_hours", 0, 8760),
    UNIT("**.*_days", 0, 366),
    UNIT("**.*_months", 0, 120),
    UNIT("**.*_fen", 0, MONEY_MAX),
    UNIT("**.*_percent", 0, 100),
    UNIT("**.*_bp", 0, 10000),
    UNIT("**.*_points", 0, 100),
};

/* P-2: each presets group and the section whose `preset:` key chooses from it. */
static const struct preset_group {
	const char *group;
	const char *section;
} groups[] = {
    {"presets.shifts", "workforce.shifts"},
    {"presets.leave_notice", "workforce.leave.notice"},
    {"presets.missed_shift_penalty", "workforce.swaps.missed_shift_penalty"},
    {"presets.service_complaint_fines", "fines.service_complaint"},
    {"presets.weekly_meeting", "meetings.weekly"},
};

/* Where a value stands: `disp` is what errors name ("a.b[2].c"); `schema` is what rules
 * match ("a.b.2.c"), with a preset's values mapped to the section they fill, so that
 * presets.shifts.seed004.templates is checked as workforce.shifts.templates. */
struct path {
	char disp[PATH_LEN];
	char schema[PATH_LEN];
};

/* Shape checking needs the default (with its presets applied) and the error. */
struct ctx {
	const json_t *schema;
	struct kf_err *err;
};

static int bad(struct kf_err *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct kf_err *err, const char *field, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!field[0])
		return kf_err_field(err, KF_EINVALID, field, "%s", msg);
	return kf_err_field(err, KF_EINVALID, field, "%s: %s", field, msg);
}

/* Appends "<sep><b>" to a (no separator when a is empty), truncating at PATH_LEN:
 * only over-long keys get there, and they are refused as unknown or malformed. */
static void join(char *out, const char *a, char sep, const char *b)
{
	size_t an = strlen(a), bn = strlen(b), n = 0;

	if (an > PATH_LEN - 1)
		an = PATH_LEN - 1;
	memmove(out, a, an);
	n = an;
	if (an && sep && n < PATH_LEN - 1)
		out[n++] = sep;
	if (bn > PATH_LEN - 1 - n)
		bn = PATH_LEN - 1 - n;
	memcpy(out + n, b, bn);
	out[n + bn] = '\0';
}

static const struct preset_group *group_at(const char *schema)
{
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		if (!strcmp(groups[i].group, schema))
			return &groups[i];
	return NULL;
}

static void child_key(const struct path *up, const char *key, struct path *out)
{
	const struct preset_group *g = group_at(up->schema);

	join(out->disp, up->disp, '.', key);
	if (g)
		join(out->schema, g->section, 0, "");
	else
		join(out->schema, up->schema, '.', key);
}

static void child_index(const struct path *up, size_t i, struct path *out)
{
	char idx[32];

	snprintf(idx, sizeof idx, "[%zu]", i);
	join(out->disp, up->disp, 0, idx);
	snprintf(idx, sizeof idx, "%zu", i);
	join(out->schema, up->schema, '.', idx);
}

static void path_set(struct path *p, const char *where)
{
	join(p->disp, where, 0, "");
	join(p->schema, where, 0, "");
}

static bool seg_match(const char *p, size_t pn, const char *s, size_t sn)
{
	if (pn == 1 && p[0] == '*')
		return true;
	if (pn > 1 && p[0] == '*')
		return sn >= pn - 1 && !memcmp(s + sn - (pn - 1), p + 1, pn - 1);
	return pn == sn && !memcmp(p, s, pn);
}

static bool path_match(const char *pat, const char *path)
{
	const char *pe = strchr(pat, '.');
	size_t pn = pe ? (size_t)(pe - pat) : strlen(pat);

	if (pn == 2 && !memcmp(pat, "**", 2)) {
		if (!pe)
			return true;
		for (const char *s = path;;) {
			if (path_match(pe + 1, s))
				return true;
			s = strchr(s, '.');
			if (!s)
				return false;
			s++;
		}
	}
	const char *se = strchr(path, '.');
	size_t sn = se ? (size_t)(se - path) : strlen(path);
	if (!seg_match(pat, pn, path, sn))
		return false;
	if (!pe || !se)
		return !pe && !se;
	return path_match(pe + 1, se + 1);
}

static const struct rule *rule_for(const char *schema, bool map_only)
{
	if (!schema[0])
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if ((!map_only || rules[i].kind == K_MAP) && path_match(rules[i].pattern, schema))
			return &rules[i];
	return NULL;
}

/* A free-key map whose document value replaces the default's whole. */
static bool replaced_whole(const char *schema)
{
	const struct rule *m = rule_for(schema, true);
	return m && !(m->flags & F_MERGE);
}

/* Walks a dotted path; a segment of digits indexes a list. */
static json_t *lookup(const json_t *root, const char *path)
{
	json_t *v = (json_t *)root;
	const char *s = path;

	while (v && *s) {
		const char *e = strchr(s, '.');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char key[PATH_LEN];

		if (n >= sizeof key)
			return NULL;
		memcpy(key, s, n);
		key[n] = '\0';
		if (json_is_object(v)) {
			v = json_object_get(v, key);
		} else if (json_is_array(v) && n > 0 && strspn(key, "0123456789") == n) {
			char *end;
			unsigned long long i = strtoull(key, &end, 10);
			v = json_array_get(v, (size_t)i);
		} else {
			return NULL;
		}
		s = e ? e + 1 : s + n;
	}
	return v;
}

static json_type type_of_kind(enum kind k)
{
	switch (k) {
	case K_INT:
		return JSON_INTEGER;
	case K_MAP:
		return JSON_OBJECT;
	case K_LIST:
		return JSON_ARRAY;
	default:
		return JSON_STRING;
	}
}

static bool same_type(const json_t *v, json_type want)
{
	if (want == JSON_TRUE || want == JSON_FALSE)
		return json_is_boolean(v);
	return json_typeof(v) == want;
}

static const char *type_words(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "a mapping";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE:
		return "true or false";
	default:
		return "empty (null)";
	}
}

static int bad_type(struct kf_err *err, const char *field, const json_t *v, json_type want)
{
	switch (want) {
	case JSON_INTEGER:
		if (json_is_real(v))
			return bad(err, field,
				   "must be a whole number, not %g (money is in fen, durations in "
				   "whole units)",
				   json_real_value(v));
		return bad(err, field, "must be an integer, not %s", type_words(v));
	case JSON_STRING:
		if (json_is_number(v) || json_is_boolean(v))
			return bad(err, field, "must be a string, not %s (put it in quotes)",
				   type_words(v));
		return bad(err, field, "must be a string, not %s", type_words(v));
	case JSON_TRUE:
	case JSON_FALSE:
		return bad(err, field, "must be true or false, not %s", type_words(v));
	case JSON_ARRAY:
		return bad(err, field, "must be a list, not %s", type_words(v));
	case JSON_OBJECT:
		return bad(err, field, "must be a mapping, not %s", type_words(v));
	default:
		return bad(err, field, "has the wrong type (%s)", type_words(v));
	}
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static bool valid_time(const char *s, bool end)
{
	if (strlen(s) != 5 || s[2] != ':' || !digits(s, 2) || !digits(s + 3, 2))
		return false;
	int h = num2(s), m = num2(s + 3);
	if (end && h == 24 && m == 0)
		return true;
	return h < 24 && m < 60;
}

static bool valid_monthday(const char *s, int year)
{
	if (strlen(s) != 5 || s[2] != '-' || !digits(s, 2) || !digits(s + 3, 2))
		return false;
	int m = num2(s), d = num2(s + 3);
	return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(year, m);
}

static bool valid_date(const char *s)
{
	if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-')
		return false;
	int y = num2(s) * 100 + num2(s + 2);
	return y >= 1900 && valid_monthday(s + 5, y);
}

/* IANA names: "Asia/Shanghai", "America/Argentina/Buenos_Aires", "Etc/GMT-8", "UTC".
 * Only the form is checked here (rules/ does no file I/O); no "..", no empty part. */
static bool valid_zone(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/+-") != n)
		return false;
	return s[n - 1] != '/' && !strstr(s, "//") && !strstr(s, "..");
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 32 && s[0] >= 'a' && s[0] <= 'z' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static bool valid_grade(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 16 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static bool valid_text(const char *s, int64_t min, int64_t max)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	size_t n = kf_utf8_len(s);
	return (int64_t)n >= min && (int64_t)n <= max;
}

static bool in_words(const char *words, const char *s)
{
	size_t n = strlen(s);

	for (const char *w = words; *w;) {
		size_t wn = strcspn(w, " ");
		if (wn == n && !memcmp(w, s, n))
			return true;
		w += wn;
		w += strspn(w, " ");
	}
	return false;
}

static bool string_ok(enum kind k, const struct rule *r, const char *s)
{
	switch (k) {
	case K_ENUM:
		return in_words(r->allowed, s);
	case K_TIME:
		return valid_time(s, false);
	case K_END_TIME:
		return valid_time(s, true);
	case K_DATE:
		return valid_date(s);
	case K_MONTHDAY:
		return valid_monthday(s, 2000);
	case K_ZONE:
		return valid_zone(s);
	case K_PREFIX:
		return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
	case K_TEXT:
		return valid_text(s, r->min, r->max);
	case K_NAME:
		return valid_name(s);
	case K_GRADE:
		return valid_grade(s);
	default:
		return false;
	}
}

/* What a string of kind k must look like, for messages. */
static const char *describe(enum kind k, const struct rule *r, char *buf, size_t n)
{
	switch (k) {
	case K_ENUM: {
		size_t used = (size_t)snprintf(buf, n, "one of: ");
		for (const char *a = r->allowed; *a && used + 3 < n; a++) {
			if (*a == ' ') {
				buf[used++] = ',';
				buf[used++] = ' ';
			} else {
				buf[used++] = *a;
			}
		}
		buf[used < n ? used : n - 1] = '\0';
		return buf;
	}
	case K_TIME:
		return "a time of day as \"HH:MM\" from 00:00 to 23:59";
	case K_END_TIME:
		return "a time of day as \"HH:MM\" from 00:00 to 24:00";
	case K_DATE:
		return "a date as \"YYYY-MM-DD\"";
	case K_MONTHDAY:
		return "a day of the year as \"MM-DD\"";
	case K_ZONE:
		return "a time zone name such as \"Asia/Shanghai\" (letters, digits, _ / + -)";
	case K_PREFIX:
		return "two uppercase letters A-Z";
	case K_TEXT:
		snprintf(buf, n, "text of %lld to %lld characters without control characters",
			 (long long)r->min, (long long)r->max);
		return buf;
	case K_NAME:
		return "a name of 1 to 32 lowercase letters, digits and underscores, starting "
		       "with a letter";
	case K_GRADE:
		return "a grade name of 1 to 16 letters, digits or underscores";
	default:
		return "valid";
	}
}

static int check_key(struct kf_err *err, const struct rule *m, const char *key,
		     const struct path *at)
{
	char what[256];

	if (string_ok(m->key, m, key))
		return 0;
	return bad(err, at->disp, "key must be %s", describe(m->key, m, what, sizeof what));
}

static int check_shape(struct ctx *c, const json_t *v, const json_t *tmpl, const struct path *at,
		       bool complete);

/* A free-key map: every key has the form the rule names, every value the shape of the
 * default's first entry (or of the section, for a presets group). Entries of a map
 * that is replaced whole must be complete, since nothing fills their gaps; preset
 * entries may be partial because they are applied over the section. */
static int check_free_map(struct ctx *c, const json_t *v, const json_t *tmpl, const struct path *at,
			  const struct rule *m)
{
	const struct preset_group *g = group_at(at->schema);
	json_t *entry_tmpl = NULL;
	bool complete = true;
	const char *key;
	json_t *val;
	int rc = 0;

	if (g) {
		const json_t *sec = lookup(c->schema, g->section);
		if (sec) {
			entry_tmpl = json_deep_copy(sec);
			json_object_del(entry_tmpl, "preset");
		}
		complete = false;
	} else if (tmpl) {
		void *it = json_object_iter((json_t *)tmpl);
		entry_tmpl = json_incref(it ? json_object_iter_value(it) : NULL);
	}
	json_object_foreach((json_t *)v, key, val)
	{
		struct path sub;
		child_key(at, key, &sub);
		if ((rc = check_key(c->err, m, key, &sub)))
			goto out;
		if ((rc = check_shape(c, val, entry_tmpl, &sub, complete)))
			goto out;
	}
out:
	json_decref(entry_tmpl);
	return rc;
}

/* Checks the document value v against tmpl, its counterpart in the default. Where the
 * default has no counterpart (entries of an empty free map or list), the first rule
 * matching the path gives the type; where there is none either, the key is unknown. */
static int check_shape(struct ctx *c, const json_t *v, const json_t *tmpl, const struct path *at,
		       bool complete)
{
	const char *key;
	json_t *val, *t;
	json_type want;
	struct path sub;
	int rc;

	if (tmpl) {
		want = json_typeof(tmpl);
	} else {
		const struct rule *r = rule_for(at->schema, false);
		if (!r)
			return bad(c->err, at->disp, "unknown key");
		want = type_of_kind(r->kind);
	}
	if (!same_type(v, want))
		return bad_type(c->err, at->disp, v, want);
	if (json_is_array(v)) {
		const json_t *et = tmpl ? json_array_get(tmpl, 0) : NULL;
		for (size_t i = 0; i < json_array_size(v); i++) {
			child_index(at, i, &sub);
			if ((rc = check_shape(c, json_array_get(v, i), et, &sub, true)))
				return rc;
		}
		return 0;
	}
	if (!json_is_object(v))
		return 0;
	const struct rule *m = rule_for(at->schema, true);
	if (m && at->schema[0])
		return check_free_map(c, v, tmpl, at, m);
	if (!tmpl)
		tmpl = json_object();
	else
		json_incref((json_t *)tmpl);
	rc = 0;
	json_object_foreach((json_t *)v, key, val)
	{
		child_key(at, key, &sub);
		t = json_object_get(tmpl, key);
		if (!t) {
			rc = bad(c->err, sub.disp, "unknown key");
			goto out;
		}
		if ((rc = check_shape(c, val, t, &sub, complete)))
			goto out;
	}
	if (complete) {
		json_object_foreach((json_t *)tmpl, key, t)
		{
			if (json_object_get(v, key))
				continue;
			child_key(at, key, &sub);
			rc = bad(c->err, sub.disp,
				 "is missing; every entry of %s needs all of its keys", at->disp);
			goto out;
		}
	}
out:
	json_decref((json_t *)tmpl);
	return rc;
}

/* Applies src over dst: mappings merge key by key, except free-key maps that a
 * document replaces whole; everything else is replaced. */
static void merge(json_t *dst, const json_t *src, const struct path *at)
{
	const char *key;
	json_t *sv;

	json_object_foreach((json_t *)src, key, sv)
	{
		struct path sub;
		json_t *dv = json_object_get(dst, key);
		child_key(at, key, &sub);
		if (json_is_object(dv) && json_is_object(sv) && !replaced_whole(sub.schema))
			merge(dv, sv, &sub);
		else
			json_object_set_new(dst, key, json_deep_copy(sv));
	}
}

/* P-2: each section with presets takes the chosen preset's values, then the keys the
 * document (if any) wrote in the section itself. */
static int apply_presets(json_t *root, const json_t *doc, struct kf_err *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
		const struct preset_group *g = &groups[i];
		json_t *sec = lookup(root, g->section), *grp = lookup(root, g->group);
		struct path at;

		if (!json_is_object(sec) || !json_is_object(grp))
			return kf_err_set(
			    err, KF_EINTERNAL,
			    "policy: the default lacks section %s or presets group %s", g->section,
			    g->group);
		const char *name = json_string_value(json_object_get(sec, "preset"));
		json_t *entry = name ? json_object_get(grp, name) : NULL;
		if (!entry) {
			char known[256] = "";
			const char *k;
			json_t *unused;
			json_object_foreach(grp, k, unused)
			{
				size_t n = strlen(known);
				snprintf(known + n, sizeof known - n, "%s%s", n ? ", " : "", k);
			}
			char field[PATH_LEN];
			join(field, g->section, '.', "preset");
			return bad(err, field, "unknown preset \"%s\"; %s has: %s",
				   name ? name : "", g->group, known);
		}
		path_set(&at, g->section);
		merge(sec, entry, &at);
		const json_t *dsec = doc ? lookup(doc, g->section) : NULL;
		if (json_is_object(dsec))
			merge(sec, dsec, &at);
	}
	return 0;
}

static int count_words(struct kf_err *err, const char *field, size_t n, const struct rule *r)
{
	if ((int64_t)n >= r->min && (int64_t)n <= r->max)
		return 0;
	if (r->min == 0)
		return bad(err, field, "must have at most %lld entries", (long long)r->max);
	return bad(err, field, "must have between %lld and %lld entries", (long long)r->min,
		   (long long)r->max);
}

static int apply_rule(struct kf_err *err, const struct rule *r, const json_t *v,
		      const struct path *at)
{
	char what[256];
	const char *key;
	json_t *val;
	int rc;

	switch (r->kind) {
	case K_INT:
		if (!json_is_integer(v) || json_integer_value(v) < r->min ||
		    json_integer_value(v) > r->max)
			return bad(err, at->disp, "must be an integer between %lld and %lld",
				   (long long)r->min, (long long)r->max);
		return 0;
	case K_LIST:
		if (!json_is_array(v))
			return bad_type(err, at->disp, v, JSON_ARRAY);
		if ((rc = count_words(err, at->disp, json_array_size(v), r)))
			return rc;
		if (!(r->flags & F_UNIQUE))
			return 0;
		for (size_t j = 1; j < json_array_size(v); j++) {
			for (size_t i = 0; i < j; i++) {
				if (!json_equal(json_array_get(v, i), json_array_get(v, j)))
					continue;
				struct path sub;
				child_index(at, j, &sub);
				if (json_is_string(json_array_get(v, j)))
					return bad(err, sub.disp, "repeats \"%s\" (entry %zu)",
						   json_string_value(json_array_get(v, j)), i);
				return bad(err, sub.disp, "repeats entry %zu of the list", i);
			}
		}
		return 0;
	case K_MAP:
		if (!json_is_object(v))
			return bad_type(err, at->disp, v, JSON_OBJECT);
		if ((rc = count_words(err, at->disp, json_object_size(v), r)))
			return rc;
		json_object_foreach((json_t *)v, key, val)
		{
			struct path sub;
			child_key(at, key, &sub);
			if ((rc = check_key(err, r, key, &sub)))
				return rc;
		}
		return 0;
	default:
		if (!json_is_string(v) || !string_ok(r->kind, r, json_string_value(v)))
			return bad(err, at->disp, "must be %s",
				   describe(r->kind, r, what, sizeof what));
		return 0;
	}
}

/* Pass 3: every rule matching each value of the merged document. */
static int check_rules(struct kf_err *err, const json_t *v, const struct path *at)
{
	bool covered = false;
	const char *key;
	json_t *val;
	struct path sub;
	int rc;

	for (size_t i = 0; at->schema[0] && i < ARRAY_SIZE(rules); i++) {
		const struct rule *r = &rules[i];
		if ((r->flags & F_UNITS) && !json_is_integer(v))
			continue;
		if (!path_match(r->pattern, at->schema))
			continue;
		covered = true;
		if ((rc = apply_rule(err, r, v, at)))
			return rc;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, val)
		{
			child_key(at, key, &sub);
			if ((rc = check_rules(err, val, &sub)))
				return rc;
		}
		return 0;
	case JSON_ARRAY:
		for (size_t i = 0; i < json_array_size(v); i++) {
			child_index(at, i, &sub);
			if ((rc = check_rules(err, json_array_get(v, i), &sub)))
				return rc;
		}
		return 0;
	case JSON_INTEGER:
	case JSON_STRING:
		if (!covered)
			return kf_err_field(err, KF_EINTERNAL, at->disp,
					    "%s: no rule in policy.c covers this key", at->disp);
		return 0;
	default:
		return 0;
	}
}

static int64_t ival(const json_t *root, const char *path)
{
	return json_integer_value(lookup(root, path));
}

static const char *sval(const json_t *root, const char *path)
{
	return json_string_value(lookup(root, path));
}

static bool list_has(const json_t *list, const char *s)
{
	for (size_t i = 0; i < json_array_size(list); i++)
		if (!strcmp(json_string_value(json_array_get(list, i)), s))
			return true;
	return false;
}

/* C-2: every grade named elsewhere is one of customers.grades. */
static int check_grade_list(const json_t *root, const char *path, struct kf_err *err)
{
	const json_t *grades = lookup(root, "customers.grades");
	const json_t *list = lookup(root, path);

	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *g = json_string_value(json_array_get(list, i));
		if (!list_has(grades, g)) {
			char field[PATH_LEN];
			snprintf(field, sizeof field, "%s[%zu]", path, i);
			return bad(err, field, "\"%s\" is not a grade in customers.grades", g);
		}
	}
	return 0;
}

/* W-1: a shift may run past midnight (end before start) but may not be empty. */
static int check_shift_templates(const json_t *templates, const char *where, struct kf_err *err)
{
	const char *name;
	json_t *t;

	json_object_foreach((json_t *)templates, name, t)
	{
		const char *start = json_string_value(json_object_get(t, "start"));
		const char *end = json_string_value(json_object_get(t, "end"));
		if (!strcmp(start, end)) {
			char field[PATH_LEN], tmp[PATH_LEN];
			join(tmp, where, '.', name);
			join(field, tmp, '.', "end");
			return bad(err, field,
				   "must differ from start (%s): a shift cannot be empty", start);
		}
	}
	return 0;
}

/* Pass 4: rules that relate several keys. */
static int check_cross(const json_t *root, struct kf_err *err)
{
	const char *k1, *k2;
	json_t *v1, *v2;
	int rc;

	/* T-4: each type its own prefix, so numbers say the type. */
	const json_t *prefixes = lookup(root, "tickets.number_prefix_by_type");
	json_object_foreach((json_t *)prefixes, k1, v1)
	{
		json_object_foreach((json_t *)prefixes, k2, v2)
		{
			if (k1 == k2)
				break;
			if (!json_equal(v1, v2))
				continue;
			char field[PATH_LEN];
			join(field, "tickets.number_prefix_by_type", '.', k1);
			return bad(err, field, "prefix \"%s\" is already used by %s",
				   json_string_value(v1), k2);
		}
	}

	/* K-5: manager, then VP, then GM as the amount grows. */
	int64_t mgr = ival(root, "complaints.approval.manager_up_to_fen");
	int64_t gm = ival(root, "complaints.approval.gm_from_fen");
	if (gm <= mgr)
		return bad(err, "complaints.approval.gm_from_fen",
			   "must be greater than complaints.approval.manager_up_to_fen (%lld): the "
			   "approval thresholds must ascend (K-5)",
			   (long long)mgr);

	/* W-1, in force and in every shift preset. */
	const json_t *templates = lookup(root, "workforce.shifts.templates");
	if ((rc = check_shift_templates(templates, "workforce.shifts.templates", err)))
		return rc;
	const json_t *shift_presets = lookup(root, "presets.shifts");
	json_object_foreach((json_t *)shift_presets, k1, v1)
	{
		char where[PATH_LEN], tmp[PATH_LEN];
		join(tmp, "presets.shifts", '.', k1);
		join(where, tmp, '.', "templates");
		if ((rc = check_shift_templates(json_object_get(v1, "templates"), where, err)))
			return rc;
	}

	/* W-3: coverage names shifts that exist. */
	const json_t *by_shift = lookup(root, "workforce.coverage.by_shift");
	json_object_foreach((json_t *)by_shift, k1, v1)
	{
		if (json_object_get(templates, k1))
			continue;
		char field[PATH_LEN];
		join(field, "workforce.coverage.by_shift", '.', k1);
		return bad(err, field, "no shift \"%s\" in workforce.shifts.templates", k1);
	}

	/* C-2, C-4, C-5, T-9: grades named elsewhere exist. */
	const json_t *grades = lookup(root, "customers.grades");
	const json_t *callbacks = lookup(root, "customers.callback_interval_months_by_grade");
	json_object_foreach((json_t *)callbacks, k1, v1)
	{
		if (list_has(grades, k1))
			continue;
		char field[PATH_LEN];
		join(field, "customers.callback_interval_months_by_grade", '.', k1);
		return bad(err, field, "\"%s\" is not a grade in customers.grades", k1);
	}
	if ((rc = check_grade_list(root, "customers.care.holiday_greet_grades", err)) ||
	    (rc = check_grade_list(root, "tickets.priority.critical_customer_grades", err)))
		return rc;

	/* H-4: the default rule set exists. */
	const char *set = sval(root, "language.default_rule_set");
	if (!json_object_get(lookup(root, "language.rule_sets"), set))
		return bad(err, "language.default_rule_set",
			   "no rule set \"%s\" in language.rule_sets", set);

	/* E-1: weights are shares of the score. */
	int64_t sum = 0;
	const json_t *weights = lookup(root, "evaluation.weights_percent");
	json_object_foreach((json_t *)weights, k1, v1) sum += json_integer_value(v1);
	if (sum != 100)
		return bad(err, "evaluation.weights_percent", "must add up to 100, not %lld",
			   (long long)sum);

	/* E-3: A above B above C. */
	int64_t a = ival(root, "evaluation.quarterly_grade_min_score.a");
	int64_t b = ival(root, "evaluation.quarterly_grade_min_score.b");
	int64_t c = ival(root, "evaluation.quarterly_grade_min_score.c");
	if (!(a > b))
		return bad(err, "evaluation.quarterly_grade_min_score.b",
			   "must be below a (%lld): grade thresholds must descend from A to C",
			   (long long)a);
	if (!(b > c))
		return bad(err, "evaluation.quarterly_grade_min_score.c",
			   "must be below b (%lld): grade thresholds must descend from A to C",
			   (long long)b);

	/* E-10: a range. */
	if (ival(root, "fines.data_leak.serious_min_fen") >
	    ival(root, "fines.data_leak.serious_max_fen"))
		return bad(err, "fines.data_leak.serious_max_fen",
			   "must not be below fines.data_leak.serious_min_fen");

	/* S-1: slowing down comes before locking; idle time fits in the lifetime. */
	int64_t slow = ival(root, "security.login_throttle.slow_down_after_failures");
	int64_t lock = ival(root, "security.login_throttle.lock_account_after_failures");
	if (slow >= lock)
		return bad(err, "security.login_throttle.lock_account_after_failures",
			   "must be greater than slow_down_after_failures (%lld)", (long long)slow);
	if (ival(root, "security.session.idle_minutes") >
	    ival(root, "security.session.lifetime_hours") * 60)
		return bad(err, "security.session.idle_minutes",
			   "must not exceed security.session.lifetime_hours");

	/* Business hours are one span within the day. */
	if (strcmp(sval(root, "deadlines.business_hours.start"),
		   sval(root, "deadlines.business_hours.end")) >= 0)
		return bad(err, "deadlines.business_hours.end", "must be later than start");
	return 0;
}

const char *kf_policy_default_text(void)
{
	const struct kf_embed *e = kf_embed_find("src/rules/policy_default.yaml");

	if (!e) {
		kf_log_error("policy: the default document is not embedded");
		abort();
	}
	return e->data;
}

/* The default with its own presets applied: the schema documents are checked against. */
static int load_schema(json_t **out, struct kf_err *err)
{
	const struct kf_embed *e = kf_embed_find("src/rules/policy_default.yaml");
	json_t *schema = NULL;
	int rc;

	if (!e)
		return kf_err_set(err, KF_EINTERNAL,
				  "policy: the default document is not embedded");
	if ((rc = kf_yaml_to_json(e->data, e->len, &schema, err)))
		goto out;
	if (!json_is_object(schema)) {
		rc = kf_err_set(err, KF_EINTERNAL, "the default is not a mapping");
		goto out;
	}
	if ((rc = apply_presets(schema, NULL, err)))
		goto out;
	*out = schema;
	schema = NULL;
out:
	json_decref(schema);
	if (rc && err) {
		/* A broken default is kefu's fault, whatever the detail says. */
		char detail[sizeof err->message];
		snprintf(detail, sizeof detail, "%s", err->message);
		kf_err_set(err, KF_EINTERNAL, "policy: the built-in default document: %s", detail);
	}
	return rc ? KF_EINTERNAL : 0;
}

int kf_policy_parse(const char *text, size_t len, struct kf_policy **out, struct kf_err *err)
{
	json_t *schema = NULL, *doc = NULL, *merged = NULL;
	struct path root;
	struct ctx c;
	int rc;

	*out = NULL;
	path_set(&root, "");
	if ((rc = load_schema(&schema, err)))
		goto out;
	if ((rc = kf_yaml_to_json(text, len, &doc, err)))
		goto out;
	if (!json_is_object(doc)) {
		rc = bad(err, "",
			 "the policy document must be a mapping of keys to values at "
			 "the top level, not %s",
			 type_words(doc));
		goto out;
	}
	c.schema = schema;
	c.err = err;
	if ((rc = check_shape(&c, doc, schema, &root, false)))
		goto out;
	merged = json_deep_copy(schema);
	merge(merged, doc, &root);
	if ((rc = apply_presets(merged, doc, err)))
		goto out;
	if ((rc = check_rules(err, merged, &root)))
		goto out;
	if ((rc = check_cross(merged, err)))
		goto out;

	struct kf_policy *p = kf_xcalloc(1, sizeof *p);
	atomic_init(&p->refs, 1);
	p->values = merged;
	merged = NULL;
	*out = p;
out:
	json_decref(merged);
	json_decref(doc);
	json_decref(schema);
	return rc;
}

struct kf_policy *kf_policy_ref(struct kf_policy *p)
{
	if (p)
		atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
	return p;
}

void kf_policy_unref(struct kf_policy *p)
{
	if (!p || atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1)
		return;
	json_decref(p->values);
	free(p);
}

const json_t *kf_policy_values(const struct kf_policy *p)
{
	return p->values;
}

const json_t *kf_policy_get(const struct kf_policy *p, const char *path)
{
	return lookup(p->values, path);
}

/* A typed lookup that finds nothing is a bug in the caller (validation guarantees
 * every key of the default), so it stops the program where the bug is. */
static const json_t *need(const json_t *v, const char *path, const char *what, bool ok)
{
	if (!v || !ok) {
		kf_log_error("policy: key %s is %s, not %s", path,
			     v ? "of another type" : "missing", what);
		abort();
	}
	return v;
}

int64_t kf_policy_int(const struct kf_policy *p, const char *path)
{
	const json_t *v = lookup(p->values, path);
	return json_integer_value(need(v, path, "an integer", json_is_integer(v)));
}

bool kf_policy_bool(const struct kf_policy *p, const char *path)
{
	const json_t *v = lookup(p->values, path);
	return json_is_true(need(v, path, "true or false", json_is_boolean(v)));
}

const char *kf_policy_str(const struct kf_policy *p, const char *path)
{
	const json_t *v = lookup(p->values, path);
	return json_string_value(need(v, path, "a string", json_is_string(v)));
}
