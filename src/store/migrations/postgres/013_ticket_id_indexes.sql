-- Queues by assignee, owner or type (issue 3), newest first, and ticket
-- search with such a filter (T-10): the same indexes as the SQLite schema
-- (migration 013 there), in id order, so that a page of an agent's tickets
-- stops after its rows. (assignee_id, id) and (owner_id, id) replace the
-- (…, status, next_due_at) indexes of 002, which no query reads since the
-- open-ticket indexes of 005.
DROP INDEX tickets_assignee;
CREATE INDEX tickets_assignee ON tickets(assignee_id, id);
DROP INDEX tickets_owner;
CREATE INDEX tickets_owner ON tickets(owner_id, id);
CREATE INDEX tickets_type ON tickets(type, id);
