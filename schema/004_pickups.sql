-- 004_pickups: the couriers' pickup confirmations (SPEC section 11,
-- docs/pickups.md).
--
-- Order states after this migration (the C side of the list is
-- pkg/db/order_state.h; keep the two equal, tests/integration/
-- test_pickups.sh compares them):
--   pending -> planned -> manifested -> delivered (to the courier's system)
--   -> picked (the courier confirmed the parcel was handed over: final)
--   or rejected (reason set) or cancelled.
-- A `missing` or `refused` confirmation puts the order back to pending
-- with the reason, for the next night; it never becomes final by itself.

ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending', 'planned', 'manifested', 'delivered', 'picked', 'rejected', 'cancelled'));
-- A picked order keeps the manifest it was picked up on.
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_check1;
ALTER TABLE orders ADD CONSTRAINT orders_manifest_set
    CHECK (status NOT IN ('manifested', 'delivered', 'picked') OR manifest_id IS NOT NULL);

-- One confirmation per (manifest version, order): what the courier said
-- and when. Never updated: a second confirmation with another status is
-- refused by the import, so this is the history an operator can trust.
CREATE TABLE pickups (
    manifest_id text NOT NULL REFERENCES manifests(manifest_id),
    order_id    bigint NOT NULL REFERENCES orders(id),
    status      text NOT NULL CHECK (status IN ('picked', 'missing', 'refused')),
    at          timestamptz NOT NULL,
    source      text NOT NULL,          -- FILE:LINE it came from
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (manifest_id, order_id)
);
-- The nightly claim asks, per pending order, whether it was reported
-- missing or refused on that very day (it then waits for the next night).
CREATE INDEX pickups_order ON pickups (order_id);
