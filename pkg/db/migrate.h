/*
 * migrate: applies the schema/NNN_*.sql migrations compiled into the
 * binary, each in its own transaction, recorded in schema_migrations.
 * Concurrent migrators serialise on an advisory lock; rerunning is a no-op.
 */
#ifndef VC_MIGRATE_H
#define VC_MIGRATE_H

#include <libpq-fe.h>

#include "util/error.h"
#include "util/strbuf.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};

/* Terminated by an entry with version 0 (generated from schema/). */
extern const struct migration vc_migrations[];

int db_migrate(PGconn *conn, int *applied, struct vc_error *err);
/* One line per migration: "applied  001_init  2026-11-23 ..." or "pending  002_x". */
int db_migration_status(PGconn *conn, struct strbuf *out, int *pending, struct vc_error *err);

/*
 * Every command but `db` checks, right after connecting, that every
 * migration this binary carries is applied: a database left behind by an
 * upgrade then fails with one line, EX_CONFIG (78), "database schema is
 * at N, this vcourier needs M: run vcourier db migrate" (N: the last
 * migration applied before the first pending one, 0 when none), instead
 * of a raw SQL error from the first statement that meets the old schema.
 * A database migrated further (a newer vcourier) is accepted.
 */
int db_schema_check(PGconn *conn, struct vc_error *err);

#endif
