/* cursor: batches of a result through DECLARE / FETCH (see cursor.h). */
#include "db/cursor.h"
#include "db/db.h"
#include "log/log.h"
#include "util/strbuf.h"

int db_each_batch(PGconn *conn, const char *name, const char *sql, int nparams,
		  const char *const *params, int batch_rows, db_batch_fn fn, void *ctx,
		  struct vc_error *err)
{
	struct strbuf declare = STRBUF_INIT, fetch = STRBUF_INIT, close_sql = STRBUF_INIT;
	long long rows = 0, batches = 0;
	int rc = -1;

	strbuf_addf(&declare, "DECLARE %s NO SCROLL CURSOR FOR %s", name, sql);
	strbuf_addf(&fetch, "FETCH FORWARD %d FROM %s", batch_rows, name);
	strbuf_addf(&close_sql, "CLOSE %s", name);
	if (db_run(conn, declare.buf, nparams, params, err) < 0)
		goto cleanup;
	for (;;) {
		PGresult *r = db_exec(conn, fetch.buf, 0, NULL, err);
		int n, stop;
		if (!r)
			goto cleanup;
		n = PQntuples(r);
		rows += n;
		batches += n > 0;
		stop = n > 0 ? fn(r, ctx, err) : 0;
		PQclear(r);
		if (stop < 0)
			goto cleanup;
		if (n < batch_rows)
			break;
	}
	rc = db_run(conn, close_sql.buf, 0, NULL, err);
	/* -vv: how a result was read (the tests check that small batches were exercised). */
	log_event(LOG_DEBUG, "db_batches", "cursor=%s rows=%lld batches=%lld batch_rows=%d", name,
		  rows, batches, batch_rows);
cleanup:
	strbuf_release(&declare);
	strbuf_release(&fetch);
	strbuf_release(&close_sql);
	return rc;
}
