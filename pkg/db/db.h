/*
 * db: the thin layer over libpq that every module uses. Every statement
 * with a value in it goes through db_exec's parameters: SQL text is never
 * assembled from data. Errors are classified for cron: a lost connection,
 * a server shutting down or a statement timeout is EX_UNAVAILABLE (69, try
 * again later); anything else EX_SOFTWARE (70).
 */
#ifndef VC_DB_H
#define VC_DB_H

#include <libpq-fe.h>

#include "util/error.h"

/*
 * Connect. vcourier's defaults (application_name app, e.g.
 * "vcourier/nightly", connect_timeout, keepalives) yield to anything the
 * conninfo or the PG* environment sets; client_encoding is always UTF8.
 */
PGconn *db_connect(const char *conninfo, const char *app, struct vc_error *err);
void db_close(PGconn *conn);

/*
 * Run one statement with text parameters (NULL entries are SQL NULL).
 * Returns the result (COMMAND_OK or TUPLES_OK), to be PQclear'ed by the
 * caller, or NULL with err filled.
 */
PGresult *db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params,
		  struct vc_error *err);
/* Same, for statements whose result is not needed. */
int db_run(PGconn *conn, const char *sql, int nparams, const char *const *params,
	   struct vc_error *err);
int db_begin(PGconn *conn, struct vc_error *err);
int db_commit(PGconn *conn, struct vc_error *err);
/* Best effort: errors are ignored (the connection may already be gone). */
void db_rollback(PGconn *conn);

/* Fill err from a failed result or connection: picks 69 or 70 (see above). */
int db_fail(PGconn *conn, const PGresult *res, const char *what, struct vc_error *err);

/*
 * copy.c: COPY ... FROM STDIN in text format. db_copy_field appends one
 * field escaped (NULL: \N); db_copy_end finishes the COPY; db_copy_abort
 * ends it as a failure, so that the server keeps none of the rows sent
 * (ending a failed COPY with db_copy_end would store what was sent).
 * db_copy_finish is both: abort_reason NULL ends it normally; err (may be
 * NULL) gets the first error, sqlstate (may be NULL) its SQLSTATE.
 */
struct strbuf;
int db_copy_begin(PGconn *conn, const char *copy_sql, struct vc_error *err);
int db_copy_put(PGconn *conn, const char *data, size_t len, struct vc_error *err);
int db_copy_end(PGconn *conn, struct vc_error *err);
void db_copy_abort(PGconn *conn, const char *reason);
int db_copy_finish(PGconn *conn, const char *abort_reason, char sqlstate[6],
		   struct vc_error *err);
void db_copy_field(struct strbuf *sb, const char *s);
/*
 * One whole COPY ... FROM STDIN: next(arg, sb, err) appends one or more
 * rows to sb and returns 1 (more to come), 0 (that was the last) or -1
 * (err filled). Rows go to the server every DB_COPY_FLUSH_BYTES. On any
 * failure (next's, the connection's, the server's) the COPY is aborted,
 * so the server keeps none of the rows already sent, and -1 is returned
 * with the first error in err; inside a transaction, the transaction is
 * then failed and can only roll back.
 */
#define DB_COPY_FLUSH_BYTES (256 * 1024)
typedef int (*db_copy_next_fn)(void *arg, struct strbuf *sb, struct vc_error *err);
int db_copy_rows(PGconn *conn, const char *copy_sql, db_copy_next_fn next, void *arg,
		 struct vc_error *err);

/* param.c: values as text parameters, and the one-id statements every module runs. */
#define DB_ID_LEN 24
/* v as a text parameter ("%lld") in buf; returns buf. */
const char *db_id(char buf[DB_ID_LEN], long long v);
/* db_exec of a statement whose one parameter $1 is an id. */
PGresult *db_exec_id(PGconn *conn, const char *sql, long long id, struct vc_error *err);
/* The first column of the first row as a number (0 when no row), or -1 with err. */
long long db_scalar(PGconn *conn, const char *sql, int nparams, const char *const *params,
		    struct vc_error *err);

#endif
