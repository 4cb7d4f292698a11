/*
 * load: `roads load FILE`. The extract is converted to plain OSM XML by
 * osmium (which also rejects a truncated or malformed file before anything
 * is written), loaded by osm2pgrouting into the schema roads_stage, and
 * swapped in as the schema `roads` in one transaction together with its
 * road_networks row: a reader sees the old network or the new one, and a
 * load that fails at any step leaves the old one in place.
 */
#include "roads/roads_internal.h"
#include "db/db.h"
#include "log/log.h"
#include "util/fault.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Serialises loads (session advisory lock); any constant unique to vcourier. */
#define LOAD_LOCK_KEY "7305186232"

/* tag ids in the mapconfig below, by class (enum order in roads.h). */
int roads_class_tag_id(int cls)
{
	return cls + 1;
}

void roads_allowed_tags(const double kmh[ROADS_N_CLASSES], struct strbuf *out)
{
	int c, first = 1;
	strbuf_addch(out, '{');
	for (c = 0; c < ROADS_N_CLASSES; c++) {
		if (kmh[c] <= 0)
			continue;
		strbuf_addf(out, "%s%d", first ? "" : ",", roads_class_tag_id(c));
		first = 0;
	}
	strbuf_addch(out, '}');
}

/* The classes osm2pgrouting keeps; everything else (footways, rails) is dropped. */
static void write_mapconfig(struct strbuf *sb)
{
	int c;
	strbuf_addstr(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n"
			  "  <tag_name name=\"highway\" id=\"1\">\n");
	for (c = 0; c < ROADS_N_CLASSES; c++)
		strbuf_addf(sb, "    <tag_value name=\"%s\" id=\"%d\" priority=\"1\" maxspeed=\"50\"/>\n",
			    roads_class_name(c), roads_class_tag_id(c));
	strbuf_addstr(sb, "  </tag_name>\n</configuration>\n");
}

