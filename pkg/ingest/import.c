/*
 * import: the bulk load of one CSV file into hubs, points, couriers,
 * orders or pickups (see import.h). One transaction: COPY of the rows that passed the
 * C checks into a TEMP staging table (with their line numbers), SQL
 * rejections of the rows that need the database to judge, one upsert.
 */
#include "ingest/import.h"
#include "ingest/keyset.h"
#include "db/db.h"
#include "util/fault.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* COPY data is sent in chunks of about this size. */
#define COPY_CHUNK (1024 * 1024)

#define MINUTES(col) "(split_part(" col ", ':', 1)::int * 60 + split_part(" col ", ':', 2)::int)"

/*
 * Per kind: what a row refers to (hub or point, resolved in C against a
 * code -> id map read once, so that an unknown one is refused in file
 * order and the SQL needs no join), the upsert, and the rejections that
 * need the database. `upsert` is an INSERT ... SELECT FROM import_stage ...
 * ON CONFLICT ... DO UPDATE whose WHERE skips rows that would not change,
 * so a second import changes nothing (not even updated_at).
 */
struct kind_sql {
	const char *kind;
	int ref_col;             /* column holding a hub or point code, or -1 */
	const char *ref_query;   /* SELECT code, id of what ref_col names */
	const char *ref_missing; /* reason, %s = the code */
	const char *upsert;
	const char *reject_after; /* SELECT line, reason, or NULL */
	/*
	 * Kinds that change other tables from what they import (pickups):
	 * `lock` (run first: row locks on what the rows refer to, so that the
	 * checks hold until the commit), `reject_before` (SELECT line, reason:
	 * those lines are refused and left out of the upsert), `apply` (run
	 * after the upsert). NULL when not needed. `sql_keys`: the rows'
	 * duplicates are judged by reject_before, not by the first column.
	 */
	const char *lock, *reject_before, *apply;
	int sql_keys;
};

