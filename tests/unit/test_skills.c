/*
 * Unit tests: skills (pkg/skills) — the list syntax and its canonical
 * form, the import's field check, the bit layout (reachability bits and
 * feature bits never share a bit) — and the planner never breaking skill
 * masks (pkg/route) on random instances.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/validate.h"
#include "route/route.h"
#include "skills/skills.h"
#include "util/splitmix.h"
#include "util/strbuf.h"

static void assert_canon(const char *value, const char *canon)
{
	struct strbuf sb = STRBUF_INIT;
	const char *problem = NULL;
	assert_int_equal(skills_parse(value, &sb, &problem), 0);
	assert_string_equal(sb.len ? sb.buf : "", canon);
	strbuf_release(&sb);
}

static void assert_bad(const char *value, const char *problem_part)
{
	struct strbuf sb = STRBUF_INIT;
	const char *problem = NULL;
	assert_int_equal(skills_parse(value, &sb, &problem), -1);
	assert_non_null(problem);
	if (!strstr(problem, problem_part))
		fail_msg("'%s': problem '%s' lacks '%s'", value, problem, problem_part);
	strbuf_release(&sb);
}

static void test_parse(void **state)
{
	(void)state;
	assert_canon("", "");
	assert_canon("cold", "cold");
	assert_canon("cold;bulky", "bulky;cold");
	assert_canon("tail-lift;cold;cold;a_1", "a_1;cold;tail-lift");
	assert_canon("abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345");
	assert_canon("a;b;c;d;e;f;g;h", "a;b;c;d;e;f;g;h");
	assert_bad("Cold", "not a list of skill names");
	assert_bad("cold bulky", "not a list of skill names");
	assert_bad("cold,bulky", "not a list of skill names");
	assert_bad("cold;", "empty skill name");
	assert_bad(";cold", "empty skill name");
	assert_bad("cold;;bulky", "empty skill name");
	assert_bad("冷", "not a list of skill names");
	assert_bad("abcdefghijklmnopqrstuvwxyz0123456", "longer than 32");
	assert_bad("a;b;c;d;e;f;g;h;i", "more than 8");
}

/* The import's field check says which column and why. */
static void test_field_check(void **state)
{
	const struct ingest_layout *orders = ingest_layout("orders");
	const char *row[] = { "O-1", "P1", "2.5", "0.01", "2026-12-01", "seller", "cold;Bulky" };
	struct strbuf why = STRBUF_INIT;
	(void)state;
	assert_int_equal(ingest_check_field(COL_SKILLS, "cold;bulky", &why), 0);
	assert_int_equal(ingest_check_field(COL_SKILLS, "", &why), 0);
	assert_int_equal(ingest_check_row(orders, 7, row, 7, &why), -1);
	assert_string_equal(why.buf, "skills: value \"cold;Bulky\" is not a list of skill names"
				     " (a-z 0-9 _ - separated by ';', like cold;bulky)");
	strbuf_release(&why);
}

static void test_pg_array_and_names(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	const char *n;
	(void)state;
	skills_pg_array("bulky;cold", &sb);
	assert_string_equal(sb.buf, "{bulky,cold}");
	strbuf_reset(&sb);
	skills_pg_array("", &sb);
	assert_string_equal(sb.buf, "{}");
	n = skills_name_at("bulky;cold", 1, &len);
	assert_non_null(n);
	assert_int_equal(len, 4);
	assert_memory_equal(n, "cold", 4);
	assert_null(skills_name_at("bulky;cold", 2, &len));
	assert_null(skills_name_at("", 0, &len));
	strbuf_release(&sb);
}

/* Feature bits sit above every reachability bit; names past the bits are reported. */
static void test_bits(void **state)
{
	struct skill_table t = { 0 };
	struct strbuf sb = STRBUF_INIT;
	const char *past;
	route_skills m, reach = 0;
	char name[16];
	int p, q, k;
	(void)state;
	for (q = 1; q <= 4; q++)
		for (p = 0; p < q; p++) {
			reach |= skills_reach_vehicle(p, q);
			for (k = 1; k < (1 << q); k++)
				reach |= skills_reach_job((unsigned)k, q);
		}
	assert_true((reach & ~(route_skills)SKILLS_REACH_MASK) == 0);
	/* a vehicle reaches a point when its profile is in the point's set */
	assert_true((skills_reach_job(0x5, 3) & ~skills_reach_vehicle(2, 3)) == 0);
	assert_true((skills_reach_job(0x5, 3) & ~skills_reach_vehicle(1, 3)) != 0);
	assert_true(skills_reach_job(0x7, 3) == 0);

	skill_table_add(&t, "frozen;cold");
	skill_table_add(&t, "cold");
	skill_table_add(&t, "bulky");
	skill_table_finish(&t);
	assert_int_equal(t.n, 3);
	m = skill_table_mask(&t, "cold;tail-lift", &past);
	assert_null(past);
	assert_true(m == (route_skills)1 << (SKILL_REACH_BITS + 1));
	assert_true((m & SKILLS_REACH_MASK) == 0);
	skill_table_names(&t, skill_table_mask(&t, "bulky;frozen", NULL) | 1, ", ", &sb);
	assert_string_equal(sb.buf, "bulky, frozen");
	skill_table_release(&t);

	/* more names than feature bits: the ones past them have none, and say so */
	for (k = 0; k < SKILL_FEATURE_BITS + 2; k++) {
		snprintf(name, sizeof(name), "s%03d", k);
		skill_table_add(&t, name);
	}
	skill_table_finish(&t);
	m = skill_table_mask(&t, "s000;s047", &past);
	assert_null(past);
	assert_true(m == (((route_skills)1 << SKILL_REACH_BITS) | ((route_skills)1 << 63)));
	m = skill_table_mask(&t, "s000;s048", &past);
	assert_non_null(past);
	assert_string_equal(past, "s048");
	assert_true(m == (route_skills)1 << SKILL_REACH_BITS);
	skill_table_release(&t);
	strbuf_release(&sb);
}

