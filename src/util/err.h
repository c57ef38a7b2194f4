/* Error codes and the caller-owned error detail every fallible kefu function
 * fills. Functions return 0 or a negative enum kf_errcode; the detail says
 * what went wrong in English, which input field (if any) and which SPEC rule
 * (if a regulation refused it). kf_http_error() is the one place that maps a
 * code to an HTTP status and the API error body. */
#ifndef KF_UTIL_ERR_H
#define KF_UTIL_ERR_H
#include <stdarg.h>

enum kf_errcode {
	KF_OK = 0,
	KF_EBADREQ = -1,       /* unparsable input (400) */
	KF_EUNAUTH = -2,       /* not signed in (401) */
	KF_EFORBIDDEN = -3,    /* signed in, not allowed (403) */
	KF_ENOTFOUND = -4,     /* no such thing (404) */
	KF_ECONFLICT = -5,     /* stale version, wrong state, duplicate (409) */
	KF_ETOOLARGE = -6,     /* body over the limit (413) */
	KF_EINVALID = -7,      /* a field is missing or wrong (422) */
	KF_ERULE = -8,	       /* a regulation forbids it (422 with rule) */
	KF_ETOOMANY = -9,      /* throttled (429) */
	KF_EINTERNAL = -10,    /* our fault or the store's (500) */
	KF_EMETHOD = -11,      /* path exists, method does not (405) */
	KF_EUNAVAILABLE = -12, /* store unreachable, shutting down (503) */
	KF_EGONE = -13	       /* existed once, no longer usable: a used link (410) */
};

struct kf_err {
	enum kf_errcode code;
	char message[512];
	char field[128];
	char rule[16];
	int retry_after; /* seconds, for KF_ETOOMANY; 0 if none */
};

/* Records code and a printf-style message; returns code so that a failure
 * is one line: return kf_err_set(err, KF_ENOTFOUND, "user %s not found", id).
 * err may be NULL. Clears field and rule. */
int kf_err_set(struct kf_err *err, enum kf_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As kf_err_set, naming the offending input field. */
int kf_err_field(struct kf_err *err, enum kf_errcode code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* As kf_err_set with KF_ERULE (or another code) and the SPEC rule id. */
int kf_err_rule(struct kf_err *err, enum kf_errcode code, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void kf_err_clear(struct kf_err *err);
/* Puts prefix before err->field ("document" + "." + "deadlines.x"), so that a
 * nested validator's field names the request field it came from. */
void kf_err_prefix_field(struct kf_err *err, const char *prefix);
/* Stable lower-case name of a code, as used in the API error body. */
const char *kf_err_name(enum kf_errcode code);
/* HTTP status for a code. */
unsigned kf_err_http_status(enum kf_errcode code);

#endif
