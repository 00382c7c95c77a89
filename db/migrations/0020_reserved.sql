-- Reserved: version 0020 belongs to the store branch (the backend-neutral statement API
-- and PostgreSQL).  This empty file only keeps the sequence contiguous on branch docs26
-- (cmake/embed_migrations.cmake refuses a gap); drop it when merging after the branch
-- that brings the real 0020.
SELECT 1;
