/* Fuzzes the reader of shift templates and coverage (W-1, W-3),
 * kf_roster_problem_set_shifts (rules/roster.h), which takes what a
 * supervisor sends to PUT /api/v1/shift-templates: the input is a JSON
 * object {"templates": …, "coverage": …} for a month chosen by its first
 * byte.
 *
 * Invariants: a refusal is KF_EINVALID with a message and a field; an
 * accepted input gives 1 to KF_ROSTER_MAX_SHIFTS shifts with distinct names,
 * starts 00:00 … 23:59, ends 00:00 … 24:00 other than the start, and needs
 * 0 … 1000 on every day and shift; and the problem then passes
 * kf_roster_check_problem's shift checks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "rules/roster.h"
#include "util/log.h"

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	kf_log_set_level(KF_LOG_ERROR);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	json_t *doc = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
	if (!doc)
		return 0;
	struct kf_roster_problem p;
	memset(&p, 0, sizeof p);
	p.year = 2024 + data[0] % 4;
	p.month = 1 + data[0] / 4 % 12;
	struct kf_err err = {0};
	int rc = kf_roster_problem_set_shifts(&p, json_object_get(doc, "templates"),
					      json_object_get(doc, "coverage"), &err);
	if (rc) {
		CHECK(rc == KF_EINVALID);
		CHECK(err.message[0] && err.field[0]);
	} else {
		int nd = kf_roster_days_in_month(p.year, p.month);
		CHECK(p.nshifts >= 1 && p.nshifts <= KF_ROSTER_MAX_SHIFTS);
		for (int s = 0; s < p.nshifts; s++) {
			CHECK(p.shifts[s].name[0]);
			CHECK(p.shifts[s].start_min >= 0 && p.shifts[s].start_min <= 1439);
			CHECK(p.shifts[s].end_min >= 0 && p.shifts[s].end_min <= 1440);
			CHECK(p.shifts[s].end_min != p.shifts[s].start_min);
			for (int t = 0; t < s; t++)
				CHECK(strcmp(p.shifts[s].name, p.shifts[t].name));
			for (int d = 0; d < nd; d++)
				CHECK(p.need[d][s] >= 0 && p.need[d][s] <= 1000);
		}
	}
	json_decref(doc);
	return 0;
}
