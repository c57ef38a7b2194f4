/* A thread's spare blocks, for memory that every HTTP request allocates and
 * frees whole: its record, its arena's first block, its answer's buffer.
 * glibc serves a malloc above 1 KiB from its shared bins, not from the
 * thread's own cache, and merges their small free chunks first; three such
 * mallocs and frees were about 4 % of a ticket read's instructions.
 *
 * A thread keeps a few blocks of a few sizes; a block given back beyond
 * that is freed, and a thread's blocks are freed when it exits. A block
 * taken here is plain malloc memory: it may be freed, reallocated, or given
 * back on another thread. */
#ifndef KF_UTIL_SPARE_H
#define KF_UTIL_SPARE_H
#include <stddef.h>

/* size bytes, not zeroed; never NULL. */
void *kf_spare_take(size_t size);
/* p was allocated with size bytes (here or by malloc). */
void kf_spare_give(void *p, size_t size);

#endif
