/* The Shift Scheduling Benchmark reader, its mapping onto the roster
 * optimiser and its own scorer (roster_ssb.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/roster_ssb.h"
#include "util/xmalloc.h"

enum section {
	SEC_NONE,
	SEC_HORIZON,
	SEC_SHIFTS,
	SEC_STAFF,
	SEC_DAYS_OFF,
	SEC_ON,
	SEC_OFF,
	SEC_COVER,
	SEC_COUNT
};

static const char *const sec_names[SEC_COUNT] = {"",
						 "SECTION_HORIZON",
						 "SECTION_SHIFTS",
						 "SECTION_STAFF",
						 "SECTION_DAYS_OFF",
						 "SECTION_SHIFT_ON_REQUESTS",
						 "SECTION_SHIFT_OFF_REQUESTS",
						 "SECTION_COVER"};

/* Short names for err->field: "<SECTION>.<field>". */
static const char *const sec_short[SEC_COUNT] = {
    "",	    "HORIZON", "SHIFTS", "STAFF", "DAYS_OFF", "SHIFT_ON_REQUESTS", "SHIFT_OFF_REQUESTS",
    "COVER"};

#define MAX_FIELDS 64

struct parser {
	struct kf_ssb_instance *in;
	struct kf_err *err;
	int line;
	enum section sec;
	char *f[MAX_FIELDS];
	int nf;
	int req_cap;
	int cover_line; /* of the SECTION_COVER line */
	bool cover_seen[KF_ROSTER_MAX_DAYS][KF_ROSTER_MAX_SHIFTS];
	char *follow[KF_ROSTER_MAX_SHIFTS]; /* CannotFollow text, resolved later */
	int follow_line[KF_ROSTER_MAX_SHIFTS];
};

