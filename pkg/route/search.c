/*
 * search: the outer loop. Greedy construction, then ruin-and-recreate
 * under simulated-annealing acceptance with an exponentially cooling
 * temperature (SISR). Every decision uses integers (fixed-point tables
 * instead of log/exp) so that an iteration budget gives the same plan on
 * every machine; only a wall-clock limit makes a run machine-dependent.
 */
#include <time.h>

#include "log/log.h"
#include "route/route_internal.h"
#include "util/clock.h"
#include "util/fault.h"

/* The default budget: ITERATIONS_PER_JOB per job or QUADRATIC x n^2,
 * whichever is more (the quadratic from 429 jobs on), within [MIN, MAX].
 * A county of 1,000 stops needs more per stop than a hub of 300 to come
 * as close to its best plan (docs/route.md, "Default budget"). */
#define DEFAULT_ITERATIONS_PER_JOB 3000
#define DEFAULT_QUADRATIC 7
#define DEFAULT_ITERATIONS_MIN 100000
#define DEFAULT_ITERATIONS_MAX 7000000
#define BLINK_PER_MILLE 10

/* -ln((i + 0.5) / 256) * 4096: an exponential variate from 8 random bits */
static const int32_t neg_log_q12[256] = {
	25552, 21052, 18960, 17582, 16552, 15730, 15046, 14460, 13947, 13492, 13082, 12709,
	12368, 12052, 11760, 11487, 11230, 10989, 10762, 10546, 10341, 10146, 9960, 9782,
	9611, 9447, 9290, 9138, 8992, 8851, 8714, 8582, 8454, 8330, 8209, 8092,
	7978, 7868, 7760, 7655, 7553, 7453, 7355, 7260, 7167, 7076, 6987, 6899,
	6814, 6731, 6649, 6568, 6490, 6412, 6336, 6262, 6189, 6117, 6046, 5977,
	5909, 5841, 5775, 5710, 5646, 5583, 5521, 5460, 5400, 5341, 5282, 5224,
	5167, 5111, 5056, 5001, 4948, 4894, 4842, 4790, 4739, 4688, 4638, 4589,
	4540, 4492, 4444, 4397, 4351, 4305, 4259, 4214, 4170, 4126, 4082, 4039,
	3996, 3954, 3912, 3871, 3830, 3789, 3749, 3709, 3670, 3631, 3592, 3554,
	3516, 3479, 3441, 3404, 3368, 3332, 3296, 3260, 3225, 3190, 3155, 3121,
	3086, 3053, 3019, 2986, 2953, 2920, 2887, 2855, 2823, 2791, 2760, 2729,
	2698, 2667, 2636, 2606, 2576, 2546, 2516, 2487, 2457, 2428, 2400, 2371,
	2342, 2314, 2286, 2258, 2231, 2203, 2176, 2149, 2122, 2095, 2068, 2042,
	2016, 1990, 1964, 1938, 1912, 1887, 1862, 1837, 1812, 1787, 1762, 1737,
	1713, 1689, 1665, 1641, 1617, 1593, 1570, 1546, 1523, 1500, 1477, 1454,
	1431, 1409, 1386, 1364, 1342, 1319, 1297, 1275, 1254, 1232, 1210, 1189,
	1168, 1146, 1125, 1104, 1083, 1063, 1042, 1021, 1001, 981, 960, 940,
	920, 900, 880, 860, 841, 821, 802, 782, 763, 744, 724, 705,
	686, 668, 649, 630, 611, 593, 574, 556, 538, 520, 501, 483,
	465, 448, 430, 412, 394, 377, 359, 342, 325, 307, 290, 273,
	256, 239, 222, 205, 188, 172, 155, 138, 122, 105, 89, 73,
	56, 40, 24, 8,
};

