-- Insight: the operational log, reports, paid-ads data, recurring tasks and assistant chats.
-- Times are integer milliseconds since the Unix epoch (UTC); money is integer micro-dollars;
-- objects and lists are JSON in TEXT; flags are integers 0/1 (the same SQL on both dialects).

-- Operational records written by the engine (runs, tool calls, approvals, budgets, jobs).
-- tenant_id NULL: a platform-level record no tenant sees.
CREATE TABLE ops_logs (
    id TEXT PRIMARY KEY,
    tenant_id TEXT,
    level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
    category TEXT NOT NULL CHECK (category IN ('agent', 'tool', 'approval', 'system', 'billing')),
    message TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '{}',
    activity_id TEXT,
    agent_role TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX ops_logs_tenant_idx ON ops_logs (tenant_id, id);
CREATE INDEX audit_log_tenant_id_idx ON audit_log (tenant_id, id);

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    campaign_id TEXT REFERENCES campaigns(id),
    activity_id TEXT,
    recurring_task_id TEXT,
    title TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('monthly_performance', 'quarterly_review', 'ad_audit', 'seo_audit', 'custom')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'ready', 'delivered', 'archived')),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    content TEXT NOT NULL,
    delivered_at INTEGER,
    delivered_by TEXT,
    delivery_channel TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX reports_tenant_idx ON reports (tenant_id, id);

CREATE TABLE ad_campaigns (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    campaign_id TEXT REFERENCES campaigns(id),
    platform TEXT NOT NULL CHECK (platform IN ('google_ads', 'meta_ads')),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('enabled', 'paused', 'removed')),
    daily_budget_micros INTEGER,
    spend_micros INTEGER NOT NULL DEFAULT 0,
    impressions INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    conversions INTEGER NOT NULL DEFAULT 0,
    synced_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ad_campaigns_tenant_idx ON ad_campaigns (tenant_id, id);

CREATE TABLE search_terms (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    ad_campaign_id TEXT NOT NULL REFERENCES ad_campaigns(id),
    term TEXT NOT NULL,
    match_type TEXT NOT NULL,
    classification TEXT NOT NULL CHECK (classification IN ('high_intent', 'low_intent', 'negative', 'watch')),
    classified_by TEXT NOT NULL CHECK (classified_by IN ('agent', 'human')),
    note TEXT,
    impressions INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    conversions INTEGER NOT NULL DEFAULT 0,
    cost_micros INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX search_terms_tenant_idx ON search_terms (tenant_id, id);

CREATE TABLE recurring_tasks (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    template_key TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    assignee_type TEXT NOT NULL CHECK (assignee_type IN ('agent', 'human')),
    agent_role TEXT,
    activity_type TEXT NOT NULL,
    periodicity TEXT NOT NULL CHECK (periodicity IN ('daily', 'weekly', 'biweekly', 'monthly', 'quarterly')),
    trigger_kind TEXT NOT NULL DEFAULT 'schedule',
    is_active INTEGER NOT NULL DEFAULT 1,
    variables TEXT NOT NULL DEFAULT '[]',
    variable_values TEXT NOT NULL DEFAULT '{}',
    next_run_at INTEGER,
    last_run_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX recurring_tasks_tenant_idx ON recurring_tasks (tenant_id, id);
CREATE INDEX recurring_tasks_due_idx ON recurring_tasks (is_active, next_run_at);

CREATE TABLE chat_conversations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    last_message TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX chat_conversations_user_idx ON chat_conversations (tenant_id, user_id, updated_at);

CREATE TABLE chat_messages (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    conversation_id TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX chat_messages_conversation_idx ON chat_messages (conversation_id, id);
