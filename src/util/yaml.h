/* Reads a YAML document (the policy, the OpenAPI description) into a jansson
 * value with libyaml. Plain scalars resolve as in YAML 1.2's core schema:
 * integers, true/false, null and floats become JSON numbers, booleans and
 * null; quoted scalars stay strings. Anchors, aliases, tags and several
 * documents in one stream are refused: kefu's documents do not need them and
 * a reader should see every value where it stands. */
#ifndef KF_UTIL_YAML_H
#define KF_UTIL_YAML_H
#include <stddef.h>
#include <jansson.h>
#include "util/err.h"

/* On success *out is a new reference. Errors are KF_EINVALID with the line
 * and column in the message. */
int kf_yaml_to_json(const char *text, size_t len, json_t **out, struct kf_err *err);

#endif
