/*
 * roads: real road networks from OpenStreetMap inside PostgreSQL (PostGIS +
 * pgRouting, loaded by osm2pgrouting), vehicle profiles, snapping of hubs
 * and points to the roads each profile may use, and per-hub, per-profile
 * distance (metres) and travel-time (seconds) matrices stored in the
 * database (SPEC section 9, docs/roads.md). The planner never sees SQL:
 * pkg/nightly reads the stored matrices and hands pkg/route plain arrays.
 */
#ifndef VC_ROADS_H
#define VC_ROADS_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>

#include "config/config.h"
#include "roads/profile.h"
#include "util/error.h"

#define ROADS_DEFAULT_SNAP_MAX_M 1000.0

/*
 * A profile's speed per class in km/h, 0 where the class is barred:
 * the defaults (docs/roads.md) overridden by config keys
 * `road_speed.<profile>.<class> = KMH` (0 bars the class). EX_CONFIG for
 * a value that is not a number from 0 to 150.
 */
int roads_profile_speeds(const struct vc_config *cfg, int profile, double kmh[ROADS_N_CLASSES],
			 struct vc_error *err);
/* road_snap_max_m from the config (default 1000), EX_CONFIG when out of range. */
int roads_snap_max_m(const struct vc_config *cfg, double *out, struct vc_error *err);

/* What a load or `roads status` reports. */
struct roads_network {
	long long version;   /* 0: no network loaded */
	char file[512];
	long long ways, vertices;
	double min_lat, min_lon, max_lat, max_lon;
	char loaded_at[40];
};

/*
 * Load an OSM extract (.osm, .osm.gz, .osm.pbf) as the new network: the
 * extensions are checked (EX_UNAVAILABLE naming the Debian packages when
 * the server lacks them), the file converted by osmium and loaded by
 * osm2pgrouting into a staging schema, then swapped in one transaction.
 * On any failure the old network stays. tmpdir: where the work files go.
 */
int roads_load(PGconn *conn, const char *file, const char *tmpdir, struct roads_network *out,
	       struct vc_error *err);
/* The network in use (version 0 when none is loaded or the table is missing). */
int roads_current(PGconn *conn, struct roads_network *out, struct vc_error *err);

struct roads_matrix_stats {
	int snapped;          /* places (re)snapped */
	long long legs;       /* leg rows computed */
	int profiles;         /* profiles handled */
};

/*
 * Bring the hub's snaps and legs up to date for the profiles in `mask`
 * (bit 1 << profile): only places that moved, are new, or were computed
 * on an older network are snapped and routed again. A hub with no network
 * loaded is left alone (stats zero). Runs in the caller's transaction if
 * one is open.
 */
int roads_matrix_hub(PGconn *conn, const struct vc_config *cfg, const char *hub_code,
		     unsigned mask, struct roads_matrix_stats *st, struct vc_error *err);

/* Bit mask of the profiles of a hub's active couriers (van when none); 0 with err on failure. */
unsigned roads_hub_profiles(PGconn *conn, const char *hub_code, struct vc_error *err);

/* `roads matrix [--hub CODE]`: every hub (or one), one transaction each, a line per hub on out. */
int roads_matrix_all(PGconn *conn, const struct vc_config *cfg, const char *hub_code, FILE *out,
		     struct vc_error *err);

/*
 * `roads status [--hub CODE]` as JSON: the network, and for a hub its
 * snaps per profile (code, kind, snap_m, edge or why none) and leg counts.
 */
int roads_status_json(PGconn *conn, const char *hub_code, json_t **out, struct vc_error *err);

/*
 * `import matrix FILE`: CSV from_code,to_code,distance_km,duration_min[,profile]
 * upserted into road_matrix in one transaction; a bad row is reported as
 * FILE:LINE: reason (EX_DATAERR) and nothing is written.
 */
int roads_import_matrix(PGconn *conn, const char *path, long long *rows, struct vc_error *err);

struct html_polyline;
struct roads_legs;
/*
 * Road geometry for the legs of one manifest's map (docs/sheets.md): NULL
 * (err untouched) when its distance_source is not "road" or no network is
 * loaded, so that the legs are drawn straight; NULL with err on failure.
 * The courier's profile and the hub's snaps decide the paths.
 */
struct roads_legs *roads_legs_for_manifest(PGconn *conn, const struct vc_config *cfg,
					   const char *json, size_t len, struct vc_error *err);
/* A manifest_leg_fn (pkg/manifest) over a roads_legs: 0 and the path in out, -1 straight. */
int roads_leg_polyline(void *ctx, const char *from_code, const char *to_code,
		       struct html_polyline *out);
void roads_legs_free(struct roads_legs *g);

#endif
