#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "util/time.h"

static char zone[64] = "UTC";
static _Atomic int64_t frozen = -1;
static _Atomic unsigned zone_gen; /* bumped when the zone changes */
/* From this second on the zone's offset is steady_off for good (its last
 * transition is behind and its rule has no daylight saving time: Asia/Shanghai
 * since 1991); INT64_MAX when not known. Set by kf_time_set_zone. */
static int64_t steady_from = INT64_MAX;
static long steady_off;

static uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A POSIX TZ rule without daylight saving time: a name ("CST" or "<+08>")
 * and an offset ("-8", "+05:30"), nothing more. */
static bool rule_is_fixed(const char *r, const char *end)
{
	const char *p = r;
	if (p < end && *p == '<') {
		while (p < end && *p != '>')
			p++;
		if (p == end)
			return false;
		p++;
	} else {
		while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			p++;
	}
	if (p - r < 3)
		return false;
	if (p < end && (*p == '+' || *p == '-'))
		p++;
	const char *digits_at = p;
	while (p < end && ((*p >= '0' && *p <= '9') || *p == ':'))
		p++;
	return p > digits_at && p == end;
}

/* Reads the zone's TZif file (RFC 8536, version 2 or later) for its last
 * transition and its rule for the time after it. Any doubt (no file, version
 * 1, leap seconds, a rule with daylight saving time) leaves steady_from at
 * INT64_MAX, and kf_time_format asks libc as before. */
static void find_steady(const char *z)
{
	char path[256];
	unsigned char *d = NULL;
	size_t n = 0;
	steady_from = INT64_MAX;
	if (!strcmp(z, "UTC")) {
		steady_from = INT64_MIN;
		steady_off = 0;
		return;
	}
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", z);
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	d = malloc(1 << 20);
	if (d)
		n = fread(d, 1, 1 << 20, f);
	fclose(f);
	if (!d || n < 44 || n == 1 << 20 || memcmp(d, "TZif", 4) || d[4] < '2')
		goto out;
	/* Skip the version 1 block: counts isut, isstd, leap, time, type, char. */
	uint64_t c[6];
	for (int i = 0; i < 6; i++)
		c[i] = be(d + 20 + 4 * i, 4);
	uint64_t v1 = c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
	if (v1 > n - 44 || n - 44 - v1 < 44)
		goto out;
	const unsigned char *h = d + 44 + v1;
	if (memcmp(h, "TZif", 4))
		goto out;
	for (int i = 0; i < 6; i++)
		c[i] = be(h + 20 + 4 * i, 4);
	uint64_t v2 = c[3] * 9 + c[4] * 6 + c[5] + c[2] * 12 + c[1] + c[0];
	const unsigned char *data = h + 44, *end = d + n;
	if (c[2] || v2 > (uint64_t)(end - data) || (uint64_t)(end - data) - v2 < 2)
		goto out;
	const char *rule = (const char *)data + v2, *rule_end = (const char *)end - 1;
	if (rule[0] != '\n' || *rule_end != '\n' || !rule_is_fixed(rule + 1, rule_end))
		goto out;
	int64_t last = c[3] ? (int64_t)be(data + 8 * (c[3] - 1), 8) : INT64_MIN;
	/* The offset from libc itself, the same at the last transition and a
	 * century later. */
	time_t t0 = (time_t)(last == INT64_MIN ? 0 : last), t1 = t0 + 3155760000LL;
	struct tm a, b;
	if (!localtime_r(&t0, &a) || !localtime_r(&t1, &b) || a.tm_gmtoff != b.tm_gmtoff)
		goto out;
	steady_off = a.tm_gmtoff;
	steady_from = last;
out:
	free(d);
}

int kf_time_set_zone(const char *z)
{
	char path[256];
	if (strchr(z, '.') || strlen(z) >= sizeof zone)
		return -1;
	if (strcmp(z, "UTC") != 0) {
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", z);
		if (access(path, R_OK) != 0)
			return -1;
	}
	snprintf(zone, sizeof zone, "%s", z);
	setenv("TZ", zone, 1);
	tzset();
	find_steady(zone);
	atomic_fetch_add_explicit(&zone_gen, 1, memory_order_release);
	return 0;
}

const char *kf_time_zone(void)
{
	return zone;
}

