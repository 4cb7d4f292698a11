/* migrate: ordered, recorded, idempotent schema migrations (see migrate.h). */
#include "db/migrate.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>

/* Any constant works; it only has to be the same for every vcourier. */
#define MIGRATE_LOCK_KEY "7305186231"

static const char create_table_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version integer PRIMARY KEY,"
	" name text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

static int is_applied(PGconn *conn, int version, int *yes, struct vc_error *err)
{
	char v[16];
	const char *params[1] = { v };
	PGresult *res;
	snprintf(v, sizeof(v), "%d", version);
	res = db_exec(conn, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, params, err);
	if (!res)
		return -1;
	*yes = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}

static int apply_one(PGconn *conn, const struct migration *m, int *applied, struct vc_error *err)
{
	char v[16];
	const char *params[2] = { v, m->name };
	PGresult *res;
	int done;

	if (db_begin(conn, err) < 0)
		return -1;
	if (db_run(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")", 0, NULL, err) < 0)
		goto fail;
	if (is_applied(conn, m->version, &done, err) < 0)
		goto fail;
	if (done) {
		db_rollback(conn);
		return 0;
	}
	/* PQexec, not PQexecParams: a migration file holds several statements. */
	res = PQexec(conn, m->sql);
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
		char what[128];
		snprintf(what, sizeof(what), "migration %s: ", m->name);
		db_fail(conn, res, what, err);
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	snprintf(v, sizeof(v), "%d", m->version);
	if (db_run(conn, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", 2,
		   params, err) < 0)
		goto fail;
	if (db_commit(conn, err) < 0)
		return -1;
	(*applied)++;
	return 0;
fail:
	db_rollback(conn);
	return -1;
}

int db_migrate(PGconn *conn, int *applied, struct vc_error *err)
{
	const struct migration *m;
	*applied = 0;
	if (db_run(conn, create_table_sql, 0, NULL, err) < 0)
		return -1;
	for (m = vc_migrations; m->version; m++)
		if (apply_one(conn, m, applied, err) < 0)
			return -1;
	return 0;
}

/*
 * The applied migrations as (version, applied_at) rows, or *res NULL when
 * the database was never migrated (no schema_migrations table yet).
 */
static int read_applied(PGconn *conn, PGresult **res, struct vc_error *err)
{
	PGresult *r = db_exec(conn, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL, err);
	int exists;

	*res = NULL;
	if (!r)
		return -1;
	exists = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!exists)
		return 0;
	*res = db_exec(conn, "SELECT version, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ')"
		       " FROM schema_migrations ORDER BY version", 0, NULL, err);
	return *res ? 0 : -1;
}

/* When migration `version` was applied, or NULL when it is pending. */
static const char *applied_at(const PGresult *res, int version)
{
	int i;
	for (i = 0; res && i < PQntuples(res); i++)
		if (atoi(PQgetvalue(res, i, 0)) == version)
			return PQgetvalue(res, i, 1);
	return NULL;
}

int db_migration_status(PGconn *conn, struct strbuf *out, int *pending, struct vc_error *err)
{
	const struct migration *m;
	PGresult *res;

	*pending = 0;
	if (read_applied(conn, &res, err) < 0)
		return -1;
	for (m = vc_migrations; m->version; m++) {
		const char *when = applied_at(res, m->version);
		if (when) {
			strbuf_addf(out, "applied  %s  %s\n", m->name, when);
		} else {
			strbuf_addf(out, "pending  %s\n", m->name);
			(*pending)++;
		}
	}
	PQclear(res);
	return 0;
}

int db_schema_check(PGconn *conn, struct vc_error *err)
{
	const struct migration *m;
	PGresult *res;
	int at = 0, need = 0, behind = 0;

	if (read_applied(conn, &res, err) < 0)
		return -1;
	for (m = vc_migrations; m->version; m++) {
		need = m->version;
		if (behind)
			continue;
		if (applied_at(res, m->version))
			at = m->version;
		else
			behind = 1;
	}
	PQclear(res);
	if (!behind)
		return 0;
	return vc_fail(err, EX_CONFIG, "database schema is at %d, this vcourier needs %d:"
		       " run vcourier db migrate", at, need);
}
