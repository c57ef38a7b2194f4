#include <stdio.h>
#include <string.h>
#include "util/err.h"

static void vset(struct kf_err *err, enum kf_errcode code, const char *fmt, va_list ap)
{
	err->code = code;
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	err->field[0] = '\0';
	err->rule[0] = '\0';
	err->retry_after = 0;
}

int kf_err_set(struct kf_err *err, enum kf_errcode code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vset(err, code, fmt, ap);
		va_end(ap);
	}
	return code;
}

int kf_err_field(struct kf_err *err, enum kf_errcode code, const char *field, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vset(err, code, fmt, ap);
		va_end(ap);
		snprintf(err->field, sizeof err->field, "%s", field);
	}
	return code;
}

int kf_err_rule(struct kf_err *err, enum kf_errcode code, const char *rule, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vset(err, code, fmt, ap);
		va_end(ap);
		snprintf(err->rule, sizeof err->rule, "%s", rule);
	}
	return code;
}

void kf_err_clear(struct kf_err *err)
{
	memset(err, 0, sizeof *err);
}

const char *kf_err_name(enum kf_errcode code)
{
	switch (code) {
	case KF_OK:
		return "ok";
	case KF_EBADREQ:
		return "bad_request";
	case KF_EUNAUTH:
		return "unauthorized";
	case KF_EFORBIDDEN:
		return "forbidden";
	case KF_ENOTFOUND:
		return "not_found";
	case KF_ECONFLICT:
		return "conflict";
	case KF_ETOOLARGE:
		return "payload_too_large";
	case KF_EINVALID:
		return "validation_failed";
	case KF_ERULE:
		return "rule_violated";
	case KF_ETOOMANY:
		return "too_many_requests";
	case KF_EMETHOD:
		return "method_not_allowed";
	case KF_EUNAVAILABLE:
		return "unavailable";
	case KF_EGONE:
		return "gone";
	case KF_EINTERNAL:
		break;
	}
	return "internal";
}

unsigned kf_err_http_status(enum kf_errcode code)
{
	switch (code) {
	case KF_OK:
		return 200;
	case KF_EBADREQ:
		return 400;
	case KF_EUNAUTH:
		return 401;
	case KF_EFORBIDDEN:
		return 403;
	case KF_ENOTFOUND:
		return 404;
	case KF_ECONFLICT:
		return 409;
	case KF_ETOOLARGE:
		return 413;
	case KF_EINVALID:
	case KF_ERULE:
		return 422;
	case KF_ETOOMANY:
		return 429;
	case KF_EMETHOD:
		return 405;
	case KF_EUNAVAILABLE:
		return 503;
	case KF_EGONE:
		return 410;
	case KF_EINTERNAL:
		break;
	}
	return 500;
}

void kf_err_prefix_field(struct kf_err *err, const char *prefix)
{
	char field[sizeof err->field];
	size_t n = strlen(prefix);
	if (!err || n + 1 >= sizeof field)
		return;
	memcpy(field, prefix, n);
	if (err->field[0]) {
		field[n++] = '.';
		size_t m = strnlen(err->field, sizeof field - n - 1);
		memcpy(field + n, err->field, m);
		n += m;
	}
	field[n] = '\0';
	memcpy(err->field, field, n + 1);
}
