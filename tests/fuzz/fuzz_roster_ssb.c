/* Fuzzes kf_ssb_parse (rules/roster_ssb.h), the reader of the Shift
 * Scheduling Benchmark format. Besides memory errors and leaks it checks
 * that a refused file names a field and a line, and that an accepted one is
 * a valid roster problem whose every-rest roster the scorer can score. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/roster_ssb.h"

/* Checked in every build type (CHECK() vanishes under NDEBUG). */
#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kf_ssb_instance in;
	struct kf_err err = {0};
	int rc = kf_ssb_parse((const char *)data, size, &in, &err);
	if (rc) {
		CHECK(rc == KF_EINVALID);
		CHECK(err.field[0]);
		CHECK(!strcmp(err.field, "file") || strstr(err.message, "line "));
		CHECK(in.staff == NULL && in.requests == NULL);
		return 0;
	}
	CHECK(in.ndays >= 1 && in.ndays <= KF_ROSTER_MAX_DAYS);
	CHECK(in.nshifts >= 1 && in.nstaff >= 1);
	struct kf_roster_problem p;
	struct kf_roster_agent *ag = calloc((size_t)in.nstaff, sizeof(*ag));
	struct kf_roster_agent_rules *rules = calloc((size_t)in.nstaff, sizeof(*rules));
	struct kf_roster_ext ext;
	CHECK(kf_ssb_problem(&in, 200, &p, ag, rules, &ext, &err) == 0);
	size_t n = (size_t)in.nstaff * (size_t)in.ndays;
	int8_t *cells = malloc(n);
	memset(cells, -1, n);
	struct kf_ssb_score sc;
	kf_ssb_evaluate(&in, cells, &sc);
	CHECK(sc.requests >= 0 && sc.cover >= 0 && sc.objective == sc.requests + sc.cover);
	free(cells);
	free(ag);
	free(rules);
	kf_ssb_free(&in);
	return 0;
}
