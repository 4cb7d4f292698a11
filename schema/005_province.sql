-- 005_province: several workers sharing a night (SPEC section 10).
--
-- backend_pid: pg_backend_pid() of the session that inserted the run (the
-- session that holds the hub's advisory lock). pg_locks names a lock's
-- holder by that pid, so a worker finding a hub locked can say which run
-- (and so which host and process) holds it, and `vcourier runs --date`
-- can tell a live 'running' run from one whose session is gone.
ALTER TABLE runs ADD COLUMN backend_pid integer;
-- `vcourier runs --date D`: the runs of a night.
CREATE INDEX runs_date ON runs (service_date, hub_id);
