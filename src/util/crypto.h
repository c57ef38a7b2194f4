/* Random tokens, ids and hashes (libsodium). Tokens are 256-bit random values
 * in URL-safe base64; the store keeps only their SHA-256, which is the right
 * hash for high-entropy secrets (argon2id is for passwords). */
#ifndef KF_UTIL_CRYPTO_H
#define KF_UTIL_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KF_TOKEN_LEN	  43 /* 32 bytes in base64url without padding */
#define KF_SHA256_HEX_LEN 64

/* Must succeed before any other function here; returns -1 if libsodium fails. */
int kf_crypto_init(void);
/* out gets KF_TOKEN_LEN characters and a NUL. */
void kf_crypto_token(char out[KF_TOKEN_LEN + 1]);
/* n random bytes as 2n lowercase hex digits and a NUL. */
void kf_crypto_random_hex(char *out, size_t n);
/* A random 64-bit value from the CSPRNG. */
uint64_t kf_crypto_random_u64(void);
/* SHA-256 of data as 64 hex digits and a NUL. */
void kf_crypto_sha256_hex(const void *data, size_t len, char out[KF_SHA256_HEX_LEN + 1]);
/* SHA-256 of a session token (KF_TOKEN_LEN characters) as kf_crypto_sha256_hex
 * gives it, remembered per thread for the last tokens seen: every signed-in
 * request hashes its token, 6 % of a ticket read's instructions. A token is
 * looked up by its first characters (random) and compared in constant
 * time; what is remembered is only the hash function's answer. */
void kf_crypto_token_hash_hex(const char token[KF_TOKEN_LEN + 1], char out[KF_SHA256_HEX_LEN + 1]);
/* Constant-time comparison of two NUL-terminated strings. */
bool kf_crypto_streq(const char *a, const char *b);
/* argon2id hash of password into out (crypto_pwhash_STRBYTES). 0 or -1.
 * This and the check below run at most one per CPU at a time (64 MiB each);
 * callers beyond wait. */
int kf_crypto_password_hash(const char *password, char *out, size_t outlen);
bool kf_crypto_password_verify(const char *hash, const char *password);

/* HMAC-SHA-256 of data under key, as 64 hex digits and a NUL. */
void kf_crypto_hmac_hex(const char *key, const void *data, size_t len,
			char out[KF_SHA256_HEX_LEN + 1]);

/* Standard base64 (with padding; spaces and newlines ignored) of at most
 * max decoded bytes into out. Returns the length, -1 when s is not base64,
 * -2 when it decodes to more than max bytes. */
long kf_base64_decode(const char *s, size_t len, unsigned char *out, size_t max);
/* Standard base64 of data, NUL-terminated, into a malloc'd string. */
char *kf_base64_encode(const void *data, size_t len);

#endif
