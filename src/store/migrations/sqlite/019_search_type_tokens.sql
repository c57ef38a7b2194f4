-- Ticket search with a type filter (T-10, issue 3): the ticket's type in
-- the search index itself, as a token of a fifth column (tags), so that
-- FTS5 intersects the text's matches with the type's own list of tickets.
--
-- Before, such a search walked the newest 20 000 matches of the text beside
-- the tickets of the type in id order (kf_merge over the (type, id) index):
-- about 20 000 steps of that index for 漏水 + type=repair at 1 000 000
-- tickets, 5.5 ms of CPU a search, and it missed the matches older than
-- those 20 000. With the token, FTS5 walks its two lists (7 million
-- instructions instead of 22 for the same search), over all matches.
--
-- The token is 'ω' followed by the type's name (ωrepair): the tokenizer
-- (util/tokenize.c) splits words at Greek letters, so no token of a query
-- or of an indexed text can be it, while FTS5's unicode61 keeps it one
-- token. The store writes it with the entry
-- (kf_store_search_put_ticket); a change of type rewrites the entry.
--
-- FTS5 cannot add a column: both indexes are built again from their
-- entries, with the triggers of 016 that copy entries between them.
DROP TRIGGER tickets_search_done;
DROP TRIGGER tickets_search_reopened;

CREATE VIRTUAL TABLE ticket_search_019 USING fts5(number, subject, body, customer, tags,
  tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO ticket_search_019 (ticket_search_019, rank) VALUES ('automerge', 8);
INSERT INTO ticket_search_019 (rowid, number, subject, body, customer, tags)
  SELECT s.rowid, s.number, s.subject, s.body, s.customer, 'ω' || t.type
  FROM ticket_search s JOIN tickets t ON t.id = s.rowid
  ORDER BY s.rowid;
DROP TABLE ticket_search;
ALTER TABLE ticket_search_019 RENAME TO ticket_search;

CREATE VIRTUAL TABLE ticket_search_open_019 USING fts5(number, subject, body, customer, tags,
  tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO ticket_search_open_019 (ticket_search_open_019, rank) VALUES ('automerge', 8);
INSERT INTO ticket_search_open_019 (rowid, number, subject, body, customer, tags)
  SELECT s.rowid, s.number, s.subject, s.body, s.customer, s.tags
  FROM ticket_search_open o JOIN ticket_search s ON s.rowid = o.rowid
  ORDER BY o.rowid;
DROP TABLE ticket_search_open;
ALTER TABLE ticket_search_open_019 RENAME TO ticket_search_open;

CREATE TRIGGER tickets_search_done AFTER UPDATE OF status ON tickets
  WHEN new.status IN ('resolved', 'closed') AND old.status NOT IN ('resolved', 'closed')
BEGIN
  DELETE FROM ticket_search_open WHERE rowid = new.id;
END;

CREATE TRIGGER tickets_search_reopened AFTER UPDATE OF status ON tickets
  WHEN old.status IN ('resolved', 'closed') AND new.status NOT IN ('resolved', 'closed')
BEGIN
  INSERT OR REPLACE INTO ticket_search_open (rowid, number, subject, body, customer, tags)
    SELECT rowid, number, subject, body, customer, tags FROM ticket_search WHERE rowid = new.id;
END;
