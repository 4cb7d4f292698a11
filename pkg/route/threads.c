/*
 * threads: one problem's search on several threads, reproducibly. Thread t
 * runs the whole search (search_run) with its own seed, derived from the
 * caller's seed and t only, and the same budget; the plan kept is the best
 * (fewest jobs left out, then cheapest, then the lowest thread number). So
 * the result depends on the seed, the budget and the thread count, never
 * on scheduling; thread 0 uses the caller's seed as is, so more threads
 * never give a worse plan than one. The model is shared read-only.
 */
#include <pthread.h>
#include <stdlib.h>

#include "route/route_internal.h"
#include "util/xalloc.h"

struct worker {
	const struct model *m;
	struct route_options opt;
	struct sol best;
	int64_t iterations;
	pthread_t tid;
	int started;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	search_run(w->m, &w->opt, &w->best, &w->iterations);
	return NULL;
}

/* splitmix64's increment: seeds of different threads far apart */
#define SEED_STRIDE 0x9E3779B97F4A7C15ULL

void search_run_threads(const struct model *m, const struct route_options *opt, int threads,
			struct sol *best, int64_t *iterations_run)
{
	struct worker *w;
	int t, pick = 0;
	if (threads <= 1) {
		search_run(m, opt, best, iterations_run);
		return;
	}
	w = xcalloc((size_t)threads, sizeof(*w));
	for (t = 0; t < threads; t++) {
		w[t].m = m;
		w[t].opt = *opt;
		w[t].opt.seed = opt->seed + (uint64_t)t * SEED_STRIDE;
		/* only thread 0 (this thread) reports progress: never two at once */
		if (t > 0)
			w[t].opt.progress = NULL;
		sol_init(&w[t].best, m);
	}
	/* thread 0's work runs here; if a thread cannot start, its work runs
	 * here too, so the plan is the same either way */
	for (t = 1; t < threads; t++)
		w[t].started = pthread_create(&w[t].tid, NULL, work, &w[t]) == 0;
	work(&w[0]);
	*iterations_run = 0;
	for (t = 0; t < threads; t++) {
		if (t > 0 && w[t].started)
			pthread_join(w[t].tid, NULL);
		else if (t > 0)
			work(&w[t]);
		*iterations_run += w[t].iterations;
		if (w[t].best.n_unassigned < w[pick].best.n_unassigned ||
		    (w[t].best.n_unassigned == w[pick].best.n_unassigned && w[t].best.cost < w[pick].best.cost))
			pick = t;
	}
	sol_copy(best, &w[pick].best);
	for (t = 0; t < threads; t++)
		sol_release(&w[t].best);
	free(w);
}
