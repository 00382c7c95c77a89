-- Government information disclosure (政府信息公开, issue 9): information requests
-- (依申请公开) with their legal clock, notices, reconsideration and litigation
-- records; publications (主动公开) with full-text search; annual-report texts;
-- and the register of issued documents that /verify/{code} answers from (docs).
--
-- Dates that the law counts in working days are Asia/Shanghai dates stored as
-- 'YYYY-MM-DD' text; instants are UTC milliseconds.

-- Every PDF the platform issues (notices now, licenses later) gets a random
-- verification code printed as a QR code; /verify/{code} tells whether it is
-- genuine.  Owned by src/docs.
CREATE TABLE documents (
    code TEXT PRIMARY KEY,            -- 20 characters, base32, random
    kind TEXT NOT NULL,               -- notice kind, e.g. dis.partial
    title TEXT NOT NULL,
    issuer TEXT NOT NULL,
    number TEXT NOT NULL,             -- 文号
    recipient TEXT NOT NULL,          -- masked name, as the public may see it
    issued_date TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',  -- of the content the PDF renders
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    created_at INTEGER NOT NULL
);
CREATE INDEX documents_object ON documents(object_type, object_id);

-- Document numbers (文号) run per issuer prefix and year.
CREATE TABLE doc_number_seq (
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);

-- An information request.  The applicant's ID and mobile numbers are personal
-- data: encrypted (…_enc), found by blind index (…_idx), shown masked.
CREATE TABLE info_requests (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,                 -- 430903-GK-20261124-0001
    org_id INTEGER NOT NULL REFERENCES orgs(id), -- the agency asked
    user_id INTEGER REFERENCES users(id),        -- the account that filed it online
    channel TEXT NOT NULL CHECK (channel IN ('online', 'in_person', 'post', 'data_message')),
    applicant_type TEXT NOT NULL CHECK (applicant_type IN ('person', 'commercial', 'research',
                                        'public_interest', 'legal_service', 'other_org')),
    applicant_name TEXT NOT NULL,
    id_number_enc TEXT,
    id_number_idx TEXT,
    id_masked TEXT,
    uscc TEXT,
    contact_name TEXT NOT NULL DEFAULT '',
    mobile_enc TEXT,
    mobile_idx TEXT,
    mobile_masked TEXT,
    address TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    delivery TEXT NOT NULL CHECK (delivery IN ('paper', 'email', 'electronic', 'pickup')),
    state TEXT NOT NULL CHECK (state IN ('submitted', 'processing', 'supplement', 'consulting',
                                         'fee', 'replied', 'closed', 'withdrawn')),
    submitted_at INTEGER NOT NULL,
    post_signed INTEGER NOT NULL DEFAULT 1,      -- post: signed for (1) or ordinary letter (0)
    received_date TEXT,                          -- Art. 31
    clock_start TEXT,                            -- received_date, or the supplement's receipt
    due_date TEXT,                               -- NULL while the clock waits
    supplement_asked_date TEXT,
    supplement_items TEXT,
    supplement_due TEXT,
    supplement_received_date TEXT,
    supplement_text TEXT,
    extended INTEGER NOT NULL DEFAULT 0 CHECK (extended IN (0, 1)),
    extension_approver TEXT,
    extension_reason TEXT,
    extension_date TEXT,
    fee_method TEXT CHECK (fee_method IN ('count', 'pages')),
    fee_units INTEGER,
    fee_yuan INTEGER,
    fee_notice_date TEXT,
    fee_due TEXT,
    fee_paid_date TEXT,
    outcome TEXT,                                -- key of the outcome table in rules.c
    outcome_reason TEXT,
    outcome_detail TEXT,                         -- JSON: where to find it, competent body …
    concluded_date TEXT,                         -- replied, closed or withdrawn
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((applicant_type = 'person') = (id_number_idx IS NOT NULL))
);
CREATE INDEX info_requests_org ON info_requests(org_id, state, due_date);
CREATE INDEX info_requests_user ON info_requests(user_id, id);
CREATE INDEX info_requests_received ON info_requests(received_date);
CREATE INDEX info_requests_concluded ON info_requests(concluded_date);
CREATE INDEX info_requests_idnum ON info_requests(id_number_idx);

