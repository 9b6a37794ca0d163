-- The approval queue's page reads its linked activities from the link table alone: each link
-- carries the activity's title and status, kept in step by a trigger.
ALTER TABLE approval_activities ADD COLUMN activity_title TEXT NOT NULL DEFAULT '',
    ADD COLUMN activity_status TEXT NOT NULL DEFAULT '';
UPDATE approval_activities l SET activity_title = a.title, activity_status = a.status
    FROM activities a WHERE a.id = l.activity_id;
CREATE FUNCTION lm_sync_approval_links() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE approval_activities SET activity_status = NEW.status, activity_title = NEW.title WHERE activity_id = NEW.id; RETURN NULL; END $$;
CREATE TRIGGER activities_sync_approval_links AFTER UPDATE OF status, title ON activities FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.title IS DISTINCT FROM OLD.title) EXECUTE FUNCTION lm_sync_approval_links();
-- The campaign detail: a period's progress, the campaign's latest activities and its pending
-- approvals, each an index range instead of a scan.
CREATE INDEX activities_period_idx ON activities (period_id, status);
CREATE INDEX activities_campaign_recent_idx ON activities (campaign_id, id);
CREATE INDEX approvals_campaign_status_idx ON approvals (campaign_id, status, tenant_id);