static const struct kind_sql kinds[] = {
	{ "hubs", -1, NULL, NULL,
	  "INSERT INTO hubs AS t (code, name, lat, lon) "
	  "SELECT s.code, s.name, s.lat::float8, s.lon::float8 FROM import_stage s "
	  "ON CONFLICT (code) DO UPDATE SET name = excluded.name, lat = excluded.lat, "
	  "lon = excluded.lon, updated_at = now() "
	  "WHERE (t.name, t.lat, t.lon) IS DISTINCT FROM (excluded.name, excluded.lat, excluded.lon)",
	  NULL, NULL, NULL, NULL, 0 },
	{ "points", 2, "SELECT code, id FROM hubs", "hub_code: no hub \"%s\" (import hubs first)",
	  "INSERT INTO points AS t (code, name, hub_id, lat, lon, open_min, close_min, service_min) "
	  "SELECT s.code, s.name, s.ref_id, s.lat::float8, s.lon::float8, " MINUTES("s.open") ", "
	  MINUTES("s.close") ", s.service_min::int FROM import_stage s "
	  "ON CONFLICT (code) DO UPDATE SET name = excluded.name, hub_id = excluded.hub_id, "
	  "lat = excluded.lat, lon = excluded.lon, open_min = excluded.open_min, "
	  "close_min = excluded.close_min, service_min = excluded.service_min, updated_at = now() "
	  "WHERE (t.name, t.hub_id, t.lat, t.lon, t.open_min, t.close_min, t.service_min) "
	  "IS DISTINCT FROM (excluded.name, excluded.hub_id, excluded.lat, excluded.lon, "
	  "excluded.open_min, excluded.close_min, excluded.service_min)",
	  NULL, NULL, NULL, NULL, 0 },
	/*
	 * $1, $2, $3: does the file have the max_km, the profile, the
	 * max_trips column? Without one, a known courier keeps its limit, its
	 * profile, its trips. A new endpoint_url clears endpoint_gone_at
	 * (the 410 was about the old URL).
	 */
	{ "couriers", 2, "SELECT code, id FROM hubs", "hub_code: no hub \"%s\" (import hubs first)",
	  "INSERT INTO couriers AS t (code, name, hub_id, capacity_kg, capacity_m3, "
	  "shift_start_min, shift_end_min, endpoint_url, max_km, profile, max_trips) "
	  "SELECT s.code, s.name, s.ref_id, s.capacity_kg::numeric, s.capacity_m3::numeric, "
	  MINUTES("s.shift_start") ", " MINUTES("s.shift_end") ", s.endpoint_url, "
	  "CASE WHEN $1::bool THEN NULLIF(s.max_km, '')::float8 "
	  "ELSE (SELECT c.max_km FROM couriers c WHERE c.code = s.code) END, "
	  "CASE WHEN $2::bool THEN NULLIF(s.profile, '') "
	  "ELSE (SELECT c.profile FROM couriers c WHERE c.code = s.code) END, "
	  "CASE WHEN $3::bool THEN NULLIF(s.max_trips, '')::int "
	  "ELSE (SELECT c.max_trips FROM couriers c WHERE c.code = s.code) END "
	  "FROM import_stage s "
	  "ON CONFLICT (code) DO UPDATE SET name = excluded.name, hub_id = excluded.hub_id, "
	  "capacity_kg = excluded.capacity_kg, capacity_m3 = excluded.capacity_m3, "
	  "shift_start_min = excluded.shift_start_min, shift_end_min = excluded.shift_end_min, "
	  "endpoint_url = excluded.endpoint_url, max_km = excluded.max_km, profile = excluded.profile, "
	  "max_trips = excluded.max_trips, "
	  "endpoint_gone_at = CASE WHEN t.endpoint_url = excluded.endpoint_url "
	  "THEN t.endpoint_gone_at END, updated_at = now() "
	  "WHERE (t.name, t.hub_id, t.capacity_kg, t.capacity_m3, t.shift_start_min, "
	  "t.shift_end_min, t.endpoint_url, t.max_km, t.profile, t.max_trips) IS DISTINCT FROM "
	  "(excluded.name, excluded.hub_id, excluded.capacity_kg, excluded.capacity_m3, "
	  "excluded.shift_start_min, excluded.shift_end_min, excluded.endpoint_url, excluded.max_km, "
	  "excluded.profile, excluded.max_trips)",
	  NULL, NULL, NULL, NULL, 0 },
	/*
	 * An order is updated only while pending (or rejected by a run: a
	 * re-import makes it pending again, changed or not, since the cause,
	 * e.g. its point or the couriers, may have been fixed elsewhere). Once planned, manifested, delivered or
	 * cancelled, a different content is refused, checked after the upsert
	 * so that an order a concurrent run claimed in between is reported too.
	 */
	{ "orders", 1, "SELECT code, id FROM points",
	  "point_code: no collection point \"%s\" (import points first)",
	  "INSERT INTO orders AS t (order_ref, point_id, weight_kg, volume_m3, ready_date, seller) "
	  "SELECT s.order_ref, s.ref_id, s.weight_kg::numeric, s.volume_m3::numeric, "
	  "s.ready_date::date, s.seller FROM import_stage s "
	  "ON CONFLICT (order_ref) DO UPDATE SET point_id = excluded.point_id, "
	  "weight_kg = excluded.weight_kg, volume_m3 = excluded.volume_m3, "
	  "ready_date = excluded.ready_date, seller = excluded.seller, status = 'pending', "
	  "reason = NULL, updated_at = now() "
	  "WHERE t.status = 'rejected' OR (t.status = 'pending' AND (t.point_id, t.weight_kg, "
	  "t.volume_m3, t.ready_date, t.seller) IS DISTINCT FROM (excluded.point_id, "
	  "excluded.weight_kg, excluded.volume_m3, excluded.ready_date, excluded.seller))",
	  "SELECT s.line, format('order_ref: order \"%s\" is already %s%s; not changed', "
	  "s.order_ref, o.status, coalesce(' (manifest ' || o.manifest_id || ')', '')) "
	  "FROM import_stage s JOIN orders o ON o.order_ref = s.order_ref "
	  "WHERE o.status NOT IN ('pending', 'rejected') AND (o.point_id, o.weight_kg, "
	  "o.volume_m3, o.ready_date, o.seller) IS DISTINCT FROM (s.ref_id, s.weight_kg::numeric, "
	  "s.volume_m3::numeric, s.ready_date::date, s.seller)",
	  NULL, NULL, NULL, 0 },
	/*
	 * Pickup confirmations (docs/pickups.md). A row is refused, in this
	 * order of reasons, when: the manifest or the order is unknown; the
	 * file confirms the same parcel with different statuses (all those
	 * lines are refused: which one is true is for a person to say); the
	 * parcel was confirmed with another status before; the manifest was
	 * replaced by a newer version; the order is not in that manifest now.
	 * A confirmation already stored with the same status is unchanged.
	 */
	{ "pickups", -1, NULL, NULL,
	  "INSERT INTO pickups (manifest_id, order_id, status, at, source) "
	  "SELECT DISTINCT ON (s.manifest_id, o.id) s.manifest_id, o.id, s.status, "
	  "s.at::timestamptz, $1 || ':' || s.line FROM import_stage s "
	  "JOIN orders o ON o.order_ref = s.order_ref ORDER BY s.manifest_id, o.id, s.line "
	  "ON CONFLICT (manifest_id, order_id) DO NOTHING",
	  NULL,
	  "SELECT count(*) FROM (SELECT o.id FROM orders o JOIN import_stage s "
	  "ON s.order_ref = o.order_ref ORDER BY o.id FOR UPDATE OF o) locked",
	  "SELECT line, reason FROM (SELECT s.line, CASE "
	  "WHEN m.manifest_id IS NULL THEN format('manifest_id: no manifest \"%s\"', s.manifest_id) "
	  "WHEN o.id IS NULL THEN format('order_ref: no order \"%s\"', s.order_ref) "
	  "WHEN d.statuses > 1 THEN format('order %s of manifest %s is confirmed with different "
	  "statuses on lines %s; none of them applied', s.order_ref, s.manifest_id, d.lines) "
	  "WHEN k.status = s.status THEN NULL "
	  "WHEN k.status IS NOT NULL THEN format('order %s of manifest %s was already confirmed %s "
	  "(at %s, from %s); not changed', s.order_ref, s.manifest_id, k.status, k.at, k.source) "
	  "WHEN m.superseded_by IS NOT NULL THEN format('manifest %s was replaced by %s: confirm "
	  "against the live version', s.manifest_id, m.superseded_by) "
	  "WHEN o.manifest_id IS DISTINCT FROM s.manifest_id OR o.status NOT IN ('manifested', "
	  "'delivered') THEN format('order %s is not in manifest %s (it is %s%s)', s.order_ref, "
	  "s.manifest_id, o.status, coalesce(' in manifest ' || o.manifest_id, '')) "
	  "END AS reason FROM import_stage s "
	  "LEFT JOIN manifests m ON m.manifest_id = s.manifest_id "
	  "LEFT JOIN orders o ON o.order_ref = s.order_ref "
	  "LEFT JOIN pickups k ON k.manifest_id = s.manifest_id AND k.order_id = o.id "
	  "JOIN (SELECT manifest_id, order_ref, count(DISTINCT status) AS statuses, "
	  "string_agg(line::text, ', ' ORDER BY line) AS lines FROM import_stage "
	  "GROUP BY manifest_id, order_ref) d "
	  "ON d.manifest_id = s.manifest_id AND d.order_ref = s.order_ref) r "
	  "WHERE reason IS NOT NULL",
	  /*
	   * The new confirmations take effect: picked is final (the order keeps
	   * its manifest); missing and refused go back to pending, out of the
	   * manifest, with the reason, for the next night (nightly/claim.c).
	   */
	  "UPDATE orders o SET status = CASE k.status WHEN 'picked' THEN 'picked' ELSE 'pending' END, "
	  "reason = CASE WHEN k.status <> 'picked' THEN format('%s at pickup (manifest %s, %s)', "
	  "k.status, k.manifest_id, k.at) END, "
	  "manifest_id = CASE WHEN k.status = 'picked' THEN o.manifest_id END, "
	  "stop_seq = CASE WHEN k.status = 'picked' THEN o.stop_seq END, updated_at = now() "
	  "FROM import_stage s JOIN pickups k ON k.manifest_id = s.manifest_id AND k.status = s.status "
	  "WHERE o.order_ref = s.order_ref AND k.order_id = o.id AND o.manifest_id = k.manifest_id "
	  "AND o.status IN ('manifested', 'delivered')",
	  1 },
};

