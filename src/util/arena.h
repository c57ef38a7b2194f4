/* A region allocator: one per HTTP request and per CLI command, freed once
 * when the work is done (lwan's request arena). Handlers and use cases
 * allocate from it and never free field by field. Objects owned by libraries
 * (jansson values) are released by deferred callbacks run at kf_arena_release.
 * A zeroed struct is a valid empty arena. */
#ifndef KF_UTIL_ARENA_H
#define KF_UTIL_ARENA_H
#include <stddef.h>

struct kf_arena_block;
struct kf_arena_defer;

struct kf_arena {
	struct kf_arena_block *blocks;
	struct kf_arena_defer *defers;
};

void kf_arena_init(struct kf_arena *a);
/* Runs the deferred callbacks (last registered first) and frees all memory. */
void kf_arena_release(struct kf_arena *a);
/* n bytes aligned for any type; never NULL. */
void *kf_arena_alloc(struct kf_arena *a, size_t n);
void *kf_arena_zalloc(struct kf_arena *a, size_t n);
char *kf_arena_strdup(struct kf_arena *a, const char *s);
char *kf_arena_strndup(struct kf_arena *a, const char *s, size_t n);
char *kf_arena_printf(struct kf_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An arena array of n elements of size sz, with room for *cap, moved to
 * room for twice as many (8 when *cap is 0); *cap is updated. */
void *kf_arena_grow(struct kf_arena *a, void *items, int n, int *cap, size_t sz);
/* Calls fn(p) when the arena is released. */
void kf_arena_defer(struct kf_arena *a, void (*fn)(void *), void *p);

#endif
