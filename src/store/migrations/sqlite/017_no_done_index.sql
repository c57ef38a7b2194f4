-- The partial index of resolved and closed tickets (015) goes. It served
-- ticket search with open=true as the open tickets' complement (kf_merge
-- walked it where the open tickets were dense); since 016 such a search
-- reads the open tickets' own search index, and nothing reads this one,
-- while every resolution and closure wrote an entry in it.
DROP INDEX IF EXISTS tickets_done;