/*
 * The fast path for orders: when none of the file's orders exists yet
 * (the usual nightly file), COPY straight into orders, the same work as a
 * plain \copy. The first existing order_ref makes the COPY fail with a
 * unique violation; the import then rolls back to a savepoint and runs
 * again through the staging table.
 */
static const char orders_direct_copy[] =
	"COPY orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller) FROM STDIN";

static const struct kind_sql *kind_sql(const char *kind)
{
	size_t i;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, kind))
			return &kinds[i];
	return NULL;
}

static void report(const struct ingest *imp, const char *phase)
{
	struct ingest_progress p;
	off_t at;
	if (!imp->progress)
		return;
	/* The reader's position: ahead of the row by at most its buffer. */
	at = imp->size >= 0 ? lseek(imp->fd, 0, SEEK_CUR) : -1;
	p.phase = phase;
	p.rows = imp->stats.rows;
	p.bytes = at < 0 ? -1 : (long long)at;
	p.size = imp->size;
	imp->progress(imp->progress_arg, &p);
}

static void fields_csv(struct strbuf *sb, const char *const *fields, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addch(sb, ',');
		csv_quote(sb, fields[i]);
	}
}

static void add_reject(struct ingest *imp, long line, const char *reason, char *row_csv)
{
	struct ingest_reject *r;
	imp->rejects = xgrow(imp->rejects, sizeof(*imp->rejects), imp->nrejects + 1, &imp->cap);
	r = &imp->rejects[imp->nrejects++];
	r->line = line;
	r->reason = xstrdup(reason);
	r->row_csv = row_csv;
	imp->reject_bytes += strlen(reason) + (row_csv ? strlen(row_csv) : 0) + sizeof(*r);
}

