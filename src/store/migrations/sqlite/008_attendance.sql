-- W-15, W-18: clock punches. kind: in, out. An out punch carries the number
-- of customers still waiting reported at clock-out (customers_waiting) and,
-- when that extended a late shift, the overtime in ms (W-18). Punches are
-- append-only: the triggers refuse UPDATE and DELETE. Classification
-- (late, absence, absenteeism) is computed from punches, the shifts and
-- approved leave by rules/attendance.c; it is not stored.
CREATE TABLE attendance_punches (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
  at INTEGER NOT NULL,
  customers_waiting INTEGER,
  shift_name TEXT,
  shift_end INTEGER,
  overtime_ms INTEGER
);
CREATE INDEX attendance_punches_user_at ON attendance_punches(user_id, at, id);
CREATE TRIGGER attendance_punches_no_update BEFORE UPDATE ON attendance_punches
BEGIN SELECT RAISE(ABORT, 'attendance punches are append-only'); END;
CREATE TRIGGER attendance_punches_no_delete BEFORE DELETE ON attendance_punches
BEGIN SELECT RAISE(ABORT, 'attendance punches are append-only'); END;

-- W-16: the handover (交接班) signed by the outgoing agent (from_user_id) and
-- confirmed by the incoming one (to_user_id; NULL: addressed to whoever takes
-- the next shift, set by the confirmation). status: pending, confirmed.
CREATE TABLE handovers (
  id INTEGER PRIMARY KEY,
  from_user_id INTEGER NOT NULL REFERENCES users(id),
  to_user_id INTEGER REFERENCES users(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
  equipment_checked INTEGER NOT NULL,
  equipment_note TEXT,
  anomalies TEXT,
  notes TEXT,
  created_at INTEGER NOT NULL,
  confirmed_by INTEGER REFERENCES users(id),
  confirmed_at INTEGER,
  confirm_note TEXT
);
CREATE INDEX handovers_from ON handovers(from_user_id, id);
CREATE INDEX handovers_to ON handovers(to_user_id, status, id);
CREATE INDEX handovers_pending ON handovers(status, id);

-- W-16: the open items of a handover: kind ticket, callback, promise (a
-- customer promise) or other; resolved says whether the outgoing agent
-- closed it. carried_from_item_id links an item to the unresolved item of
-- an earlier handover it carries over; an unresolved item of a confirmed
-- handover that no later item carries is on the incoming agent's list.
CREATE TABLE handover_items (
  id INTEGER PRIMARY KEY,
  handover_id INTEGER NOT NULL REFERENCES handovers(id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('ticket', 'callback', 'promise', 'other')),
  ticket_id INTEGER REFERENCES tickets(id),
  callback_id INTEGER REFERENCES callbacks(id),
  text TEXT NOT NULL,
  resolved INTEGER NOT NULL,
  carried_from_item_id INTEGER REFERENCES handover_items(id)
);
CREATE INDEX handover_items_handover ON handover_items(handover_id, position);
CREATE UNIQUE INDEX handover_items_carried ON handover_items(carried_from_item_id);

-- W-17: the duty log (值班记录): per local day and shift; kind event, call,
-- incident or note. Append-only: a correction is a new entry whose
-- corrects_id names the entry it corrects.
CREATE TABLE duty_log (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES users(id),
  day TEXT NOT NULL,
  shift TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('event', 'call', 'incident', 'note')),
  body TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  corrects_id INTEGER REFERENCES duty_log(id)
);
CREATE INDEX duty_log_day ON duty_log(day, id);
CREATE INDEX duty_log_corrects ON duty_log(corrects_id);
CREATE TRIGGER duty_log_no_update BEFORE UPDATE ON duty_log
BEGIN SELECT RAISE(ABORT, 'duty log entries are append-only'); END;
CREATE TRIGGER duty_log_no_delete BEFORE DELETE ON duty_log
BEGIN SELECT RAISE(ABORT, 'duty log entries are append-only'); END;
