-- Issue 26: documents as the law and the national template print them.
--
-- A case's decision is signed by the deciding department, and the register now records
-- that department as its issuer (what /verify/{code} answers); decisions registered
-- before named the centre.
UPDATE documents SET issuer = (
    SELECT o.name FROM cases c JOIN orgs o ON o.id = c.dept_id
    WHERE c.id = CAST(documents.object_id AS INTEGER))
WHERE kind = 'case.decision' AND object_type = 'case' AND EXISTS (
    SELECT 1 FROM cases c WHERE c.id = CAST(documents.object_id AS INTEGER));
