/*
 * lock: one PostgreSQL session advisory lock per hub, so that two runs for
 * the same hub (nightly, rerun, deliver) never overlap while runs for other
 * hubs proceed. Session-level: held until released or the connection ends,
 * so a killed process loses it at once (no stale lock files). Needs a direct
 * connection, not a transaction-pooling proxy. The run life cycle around
 * the lock (holder's message, recovery of dead runs) is pkg/run.
 */
#ifndef VC_LOCK_H
#define VC_LOCK_H

#include <libpq-fe.h>

#include "util/error.h"

/* The two-int4 key space: (this class, hub id), as pg_locks shows it
 * (classid, objid, objsubid 2). The class is arbitrary but fixed. */
#define DB_HUB_LOCK_CLASS "730518"

/* *got = 1 when this session now holds hub_id's lock, 0 when another does. */
int db_hub_lock_try(PGconn *conn, long long hub_id, int *got, struct vc_error *err);
int db_hub_unlock(PGconn *conn, long long hub_id, struct vc_error *err);
#endif
