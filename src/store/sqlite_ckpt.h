/* When the SQLite engine's checkpointer runs (sqlite.c, checkpointer): once
 * `every` WAL frames have been committed since the last checkpoint, and once
 * after a quiet spell when anything was committed since. Pure bookkeeping,
 * under the syncer's lock; the WAL's size comes from two places that can
 * disagree: each commit's WAL hook, and what a checkpoint found. */
#ifndef KF_STORE_SQLITE_CKPT_H
#define KF_STORE_SQLITE_CKPT_H
#include <stdbool.h>

struct kf_ckpt_sched {
	int wal_frames; /* the WAL's size as the last commit's hook saw it */
	/* The WAL's size when the last checkpoint ran. Counting from the
	 * WAL's start instead would make every commit past `every` frames
	 * start another checkpoint: the WAL keeps its frames until a writer
	 * starts it again, which only a RESTART checkpoint brings about. */
	int base;
};

/* A commit's hook saw the WAL hold frames: whether a checkpoint is due. A
 * WAL smaller than at the last checkpoint has started again. */
static inline bool kf_ckpt_hook(struct kf_ckpt_sched *c, int frames, int every)
{
	c->wal_frames = frames;
	if (frames < c->base)
		c->base = 0;
	return frames - c->base >= every;
}

static inline bool kf_ckpt_due(const struct kf_ckpt_sched *c, int every)
{
	return c->wal_frames - c->base >= every;
}

/* After a quiet spell: whether anything was committed since the last
 * checkpoint. */
static inline bool kf_ckpt_quiet_due(const struct kf_ckpt_sched *c)
{
	return c->wal_frames != c->base;
}

/* A checkpoint began when the hook had last seen frames, and found a WAL of
 * log frames (-1: it could not run; the next waits for `every` more frames
 * as the hooks count them). Hooks run after the commit's lock is released,
 * so one connection's hook can come after a later commit that started the
 * WAL again (or another process may have started it): a hook's count above
 * the WAL the checkpoint found is stale, and kept it would make the next
 * checkpoint due at once, and the one after that. */
static inline void kf_ckpt_done(struct kf_ckpt_sched *c, int frames, int log)
{
	c->base = log >= 0 ? log : frames;
	if (log >= 0 && frames > log && c->wal_frames > log)
		c->wal_frames = log;
}

#endif
