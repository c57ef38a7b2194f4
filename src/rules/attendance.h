/* Attendance against the roster (SPEC W-15, W-18) and sign-in only on shift
 * (S-2). Pure functions: the shifts, the approved leave, the clock sessions
 * and "now" are arguments; nothing here reads a clock or a store.
 *
 * A shift is an interval of instants [start, end) in ms; a shift past
 * midnight simply has its end on the next day. A clock session is one
 * clock-in and the clock-out that followed it (out 0 while still clocked
 * in). Thresholds come from the policy (workforce.attendance). */
#ifndef KF_RULES_ATTENDANCE_H
#define KF_RULES_ATTENDANCE_H
#include <stdbool.h>
#include <stdint.h>

struct kf_att_shift {
	int64_t start, end;
	bool late_shift; /* W-18: the late shift extends while customers wait */
	/* A roster assignment (true), or only a template slot the person may
	 * work (false: no roster is published; missing it is not absenteeism,
	 * and it counts only when a clock session falls in it). */
	bool rostered;
	const char *name; /* the template's name, for display; may be NULL */
};

struct kf_att_interval {
	int64_t start, end;
};

struct kf_att_session {
	int64_t in, out;		  /* out 0: still clocked in */
	int64_t customers_waiting_at_end; /* W-18: reported at clock-out */
};

struct kf_att_limits {
	int64_t absence_if_late_ms; /* W-15: late this long or longer is an absence */
	int64_t absence_if_away_ms; /* W-15: away this long or longer is an absence */
	int64_t clock_in_early_ms;  /* a session starting this long before a shift belongs to it */
};

enum kf_att_status {
	KF_ATT_UPCOMING, /* the shift has not started */
	KF_ATT_NOT_IN,	 /* started, nobody clocked in yet (not over) */
	KF_ATT_WORKING,	 /* clocked in, the shift is not over */
	KF_ATT_ON_TIME,	 /* over: in on time, out at or after the end, never away long */
	KF_ATT_LATE,	 /* over: late (less than the absence threshold) and/or early leave */
	KF_ATT_ABSENCE,	 /* W-15 缺勤: late ≥ threshold without leave, or away ≥ threshold */
	KF_ATT_ABSENTEEISM, /* 旷工: a rostered shift over without clock-in and without leave */
	KF_ATT_ON_LEAVE,    /* the whole shift is covered by approved leave */
};

struct kf_att_result {
	enum kf_att_status status;
	int64_t first_in, last_out;	  /* 0 when none */
	int64_t late_ms;		  /* after the expected start (leave moves it) */
	int64_t early_leave_ms;		  /* before the expected end; 0 while clocked in */
	int64_t away_ms, longest_away_ms; /* gaps between sessions inside the shift */
	bool absence_late, absence_away;  /* which W-15 reason made it an absence */
	bool leave_covered;		  /* some of the shift was on approved leave */
	bool extended;			  /* W-18: customers waited at the end */
	int64_t overtime_ms;		  /* W-18: after the end of an extended late shift */
};

const char *kf_att_status_name(enum kf_att_status s);

/* Assigns each session to a shift: the shift whose [start - clock_in_early,
 * end) its time (in to out, or to now while open) overlaps most, the
 * earlier shift on a tie; -1 for a session that overlaps none. shift_of has
 * nsessions entries. */
void kf_att_assign(const struct kf_att_shift *shifts, int nshifts,
		   const struct kf_att_session *sessions, int nsessions, int64_t now,
		   const struct kf_att_limits *lim, int *shift_of);

/* W-15, W-18: classifies one shift from its sessions (those assign gave it,
 * sorted by in) and the approved leave intervals at now. */
void kf_att_classify(const struct kf_att_shift *shift, const struct kf_att_session *sessions,
		     int nsessions, const struct kf_att_interval *leave, int nleave, int64_t now,
		     const struct kf_att_limits *lim, struct kf_att_result *out);

/* W-15, E-6: whether a month of results keeps full attendance: no
 * lateness, early leave, absence, absenteeism or leave. */
bool kf_att_full_attendance(const struct kf_att_result *r, int n);

