-- K-1 … K-3: the complaint form (客户投诉处理表) of a ticket of type
-- complaint, one row per ticket. K-6: a complaint opened because the customer
-- did not accept a resolution points to the one before (parent_ticket_id) and
-- to the first of its chain (root_ticket_id, its own id for the first).
CREATE TABLE complaints (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
  cause TEXT,
  non_quality_kind TEXT,
  severity TEXT,
  service_caused INTEGER NOT NULL DEFAULT 0,
  responsible_user_id INTEGER REFERENCES users(id),
  responsible_department TEXT,
  investigation TEXT,
  order_no TEXT,
  batch TEXT,
  delivered_on TEXT,
  defective_qty INTEGER,
  parent_ticket_id INTEGER REFERENCES tickets(id),
  root_ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX complaints_root ON complaints(root_ticket_id, ticket_id);

-- K-4, K-5, K-6: resolutions proposed on a complaint, their approval by the
-- role the amount requires, sending to the customer and the answer.
-- required_role is NULL when no approval is needed. status: pending_approval,
-- approved, rejected, sent, accepted, refused.
CREATE TABLE complaint_resolutions (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  amount_fen INTEGER,
  quantity INTEGER,
  required_role TEXT,
  status TEXT NOT NULL,
  policy_version INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  decided_role TEXT,
  decided_at INTEGER,
  decision_comment TEXT,
  sent_by INTEGER REFERENCES users(id),
  sent_at INTEGER,
  responded_at INTEGER,
  response_comment TEXT,
  follow_up_ticket_id INTEGER REFERENCES tickets(id)
);
CREATE INDEX complaint_resolutions_ticket ON complaint_resolutions(ticket_id, id);
