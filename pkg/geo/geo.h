/*
 * geo: the distance and travel-time matrices the route planner works on.
 * Between two places: the road matrix's entry where one is loaded, else
 * the great-circle distance times a circuity factor, driven at a set
 * speed. Integers (metres, seconds) so that planning is reproducible.
 * Pure code, no SQL.
 */
#ifndef VC_GEO_H
#define VC_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define GEO_EARTH_RADIUS_M 6371008.8   /* IUGG mean radius */

struct geo_place {
	double lat, lon;
};

/* A road matrix entry between places i and j (directed). */
struct geo_override {
	int32_t from, to;
	double distance_km;
	double duration_min;  /* < 0: unknown, derived from the distance at the speed */
};

struct geo_params {
	double circuity;      /* >= 1 */
	double speed_kmh;     /* > 0 */
};

/* Great-circle (haversine) distance in metres. */
double geo_great_circle_m(struct geo_place a, struct geo_place b);

/*
 * Fill dist (metres) and time (seconds), n*n row-major, both caller-owned.
 * Estimates are rounded to the nearest metre and up to the next second.
 * EX_CONFIG when the parameters are out of range.
 */
int geo_matrix(const struct geo_place *places, int32_t n, const struct geo_params *par,
	       const struct geo_override *road, size_t n_road, int32_t *dist, int32_t *time,
	       struct vc_error *err);

#endif