/* Past the bound on rejected rows (import.h): fill err, the import stops. */
static int rejects_full(const struct ingest *imp, struct vc_error *err)
{
	if (imp->nrejects <= INGEST_MAX_REJECTS && imp->reject_bytes <= INGEST_MAX_REJECT_BYTES)
		return 0;
	vc_fail(err, EX_DATAERR,
		"%s: more than %d rejected rows or %u MB of them (the last at line %ld): "
		"stopped, nothing imported; is it the right file, and were its hubs or "
		"points imported first?", imp->path, INGEST_MAX_REJECTS,
		INGEST_MAX_REJECT_BYTES >> 20, imp->rejects[imp->nrejects - 1].line);
	return 1;
}

static char *row_csv(const char *const *fields, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	fields_csv(&sb, fields, n);
	return strbuf_detach(&sb, NULL);
}

int ingest_open(struct ingest *imp, const char *kind, const char *path, struct vc_error *err)
{
	struct csv_record rec;
	struct strbuf why = STRBUF_INIT;
	struct stat st;
	int rc;

	memset(imp, 0, sizeof(*imp));
	imp->fd = -1;
	imp->size = -1;
	imp->path = path;
	imp->layout = ingest_layout(kind);
	imp->sql = kind_sql(kind);
	if (!imp->layout)
		return vc_fail(err, EX_USAGE,
			       "import: unknown kind '%s' (hubs, points, couriers, orders, pickups)",
			       kind);
	imp->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (imp->fd < 0)
		return vc_fail(err, EX_NOINPUT, "%s: %s", path, strerror(errno));
	csv_open_fd(&imp->csv, imp->fd);
	if (fstat(imp->fd, &st) == 0 && S_ISDIR(st.st_mode))
		return vc_fail(err, EX_NOINPUT, "%s: is a directory", path);
	imp->size = S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
	rc = csv_next(&imp->csv, &rec);
	if (rc < 0)
		return vc_fail(err, EX_IOERR, "%s: %s", path, strerror(imp->csv.io_errno));
	if (rc == 0)
		return vc_fail(err, EX_DATAERR, "%s:1: empty file: expected the header %s", path,
			       kind);
	if (rec.error) {
		rc = vc_fail(err, EX_DATAERR, "%s:%ld: header: %s", path, rec.line, rec.error);
	} else if (rec.nfields > INGEST_MAX_COLS ||
		   ingest_map_header(imp->layout, rec.fields, rec.nfields, imp->colmap, &why) < 0) {
		if (rec.nfields > INGEST_MAX_COLS)
			strbuf_addf(&why, "header has %zu columns", rec.nfields);
		rc = vc_fail(err, EX_DATAERR, "%s:%ld: %s", path, rec.line, why.buf);
	} else {
		imp->ncols = rec.nfields;
		imp->header_csv = row_csv(rec.fields, rec.nfields);
		rc = 0;
	}
	strbuf_release(&why);
	return rc;
}

