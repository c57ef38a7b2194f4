-- L-9 (seed 000 §篇10 三2, 中差评要在1周之内处理完成): the rating of the
-- marketplace review a ticket comes from, good, middling or bad; NULL for a
-- ticket that is not about a review. Only tickets of the marketplace channel
-- carry one (checked by the application, rules/ticket.c).
ALTER TABLE tickets ADD COLUMN review_rating TEXT;
