-- The customer portal (S-4, S-1): customers' own accounts and sessions, kept
-- apart from staff accounts and sessions so that a customer's token is not
-- a staff token anywhere (the staff session lookup never sees these rows).
-- An account belongs to exactly one customer record (customer_id UNIQUE);
-- phone, the sign-in name, is stored as its digits (a leading '+' kept).
-- created_by is the staff member who issued the account, NULL when the
-- customer registered themself.
CREATE TABLE portal_accounts (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL UNIQUE REFERENCES customers(id),
  phone TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE portal_sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  csrf_hash TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES portal_accounts(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ip TEXT,
  user_agent TEXT,
  revoked_at INTEGER
);
CREATE INDEX portal_sessions_account ON portal_sessions(account_id);

-- T-5: requests a customer submits through the portal are registered by
-- this built-in account (the intake desk), which owns them until a staff
-- member is assigned. It cannot sign in (inactive, no password) and its
-- login is one that kefu user add refuses, so it never collides with staff.
INSERT INTO users (login, name, role, password_hash, active, created_at, updated_at)
VALUES ('@portal', '客户自助 (portal)', 'agent', '!', 0, 0, 0);
