#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "util/buf.h"
#include "util/log.h"

static enum kf_log_level min_level = KF_LOG_INFO;
static _Thread_local char request_id[72];

void kf_log_set_level(enum kf_log_level lvl)
{
	min_level = lvl;
}

int kf_log_parse_level(const char *s)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

int kf_log_enabled(enum kf_log_level lvl)
{
	return lvl >= min_level;
}

void kf_log_set_request_id(const char *id)
{
	/* Twice a request: a copy, not a format. */
	size_t n = id ? strnlen(id, sizeof request_id - 1) : 0;
	memcpy(request_id, id ? id : "", n);
	request_id[n] = '\0';
}

void kf_log_thread(const char *name)
{
	char os[16];
	kf_log_set_request_id(name);
	snprintf(os, sizeof os, "kf-%s", name);
	pthread_setname_np(pthread_self(), os);
}

const char *kf_log_request_id(void)
{
	return request_id;
}

void kf_log(enum kf_log_level lvl, const char *fields, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	if (lvl < min_level)
		return;
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	char when[40];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);

	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);

	struct kf_buf b;
	kf_buf_init(&b, 0);
	kf_buf_addf(&b, "{\"ts\":\"%s.%03ldZ\",\"level\":\"%s\"", when, ts.tv_nsec / 1000000,
		    names[lvl]);
	if (request_id[0]) {
		kf_buf_adds(&b, ",\"request_id\":\"");
		kf_buf_add_json_str(&b, request_id);
		kf_buf_addc(&b, '"');
	}
	kf_buf_adds(&b, ",\"msg\":\"");
	kf_buf_add_json_str(&b, msg);
	kf_buf_addc(&b, '"');
	if (fields && *fields) {
		kf_buf_addc(&b, ',');
		kf_buf_adds(&b, fields);
	}
	kf_buf_adds(&b, "}\n");
	/* One write per line keeps lines whole between threads. */
	ssize_t rc = write(STDERR_FILENO, b.data, b.len);
	(void)rc;
	kf_buf_release(&b);
}