/* 2^(-i/256) * 65536 */
static const int32_t pow2_neg_q16[256] = {
	65536, 65359, 65182, 65006, 64830, 64655, 64480, 64306, 64132, 63958, 63785, 63613,
	63441, 63269, 63098, 62928, 62757, 62588, 62419, 62250, 62081, 61914, 61746, 61579,
	61413, 61247, 61081, 60916, 60751, 60587, 60423, 60260, 60097, 59934, 59772, 59611,
	59449, 59289, 59128, 58968, 58809, 58650, 58491, 58333, 58176, 58018, 57861, 57705,
	57549, 57393, 57238, 57083, 56929, 56775, 56622, 56468, 56316, 56163, 56012, 55860,
	55709, 55558, 55408, 55258, 55109, 54960, 54811, 54663, 54515, 54368, 54221, 54074,
	53928, 53782, 53637, 53492, 53347, 53203, 53059, 52916, 52773, 52630, 52488, 52346,
	52204, 52063, 51922, 51782, 51642, 51502, 51363, 51224, 51085, 50947, 50810, 50672,
	50535, 50399, 50262, 50126, 49991, 49856, 49721, 49586, 49452, 49319, 49185, 49052,
	48920, 48787, 48655, 48524, 48393, 48262, 48131, 48001, 47871, 47742, 47613, 47484,
	47356, 47228, 47100, 46973, 46846, 46719, 46593, 46467, 46341, 46216, 46091, 45966,
	45842, 45718, 45594, 45471, 45348, 45225, 45103, 44981, 44859, 44738, 44617, 44497,
	44376, 44256, 44137, 44017, 43898, 43780, 43661, 43543, 43425, 43308, 43191, 43074,
	42958, 42841, 42726, 42610, 42495, 42380, 42265, 42151, 42037, 41923, 41810, 41697,
	41584, 41472, 41360, 41248, 41136, 41025, 40914, 40804, 40693, 40583, 40473, 40364,
	40255, 40146, 40037, 39929, 39821, 39714, 39606, 39499, 39392, 39286, 39180, 39074,
	38968, 38863, 38757, 38653, 38548, 38444, 38340, 38236, 38133, 38030, 37927, 37824,
	37722, 37620, 37518, 37417, 37316, 37215, 37114, 37014, 36914, 36814, 36715, 36615,
	36516, 36417, 36319, 36221, 36123, 36025, 35928, 35831, 35734, 35637, 35541, 35445,
	35349, 35253, 35158, 35063, 34968, 34874, 34779, 34685, 34591, 34498, 34405, 34312,
	34219, 34126, 34034, 33942, 33850, 33759, 33667, 33576, 33486, 33395, 33305, 33215,
	33125, 33035, 32946, 32857,
};

/* Reheats: a long run on a small instance cools to a local optimum long
 * before its end, so the budget is split into up to MAX_CYCLES coolings,
 * each from the best plan so far, one per CYCLE_ITERATIONS_PER_JOB2 * n^2
 * iterations (n jobs). Large instances and short runs keep one cooling,
 * which measured better there (X-n561 at 3 million iterations). Under a
 * time limit the count is decided once 5 % of the time has passed, from
 * the iteration rate so far. A mixed fleet (more than one vehicle class)
 * gets up to MAX_CYCLES_MIXED: a cooling settles on a fleet mix, and a
 * new one from the best plan is another chance to change it (X139-HD at
 * 23,000,000 iterations, about 60 s, seeds 1-4: 0.99 % -> 0.52 % above
 * the best known; X256-FSMF at 13,000,000: 0.71 % -> 0.46 %; one class
 * measured no better: the A set, RC2_2_3, CVRP X n <= 251; docs/route.md,
 * "Issue 12, stop 24"). */
#define MAX_CYCLES 6
#define MAX_CYCLES_MIXED 24
#define CYCLE_ITERATIONS_PER_JOB2 12
#define CYCLES_DECIDED_AT (65536 / 20)

static int64_t cooling_cycles(int64_t expected_iterations, int32_t n_jobs, int64_t max_cycles)
{
	int64_t n = n_jobs > 0 ? n_jobs : 1;
	int64_t c = expected_iterations / (CYCLE_ITERATIONS_PER_JOB2 * n * n);
	return c < 1 ? 1 : c > max_cycles ? max_cycles : c;
}

/* log2(T0 / Tfinal) * 256 with T0 / Tfinal = 30. SISR cools to a
 * hundredth; a thirtieth keeps the end of a long cooling searching
 * rather than descending (county 1,000 stops: +0.51 % -> +0.33 % above
 * the best known plans at 7,000,000 iterations; docs/route.md, "Issue 12,
 * stop 23"). */
#define COOLING_LOG2_Q8 1256

/* Temperature in 1/256 cost units at progress p (0..65536). */
static int64_t temperature_q8(int64_t t0_q8, int64_t progress)
{
	int64_t x = COOLING_LOG2_Q8 * progress >> 16;
	int64_t t = x >> 8 >= 62 ? 0 : t0_q8 >> (x >> 8);
	return t * pow2_neg_q16[x & 255] >> 16;
}

/* Initial temperature: a fifth of the mean hub distance of the jobs
 * (T0 = 100 on X instances, whose coordinates span 0..1000), on the
 * costliest travel profile of the fleet. On a mixed fleet whose big
 * vehicles cost six times a km of the small ones, a temperature on the
 * cheapest profile froze the search: X139-HD (units 41 to 245), 1,000,000
 * iterations, seeds 1-6: 6.8 % above the best known; on the costliest
 * profile 2.6 % (the capacity-weighted mean profile gave 4.4 %); X627-HVRP
 * (units 71 to 190), seeds 1-3: 1.33 % -> 0.83 % (weighted 1.27 %,
 * 1.5 x the costliest 1.55 %). With one profile nothing changes. */
