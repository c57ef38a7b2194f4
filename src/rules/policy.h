/* The policy document (P-1 … P-4): every number and list that SPEC marks as
 * policy, in one human-editable YAML document per organisation. The shipped
 * default (policy_default.yaml, compiled in) reproduces the seed regulations.
 *
 * A document is checked against the default: every key must be one the
 * default has (unknown keys are refused, so a typo is never silently
 * ignored), every value must have the default's type, and the constraints in
 * policy.c (ranges, enumerations, formats) must hold. Keys the document leaves
 * out take the default's value, so an organisation writes only what it
 * changes. Errors name the key by its dotted path ("deadlines.l8_close_days")
 * in err->field.
 *
 * A parsed policy is immutable and reference-counted, so that threads share
 * the version in force without copying it. */
#ifndef KF_RULES_POLICY_H
#define KF_RULES_POLICY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "util/err.h"

struct kf_policy;

/* The shipped default document (YAML text). */
const char *kf_policy_default_text(void);
/* Parses and validates a document. On success *out holds one reference. */
int kf_policy_parse(const char *text, size_t len, struct kf_policy **out, struct kf_err *err);
struct kf_policy *kf_policy_ref(struct kf_policy *p);
void kf_policy_unref(struct kf_policy *p);
/* The full effective values (document merged over the default) as JSON;
 * borrowed, lives as long as p. */
const json_t *kf_policy_values(const struct kf_policy *p);
/* Looks up a dotted path; NULL if absent. */
const json_t *kf_policy_get(const struct kf_policy *p, const char *path);
/* Typed lookups of keys the default defines; a missing key or a wrong type
 * is a programming error and aborts (validation guarantees presence). */
int64_t kf_policy_int(const struct kf_policy *p, const char *path);
bool kf_policy_bool(const struct kf_policy *p, const char *path);
const char *kf_policy_str(const struct kf_policy *p, const char *path);

#endif
