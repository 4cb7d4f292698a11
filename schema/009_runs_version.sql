-- 009: which vcourier wrote each run (vcourier --version), so that a
-- change in results can be tied to an upgrade. NULL for runs before it.
ALTER TABLE runs ADD COLUMN vcourier_version text;
