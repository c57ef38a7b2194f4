-- D-2, V-4: the technician who completed the last service voucher of a
-- ticket, credited with its callback survey (V-4, 第十五条).
ALTER TABLE tickets ADD COLUMN technician_id INTEGER REFERENCES users(id);

-- D-2 (第七条–第十条): the service voucher (服务凭证) a manager dispatches to a
-- technician. status: dispatched, started, completed, countersigned. D-3: the
-- fee in fen and how it is settled (none, on_site, invoice). D-4: off_site
-- vouchers are started only with an approved off-site request; travel costs
-- are service cost (travel_cost_fen).
CREATE TABLE service_vouchers (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  technician_id INTEGER NOT NULL REFERENCES users(id),
  scheduled_on TEXT NOT NULL,
  address TEXT NOT NULL,
  off_site INTEGER NOT NULL DEFAULT 0,
  city TEXT,
  note TEXT,
  status TEXT NOT NULL,
  dispatched_by INTEGER NOT NULL REFERENCES users(id),
  dispatched_at INTEGER NOT NULL,
  started_at INTEGER,
  ended_at INTEGER,
  work_done TEXT,
  parts TEXT,
  fee_fen INTEGER,
  collection TEXT,
  travel_cost_fen INTEGER,
  signer_name TEXT,
  signed_at INTEGER,
  countersigned_by INTEGER REFERENCES users(id),
  countersigned_at INTEGER,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_vouchers_ticket ON service_vouchers(ticket_id, id);
CREATE INDEX service_vouchers_technician ON service_vouchers(technician_id, status, id);
CREATE INDEX service_vouchers_scheduled ON service_vouchers(scheduled_on, id);
CREATE INDEX service_vouchers_ended ON service_vouchers(ended_at) WHERE fee_fen > 0;

-- D-2: the customer's captured signature, a PNG or JPEG image (at most
-- 256 KiB) kept base64-encoded, since the store interface carries text.
CREATE TABLE voucher_signatures (
  voucher_id INTEGER PRIMARY KEY REFERENCES service_vouchers(id),
  content_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  data_base64 TEXT NOT NULL,
  captured_by INTEGER NOT NULL REFERENCES users(id),
  captured_at INTEGER NOT NULL
);

-- D-4 (第十二条): the off-site service request (异地服务申请单) of a voucher,
-- approved by the manager before the technician leaves. status: pending,
-- approved, rejected; a rejected request may be filed again.
CREATE TABLE offsite_requests (
  voucher_id INTEGER PRIMARY KEY REFERENCES service_vouchers(id),
  destination TEXT NOT NULL,
  reason TEXT NOT NULL,
  estimated_cost_fen INTEGER,
  status TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER,
  decision_comment TEXT
);

-- K-7 (第二十九条1(1)): the discount certificate (销货折扣证明单) of an
-- approved discount resolution.
CREATE TABLE discount_certificates (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  resolution_id INTEGER NOT NULL UNIQUE REFERENCES complaint_resolutions(id),
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  amount_fen INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX discount_certificates_created ON discount_certificates(created_at);

-- K-7 (第二十九条1(2), 3): the return slip (产品退货单) of an approved return
-- resolution; the warehouse confirms the quantity received. status:
-- awaiting, received.
CREATE TABLE return_slips (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  resolution_id INTEGER NOT NULL UNIQUE REFERENCES complaint_resolutions(id),
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  quantity INTEGER NOT NULL,
  status TEXT NOT NULL,
  received_qty INTEGER,
  received_by INTEGER REFERENCES users(id),
  received_at INTEGER,
  received_note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX return_slips_created ON return_slips(created_at);
CREATE INDEX return_slips_status ON return_slips(status, id);
