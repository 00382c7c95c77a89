-- A mobile number belongs to one citizen or enterprise account (hardening #24).
-- Sign-in by mobile number (src/account/session.c) looks the number up by its blind
-- index and reached only the oldest of several accounts with it; registration now
-- refuses a number already in use (409 on `mobile`) and this index stands behind
-- that check.  Staff accounts are left out: a mobile number never signs them in, and
-- a member of staff may also hold a citizen account with the same number.
--
-- Accounts registered before this with a number already used by an older account
-- could never be reached by it: their blind index is cleared (the encrypted and
-- masked number stay, so nothing shown changes), which keeps sign-in as it was.
UPDATE users SET mobile_idx = NULL
 WHERE kind <> 'staff' AND mobile_idx IS NOT NULL
   AND id NOT IN (SELECT min(id) FROM users
                   WHERE kind <> 'staff' AND mobile_idx IS NOT NULL GROUP BY mobile_idx);
CREATE UNIQUE INDEX users_mobile_account ON users(mobile_idx) WHERE kind <> 'staff';