/*
 * One row in COPY text format; fields in layout order (absent optional
 * ones empty). Staging (line > 0): line, every column, ref_id. Direct: the columns, with the
 * reference code replaced by its id.
 */
static void copy_row(struct strbuf *out, const struct ingest *imp, long line,
		     const char *const *fields, long ref_id)
{
	int ref_col = imp->sql->ref_col;
	size_t i;
	if (line > 0)
		strbuf_addf(out, "%ld\t", line);
	for (i = 0; i < imp->layout->ncols; i++) {
		if (i)
			strbuf_addch(out, '\t');
		if (line <= 0 && (int)i == ref_col)
			strbuf_addf(out, "%ld", ref_id);
		else
			db_copy_field(out, fields[i]);
	}
	if (line > 0) {
		if (ref_col >= 0)
			strbuf_addf(out, "\t%ld", ref_id);
		else
			strbuf_addstr(out, "\t\\N");
	}
	strbuf_addch(out, '\n');
}

static int stage_create(struct ingest *imp, PGconn *conn, struct vc_error *err)
{
	const struct ingest_layout *l = imp->layout;
	struct strbuf sql = STRBUF_INIT;
	size_t i;
	int rc;
	/* Identifiers come from the constant layouts, never from the file. */
	strbuf_addstr(&sql, "CREATE TEMP TABLE import_stage (line int NOT NULL");
	for (i = 0; i < l->ncols; i++)
		strbuf_addf(&sql, ", %s text NOT NULL", l->cols[i].name);
	strbuf_addstr(&sql, ", ref_id bigint) ON COMMIT DROP");
	rc = db_run(conn, sql.buf, 0, NULL, err);
	strbuf_release(&sql);
	return rc;
}

/* code -> id of the hubs or points this kind refers to. */
static int load_refs(struct ingest *imp, PGconn *conn, struct keyset *refs, struct vc_error *err)
{
	PGresult *res;
	int i, n;
	if (!imp->sql->ref_query)
		return 0;
	res = db_exec(conn, imp->sql->ref_query, 0, NULL, err);
	if (!res)
		return -1;
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		keyset_add(refs, PQgetvalue(res, i, 0), atol(PQgetvalue(res, i, 1)));
	PQclear(res);
	return 0;
}

/*
 * End a COPY: normally, or aborted (after a read or send failure). Fills
 * err from the server's answer unless keep_err (err already says why);
 * *conflict is set when the server refused a duplicate key.
 */
static int copy_finish(PGconn *conn, int abort, int keep_err, int *conflict,
		       struct vc_error *err)
{
	char state[6];
	int rc = db_copy_finish(conn, abort ? "import aborted" : NULL, state, keep_err ? NULL : err);
	if (!strcmp(state, "23505"))
		*conflict = 1;
	return rc;
}

/*
 * Stream the file (after its header) through the C checks into the COPY
 * `copy_sql`: the staging table, or orders itself when `direct`. Returns
 * the rows sent, or -1 (err filled; *conflict set when a direct COPY hit
 * an existing order_ref).
 */
