-- 014: the speeds a snap was made under (docs/roads.md). A profile's
-- road_speed.* settings decide which roads it may use (0 bars a class) and
-- how long each leg takes, so a snap whose speeds differ from the
-- configured ones is stale: it is made again, and the hub's legs that
-- touch it are deleted and computed again. '' (rows from before) never
-- matches, so the first matrix after the upgrade recomputes everything.
ALTER TABLE road_snaps ADD COLUMN speeds text NOT NULL DEFAULT '';
