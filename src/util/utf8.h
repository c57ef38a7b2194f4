/* UTF-8 checks for input validation: well-formedness (no overlongs, no
 * surrogates) and length in code points, which is what field limits count. */
#ifndef KF_UTIL_UTF8_H
#define KF_UTIL_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool kf_utf8_valid(const char *s, size_t n);
/* The length (1 to 4) of the well-formed character at s, of at most avail
 * bytes, or 0 if none starts there. A NUL ends a sequence, so avail may be 4
 * for a NUL-terminated string. */
size_t kf_utf8_char_len(const char *s, size_t avail);
/* Number of code points in valid UTF-8 s. */
size_t kf_utf8_len(const char *s);
/* Decodes one code point at *p (valid UTF-8 assumed), advancing *p. */
uint32_t kf_utf8_next(const char **p);
/* True for CJK ideographs (unified, extension A, compatibility). */
bool kf_utf8_is_cjk(uint32_t cp);

#endif
