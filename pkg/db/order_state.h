/*
 * order_state: the one list of order states on the C side. The database's
 * copy is the CHECK constraint orders_status_check (schema/004_pickups.sql);
 * tests/integration/test_pickups.sh fails when the two differ.
 *
 *   pending     waiting to be planned (an unassigned one carries a reason)
 *   planned     claimed, inside a nightly transaction only
 *   manifested  in a manifest (manifest_id) not yet delivered to the courier
 *   delivered   its manifest reached the courier's system
 *   picked      the courier confirmed the pickup (vcourier import pickups): final
 *   rejected    refused by a run (reason says why)
 *   cancelled   cancelled by the seller or an operator
 *
 * A `missing` or `refused` pickup confirmation is not a state: the order
 * goes back to pending with the reason (docs/pickups.md).
 */
#ifndef VC_DB_ORDER_STATE_H
#define VC_DB_ORDER_STATE_H

/* X(name) for every state, in life order. */
#define ORDER_STATES(X) \
	X(pending) X(planned) X(manifested) X(delivered) X(picked) X(rejected) X(cancelled)

#endif