static int fail(struct parser *P, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *P, const char *field, const char *fmt, ...)
{
	char msg[400], name[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(name, sizeof(name), "%s%s%s", sec_short[P->sec], P->sec ? "." : "", field);
	return kf_err_field(P->err, KF_EINVALID, name, "line %d: %s: %s", P->line, field, msg);
}

/* A non-negative decimal integer no larger than max. */
static bool parse_uint(const char *s, long max, long *out)
{
	long v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

static int get_int(struct parser *P, const char *s, const char *field, long max, long *out)
{
	if (!parse_uint(s, max, out))
		return fail(P, field, "\"%.40s\" is not a whole number from 0 to %ld", s, max);
	return 0;
}

static int find_shift(const struct kf_ssb_instance *in, const char *id)
{
	for (int s = 0; s < in->nshifts; s++)
		if (!strcmp(in->shifts[s].id, id))
			return s;
	return -1;
}

static int find_staff(const struct kf_ssb_instance *in, const char *id)
{
	for (int e = 0; e < in->nstaff; e++)
		if (!strcmp(in->staff[e].id, id))
			return e;
	return -1;
}

static int get_shift(struct parser *P, const char *s, const char *field, int *out)
{
	*out = find_shift(P->in, s);
	if (*out < 0)
		return fail(P, field, "\"%.40s\" is not a shift of SECTION_SHIFTS", s);
	return 0;
}

static int get_staff(struct parser *P, const char *s, const char *field, int *out)
{
	*out = find_staff(P->in, s);
	if (*out < 0)
		return fail(P, field, "\"%.40s\" is not an employee of SECTION_STAFF", s);
	return 0;
}

static int get_day(struct parser *P, const char *s, const char *field, int *out)
{
	long v;
	if (!parse_uint(s, 1000000, &v) || v >= P->in->ndays)
		return fail(P, field, "\"%.40s\" is not a day from 0 to %d", s, P->in->ndays - 1);
	*out = (int)v;
	return 0;
}

static int want_fields(struct parser *P, int n, const char *what)
{
	if (P->nf != n)
		return fail(P, "line", "%d fields, %d expected (%s)", P->nf, n, what);
	return 0;
}

static bool valid_id(const char *s, size_t cap)
{
	size_t n = strlen(s);
	if (!n || n >= cap)
		return false;
	for (; *s; s++)
		if (*s == '|' || *s == '=' || *s == ' ' || *s == '\t')
			return false;
	return true;
}

static int resolve_follow(struct parser *P)
{
	struct kf_ssb_instance *in = P->in;
	int saved = P->line;
	enum section sec = P->sec;
	P->sec = SEC_SHIFTS;
	for (int s = 0; s < in->nshifts; s++) {
		char *t = P->follow[s];
		P->line = P->follow_line[s];
		while (t && *t) {
			char *bar = strchr(t, '|');
			if (bar)
				*bar = 0;
			int u = 0;
			if (get_shift(P, t, "CannotFollow", &u))
				return -1;
			in->shifts[s].cannot_follow |= (uint16_t)(1u << u);
			t = bar ? bar + 1 : NULL;
			if (bar && !*t)
				return fail(P, "CannotFollow", "ends with '|'");
		}
	}
	P->line = saved;
	P->sec = sec;
	return 0;
}

static int line_horizon(struct parser *P)
{
	long v = 0;
	if (P->in->ndays)
		return fail(P, "horizon", "more than one horizon line");
	if (want_fields(P, 1, "the number of days") || get_int(P, P->f[0], "horizon", 1000000, &v))
		return -1;
	if (v < 1 || v > KF_ROSTER_MAX_DAYS)
		return fail(P, "horizon", "%ld days; 1 to %d are supported", v, KF_ROSTER_MAX_DAYS);
	P->in->ndays = (int)v;
	return 0;
}

static int line_shift(struct parser *P)
{
	struct kf_ssb_instance *in = P->in;
	if (P->nf == 2)
		P->f[P->nf++] = (char *)"";
	if (want_fields(P, 3, "ShiftID,LengthInMinutes,CannotFollow"))
		return -1;
	if (in->nshifts == KF_ROSTER_MAX_SHIFTS)
		return fail(P, "ShiftID", "more than %d shift types", KF_ROSTER_MAX_SHIFTS);
	if (!valid_id(P->f[0], sizeof(in->shifts[0].id)))
		return fail(P, "ShiftID", "must be 1 to 32 characters without '|', '=' or spaces");
	if (find_shift(in, P->f[0]) >= 0)
		return fail(P, "ShiftID", "\"%s\" is listed twice", P->f[0]);
	long len = 0;
	if (get_int(P, P->f[1], "LengthInMinutes", 1440, &len))
		return -1;
	if (len < 1)
		return fail(P, "LengthInMinutes", "must be 1 to 1440");
	struct kf_ssb_shift *s = &in->shifts[in->nshifts];
	snprintf(s->id, sizeof(s->id), "%s", P->f[0]);
	s->minutes = (int)len;
	P->follow[in->nshifts] = kf_xstrdup(P->f[2]);
	P->follow_line[in->nshifts] = P->line;
	in->nshifts++;
	return 0;
}

static int line_staff(struct parser *P)
{
	struct kf_ssb_instance *in = P->in;
	if (want_fields(P, 8,
			"ID,MaxShifts,MaxTotalMinutes,MinTotalMinutes,MaxConsecutiveShifts,"
			"MinConsecutiveShifts,MinConsecutiveDaysOff,MaxWeekends"))
		return -1;
	if (in->nstaff == KF_ROSTER_MAX_AGENTS)
		return fail(P, "ID", "more than %d employees", KF_ROSTER_MAX_AGENTS);
	if (!valid_id(P->f[0], sizeof(in->staff[0].id)))
		return fail(P, "ID", "must be 1 to 63 characters without '|', '=' or spaces");
	if (find_staff(in, P->f[0]) >= 0)
		return fail(P, "ID", "\"%s\" is listed twice", P->f[0]);
	in->staff = kf_xrealloc(in->staff, sizeof(*in->staff) * (size_t)(in->nstaff + 1));
	struct kf_ssb_staff *st = &in->staff[in->nstaff];
	memset(st, 0, sizeof(*st));
	snprintf(st->id, sizeof(st->id), "%s", P->f[0]);
	struct kf_roster_agent_rules *r = &st->rules;
	for (int s = 0; s < KF_ROSTER_MAX_SHIFTS; s++)
		r->max_shifts[s] = -1;
	bool seen[KF_ROSTER_MAX_SHIFTS] = {false};
	char *t = P->f[1];
	while (*t) {
		char *bar = strchr(t, '|');
		if (bar)
			*bar = 0;
		char *eq = strchr(t, '=');
		if (!eq)
			return fail(P, "MaxShifts", "\"%.40s\" is not ShiftID=limit", t);
		*eq = 0;
		int s = 0;
		long lim = 0;
		if (get_shift(P, t, "MaxShifts", &s) ||
		    get_int(P, eq + 1, "MaxShifts", 1000000, &lim))
			return -1;
		if (seen[s])
			return fail(P, "MaxShifts", "shift \"%s\" is listed twice", t);
		seen[s] = true;
		r->max_shifts[s] = lim >= in->ndays ? -1 : (int)lim;
		if (!bar)
			break;
		t = bar + 1;
		if (!*t)
			return fail(P, "MaxShifts", "ends with '|'");
	}
	long maxm = 0, minm = 0, maxc = 0, minc = 0, minoff = 0, maxw = 0;
	long cap = (long)in->ndays * 1440;
	if (get_int(P, P->f[2], "MaxTotalMinutes", 100000000, &maxm) ||
	    get_int(P, P->f[3], "MinTotalMinutes", 100000000, &minm) ||
	    get_int(P, P->f[4], "MaxConsecutiveShifts", 1000000, &maxc) ||
	    get_int(P, P->f[5], "MinConsecutiveShifts", 1000000, &minc) ||
	    get_int(P, P->f[6], "MinConsecutiveDaysOff", 1000000, &minoff) ||
	    get_int(P, P->f[7], "MaxWeekends", 1000000, &maxw))
		return -1;
	if (minm > maxm)
		return fail(P, "MinTotalMinutes", "%ld is above MaxTotalMinutes %ld", minm, maxm);
	if (minm > cap)
		return fail(P, "MinTotalMinutes", "%ld minutes do not fit in %d days", minm,
			    in->ndays);
	if (minc > in->ndays)
		return fail(P, "MinConsecutiveShifts", "%ld is longer than the horizon", minc);
	if (minoff > in->ndays)
		return fail(P, "MinConsecutiveDaysOff", "%ld is longer than the horizon", minoff);
	if (minc > maxc)
		return fail(P, "MinConsecutiveShifts", "%ld is above MaxConsecutiveShifts %ld",
			    minc, maxc);
	r->max_minutes = maxm >= cap ? -1 : (int)maxm;
	r->min_minutes = (int)minm;
	r->max_consecutive = maxc >= in->ndays ? -1 : (int)maxc;
	r->min_consecutive = (int)minc;
	r->min_days_off = (int)minoff;
	r->max_weekends = maxw >= in->ndays ? -1 : (int)maxw;
	in->nstaff++;
	return 0;
}

static int line_days_off(struct parser *P)
{
	int e = 0;
	if (P->nf < 1 || get_staff(P, P->f[0], "EmployeeID", &e))
		return -1;
	for (int i = 1; i < P->nf; i++) {
		int d = 0;
		if (get_day(P, P->f[i], "Day", &d))
			return -1;
		P->in->staff[e].days_off |= 1u << d;
	}
	return 0;
}

static int line_request(struct parser *P, bool on)
{
	struct kf_ssb_instance *in = P->in;
	int e = 0, d = 0, s = 0;
	long w = 0;
	if (want_fields(P, 4, "EmployeeID,Day,ShiftID,Weight") ||
	    get_staff(P, P->f[0], "EmployeeID", &e) || get_day(P, P->f[1], "Day", &d) ||
	    get_shift(P, P->f[2], "ShiftID", &s) || get_int(P, P->f[3], "Weight", 1000000, &w))
		return -1;
	if (in->nrequests == P->req_cap) {
		P->req_cap = P->req_cap ? 2 * P->req_cap : 64;
		in->requests =
		    kf_xrealloc(in->requests, sizeof(*in->requests) * (size_t)P->req_cap);
	}
	in->requests[in->nrequests++] = (struct kf_roster_request){
	    .agent = e, .day = d, .shift = s, .weight = (int)w, .on = on};
	return 0;
}

static int line_cover(struct parser *P)
{
	struct kf_ssb_instance *in = P->in;
	int d = 0, s = 0;
	long r = 0, wu = 0, wo = 0;
	if (want_fields(P, 5, "Day,ShiftID,Requirement,WeightForUnder,WeightForOver") ||
	    get_day(P, P->f[0], "Day", &d) || get_shift(P, P->f[1], "ShiftID", &s) ||
	    get_int(P, P->f[2], "Requirement", 100000, &r) ||
	    get_int(P, P->f[3], "WeightForUnder", 1000000, &wu) ||
	    get_int(P, P->f[4], "WeightForOver", 1000000, &wo))
		return -1;
	if (P->cover_seen[d][s])
		return fail(P, "Day", "day %d, shift %s is covered twice", d, in->shifts[s].id);
	P->cover_seen[d][s] = true;
	in->need[d][s] = (int)r;
	in->under[d][s] = (int)wu;
	in->over[d][s] = (int)wo;
	return 0;
}

/* Splits line (modified in place) at commas; strips spaces around fields. */
static void split(struct parser *P, char *line)
{
	P->nf = 0;
	char *p = line;
	for (;;) {
		char *c = strchr(p, ',');
		if (c)
			*c = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		char *end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if (P->nf < MAX_FIELDS)
			P->f[P->nf] = p;
		P->nf++;
		if (!c)
			break;
		p = c + 1;
	}
}

static int parse_lines(struct parser *P, char *text)
{
	struct kf_ssb_instance *in = P->in;
	bool seen[SEC_COUNT] = {false};
	char *next = text;
	while (next) {
		char *line = next;
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		P->line++;
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = 0;
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		enum section s = SEC_NONE;
		for (int k = 1; k < SEC_COUNT; k++)
			if (!strcmp(line, sec_names[k]))
				s = (enum section)k;
		if (s != SEC_NONE) {
			if (s <= P->sec)
				return fail(P, "section", "%s after %s", sec_names[s],
					    sec_names[P->sec]);
			for (int k = SEC_HORIZON; k < (int)s; k++)
				if (k <= SEC_STAFF && !seen[k])
					return fail(P, "section", "%s before %s", sec_names[s],
						    sec_names[k]);
			if (P->sec == SEC_SHIFTS && resolve_follow(P))
				return -1;
			if (P->sec == SEC_HORIZON && !in->ndays)
				return fail(P, "horizon", "SECTION_HORIZON has no value");
			P->sec = s;
			seen[s] = true;
			if (s == SEC_COVER)
				P->cover_line = P->line;
			continue;
		}
		if (P->sec == SEC_NONE)
			return fail(P, "section", "data before the first SECTION_ line");
		split(P, line);
		if (P->nf > MAX_FIELDS)
			return fail(P, "line", "more than %d fields", MAX_FIELDS);
		int rc = 0;
		switch (P->sec) {
		case SEC_HORIZON:
			rc = line_horizon(P);
			break;
		case SEC_SHIFTS:
			rc = line_shift(P);
			break;
		case SEC_STAFF:
			rc = line_staff(P);
			break;
		case SEC_DAYS_OFF:
			rc = line_days_off(P);
			break;
		case SEC_ON:
		case SEC_OFF:
			rc = line_request(P, P->sec == SEC_ON);
			break;
		case SEC_COVER:
			rc = line_cover(P);
			break;
		default:
			break;
		}
		if (rc)
			return rc;
	}
	if (P->sec == SEC_SHIFTS && resolve_follow(P))
		return -1;
	if (!seen[SEC_COVER])
		return fail(P, "section", "no SECTION_COVER");
	if (!in->nshifts)
		return fail(P, "section", "no shift types in SECTION_SHIFTS");
	if (!in->nstaff)
		return fail(P, "section", "no employees in SECTION_STAFF");
	P->line = P->cover_line; /* a missing line is the section's fault */
	for (int d = 0; d < in->ndays; d++)
		for (int s = 0; s < in->nshifts; s++)
			if (!P->cover_seen[d][s])
				return fail(P, "Day",
					    "SECTION_COVER has no line for day %d, shift %s", d,
					    in->shifts[s].id);
	return 0;
}

int kf_ssb_parse(const char *text, size_t len, struct kf_ssb_instance *out, struct kf_err *err)
{
	memset(out, 0, sizeof(*out));
	if (memchr(text, 0, len))
		return kf_err_field(err, KF_EINVALID, "file", "contains a NUL byte");
	char *buf = kf_xmalloc(len + 1);
	memcpy(buf, text, len);
	buf[len] = 0;
	struct parser P;
	memset(&P, 0, sizeof(P));
	P.in = out;
	P.err = err;
	int rc = parse_lines(&P, buf) ? KF_EINVALID : 0;
	for (int s = 0; s < KF_ROSTER_MAX_SHIFTS; s++)
		free(P.follow[s]);
	free(buf);
	if (rc) {
		kf_ssb_free(out);
		return rc;
	}
	return 0;
}

void kf_ssb_free(struct kf_ssb_instance *in)
{
	free(in->staff);
	free(in->requests);
	memset(in, 0, sizeof(*in));
}

int kf_ssb_problem(const struct kf_ssb_instance *in, double hard_weight,
		   struct kf_roster_problem *p, struct kf_roster_agent *agents,
		   struct kf_roster_agent_rules *rules, struct kf_roster_ext *ext,
		   struct kf_err *err)
{
	memset(p, 0, sizeof(*p));
	memset(ext, 0, sizeof(*ext));
	/* January 2024 starts on a Monday, as every instance does. */
	p->year = 2024;
	p->month = 1;
	p->nshifts = in->nshifts;
	int min_len = 1440;
	for (int s = 0; s < in->nshifts; s++) {
		struct kf_roster_shift *sh = &p->shifts[s];
		snprintf(sh->name, sizeof(sh->name), "%s", in->shifts[s].id);
		/* Only the length matters: the rotation is explicit (cannot_follow). */
		sh->start_min = 0;
		sh->end_min = in->shifts[s].minutes;
		ext->cannot_follow[s] = in->shifts[s].cannot_follow;
		if (in->shifts[s].minutes < min_len)
			min_len = in->shifts[s].minutes;
	}
	for (int d = 0; d < in->ndays; d++)
		for (int s = 0; s < in->nshifts; s++) {
			p->need[d][s] = in->need[d][s];
			ext->under_weight[d][s] = in->under[d][s];
			ext->over_weight[d][s] = in->over[d][s];
		}
	for (int e = 0; e < in->nstaff; e++) {
		const struct kf_ssb_staff *st = &in->staff[e];
		struct kf_roster_agent *ag = &agents[e];
		memset(ag, 0, sizeof(*ag));
		snprintf(ag->id, sizeof(ag->id), "%s", st->id);
		ag->leave = st->days_off; /* fixed days off */
		ag->preferred_shift = -1;
		ag->prev_shift_end_min = -1;
		/* The most days MaxTotalMinutes allows: an implied limit that the
		 * generator keeps as its target cap (work_days weighs 0). */
		int days = in->ndays;
		if (st->rules.max_minutes >= 0 && st->rules.max_minutes / min_len < days)
			days = st->rules.max_minutes / min_len;
		ag->target_work_days = days;
		rules[e] = st->rules;
	}
	p->nagents = in->nstaff;
	p->agents = agents;
	p->rules.max_consecutive_work_days = KF_ROSTER_MAX_DAYS; /* per agent, in ext */
	p->rules.min_rest_days = 0;
	memset(&p->weights, 0, sizeof(p->weights)); /* the objective is the ext's */
	ext->ndays = in->ndays;
	ext->agent_rules = rules;
	ext->nrequests = in->nrequests;
	ext->requests = in->requests;
	ext->linear_cover = true;
	ext->hard_weight = hard_weight;
	p->ext = ext;
	return kf_roster_check_problem(p, err);
}

static void note(struct kf_ssb_score *out, int rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(struct kf_ssb_score *out, int rule, const char *fmt, ...)
{
	out->hard++;
	out->by_rule[rule]++;
	if (out->first[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->first, sizeof(out->first), fmt, ap);
	va_end(ap);
}

void kf_ssb_evaluate(const struct kf_ssb_instance *in, const int8_t *cells,
		     struct kf_ssb_score *out)
{
	memset(out, 0, sizeof(*out));
	int nd = in->ndays, ns = in->nshifts;
	for (int i = 0; i < in->nrequests; i++) {
		const struct kf_roster_request *q = &in->requests[i];
		bool works = cells[q->agent * nd + q->day] == q->shift;
		if (works != q->on)
			out->requests += q->weight;
	}
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++) {
			int n = 0;
			for (int e = 0; e < in->nstaff; e++)
				n += cells[e * nd + d] == s;
			int r = in->need[d][s];
			out->cover += n < r ? (long)in->under[d][s] * (r - n)
					    : (long)in->over[d][s] * (n - r);
		}
	out->objective = out->requests + out->cover;
	for (int e = 0; e < in->nstaff; e++) {
		const struct kf_ssb_staff *st = &in->staff[e];
		const struct kf_roster_agent_rules *r = &st->rules;
		const int8_t *row = cells + e * nd;
		int per[KF_ROSTER_MAX_SHIFTS] = {0}, minutes = 0, weekends = 0;
		for (int d = 0; d < nd; d++) {
			int c = row[d];
			if (c >= ns) {
				note(out, 1, "%s: day %d has no valid shift", st->id, d);
				continue;
			}
			if (c < 0)
				continue;
			per[c]++;
			minutes += in->shifts[c].minutes;
			if (d + 1 < nd && row[d + 1] >= 0 && row[d + 1] < ns &&
			    (in->shifts[c].cannot_follow >> row[d + 1] & 1))
				note(out, 2, "%s: %s on day %d is followed by %s", st->id,
				     in->shifts[c].id, d, in->shifts[row[d + 1]].id);
			if (st->days_off >> d & 1)
				note(out, 9, "%s works on day off %d", st->id, d);
		}
		for (int s = 0; s < ns; s++)
			if (r->max_shifts[s] >= 0 && per[s] > r->max_shifts[s])
				note(out, 3, "%s works %d %s shifts, at most %d", st->id, per[s],
				     in->shifts[s].id, r->max_shifts[s]);
		if (minutes < r->min_minutes || (r->max_minutes >= 0 && minutes > r->max_minutes))
			note(out, 4, "%s works %d minutes, outside %d … %d", st->id, minutes,
			     r->min_minutes, r->max_minutes);
		for (int w = 0; 7 * w + 5 < nd; w++) {
			bool sat = row[7 * w + 5] >= 0;
			bool sun = 7 * w + 6 < nd && row[7 * w + 6] >= 0;
			weekends += sat || sun;
		}
		if (r->max_weekends >= 0 && weekends > r->max_weekends)
			note(out, 8, "%s works %d weekends, at most %d", st->id, weekends,
			     r->max_weekends);
		for (int d = 0; d < nd;) {
			bool work = row[d] >= 0;
			int x = d;
			while (x < nd && (row[x] >= 0) == work)
				x++;
			int len = x - d;
			bool inside = d > 0 && x < nd;
			if (work && r->max_consecutive >= 0 && len > r->max_consecutive)
				note(out, 5, "%s works %d days in a row from day %d, at most %d",
				     st->id, len, d, r->max_consecutive);
			if (work && inside && len < r->min_consecutive)
				note(out, 6, "%s works %d days in a row from day %d, at least %d",
				     st->id, len, d, r->min_consecutive);
			if (!work && inside && len < r->min_days_off)
				note(out, 7, "%s is off %d days in a row from day %d, at least %d",
				     st->id, len, d, r->min_days_off);
			d = x;
		}
	}
}