int64_t kf_time_now_ms(void)
{
	int64_t f = atomic_load(&frozen);
	if (f >= 0)
		return f;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t kf_time_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void kf_time_freeze(int64_t ms)
{
	atomic_store(&frozen, ms);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void format_libc(int64_t ms, char out[40])
{
	time_t sec = (time_t)floor_div(ms, 1000);
	int milli = (int)(ms - (int64_t)sec * 1000);
	struct tm tm;
	localtime_r(&sec, &tm);
	/* Old local mean times (Shanghai before 1901: +08:05:43) have offsets
	 * with seconds, which RFC 3339 cannot write: such instants go in UTC. */
	bool utc = tm.tm_gmtoff % 60 != 0;
	if (utc)
		gmtime_r(&sec, &tm);
	char frac[8] = "";
	if (milli)
		snprintf(frac, sizeof frac, ".%03d", milli);
	char tz[8] = "Z";
	if (!utc) {
		long off = tm.tm_gmtoff / 60;
		char sign = off < 0 ? '-' : '+';
		if (off < 0)
			off = -off;
		snprintf(tz, sizeof tz, "%c%02d:%02d", sign, (int)(off / 60) % 100,
			 (int)(off % 60));
	}
	/* Years stay four digits: kf_time_parse accepts nothing later. */
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d%.4s%.6s", (tm.tm_year + 1900) % 10000,
		 (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
		 tm.tm_sec % 100, frac, tz);
}

/* The zone's UTC offset barely ever changes, yet localtime_r takes glibc's
 * global time-zone lock and re-parses the zone's TZ rule on every call. Since
 * the zone's last change (steady_from) the offset is known; before it each
 * thread remembers the offset for one 15-minute span (every real transition
 * falls on a quarter hour; a span whose two ends disagree is never cached);
 * kf_time_set_zone bumps zone_gen, which drops every thread's copy. */
static long gmtoff_at(int64_t sec, bool *ok)
{
	if (sec >= steady_from) {
		*ok = true;
		return steady_off;
	}
	static _Thread_local struct {
		int64_t span;
		long off;
		unsigned gen;
		bool valid;
	} c;
	int64_t span = floor_div(sec, 900);
	unsigned gen = atomic_load_explicit(&zone_gen, memory_order_acquire);
	*ok = true;
	if (c.valid && c.span == span && c.gen == gen)
		return c.off;
	struct tm a, b;
	time_t t0 = (time_t)(span * 900), t1 = t0 + 899;
	localtime_r(&t0, &a);
	localtime_r(&t1, &b);
	if (a.tm_gmtoff != b.tm_gmtoff) {
		*ok = false;
		return 0;
	}
	c.span = span;
	c.off = a.tm_gmtoff;
	c.gen = gen;
	c.valid = true;
	return c.off;
}

/* Two digits of v, 0 to 99 (every caller's range), from a table: a
 * timestamp has nine such pairs and a ticket's answer eleven timestamps. */
static char *put2(char *p, int v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	memcpy(p, pairs + 2 * (unsigned)v % 200, 2);
	return p + 2;
}

void kf_time_format(int64_t ms, char out[40])
{
	int64_t sec = floor_div(ms, 1000);
	int milli = (int)(ms - sec * 1000);
	bool ok;
	/* Outside 1900 to 9999, and across an offset change, libc does it all. */
	if (sec < -2208988800LL || sec > 253402300799LL - 86400) {
		format_libc(ms, out);
		return;
	}
	long gmtoff = gmtoff_at(sec, &ok);
	if (!ok) {
		format_libc(ms, out);
		return;
	}
	/* An offset with seconds (old local mean time) is written in UTC. */
	bool utc = gmtoff % 60 != 0;
	int64_t local = sec + (utc ? 0 : gmtoff);
	int64_t days = floor_div(local, 86400);
	int secs = (int)(local - days * 86400);
	/* Civil date from days since 1970-01-01 (H. Hinnant's algorithm). */
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (m <= 2));
	char *p = out;
	p = put2(p, y / 100);
	p = put2(p, y % 100);
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	*p++ = 'T';
	p = put2(p, secs / 3600);
	*p++ = ':';
	p = put2(p, secs / 60 % 60);
	*p++ = ':';
	p = put2(p, secs % 60);
	if (milli) {
		*p++ = '.';
		*p++ = (char)('0' + milli / 100);
		p = put2(p, milli % 100);
	}
	if (utc) {
		*p++ = 'Z';
	} else {
		long off = gmtoff / 60;
		*p++ = off < 0 ? '-' : '+';
		if (off < 0)
			off = -off;
		p = put2(p, (int)(off / 60 % 100));
		*p++ = ':';
		p = put2(p, (int)(off % 60));
	}
	*p = '\0';
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool valid_date(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

bool kf_time_parse(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, se, milli = 0;
	if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &se))
		return false;
	if (!valid_date(y, mo, d) || h > 23 || mi > 59 || se > 59)
		return false;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		int n = 0, scale = 100;
		while (*p >= '0' && *p <= '9') {
			if (n < 3)
				milli += (*p - '0') * scale, scale /= 10;
			n++, p++;
		}
		if (n == 0 || n > 9)
			return false;
	}
	int off;
	if (*p == 'Z' || *p == 'z') {
		off = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return false;
		off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = se};
	int64_t sec = (int64_t)timegm(&tm) - (int64_t)off * 60;
	/* Only instants that every zone writes with a four-digit year from
	 * 1900: 1900-01-02 to 9999-12-30 in UTC. */
	if (sec < -2208902400LL || sec >= 253402041600LL)
		return false;
	*ms = sec * 1000 + milli;
	return true;
}

bool kf_time_parse_date(const char *s, int64_t *ms)
{
	int y, mo, d;
	if (strlen(s) != 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || !valid_date(y, mo, d))
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_isdst = -1};
	time_t t = mktime(&tm);
	/* A day the zone skipped (Pacific/Apia, 2011-12-30) does not exist. */
	if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d)
		return false;
	*ms = (int64_t)t * 1000;
	return true;
}

int kf_time_local_ymd(int64_t ms)
{
	time_t sec = (time_t)floor_div(ms, 1000);
	struct tm tm;
	localtime_r(&sec, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void kf_time_format_date(int64_t ms, char out[11])
{
	unsigned ymd = (unsigned)kf_time_local_ymd(ms);
	snprintf(out, 11, "%04u-%02u-%02u", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
}

int64_t kf_time_utc_offset(int64_t ms)
{
	int64_t sec = floor_div(ms, 1000);
	bool ok;
	long off = gmtoff_at(sec, &ok);
	if (ok)
		return off;
	time_t t = (time_t)sec;
	struct tm tm;
	localtime_r(&t, &tm);
	return tm.tm_gmtoff;
}

static int64_t local_offset(int64_t ms, void *ctx)
{
	(void)ctx;
	return kf_time_utc_offset(ms);
}

const struct kf_zone *kf_time_local_zone(void)
{
	static const struct kf_zone z = {local_offset, NULL};
	return &z;
}
