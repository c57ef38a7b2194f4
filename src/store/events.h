/* The event outbox: events for the people they concern, written in the
 * transaction of the change that caused them, read by each node's event hub
 * (app/events.c) and streamed to browsers. */
#ifndef KF_STORE_EVENTS_H
#define KF_STORE_EVENTS_H
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

struct kf_event {
	int64_t id, at;
	const char *kind;
	const char *user_ids; /* ",1,7," */
	const char *roles;    /* ",supervisor,manager," */
	const char *payload;  /* JSON object text */
};

int kf_store_event_put(struct kf_db *db, struct kf_event *e, struct kf_err *err);
/* Events with id > after_id and at >= since, in id order, at most limit. */
int kf_store_event_since(struct kf_db *db, int64_t after_id, int64_t since, int limit,
			 struct kf_arena *a, struct kf_event **items, int *n, struct kf_err *err);
/* Deletes events older than before. */
int kf_store_event_prune(struct kf_db *db, int64_t before, struct kf_err *err);

#endif