static long copy_rows(struct ingest *imp, PGconn *conn, const struct keyset *refs, int direct,
		      int *conflict, struct vc_error *err)
{
	const struct ingest_layout *l = imp->layout;
	int ref_col = imp->sql->ref_col;
	struct strbuf buf = STRBUF_INIT, why = STRBUF_INIT;
	struct csv_record rec;
	struct keyset keys;
	const char *norm[INGEST_MAX_COLS];
	long sent = 0, first, ref_id = 0;
	int rc, put_failed = 0, too_many = 0;

	keyset_init(&keys);
	if (db_copy_begin(conn, direct ? orders_direct_copy : "COPY import_stage FROM STDIN",
			  err) < 0) {
		sent = -1;
		goto cleanup;
	}
	while ((rc = csv_next(&imp->csv, &rec)) > 0) {
		if (rejects_full(imp, err)) {
			too_many = 1;
			break;
		}
		if ((++imp->stats.rows & 4095) == 0)
			report(imp, "reading");
		strbuf_reset(&why);
		if (rec.error) {
			add_reject(imp, rec.line, rec.error, NULL);
			continue;
		}
		if (rec.nfields != imp->ncols) {
			strbuf_addf(&why, "expected %zu columns, got %zu", imp->ncols, rec.nfields);
		} else {
			/* Optional columns may come in any order: put them in layout order. */
			size_t i;
			for (i = 0; i < l->ncols; i++)
				norm[i] = "";
			for (i = 0; i < imp->ncols; i++)
				norm[imp->colmap[i]] = rec.fields[i];
			ingest_check_row(l, l->ncols, norm, l->ncols, &why);
		}
		if (why.len) {
			add_reject(imp, rec.line, why.buf, row_csv(rec.fields, rec.nfields));
			continue;
		}
		if (ref_col >= 0 && !(ref_id = keyset_get(refs, rec.fields[ref_col]))) {
			strbuf_addf(&why, imp->sql->ref_missing, rec.fields[ref_col]);
			add_reject(imp, rec.line, why.buf, row_csv(rec.fields, rec.nfields));
			continue;
		}
		first = imp->sql->sql_keys ? 0 : keyset_add(&keys, rec.fields[0], rec.line);
		if (first) {
			strbuf_addf(&why, "duplicate %s \"%s\" (first at line %ld)", l->cols[0].name,
				    rec.fields[0], first);
			add_reject(imp, rec.line, why.buf, row_csv(rec.fields, rec.nfields));
			continue;
		}
		copy_row(&buf, imp, direct ? 0 : rec.line, norm, ref_id);
		sent++;
		if (buf.len >= COPY_CHUNK) {
			FAULT_POINT("import_copy_chunk");
			if (db_copy_put(conn, buf.buf, buf.len, err) < 0) {
				put_failed = 1;
				break;
			}
			strbuf_reset(&buf);
		}
	}
	if (rc < 0)
		vc_fail(err, EX_IOERR, "%s:%ld: read error: %s", imp->path, imp->csv.line,
			strerror(imp->csv.io_errno));
	else if (!too_many && !put_failed && rejects_full(imp, err))
		too_many = 1;
	else if (!too_many && !put_failed && buf.len &&
		 db_copy_put(conn, buf.buf, buf.len, err) < 0)
		put_failed = 1;
	report(imp, "saving");
	if (copy_finish(conn, rc < 0 || put_failed || too_many, rc < 0 || too_many, conflict,
			err) < 0)
		sent = -1;
cleanup:
	keyset_release(&keys);
	strbuf_release(&buf);
	strbuf_release(&why);
	return sent;
}

/* Run a reject query (line, reason) and add its rows with their columns. */
static int db_rejects(struct ingest *imp, PGconn *conn, const char *query, struct vc_error *err)
{
	struct strbuf sql = STRBUF_INIT, csv = STRBUF_INIT;
	PGresult *res;
	size_t i;
	int row, n;

	strbuf_addf(&sql, "SELECT r.line, r.reason");
	for (i = 0; i < imp->ncols; i++)
		strbuf_addf(&sql, ", s.%s", imp->layout->cols[imp->colmap[i]].name);
	strbuf_addf(&sql, " FROM (%s) AS r(line, reason) JOIN import_stage s USING (line)", query);
	res = db_exec(conn, sql.buf, 0, NULL, err);
	strbuf_release(&sql);
	if (!res)
		return -1;
	n = PQntuples(res);
	for (row = 0; row < n; row++) {
		strbuf_reset(&csv);
		for (i = 0; i < imp->ncols; i++) {
			if (i)
				strbuf_addch(&csv, ',');
			csv_quote(&csv, PQgetvalue(res, row, (int)i + 2));
		}
		add_reject(imp, atol(PQgetvalue(res, row, 0)), PQgetvalue(res, row, 1),
			   xstrdup(csv.buf));
	}
	PQclear(res);
	strbuf_release(&csv);
	return 0;
}

/* Refuse the lines reject_before names and take them out of the staging table. */
static int reject_before(struct ingest *imp, PGconn *conn, struct vc_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	int rc;
	strbuf_addf(&sql, "CREATE TEMP TABLE import_refused ON COMMIT DROP AS %s",
		    imp->sql->reject_before);
	rc = db_run(conn, sql.buf, 0, NULL, err);
	strbuf_release(&sql);
	if (rc < 0 || db_rejects(imp, conn, "SELECT line, reason FROM import_refused", err) < 0)
		return -1;
	return db_run(conn, "DELETE FROM import_stage WHERE line IN (SELECT line FROM import_refused)",
		      0, NULL, err);
}

