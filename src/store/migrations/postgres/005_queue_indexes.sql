-- Queues of open tickets (issue 3). An agent's or an owner's queue and the
-- open-ticket list read the newest open tickets first; these partial indexes
-- hold only open tickets (about 1 % of a store that has run a while), in id
-- order, so a page stops after its rows instead of fetching every ticket of
-- the queue from the heap. The list query (src/store/tickets.h, KF_STORE_OPEN_STATES)
-- writes the condition as here (as the SQLite schema has it), so the planner
-- proves the predicate.
CREATE INDEX tickets_open ON tickets(id)
  WHERE status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_open_assignee ON tickets(assignee_id, id)
  WHERE status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_open_owner ON tickets(owner_id, id)
  WHERE status NOT IN ('resolved', 'closed');

-- overdue = 1 is the only value worth an index: the full (overdue, id) index
-- of 002 becomes a partial one.
DROP INDEX tickets_overdue;
CREATE INDEX tickets_overdue ON tickets(id) WHERE overdue = 1;

-- T-10: a ticket's tsvector (unigrams and bigrams with positions, about
-- 1.6 kB for a 64-character description) made most rows longer than the 2 kB
-- at which PostgreSQL moves a value out of line; its pglz does not shrink
-- them, so they went to the TOAST table, and every @@ and ts_rank of a search
-- fetched them from there (about 10 µs a row). MAIN keeps them in the row
-- (out of line only when the row would not fit in a page). Rows written
-- before this migration keep their out-of-line vectors until they are next
-- written; docs/performance.md gives the statement that rewrites them.
ALTER TABLE tickets ALTER COLUMN search SET STORAGE MAIN;
