-- Foundation: tenants, users, credentials (MFA, refresh tokens) and the audit log.
-- Times are integer milliseconds since the Unix epoch (UTC) in both dialects.

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    tenant_id TEXT REFERENCES tenants(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'reviewer', 'dm_reviewer', 'super_admin')),
    app_access TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    mfa_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invited', 'deleted')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- platform roles have no tenant; tenant roles always have one
    CHECK ((role IN ('dm_reviewer', 'super_admin')) = (tenant_id IS NULL))
);
CREATE INDEX users_tenant_idx ON users (tenant_id);

CREATE TABLE mfa_secrets (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret_sealed BYTEA NOT NULL,
    activated_at BIGINT,
    last_used_counter BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE refresh_token_families (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_reason TEXT
);
CREATE INDEX refresh_token_families_user_idx ON refresh_token_families (user_id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES refresh_token_families(id) ON DELETE CASCADE,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    spent_at BIGINT
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- No foreign keys: the audit trail outlives what it talks about.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    tenant_id TEXT,
    actor_id TEXT,
    actor_type TEXT NOT NULL,
    impersonator_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT,
    target_id TEXT,
    ip TEXT,
    request_id TEXT,
    changes TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, created_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, created_at);
