-- Queues of open tickets (issue 3). An agent's or an owner's queue and the
-- open-ticket list read the newest open tickets first; these partial indexes
-- hold only open tickets (about 1 % of a store that has run a while), in id
-- order, so a page stops after its rows instead of sorting every open ticket
-- of the queue. The list query (src/store/tickets.h, KF_STORE_OPEN_STATES) writes the
-- condition exactly as here: SQLite takes a partial index only for the very
-- same term. NOT IN rather than the list of open states: with the list,
-- SQLite (which has no statistics) prefers five ranges of tickets_status
-- and a sort of every open ticket to the partial index.
CREATE INDEX tickets_open ON tickets(id)
  WHERE status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_open_assignee ON tickets(assignee_id, id)
  WHERE status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_open_owner ON tickets(owner_id, id)
  WHERE status NOT IN ('resolved', 'closed');

-- overdue = 1 is the only value worth an index (overdue = 0 is nearly every
-- ticket, read faster in id order from the table itself): the full
-- (overdue, id) index of 002 becomes a partial one, one entry per overdue
-- ticket instead of one per ticket.
DROP INDEX tickets_overdue;
CREATE INDEX tickets_overdue ON tickets(id) WHERE overdue = 1;
