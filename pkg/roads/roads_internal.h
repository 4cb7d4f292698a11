/*
 * roads_internal: what the files of pkg/roads share (not part of the API).
 */
#ifndef VC_ROADS_INTERNAL_H
#define VC_ROADS_INTERNAL_H

#include "roads/roads.h"
#include "util/strbuf.h"

/*
 * Run argv (argv[0] looked up in PATH) with output to log_path; env holds
 * name, value pairs set in the child only, NULL-terminated. Failure: the
 * log's last line in the error; EX_UNAVAILABLE naming `package` when the
 * program is missing.
 */
int roads_run_tool(const char *const *argv, const char *const *env, const char *log_path,
		   const char *package, struct vc_error *err);

/* The osm2pgrouting tag_id of a class (the mapconfig written by load.c). */
int roads_class_tag_id(int cls);

/* "{1,2,...}": the tag ids of the classes a profile may use (speed > 0). */
void roads_allowed_tags(const double kmh[ROADS_N_CLASSES], struct strbuf *out);

/*
 * The shared pieces of a profile's routing (matrix.c): the temp tables
 * rd_class (the profile's classes and speeds) and rd_pts (snapped places),
 * the edge SQL with length as the cost, and the fill of rd_pts
 * ($1 hub, $2 profile, $3 network version).
 */
int roads_temp_tables(PGconn *conn, const double kmh[ROADS_N_CLASSES], struct vc_error *err);
extern const char roads_edges_metres_sql[];
extern const char roads_points_fill_sql[];
extern const char roads_points_sql[];  /* rd_pts as pgRouting points */

#endif
