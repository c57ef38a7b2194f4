#include <string.h>
#include <strings.h>
#include "rules/password.h"
#include "util/embed.h"
#include "util/utf8.h"

static int class_of(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return 0;
	if (c >= 'A' && c <= 'Z')
		return 1;
	if (c >= '0' && c <= '9')
		return 2;
	return 3;
}

static bool is_common(const char *pw)
{
	const struct kf_embed *list = kf_embed_find("src/rules/common_passwords.txt");
	size_t n = strlen(pw);
	if (!list)
		return false;
	const char *p = list->data, *end = list->data + list->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len == n && p[0] != '#' && !strncasecmp(p, pw, n))
			return true;
		p += len + 1;
		if (nl)
			p = nl + 1;
	}
	return false;
}

static bool is_reverse(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	for (size_t i = 0; i < n; i++) {
		char x = a[i], y = b[n - 1 - i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

int kf_password_check(const char *password, const char *login, int64_t min_len, struct kf_err *err)
{
	size_t bytes = strlen(password);
	if (bytes > KF_PASSWORD_MAX_BYTES)
		return kf_err_field(err, KF_EINVALID, "password",
				    "password is longer than %d bytes", KF_PASSWORD_MAX_BYTES);
	if (!kf_utf8_valid(password, bytes))
		return kf_err_field(err, KF_EINVALID, "password", "password is not valid UTF-8");
	if ((int64_t)kf_utf8_len(password) < min_len)
		return kf_err_field(err, KF_EINVALID, "password",
				    "password must have at least %lld characters",
				    (long long)min_len);
	unsigned classes = 0;
	for (const unsigned char *p = (const unsigned char *)password; *p; p++)
		classes |= 1u << class_of(*p);
	if (!(classes & (classes - 1)))
		return kf_err_field(err, KF_EINVALID, "password",
				    "password must mix character classes (lower case, upper case, "
				    "digits, other), not use only one");
	if (login && *login && (!strcasecmp(password, login) || is_reverse(password, login)))
		return kf_err_field(err, KF_EINVALID, "password",
				    "password must not be the login name");
	if (is_common(password))
		return kf_err_field(err, KF_EINVALID, "password",
				    "password is on the list of commonly used passwords");
	return 0;
}
