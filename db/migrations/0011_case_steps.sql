-- A case follows the steps (办理流程) of the item version it was filed under (issue 6,
-- point 3).  step_seq is the 1-based step the case is at; step_name says it in the
-- queues without reading the guide; route holds the steps with each one's acting
-- organisation once a transfer (转办) has changed who acts — NULL means "as the guide
-- says, the item's department standing in for steps that name none".  dept_id stays
-- the organisation whose queue the case is in, so the queue index (cases_dept) serves
-- a multi-department procedure unchanged.
ALTER TABLE cases ADD COLUMN step_seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN step_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN route TEXT;

-- A USCC that fails only its check characters (an early pilot-period code, service-
-- rules.md "Identity numbers") accepted by a clerk on their own responsibility:
-- {"reason", "by", "by_name", "at"} — NULL for every code that passed its checks.
ALTER TABLE cases ADD COLUMN id_override TEXT;
