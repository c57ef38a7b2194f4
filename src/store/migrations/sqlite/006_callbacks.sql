-- V-1 … V-4: the callback (回访) a closed complaint, service or repair ticket
-- gets. status: due (waiting for the call), unreached (called, customer not
-- reached; the survey link still works), done (survey answered by staff or
-- through the link). agent_id is the ticket's owner, assignee_id its
-- assignee when another person: both are credited in the evaluation (V-4).
-- token_hash is the SHA-256 of the single-use survey token (never the
-- token); token_used_at is set when the link is answered or the callback
-- is done. attitude, skill, arrival, promise: very_satisfied, satisfied,
-- average, poor (V-2); score is their sum at 4, 3, 2, 1 points.
CREATE TABLE callbacks (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  status TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  agent_id INTEGER NOT NULL REFERENCES users(id),
  assignee_id INTEGER REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  token_expires_at INTEGER NOT NULL,
  token_used_at INTEGER,
  created_at INTEGER NOT NULL,
  called_by INTEGER REFERENCES users(id),
  called_at INTEGER,
  reached INTEGER,
  answered_via TEXT,
  done_at INTEGER,
  attitude TEXT,
  skill TEXT,
  arrival TEXT,
  promise TEXT,
  score INTEGER,
  comment TEXT,
  follow_up_ticket_id INTEGER REFERENCES tickets(id)
);
CREATE INDEX callbacks_status_due ON callbacks(status, due_at, id);
CREATE INDEX callbacks_ticket ON callbacks(ticket_id, id);
CREATE INDEX callbacks_done ON callbacks(done_at) WHERE score IS NOT NULL;
