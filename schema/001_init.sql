-- 001_init: the entities of SPEC section 2.
--
-- Units: weights in kg (numeric, exact sums), volumes in m3, times of day
-- as minutes since midnight (0..1440), distances in km.
-- Codes (hub, point, courier) are restricted to [A-Za-z0-9_.-]: they end up
-- in manifest ids, which travel as HTTP header values.

CREATE TABLE hubs (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name        text NOT NULL,
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE points (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name        text NOT NULL,
    hub_id      bigint NOT NULL REFERENCES hubs(id),
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    open_min    integer NOT NULL CHECK (open_min BETWEEN 0 AND 1440),
    close_min   integer NOT NULL CHECK (close_min BETWEEN 0 AND 1440),
    service_min integer NOT NULL CHECK (service_min BETWEEN 0 AND 1440),
    -- An inactive point (closed for renovation, flooded road) keeps its
    -- history; orders at it are rejected by the nightly job, not dropped.
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (close_min > open_min)
);
CREATE INDEX points_hub ON points (hub_id);

CREATE TABLE couriers (
    id              bigserial PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_.-]{1,64}$'),
    name            text NOT NULL,
    hub_id          bigint NOT NULL REFERENCES hubs(id),
    capacity_kg     numeric(12,3) NOT NULL CHECK (capacity_kg > 0),
    capacity_m3     numeric(12,4) NOT NULL CHECK (capacity_m3 > 0),
    shift_start_min integer NOT NULL CHECK (shift_start_min BETWEEN 0 AND 1440),
    shift_end_min   integer NOT NULL CHECK (shift_end_min BETWEEN 0 AND 1440),
    endpoint_url    text NOT NULL,
    max_km          double precision CHECK (max_km IS NULL OR max_km > 0),
    active          boolean NOT NULL DEFAULT true,
    -- Set when the endpoint answered 410 Gone: nothing more is posted to it
    -- until an operator clears this (after fixing endpoint_url).
    endpoint_gone_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (shift_end_min > shift_start_min)
);
CREATE INDEX couriers_hub ON couriers (hub_id);

-- A run is one invocation of nightly / rerun / deliver for one hub.
-- status: running -> completed | partial (deliveries left pending)
--         | failed (error recorded) | abandoned (process died; found by the
--         next run for the hub, which holds the lock the dead one lost).
CREATE TABLE runs (
    id             bigserial PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('nightly', 'rerun', 'replan', 'deliver')),
    hub_id         bigint REFERENCES hubs(id),
    service_date   date,
    status         text NOT NULL DEFAULT 'running'
                   CHECK (status IN ('running', 'completed', 'partial', 'failed', 'abandoned')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    pid            integer,
    host           text,
    orders_claimed integer NOT NULL DEFAULT 0,
    orders_routed  integer NOT NULL DEFAULT 0,
    rejected       integer NOT NULL DEFAULT 0,
    unassigned     integer NOT NULL DEFAULT 0,
    manifests      integer NOT NULL DEFAULT 0,
    error          text,
    summary        jsonb
);
CREATE INDEX runs_hub_date ON runs (hub_id, service_date);
CREATE INDEX runs_running ON runs (hub_id) WHERE status = 'running';

-- The outbox. One row per (courier, service_date, version); body holds the
-- exact bytes posted (and signed), sha256 their hex digest. A replan writes
-- version n+1 with replaces = the old manifest_id and sets the old one's
-- superseded_by; only the newest version of a (courier, date) is live.
CREATE TABLE manifests (
    manifest_id     text PRIMARY KEY,
    run_id          bigint NOT NULL REFERENCES runs(id),
    hub_id          bigint NOT NULL REFERENCES hubs(id),
    courier_id      bigint NOT NULL REFERENCES couriers(id),
    service_date    date NOT NULL,
    version         integer NOT NULL CHECK (version >= 1),
    replaces        text REFERENCES manifests(manifest_id),
    superseded_by   text REFERENCES manifests(manifest_id),
    body            text NOT NULL,
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    stops           integer NOT NULL,
    parcels         integer NOT NULL,
    weight_kg       numeric(14,3) NOT NULL,
    volume_m3       numeric(14,4) NOT NULL,
    distance_km     double precision NOT NULL,
    duration_min    integer NOT NULL,
    -- delivery: pending (to post) -> delivered | failed (permanent 4xx,
    -- needs an operator) | gone (410) | superseded (replaced before posting)
    delivery_status text NOT NULL DEFAULT 'pending'
                    CHECK (delivery_status IN ('pending', 'delivered', 'failed', 'gone', 'superseded')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_http_status integer,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (courier_id, service_date, version)
);
CREATE INDEX manifests_pending ON manifests (hub_id, next_attempt_at) WHERE delivery_status = 'pending';
CREATE INDEX manifests_run ON manifests (run_id);

-- Order life: pending -> planned -> manifested -> delivered (to the
-- courier's system), or rejected (reason set) or cancelled. `planned` is
-- held only inside the nightly transaction; a committed order is pending,
-- manifested (manifest_id set), delivered, rejected or cancelled. An order
-- left unassigned stays pending with reason 'unassigned: ...'.
CREATE TABLE orders (
    id           bigserial PRIMARY KEY,
    order_ref    text NOT NULL UNIQUE,
    point_id     bigint NOT NULL REFERENCES points(id),
    weight_kg    numeric(12,3) NOT NULL CHECK (weight_kg > 0),
    volume_m3    numeric(12,4) NOT NULL CHECK (volume_m3 >= 0),
    ready_date   date NOT NULL,
    seller       text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'planned', 'manifested', 'delivered', 'rejected', 'cancelled')),
    reason       text,
    run_id       bigint REFERENCES runs(id),
    manifest_id  text REFERENCES manifests(manifest_id),
    stop_seq     integer,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'rejected' OR reason IS NOT NULL),
    CHECK (status NOT IN ('manifested', 'delivered') OR manifest_id IS NOT NULL)
);
CREATE INDEX orders_pending ON orders (point_id, ready_date) WHERE status = 'pending';
CREATE INDEX orders_manifest ON orders (manifest_id);

-- Every HTTP attempt, successful or not.
CREATE TABLE delivery_attempts (
    id            bigserial PRIMARY KEY,
    manifest_id   text NOT NULL REFERENCES manifests(manifest_id),
    run_id        bigint REFERENCES runs(id),
    attempt       integer NOT NULL,
    started_at    timestamptz NOT NULL,
    duration_ms   integer NOT NULL,
    http_status   integer,
    outcome       text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'gone')),
    error         text,
    response_excerpt text
);
CREATE INDEX delivery_attempts_manifest ON delivery_attempts (manifest_id);

-- Optional road network distances between locations (hub or point codes).
-- Where a pair is present it wins over great-circle x circuity.
CREATE TABLE road_matrix (
    from_code    text NOT NULL,
    to_code      text NOT NULL,
    distance_km  double precision NOT NULL CHECK (distance_km >= 0),
    duration_min double precision CHECK (duration_min IS NULL OR duration_min >= 0),
    PRIMARY KEY (from_code, to_code)
);
