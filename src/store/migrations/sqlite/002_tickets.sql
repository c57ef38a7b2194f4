-- Customers (C-1 … C-5) and tickets (T-1 … T-10) with their deadlines
-- (L-4 … L-12), timeline, transfers and search index.

ALTER TABLE customers ADD COLUMN alt_phone TEXT;
ALTER TABLE customers ADD COLUMN id_number TEXT;
ALTER TABLE customers ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE customers ADD COLUMN last_callback_at INTEGER;
CREATE INDEX customers_grade ON customers(grade, id);
CREATE INDEX customers_birthday ON customers(substr(birthday, 6, 5));

-- C-3: a passed verification opens the record to one agent until expires_at.
CREATE TABLE customer_verifications (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  method TEXT NOT NULL,
  passed INTEGER NOT NULL,
  at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX customer_verifications_open ON customer_verifications(customer_id, user_id, expires_at);

-- T-4: one row per prefix and local day; numbers are never given twice.
CREATE TABLE ticket_counters (
  prefix TEXT NOT NULL,
  day INTEGER NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (prefix, day)
);

CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  contact TEXT,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  owner_id INTEGER NOT NULL REFERENCES users(id),
  assignee_id INTEGER REFERENCES users(id),
  escalated_to TEXT,
  product TEXT,
  service_class TEXT,
  overdue INTEGER NOT NULL DEFAULT 0,
  next_due_at INTEGER,
  -- L-12: whether time in pending_customer is left out of L-6 and L-8 (from
  -- the policy at registration, L-11), and since when the ticket waits.
  pause_pending INTEGER NOT NULL DEFAULT 0,
  pending_since INTEGER,
  policy_version INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER,
  closed_at INTEGER,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_assignee ON tickets(assignee_id, status, next_due_at);
CREATE INDEX tickets_owner ON tickets(owner_id, status, next_due_at);
CREATE INDEX tickets_customer ON tickets(customer_id, id);
CREATE INDEX tickets_status ON tickets(status, id);
CREATE INDEX tickets_overdue ON tickets(overdue, id);

-- L-4 … L-10, computed at registration (L-11) and met by the event that
-- satisfies each.
CREATE TABLE ticket_deadlines (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  met_at INTEGER,
  overdue_at INTEGER,
  UNIQUE (ticket_id, kind)
);
CREATE INDEX ticket_deadlines_pending ON ticket_deadlines(due_at) WHERE met_at IS NULL AND overdue_at IS NULL;

-- T-6, T-7: every change, reply and internal note, in order.
CREATE TABLE ticket_events (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  at INTEGER NOT NULL,
  actor_id INTEGER REFERENCES users(id),
  kind TEXT NOT NULL,
  internal INTEGER NOT NULL DEFAULT 0,
  body TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);

-- T-5: ownership moves only when the receiver accepts.
CREATE TABLE ticket_transfers (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  from_user_id INTEGER NOT NULL REFERENCES users(id),
  to_user_id INTEGER NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX ticket_transfers_to ON ticket_transfers(to_user_id, status);
CREATE INDEX ticket_transfers_ticket ON ticket_transfers(ticket_id, status);

-- T-10: tokens from util/tokenize.c, space-separated; FTS5 indexes them as
-- they are. rowid is the ticket's or customer's id.
CREATE VIRTUAL TABLE ticket_search USING fts5(number, subject, body, customer,
  tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE customer_search USING fts5(name, phone, company,
  tokenize = 'unicode61 remove_diacritics 0');

-- Events for the people they concern (GET /api/v1/events, server-sent):
-- written in the transaction of the change, read by every node's event hub.
-- user_ids and roles are ",1,7," and ",supervisor," lists of the audience.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  user_ids TEXT NOT NULL,
  roles TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX events_at ON events(at);
