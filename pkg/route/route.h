/*
 * route: the pickup planner. Pure C over in-memory data: it knows nothing
 * of SQL, HTTP or files, so it is tested and benchmarked in memory.
 *
 * A problem is a set of locations (0 is the hub) with integer distance and
 * travel-time matrices, jobs (one visit each: a point's parcels, or a part
 * of them when they exceed a vehicle), and vehicles. The planner returns
 * one route per used vehicle and the jobs it could not place, each with a
 * reason. All quantities are integers so that the same input, seed and
 * iteration budget give the same plan, byte for byte, on any machine.
 */
#ifndef VC_ROUTE_H
#define VC_ROUTE_H

#include <stdint.h>

#include "util/error.h"

#define ROUTE_NO_LIMIT INT32_MAX

/* Skills: bit k of a job's `skills` means "needs feature k" (a cold van,
 * a tail lift, ...); a vehicle may serve a job only when it has every bit
 * the job needs: (job.skills & ~vehicle.skills) == 0. The same mask says
 * which vehicles can reach a stop at all (a lane only a tricycle gets
 * through): give the stop a bit that only the vehicles whose profile
 * reaches it carry. 0 (the default) on both sides: no restriction. */
typedef uint64_t route_skills;
#define ROUTE_MAX_SKILLS 64

struct route_job {
	int32_t loc;          /* location index, 1..n_locs-1 */
	int64_t demand[2];    /* [0] grams, [1] cm3 (TSPLIB: demand, 0) */
	int32_t open, close;  /* window for the start of service, seconds since midnight */
	int32_t service;      /* seconds at the stop */
	route_skills skills;  /* features a vehicle must have to serve it */
};

struct route_vehicle {
	int64_t capacity[2];  /* same units as demand */
	int32_t shift_start;  /* seconds; leaves the hub no earlier */
	int32_t shift_end;    /* seconds; back at the hub no later */
	int64_t max_distance; /* distance units; ROUTE_NO_LIMIT: none */
	int64_t fixed_cost;   /* added to the cost when the vehicle is used */
	int32_t profile;      /* index into route_problem.profiles (0: the default matrices) */
	route_skills skills;  /* features it has (see route_skills) */
	/* Multi-trip: the vehicle may come back to the hub, unload and go out
	 * again, at most max_trips trips in its shift (0 or 1: one trip).
	 * capacity holds per trip; each return costs the travel to the hub
	 * plus `unload` seconds there before the next trip leaves. */
	int32_t max_trips;    /* 0..ROUTE_MAX_TRIPS */
	int32_t unload;       /* seconds at the hub per return between trips */
};

/* The most trips a vehicle may make in a day (route_vehicle.max_trips);
 * also the bound of couriers.csv's max_trips and of the max_trips keys.
 * Migration 012's CHECK on couriers.max_trips holds the same number. */
#define ROUTE_MAX_TRIPS 32

/* One travel profile (car, tricycle, on foot, a cost per km of one
 * vehicle type...): its own distance and time matrices over the same
 * locations. A vehicle's route is costed and timed on its profile's
 * matrices only. */
struct route_profile {
	const int32_t *dist;  /* n_locs*n_locs, row-major; the cost to minimise */
	const int32_t *time;  /* n_locs*n_locs travel seconds; NULL iff route_problem.time is NULL */
};

struct route_problem {
	int32_t n_locs;
	const int32_t *dist;  /* n_locs*n_locs, row-major; the cost to minimise (metres, or TSPLIB units) */
	const int32_t *time;  /* n_locs*n_locs travel seconds; NULL: no time constraints at all */
	/* Profiles: n_profiles == 0 means one profile, {dist, time} above,
	 * and every vehicle's `profile` must be 0. With n_profiles > 0,
	 * profiles[0..n_profiles-1] are the matrices and `dist`/`time` above
	 * are ignored except that `time == NULL` still means untimed (then
	 * every profile's time must be NULL too). Nearest-neighbour lists are
	 * built on profile 0's distances. */
	int32_t n_profiles;
	const struct route_profile *profiles;
	int32_t n_jobs;
	const struct route_job *jobs;
	int32_t n_vehicles;
	const struct route_vehicle *vehicles;
};

