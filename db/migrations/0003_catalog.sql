-- The service catalog (政务服务事项目录, issue 5): items with their guides
-- (办事指南), published versions, and the public search projection.
--
-- Two worlds, on purpose:
--   * the head (items, item_materials, item_steps) is what administrators edit;
--     an edit to a published item stays invisible until it is published again;
--   * what the public sees is the published state: item_versions holds every
--     published guide as an immutable JSON snapshot (cases filed under version
--     N keep pointing at N), and item_public is the search projection of the
--     current published version of each published item, indexed by FTS5
--     trigram (3+ characters) and by item_grams (1- and 2-character substrings).

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,           -- GB/T 39554.1-style: type(2) main(5) sub(3) [-NN]
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('licensing', 'confirmation', 'payment', 'adjudication',
                                       'reward', 'collection', 'other_power', 'public_service')),
    dept_id INTEGER NOT NULL REFERENCES orgs(id),      -- competent department (实施部门)
    window_id INTEGER REFERENCES orgs(id),              -- where it is taken in the hall
    implementing_body TEXT NOT NULL DEFAULT '',         -- 实施主体, when not the department
    theme TEXT NOT NULL DEFAULT '',                     -- life event (婚姻, 开办企业…) or ''
    target TEXT NOT NULL DEFAULT 'person' CHECK (target IN ('person', 'enterprise', 'both')),
    keywords TEXT NOT NULL DEFAULT '',                  -- other words people search with
    basis TEXT NOT NULL DEFAULT '',                     -- legal basis (设定依据)
    conditions TEXT NOT NULL DEFAULT '',                -- acceptance conditions (受理条件)
    statutory_days INTEGER NOT NULL CHECK (statutory_days BETWEEN 0 AND 365),
    committed_days INTEGER NOT NULL CHECK (committed_days BETWEEN 0 AND 365),
    fee INTEGER NOT NULL DEFAULT 0 CHECK (fee IN (0, 1)),
    fee_standard TEXT NOT NULL DEFAULT '',
    fee_basis TEXT NOT NULL DEFAULT '',
    mode_immediate INTEGER NOT NULL DEFAULT 0 CHECK (mode_immediate IN (0, 1)),  -- 马上办
    mode_online INTEGER NOT NULL DEFAULT 0 CHECK (mode_online IN (0, 1)),        -- 网上办
    mode_nearby INTEGER NOT NULL DEFAULT 0 CHECK (mode_nearby IN (0, 1)),        -- 就近办
    mode_one_visit INTEGER NOT NULL DEFAULT 0 CHECK (mode_one_visit IN (0, 1)),  -- 一次办
    visits INTEGER NOT NULL DEFAULT 1 CHECK (visits BETWEEN 0 AND 9),            -- 到现场次数
    level_district INTEGER NOT NULL DEFAULT 1 CHECK (level_district IN (0, 1)),
    level_township INTEGER NOT NULL DEFAULT 0 CHECK (level_township IN (0, 1)),
    level_agent_point INTEGER NOT NULL DEFAULT 0 CHECK (level_agent_point IN (0, 1)),
    hosted INTEGER NOT NULL DEFAULT 1 CHECK (hosted IN (0, 1)),   -- 进驻政务服务中心
    online_depth TEXT NOT NULL DEFAULT 'none' CHECK (online_depth IN ('none', 'apply', 'full')),
    appointment INTEGER NOT NULL DEFAULT 0 CHECK (appointment IN (0, 1)),
    delivery INTEGER NOT NULL DEFAULT 0 CHECK (delivery IN (0, 1)),  -- 结果可邮寄
    scope TEXT NOT NULL DEFAULT '',           -- 通办范围
    place TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    consult_phone TEXT NOT NULL DEFAULT '',
    complaint_phone TEXT NOT NULL DEFAULT '',
    result_name TEXT NOT NULL DEFAULT '',
    remedies TEXT NOT NULL DEFAULT '',        -- 法律救济
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'suspended')),
    version INTEGER NOT NULL DEFAULT 0,       -- last published version, 0 = never published
    pending INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1)), -- head differs from it
    suspend_reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER,
    CHECK (committed_days <= statutory_days)
);
CREATE INDEX items_dept ON items(dept_id, code);
CREATE INDEX items_status ON items(status, code);

-- Materials to bring (申请材料), in display order.
CREATE TABLE item_materials (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    form TEXT NOT NULL DEFAULT 'original' CHECK (form IN ('original', 'copy', 'both')),
    copies INTEGER NOT NULL DEFAULT 1 CHECK (copies BETWEEN 0 AND 99),
    medium TEXT NOT NULL DEFAULT 'paper' CHECK (medium IN ('paper', 'electronic', 'both')),
    required TEXT NOT NULL DEFAULT 'yes' CHECK (required IN ('yes', 'conditional')),
    condition TEXT NOT NULL DEFAULT '',       -- when a conditional material is needed
    source TEXT NOT NULL DEFAULT '',          -- 申请人自备 / 政府部门核发 …
    blank_form TEXT NOT NULL DEFAULT '',      -- file name of the blank form
    sample TEXT NOT NULL DEFAULT '',          -- file name of the filled-in sample
    license_type TEXT NOT NULL DEFAULT '',    -- e-license type that can stand in (电子证照)
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, seq)
) WITHOUT ROWID;

