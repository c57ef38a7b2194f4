-- Ticket search with a filter (T-10) and the queues by assignee, owner or
-- type (issue 3) read a filter's tickets newest first. With a filter, the
-- search walks the filter's tickets in id order beside the search index's
-- matches (kf_merge, src/store/sqlite.c), so every filter an index serves
-- needs one in id order: (assignee_id, id) and (owner_id, id) replace the
-- (…, status, next_due_at) indexes of 002, which no query reads since the
-- open-ticket indexes of 005, and (type, id) is new. A list such as
-- GET /api/v1/tickets?assignee_id=…, newest first, then reads its page
-- instead of sorting every ticket the agent ever had. New tickets go to the
-- end of their type's range, so tickets_type costs a registration about
-- one shared page per commit.
DROP INDEX tickets_assignee;
CREATE INDEX tickets_assignee ON tickets(assignee_id, id);
DROP INDEX tickets_owner;
CREATE INDEX tickets_owner ON tickets(owner_id, id);
CREATE INDEX tickets_type ON tickets(type, id);

-- The partial indexes of 005 also hold the column of their condition.
-- SQLite checks a query's copy of a partial index's condition on the table
-- row, which a walk of the open tickets (the filter open=true) would
-- otherwise read for every ticket it steps over; with the column in the
-- index the walk reads the index alone. Status changes between open states
-- rewrote these entries before too (their condition reads status).
DROP INDEX tickets_open;
CREATE INDEX tickets_open ON tickets(id, status)
  WHERE status NOT IN ('resolved', 'closed');
DROP INDEX tickets_open_assignee;
CREATE INDEX tickets_open_assignee ON tickets(assignee_id, id, status)
  WHERE status NOT IN ('resolved', 'closed');
DROP INDEX tickets_open_owner;
CREATE INDEX tickets_open_owner ON tickets(owner_id, id, status)
  WHERE status NOT IN ('resolved', 'closed');
DROP INDEX tickets_overdue;
CREATE INDEX tickets_overdue ON tickets(id, overdue) WHERE overdue = 1;
