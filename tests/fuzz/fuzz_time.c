/* Fuzzes the time parsers of util/time.h: kf_time_parse (RFC 3339 with an
 * offset) and kf_time_parse_date (YYYY-MM-DD as local midnight).
 *
 * The input is the string to parse (up to its first NUL). It may start with a
 * line "@<zone>\n" naming the local time zone from the list below (zones with
 * odd offsets, DST at midnight, negative DST, local mean time); otherwise the
 * zone is Asia/Shanghai, the shipped default.
 *
 * Invariants: an instant kf_time_parse accepts, formatted by kf_time_format,
 * parses again to the same instant; a date kf_time_parse_date accepts is
 * written back unchanged by kf_time_format_date and is the local date of the
 * instant returned. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/time.h"

/* Checked in every build type (assert() vanishes under NDEBUG). */
#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define DEFAULT_ZONE "Asia/Shanghai"

static const char *const zones[] = {
    "UTC",
    "Asia/Shanghai",
    "America/Sao_Paulo",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "Europe/Dublin",
    "America/St_Johns",
    "Pacific/Chatham",
    "Africa/Monrovia",
};

static void use_zone(const char *z)
{
	if (strcmp(kf_time_zone(), z) != 0)
		CHECK(kf_time_set_zone(z) == 0);
}

/* Takes "@<zone>\n" off the front of s if the zone is one of the list. */
static const char *pick_zone(const char *s)
{
	const char *nl = s[0] == '@' ? strchr(s, '\n') : NULL;
	if (nl) {
		size_t n = (size_t)(nl - s - 1);
		for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
			if (strlen(zones[i]) == n && !memcmp(zones[i], s + 1, n)) {
				use_zone(zones[i]);
				return nl + 1;
			}
		}
	}
	use_zone(DEFAULT_ZONE);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	const char *s = pick_zone(buf);

	int64_t ms, again;
	if (kf_time_parse(s, &ms)) {
		char out[40];
		CHECK(strlen(s) >= 20);
		kf_time_format(ms, out);
		bool parses = kf_time_parse(out, &again);
		if (!parses || again != ms) {
			fprintf(stderr, "invariant failed: %s is %lld ms, formatted in %s as %s, ",
				s, (long long)ms, kf_time_zone(), out);
			if (parses)
				fprintf(stderr, "which is %lld ms\n", (long long)again);
			else
				fprintf(stderr, "which does not parse\n");
			abort();
		}
	}
	if (kf_time_parse_date(s, &ms)) {
		char out[11];
		kf_time_format_date(ms, out);
		if (strcmp(out, s) != 0) {
			fprintf(stderr,
				"invariant failed: date %s is %lld ms in %s, formatted as %s\n", s,
				(long long)ms, kf_time_zone(), out);
			abort();
		}
		int y = 0, m = 0, d = 0;
		CHECK(sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3);
		CHECK(kf_time_local_ymd(ms) == y * 10000 + m * 100 + d);
	}
	free(buf);
	return 0;
}
