-- Issue 26: documents as the law and the national template print them.

-- The annual report as the disclosure office sets it — the opening statement
-- (legal basis, the six parts, the statistics period), the date the report bears, and the
-- five sub-sections of 一、总体情况 that published reports carry: (一)主动公开
-- (二)依申请公开 (三)政府信息管理 (四)平台建设 (五)监督保障.  Empty texts print the
-- template's default (annual_report.c); a NULL date prints none.
ALTER TABLE disclosure_reports ADD COLUMN opening TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosure_reports ADD COLUMN report_date TEXT;  -- YYYY-MM-DD
ALTER TABLE disclosure_reports ADD COLUMN overview_active TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosure_reports ADD COLUMN overview_requests TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosure_reports ADD COLUMN overview_management TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosure_reports ADD COLUMN overview_platform TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosure_reports ADD COLUMN overview_oversight TEXT NOT NULL DEFAULT '';

-- A case's decision is signed by the deciding department, and the register now records
-- that department as its issuer (what /verify/{code} answers); decisions registered
-- before named the centre.
UPDATE documents SET issuer = (
    SELECT o.name FROM cases c JOIN orgs o ON o.id = c.dept_id
    WHERE c.id = CAST(documents.object_id AS INTEGER))
WHERE kind = 'case.decision' AND object_type = 'case' AND EXISTS (
    SELECT 1 FROM cases c WHERE c.id = CAST(documents.object_id AS INTEGER));