static int64_t initial_temperature_q8(const struct model *m)
{
	int64_t sum = 0;
	int32_t c, i;
	for (c = 0; c < m->n_classes; c++) {
		int32_t v = m->class_members[m->class_start[c]];
		int64_t s = 0;
		if (c > 0 && m->vdist[v] == m->vdist[m->class_members[0]])
			continue;
		for (i = 0; i < m->n_active; i++)
			s += m_vdist(m, v, 0, m->pb->jobs[m->active[i]].loc);
		if (s > sum)
			sum = s;
	}
	return m->n_active ? sum * 256 / m->n_active / 5 + 1 : 1;
}

static void sol_settle(struct sol *dst, const struct sol *src, const struct rr_scratch *w)
{
	int32_t i;
	for (i = 0; i < w->n_touched; i++) {
		sol_copy_route(dst, src, w->touched[i]);
		sol_index_route(dst, w->touched[i]);
	}
	sol_copy_unassigned(dst, src);
}

static int64_t touched_cost(const struct sol *s, const struct model *m, const struct rr_scratch *w)
{
	int64_t c = 0;
	int32_t i;
	for (i = 0; i < w->n_touched; i++)
		c += rt_cost(m, w->touched[i], &s->routes[w->touched[i]]);
	return c;
}

/* Where the run stands: progress 0..65536 over the budget or the time
 * limit (whichever is further), and the cooling cycle it is in. */
struct schedule {
	int64_t budget, limit_ns, started, progress, max_cycles, cycles, cycle, phase;
};

/* Advance to iteration it; 0 when the run is over. */
static int schedule_next(struct schedule *sc, int64_t it, int32_t n_jobs)
{
	if (sc->budget && it >= sc->budget)
		return 0;
	if (sc->budget)
		sc->progress = it * 65536 / sc->budget;
	if (sc->limit_ns) {
		int64_t elapsed = vc_mono_ns() - sc->started, p = elapsed * 65536 / sc->limit_ns;
		if (elapsed >= sc->limit_ns)
			return 0;
		if (p > sc->progress)
			sc->progress = p;
	}
	if (!sc->cycles && (sc->budget || sc->progress >= CYCLES_DECIDED_AT))
		sc->cycles = cooling_cycles(sc->budget ? sc->budget : (it + 1) * 65536 / (sc->progress + 1),
					    n_jobs, sc->max_cycles);
	sc->phase = sc->progress * (sc->cycles ? sc->cycles : 1);
	return 1;
}

static void report_progress(const struct route_options *opt, const struct schedule *sc,
			    int64_t it, const struct sol *best, int finished)
{
	struct route_progress p;
	p.iterations = it;
	p.done = finished ? 1.0 : (double)sc->progress / 65536.0;
	p.best_cost = best->cost;
	p.best_unassigned = best->n_unassigned;
	opt->progress(opt->progress_arg, &p);
}

static int better(const struct sol *a, const struct sol *b)
{
	return a->n_unassigned < b->n_unassigned ||
	       (a->n_unassigned == b->n_unassigned && a->cost < b->cost);
}

/* Where the local search runs after an iteration that found a new best. */
enum ls_mode { LS_OFF, LS_BEST, LS_CURRENT };

/* The annealing needs its diversity: moving the current plan to a local
 * optimum at every new best made the A and small X sets worse (0.43 % ->
 * 0.53 % and 1.14 % -> 1.29 % mean gap at 30,000 iterations; X-n200-k36
 * 59,075 -> 59,952 at 100,000), and on a 1,000-stop county it paid only
 * at very short budgets (-2 % at 50 iterations per stop, nothing left at
 * 200). So without time windows the current plan descends only below
 * 100 iterations per job;
 * otherwise only the best plan's copy does, and the annealing's path is
 * the one it has without local search (so its result can only improve). */
#define LS_CURRENT_BELOW_ITERATIONS_PER_JOB 100