/* W-18: the overtime of a late shift ending at shift_end left at out while
 * waiting customers were reported at its end (0 when none waited, the shift
 * is not a late shift, or out is not after the end). */
int64_t kf_att_overtime(const struct kf_att_shift *shift, int64_t out, int64_t waiting_at_end);

/* W-14: a swap whose unclear handover led to a missed or empty shift
 * counts against the person responsible for it. kefu's reading: a rostered
 * shift a person took through an approved swap (the requester takes the
 * other person's shift, the other person the requester's) that ended in
 * absenteeism (over, no clock-in, no leave: W-15) is such a shift, and the
 * person who took it is responsible (they agreed to the swap and owed the
 * handover). What it costs is the policy's
 * workforce.swaps.missed_shift_penalty. */
struct kf_att_swap {
	int64_t id;
	int64_t requester_id, with_user_id;
	int ymd;		     /* the swapped day, YYYYMMDD */
	const char *requester_shift; /* the requester's shift before the swap */
	const char *with_shift;	     /* the other person's; NULL: they rested */
};
struct kf_att_swap_penalty {
	bool counts_as_absenteeism; /* it stays absenteeism (旷工) in the month */
	int64_t fine_fen;	    /* and this is deducted, in fen */
};
struct kf_policy;
void kf_att_swap_penalty_from_policy(const struct kf_policy *pol, struct kf_att_swap_penalty *out);

/* W-14: the index in swaps (approved ones only) of the swap through which
 * user came to work the shift named shift on ymd, when r is absenteeism;
 * -1 when r is anything else or no swap gave user that shift. */
int kf_att_swap_missed(const struct kf_att_result *r, const struct kf_att_swap *swaps, int n,
		       int64_t user, int ymd, const char *shift);

/* W-16: whether the outgoing agent may clock out now. A handover they
 * signed that names an incoming agent blocks until that agent confirms it;
 * a handover addressed to the next shift (no incoming agent named: the late
 * shift writes the book for the morning) does not. From prepare_ms before
 * the end of their shift (the outgoing agent prepares 15 minutes before,
 * seed 001 §3.4.2.1) a clock-out needs a signed handover; before that it is
 * a break or an early leave. shift_end 0: no shift known. */
enum kf_clock_out_verdict {
	KF_CLOCK_OUT_OK,
	KF_CLOCK_OUT_PENDING_HANDOVER, /* signed, the incoming agent has not confirmed */
	KF_CLOCK_OUT_NO_HANDOVER,      /* in the handover window, nothing signed */
};
enum kf_clock_out_verdict kf_handover_clock_out_check(bool pending_with_incoming,
						      bool signed_this_session, int64_t shift_end,
						      int64_t prepare_ms, int64_t now);

/* S-2: may this person sign in at t? */
enum kf_sign_in_verdict {
	KF_SIGN_IN_ALLOWED_OFF,	     /* the policy does not restrict sign-in */
	KF_SIGN_IN_ALLOWED_EXEMPT,   /* the person's role is exempt */
	KF_SIGN_IN_ALLOWED_ON_SHIFT, /* within a shift and its grace */
	KF_SIGN_IN_REFUSED_NO_SHIFT, /* no shift anywhere near t */
	KF_SIGN_IN_REFUSED_EARLY,    /* before the next shift's grace opens */
	KF_SIGN_IN_REFUSED_AFTER,    /* after the last shift's grace ended */
};
struct kf_sign_in_answer {
	enum kf_sign_in_verdict verdict;
	int shift;		     /* the shift that allowed it or is nearest; -1 if none */
	int64_t opens_at, closed_at; /* for REFUSED_*: the nearest window, 0 if none */
};
/* A shift allows sign-in from grace before its start to grace after its
 * end, both ends included (以内). */
void kf_sign_in_check(bool only_on_shift, bool role_exempt, int64_t grace_ms,
		      const struct kf_att_shift *shifts, int nshifts, int64_t t,
		      struct kf_sign_in_answer *out);
bool kf_sign_in_allowed(const struct kf_sign_in_answer *a);

#endif
