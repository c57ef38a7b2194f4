/* Instants are int64 milliseconds since the Unix epoch (UTC). Local dates and
 * the offsets printed in RFC 3339 strings use the organisation's time zone
 * (P-3), set once at start with kf_time_set_zone. */
#ifndef KF_UTIL_TIME_H
#define KF_UTIL_TIME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sets the zone for local dates, e.g. "Asia/Shanghai". Returns 0, or -1 if
 * the zone is unknown to the system's time zone database. Not thread-safe:
 * call before starting threads. */
int kf_time_set_zone(const char *zone);
const char *kf_time_zone(void);

/* The current instant. A test clock (kf_time_freeze) overrides the system's. */
int64_t kf_time_now_ms(void);
/* Makes kf_time_now_ms return ms from now on (tests only); ms < 0 unfreezes. */
void kf_time_freeze(int64_t ms);
/* The monotonic clock in nanoseconds, for durations: neither the test clock
 * nor a change of the system's wall clock moves it. */
int64_t kf_time_mono_ns(void);

/* Formats ms as RFC 3339 with the local offset: 2026-11-24T09:00:00+08:00
 * (milliseconds added when not zero). out must hold 40 bytes. */
void kf_time_format(int64_t ms, char out[40]);
/* Parses RFC 3339 (offset or Z required). Returns false if malformed. */
bool kf_time_parse(const char *s, int64_t *ms);
/* Parses YYYY-MM-DD into the instant of local midnight. */
bool kf_time_parse_date(const char *s, int64_t *ms);
/* Local calendar date of ms as YYYYMMDD and as YYYY-MM-DD (11 bytes). */
int kf_time_local_ymd(int64_t ms);
void kf_time_format_date(int64_t ms, char out[11]);

/* The UTC offset of the zone at instant ms, in seconds east of UTC. */
int64_t kf_time_utc_offset(int64_t ms);

/* A time zone as the pure rules see it: a function giving the offset in
 * force at an instant (seconds east of UTC), so that rules/ computes local
 * days without reading the process's zone itself. */
struct kf_zone {
	int64_t (*utc_offset)(int64_t ms, void *ctx);
	void *ctx;
};
/* The zone set with kf_time_set_zone. */
const struct kf_zone *kf_time_local_zone(void);

#endif