static enum ls_mode ls_mode_for(const struct route_options *opt, const struct schedule *sc,
				int32_t n_jobs, int timed)
{
	if (opt->no_local_search)
		return LS_OFF;
	/* With time windows the annealing's path gains from the descent at
	 * every new best (R1_2_5, RC2_2_3, C2_4_4, R2_4_6 x seeds 1 and 2 at
	 * 200,000 iterations: mean gap 1.71 % -> 1.22 %; R2_4_6 3.0 -> 1.5 %,
	 * though C2_4_4 0.5 -> 1.9 %), where the windows leave few moves that
	 * the string ruins alone find. */
	if (timed)
		return LS_CURRENT;
	if (sc->budget && sc->budget / (n_jobs > 0 ? n_jobs : 1) < LS_CURRENT_BELOW_ITERATIONS_PER_JOB)
		return LS_CURRENT;
	return LS_BEST;
}

/* The cheapest plan of the routes met (route_pool.c). Under a time limit,
 * on one vehicle class with single trips, the search keeps every route of
 * the plans it accepts within POOL_NEAR_PER_MILLE of its best, and the
 * last POOL_SHARE_PERCENT of the time goes to a set partitioning of them
 * (CBC), started from the best plan. Coolings that each end about 1 %
 * above the best known hold between them the routes of a better plan
 * (docs/route.md, "Issue 12, stop 25"). Only under a time limit: what CBC
 * finds within a time depends on the machine, and an iteration budget
 * promises the same plan on every one. */
#define POOL_SHARE_PERCENT 10
/* 2 %: the first round of the set partitioning takes the routes of plans
 * within 1 %, a second the rest when time is left (route_pool.c) */
#define POOL_NEAR_PER_MILLE 20
/* A share below a second is not worth it: CBC's root relaxation alone
 * takes about that on a 400-job pool, and short runs have few routes.
 * Beyond POOL_MAX_JOBS the pool CBC can take in a tenth of the time holds
 * no better plan (VRPTW 1,000 at 60 s, seed 1: C1_10_2 2.16 % either way,
 * R1_10_4 1.04 % -> 1.17 %; with no cap on the pool C1_10_2 came to
 * 1.84 %, but R1_10_4's CBC overran the limit by 15 s). */
#define POOL_MIN_SHARE_NS 1000000000LL
#define POOL_MAX_JOBS 400

/* One ruin-and-recreate step on cand (equal to cur on entry), accepted
 * into cur or undone, so that cand equals cur again on return. */
static void step(struct sol *cur, struct sol *cand, struct sol *best, const struct model *m,
		 struct rng *rng, struct rr_scratch *w, int64_t temperature_q8_now, enum ls_mode local,
		 struct route_pool *pool)
{
	/* accepted: delta < T * E, with T in 1/256 and E in 1/4096 units, so
	 * the largest delta accepted is (T * E - 1) / 2^20, or 0. The bound is
	 * drawn first so that the recreate stops as soon as it is passed. */
	int64_t threshold = temperature_q8_now * neg_log_q12[rng_below(rng, 256)];
	int64_t allowed = threshold > 0 ? (threshold - 1) >> 20 : 0, delta;
	rr_ruin(cand, m, rng, w);
	cand->cost = cur->cost - touched_cost(cur, m, w) + touched_cost(cand, m, w);
	if (!rr_recreate(cand, m, rng, w, BLINK_PER_MILLE, sol_objective(cur, m) + allowed)) {
		sol_settle(cand, cur, w);
		rr_untouch_all(w);
		return;
	}
	cand->cost = cur->cost - touched_cost(cur, m, w) + touched_cost(cand, m, w);
	delta = sol_objective(cand, m) - sol_objective(cur, m);
	if (delta <= allowed) {
		sol_settle(cur, cand, w);
		if (pool && !cur->n_unassigned && cur->cost * 1000 <= best->cost * (1000 + POOL_NEAR_PER_MILLE)) {
			int32_t i, near = (int32_t)((cur->cost - best->cost) * 1000 / (best->cost > 0 ? best->cost : 1));
			for (i = 0; i < w->n_touched; i++)
				route_pool_add(pool, m, w->touched[i], &cur->routes[w->touched[i]], near);
		}
		if (better(cur, best)) {
			/* a new best: descend from it, starting at the routes this
			 * iteration changed (cheap next to an iteration). LS_CURRENT:
			 * the annealing goes on from the improved plan (cand follows);
			 * LS_BEST: only the copy kept as best improves, and the
			 * annealing's path is the same as without local search */
			if (local == LS_CURRENT) {
				local_search(cur, m, w, LS_TOUCHED);
				sol_settle(cand, cur, w);
			}
			sol_copy(best, cur);
			if (local == LS_BEST)
				local_search(best, m, w, LS_TOUCHED);
		}
	} else {
		sol_settle(cand, cur, w);
	}
	rr_untouch_all(w);
}

static int single_class_single_trip(const struct model *m)
{
	int32_t v;
	for (v = 0; v < m->n_veh; v++)
		if (m_multi(m, v))
			return 0;
	return m->n_classes == 1;
}

