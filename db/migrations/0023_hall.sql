-- The hall (issue 18): appointments (预约), queue tickets (取号), calling at the windows
-- (叫号), pauses of a window (暂停服务), one record per visit, and assisted applications
-- (帮办代办).  The rules are in src/hall/ (hall.h says how they fit together) and
-- docs/service-rules.md "The hall"; every statement is in src/store/hall_store.c.
--
-- A hall (site) is an organisation of kind center or township.  Days are Shanghai
-- business dates as 'YYYY-MM-DD' text; a slot is the minute of the day its half hour
-- starts (510 = 08:30); instants are UTC milliseconds.  Flags are integers 0/1.
-- db/migrations-pg/0023_hall.sql is the same schema for PostgreSQL.

-- A hall's own settings: the key its ticket machines present (only its hash is kept).
CREATE TABLE hall_sites (
    site_id INTEGER PRIMARY KEY REFERENCES orgs(id),
    kiosk_key_hash TEXT,                 -- BLAKE2b of the ticket machines' key; NULL: none issued
    kiosk_key_at INTEGER,
    updated_at INTEGER NOT NULL
);

-- A window group (业务类别): the windows that take one kind of business, the letter of
-- its ticket numbers (A001 …), how many appointments each half hour takes, and the
-- departments whose items it takes (an item goes to the group of the window its guide
-- names, else to the group of its department, else to the hall's default group).
CREATE TABLE hall_groups (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES orgs(id),
    letter TEXT NOT NULL CHECK (length(letter) = 1),
    name TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    slot_capacity INTEGER NOT NULL DEFAULT 0 CHECK (slot_capacity BETWEEN 0 AND 100),
    service_min INTEGER NOT NULL DEFAULT 10 CHECK (service_min BETWEEN 1 AND 240),
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, letter)
);
CREATE INDEX hall_groups_site ON hall_groups(site_id, active, sort);

CREATE TABLE hall_group_windows (
    group_id INTEGER NOT NULL REFERENCES hall_groups(id),
    window_id INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (group_id, window_id)
);
CREATE INDEX hall_group_windows_window ON hall_group_windows(window_id);

CREATE TABLE hall_group_depts (
    group_id INTEGER NOT NULL REFERENCES hall_groups(id),
    dept_id INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (group_id, dept_id)
);

-- An appointment: one person, one item, one half hour of one group on a working day.
-- booked → checked_in (a ticket was taken for it) | cancelled | no_show (not checked in
-- by the end of the check-in window).  moves counts the times it was moved.
CREATE TABLE hall_appointments (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,                  -- six digits, checked in at the ticket machine
    site_id INTEGER NOT NULL REFERENCES orgs(id),
    group_id INTEGER NOT NULL REFERENCES hall_groups(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    item_name TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    holder_idx TEXT NOT NULL,            -- blind index of the account's ID number or USCC
    name TEXT NOT NULL,                  -- the account's name, as the window sees it
    day TEXT NOT NULL,                   -- YYYY-MM-DD
    slot INTEGER NOT NULL CHECK (slot BETWEEN 0 AND 1439),
    state TEXT NOT NULL CHECK (state IN ('booked', 'checked_in', 'cancelled', 'no_show')),
    moves INTEGER NOT NULL DEFAULT 0,
    cancel_reason TEXT NOT NULL DEFAULT '',
    cancelled_by INTEGER REFERENCES users(id),
    ticket_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, day, code)
);
CREATE INDEX hall_appointments_slot ON hall_appointments(group_id, day, slot, state);
CREATE INDEX hall_appointments_user ON hall_appointments(user_id, day, state);
CREATE INDEX hall_appointments_holder ON hall_appointments(holder_idx, day);
CREATE INDEX hall_appointments_site_day ON hall_appointments(site_id, day, slot);
CREATE INDEX hall_appointments_state ON hall_appointments(state, day);

