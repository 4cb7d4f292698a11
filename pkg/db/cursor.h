/*
 * cursor: a big result read in batches through a server-side cursor inside
 * the caller's transaction, so that a hub's 100,000-row claim or its
 * million-entry road matrix never sits whole in one PGresult beside the
 * structures built from it: memory follows one batch plus what the caller
 * keeps. The one way vcourier reads a result that grows with a hub (the
 * claim and the loads of pkg/nightly); the batch size is the caller's
 * (config db_fetch_rows).
 */
#ifndef VC_CURSOR_H
#define VC_CURSOR_H

#include <libpq-fe.h>

#include "util/error.h"

/* Called once per batch (never with an empty one); 0 to go on, -1 with err to stop. */
typedef int (*db_batch_fn)(PGresult *batch, void *ctx, struct vc_error *err);

/*
 * DECLARE `name` (a fixed identifier, not data) for sql with its
 * parameters, FETCH batch_rows at a time into fn, CLOSE. Must run inside a
 * transaction (a cursor lives in one); FOR UPDATE queries lock the rows as
 * they are fetched.
 */
int db_each_batch(PGconn *conn, const char *name, const char *sql, int nparams,
		  const char *const *params, int batch_rows, db_batch_fn fn, void *ctx,
		  struct vc_error *err);

#endif
