/* The Shift Scheduling Benchmark (Curtois & Qu, schedulingbenchmarks.org,
 * "Nurse Rostering Instances 1..24") on the roster optimiser.
 *
 * kf_ssb_parse reads the text format (seven sections, comma-separated,
 * `#` comments, CRLF or LF; /work/shared/data/shift-benchmarks/README.md
 * describes it) and validates every field: an error names the line and the
 * field ("line 14: MaxShifts ..." with err->field "STAFF.MaxShifts").
 * Horizons beyond KF_ROSTER_MAX_DAYS (31) days, more than
 * KF_ROSTER_MAX_SHIFTS shift types or KF_ROSTER_MAX_AGENTS employees are
 * refused (instances 1–5 have 14 or 28 days; 6–24 are longer).
 *
 * kf_ssb_problem maps an instance onto struct kf_roster_problem with the
 * kf_roster_ext extensions (docs/workforce.md has the mapping);
 * kf_ssb_evaluate scores a roster with the benchmark's own objective and
 * hard constraints H1–H9, independently of the optimiser's code, reading A
 * of the horizon's edges (runs touching the first or last day are exempt
 * from the minimum run lengths). Pure: no I/O. */
#ifndef KF_RULES_ROSTER_SSB_H
#define KF_RULES_ROSTER_SSB_H
#include <stddef.h>
#include <stdint.h>
#include "rules/roster.h"
#include "util/err.h"

struct kf_ssb_shift {
	char id[33];
	int minutes;
	uint16_t cannot_follow; /* bit t: shift t may not be worked the next day */
};

struct kf_ssb_staff {
	char id[64];
	struct kf_roster_agent_rules rules; /* -1 = no limit, as in roster.h */
	uint32_t days_off;		    /* bit d: must not work on day d */
};

struct kf_ssb_instance {
	int ndays;
	int nshifts;
	struct kf_ssb_shift shifts[KF_ROSTER_MAX_SHIFTS];
	int nstaff;
	struct kf_ssb_staff *staff;
	int nrequests; /* shift-on and shift-off requests */
	struct kf_roster_request *requests;
	int need[KF_ROSTER_MAX_DAYS][KF_ROSTER_MAX_SHIFTS];
	int under[KF_ROSTER_MAX_DAYS][KF_ROSTER_MAX_SHIFTS];
	int over[KF_ROSTER_MAX_DAYS][KF_ROSTER_MAX_SHIFTS];
};

/* Parses and validates an instance; *out is owned by the caller
 * (kf_ssb_free) on success and left empty on failure. */
int kf_ssb_parse(const char *text, size_t len, struct kf_ssb_instance *out, struct kf_err *err);
void kf_ssb_free(struct kf_ssb_instance *in);

/* The roster problem of an instance. agents (in->nstaff entries), rules
 * (in->nstaff entries) and ext are the caller's storage, referenced by p,
 * so they must outlive it. hard_weight: the search's cost of one unit of
 * hard-constraint violation (e.g. 1000). */
int kf_ssb_problem(const struct kf_ssb_instance *in, double hard_weight,
		   struct kf_roster_problem *p, struct kf_roster_agent *agents,
		   struct kf_roster_agent_rules *rules, struct kf_roster_ext *ext,
		   struct kf_err *err);

/* The benchmark's score of a roster (cells[e * ndays + d]: a shift index,
 * or negative for a day off). */
struct kf_ssb_score {
	long objective; /* requests + cover, as the benchmark defines it */
	long requests, cover;
	int hard;	 /* hard-constraint violations, H1–H9 */
	int by_rule[10]; /* [k]: violations of Hk (H1 cannot occur in this representation) */
	char first[256]; /* the first violation, "" if none */
};
void kf_ssb_evaluate(const struct kf_ssb_instance *in, const int8_t *cells,
		     struct kf_ssb_score *out);

#endif
