/*
 * geo: haversine x circuity at a speed, overridden by road matrix entries
 * (see geo.h).
 */
#include "geo/geo.h"

#include <math.h>

#define DEG_TO_RAD (3.14159265358979323846 / 180.0)

double geo_great_circle_m(struct geo_place a, struct geo_place b)
{
	double dlat = (b.lat - a.lat) * DEG_TO_RAD, dlon = (b.lon - a.lon) * DEG_TO_RAD;
	double h = sin(dlat / 2) * sin(dlat / 2) +
		   cos(a.lat * DEG_TO_RAD) * cos(b.lat * DEG_TO_RAD) * sin(dlon / 2) * sin(dlon / 2);
	if (h > 1)
		h = 1;
	return 2 * GEO_EARTH_RADIUS_M * asin(sqrt(h));
}

/* Saturate instead of overflowing: a 2^31 m leg is unplannable anyway. */
static int32_t to_int32(double v)
{
	return v >= (double)INT32_MAX ? INT32_MAX : (int32_t)v;
}

static int32_t seconds_at_speed(double metres, double speed_kmh)
{
	return to_int32(ceil(metres / (speed_kmh / 3.6)));
}

int geo_matrix(const struct geo_place *places, int32_t n, const struct geo_params *par,
	       const struct geo_override *road, size_t n_road, int32_t *dist, int32_t *time,
	       struct vc_error *err)
{
	int32_t i, j;
	size_t k;
	if (!(par->circuity >= 1 && par->circuity <= 10))
		return vc_fail(err, EX_CONFIG, "circuity must be between 1 and 10, not %g", par->circuity);
	if (!(par->speed_kmh > 0 && par->speed_kmh <= 200))
		return vc_fail(err, EX_CONFIG, "speed_kmh must be above 0 and at most 200, not %g",
			       par->speed_kmh);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			double m = i == j ? 0 : geo_great_circle_m(places[i], places[j]) * par->circuity;
			dist[(size_t)i * n + j] = to_int32(round(m));
			time[(size_t)i * n + j] = seconds_at_speed(m, par->speed_kmh);
		}
	}
	for (k = 0; k < n_road; k++) {
		const struct geo_override *r = &road[k];
		size_t at = (size_t)r->from * n + r->to;
		double m = r->distance_km * 1000;
		if (r->from < 0 || r->from >= n || r->to < 0 || r->to >= n || !(m >= 0))
			continue;
		dist[at] = to_int32(round(m));
		time[at] = r->duration_min >= 0 ? to_int32(ceil(r->duration_min * 60))
						: seconds_at_speed(m, par->speed_kmh);
	}
	return 0;
}
