-- Materials, the e-license library and the materials wallet (issue 7,
-- docs/architecture.md "Modules").

-- The content-addressed file store's index: one row per distinct content.  The
-- bytes live in <data_dir>/files/ab/cd/<sha256>; the file is fsynced and renamed
-- into place before this row commits, so a row never names a missing file (an
-- orphan file without a row is possible after a crash: `onewindow files check`).
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,               -- sniffed from the content, never from the name
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Materials attached to a case: an upload (a blob), an e-license from the wallet, or
-- a material accepted in an earlier case (免提交: a reference, no new upload).
CREATE TABLE case_materials (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    material TEXT NOT NULL,                   -- the guide's material name
    source TEXT NOT NULL CHECK (source IN ('upload', 'license', 'wallet')),
    sha256 TEXT REFERENCES blobs(sha256),     -- upload and wallet: the content
    filename TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    license_id INTEGER REFERENCES licenses(id),
    from_material_id INTEGER REFERENCES case_materials(id),
    holder_idx TEXT NOT NULL,                 -- the applicant's blind index (wallet lookups)
    accepted INTEGER NOT NULL DEFAULT 0 CHECK (accepted IN (0, 1)), -- the case was accepted
    uploaded_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    CHECK ((source = 'license') = (license_id IS NOT NULL)),
    CHECK ((source = 'license') OR sha256 IS NOT NULL)
);
CREATE INDEX case_materials_case ON case_materials(case_id, id);
CREATE INDEX case_materials_holder ON case_materials(holder_idx, accepted, material);
CREATE INDEX case_materials_blob ON case_materials(sha256);

-- The e-license library (电子证照库): results of approved cases.
CREATE TABLE licenses (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,                       -- 结婚证, 营业执照, 食品经营许可证 …
    number TEXT NOT NULL UNIQUE,              -- 证照编号
    holder_kind TEXT NOT NULL CHECK (holder_kind IN ('person', 'enterprise')),
    holder_idx TEXT NOT NULL,                 -- keyed blind index of the ID number / USCC
    holder_enc TEXT NOT NULL,                 -- the number, encrypted
    holder_masked TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    dept_id INTEGER NOT NULL REFERENCES orgs(id),
    issuer TEXT NOT NULL,                     -- the issuing department's name
    case_id INTEGER UNIQUE REFERENCES cases(id),
    case_no TEXT NOT NULL DEFAULT '',
    item_id INTEGER NOT NULL,
    issued_date TEXT NOT NULL,                -- YYYY-MM-DD
    valid_until TEXT,                         -- YYYY-MM-DD; NULL = long-term (长期)
    data TEXT NOT NULL DEFAULT '{}',          -- the certificate's own fields
    doc_code TEXT NOT NULL,                   -- verification code (documents.code)
    status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
    revoked_at INTEGER,
    revoke_reason TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX licenses_holder ON licenses(holder_idx, type);
CREATE INDEX licenses_code ON licenses(doc_code);

-- The document register learns validity, so /verify/{code} can say "expired" for a
-- license past its date and give the reason of a revocation (documents: 0006).
ALTER TABLE documents ADD COLUMN valid_until TEXT;    -- YYYY-MM-DD; NULL = no end
ALTER TABLE documents ADD COLUMN revoke_reason TEXT;
