-- Years whose State Council holiday notice an administrator loaded through the API
-- (PUT /api/v1/calendar/years/{year}).  The notice's days themselves are kept as rows
-- of `calendar`, replayed at start-up like any edit; this row makes the year count as
-- loaded again after a restart, so its deadlines stop being provisional for good.
CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
    days INTEGER NOT NULL,                 -- rows in the notice
    loaded_at INTEGER NOT NULL,            -- UTC milliseconds
    loaded_by INTEGER REFERENCES users(id)
);
