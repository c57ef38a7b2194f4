#include <pthread.h>
#include <stdlib.h>
#include "util/asan.h"
#include "util/spare.h"
#include "util/xmalloc.h"

#define SIZES 4 /* sizes a thread keeps blocks of */
#define KEEP  4 /* blocks of each size */

struct spares {
	struct {
		size_t size;
		int n;
		void *p[KEEP];
	} s[SIZES];
};

static _Thread_local struct spares *mine;
static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void release(void *arg)
{
	struct spares *sp = arg;
	for (int i = 0; i < SIZES; i++)
		while (sp->s[i].n) {
			void *p = sp->s[i].p[--sp->s[i].n];
			KF_UNPOISON(p, sp->s[i].size);
			free(p);
		}
	free(sp);
	mine = NULL;
}

static void key_create(void)
{
	(void)pthread_key_create(&key, release);
}

void *kf_spare_take(size_t size)
{
	struct spares *sp = mine;
	if (sp)
		for (int i = 0; i < SIZES; i++)
			if (sp->s[i].size == size && sp->s[i].n) {
				void *p = sp->s[i].p[--sp->s[i].n];
				KF_UNPOISON(p, size);
				return p;
			}
	return kf_xmalloc(size);
}

void kf_spare_give(void *p, size_t size)
{
	struct spares *sp = mine;
	if (!p)
		return;
	if (!sp) {
		pthread_once(&key_once, key_create);
		sp = mine = kf_xcalloc(1, sizeof *sp);
		/* The key's destructor frees them when the thread exits; the
		 * main thread's stay reachable until the process ends. */
		(void)pthread_setspecific(key, sp);
	}
	int slot = -1;
	for (int i = 0; i < SIZES; i++) {
		if (sp->s[i].size == size) {
			slot = i;
			break;
		}
		if (slot < 0 && !sp->s[i].n)
			slot = i;
	}
	if (slot < 0 || sp->s[slot].n == KEEP) {
		free(p);
		return;
	}
	sp->s[slot].size = size;
	sp->s[slot].p[sp->s[slot].n++] = p;
	/* Untouchable until taken again (under AddressSanitizer). */
	KF_POISON(p, size);
}
