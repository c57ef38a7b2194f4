#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "util/crypto.h"
#include "util/xmalloc.h"

int kf_crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void kf_crypto_token(char out[KF_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, KF_TOKEN_LEN + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void kf_crypto_random_hex(char *out, size_t n)
{
	unsigned char raw[64];
	if (n > sizeof raw)
		n = sizeof raw;
	randombytes_buf(raw, n);
	sodium_bin2hex(out, 2 * n + 1, raw, n);
}

uint64_t kf_crypto_random_u64(void)
{
	uint64_t v;
	randombytes_buf(&v, sizeof v);
	return v;
}

void kf_crypto_sha256_hex(const void *data, size_t len, char out[KF_SHA256_HEX_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, KF_SHA256_HEX_LEN + 1, h, sizeof h);
}

#define TOKEN_MEMO 64 /* entries a thread, a power of two */

void kf_crypto_token_hash_hex(const char token[KF_TOKEN_LEN + 1], char out[KF_SHA256_HEX_LEN + 1])
{
	static _Thread_local struct {
		char token[KF_TOKEN_LEN];
		char hash[KF_SHA256_HEX_LEN + 1]; /* "" when the entry is empty */
	} memo[TOKEN_MEMO];
	unsigned k = 0;
	for (int i = 0; i < 4; i++)
		k = k * 31 + (unsigned char)token[i];
	k &= TOKEN_MEMO - 1;
	if (memo[k].hash[0] && sodium_memcmp(memo[k].token, token, KF_TOKEN_LEN) == 0) {
		memcpy(out, memo[k].hash, KF_SHA256_HEX_LEN + 1);
		return;
	}
	kf_crypto_sha256_hex(token, KF_TOKEN_LEN, out);
	memcpy(memo[k].token, token, KF_TOKEN_LEN);
	memcpy(memo[k].hash, out, KF_SHA256_HEX_LEN + 1);
}

bool kf_crypto_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

/* Each argon2id run takes 64 MiB (MEMLIMIT_INTERACTIVE) and a CPU for tens
 * of milliseconds. Sign-ins run on the server's write threads (32 by
 * default), and anyone can start one (an unknown login is checked against a
 * dummy hash): at most one run per CPU at a time, the others wait. */
static pthread_mutex_t pw_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pw_cv = PTHREAD_COND_INITIALIZER;
static int pw_running, pw_max;

static void pw_enter(void)
{
	pthread_mutex_lock(&pw_mu);
	if (!pw_max) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		pw_max = cpus > 0 ? (int)cpus : 2;
	}
	while (pw_running >= pw_max)
		pthread_cond_wait(&pw_cv, &pw_mu);
	pw_running++;
	pthread_mutex_unlock(&pw_mu);
}

static void pw_leave(void)
{
	pthread_mutex_lock(&pw_mu);
	pw_running--;
	pthread_cond_signal(&pw_cv);
	pthread_mutex_unlock(&pw_mu);
}

int kf_crypto_password_hash(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return -1;
	pw_enter();
	int rc = crypto_pwhash_str_alg(
	    out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
	pw_leave();
	return rc;
}

bool kf_crypto_password_verify(const char *hash, const char *password)
{
	pw_enter();
	bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	pw_leave();
	return ok;
}

void kf_crypto_hmac_hex(const char *key, const void *data, size_t len,
			char out[KF_SHA256_HEX_LEN + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, data, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, KF_SHA256_HEX_LEN + 1, mac, sizeof mac);
}

long kf_base64_decode(const char *s, size_t len, unsigned char *out, size_t max)
{
	size_t n = 0;
	/* Each 4 characters give at most 3 bytes: a longer text cannot fit. */
	size_t chars = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
			chars++;
	if (chars / 4 * 3 > max + 2)
		return -2;
	if (sodium_base642bin(out, max, s, len, " \t\r\n", &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return chars / 4 * 3 > max ? -2 : -1;
	return (long)n;
}

char *kf_base64_encode(const void *data, size_t len)
{
	size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *out = kf_xmalloc(cap);
	sodium_bin2base64(out, cap, data, len, sodium_base64_VARIANT_ORIGINAL);
	return out;
}
