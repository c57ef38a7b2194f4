-- Ticket search with open=true (T-10, issue 3). kf_merge walks the open
-- tickets beside the search index's matches; among the newest tickets
-- nearly all are open, and that walk stepped over several open tickets for
-- each match (half of the CPU of 漏 with open=true at 1.3 million tickets).
-- The resolved and closed tickets are the open ones' complement: where
-- they are few, kf_merge walks them instead, and a match is open when that
-- walk does not find it. Like the open tickets' index (013), it holds the
-- column of its condition. New tickets are open, so a registration writes
-- no entry here; resolving or closing a ticket writes one.
CREATE INDEX tickets_done ON tickets(id, status)
  WHERE status IN ('resolved', 'closed');
