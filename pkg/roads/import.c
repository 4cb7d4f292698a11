/*
 * import: `import matrix FILE`, a distance/time matrix made elsewhere (an
 * OSRM or Valhalla table, a surveyor's list) into road_matrix, where it
 * wins over the network for its pairs. CSV with the header
 * from_code,to_code,distance_km,duration_min[,profile]; all rows or none:
 * the first bad row stops the import with FILE:LINE: reason.
 */
#include "roads/roads_internal.h"
#include "db/db.h"
#include "ingest/csv.h"
#include "ingest/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int number(const char *s, int empty_ok, double max)
{
	char *end;
	double d;
	if (!*s)
		return empty_ok;
	d = strtod(s, &end);
	return end != s && !*end && isfinite(d) && d >= 0 && d <= max;
}

static const char *row_problem(const char *const *f, size_t n)
{
	struct strbuf why = STRBUF_INIT;
	int bad_code = ingest_check_field(COL_CODE, f[0], &why) < 0 ||
		       ingest_check_field(COL_CODE, f[1], &why) < 0;
	strbuf_release(&why);
	if (bad_code)
		return "from_code and to_code must be codes ([A-Za-z0-9_.-], 1 to 64)";
	if (!number(f[2], 0, 100000))
		return "distance_km must be a number from 0 to 100000";
	if (!number(f[3], 1, 1e6))
		return "duration_min must be empty or a number from 0 to 1000000";
	if (n == 5 && *f[4] && roads_profile_parse(f[4]) < 0)
		return "profile must be empty, van, truck, tricycle or motorbike";
	return NULL;
}

int roads_import_matrix(PGconn *conn, const char *path, long long *rows, struct vc_error *err)
{
	struct csv_reader csv;
	struct csv_record rec;
	struct strbuf buf = STRBUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1, got, in_tx = 0;
	size_t ncols = 0;

	*rows = 0;
	if (fd < 0)
		return vc_fail(err, EX_NOINPUT, "%s: %s", path, strerror(errno));
	csv_open_fd(&csv, fd);
	got = csv_next(&csv, &rec);
	if (got <= 0 || rec.error || rec.nfields < 4 || rec.nfields > 5 ||
	    strcmp(rec.fields[0], "from_code") || strcmp(rec.fields[1], "to_code") ||
	    strcmp(rec.fields[2], "distance_km") || strcmp(rec.fields[3], "duration_min") ||
	    (rec.nfields == 5 && strcmp(rec.fields[4], "profile"))) {
		vc_fail(err, EX_DATAERR, "%s:1: header must be from_code,to_code,distance_km,duration_min[,profile]",
			path);
		goto cleanup;
	}
	ncols = rec.nfields;
	if (db_begin(conn, err) < 0)
		goto cleanup;
	in_tx = 1;
	/* Staged first: the file's pairs replace the stored ones, and a pair twice is refused. */
	if (db_run(conn, "CREATE TEMP TABLE matrix_stage (line bigint, from_code text, to_code text,"
			 " distance_km float8, duration_min float8, profile text) ON COMMIT DROP", 0, NULL,
		   err) < 0 ||
	    db_copy_begin(conn, "COPY matrix_stage FROM STDIN", err) < 0)
		goto cleanup;
	while ((got = csv_next(&csv, &rec)) > 0) {
		const char *why = rec.error ? rec.error
				  : rec.nfields != ncols ? "wrong number of columns"
							  : row_problem(rec.fields, ncols);
		if (why) {
			vc_fail(err, EX_DATAERR, "%s:%ld: %s", path, rec.line, why);
			db_copy_abort(conn, "bad row");
			goto cleanup;
		}
		/* Fields are checked above: no tab, newline or backslash can be in them. */
		strbuf_addf(&buf, "%ld\t%s\t%s\t%s\t%s\t%s\n", rec.line, rec.fields[0], rec.fields[1], rec.fields[2],
			    *rec.fields[3] ? rec.fields[3] : "\\N", ncols == 5 ? rec.fields[4] : "");
		++*rows;
		if (buf.len > (1 << 20)) {
			if (db_copy_put(conn, buf.buf, buf.len, err) < 0)
				goto cleanup;
			strbuf_reset(&buf);
		}
	}
	if (got < 0) {
		vc_fail(err, EX_IOERR, "%s: read error: %s", path, strerror(csv.io_errno));
		db_copy_abort(conn, "read error");
		goto cleanup;
	}
	if ((buf.len && db_copy_put(conn, buf.buf, buf.len, err) < 0) || db_copy_end(conn, err) < 0)
		goto cleanup;
	{
		PGresult *r = db_exec(conn,
			"SELECT max(line), min(line) FROM matrix_stage GROUP BY from_code, to_code, profile"
			" HAVING count(*) > 1 ORDER BY 1 LIMIT 1", 0, NULL, err);
		if (!r)
			goto cleanup;
		if (PQntuples(r)) {
			vc_fail(err, EX_DATAERR, "%s:%s: duplicate pair (first at line %s)", path,
				PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
			PQclear(r);
			goto cleanup;
		}
		PQclear(r);
	}
	if (db_run(conn, "INSERT INTO road_matrix (from_code, to_code, distance_km, duration_min, profile)"
			 " SELECT from_code, to_code, distance_km, duration_min, profile FROM matrix_stage"
			 " ON CONFLICT (from_code, to_code, profile) DO UPDATE SET distance_km ="
			 " excluded.distance_km, duration_min = excluded.duration_min", 0, NULL, err) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	if (rc == 0 && in_tx)
		rc = db_commit(conn, err);
	else if (in_tx)
		db_rollback(conn);
	csv_close(&csv);
	close(fd);
	strbuf_release(&buf);
	return rc;
}
