/* Password rules (S-1): at least min_len characters (code points), at most
 * 256 bytes, not all of one character class (lower case, upper case, digits,
 * others), not the login or the login reversed, and not in the shipped list
 * of common passwords (common_passwords.txt, compared without regard to
 * case). A refusal is KF_EINVALID on field "password" saying which rule. */
#ifndef KF_RULES_PASSWORD_H
#define KF_RULES_PASSWORD_H
#include <stdint.h>
#include "util/err.h"

#define KF_PASSWORD_MAX_BYTES 256

int kf_password_check(const char *password, const char *login, int64_t min_len, struct kf_err *err);

#endif
