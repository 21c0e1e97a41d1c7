-- Oversight alerts (docs/security.md "Oversight indicators"): the usernames an alert is about, so
-- that none of them is ever shown it (an HQ leader who approved the reassignments OVS-03 counts).
ALTER TABLE oversight_alerts ADD COLUMN IF NOT EXISTS watched Array(String) DEFAULT [];
