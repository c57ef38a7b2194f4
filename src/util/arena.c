#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/arena.h"
#include "util/spare.h"
#include "util/xmalloc.h"

#define BLOCK_SIZE 8192

struct kf_arena_block {
	struct kf_arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct kf_arena_defer {
	struct kf_arena_defer *next;
	void (*fn)(void *);
	void *p;
};

void kf_arena_init(struct kf_arena *a)
{
	a->blocks = NULL;
	a->defers = NULL;
}

void kf_arena_release(struct kf_arena *a)
{
	/* Defers are allocated inside the arena; run them before freeing it. */
	for (struct kf_arena_defer *d = a->defers; d; d = d->next)
		d->fn(d->p);
	struct kf_arena_block *b = a->blocks;
	while (b) {
		struct kf_arena_block *next = b->next;
		/* A standard block is kept for the thread's next arena. */
		if (b->size == BLOCK_SIZE)
			kf_spare_give(b, sizeof *b + BLOCK_SIZE);
		else
			free(b);
		b = next;
	}
	kf_arena_init(a);
}

void *kf_arena_alloc(struct kf_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (!n)
		n = align;
	struct kf_arena_block *b = a->blocks;
	if (n > BLOCK_SIZE / 2) {
		/* A large one-off allocation gets its own block, kept below the
		 * current one so that small allocations go on filling that. */
		struct kf_arena_block *nb = kf_xmalloc(sizeof *nb + n);
		nb->used = nb->size = n;
		if (b) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = NULL;
			a->blocks = nb;
		}
		return nb->data;
	}
	if (!b || b->size - b->used < n) {
		struct kf_arena_block *nb = kf_spare_take(sizeof *nb + BLOCK_SIZE);
		nb->used = 0;
		nb->size = BLOCK_SIZE;
		nb->next = b;
		a->blocks = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void *kf_arena_zalloc(struct kf_arena *a, size_t n)
{
	void *p = kf_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *kf_arena_strndup(struct kf_arena *a, const char *s, size_t n)
{
	char *p = kf_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kf_arena_strdup(struct kf_arena *a, const char *s)
{
	return kf_arena_strndup(a, s, strlen(s));
}

char *kf_arena_printf(struct kf_arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *p = kf_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void kf_arena_defer(struct kf_arena *a, void (*fn)(void *), void *p)
{
	struct kf_arena_defer *d = kf_arena_alloc(a, sizeof *d);
	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
}

void *kf_arena_grow(struct kf_arena *a, void *items, int n, int *cap, size_t sz)
{
	int next = *cap ? *cap * 2 : 8;
	void *more = kf_arena_zalloc(a, sz * (size_t)next);
	if (n)
		memcpy(more, items, sz * (size_t)n);
	*cap = next;
	return more;
}
