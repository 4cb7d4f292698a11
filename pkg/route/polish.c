/*
 * polish: whole-route moves that string ruins and greedy reinsertion
 * rarely make on a mixed fleet: a route moved to an empty vehicle of
 * another class that serves it cheaper, and two routes merged into one
 * vehicle (either route's own, or an empty one of any class), the second
 * route's stops inserted one by one at their cheapest feasible positions.
 * Deterministic; repeated while it improves.
 */
#include <stdlib.h>
#include <string.h>

#include "route/route_internal.h"
#include "util/xalloc.h"

/* First empty vehicle of class c other than `not`, or -1. */
static int32_t empty_of_class(const struct sol *s, const struct model *m, int32_t c, int32_t not)
{
	int32_t k;
	for (k = m->class_start[c]; k < m->class_start[c + 1]; k++)
		if (s->routes[m->class_members[k]].n == 0 && m->class_members[k] != not)
			return m->class_members[k];
	return -1;
}

/* tmp := route `base`'s stops, then `extra`'s inserted cheapest-first, on
 * vehicle v; 0 when every stop fits. */
static int build_merged(const struct model *m, int32_t v, struct rt *tmp, const struct rt *base,
			const struct rt *extra)
{
	int32_t i;
	rt_set(m, v, tmp, base->jobs, base->n);
	if (!rt_feasible(m, v, tmp))
		return -1;
	for (i = 0; extra && i < extra->n; i++) {
		int64_t cost;
		int32_t at = rt_cheapest_position(m, v, tmp, extra->jobs[i], &cost);
		if (at < 0)
			return -1;
		rt_insert(m, v, tmp, extra->jobs[i], at);
	}
	return 0;
}

/* Replace routes a and b (b may be -1) by tmp on vehicle v. */
static void apply(struct sol *s, const struct model *m, int32_t a, int32_t b, int32_t v,
		  const struct rt *tmp)
{
	int32_t *jobs = xmalloc(sizeof(*jobs) * (size_t)(tmp->n + 1));
	memcpy(jobs, tmp->jobs, sizeof(*jobs) * (size_t)tmp->n);
	rt_set(m, a, &s->routes[a], NULL, 0);
	if (b >= 0)
		rt_set(m, b, &s->routes[b], NULL, 0);
	rt_set(m, v, &s->routes[v], jobs, tmp->n);
	sol_index_route(s, v);
	free(jobs);
}

/* Try to serve routes a (+ b) with one vehicle; 1 when the plan improved. */
static int try_merge(struct sol *s, const struct model *m, struct rt *tmp, int32_t a, int32_t b)
{
	int64_t now = rt_cost(m, a, &s->routes[a]) + (b >= 0 ? rt_cost(m, b, &s->routes[b]) : 0);
	int32_t targets[3], n_targets = 0, c, t, order;
	for (c = 0; c < m->n_classes; c++) {
		n_targets = 0;
		if (b >= 0 && m->veh_class[a] == c)
			targets[n_targets++] = a;
		if (b >= 0 && m->veh_class[b] == c)
			targets[n_targets++] = b;
		targets[n_targets] = empty_of_class(s, m, c, -1);
		if (targets[n_targets] >= 0)
			n_targets++;
		for (t = 0; t < n_targets; t++)
			for (order = 0; order < (b >= 0 ? 2 : 1); order++) {
				const struct rt *base = &s->routes[order ? b : a];
				const struct rt *extra = b < 0 ? NULL : &s->routes[order ? a : b];
				if (build_merged(m, targets[t], tmp, base, extra) == 0 &&
				    rt_cost(m, targets[t], tmp) < now) {
					apply(s, m, a, b, targets[t], tmp);
					return 1;
				}
			}
	}
	return 0;
}

void polish_routes(struct sol *s, const struct model *m)
{
	struct rt tmp;
	int32_t a, b, improved = 1;
	memset(&tmp, 0, sizeof(tmp));
	while (improved) {
		improved = 0;
		for (a = 0; a < s->n_routes; a++) {
			if (!s->routes[a].n)
				continue;
			if (try_merge(s, m, &tmp, a, -1)) {
				improved = 1;
				continue;
			}
			for (b = a + 1; b < s->n_routes && s->routes[a].n; b++)
				if (s->routes[b].n && try_merge(s, m, &tmp, a, b))
					improved = 1;
		}
	}
	rt_release(&tmp);
	sol_recost(s, m);
}