-- The workflow (办理流程): 受理 → 审查 → 决定 → 出件, who acts and where.
CREATE TABLE item_steps (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'clerk', 'approver', 'supervisor', 'admin')),
    org_id INTEGER REFERENCES orgs(id),
    days INTEGER NOT NULL DEFAULT 0 CHECK (days BETWEEN 0 AND 365),
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, seq)
) WITHOUT ROWID;

-- Every published version, never changed afterwards: cases refer to (item_id, version).
CREATE TABLE item_versions (
    item_id INTEGER NOT NULL REFERENCES items(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    published_at INTEGER NOT NULL,
    published_by INTEGER,
    guide TEXT NOT NULL,                      -- the full guide as JSON
    PRIMARY KEY (item_id, version)
) WITHOUT ROWID;
CREATE TRIGGER item_versions_no_update BEFORE UPDATE ON item_versions
BEGIN SELECT RAISE(ABORT, 'published item versions are immutable'); END;
CREATE TRIGGER item_versions_no_delete BEFORE DELETE ON item_versions
BEGIN SELECT RAISE(ABORT, 'published item versions are immutable'); END;

-- What the public can find: one row per item whose current state is published.
CREATE TABLE item_public (
    item_id INTEGER PRIMARY KEY REFERENCES items(id),
    version INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    keywords TEXT NOT NULL,
    dept_id INTEGER NOT NULL,
    dept_sort INTEGER NOT NULL,
    theme TEXT NOT NULL,
    type TEXT NOT NULL,
    target TEXT NOT NULL,
    modes INTEGER NOT NULL,      -- bit 0 immediate, 1 online, 2 nearby, 3 one_visit
    levels INTEGER NOT NULL,     -- bit 0 district, 1 township, 2 agent_point
    hosted INTEGER NOT NULL,
    online_depth TEXT NOT NULL,
    visits INTEGER NOT NULL
);
-- The list entry of each public item as JSON, apart from item_public so that the rows a
-- search ranks and sorts stay small (many per page) and only a page's worth is read.
CREATE TABLE item_summaries (
    item_id INTEGER PRIMARY KEY REFERENCES item_public(item_id) ON DELETE CASCADE,
    summary TEXT NOT NULL
);
CREATE INDEX item_public_dept ON item_public(dept_id, code);
CREATE INDEX item_public_theme ON item_public(theme, code);
CREATE INDEX item_public_order ON item_public(dept_sort, code);

CREATE VIRTUAL TABLE item_fts USING fts5(
    name, keywords, content='item_public', content_rowid='item_id', tokenize='trigram');
CREATE TRIGGER item_public_ai AFTER INSERT ON item_public BEGIN
    INSERT INTO item_fts(rowid, name, keywords) VALUES (new.item_id, new.name, new.keywords);
END;
CREATE TRIGGER item_public_ad AFTER DELETE ON item_public BEGIN
    INSERT INTO item_fts(item_fts, rowid, name, keywords)
        VALUES ('delete', old.item_id, old.name, old.keywords);
END;
CREATE TRIGGER item_public_au AFTER UPDATE ON item_public BEGIN
    INSERT INTO item_fts(item_fts, rowid, name, keywords)
        VALUES ('delete', old.item_id, old.name, old.keywords);
    INSERT INTO item_fts(rowid, name, keywords) VALUES (new.item_id, new.name, new.keywords);
END;

-- Every distinct 1- and 2-character substring of a public item's name and
-- keywords: trigram FTS cannot answer queries shorter than three characters,
-- and a scan of 10,000 names on every keystroke would not stay fast.  The key
-- carries the ranking (rank: 0 the name is the gram, 1 the name starts with it,
-- 2 the name holds it, 3 only the keywords do; then name length, department
-- order, code), so a page of results is an ordered range of this index.
CREATE TABLE item_grams (
    gram TEXT NOT NULL,
    rank INTEGER NOT NULL,
    name_len INTEGER NOT NULL,
    dept_sort INTEGER NOT NULL,
    code TEXT NOT NULL,
    item_id INTEGER NOT NULL REFERENCES item_public(item_id) ON DELETE CASCADE,
    PRIMARY KEY (gram, rank, name_len, dept_sort, code, item_id)
) WITHOUT ROWID;
CREATE INDEX item_grams_item ON item_grams(item_id);
