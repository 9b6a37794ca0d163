-- Intake: leads with their timeline and CSV imports, blog and social content requests, connected
-- channels with their OAuth tokens (sealed) and the single-use OAuth states of connections under way.
-- Times are integer milliseconds since the Unix epoch (UTC); lists are JSON arrays in TEXT.

CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT,
    -- lower-cased e-mail: one lead per address and tenant (imports skip duplicates)
    email_key TEXT,
    phone TEXT,
    company TEXT,
    status TEXT NOT NULL CHECK (status IN ('new', 'contacted', 'qualified', 'unqualified', 'converted')),
    source TEXT NOT NULL,
    source_ref TEXT,
    score INTEGER CHECK (score BETWEEN 0 AND 100),
    assigned_to TEXT REFERENCES users(id),
    tags TEXT NOT NULL DEFAULT '[]',
    import_id TEXT,
    created_by TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX leads_email ON leads (tenant_id, email_key);
CREATE INDEX leads_tenant ON leads (tenant_id, id);

CREATE TABLE lead_events (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    lead_id TEXT NOT NULL REFERENCES leads(id),
    type TEXT NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
);
CREATE INDEX lead_events_lead ON lead_events (lead_id, id);

CREATE TABLE lead_imports (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    source TEXT NOT NULL,
    file_name TEXT,
    status TEXT NOT NULL CHECK (status IN ('processing', 'completed', 'failed')),
    total INTEGER NOT NULL DEFAULT 0,
    imported INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    -- the uploaded CSV until the import job has read it
    content BLOB,
    created_by TEXT,
    created_at INTEGER NOT NULL,
    completed_at INTEGER
);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    platform TEXT NOT NULL,
    name TEXT NOT NULL,
    account_name TEXT,
    status TEXT NOT NULL CHECK (status IN ('connected', 'expired', 'error', 'disconnected')),
    -- OAuth tokens, sealed with the data dir's secret key; never returned by the API
    access_token BLOB,
    refresh_token BLOB,
    token_expires_at INTEGER,
    scopes TEXT NOT NULL DEFAULT '[]',
    connected_by TEXT,
    connected_at INTEGER NOT NULL,
    disconnected_at INTEGER,
    -- what the health score is computed from (docs/api/dashboard-intake.md)
    profile_fields_total INTEGER NOT NULL DEFAULT 0,
    profile_fields_filled INTEGER NOT NULL DEFAULT 0,
    posts_target_30d INTEGER NOT NULL DEFAULT 8,
    posts_last_30d INTEGER NOT NULL DEFAULT 0,
    engagement_rate_bp INTEGER NOT NULL DEFAULT 0,
    last_published_at INTEGER,
    metrics_updated_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX channels_tenant ON channels (tenant_id, id);

CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    platform TEXT NOT NULL,
    redirect_url TEXT NOT NULL,
    -- the redirect_uri sent with the authorization request (the token request repeats it)
    callback_url TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE content_requests (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    kind TEXT NOT NULL CHECK (kind IN ('blog', 'social')),
    topic TEXT NOT NULL,
    target_keyword TEXT,
    brief TEXT,
    channel_id TEXT,
    platforms TEXT NOT NULL DEFAULT '[]',
    schedule_for INTEGER,
    priority TEXT NOT NULL CHECK (priority IN ('normal', 'high')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'in_production', 'completed', 'rejected')),
    activity_id TEXT,
    campaign_id TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX content_requests_tenant ON content_requests (tenant_id, kind, id);
