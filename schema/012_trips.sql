-- 012: multi-trip couriers. max_trips: how many trips the courier's
-- vehicle may make in its shift, coming back to the hub to unload between
-- them (couriers.csv column max_trips); NULL: the configured default
-- (max_trips.PROFILE, else max_trips, docs/nightly.md).
ALTER TABLE couriers ADD COLUMN max_trips integer
    CHECK (max_trips BETWEEN 1 AND 32);
