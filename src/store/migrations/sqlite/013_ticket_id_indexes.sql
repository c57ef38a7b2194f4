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
