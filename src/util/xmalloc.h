/* Allocation that never returns NULL: on exhaustion kefu logs and aborts,
 * so callers do not check (after Redis zmalloc and tmux xmalloc). */
#ifndef KF_UTIL_XMALLOC_H
#define KF_UTIL_XMALLOC_H
#include <stddef.h>

void *kf_xmalloc(size_t n);
void *kf_xcalloc(size_t nmemb, size_t size);
void *kf_xrealloc(void *p, size_t n);
char *kf_xstrdup(const char *s);
char *kf_xstrndup(const char *s, size_t n);

#endif
