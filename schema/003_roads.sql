-- 003_roads: road networks from OpenStreetMap (SPEC section 9, docs/roads.md).
--
-- The network itself (osm2pgrouting's ways and ways_vertices_pgr) lives in
-- the schema `roads`, created by `vcourier roads load` together with the
-- postgis and pgrouting extensions: a database that never loads roads
-- needs neither, so this migration only holds plain tables.

-- One row per successful load; the highest version is the network in use.
CREATE TABLE road_networks (
    version     bigserial PRIMARY KEY,
    file        text NOT NULL,
    sha256      text NOT NULL,
    ways        bigint NOT NULL,
    vertices    bigint NOT NULL,
    min_lat     double precision,
    min_lon     double precision,
    max_lat     double precision,
    max_lon     double precision,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- Optional vehicle profile of a courier (van when NULL).
ALTER TABLE couriers ADD COLUMN profile text
    CHECK (profile IS NULL OR profile IN ('van', 'truck', 'tricycle', 'motorbike'));

-- Where each hub or point meets the road network, per profile (a tricycle
-- may have to use a farther road than a van). Valid while network_version
-- is the current network and lat/lon are still the place's position.
-- edge_id NULL: no road of the profile within road_snap_max_m (snap_m is
-- then the distance to the nearest one, or NULL when there is none).
CREATE TABLE road_snaps (
    profile         text NOT NULL,
    code            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('hub', 'point')),
    lat             double precision NOT NULL,
    lon             double precision NOT NULL,
    network_version bigint NOT NULL REFERENCES road_networks(version) ON DELETE CASCADE,
    edge_id         bigint,
    fraction        double precision,
    snap_m          double precision,
    max_m           double precision NOT NULL,
    snapped_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (profile, kind, code)
);

-- Shortest road distance (metres) and fastest travel time (seconds) per
-- profile between two places of a hub, computed with pgRouting. NULL: no
-- path (one-way trap, island, or a place too far from any road).
CREATE TABLE road_legs (
    hub_code        text NOT NULL,
    profile         text NOT NULL,
    from_code       text NOT NULL,
    to_code         text NOT NULL,
    network_version bigint NOT NULL REFERENCES road_networks(version) ON DELETE CASCADE,
    metres          double precision,
    seconds         double precision,
    PRIMARY KEY (hub_code, profile, from_code, to_code)
);

-- An imported matrix (`vcourier import matrix`) may be per profile; ''
-- means for every profile. It wins over the network for its pairs.
ALTER TABLE road_matrix ADD COLUMN profile text NOT NULL DEFAULT ''
    CHECK (profile IN ('', 'van', 'truck', 'tricycle', 'motorbike'));
ALTER TABLE road_matrix DROP CONSTRAINT road_matrix_pkey;
ALTER TABLE road_matrix ADD PRIMARY KEY (from_code, to_code, profile);
