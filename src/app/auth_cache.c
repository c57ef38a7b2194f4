/* Sessions answered from memory: a direct-mapped table of slots by the token
 * hash's first bits, under one mutex (a hit copies a few short strings). */
#include "app/auth_cache.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"
#include "util/crypto.h"
#include "util/xmalloc.h"

struct slot {
	char hash[KF_SHA256_HEX_LEN + 1]; /* "" when empty */
	uint64_t generation;
	int64_t stored_at;
	struct kf_session s;
	struct kf_user u;
	char *strings; /* one block for the strings of s and u */
};

struct kf_auth_cache {
	pthread_mutex_t mu;
	int64_t ttl_ms;
	unsigned mask;
	struct slot *slots;
};

struct kf_auth_cache *kf_auth_cache_new(int slots, int64_t ttl_ms)
{
	unsigned n = 1;
	while (n < (unsigned)(slots > 1 ? slots : 1) && n < (1u << 20))
		n <<= 1;
	struct kf_auth_cache *c = kf_xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	c->ttl_ms = ttl_ms;
	c->mask = n - 1;
	c->slots = kf_xcalloc(n, sizeof *c->slots);
	return c;
}

void kf_auth_cache_free(struct kf_auth_cache *cache)
{
	if (!cache)
		return;
	for (unsigned i = 0; i <= cache->mask; i++)
		free(cache->slots[i].strings);
	free(cache->slots);
	pthread_mutex_destroy(&cache->mu);
	free(cache);
}

static struct slot *slot_of(struct kf_auth_cache *cache, const char *hash)
{
	unsigned v = 0;
	for (int i = 0; i < 8 && hash[i]; i++) {
		char ch = hash[i];
		v = v << 4 | (unsigned)(ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
	}
	return &cache->slots[v & cache->mask];
}

/* The strings of one entry, in the order they are packed. */
#define NSTR 6
static void fields(struct kf_session *s, struct kf_user *u, const char **out[NSTR])
{
	out[0] = &s->csrf_hash;
	out[1] = &u->login;
	out[2] = &u->name;
	out[3] = &u->role;
	out[4] = &u->level;
	out[5] = &u->hired_on;
}

bool kf_auth_cache_get(struct kf_auth_cache *cache, const char *token_hash, int64_t now,
		       struct kf_arena *a, struct kf_session *s, struct kf_user *u)
{
	bool hit = false;
	pthread_mutex_lock(&cache->mu);
	struct slot *e = slot_of(cache, token_hash);
	if (e->hash[0] && !strcmp(e->hash, token_hash) &&
	    e->generation == kf_store_auth_generation() && now >= e->stored_at &&
	    now - e->stored_at < cache->ttl_ms) {
		*s = e->s;
		*u = e->u;
		const char **f[NSTR];
		fields(s, u, f);
		for (int i = 0; i < NSTR; i++)
			if (*f[i])
				*f[i] = kf_arena_strdup(a, *f[i]);
		hit = true;
	}
	pthread_mutex_unlock(&cache->mu);
	return hit;
}

void kf_auth_cache_put(struct kf_auth_cache *cache, const char *token_hash, uint64_t generation,
		       int64_t now, const struct kf_session *s, const struct kf_user *u)
{
	if (strlen(token_hash) != KF_SHA256_HEX_LEN)
		return;
	struct kf_session cs = *s;
	struct kf_user cu = *u;
	cu.password_hash = NULL;
	const char **f[NSTR];
	fields(&cs, &cu, f);
	size_t len = 0;
	for (int i = 0; i < NSTR; i++)
		len += *f[i] ? strlen(*f[i]) + 1 : 0;
	char *block = kf_xmalloc(len ? len : 1), *p = block;
	for (int i = 0; i < NSTR; i++)
		if (*f[i]) {
			size_t n = strlen(*f[i]) + 1;
			memcpy(p, *f[i], n);
			*f[i] = p;
			p += n;
		}
	pthread_mutex_lock(&cache->mu);
	struct slot *e = slot_of(cache, token_hash);
	char *old = e->strings;
	memcpy(e->hash, token_hash, sizeof e->hash);
	e->generation = generation;
	e->stored_at = now;
	e->s = cs;
	e->u = cu;
	e->strings = block;
	pthread_mutex_unlock(&cache->mu);
	free(old);
}
