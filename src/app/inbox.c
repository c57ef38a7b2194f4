/* The inbox (see inbox.h). */
#include <stdlib.h>
#include <string.h>
#include "app/events.h"
#include "app/inbox.h"
#include "app/internal.h"

static bool has(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

int kf_app_inbox_post(struct kf_ctx *c, struct kf_db *db, const char *kind, int64_t ticket_id,
		      const int64_t *users, int nusers, const char *const *roles, json_t *payload,
		      struct kf_err *err)
{
	int64_t *to = NULL;
	int n = 0, cap = 0, rc = 0;
	for (int i = 0; i < nusers; i++) {
		if (!users[i] || has(to, n, users[i]))
			continue;
		if (n == cap)
			to = kf_arena_grow(c->arena, to, n, &cap, sizeof *to);
		to[n++] = users[i];
	}
	for (const char *const *r = roles; r && *r; r++) {
		int64_t *ids;
		int m;
		if ((rc = kf_store_user_ids_by_role(db, *r, c->arena, &ids, &m, err)))
			goto out;
		for (int i = 0; i < m; i++) {
			if (has(to, n, ids[i]))
				continue;
			if (n == cap)
				to = kf_arena_grow(c->arena, to, n, &cap, sizeof *to);
			to[n++] = ids[i];
		}
	}
	char *text = json_dumps(payload, JSON_COMPACT);
	for (int i = 0; i < n && !rc; i++) {
		struct kf_notification x = {.recipient_id = to[i],
					    .kind = kind,
					    .ticket_id = ticket_id,
					    .payload = text ? text : "{}",
					    .created_at = c->now};
		rc = kf_store_notification_insert(db, &x, err);
	}
	free(text);
	if (!rc && n)
		rc = kf_app_notify(c, db, "inbox.new", to, n, NULL,
				   json_pack("{s:s, s:o}", "notification_kind", kind, "ticket_id",
					     kf_app_json_id(ticket_id)),
				   err);
out:
	json_decref(payload);
	return rc;
}

int kf_app_inbox_list(struct kf_ctx *c, bool unread_only, int64_t before_id, int limit,
		      struct kf_notification **items, int *n, bool *more, int64_t *unread,
		      struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if (!c->actor.user_id)
		return kf_err_set(err, KF_EFORBIDDEN, "only a signed-in person has an inbox");
	if ((rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_notification_list(db, c->actor.user_id, unread_only, before_id, limit,
					     c->arena, items, n, err)) ||
	    (rc = kf_store_notification_unread(db, c->actor.user_id, unread, err)))
		return rc;
	*more = *n > limit;
	if (*more)
		*n = limit;
	return 0;
}

int kf_app_inbox_read(struct kf_ctx *c, int64_t id, struct kf_notification *out, struct kf_err *err)
{
	struct kf_db *db;
	bool changed;
	int rc;
	if (!c->actor.user_id)
		return kf_err_set(err, KF_EFORBIDDEN, "only a signed-in person has an inbox");
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_notification_get(db, id, c->actor.user_id, c->arena, out, err)) ||
	    (rc = kf_store_notification_read(db, id, c->actor.user_id, c->now, &changed, err)))
		return rc;
	if (changed)
		out->read_at = c->now;
	return kf_db_commit(db, err);
}

json_t *kf_app_notification_json(const struct kf_notification *n)
{
	json_t *payload = json_loads(n->payload ? n->payload : "{}", 0, NULL);
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o}", "id", kf_app_json_id(n->id), "kind",
			 n->kind, "ticket_id", kf_app_json_id(n->ticket_id), "payload",
			 payload ? payload : json_object(), "created_at",
			 kf_app_json_instant(n->created_at), "read_at",
			 kf_app_json_instant(n->read_at));
}