/*
 * Random instances with feature and reachability masks: every route only
 * serves jobs whose skills its vehicle has, and a job left out for its
 * skills really has no vehicle with all of them.
 */
static void test_planner_keeps_masks(void **state)
{
	enum { N = 40, V = 5, L = N + 1 };
	static int32_t dist[L * L], tim[L * L];
	struct route_job jobs[N];
	struct route_vehicle veh[V];
	const route_skills cold = (route_skills)1 << SKILL_REACH_BITS,
			   bulky = (route_skills)1 << (SKILL_REACH_BITS + 1),
			   rare = (route_skills)1 << 63;
	double x[L], y[L];
	uint64_t rng = 42;
	int round, i, k, a, b, checked_skill = 0;
	(void)state;
	for (round = 0; round < 6; round++) {
		/* two profiles (the same matrices): vehicle 3 drives profile 1 */
		struct route_profile pr[2] = { { dist, tim }, { dist, tim } };
		struct route_problem pb = { .n_locs = L, .dist = dist, .time = tim, .n_profiles = 2,
					    .profiles = pr, .n_jobs = N, .jobs = jobs,
					    .n_vehicles = V, .vehicles = veh };
		struct route_options opt = { .seed = (uint64_t)round, .iterations = 3000 };
		struct route_plan plan;
		struct vc_error err = VC_ERROR_INIT;
		for (i = 0; i < L; i++) {
			x[i] = (double)(vc_splitmix64(&rng) % 20000);
			y[i] = (double)(vc_splitmix64(&rng) % 20000);
		}
		for (a = 0; a < L; a++)
			for (b = 0; b < L; b++) {
				double dx = x[a] - x[b], dy = y[a] - y[b];
				dist[a * L + b] = (int32_t)sqrt(dx * dx + dy * dy);
				tim[a * L + b] = dist[a * L + b] / 8;
			}
		for (i = 0; i < N; i++) {
			uint64_t r = vc_splitmix64(&rng);
			jobs[i] = (struct route_job){ i + 1, { 1000 + (int64_t)(r % 50000), 1000 }, 0,
						      86400, 300, 0 };
			jobs[i].skills = (r >> 20) % 3 == 0 ? cold : 0;
			jobs[i].skills |= (r >> 24) % 5 == 0 ? bulky : 0;
			/* profile reachability: some points only profile 1 reaches */
			jobs[i].skills |= (r >> 28) % 4 == 0 ? skills_reach_job(0x2, 2) : 0;
			jobs[i].skills |= round == 5 && i == 7 ? rare : 0;
		}
		for (k = 0; k < V; k++) {
			veh[k] = (struct route_vehicle){ { 400000, 10000000 }, 6 * 3600, 20 * 3600,
							 ROUTE_NO_LIMIT, 0, 0, 0, 1, 0 };
			veh[k].skills = skills_reach_vehicle(0, 2);
		}
		veh[1].skills |= cold;
		veh[1].max_trips = 2; /* the cold van may come back and go out again */
		veh[1].unload = 600;
		veh[2].skills |= bulky;
		veh[3].skills = skills_reach_vehicle(1, 2) | cold | bulky;
		veh[3].profile = 1;
		assert_int_equal(route_solve(&pb, &opt, &plan, &err), 0);
		for (a = 0; a < plan.n_routes; a++) {
			const struct route_route *rt = &plan.routes[a];
			for (b = 0; b < rt->n_jobs; b++)
				assert_true((jobs[rt->jobs[b]].skills & ~veh[rt->vehicle].skills) == 0);
		}
		for (a = 0; a < plan.n_unassigned; a++) {
			int some = 0;
			if (plan.reasons[a] != ROUTE_UNASSIGNED_SKILL)
				continue;
			for (k = 0; k < V; k++)
				some |= (jobs[plan.unassigned[a]].skills & ~veh[k].skills) == 0;
			assert_false(some);
			checked_skill++;
		}
		route_plan_release(&plan);
	}
	assert_true(checked_skill >= 1); /* job 7 of the last round needs a bit nobody has */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_field_check),
		cmocka_unit_test(test_pg_array_and_names),
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_planner_keeps_masks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