-- Online booking blocked after repeated no-shows: through until_day, unless lifted.
CREATE TABLE hall_booking_blocks (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    from_day TEXT NOT NULL,
    until_day TEXT NOT NULL,
    no_shows INTEGER NOT NULL,           -- how many no-shows within the window caused it
    created_at INTEGER NOT NULL,
    lifted_at INTEGER,
    lifted_by INTEGER REFERENCES users(id),
    lift_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hall_booking_blocks_user ON hall_booking_blocks(user_id, until_day);

-- Per group and day: the last ticket number given (gapless: the row is updated in the
-- ticket's own transaction) and how many wait now (kept with every change of a ticket
-- into or out of waiting, so the kiosk, the display and every answer read it without
-- counting the queue); and the day's finished services with their total length, for the
-- wait estimate (kept as each call ends).
CREATE TABLE hall_counters (
    group_id INTEGER NOT NULL REFERENCES hall_groups(id),
    day TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    waiting INTEGER NOT NULL DEFAULT 0,
    served INTEGER NOT NULL DEFAULT 0,    -- calls ended done after service …
    served_ms INTEGER NOT NULL DEFAULT 0, -- … and their service time, for the wait estimate
    PRIMARY KEY (group_id, day)
);

-- A queue ticket: one visit to the hall.  waiting → called → serving → done, or
-- no_show (called and not come; may be queued again), cancelled (given up), expired
-- (still waiting when the day ended).  A transfer puts it back to waiting for another
-- window or group, ahead of the others (priority 3).  priority: 0 normal, 1 appointment,
-- 2 绿色通道 (elderly, disabled), 3 transferred.
CREATE TABLE hall_tickets (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES orgs(id),
    group_id INTEGER NOT NULL REFERENCES hall_groups(id),
    day TEXT NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,                -- A001
    source TEXT NOT NULL CHECK (source IN ('kiosk', 'phone', 'appointment', 'staff')),
    priority INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 3),
    green INTEGER NOT NULL DEFAULT 0 CHECK (green IN (0, 1)),
    user_id INTEGER REFERENCES users(id),
    appointment_id INTEGER REFERENCES hall_appointments(id),
    item_name TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show',
                                         'cancelled', 'expired')),
    taken_at INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,          -- when it (last) joined a queue
    target_window_id INTEGER REFERENCES orgs(id), -- transferred to this window only
    window_id INTEGER REFERENCES orgs(id),        -- the window that called it last
    clerk_id INTEGER REFERENCES users(id),
    first_called_at INTEGER,
    called_at INTEGER,                   -- the last call (a recall moves it)
    calls INTEGER NOT NULL DEFAULT 0,
    served_at INTEGER,
    ended_at INTEGER,
    transfers INTEGER NOT NULL DEFAULT 0,
    service_id INTEGER REFERENCES service_sessions(id), -- rated at the window's evaluator
    case_id INTEGER REFERENCES cases(id),
    case_no TEXT NOT NULL DEFAULT '',
    call_id INTEGER,                     -- its current hall_calls row
    UNIQUE (group_id, day, seq)
);
-- a hall's tickets by state; a group's line in calling order (its next ticket, the
-- people ahead); its longest wait; tickets transferred to a window; the display's calls;
-- a window's calls; what a past day left
CREATE INDEX hall_tickets_queue ON hall_tickets(site_id, day, state);
CREATE INDEX hall_tickets_line ON hall_tickets(group_id, day, state, priority DESC, queued_at, id);
CREATE INDEX hall_tickets_wait ON hall_tickets(group_id, day, state, queued_at);
CREATE INDEX hall_tickets_target ON hall_tickets(target_window_id, day, state);
CREATE INDEX hall_tickets_called ON hall_tickets(site_id, day, called_at);
CREATE INDEX hall_tickets_window ON hall_tickets(window_id, day, called_at);
CREATE INDEX hall_tickets_state ON hall_tickets(state, day);
CREATE INDEX hall_tickets_clerk ON hall_tickets(clerk_id, state);
CREATE INDEX hall_tickets_user ON hall_tickets(user_id, day);
CREATE INDEX hall_tickets_case ON hall_tickets(case_id);
CREATE INDEX hall_tickets_service ON hall_tickets(service_id);

