/* Attendance (W-15, W-18) and sign-in on shift (S-2): see attendance.h.
 * Lateness and early leave count in whole minutes (a clock-in at 09:00:59
 * for a 09:00 shift is on time), so that what the API shows in minutes and
 * what the rule judged agree. */
#include "rules/attendance.h"

#include <string.h>

#include "rules/policy.h"

#define MINUTE_MS 60000

static const char *const status_names[] = {
    "upcoming", "not_in", "working", "on_time", "late", "absence", "absenteeism", "on_leave",
};

const char *kf_att_status_name(enum kf_att_status s)
{
	return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s]
									: "unknown";
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t whole_minutes(int64_t ms)
{
	return ms > 0 ? ms / MINUTE_MS * MINUTE_MS : 0;
}

void kf_att_assign(const struct kf_att_shift *shifts, int nshifts,
		   const struct kf_att_session *sessions, int nsessions, int64_t now,
		   const struct kf_att_limits *lim, int *shift_of)
{
	for (int i = 0; i < nsessions; i++) {
		const struct kf_att_session *s = &sessions[i];
		int64_t end = s->out ? s->out : max64(now, s->in);
		int best = -1;
		int64_t best_overlap = -1;
		for (int k = 0; k < nshifts; k++) {
			int64_t ws = shifts[k].start - lim->clock_in_early_ms, we = shifts[k].end;
			int64_t overlap = min64(end, we) - max64(s->in, ws);
			bool inside = s->in >= ws && s->in < we;
			if (overlap <= 0 && !inside)
				continue;
			if (overlap > best_overlap) {
				best = k;
				best_overlap = overlap;
			}
		}
		shift_of[i] = best;
	}
}

/* Moves the expected start past leave that covers it, and the expected end
 * before leave that covers it. */
static void expected_bounds(const struct kf_att_shift *sh, const struct kf_att_interval *leave,
			    int nleave, int64_t *start, int64_t *end, bool *covered)
{
	*start = sh->start;
	*end = sh->end;
	*covered = false;
	for (bool moved = true; moved;) {
		moved = false;
		for (int i = 0; i < nleave; i++) {
			if (leave[i].start <= *start && leave[i].end > *start) {
				*start = leave[i].end;
				moved = *covered = true;
			}
			if (leave[i].end >= *end && leave[i].start < *end) {
				*end = leave[i].start;
				moved = *covered = true;
			}
			if (*start >= *end)
				return;
		}
	}
	for (int i = 0; i < nleave; i++)
		if (leave[i].start < *end && leave[i].end > *start)
			*covered = true;
}

/* The part of [a, b) not on leave. */
static int64_t off_leave(int64_t a, int64_t b, const struct kf_att_interval *leave, int nleave)
{
	int64_t len = b - a;
	for (int i = 0; i < nleave && len > 0; i++) {
		int64_t o = min64(b, leave[i].end) - max64(a, leave[i].start);
		if (o > 0)
			len -= o;
	}
	return max64(len, 0);
}

int64_t kf_att_overtime(const struct kf_att_shift *shift, int64_t out, int64_t waiting_at_end)
{
	if (!shift->late_shift || waiting_at_end <= 0 || out <= shift->end)
		return 0;
	return out - shift->end;
}

void kf_att_classify(const struct kf_att_shift *shift, const struct kf_att_session *sessions,
		     int nsessions, const struct kf_att_interval *leave, int nleave, int64_t now,
		     const struct kf_att_limits *lim, struct kf_att_result *out)
{
	int64_t es, ee;
	*out = (struct kf_att_result){0};
	expected_bounds(shift, leave, nleave, &es, &ee, &out->leave_covered);
	bool over = now >= shift->end;
	if (es >= ee) {
		out->status = KF_ATT_ON_LEAVE;
		return;
	}
	if (nsessions == 0) {
		out->status = now < shift->start	? KF_ATT_UPCOMING
			      : over && shift->rostered ? KF_ATT_ABSENTEEISM
							: KF_ATT_NOT_IN;
		return;
	}
	out->first_in = sessions[0].in;
	out->late_ms = whole_minutes(out->first_in - es);
	out->absence_late = out->late_ms >= lim->absence_if_late_ms;
	for (int i = 1; i < nsessions; i++) {
		int64_t a = max64(sessions[i - 1].out, es), b = min64(sessions[i].in, ee);
		if (!sessions[i - 1].out || b <= a)
			continue;
		int64_t gap = off_leave(a, b, leave, nleave);
		out->away_ms += gap;
		out->longest_away_ms = max64(out->longest_away_ms, gap);
	}
	out->absence_away = out->longest_away_ms >= lim->absence_if_away_ms;
	const struct kf_att_session *last = &sessions[nsessions - 1];
	out->last_out = last->out;
	if (last->out) {
		out->early_leave_ms = whole_minutes(ee - last->out);
		out->overtime_ms =
		    kf_att_overtime(shift, last->out, last->customers_waiting_at_end);
		out->extended = out->overtime_ms > 0;
	}
	if (!over)
		out->status = KF_ATT_WORKING;
	else if (out->absence_late || out->absence_away)
		out->status = KF_ATT_ABSENCE;
	else if (out->late_ms || out->early_leave_ms)
		out->status = KF_ATT_LATE;
	else
		out->status = KF_ATT_ON_TIME;
}

