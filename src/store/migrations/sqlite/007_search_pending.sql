-- T-10: tickets whose search entry is still to be written (store/search.h,
-- "Deferred ticket entries"). A registration queues its ticket here in its
-- own transaction; the indexer of kefu serve moves queued tickets into
-- ticket_search hundreds at a time, and a search indexes what is queued
-- before it runs.
CREATE TABLE search_pending (
  ticket_id INTEGER PRIMARY KEY
);
