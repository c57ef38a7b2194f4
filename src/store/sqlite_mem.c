/* SQLite's memory, with a thread's free lists of small blocks in front of
 * malloc.
 *
 * A statement copies every text column it reads into memory of its own and
 * frees the copies when it ends. SQLite serves such small, short-lived
 * allocations from a per-connection pool, its lookaside allocator, except
 * that Debian's build leaves it out (SQLITE_OMIT_LOOKASIDE): each was a
 * malloc and a free, about 25 of each and 8 % of the instructions of a
 * ticket read. Here a block of up to MAX_SMALL bytes goes, when freed, to
 * its size class's list on the freeing thread (at most KEEP blocks a
 * class and KEEP_BYTES in all), and the thread's next allocation of that
 * class takes it back.
 * A thread's lists are freed when it exits.
 *
 * Each block starts with 8 bytes holding its usable size (SQLite asks for
 * it, and for 8-byte alignment, which malloc's 16 leaves); a listed block
 * keeps it, and its link to the next comes after it. Under
 * AddressSanitizer a listed block is poisoned past its link (which the leak
 * checker must see), so that a use after free inside SQLite is found. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store/sqlite_mem.h"
#include "util/asan.h"

#define HEAD	  8
#define LINKED	  (HEAD + 8) /* a listed block's size and link, never poisoned */
#define STEP	  16
#define MAX_SMALL 1024
#define CLASSES	  (MAX_SMALL / STEP)
#define KEEP	  16
/* A thread keeps at most this much (a few hundred threads may use SQLite:
 * the connection threads, the write threads, the checkpointers). */
#define KEEP_BYTES (64 * 1024)

struct lists {
	void *head[CLASSES];
	int n[CLASSES];
	int64_t bytes; /* in all the lists, at most KEEP_BYTES */
};

static _Thread_local struct lists *mine;
static pthread_key_t key;
static int key_ok;

static int class_of(int64_t n)
{
	return (int)((n + STEP - 1) / STEP) - 1;
}

/* A listed block's link is kept where its data goes, after its size. */
static void *next_of(void *block)
{
	void *next;
	memcpy(&next, (char *)block + HEAD, sizeof next);
	return next;
}

static void drop_lists(void *arg)
{
	struct lists *l = arg;
	for (int c = 0; c < CLASSES; c++)
		while (l->head[c]) {
			void *b = l->head[c];
			KF_UNPOISON((char *)b + LINKED, (c + 1) * STEP - (LINKED - HEAD));
			l->head[c] = next_of(b);
			free(b);
		}
	free(l);
	mine = NULL;
}

static void *m_malloc(int n)
{
	if (n <= 0)
		return NULL;
	int64_t size = n;
	if (n <= MAX_SMALL) {
		int c = class_of(n);
		size = (int64_t)(c + 1) * STEP;
		struct lists *l = mine;
		if (l && l->head[c]) {
			void *b = l->head[c];
			KF_UNPOISON((char *)b + LINKED, size - (LINKED - HEAD));
			l->head[c] = next_of(b);
			l->n[c]--;
			l->bytes -= size;
			return (char *)b + HEAD;
		}
	} else {
		size = (size + 7) & ~(int64_t)7;
	}
	unsigned char *b = malloc((size_t)(HEAD + size));
	if (!b)
		return NULL;
	memcpy(b, &size, sizeof size);
	return b + HEAD;
}

static int64_t size_of(void *p)
{
	int64_t size;
	memcpy(&size, (char *)p - HEAD, sizeof size);
	return size;
}

static void m_free(void *p)
{
	if (!p)
		return;
	void *b = (char *)p - HEAD;
	int64_t size = size_of(p);
	if (size <= MAX_SMALL && key_ok) {
		struct lists *l = mine;
		if (!l) {
			l = calloc(1, sizeof *l);
			if (l && pthread_setspecific(key, l) != 0) {
				free(l);
				l = NULL;
			}
			mine = l;
		}
		int c = class_of(size);
		if (l && l->n[c] < KEEP && l->bytes + size <= KEEP_BYTES) {
			memcpy((char *)b + HEAD, &l->head[c], sizeof(void *));
			l->head[c] = b;
			l->n[c]++;
			l->bytes += size;
			KF_POISON((char *)b + LINKED, size - (LINKED - HEAD));
			return;
		}
	}
	free(b);
}

static int m_size(void *p)
{
	return p ? (int)size_of(p) : 0;
}

static void *m_realloc(void *p, int n)
{
	if (!p)
		return m_malloc(n);
	int64_t have = size_of(p);
	/* Within its class, or a large one staying large: in place. */
	if (n > 0 && n <= have && (n > MAX_SMALL || class_of(n) == class_of(have)))
		return p;
	if (n > MAX_SMALL && have > MAX_SMALL) {
		int64_t size = ((int64_t)n + 7) & ~(int64_t)7;
		unsigned char *b = realloc((char *)p - HEAD, (size_t)(HEAD + size));
		if (!b)
			return NULL;
		memcpy(b, &size, sizeof size);
		return b + HEAD;
	}
	void *q = m_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, (size_t)(have < n ? have : n));
	m_free(p);
	return q;
}

static int m_roundup(int n)
{
	if (n <= MAX_SMALL)
		return (class_of(n) + 1) * STEP;
	return (n + 7) & ~7;
}

static int m_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void m_shutdown(void *arg)
{
	(void)arg;
}

int kf_sqlite_mem_install(void)
{
	static const sqlite3_mem_methods methods = {
	    .xMalloc = m_malloc,
	    .xFree = m_free,
	    .xRealloc = m_realloc,
	    .xSize = m_size,
	    .xRoundup = m_roundup,
	    .xInit = m_init,
	    .xShutdown = m_shutdown,
	};
	if (!key_ok)
		key_ok = pthread_key_create(&key, drop_lists) == 0;
	return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}
