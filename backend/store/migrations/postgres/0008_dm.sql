-- The DM queue: every tenant's pending approvals, high risk first, then the soonest expiry, then
-- id. The expression is the one the query orders by (store/dmrepository.cpp), so the page is an
-- index range read from the cursor's position on, whatever the number of pending approvals.
CREATE INDEX approvals_dm_queue_idx ON approvals (status,
    (CASE risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END), expires_at, id);
-- Idempotency keys (api/idempotency.h): one row per user and key, holding the first request's
-- fingerprint and, once it is answered, its answer; forgotten after expires_at.
CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done')),
    response_status INTEGER,
    response_body TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);
-- Every tenant's event stream after a sequence number (GET /dm/v1/events replay).
CREATE INDEX events_topic_seq_idx ON events (topic, seq);
