-- Tenant configuration (Dashboard Team, Skills and Integrations): invitations to join a tenant and
-- API-key integrations of third-party tools. Times are integer milliseconds since the Unix epoch.

-- An invitation: the invited person is a users row with status 'invited' (no password, cannot sign
-- in) until the invitation is accepted; only the SHA-256 of the invite token is stored.
CREATE TABLE team_invites (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'reviewer')),
    token_hash BLOB NOT NULL UNIQUE,
    invited_by TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX team_invites_tenant_idx ON team_invites (tenant_id, status);
CREATE INDEX team_invites_user_idx ON team_invites (user_id);

-- A tenant's skill names are unique (a tenant skill may share a global skill's name: it hides it).
CREATE UNIQUE INDEX skills_tenant_name_idx ON skills (tenant_id, name);

CREATE TABLE integrations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    integration_type TEXT NOT NULL CHECK (integration_type IN ('semrush', 'dataforseo', 'ahrefs',
        'google_ads_api', 'meta_ads_api', 'sendgrid', 'custom')),
    name TEXT NOT NULL,
    -- sealed with the data dir's secret key; the API shows only api_key_hint (its last characters)
    api_key_sealed BLOB NOT NULL,
    api_key_hint TEXT NOT NULL DEFAULT '',
    api_secret_sealed BLOB,
    extra_config TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'error', 'quota_exceeded', 'expired')),
    is_active INTEGER NOT NULL DEFAULT 1,
    last_verified_at INTEGER,
    error_message TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX integrations_tenant_idx ON integrations (tenant_id, id);
