-- Workforce (SPEC W-1 … W-14): the department's shift templates, monthly
-- rosters and their assignments, agents' wishes, leave and swap requests.
-- Instants are milliseconds since the epoch (UTC); days are local dates
-- "YYYY-MM-DD" and months "YYYY-MM" in the policy's time zone.

-- W-1, W-3: the shift templates and coverage a supervisor set for the
-- department (one row). Without it the policy's preset and coverage apply.
-- templates: JSON {name: {start, end, is_late_shift}}; coverage: JSON
-- {min_agents_per_shift, by_shift, by_weekday, by_date}.
CREATE TABLE shift_templates (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  templates TEXT NOT NULL,
  coverage TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL
);

-- W-2, W-6: one roster per month. status: draft, published. templates and
-- coverage are the ones it was generated with (later template changes do
-- not alter it); members: JSON array of the user ids on it, in order;
-- shortfalls: JSON array of the last generation's shortfall report.
CREATE TABLE rosters (
  id INTEGER PRIMARY KEY,
  month TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  team_id INTEGER REFERENCES teams(id),
  templates TEXT NOT NULL,
  coverage TEXT NOT NULL,
  members TEXT NOT NULL,
  shortfalls TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  published_by INTEGER REFERENCES users(id),
  published_at INTEGER
);

-- One row per agent and day worked; a day without a row is rest (or leave,
-- read from leave_requests). start_at and end_at are the shift's instants,
-- so "the shifts of a person between two instants" needs no template.
CREATE TABLE roster_assignments (
  roster_id INTEGER NOT NULL REFERENCES rosters(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  day TEXT NOT NULL,
  shift TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  PRIMARY KEY (roster_id, user_id, day)
);
CREATE INDEX roster_assignments_user ON roster_assignments(user_id, start_at);

-- W-6: an agent's wishes for a month: days off (JSON array of dates) and a
-- preferred shift (a template name or NULL).
CREATE TABLE roster_wishes (
  user_id INTEGER NOT NULL REFERENCES users(id),
  month TEXT NOT NULL,
  days_off TEXT NOT NULL,
  preferred_shift TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, month)
);

-- W-7 … W-12. status: pending, approved, rejected. levels: who decides, in
-- order ("supervisor", "supervisor,manager", "manager"); step: the index of
-- the level whose decision is awaited. decisions: JSON array of
-- {level, decision, by, at, comment}. late_notice: filed with less notice
-- than W-8 asks (valid only once a manager approves).
CREATE TABLE leave_requests (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  filed_by INTEGER NOT NULL REFERENCES users(id),
  type TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  days INTEGER NOT NULL,
  reason TEXT NOT NULL,
  special INTEGER NOT NULL,
  emergency INTEGER NOT NULL,
  late_notice INTEGER NOT NULL,
  status TEXT NOT NULL,
  levels TEXT NOT NULL,
  step INTEGER NOT NULL,
  decisions TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  version INTEGER NOT NULL
);
CREATE INDEX leave_requests_user ON leave_requests(user_id, start_at);
CREATE INDEX leave_requests_status ON leave_requests(status, id);

-- W-13: a swap of two people's cells on one day of a published roster.
-- with_shift NULL: the other person rests that day. counterpart,
-- supervisor, lead_a, lead_b: NULL (awaited), approved, rejected; the team
-- leads' only when needs_leads (the two are in different teams).
CREATE TABLE swap_requests (
  id INTEGER PRIMARY KEY,
  month TEXT NOT NULL,
  day TEXT NOT NULL,
  requester_id INTEGER NOT NULL REFERENCES users(id),
  with_user_id INTEGER NOT NULL REFERENCES users(id),
  requester_shift TEXT NOT NULL,
  with_shift TEXT,
  status TEXT NOT NULL,
  needs_leads INTEGER NOT NULL,
  counterpart TEXT,
  supervisor TEXT,
  lead_a TEXT,
  lead_b TEXT,
  decisions TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  version INTEGER NOT NULL
);
CREATE INDEX swap_requests_requester ON swap_requests(requester_id, day);
CREATE INDEX swap_requests_with ON swap_requests(with_user_id, day);
CREATE INDEX swap_requests_status ON swap_requests(status, id);
