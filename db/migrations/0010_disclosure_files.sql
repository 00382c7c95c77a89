-- Files of government information disclosure (issue 9), in the content-addressed
-- store of src/files (blobs, 0008).
--
-- Attachments of publications (主动公开的附件): the files that go with a
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

-- Papers of an information request that came on paper (信函, 当面, 传真): the scanned
-- application letter, the envelope whose postmark and signature fix the receipt date
-- (条例第三十一条), proof of identity.  Recorded by the handling discloser; never
-- removed, as they are the request's evidence.
CREATE TABLE info_request_files (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES info_requests(id),
    label TEXT NOT NULL,                     -- 申请书, 信封, 身份证明 …
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX info_request_files_req ON info_request_files(request_id, id);
CREATE INDEX info_request_files_blob ON info_request_files(sha256);
