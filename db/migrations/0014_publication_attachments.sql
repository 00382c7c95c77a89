-- Attachments of publications (主动公开的附件, issue 9): the files that go with a
-- document's body — the signed PDF, tables as XLS/XLSX, drawings, an OFD edition, a
-- ZIP of annexes.  The bytes live in the content-addressed store of src/files
-- (blobs, 0008); a row here says which publication carries which content under
-- which name.  Added and removed only while the publication is a draft, so what the
-- confidentiality review (保密审查) approved is exactly what is published; a
-- withdrawn publication keeps its rows (and files) for the record.
CREATE TABLE publication_attachments (
    id INTEGER PRIMARY KEY,
    publication_id INTEGER NOT NULL REFERENCES publications(id),
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,              -- sniffed from the content
    size INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (publication_id, filename)
);
CREATE INDEX publication_attachments_blob ON publication_attachments(sha256);
