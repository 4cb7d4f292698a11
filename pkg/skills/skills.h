/*
 * skills: vehicle features a collection point or an order may require (a
 * cold van for fresh oranges, a tail lift for furniture) and a courier's
 * vehicle may have. Two things live here and nowhere else:
 *
 *  - the text form, as the CSV `skills` columns write it and the database
 *    stores it: names of 1 to SKILL_NAME_MAX of [a-z0-9_-], separated by
 *    ';' (e.g. "cold;bulky"), at most SKILLS_MAX_PER_ROW per value; its
 *    canonical form sorted and without repeats;
 *
 *  - the layout of the planner's 64-bit route_skills masks (pkg/route):
 *    bits 0..SKILL_REACH_BITS-1 say which vehicle profiles reach a point
 *    by road (pkg/nightly/roadmx.c: bit k = the set k of route profiles,
 *    at most 4 profiles so k < 16), the SKILL_FEATURE_BITS bits above
 *    them are the feature skills of one hub's plan, allocated by name
 *    (struct skill_table). Both kinds of bit share a mask and never clash.
 *
 * No SQL, no files: pkg/ingest and pkg/nightly call it.
 */
#ifndef VC_SKILLS_H
#define VC_SKILLS_H

#include <stddef.h>

#include "route/route.h"
#include "util/strbuf.h"

#define SKILL_NAME_MAX 32
#define SKILLS_MAX_PER_ROW 8
/* Distinct names one import file may use (checked by pkg/ingest). */
#define SKILLS_MAX_PER_FILE 32
/* Route profiles (pkg/nightly/job.h: 4) -> 2^4 reachability bits. */
#define SKILL_REACH_BITS 16
#define SKILL_FEATURE_BITS (ROUTE_MAX_SKILLS - SKILL_REACH_BITS)

/*
 * Check a `skills` value and append its canonical form (names sorted,
 * repeats dropped, ';' between) to canon. Empty: no skills (canon gets
 * nothing). -1 with *problem (a static text) when malformed.
 */
int skills_parse(const char *value, struct strbuf *canon, const char **problem);

/* The i-th name of a canonical list (i from 0): its start and length, or NULL past the end. */
const char *skills_name_at(const char *list, size_t i, size_t *len);

/* Append the canonical list as a PostgreSQL text[] literal: "{a,b}" ("{}" when empty). */
void skills_pg_array(const char *canon, struct strbuf *out);

/* Reachability bits (see above): a point reached by the route-profile set `reach`
 * of n_prof profiles, and a vehicle of route profile `profile`. */
route_skills skills_reach_job(unsigned reach, int n_prof);
route_skills skills_reach_vehicle(int profile, int n_prof);
#define SKILLS_REACH_MASK (((route_skills)1 << SKILL_REACH_BITS) - 1)

/*
 * The feature bits of one plan: every distinct name the jobs need, sorted,
 * name i on bit SKILL_REACH_BITS + i. Names past SKILL_FEATURE_BITS get
 * no bit (skill_table_mask says which).
 */
struct skill_table {
	char **names;
	size_t n, cap;
};
/* Add the names of a canonical list (before skill_table_finish). */
void skill_table_add(struct skill_table *t, const char *list);
/* Sort and drop repeats; then masks can be asked for. */
void skill_table_finish(struct skill_table *t);
/*
 * The feature bits of a canonical list. Names not in the table are left
 * out (a vehicle's feature no job needs). *no_bit (may be NULL) gets the
 * first name that is in the table but past its bits, else NULL.
 */
route_skills skill_table_mask(const struct skill_table *t, const char *list, const char **no_bit);
/* The names of the feature bits of mask, sorted, joined by sep, appended to out. */
void skill_table_names(const struct skill_table *t, route_skills mask, const char *sep,
		       struct strbuf *out);
void skill_table_release(struct skill_table *t);

#endif