bool kf_att_full_attendance(const struct kf_att_result *r, int n)
{
	for (int i = 0; i < n; i++)
		if (r[i].late_ms || r[i].early_leave_ms || r[i].absence_late || r[i].absence_away ||
		    r[i].leave_covered || r[i].status == KF_ATT_ABSENTEEISM ||
		    r[i].status == KF_ATT_ON_LEAVE)
			return false;
	return true;
}

enum kf_clock_out_verdict kf_handover_clock_out_check(bool pending_with_incoming,
						      bool signed_this_session, int64_t shift_end,
						      int64_t prepare_ms, int64_t now)
{
	if (pending_with_incoming)
		return KF_CLOCK_OUT_PENDING_HANDOVER;
	if (!signed_this_session && shift_end && now >= shift_end - prepare_ms)
		return KF_CLOCK_OUT_NO_HANDOVER;
	return KF_CLOCK_OUT_OK;
}

void kf_sign_in_check(bool only_on_shift, bool role_exempt, int64_t grace_ms,
		      const struct kf_att_shift *shifts, int nshifts, int64_t t,
		      struct kf_sign_in_answer *out)
{
	*out = (struct kf_sign_in_answer){.shift = -1};
	if (!only_on_shift) {
		out->verdict = KF_SIGN_IN_ALLOWED_OFF;
		return;
	}
	if (role_exempt) {
		out->verdict = KF_SIGN_IN_ALLOWED_EXEMPT;
		return;
	}
	int next = -1, prev = -1;
	for (int k = 0; k < nshifts; k++) {
		int64_t opens = shifts[k].start - grace_ms, closes = shifts[k].end + grace_ms;
		if (t >= opens && t <= closes) {
			out->verdict = KF_SIGN_IN_ALLOWED_ON_SHIFT;
			out->shift = k;
			return;
		}
		if (opens > t && (next < 0 || opens < shifts[next].start - grace_ms))
			next = k;
		if (closes < t && (prev < 0 || closes > shifts[prev].end + grace_ms))
			prev = k;
	}
	if (next >= 0) {
		out->verdict = KF_SIGN_IN_REFUSED_EARLY;
		out->shift = next;
	} else if (prev >= 0) {
		out->verdict = KF_SIGN_IN_REFUSED_AFTER;
		out->shift = prev;
	} else {
		out->verdict = KF_SIGN_IN_REFUSED_NO_SHIFT;
		return;
	}
	out->opens_at = shifts[out->shift].start - grace_ms;
	out->closed_at = shifts[out->shift].end + grace_ms;
}

bool kf_sign_in_allowed(const struct kf_sign_in_answer *a)
{
	return a->verdict == KF_SIGN_IN_ALLOWED_OFF || a->verdict == KF_SIGN_IN_ALLOWED_EXEMPT ||
	       a->verdict == KF_SIGN_IN_ALLOWED_ON_SHIFT;
}

void kf_att_swap_penalty_from_policy(const struct kf_policy *pol, struct kf_att_swap_penalty *out)
{
	out->counts_as_absenteeism =
	    kf_policy_bool(pol, "workforce.swaps.missed_shift_penalty.counts_as_absence");
	out->fine_fen = kf_policy_int(pol, "workforce.swaps.missed_shift_penalty.fine_fen");
}

int kf_att_swap_missed(const struct kf_att_result *r, const struct kf_att_swap *swaps, int n,
		       int64_t user, int ymd, const char *shift)
{
	if (r->status != KF_ATT_ABSENTEEISM || !shift)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct kf_att_swap *s = &swaps[i];
		if (s->ymd != ymd)
			continue;
		const char *took = s->requester_id == user   ? s->with_shift
				   : s->with_user_id == user ? s->requester_shift
							     : NULL;
		if (took && !strcmp(took, shift))
			return i;
	}
	return -1;
}