-- Periods that do not count toward the reply period (Art. 33 paragraph 2 and the
-- fee measures): consulting a third party or other agencies, waiting for a fee.
CREATE TABLE info_request_pauses (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES info_requests(id),
    kind TEXT NOT NULL CHECK (kind IN ('third_party', 'other_agency', 'fee')),
    start_date TEXT NOT NULL,
    end_date TEXT,
    party TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX info_request_pauses_req ON info_request_pauses(request_id, start_date);

-- The timeline: one row per transition.
CREATE TABLE info_request_events (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES info_requests(id),
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX info_request_events_req ON info_request_events(request_id, id);

-- Notices issued for a request; the PDF is rendered from payload on demand, so
-- what was issued is exactly what is downloaded again.
CREATE TABLE info_request_notices (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES info_requests(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL,
    verify_code TEXT NOT NULL UNIQUE REFERENCES documents(code),
    payload TEXT NOT NULL,
    issued_date TEXT NOT NULL,
    delivered_date TEXT,
    delivery_method TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX info_request_notices_req ON info_request_notices(request_id, id);

-- Administrative reconsideration (行政复议) and litigation (行政诉讼) about a request.
CREATE TABLE info_request_reviews (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES info_requests(id),
    kind TEXT NOT NULL CHECK (kind IN ('reconsideration', 'litigation_direct',
                                       'litigation_after_reconsideration')),
    filed_date TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',               -- reviewing organ or court
    result TEXT NOT NULL CHECK (result IN ('pending', 'upheld', 'corrected', 'other')),
    decided_date TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX info_request_reviews_req ON info_request_reviews(request_id);
CREATE INDEX info_request_reviews_filed ON info_request_reviews(filed_date);

-- Publications (主动公开).
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    column_code TEXT NOT NULL,
    index_no TEXT UNIQUE,                        -- 索引号, given on publishing
    title TEXT NOT NULL,
    doc_number TEXT NOT NULL DEFAULT '',         -- 文号
    issued_date TEXT NOT NULL,                   -- 成文日期
    validity TEXT NOT NULL CHECK (validity IN ('valid', 'repealed', 'expired', 'none')),
    repealed_date TEXT,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'review', 'published', 'withdrawn')),
    created_by INTEGER,
    reviewed_by INTEGER,
    review_note TEXT NOT NULL DEFAULT '',
    published_at INTEGER,
    published_date TEXT,
    withdrawn_at INTEGER,
    withdraw_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX publications_list ON publications(state, column_code, published_date);
CREATE INDEX publications_org ON publications(org_id, state, published_date);
CREATE INDEX publications_issued ON publications(column_code, issued_date);

CREATE TABLE publication_events (
    id INTEGER PRIMARY KEY,
    publication_id INTEGER NOT NULL REFERENCES publications(id),
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publication_events_pub ON publication_events(publication_id, id);

CREATE TABLE publication_index_seq (
    org_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- Chinese substring search: the trigram tokenizer matches any substring of three
-- or more characters; shorter queries fall back to LIKE (publication.c).
CREATE VIRTUAL TABLE publications_fts USING fts5(
    title, doc_number, body, content='publications', content_rowid='id', tokenize='trigram');
CREATE TRIGGER publications_ai AFTER INSERT ON publications BEGIN
    INSERT INTO publications_fts(rowid, title, doc_number, body)
    VALUES (new.id, new.title, new.doc_number, new.body);
END;
CREATE TRIGGER publications_ad AFTER DELETE ON publications BEGIN
    INSERT INTO publications_fts(publications_fts, rowid, title, doc_number, body)
    VALUES ('delete', old.id, old.title, old.doc_number, old.body);
END;
CREATE TRIGGER publications_au AFTER UPDATE OF title, doc_number, body ON publications BEGIN
    INSERT INTO publications_fts(publications_fts, rowid, title, doc_number, body)
    VALUES ('delete', old.id, old.title, old.doc_number, old.body);
    INSERT INTO publications_fts(rowid, title, doc_number, body)
    VALUES (new.id, new.title, new.doc_number, new.body);
END;

-- The free-text sections of an annual report and the one figure the data cannot
-- give (fees collected under item (八), in 10,000 yuan).  org_id 0 = the district.
CREATE TABLE disclosure_reports (
    org_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    overview TEXT NOT NULL DEFAULT '',
    problems TEXT NOT NULL DEFAULT '',
    other TEXT NOT NULL DEFAULT '',
    admin_fees_wan REAL NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER,
    PRIMARY KEY (org_id, year)
);

-- Quarterly inspection of each unit's disclosure work (季度督查) with findings and a
-- rectification deadline; the bulletin (督查通报) is rendered from these rows.
CREATE TABLE disclosure_inspections (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    rating TEXT NOT NULL CHECK (rating IN ('good', 'fair', 'poor')),
    findings TEXT NOT NULL,
    rectify_by TEXT,                     -- deadline for rectification, NULL when none needed
    rectified_date TEXT,
    rectification_note TEXT NOT NULL DEFAULT '',
    inspector TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, year, quarter)
);
CREATE INDEX disclosure_inspections_period ON disclosure_inspections(year, quarter);
