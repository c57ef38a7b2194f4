-- Fewer pages written per ticket registration (issue 3).
--
-- A ticket's deadlines (L-4 ... L-10) are keyed by the ticket and the kind:
-- kefu reads them by ticket (every ticket view) and changes them by ticket
-- and kind. As a rowid table with a unique index on (ticket_id, kind), each
-- deadline was two B-tree entries, and a view read the index and then each
-- row from the table; WITHOUT ROWID, the rows are the index, and a ticket's
-- deadlines sit side by side. The surrogate id, which nothing outside the
-- store used, goes.
CREATE TABLE ticket_deadlines_014 (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  met_at INTEGER,
  overdue_at INTEGER,
  PRIMARY KEY (ticket_id, kind)
) WITHOUT ROWID;
INSERT INTO ticket_deadlines_014 (ticket_id, kind, due_at, met_at, overdue_at)
  SELECT ticket_id, kind, due_at, met_at, overdue_at FROM ticket_deadlines
  ORDER BY ticket_id, kind;
DROP TABLE ticket_deadlines;
ALTER TABLE ticket_deadlines_014 RENAME TO ticket_deadlines;
CREATE INDEX ticket_deadlines_pending ON ticket_deadlines(due_at)
  WHERE met_at IS NULL AND overdue_at IS NULL;

-- The search index merges its segments 8 at a time instead of 4. Each
-- registration's entry is written into a new segment (by the indexer, 128
-- tickets a segment) and then rewritten once per level of merging: with
-- 1 000 000 tickets, about 4 levels instead of 6, a third less of the
-- writes that were a quarter of the writer thread's time. A search reads a
-- few more segments (at most 7 a level instead of 3).
INSERT INTO ticket_search (ticket_search, rank) VALUES ('automerge', 8);