static int write_file(const char *path, const struct strbuf *sb, struct vc_error *err)
{
	FILE *f = fopen(path, "w");
	if (!f || fwrite(sb->buf, 1, sb->len, f) != sb->len) {
		if (f)
			fclose(f);
		return vc_fail(err, EX_CANTCREAT, "%s: %s", path, strerror(errno));
	}
	if (fclose(f) != 0)
		return vc_fail(err, EX_CANTCREAT, "%s: %s", path, strerror(errno));
	return 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* osmium's name for the input format, from the file name. */
static const char *input_format(const char *file)
{
	if (has_suffix(file, ".osm.pbf") || has_suffix(file, ".pbf"))
		return "pbf";
	if (has_suffix(file, ".osm.gz"))
		return "osm.gz";
	if (has_suffix(file, ".osm.bz2"))
		return "osm.bz2";
	if (has_suffix(file, ".osm"))
		return "osm";
	return NULL;
}

static int file_sha256(const char *path, char out[65], struct vc_error *err)
{
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0, i;
	size_t n;
	int rc = -1;
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!f || !ctx) {
		vc_fail(err, EX_NOINPUT, "%s: %s", path, f ? "out of memory" : strerror(errno));
		goto cleanup;
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	if (ferror(f)) {
		vc_fail(err, EX_IOERR, "%s: read error", path);
		goto cleanup;
	}
	EVP_DigestFinal_ex(ctx, md, &md_len);
	for (i = 0; i < md_len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	rc = 0;
cleanup:
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return rc;
}

/*
 * CREATE EXTENSION postgis, pgrouting, after checking the server has them:
 * the server's packages are the operator's to install, so say which.
 */
static int ensure_extensions(PGconn *conn, struct vc_error *err)
{
	PGresult *r = db_exec(conn,
		"SELECT (SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'),"
		" (SELECT count(*) FROM pg_available_extensions WHERE name = 'pgrouting'),"
		" current_setting('server_version_num')::int / 10000", 0, NULL, err);
	int postgis, pgrouting, major;
	if (!r)
		return -1;
	postgis = atoi(PQgetvalue(r, 0, 0));
	pgrouting = atoi(PQgetvalue(r, 0, 1));
	major = atoi(PQgetvalue(r, 0, 2));
	PQclear(r);
	if (!postgis || !pgrouting) {
		struct strbuf what = STRBUF_INIT, pkgs = STRBUF_INIT;
		strbuf_addstr(&what, !postgis && !pgrouting ? "PostGIS and pgRouting"
				     : !postgis ? "PostGIS" : "pgRouting");
		if (!postgis)
			strbuf_addf(&pkgs, "postgresql-%d-postgis-3", major);
		if (!pgrouting)
			strbuf_addf(&pkgs, "%spostgresql-%d-pgrouting", postgis ? "" : " ", major);
		vc_fail(err, EX_UNAVAILABLE,
			"the database server lacks %s: install the Debian package%s %s on the server",
			what.buf, !postgis && !pgrouting ? "s" : "", pkgs.buf);
		strbuf_release(&what);
		strbuf_release(&pkgs);
		return -1;
	}
	if (db_run(conn, "CREATE EXTENSION IF NOT EXISTS postgis", 0, NULL, err) < 0 ||
	    db_run(conn, "CREATE EXTENSION IF NOT EXISTS pgrouting", 0, NULL, err) < 0) {
		err->code = EX_CONFIG;
		return -1;
	}
	return 0;
}

/* Environment for osm2pgrouting: the password and TLS settings of our connection. */
static void tool_env(PGconn *conn, const char **env, size_t max)
{
	static const struct { const char *opt, *var; } map[] = {
		{ "password", "PGPASSWORD" }, { "sslmode", "PGSSLMODE" },
		{ "sslrootcert", "PGSSLROOTCERT" }, { "sslcert", "PGSSLCERT" },
		{ "sslkey", "PGSSLKEY" }, { "passfile", "PGPASSFILE" },
	};
	PQconninfoOption *opts = PQconninfo(conn), *o;
	size_t n = 0, k;
	for (o = opts; o && o->keyword && n + 3 < max; o++) {
		for (k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
			if (strcmp(o->keyword, map[k].opt) || !o->val || !*o->val)
				continue;
			env[n++] = map[k].var;
			env[n++] = strdup(o->val);
		}
	}
	env[n] = NULL;
	PQconninfoFree(opts);
}

static void free_env(const char **env)
{
	size_t i;
	for (i = 0; env[i]; i += 2)
		free((char *)env[i + 1]);
}

static int run_osm2pgrouting(PGconn *conn, const char *osm, const char *mapconfig,
			     const char *log_path, struct vc_error *err)
{
	const char *host = PQhost(conn);
	const char *argv[] = { "osm2pgrouting", "-f", osm, "-c", mapconfig, "--schema", "roads_stage",
			       "--clean", "-d", PQdb(conn), "-U", PQuser(conn), "-h",
			       host && *host ? host : "localhost", "-p", PQport(conn), NULL };
	const char *env[16];
	int rc;
	tool_env(conn, env, sizeof(env) / sizeof(env[0]));
	rc = roads_run_tool(argv, env, log_path, "osm2pgrouting", err);
	free_env(env);
	return rc;
}

static int fill_network(PGresult *r, int row, struct roads_network *out)
{
	memset(out, 0, sizeof(*out));
	out->version = atoll(PQgetvalue(r, row, 0));
	snprintf(out->file, sizeof(out->file), "%s", PQgetvalue(r, row, 1));
	out->ways = atoll(PQgetvalue(r, row, 2));
	out->vertices = atoll(PQgetvalue(r, row, 3));
	out->min_lat = atof(PQgetvalue(r, row, 4));
	out->min_lon = atof(PQgetvalue(r, row, 5));
	out->max_lat = atof(PQgetvalue(r, row, 6));
	out->max_lon = atof(PQgetvalue(r, row, 7));
	snprintf(out->loaded_at, sizeof(out->loaded_at), "%s", PQgetvalue(r, row, 8));
	return 0;
}

#define NETWORK_COLS "version, file, ways, vertices, min_lat, min_lon, max_lat, max_lon," \
	" to_char(loaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

int roads_current(PGconn *conn, struct roads_network *out, struct vc_error *err)
{
	PGresult *r = db_exec(conn, "SELECT " NETWORK_COLS " FROM road_networks"
				    " ORDER BY version DESC LIMIT 1", 0, NULL, err);
	memset(out, 0, sizeof(*out));
	if (!r)
		return -1;
	if (PQntuples(r) == 1)
		fill_network(r, 0, out);
	PQclear(r);
	return 0;
}

/* The staged network replaces the live one, with its road_networks row. */
static int swap_in(PGconn *conn, const char *file, const char *sha, struct roads_network *out,
		   struct vc_error *err)
{
	const char *params[2] = { file, sha };
	PGresult *r = NULL;
	if (db_begin(conn, err) < 0)
		return -1;
	r = db_exec(conn, "SELECT count(*) FROM roads_stage.ways", 0, NULL, err);
	if (!r)
		goto fail;
	if (atoll(PQgetvalue(r, 0, 0)) == 0) {
		vc_fail(err, EX_DATAERR, "%s: no roads in the extract (no highway=* way of a known class)",
			file);
		goto fail;
	}
	PQclear(r);
	r = NULL;
	/* Snapping filters by class: an index keeps the nearest-road search fast. */
	if (db_run(conn, "CREATE INDEX ON roads_stage.ways (tag_id)", 0, NULL, err) < 0 ||
	    db_run(conn, "ANALYZE roads_stage.ways", 0, NULL, err) < 0 ||
	    db_run(conn, "DROP SCHEMA IF EXISTS roads CASCADE", 0, NULL, err) < 0 ||
	    db_run(conn, "ALTER SCHEMA roads_stage RENAME TO roads", 0, NULL, err) < 0)
		goto fail;
	r = db_exec(conn,
		"INSERT INTO road_networks (file, sha256, ways, vertices, min_lat, min_lon, max_lat, max_lon)"
		" SELECT $1, $2, (SELECT count(*) FROM roads.ways),"
		"  (SELECT count(*) FROM roads.ways_vertices_pgr),"
		"  ST_YMin(e), ST_XMin(e), ST_YMax(e), ST_XMax(e)"
		" FROM (SELECT ST_Extent(the_geom) AS e FROM roads.ways) x"
		" RETURNING " NETWORK_COLS, 2, params, err);
	if (!r)
		goto fail;
	fill_network(r, 0, out);
	PQclear(r);
	r = NULL;
	FAULT_POINT("roads_in_swap");
	/* Snaps and legs of older networks are stale: recomputed on demand. */
	if (db_run(conn, "DELETE FROM road_legs WHERE network_version < (SELECT max(version) FROM road_networks)",
		   0, NULL, err) < 0 ||
	    db_run(conn, "DELETE FROM road_snaps WHERE network_version < (SELECT max(version) FROM road_networks)",
		   0, NULL, err) < 0 ||
	    db_commit(conn, err) < 0)
		goto fail;
	return 0;
fail:
	PQclear(r);
	db_rollback(conn);
	return -1;
}

static void remove_tree(const char *dir, const char *const *names)
{
	char path[4096];
	size_t i;
	for (i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int roads_load(PGconn *conn, const char *file, const char *tmpdir, struct roads_network *out,
	       struct vc_error *err)
{
	static const char *const work_files[] = { "in.osm", "mapconfig.xml", "osmium.log",
						  "osm2pgrouting.log", NULL };
	const char *fmt = input_format(file);
	char dir[4096], osm[4200], mapconfig[4200], log_path[4200], sha[65];
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int rc = -1, locked = 0, staged = 0;
	PGresult *r;

	dir[0] = '\0';
	if (stat(file, &st) < 0 || !S_ISREG(st.st_mode))
		return vc_fail(err, EX_NOINPUT, "%s: %s", file,
			       errno && !S_ISREG(st.st_mode) ? strerror(errno) : "not a regular file");
	if (!fmt)
		return vc_fail(err, EX_DATAERR,
			       "%s: unknown format (expected .osm, .osm.gz, .osm.bz2 or .osm.pbf)", file);
	/* "extension already exists, skipping" and the like are not for the operator. */
	if (file_sha256(file, sha, err) < 0 ||
	    db_run(conn, "SET client_min_messages TO warning", 0, NULL, err) < 0 ||
	    ensure_extensions(conn, err) < 0)
		return -1;
	r = db_exec(conn, "SELECT pg_try_advisory_lock(" LOAD_LOCK_KEY ")", 0, NULL, err);
	if (!r)
		return -1;
	locked = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!locked)
		return vc_fail(err, EX_TEMPFAIL, "another roads load is running on this database");

	snprintf(dir, sizeof(dir), "%s/vcourier-roads.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		vc_fail(err, EX_CANTCREAT, "%s: %s", dir, strerror(errno));
		dir[0] = '\0';
		goto cleanup;
	}
	snprintf(osm, sizeof(osm), "%s/in.osm", dir);
	snprintf(mapconfig, sizeof(mapconfig), "%s/mapconfig.xml", dir);
	write_mapconfig(&sb);
	if (write_file(mapconfig, &sb, err) < 0)
		goto cleanup;
	/* osmium reads every format and fails on a truncated or malformed file. */
	{
		const char *argv[] = { "osmium", "cat", "--no-progress", "-F", fmt, file,
				       "-o", osm, "-f", "osm", "--overwrite", NULL };
		snprintf(log_path, sizeof(log_path), "%s/osmium.log", dir);
		if (roads_run_tool(argv, NULL, log_path, "osmium-tool", err) < 0) {
			char why[600];
			if (err->code != EX_UNAVAILABLE) {
				snprintf(why, sizeof(why), "%.500s", err->msg);
				vc_fail(err, EX_DATAERR, "%.400s: not a readable OSM extract: %s", file, why);
			}
			goto cleanup;
		}
	}
	log_event(LOG_INFO, "roads_convert", "file=%s", file);
	if (db_run(conn, "DROP SCHEMA IF EXISTS roads_stage CASCADE", 0, NULL, err) < 0 ||
	    db_run(conn, "CREATE SCHEMA roads_stage", 0, NULL, err) < 0)
		goto cleanup;
	staged = 1;
	snprintf(log_path, sizeof(log_path), "%s/osm2pgrouting.log", dir);
	if (run_osm2pgrouting(conn, osm, mapconfig, log_path, err) < 0)
		goto cleanup;
	log_event(LOG_INFO, "roads_staged", "file=%s", file);
	FAULT_POINT("roads_staged");
	if (swap_in(conn, file, sha, out, err) < 0)
		goto cleanup;
	staged = 0;
	log_event(LOG_INFO, "roads_loaded", "file=%s version=%lld ways=%lld vertices=%lld", file,
		  out->version, out->ways, out->vertices);
	rc = 0;
cleanup:
	if (staged) {
		struct vc_error ignored = VC_ERROR_INIT;
		db_run(conn, "DROP SCHEMA IF EXISTS roads_stage CASCADE", 0, NULL, &ignored);
	}
	if (locked) {
		struct vc_error ignored = VC_ERROR_INIT;
		db_run(conn, "SELECT pg_advisory_unlock(" LOAD_LOCK_KEY ")", 0, NULL, &ignored);
	}
	if (dir[0])
		remove_tree(dir, work_files);
	strbuf_release(&sb);
	return rc;
}
