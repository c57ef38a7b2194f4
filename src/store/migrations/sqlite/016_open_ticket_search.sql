-- Ticket search with open=true (T-10, issue 3): a search index of the open
-- tickets alone, beside the index of all tickets.
--
-- A search with open=true walked the newest matches of the whole index and
-- kept the open ones (kf_merge, 013 and 015). Where open tickets are few
-- among the matches (a department closes nearly everything it registers:
-- 9 000 open of 1 000 000 in the bench store), it looked through 20 000
-- matches to find a few hundred, 8 to 20 ms of CPU a search; and it missed
-- open tickets older than those 20 000 matches. This index holds only the
-- open tickets' entries, so such a search walks open matches only.
--
-- Its entries are the same tokens as ticket_search's. The store writes a
-- ticket's entry here when it writes the one in ticket_search and the
-- ticket is open (kf_store_search_put_ticket); the triggers below drop it
-- when the ticket is resolved or closed and copy it back from
-- ticket_search when the ticket is reopened. A ticket whose entry is still
-- queued (search_pending) has neither entry yet; the indexer writes both.
CREATE VIRTUAL TABLE ticket_search_open USING fts5(number, subject, body, customer,
  tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO ticket_search_open (ticket_search_open, rank) VALUES ('automerge', 8);

INSERT INTO ticket_search_open (rowid, number, subject, body, customer)
  SELECT s.rowid, s.number, s.subject, s.body, s.customer
  FROM tickets t JOIN ticket_search s ON s.rowid = t.id
  WHERE t.status NOT IN ('resolved', 'closed')
  ORDER BY t.id;

CREATE TRIGGER tickets_search_done AFTER UPDATE OF status ON tickets
  WHEN new.status IN ('resolved', 'closed') AND old.status NOT IN ('resolved', 'closed')
BEGIN
  DELETE FROM ticket_search_open WHERE rowid = new.id;
END;

CREATE TRIGGER tickets_search_reopened AFTER UPDATE OF status ON tickets
  WHEN old.status IN ('resolved', 'closed') AND new.status NOT IN ('resolved', 'closed')
BEGIN
  INSERT OR REPLACE INTO ticket_search_open (rowid, number, subject, body, customer)
    SELECT rowid, number, subject, body, customer FROM ticket_search WHERE rowid = new.id;
END;