-- One call of a ticket to a window and what came of it (a leg of the visit): the wait
-- since it joined that queue, the service from serve to its end.  outcome: open while
-- the window has it, then done, transferred, no_show or cancelled.
CREATE TABLE hall_calls (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES hall_tickets(id),
    site_id INTEGER NOT NULL REFERENCES orgs(id),
    group_id INTEGER NOT NULL REFERENCES hall_groups(id),
    day TEXT NOT NULL,
    window_id INTEGER NOT NULL REFERENCES orgs(id),
    clerk_id INTEGER NOT NULL REFERENCES users(id),
    clerk_name TEXT NOT NULL,
    queued_at INTEGER NOT NULL,
    called_at INTEGER NOT NULL,
    recalls INTEGER NOT NULL DEFAULT 0,
    served_at INTEGER,
    service_id INTEGER REFERENCES service_sessions(id), -- the window service this leg opened
    ended_at INTEGER,
    outcome TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'done', 'transferred',
                                                            'no_show', 'cancelled'))
);
CREATE INDEX hall_calls_site_day ON hall_calls(site_id, day, called_at);
CREATE INDEX hall_calls_group ON hall_calls(group_id, day, outcome);
-- covering the window's day (store/hall_store.c ow_hall_store_window_day)
CREATE INDEX hall_calls_window ON hall_calls(window_id, called_at, outcome, queued_at, served_at,
    ended_at);
CREATE INDEX hall_calls_ticket ON hall_calls(ticket_id);

-- Every step of a ticket, for its timeline (the audit trail has them too).
CREATE TABLE hall_ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES hall_tickets(id),
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    window_id INTEGER REFERENCES orgs(id),
    actor_id INTEGER REFERENCES users(id),
    actor_name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hall_ticket_events_ticket ON hall_ticket_events(ticket_id, id);
-- the calls of the last seconds, which every node reads to announce those made on the
-- others (src/hall/hall_live.c)
CREATE INDEX hall_ticket_events_call ON hall_ticket_events(action, at);

-- A window at work: who is at it and whether it takes calls (open) or is paused.
CREATE TABLE hall_windows (
    window_id INTEGER PRIMARY KEY REFERENCES orgs(id),
    site_id INTEGER NOT NULL REFERENCES orgs(id),
    state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed')),
    clerk_id INTEGER REFERENCES users(id),
    clerk_name TEXT NOT NULL DEFAULT '',
    pause_id INTEGER,
    since INTEGER NOT NULL
);
CREATE INDEX hall_windows_site ON hall_windows(site_id, state);

-- A pause of service at a window (暂停服务) with its reason; ended_at NULL while it lasts.
CREATE TABLE hall_pauses (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES orgs(id),
    window_id INTEGER NOT NULL REFERENCES orgs(id),
    clerk_id INTEGER NOT NULL REFERENCES users(id),
    clerk_name TEXT NOT NULL,
    day TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('break', 'meeting', 'system', 'business', 'other')),
    note TEXT NOT NULL DEFAULT '',
    started_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX hall_pauses_window ON hall_pauses(window_id, started_at);
CREATE INDEX hall_pauses_site_day ON hall_pauses(site_id, day);

-- 帮办代办: an application a clerk of the 帮办代办 window, a township centre or an agent
-- point helped with (help: filled in beside the applicant; agent: did it for them).
-- recorded → confirmed by the applicant (link, account, paper) | disputed.
CREATE TABLE hall_assists (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    helper_id INTEGER NOT NULL REFERENCES users(id),
    helper_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('help', 'agent')),
    applicant_name TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_number_idx TEXT NOT NULL,
    id_masked TEXT NOT NULL,
    mobile_masked TEXT NOT NULL DEFAULT '',
    item_id INTEGER REFERENCES items(id),
    item_name TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    case_no TEXT NOT NULL DEFAULT '',
    ticket_id INTEGER REFERENCES hall_tickets(id),
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('recorded', 'confirmed', 'disputed')),
    confirm_channel TEXT CHECK (confirm_channel IN ('link', 'account', 'paper')),
    confirm_note TEXT NOT NULL DEFAULT '',
    confirmed_at INTEGER,
    day TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX hall_assists_org ON hall_assists(org_id, day);
CREATE INDEX hall_assists_applicant ON hall_assists(id_number_idx, id);
