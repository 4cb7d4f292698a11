/*
 * job: the state of one hub's run shared by the files of pkg/nightly
 * (internal; the public API is nightly.h). Everything that grows with the
 * hub streams in (job_stream, db_fetch_rows rows at a time) and is decoded
 * into the arrays below; strings point into the job's text buffers, which
 * live until job_release.
 */
#ifndef VC_NIGHTLY_JOB_H
#define VC_NIGHTLY_JOB_H

#include <jansson.h>
#include <libpq-fe.h>

#include <stdint.h>

#include "config/config.h"
#include "db/cursor.h"
#include "group/group.h"
#include "manifest/manifest.h"
#include "nightly/nightly.h"
#include "route/route.h"
#include "util/error.h"
#include "util/strbuf.h"

struct job_point {
	long long id;
	const char *code, *name;
	double lat, lon;
	int open_min, close_min, service_min;
	int active;
	int32_t loc;               /* location index in the plan, -1 when not visited */
};

struct job_courier {
	long long id;
	const char *code, *name;
	double capacity_kg, capacity_m3;
	int64_t capacity[2];       /* grams, cm3 */
	int shift_start_min, shift_end_min;
	double max_km;             /* <= 0: no limit */
	int next_version;
	const char *live_manifest; /* the manifest a replan replaces, NULL if none */
	int in_fleet;              /* may receive a route in this run */
	int profile;               /* enum roads_profile */
	int max_trips;             /* couriers.max_trips, 0: the configured default */
};

enum job_order_state { ORDER_CLAIMED = 0, ORDER_ROUTED, ORDER_REJECTED, ORDER_UNASSIGNED };

struct job_order {
	long long id;
	const char *order_ref, *seller;
	int point;                 /* index in job.points */
	double weight_kg, volume_m3;
	int64_t demand[2];
	enum job_order_state state;
	const char *reason;        /* static text or owned by job.reasons */
	int manifest;              /* index in job.manifests when routed */
	int stop_seq;
};

struct job_manifest {
	char id[MANIFEST_ID_MAX];
	int courier;               /* index in job.couriers */
	int version;
	int stops, parcels;
	double weight_kg, volume_m3, distance_km;
	int duration_min;
	struct strbuf body;
	char sha256[65];
};

struct job {
	const struct vc_config *cfg;
	const struct nightly_request *req;
	PGconn *conn;
	long long run_id;
	struct { long long id; const char *code, *name; double lat, lon; } hub;
	PGresult *hub_res;         /* one row */
	/* The road network (pkg/roads): its version (0: none loaded) and the
	 * hub's snaps (profile, kind, code, on road, snap_m: a few rows a
	 * place), NULL without a network. Its legs and an imported matrix are
	 * streamed by roadmx.c straight into the matrices, never held. */
	long long road_version;
	PGresult *snaps_res;
	struct job_point *points;
	size_t n_points, points_cap;
	struct job_courier *couriers;
	size_t n_couriers, couriers_cap;
	struct job_order *orders;
	size_t n_orders, orders_cap;
	/* The strings of the streamed rows, one buffer per array (job_keep_text). */
	struct strbuf point_text, courier_text, order_text;
	struct job_manifest *manifests;
	size_t n_manifests;
	char **owned;              /* strings to free at release */
	size_t n_owned, owned_cap;
	int routed, rejected, unassigned;
	long timings_ms[4];        /* claim, plan, write, deliver */
};

enum { STAGE_CLAIM, STAGE_PLAN, STAGE_WRITE, STAGE_DELIVER };

/* load.c: hub, couriers (with their next version and live manifest), road matrix. */
int job_load(struct job *j, struct vc_error *err);
/* The hub's points and those in point_ids (a bigint[] literal: the claimed orders' points). */
int job_load_points(struct job *j, const char *point_ids, struct vc_error *err);
/* claim.c: claim the orders, load their points, reject the invalid ones. */
int job_claim(struct job *j, struct vc_error *err);
/* plan.c: group, matrices, route_solve, manifests rendered. */
int job_plan(struct job *j, struct vc_error *err);
/* What plan.c hands manifests.c: the visits, their orders, the drivers. */
struct job_visits {
	struct group_result groups;
	size_t *parcel_order;      /* parcel index -> order index */
	int *vehicle_courier;      /* route vehicle -> courier index */
	/* The matrices each vehicle drives on, for leg_km and distance_source. */
	int32_t n_locs;
	const int32_t *const *dist;         /* [route profile] n_locs*n_locs metres */
	const unsigned char *const *source; /* [route profile] JOB_SRC_* per pair */
	const int32_t *vehicle_profile;     /* route vehicle -> route profile */
};

