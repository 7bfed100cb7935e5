--liquibase formatted sql

--changeset dev3:2020-soft-delete
ALTER TABLE posts ADD COLUMN deleted_at timestamp;
--rollback ALTER TABLE posts DROP COLUMN deleted_at;

--changeset dev3:2020-live-posts runOnChange:true
CREATE OR REPLACE VIEW live_posts AS SELECT * FROM posts WHERE deleted_at IS NULL;

--changeset dev3:2020-release tag:2020-eoy
SELECT 1;
