/* Sign-in throttling (S-1): repeated failed sign-ins are first slowed down,
 * then locked for a policy time. The same rule runs per account and per
 * client address with their own limits. Pure: the caller loads and stores the
 * state and passes "now". */
#ifndef KF_RULES_THROTTLE_H
#define KF_RULES_THROTTLE_H
#include <stdint.h>

struct kf_throttle_row {
	int64_t failures;	 /* consecutive failures in the current window */
	int64_t last_failure_at; /* ms */
	int64_t locked_until;	 /* ms; 0 when not locked */
};

struct kf_throttle_limits {
	int64_t slow_after; /* failures before each attempt must wait */
	int64_t lock_after; /* failures that lock */
	int64_t lock_ms;    /* how long a lock lasts */
	int64_t window_ms;  /* failures older than this are forgotten */
	int64_t slow_ms;    /* the first wait once slow_after is reached */
};

/* How long the caller must wait before another attempt is heard; 0 if now.
 * From slow_after failures on, each attempt must wait slow_ms after the last
 * failure, doubling with each further failure, up to 60 s. */
int64_t kf_throttle_wait_ms(const struct kf_throttle_row *row, const struct kf_throttle_limits *lim,
			    int64_t now);
/* Records a failure at now, locking when lock_after is reached (the count
 * then starts again, so that after the lock the slow-down applies anew). */
void kf_throttle_fail(struct kf_throttle_row *row, const struct kf_throttle_limits *lim,
		      int64_t now);

#endif
