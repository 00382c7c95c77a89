-- Who may open an e-license: besides its holder, the issuing department and supervisors,
-- whoever may look at a case it stands in for (a clerk at intake, the approver reviewing
-- it).  That check looks a license up by the cases that used it: without this index it
-- would read every case material.
CREATE INDEX case_materials_license ON case_materials(license_id) WHERE license_id IS NOT NULL;
