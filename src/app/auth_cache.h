/* Sessions answered from memory (S-1). A signed-in request looks its token up
 * in the store: one statement and, on SQLite, a read transaction whose memory
 * mapping every commit invalidates. On a single-node SQLite store every
 * sign-out, revocation and change of a person passes through this process, so
 * kefu serve keeps what a lookup found for a short time (KF_AUTH_CACHE_TTL_MS)
 * and answers the same token from memory.
 *
 * An entry is valid only in the sign-in generation it was read in
 * (kf_store_auth_generation): any write to users or sessions in this process
 * (sign-out, password change, revocation, a person's role, team or
 * deactivation) ends every entry as soon as it commits. A change made by
 * another process on the same file (SQL run by hand) counts within the TTL.
 * The expiry and idle limits are checked against each request's time, as the
 * store's lookup does; the minute's activity record (the session's
 * last_seen_at) still goes to the store: an entry is not used once it is due. */
#ifndef KF_APP_AUTH_CACHE_H
#define KF_APP_AUTH_CACHE_H
#include <stdbool.h>
#include <stdint.h>
#include "store/records.h"
#include "util/arena.h"

#define KF_AUTH_CACHE_TTL_MS 1000

struct kf_auth_cache;

/* slots: a power of two (rounded up). */
struct kf_auth_cache *kf_auth_cache_new(int slots, int64_t ttl_ms);
void kf_auth_cache_free(struct kf_auth_cache *cache);
/* The session and person stored for token_hash at now (strings copied into
 * a), if they were stored no longer than the time to live before now and in
 * the current sign-in generation. */
bool kf_auth_cache_get(struct kf_auth_cache *cache, const char *token_hash, int64_t now,
		       struct kf_arena *a, struct kf_session *s, struct kf_user *u);
/* Stores what a lookup found at now; generation is kf_store_auth_generation
 * as read before the lookup began. */
void kf_auth_cache_put(struct kf_auth_cache *cache, const char *token_hash, uint64_t generation,
		       int64_t now, const struct kf_session *s, const struct kf_user *u);

#endif
