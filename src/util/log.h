/* Structured logging: one JSON object per line on stderr, with the time, the
 * level, the current request id (thread-local, set by the HTTP layer) and the
 * message plus optional key/value fields. */
#ifndef KF_UTIL_LOG_H
#define KF_UTIL_LOG_H

enum kf_log_level { KF_LOG_DEBUG, KF_LOG_INFO, KF_LOG_WARN, KF_LOG_ERROR };

void kf_log_set_level(enum kf_log_level lvl);
/* Parses "debug", "info", "warn", "error"; returns -1 if unknown. */
int kf_log_parse_level(const char *s);
int kf_log_enabled(enum kf_log_level lvl);
/* The request id that later log lines on this thread carry ("" for none). */
void kf_log_set_request_id(const char *id);
const char *kf_log_request_id(void);
/* For a thread of kefu's own: name is what its log lines carry as the
 * request id, and the thread's name in ps, top -H and /proc ("kf-" and
 * name, cut to the system's 15 characters). */
void kf_log_thread(const char *name);
/* msg is free text. fields, if not NULL, is a fragment of JSON members
 * ("\"status\":200,\"path\":\"/x\"") appended to the object as is. */
void kf_log(enum kf_log_level lvl, const char *fields, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define kf_log_info(...)  kf_log(KF_LOG_INFO, NULL, __VA_ARGS__)
#define kf_log_warn(...)  kf_log(KF_LOG_WARN, NULL, __VA_ARGS__)
#define kf_log_error(...) kf_log(KF_LOG_ERROR, NULL, __VA_ARGS__)

#endif