int64_t route_default_iterations(int32_t n_jobs)
{
	int64_t n = n_jobs > 0 ? n_jobs : 0;
	int64_t linear = n * DEFAULT_ITERATIONS_PER_JOB, quadratic = DEFAULT_QUADRATIC * n * n;
	int64_t it = linear > quadratic ? linear : quadratic;
	return it < DEFAULT_ITERATIONS_MIN ? DEFAULT_ITERATIONS_MIN
	       : it > DEFAULT_ITERATIONS_MAX ? DEFAULT_ITERATIONS_MAX : it;
}

void search_run(const struct model *m, const struct route_options *opt, struct sol *best,
		int64_t *iterations_run)
{
	struct sol cur, cand;
	struct rr_scratch w;
	struct rng rng;
	struct schedule sc = { 0 };
	int64_t t0 = initial_temperature_q8(m), it = 0;
	enum ls_mode mode;
	struct route_pool *pool = NULL;  /* timed runs of one vehicle class */
	int64_t pool_ns = 0;

	sc.budget = opt->iterations > 0 ? opt->iterations : 0;
	sc.limit_ns = opt->time_limit_s > 0 ? (int64_t)(opt->time_limit_s * 1e9) : 0;
	sc.started = m->started_ns;
	sc.max_cycles = m->n_classes > 1 ? MAX_CYCLES_MIXED : MAX_CYCLES;
	if (!sc.budget && !sc.limit_ns)
		sc.budget = route_default_iterations(m->n_active);
	if (sc.limit_ns / 100 * POOL_SHARE_PERCENT >= POOL_MIN_SHARE_NS && m->n_active <= POOL_MAX_JOBS &&
	    single_class_single_trip(m) && !opt->no_local_search) {
		pool = route_pool_new(m, opt->seed);
		pool_ns = sc.limit_ns / 100 * POOL_SHARE_PERCENT;
		sc.limit_ns -= pool_ns;
	}
	mode = ls_mode_for(opt, &sc, m->n_active, m->timed);
	rng_seed(&rng, opt->seed);
	sol_init(&cur, m);
	sol_init(&cand, m);
	rr_init(&w, m);

	rr_construct(&cur, m, &rng, &w);
	sol_recost(&cur, m);
	if (mode == LS_CURRENT) {
		local_search(&cur, m, &w, LS_WHOLE);
		rr_untouch_all(&w);
	}
	sol_copy(&cand, &cur);
	sol_copy(best, &cur);

	while (m->n_active > 0 && schedule_next(&sc, it, m->n_active)) {
		it++;
		FAULT_POINT("plan_iteration");
		if (sc.phase >> 16 != sc.cycle) {
			/* reheat: a new cooling from the best plan so far */
			sc.cycle = sc.phase >> 16;
			polish_routes(best, m);
			sol_copy(&cur, best);
			sol_copy(&cand, best);
		}
		step(&cur, &cand, best, m, &rng, &w, temperature_q8(t0, sc.phase & 65535), mode, pool);
		if (opt->progress && (it & 1023) == 0)
			report_progress(opt, &sc, it, best, 0);
		if (opt->verbose && (it & 0xffff) == 0)
			log_event(LOG_INFO, "route_progress", "iteration=%lld cost=%lld best=%lld unassigned=%d",
				  (long long)it, (long long)cur.cost, (long long)best->cost,
				  best->n_unassigned);
	}
	if (pool) {
		/* the share set aside, or less when iterations ran out first */
		int64_t deadline = vc_mono_ns() + pool_ns;
		if (deadline > sc.started + sc.limit_ns + pool_ns)
			deadline = sc.started + sc.limit_ns + pool_ns;
		if (opt->verbose)
			log_event(LOG_INFO, "route_pool", "routes=%d best=%lld", route_pool_size(pool),
				  (long long)best->cost);
		if (route_pool_solve(pool, m, best, deadline) && opt->verbose)
			log_event(LOG_INFO, "route_pool_plan", "best=%lld", (long long)best->cost);
		route_pool_free(pool);
	}
	polish_routes(best, m);
	if (mode != LS_OFF && m->n_active > 0) {
		/* the last descent adds SWAP*: it can only improve the plan the
		 * search ends with (docs/route.md, Method 9) */
		local_search(best, m, &w, LS_FINAL);
		rr_untouch_all(&w);
	}
	if (opt->progress)
		report_progress(opt, &sc, it, best, 1);
	*iterations_run = it;
	rr_release(&w);
	sol_release(&cur);
	sol_release(&cand);
}
