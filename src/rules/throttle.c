#include "rules/throttle.h"

int64_t kf_throttle_wait_ms(const struct kf_throttle_row *row, const struct kf_throttle_limits *lim,
			    int64_t now)
{
	if (row->locked_until > now)
		return row->locked_until - now;
	if (now - row->last_failure_at >= lim->window_ms)
		return 0;
	if (row->failures < lim->slow_after)
		return 0;
	int64_t steps = row->failures - lim->slow_after;
	int64_t wait = steps >= 16 ? 60000 : lim->slow_ms << steps;
	if (wait > 60000)
		wait = 60000;
	int64_t ready = row->last_failure_at + wait;
	return ready > now ? ready - now : 0;
}

void kf_throttle_fail(struct kf_throttle_row *row, const struct kf_throttle_limits *lim,
		      int64_t now)
{
	if (row->locked_until && row->locked_until <= now)
		row->locked_until = 0;
	if (now - row->last_failure_at >= lim->window_ms)
		row->failures = 0;
	row->failures++;
	row->last_failure_at = now;
	if (row->failures >= lim->lock_after) {
		row->locked_until = now + lim->lock_ms;
		row->failures = 0;
	}
}