static int upsert(struct ingest *imp, PGconn *conn, const char *query, struct vc_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	/* couriers: $1 has the file a max_km column, $2 a profile column, $3 a
	 * max_trips column; pickups: $1 FILE. */
	const char *has[3] = { "false", "false", "false" };
	int nparams = !strcmp(imp->layout->kind, "couriers") ? 3 : 0;
	size_t i;
	PGresult *res;

	strbuf_addf(&sql, "WITH up AS (%s RETURNING (xmax = 0) AS inserted) "
			  "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
			  "FROM up", query);
	for (i = imp->layout->nrequired; nparams && i < imp->ncols; i++)
		has[imp->colmap[i] - imp->layout->nrequired] = "true";
	if (!strcmp(imp->layout->kind, "pickups")) {
		has[0] = imp->path;
		nparams = 1;
	}
	res = db_exec(conn, sql.buf, nparams, has, err);
	strbuf_release(&sql);
	if (!res)
		return -1;
	imp->stats.inserted = atol(PQgetvalue(res, 0, 0));
	imp->stats.updated = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

static int by_line(const void *a, const void *b)
{
	long x = ((const struct ingest_reject *)a)->line, y = ((const struct ingest_reject *)b)->line;
	return (x > y) - (x < y);
}

static void free_rejects(struct ingest *imp)
{
	size_t i;
	for (i = 0; i < imp->nrejects; i++) {
		free(imp->rejects[i].reason);
		free(imp->rejects[i].row_csv);
	}
	imp->nrejects = 0;
}

/* Forget what a first pass read, and read the file again from its start. */
static int rewind_file(struct ingest *imp, struct vc_error *err)
{
	struct csv_record header;
	free_rejects(imp);
	memset(&imp->stats, 0, sizeof(imp->stats));
	csv_close(&imp->csv);
	if (lseek(imp->fd, 0, SEEK_SET) < 0)
		return vc_fail(err, EX_IOERR, "%s: %s", imp->path, strerror(errno));
	csv_open_fd(&imp->csv, imp->fd);
	if (csv_next(&imp->csv, &header) != 1) /* checked by ingest_open */
		return vc_fail(err, EX_IOERR, "%s: changed while being imported", imp->path);
	return 0;
}

/* The fast path (see orders_direct_copy): 1 done, 0 not taken, -1 error. */
static int load_direct(struct ingest *imp, PGconn *conn, const struct keyset *refs,
		       struct vc_error *err)
{
	int conflict = 0;
	long sent;
	if (strcmp(imp->layout->kind, "orders") || lseek(imp->fd, 0, SEEK_CUR) < 0)
		return 0; /* small tables, or a pipe that cannot be read twice */
	if (db_run(conn, "SAVEPOINT direct_copy", 0, NULL, err) < 0)
		return -1;
	sent = copy_rows(imp, conn, refs, 1, &conflict, err);
	if (sent >= 0) {
		imp->stats.inserted = sent;
		return 1;
	}
	if (!conflict)
		return -1;
	vc_error_clear(err);
	if (db_run(conn, "ROLLBACK TO SAVEPOINT direct_copy", 0, NULL, err) < 0 ||
	    rewind_file(imp, err) < 0)
		return -1;
	return 0;
}

/* The general path: staging table, then upsert and database rejections. */
static int load_staged(struct ingest *imp, PGconn *conn, const struct keyset *refs,
		       struct vc_error *err)
{
	size_t c_rejects;
	int conflict = 0;
	long staged;

	if (stage_create(imp, conn, err) < 0)
		return -1;
	staged = copy_rows(imp, conn, refs, 0, &conflict, err);
	if (staged < 0)
		return -1;
	if (staged == 0)
		return 0;
	c_rejects = imp->nrejects;
	if (db_run(conn, "ANALYZE import_stage", 0, NULL, err) < 0 ||
	    (imp->sql->lock && db_run(conn, imp->sql->lock, 0, NULL, err) < 0) ||
	    (imp->sql->reject_before && reject_before(imp, conn, err) < 0) ||
	    upsert(imp, conn, imp->sql->upsert, err) < 0)
		return -1;
	if (imp->sql->reject_after && db_rejects(imp, conn, imp->sql->reject_after, err) < 0)
		return -1;
	if (rejects_full(imp, err))
		return -1;
	if (imp->sql->apply && db_run(conn, imp->sql->apply, 0, NULL, err) < 0)
		return -1;
	imp->stats.unchanged = staged - (long)(imp->nrejects - c_rejects) - imp->stats.inserted -
			       imp->stats.updated;
	return 0;
}

int ingest_load(struct ingest *imp, PGconn *conn, struct vc_error *err)
{
	struct keyset refs;
	int rc;

	keyset_init(&refs);
	/*
	 * The staging table lives in temp buffers (8 MB by default); a million
	 * orders fit in 256 MB, used only as far as needed. Settable only
	 * before the session's first temp table, hence first thing.
	 */
	if (db_run(conn, "SET temp_buffers = '256MB'", 0, NULL, err) < 0 || db_begin(conn, err) < 0) {
		keyset_release(&refs);
		return -1;
	}
	rc = load_refs(imp, conn, &refs, err);
	if (rc == 0)
		rc = load_direct(imp, conn, &refs, err);
	if (rc == 0)
		rc = load_staged(imp, conn, &refs, err);
	FAULT_POINT("import_before_commit");
	if (rc >= 0)
		rc = db_commit(conn, err);
	keyset_release(&refs);
	if (rc < 0) {
		db_rollback(conn);
		return -1;
	}
	imp->stats.rejected = (long)imp->nrejects;
	if (imp->nrejects)
		qsort(imp->rejects, imp->nrejects, sizeof(*imp->rejects), by_line);
	return 0;
}

int ingest_open_rejects(const struct ingest *imp, const char *path, FILE **out,
			struct vc_error *err)
{
	struct stat in, st;
	int fd;
	*out = NULL;
	/* No O_TRUNC: the file is emptied only once known not to be the input. */
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		return vc_fail(err, EX_CANTCREAT, "%s: cannot write the rejects file: %s", path,
			       strerror(errno));
	if (fstat(fd, &st) < 0 || fstat(imp->fd, &in) < 0) {
		vc_fail(err, EX_IOERR, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (st.st_dev == in.st_dev && st.st_ino == in.st_ino) {
		vc_fail(err, EX_USAGE, "--rejects %s is the input file %s: give another file", path,
			imp->path);
		goto fail;
	}
	if (S_ISREG(st.st_mode) &&
	    (((st.st_mode & 0777) != 0600 && fchmod(fd, 0600) < 0) || ftruncate(fd, 0) < 0)) {
		vc_fail(err, EX_CANTCREAT, "%s: cannot write the rejects file: %s", path,
			strerror(errno));
		goto fail;
	}
	if (!(*out = fdopen(fd, "w"))) {
		vc_fail(err, EX_OSERR, "%s: %s", path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close(fd);
	return -1;
}

int ingest_write_rejects(const struct ingest *imp, FILE *out, struct vc_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;
	int ok = 1;

	strbuf_addstr(&sb, imp->header_csv);
	strbuf_addstr(&sb, ",reason\n");
	for (i = 0; i < imp->nrejects && ok; i++) {
		const struct ingest_reject *r = &imp->rejects[i];
		if (r->row_csv)
			strbuf_addstr(&sb, r->row_csv);
		else /* unreadable record: empty columns, the reason says where */
			for (j = 1; j < imp->ncols; j++)
				strbuf_addch(&sb, ',');
		strbuf_addch(&sb, ',');
		csv_quote(&sb, r->reason);
		strbuf_addch(&sb, '\n');
		if (sb.len >= COPY_CHUNK) {
			ok = fwrite(sb.buf, 1, sb.len, out) == sb.len;
			strbuf_reset(&sb);
		}
	}
	ok = ok && fwrite(sb.buf, 1, sb.len, out) == sb.len && fflush(out) == 0;
	strbuf_release(&sb);
	if (!ok)
		return vc_fail(err, EX_IOERR, "rejects file: %s", strerror(errno));
	return 0;
}

void ingest_close(struct ingest *imp)
{
	free_rejects(imp);
	free(imp->rejects);
	free(imp->header_csv);
	if (imp->fd >= 0) {
		csv_close(&imp->csv);
		close(imp->fd);
	}
	imp->rejects = NULL;
	imp->header_csv = NULL;
	imp->fd = -1;
}