/* roadmx.c: where each distance comes from, weakest first. */
enum { JOB_SRC_NONE = 0, JOB_SRC_ESTIMATE, JOB_SRC_ROAD, JOB_SRC_MATRIX };
const char *job_source_name(int src);

/* The road side of one hub's plan (roadmx.c). */
struct job_roads {
	int n_prof;                  /* route profiles: the fleet's distinct vehicle profiles */
	int roads_prof[4];           /* route profile -> enum roads_profile */
	int route_prof[4];           /* enum roads_profile -> route profile, -1 */
	int network;                 /* the hub is on the loaded network for some profile */
	unsigned char *reach;        /* per point: bit q = route profile q goes there and back */
	int32_t *by_code;            /* point indexes sorted by code */
	int32_t *dist[4], *time[4];  /* per route profile, n_locs*n_locs */
	unsigned char *source[4];
};
/* Profiles of the fleet, reachability of every point; orders at points no vehicle reaches rejected. */
int job_roads_check(struct job *j, struct job_roads *rd, struct vc_error *err);
/* Per-profile matrices over the plan's locations (loc_point: location -> point, 0 the hub). */
int job_roads_matrices(struct job *j, struct job_roads *rd, int32_t n_locs,
		       const int32_t *loc_point, struct vc_error *err);
void job_roads_release(struct job_roads *rd);

/* manifests.c: set the outcome of every order of a visit. */
void job_mark_visit(struct job *j, const struct job_visits *v, size_t visit,
		    enum job_order_state state, const char *reason, int manifest, int stop_seq);
/* One route: its manifest rendered, its orders marked routed. */
int job_route_manifest(struct job *j, const struct job_visits *v, const struct route_route *r,
		       struct vc_error *err);
/* Replan: an empty new version for each live manifest whose courier got no route. */
int job_void_unused_live_manifests(struct job *j, struct vc_error *err);

/* write.c: insert manifests, supersede replaced ones, update every claimed order. */
int job_write(struct job *j, struct vc_error *err);
/* summary.c: manifests NULL: the planned ones (dry run); else taken over. */
struct outbox_stats;
json_t *job_summary(const struct job *j, const struct outbox_stats *st, json_t *manifests);
json_t *job_delivery_json(const struct outbox_stats *st);
/* One manifest entry of a summary or a run report, on one line (the one rendering). */
void job_print_manifest(FILE *out, const json_t *m);
/* The manifests of a run with their delivery status, as summary entries. */
json_t *job_run_manifests(PGconn *conn, long long run_id, struct vc_error *err);

/* Tell req->progress (if any) that `stage` is under way; search: the route search's state or NULL. */
struct route_progress;
void job_progress(const struct job *j, int stage, const struct route_progress *search);

/* Keep a formatted string alive until job_release. */
const char *job_strdupf(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void job_release(struct job *j);

/*
 * Stream a query's rows into fn, db_fetch_rows at a time (db_each_batch
 * under the job's transaction; `cursor` names it). The one way the job
 * reads what grows with the hub: orders, points, couriers, road matrix.
 */
int job_stream(struct job *j, const char *cursor, const char *sql, int nparams,
	       const char *const *params, db_batch_fn fn, void *ctx, struct vc_error *err);
/*
 * Keep a field of a streamed row (NULL stays NULL) in sb. What is returned
 * is a placeholder while sb may still grow: job_text_ptr makes it a
 * pointer once the stream is over.
 */
const char *job_keep_text(struct strbuf *sb, const PGresult *r, int row, int col);
void job_text_ptr(const struct strbuf *sb, const char **s);
/* Room for n more items in a streamed array (*items of *len, capacity *cap), zeroed. */
void *job_grow(void *items, size_t size, size_t len, size_t n, size_t *cap);

#endif
