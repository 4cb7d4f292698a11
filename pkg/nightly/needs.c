/*
 * needs: the feature skills of one hub's plan (docs/nightly.md). The bits
 * come from pkg/skills (one table per plan, above the road reachability
 * bits of roadmx.c): only names some claimed order needs get one, so a
 * hub uses at most SKILL_FEATURE_BITS however many features its vehicles
 * list. A visit needs the union of its point's and its orders' skills;
 * plan.c keeps orders with different needs in different visits. The
 * reason of a visit no vehicle may serve names the skills it misses.
 */
#include "nightly/job.h"

#include <string.h>

void job_skills_prepare(struct job *j, struct skill_table *t)
{
	size_t i, c;
	for (i = 0; i < j->n_orders; i++) {
		const struct job_order *o = &j->orders[i];
		if (o->state != ORDER_CLAIMED)
			continue;
		skill_table_add(t, j->points[o->point].skills);
		skill_table_add(t, o->skills);
	}
	skill_table_finish(t);
	for (i = 0; i < j->n_orders; i++) {
		struct job_order *o = &j->orders[i];
		const char *past, *past_point;
		if (o->state != ORDER_CLAIMED)
			continue;
		o->need = skill_table_mask(t, j->points[o->point].skills, &past_point) |
			  skill_table_mask(t, o->skills, &past);
		if (past || past_point) {
			/* Rare (more distinct skills than bits, over several imports): the
			 * order waits, pending, for a night with fewer. */
			o->state = ORDER_UNASSIGNED;
			o->reason = job_strdupf(j, "unassigned: skill %s: the orders of hub %s need more"
						" than %d distinct skills", past ? past : past_point,
						j->hub.code, SKILL_FEATURE_BITS);
		}
	}
	for (c = 0; c < j->n_couriers; c++)
		j->couriers[c].mask = skill_table_mask(t, j->couriers[c].skills, NULL);
}

const char *job_skills_reason(struct job *j, const struct skill_table *t, route_skills need,
			      const struct route_vehicle *veh, int32_t n_veh, const char *point)
{
	route_skills feat = need & ~(route_skills)SKILLS_REACH_MASK, held = 0, missing;
	struct strbuf names = STRBUF_INIT;
	const char *why;
	int32_t v;
	int whole = 0;
	for (v = 0; v < n_veh; v++) {
		held |= veh[v].skills;
		whole |= (feat & ~veh[v].skills) == 0;
	}
	missing = feat & ~held;
	if (missing) {
		/* "no vehicle with skill cold", "... with skills bulky, cold" */
		skill_table_names(t, missing, ", ", &names);
		why = job_strdupf(j, "unassigned: no vehicle with skill%s %s",
				  missing & (missing - 1) ? "s" : "", names.buf);
	} else if (!whole) {
		/* each skill is on some vehicle, all of them on none */
		skill_table_names(t, feat, ", ", &names);
		why = job_strdupf(j, "unassigned: no vehicle with all the skills %s", names.buf);
	} else if (feat) {
		/* the vehicles with the skills cannot reach the point (road profiles) */
		skill_table_names(t, feat, ", ", &names);
		why = job_strdupf(j, "unassigned: no vehicle with skill%s %s reaches point %s by road",
				  feat & (feat - 1) ? "s" : "", names.buf, point);
	} else {
		why = job_strdupf(j, "unassigned: %s", route_reason_text(ROUTE_UNASSIGNED_SKILL));
	}
	strbuf_release(&names);
	return why;
}
