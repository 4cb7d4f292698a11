/*
 * copy: COPY FROM STDIN for the import and the nightly write: one field
 * escaper for the text format, and one way to end a COPY, normally or as a
 * failure (see db.h).
 */
#include "db/db.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

int db_copy_begin(PGconn *conn, const char *copy_sql, struct vc_error *err)
{
	PGresult *res = PQexec(conn, copy_sql);
	int rc = 0;
	if (!res || PQresultStatus(res) != PGRES_COPY_IN)
		rc = db_fail(conn, res, "COPY: ", err);
	PQclear(res);
	return rc;
}

int db_copy_put(PGconn *conn, const char *data, size_t len, struct vc_error *err)
{
	if (PQputCopyData(conn, data, (int)len) != 1)
		return db_fail(conn, NULL, "COPY: ", err);
	return 0;
}

int db_copy_finish(PGconn *conn, const char *abort_reason, char sqlstate[6],
		   struct vc_error *err)
{
	PGresult *res;
	int failed = 0;
	if (sqlstate)
		sqlstate[0] = '\0';
	if (PQputCopyEnd(conn, abort_reason) != 1) {
		db_fail(conn, NULL, "COPY: ", err);
		failed = 1;
	}
	/* drain every result, so the connection is usable (or cleanly broken) after */
	while ((res = PQgetResult(conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			if (sqlstate && !sqlstate[0] && state)
				snprintf(sqlstate, 6, "%s", state);
			if (!failed)
				db_fail(conn, res, "COPY: ", err);
			failed = 1;
		}
		PQclear(res);
	}
	return failed || abort_reason ? -1 : 0;
}

int db_copy_end(PGconn *conn, struct vc_error *err)
{
	return db_copy_finish(conn, NULL, NULL, err);
}

void db_copy_abort(PGconn *conn, const char *reason)
{
	db_copy_finish(conn, reason ? reason : "aborted", NULL, NULL);
}

int db_copy_rows(PGconn *conn, const char *copy_sql, db_copy_next_fn next, void *arg,
		 struct vc_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int more = 1;

	if (db_copy_begin(conn, copy_sql, err) < 0)
		return -1;
	while (more > 0) {
		if ((more = next(arg, &sb, err)) < 0)
			goto abort;
		if (sb.len >= DB_COPY_FLUSH_BYTES || (!more && sb.len)) {
			if (db_copy_put(conn, sb.buf, sb.len, err) < 0)
				goto abort;
			strbuf_reset(&sb);
		}
	}
	strbuf_release(&sb);
	return db_copy_end(conn, err);
abort:
	strbuf_release(&sb);
	/* what was flushed already is in the server's COPY: abort it, never end
	 * it (an ended COPY keeps those rows; tests/unit/test_db_copy.c) */
	db_copy_abort(conn, "vcourier: COPY aborted");
	return -1;
}

void db_copy_field(struct strbuf *sb, const char *s)
{
	if (!s) {
		strbuf_addstr(sb, "\\N");
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '\\': strbuf_add(sb, "\\\\", 2); break;
		case '\t': strbuf_add(sb, "\\t", 2); break;
		case '\n': strbuf_add(sb, "\\n", 2); break;
		case '\r': strbuf_add(sb, "\\r", 2); break;
		default: strbuf_addch(sb, *s);
		}
	}
}
