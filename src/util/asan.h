/* Marking memory kefu keeps for reuse as not to be touched, so that a use of
 * it after its owner gave it back is still found under AddressSanitizer;
 * nothing otherwise. Start at an 8-byte boundary. */
#ifndef KF_UTIL_ASAN_H
#define KF_UTIL_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define KF_POISON(p, n)	  ASAN_POISON_MEMORY_REGION(p, n)
#define KF_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define KF_POISON(p, n)	  ((void)(p), (void)(n))
#define KF_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#endif