/* Where a search stands, for a progress display (route_options.progress). */
struct route_progress {
	int64_t iterations;   /* run so far (by the first search thread) */
	double done;          /* 0..1: share of the iteration budget or time limit used */
	int64_t best_cost;    /* the best plan's cost so far (first search thread) */
	int32_t best_unassigned; /* jobs the best plan leaves out */
};

/* Stopping: iterations > 0 alone stops there (reproducible); time_limit_s
 * > 0 alone stops on wall time only; both: whichever comes first; neither:
 * route_default_iterations(jobs), which grows with the number of jobs. */
struct route_options {
	uint64_t seed;
	int64_t iterations;   /* > 0: stop after this many search iterations (reproducible) */
	double time_limit_s;  /* > 0: stop after this much wall time */
	int verbose;          /* progress lines on stderr */
	int no_local_search;  /* 1: annealing alone, without the local search (for comparisons) */
	int threads;          /* > 1: that many independent searches (seed, seed + stride, ...),
			       * each with the whole budget; the best plan wins. Reproducible
			       * with an iteration budget. 0 or 1: one thread. */
	/*
	 * Called from the search every 1024 iterations and once at its end,
	 * only by the first search (thread 0, which runs on the caller's
	 * thread), so never concurrently; NULL: none. The planner prints
	 * nothing for it: what to show, and where, is the caller's business.
	 * It must be cheap and never changes the plan.
	 */
	void (*progress)(void *arg, const struct route_progress *p);
	void *progress_arg;
};

enum route_unassigned_reason {
	ROUTE_UNASSIGNED_CAPACITY = 1, /* heavier or bulkier than every vehicle */
	ROUTE_UNASSIGNED_WINDOW,       /* window unreachable from the hub within any shift */
	ROUTE_UNASSIGNED_DISTANCE,     /* round trip beyond every vehicle's max distance */
	ROUTE_UNASSIGNED_FLEET,        /* feasible alone, but the fleet is full */
	ROUTE_UNASSIGNED_SKILL,        /* no vehicle has every skill it needs */
};

struct route_route {
	int32_t vehicle;
	int32_t n_jobs;
	int32_t *jobs;        /* job indices in visiting order */
	int32_t *arrival;     /* seconds: arrival at each job's location */
	int32_t *start;       /* seconds: start of service (>= open) */
	int32_t depart;       /* seconds: leaves the hub */
	int32_t back;         /* seconds: back at the hub */
	int64_t distance;
	int64_t load[2];      /* over the whole day (every trip) */
	/* Trips (always filled, 1 for a single-trip vehicle): trip[i] is the
	 * trip (0-based) of jobs[i]; trip t leaves the hub at trip_depart[t]
	 * and is back at trip_back[t]; between two trips the vehicle unloads
	 * at the hub (route_vehicle.unload) from trip_back[t] on. */
	int32_t n_trips;
	int32_t *trip;
	int32_t *trip_depart;
	int32_t *trip_back;
	int64_t (*trip_load)[2];
};

struct route_plan {
	int32_t n_routes;
	struct route_route *routes;    /* only vehicles that are used, by vehicle index */
	int32_t n_unassigned;
	int32_t *unassigned;           /* job indices */
	enum route_unassigned_reason *reasons;
	int64_t distance;              /* sum of route distances */
	int64_t cost;                  /* distance + fixed costs of used vehicles */
	int64_t iterations;            /* iterations actually run */
};

/* The default budget for n jobs (see docs/route.md for budget against
 * quality): deterministic, so a default plan is reproducible. */
int64_t route_default_iterations(int32_t n_jobs);

/* Plan; -1 only for malformed input (err filled). */
int route_solve(const struct route_problem *pb, const struct route_options *opt,
		struct route_plan *out, struct vc_error *err);
void route_plan_release(struct route_plan *plan);

/*
 * Split one point's parcels into visits (jobs) that each fit `cap` in both
 * dimensions, never splitting a parcel (first-fit decreasing: parcels by
 * size, largest first, each into the first visit with room). parcel[i] is
 * {grams, cm3}; visit_of[i] receives the visit of parcel i. Returns the
 * number of visits (1 when everything fits one vehicle, 0 for no parcels), or -1 with err
 * (EX_DATAERR) when a parcel alone exceeds cap. Deterministic.
 */
int32_t route_split_visits(const int64_t (*parcel)[2], int32_t n, const int64_t cap[2],
			   int32_t *visit_of, struct vc_error *err);
const char *route_reason_text(enum route_unassigned_reason r);

#endif
