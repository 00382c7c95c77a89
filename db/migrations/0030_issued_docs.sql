-- Issued documents frozen (issue 23 point 1): a notice or certificate is rendered once when
-- it is issued and its PDF kept in the content-addressed file store (core/blob.h, a row in
-- blobs); every download after that sends those bytes (src/docs/docs.c "Frozen").  A
-- correction is a new document with its own number that names the one it replaces.
ALTER TABLE documents ADD COLUMN pdf_sha256 TEXT NOT NULL DEFAULT '';  -- '' = not frozen yet
ALTER TABLE documents ADD COLUMN pdf_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN frozen_at INTEGER;                    -- UTC ms
ALTER TABLE documents ADD COLUMN replaces TEXT NOT NULL DEFAULT '';    -- code of the replaced
ALTER TABLE documents ADD COLUMN replaced_by TEXT NOT NULL DEFAULT ''; -- code of its correction
ALTER TABLE documents ADD COLUMN correction_reason TEXT NOT NULL DEFAULT '';
