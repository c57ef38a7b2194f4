/* Fuzzes the password rules, kf_password_check (rules/password.h). The first
 * input byte is the policy's minimum length (0 to 255; the policy allows 8 to
 * 128); the rest is the password, then a NUL, then the login (none without a
 * NUL).
 *
 * Invariants: a refusal is KF_EINVALID on field "password"; an accepted
 * password is at most KF_PASSWORD_MAX_BYTES bytes of valid UTF-8 with at
 * least the minimum number of code points, mixes character classes and is
 * not the login, forwards or reversed, in any case, nor a line of the shipped
 * list of common passwords. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rules/password.h"
#include "util/embed.h"
#include "util/utf8.h"

/* Checked in every build type (assert() vanishes under NDEBUG). */
#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool reversed(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[n - 1 - i]))
			return false;
	return true;
}

static bool one_class(const char *s)
{
	int first = -1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int c = (*p >= 'a' && *p <= 'z')   ? 0
			: (*p >= 'A' && *p <= 'Z') ? 1
			: (*p >= '0' && *p <= '9') ? 2
						   : 3;
		if (first >= 0 && c != first)
			return false;
		first = c;
	}
	return true;
}

/* Whether s is a line of the common-password list, ignoring case. */
static bool listed(const char *s)
{
	const struct kf_embed *e = kf_embed_find("src/rules/common_passwords.txt");
	CHECK(e);
	char *copy = malloc(e->len + 1);
	memcpy(copy, e->data, e->len);
	copy[e->len] = '\0';
	bool found = false;
	for (char *line = copy, *next; line && !found; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		found = line[0] != '#' && !strcasecmp(line, s);
	}
	free(copy);
	return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int64_t min_len = data[0];
	char *buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	const char *password = buf;
	size_t pw_len = strlen(password);
	const char *login = pw_len + 1 < size ? buf + pw_len + 1 : NULL;

	struct kf_err err = {0};
	int rc = kf_password_check(password, login, min_len, &err);
	if (rc) {
		CHECK(rc == KF_EINVALID);
		CHECK(!strcmp(err.field, "password"));
		CHECK(err.message[0]);
	} else {
		CHECK(pw_len <= KF_PASSWORD_MAX_BYTES);
		CHECK(kf_utf8_valid(password, pw_len));
		CHECK((int64_t)kf_utf8_len(password) >= min_len);
		CHECK(!one_class(password));
		if (login && *login) {
			CHECK(strcasecmp(password, login) != 0);
			CHECK(!reversed(password, login));
		}
		CHECK(!listed(password));
	}
	free(buf);
	return 0;
}
