-- A deleted clip keeps its row (status 'deleted', never listed nor served) until its file is
-- removed from the object store, which files_removed_at records.
ALTER TABLE clips ADD COLUMN files_removed_at timestamptz;
CREATE INDEX clips_unremoved ON clips (clip_id)
    WHERE status = 'deleted' AND files_removed_at IS NULL;
