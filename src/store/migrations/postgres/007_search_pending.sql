-- T-10: nothing to do on PostgreSQL, which writes a ticket's search vector
-- into its row at once; SQLite queues search entries (store/search.h).
-- The migration keeps the two engines' schema versions equal.
SELECT 1;
