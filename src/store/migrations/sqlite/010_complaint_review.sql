-- K-2 and later features: a person's inbox (站内通知). One row per recipient;
-- kind names what happened (complaint.reported, complaint.approval_needed,
-- …), ticket_id the ticket it concerns if any, payload a JSON object with
-- what the console shows. read_at is set when the recipient marks it read.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  recipient_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  ticket_id INTEGER REFERENCES tickets(id),
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER
);
CREATE INDEX notifications_recipient ON notifications(recipient_id, id);
CREATE INDEX notifications_unread ON notifications(recipient_id, id) WHERE read_at IS NULL;

-- K-9, E-8: the fine an upheld service-caused complaint costs the person
-- responsible (role responsible) and, where the preset says so, their direct
-- leader (role direct_leader). occurrence is the count within the policy's
-- window including this one; propose_dismissal is 1 when the count reaches
-- the policy's dismissal count (E-12: proposed, never applied). Read by the
-- monthly review (K-8) and the evaluation (E-1, E-2 complaints).
CREATE TABLE complaint_sanctions (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  rule TEXT NOT NULL,
  occurrence INTEGER NOT NULL,
  fine_fen INTEGER NOT NULL,
  propose_dismissal INTEGER NOT NULL,
  policy_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (ticket_id, user_id, role)
);
CREATE INDEX complaint_sanctions_user ON complaint_sanctions(user_id, role, created_at);

-- K-8: the monthly review of the previous month's closed complaints (month
-- YYYY-MM), with one decision per complaint. sanction: none, warning,
-- public_criticism, minor_demerit, major_demerit, dismissal, compensation
-- (E-12); fine_fen the fine confirmed (NULL: none).
CREATE TABLE complaint_reviews (
  month TEXT PRIMARY KEY,
  reviewed_by INTEGER NOT NULL REFERENCES users(id),
  reviewed_at INTEGER NOT NULL,
  comment TEXT
);
CREATE TABLE complaint_review_decisions (
  month TEXT NOT NULL REFERENCES complaint_reviews(month),
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  sanction TEXT NOT NULL,
  fine_fen INTEGER,
  comment TEXT,
  PRIMARY KEY (month, ticket_id)
);

-- V-2: survey links replaced by a newer one (staff re-issued the link). The
-- hash of the old token stays here so that its use is answered "replaced"
-- rather than "unknown".
CREATE TABLE survey_links_retired (
  token_hash TEXT PRIMARY KEY,
  callback_id INTEGER NOT NULL REFERENCES callbacks(id),
  retired_at INTEGER NOT NULL
);
