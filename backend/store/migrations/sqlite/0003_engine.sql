-- The engine: agents and prices, campaigns with deliverables and periods, activities with their
-- comments, runs and output documents, approvals, and the event log that SSE replays.
-- Times are integer milliseconds since the Unix epoch (UTC); money is integer micro-dollars;
-- lists are JSON arrays in TEXT; flags are integers 0/1 (the same SQL on both dialects).

CREATE TABLE model_prices (
    model TEXT PRIMARY KEY,
    input_micros_per_million INTEGER NOT NULL CHECK (input_micros_per_million >= 0),
    output_micros_per_million INTEGER NOT NULL CHECK (output_micros_per_million >= 0),
    updated_at INTEGER NOT NULL
);

CREATE TABLE agent_configs (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'idle', 'error', 'paused', 'terminated')),
    model TEXT NOT NULL,
    adapter_type TEXT NOT NULL,
    adapter_config TEXT NOT NULL DEFAULT '{}',
    -- the provider API key, sealed with the data dir's secret key; never returned by the API
    adapter_secret BLOB,
    tool_names TEXT NOT NULL DEFAULT '[]',
    concurrency INTEGER NOT NULL DEFAULT 2 CHECK (concurrency BETWEEN 1 AND 10),
    max_cost_micros_per_activity INTEGER,
    reports_to TEXT,
    is_global_default INTEGER NOT NULL DEFAULT 1,
    last_error_at INTEGER,
    last_error_message TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, role)
);

CREATE TABLE skills (
    id TEXT PRIMARY KEY,
    -- NULL: a global platform skill, visible to every tenant and changeable by none
    tenant_id TEXT REFERENCES tenants(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    agent_roles TEXT NOT NULL DEFAULT '[]',
    content TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX skills_tenant_idx ON skills (tenant_id, name);

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    brief TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'completed', 'archived')),
    budget_cap_micros INTEGER,
    spent_micros INTEGER NOT NULL DEFAULT 0,
    budget_alert_sent INTEGER NOT NULL DEFAULT 0,
    start_date TEXT,
    end_date TEXT,
    attachments TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX campaigns_tenant_idx ON campaigns (tenant_id, id);

CREATE TABLE deliverables (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    type TEXT NOT NULL CHECK (type IN ('blog_post', 'social_post', 'gbp_post', 'ad_copy', 'email_newsletter',
        'backlink', 'website_audit', 'performance_report')),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    platform_ids TEXT NOT NULL DEFAULT '[]',
    template_id TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX deliverables_campaign_idx ON deliverables (campaign_id, id);

CREATE TABLE deliverable_periods (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    deliverable_id TEXT NOT NULL REFERENCES deliverables(id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    target INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (deliverable_id, period_start)
);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    deliverable_id TEXT REFERENCES deliverables(id),
    period_id TEXT REFERENCES deliverable_periods(id),
    parent_id TEXT REFERENCES activities(id),
    title TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('created', 'assigned', 'in_progress', 'awaiting_approval',
        'awaiting_subtask', 'awaiting_review', 'blocked', 'done', 'reassigned', 'failed')),
    block_reason TEXT,
    agent_role TEXT,
    assignee_user_id TEXT,
    input_prompt TEXT NOT NULL DEFAULT '',
    wake_reason TEXT,
    wake_note TEXT,
    approval_id TEXT,
    output_document_id TEXT,
    output_preview TEXT,
    cost_micros INTEGER NOT NULL DEFAULT 0,
    retry_count INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER,
    completed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX activities_tenant_idx ON activities (tenant_id, id);
CREATE INDEX activities_tenant_status_idx ON activities (tenant_id, status, id);
CREATE INDEX activities_campaign_idx ON activities (campaign_id, status);
CREATE INDEX activities_deliverable_idx ON activities (deliverable_id, id);
CREATE INDEX activities_parent_idx ON activities (parent_id);

CREATE TABLE activity_comments (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    type TEXT NOT NULL CHECK (type IN ('comment', 'intervention_note')),
    author_type TEXT NOT NULL CHECK (author_type IN ('human', 'agent')),
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    mentions TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
);
CREATE INDEX activity_comments_activity_idx ON activity_comments (activity_id, id);

CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    agent_role TEXT NOT NULL,
    adapter_type TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'timeout')),
    -- SHA-256 of the run token handed to an external runtime (webhook adapter)
    token_hash BLOB,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cost_micros INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    started_at INTEGER NOT NULL,
    completed_at INTEGER
);
CREATE INDEX runs_activity_idx ON runs (activity_id, id);
CREATE INDEX runs_tenant_idx ON runs (tenant_id, started_at);
CREATE INDEX runs_status_idx ON runs (status, tenant_id, agent_role);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    run_id TEXT,
    format TEXT NOT NULL CHECK (format IN ('markdown', 'html', 'plain')),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX documents_activity_idx ON documents (activity_id, id);

CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    campaign_id TEXT REFERENCES campaigns(id),
    title TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('content_review', 'content_direction', 'brand_direction', 'strategy_change',
        'budget_authorization', 'channel_action')),
    risk_level TEXT NOT NULL CHECK (risk_level IN ('low', 'medium', 'high')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
    description TEXT,
    options TEXT,
    created_by_type TEXT NOT NULL CHECK (created_by_type IN ('agent', 'human')),
    created_by_id TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    run_id TEXT,
    expires_at INTEGER NOT NULL,
    expiring_notice_sent INTEGER NOT NULL DEFAULT 0,
    resolution TEXT,
    resolution_note TEXT,
    selected_option TEXT,
    resolved_at INTEGER,
    resolved_by_id TEXT,
    resolved_by_name TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX approvals_tenant_status_idx ON approvals (tenant_id, status, id);
CREATE INDEX approvals_status_expiry_idx ON approvals (status, expires_at);

CREATE TABLE approval_activities (
    approval_id TEXT NOT NULL REFERENCES approvals(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    PRIMARY KEY (approval_id, activity_id)
);
CREATE INDEX approval_activities_activity_idx ON approval_activities (activity_id);

-- Every state change writes its event here in the same transaction; `seq` is the SSE id.
-- topic 'tenant': the tenant's event stream; 'activity': one activity's live output stream.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    topic TEXT NOT NULL CHECK (topic IN ('tenant', 'activity')),
    activity_id TEXT,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX events_tenant_idx ON events (tenant_id, topic, seq);
CREATE INDEX events_activity_idx ON events (activity_id, seq);
