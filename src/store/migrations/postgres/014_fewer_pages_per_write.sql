-- A ticket's deadlines (L-4 ... L-10) are keyed by the ticket and the kind
-- (issue 3): kefu reads them by ticket and changes them by ticket and kind.
-- The surrogate id, which nothing outside the store used, goes, and the
-- unique (ticket_id, kind) becomes the primary key (as on SQLite, where the
-- table is WITHOUT ROWID).
ALTER TABLE ticket_deadlines DROP CONSTRAINT ticket_deadlines_pkey;
ALTER TABLE ticket_deadlines DROP COLUMN id;
ALTER TABLE ticket_deadlines DROP CONSTRAINT ticket_deadlines_ticket_id_kind_key;
ALTER TABLE ticket_deadlines ADD PRIMARY KEY (ticket_id, kind);
