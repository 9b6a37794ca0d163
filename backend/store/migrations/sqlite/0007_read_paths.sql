-- The approval queue's page reads its linked activities from the link table alone: each link
-- carries the activity's title and status, kept in step by a trigger, and the table is clustered
-- on (approval_id, activity_id), so a page's links are one range read, with no activity lookups.
CREATE TABLE approval_activities_v2 (
    approval_id TEXT NOT NULL REFERENCES approvals(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    activity_title TEXT NOT NULL DEFAULT '',
    activity_status TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (approval_id, activity_id)
) WITHOUT ROWID;
INSERT INTO approval_activities_v2 (approval_id, activity_id, tenant_id, activity_title, activity_status)
    SELECT l.approval_id, l.activity_id, l.tenant_id, a.title, a.status
    FROM approval_activities l JOIN activities a ON a.id = l.activity_id;
DROP TABLE approval_activities;
ALTER TABLE approval_activities_v2 RENAME TO approval_activities;
CREATE INDEX approval_activities_activity_idx ON approval_activities (activity_id);
CREATE TRIGGER activities_sync_approval_links AFTER UPDATE OF status, title ON activities WHEN NEW.status IS NOT OLD.status OR NEW.title IS NOT OLD.title BEGIN UPDATE approval_activities SET activity_status = NEW.status, activity_title = NEW.title WHERE activity_id = NEW.id; END;
-- The campaign detail: a period's progress, the campaign's latest activities and its pending
-- approvals, each an index range instead of a scan.
CREATE INDEX activities_period_idx ON activities (period_id, status);
CREATE INDEX activities_campaign_recent_idx ON activities (campaign_id, id);
CREATE INDEX approvals_campaign_status_idx ON approvals (campaign_id, status, tenant_id);
