/* The event hub: delivers events (new ticket, assignment, transfer,
 * escalation, overdue, …) to the people they concern, within a second, on
 * every node. Use cases write events into the store's outbox in their own
 * transaction (kf_app_notify); each node's hub polls the outbox, keeps recent
 * events in a ring and wakes its subscribers (the HTTP layer's server-sent
 * event streams). A client that reconnects with the id of the last event it
 * saw gets what it missed from the last 24 hours (at most 500 events). */
#ifndef KF_APP_EVENTS_H
#define KF_APP_EVENTS_H
#include <stdbool.h>
#include <stdint.h>
#include "app/app.h"
#include "util/buf.h"

struct kf_hub;
struct kf_sub;

/* Records an event for users (an array of ids, 0-terminated or n long) and
 * roles (a NULL-terminated array), in the caller's transaction. payload is
 * stolen; "kind" and "at" are added to it. */
int kf_app_notify(struct kf_ctx *c, struct kf_db *db, const char *kind, const int64_t *users,
		  int nusers, const char *const *roles, json_t *payload, struct kf_err *err);

struct kf_hub *kf_hub_start(struct kf_app *app, int poll_ms);
/* Ends every stream (their readers see the end) and stops polling; the hub
 * stays valid for unsubscribe calls until kf_hub_free. */
void kf_hub_close(struct kf_hub *h);
void kf_hub_free(struct kf_hub *h);

/* wake(ctx) is called, with the hub's lock held, when a subscriber that had
 * nothing to read (kf_hub_next returned 0 and called park) may have
 * something now. last_event_id: replay what came after it (0: nothing). */
/* session_id: the stream ends (kf_hub_next returns -1) within a keep-alive
 * period of that session ending (logout, deactivation, expiry). */
struct kf_sub *kf_hub_subscribe(struct kf_hub *h, int64_t user_id, int64_t session_id,
				const char *role, int64_t last_event_id, void (*wake)(void *ctx),
				void *ctx);
void kf_hub_unsubscribe(struct kf_hub *h, struct kf_sub *s);
/* Appends the subscriber's next event (or a keep-alive comment when one is
 * due) to out in server-sent event format and returns 1; returns 0 after
 * calling park(park_ctx) under the hub's lock when there is nothing, and -1
 * when the hub is closing. */
int kf_hub_next(struct kf_hub *h, struct kf_sub *s, struct kf_buf *out, void (*park)(void *ctx),
		void *park_ctx);

#endif
