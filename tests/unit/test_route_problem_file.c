/*
 * Unit tests of route problem files (route/problem_file.h): a problem
 * written and read back is the same problem field for field and plans the
 * same, byte for byte; malformed files fail with FILE:LINE: reason; a
 * missing file and an unwritable folder have their own codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "route/problem_file.h"
#include "route/route.h"
#include "route_plan_assert.h"

#define N_LOCS 9
#define N_JOBS 8
#define N_VEH 3

struct fixture {
	char dir[64], path[128];
	int32_t dist[2][N_LOCS * N_LOCS], time[2][N_LOCS * N_LOCS];
	struct route_profile profiles[2];
	struct route_job jobs[N_JOBS];
	struct route_vehicle vehicles[N_VEH];
	struct route_problem pb;
};

/* Two profiles (a truck's and a tricycle's roads) on a 3 x 3 grid with
 * detours, windows, skills and a multi-trip vehicle: every field of the
 * format differs from its default somewhere. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int32_t a, b, i;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vc-problem-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/hub.problem", f->dir);
	for (a = 0; a < N_LOCS; a++)
		for (b = 0; b < N_LOCS; b++) {
			int32_t d = 1000 * (abs(a % 3 - b % 3) + abs(a / 3 - b / 3)) + (a != b) * 37 * ((a + b) % 5);
			f->dist[0][a * N_LOCS + b] = d;
			f->time[0][a * N_LOCS + b] = d / 10;
			f->dist[1][a * N_LOCS + b] = d + d / 3;
			f->time[1][a * N_LOCS + b] = d / 4;
		}
	for (i = 0; i < 2; i++) {
		f->profiles[i].dist = f->dist[i];
		f->profiles[i].time = f->time[i];
	}
	for (i = 0; i < N_JOBS; i++) {
		f->jobs[i] = (struct route_job){
			.loc = 1 + i, .demand = { 40000 + 7000 * i, 90000 + 1000 * i },
			.open = 8 * 3600 + 600 * i, .close = 18 * 3600 - 60 * i, .service = 120 + 10 * i,
			.skills = i == 3 ? 2 : 0,
		};
	}
	f->vehicles[0] = (struct route_vehicle){ { 150000, 600000 }, 7 * 3600, 19 * 3600, ROUTE_NO_LIMIT, 0, 0, 2, 0, 0 };
	f->vehicles[1] = (struct route_vehicle){ { 90000, 300000 }, 8 * 3600, 18 * 3600, 40000, 5000, 1, 0, 3, 900 };
	f->vehicles[2] = (struct route_vehicle){ { 200000, 900000 }, 6 * 3600, 20 * 3600, ROUTE_NO_LIMIT, 12000, 0, 3, 1, 0 };
	f->pb = (struct route_problem){
		.n_locs = N_LOCS, .dist = f->dist[0], .time = f->time[0], .n_profiles = 2,
		.profiles = f->profiles, .n_jobs = N_JOBS, .jobs = f->jobs, .n_vehicles = N_VEH,
		.vehicles = f->vehicles,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char tmp[160];
	unlink(f->path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	unlink(tmp);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
}

/* Field by field: struct padding is not part of a problem. */
static void assert_same_fields(const struct route_problem *a, const struct route_problem *b)
{
	int32_t i;
	for (i = 0; i < a->n_jobs; i++) {
		const struct route_job *x = &a->jobs[i], *y = &b->jobs[i];
		assert_int_equal(x->loc, y->loc);
		assert_int_equal(x->demand[0], y->demand[0]);
		assert_int_equal(x->demand[1], y->demand[1]);
		assert_int_equal(x->open, y->open);
		assert_int_equal(x->close, y->close);
		assert_int_equal(x->service, y->service);
		assert_int_equal(x->skills, y->skills);
	}
	for (i = 0; i < a->n_vehicles; i++) {
		const struct route_vehicle *x = &a->vehicles[i], *y = &b->vehicles[i];
		assert_int_equal(x->capacity[0], y->capacity[0]);
		assert_int_equal(x->capacity[1], y->capacity[1]);
		assert_int_equal(x->shift_start, y->shift_start);
		assert_int_equal(x->shift_end, y->shift_end);
		assert_int_equal(x->max_distance, y->max_distance);
		assert_int_equal(x->fixed_cost, y->fixed_cost);
		assert_int_equal(x->profile, y->profile);
		assert_int_equal(x->skills, y->skills);
		assert_int_equal(x->max_trips, y->max_trips);
		assert_int_equal(x->unload, y->unload);
	}
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct vc_error err = VC_ERROR_INIT;
	struct route_problem_file back;
	struct route_options opt = { .seed = 11, .iterations = 3000 };
	struct route_plan want, got;
	int32_t k;

	assert_int_equal(route_problem_save(&f->pb, f->path, &err), 0);
	assert_int_equal(route_problem_load(f->path, &back, &err), 0);
	assert_int_equal(back.pb.n_locs, N_LOCS);
	assert_int_equal(back.pb.n_profiles, 2);
	assert_int_equal(back.pb.n_jobs, N_JOBS);
	assert_int_equal(back.pb.n_vehicles, N_VEH);
	assert_same_fields(&back.pb, &f->pb);
	for (k = 0; k < 2; k++) {
		assert_memory_equal(back.pb.profiles[k].dist, f->dist[k], sizeof(f->dist[k]));
		assert_memory_equal(back.pb.profiles[k].time, f->time[k], sizeof(f->time[k]));
	}
	assert_non_null(back.pb.time);

	/* the same problem plans the same */
	assert_int_equal(route_solve(&f->pb, &opt, &want, &err), 0);
	assert_int_equal(route_solve(&back.pb, &opt, &got, &err), 0);
	assert_true(want.n_routes > 0);
	assert_same_plan(&want, &got);
	route_plan_release(&want);
	route_plan_release(&got);
	route_problem_file_release(&back);
}

/* One profile given as pb.dist (n_profiles 0), no time at all. */
static void test_round_trip_untimed(void **state)
{
	struct fixture *f = *state;
	struct vc_error err = VC_ERROR_INIT;
	struct route_problem_file back;
	struct route_problem pb = f->pb;
	struct route_vehicle veh[N_VEH];
	struct route_options opt = { .seed = 2, .iterations = 2000 };
	struct route_plan want, got;
	int32_t i;

	memcpy(veh, f->vehicles, sizeof(veh));
	for (i = 0; i < N_VEH; i++)
		veh[i].profile = 0;
	pb.n_profiles = 0;
	pb.profiles = NULL;
	pb.time = NULL;
	pb.vehicles = veh;
	assert_int_equal(route_problem_save(&pb, f->path, &err), 0);
	assert_int_equal(route_problem_load(f->path, &back, &err), 0);
	assert_null(back.pb.time);
	assert_int_equal(back.pb.n_profiles, 1);
	assert_null(back.pb.profiles[0].time);
	assert_memory_equal(back.pb.profiles[0].dist, f->dist[0], sizeof(f->dist[0]));
	assert_int_equal(route_solve(&pb, &opt, &want, &err), 0);
	assert_int_equal(route_solve(&back.pb, &opt, &got, &err), 0);
	assert_same_plan(&want, &got);
	route_plan_release(&want);
	route_plan_release(&got);
	route_problem_file_release(&back);
}

/* A two-location file with one job and one vehicle, then `tail`. */
#define HEAD "vcourier-problem 1\nlocations 2\nprofiles 1 timed 0\njobs 1\nvehicles 1\n"
#define JOB "job 1 500 0 0 86400 60 0\n"
#define VEHICLE "vehicle 1000 0 0 86400 2147483647 0 0 0 0 0\n"
#define MATRIX "dist 0\n0 10\n10 0\n"

static void test_malformed(void **state)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{ "vcourier-problem 2\n", ":1: version: expected an integer in [1, 1], got '2'" },
		{ "vrp 1\n", ":1: expected 'vcourier-problem', got 'vrp'" },
		{ "vcourier-problem 1\nlocations 20000\nprofiles 2 timed 1\njobs 1\nvehicles 1\n",
		  ":5: 2 profiles of 20000 locations: matrices over 1073741824 cells" },
		{ HEAD "job 2 500 0 0 86400 60 0\n", ":6: job location: expected an integer in [1, 1], got '2'" },
		{ HEAD JOB "vehicle 1000 0 0 86400 2147483647 0 1 0 0 0\n",
		  ":7: vehicle profile: expected an integer in [0, 0], got '1'" },
		{ HEAD JOB VEHICLE "dist 0\n0 10\n10\n", ":10: unexpected end of file, expected dist" },
		{ HEAD JOB VEHICLE "dist 0\n0 ten\n10 0\n", ":9: dist: expected an integer in [0, 2147483647], got 'ten'" },
		{ HEAD JOB VEHICLE MATRIX "time 0\n", ":11: unexpected text after the last matrix" },
		{ HEAD "job 1 500 0 0 86400 60 -1\n", ":6: skills: expected an unsigned 64-bit mask, got '-1'" },
		{ HEAD JOB VEHICLE "dist 0\n0 100000000000000000000000000000000\n",
		  ":9: word too long, expected dist" },
	};
	struct fixture *f = *state;
	struct vc_error err = VC_ERROR_INIT;
	struct route_problem_file back;
	char want[256];
	size_t i;

	/* the minimal file itself is good */
	write_text(f->path, HEAD JOB VEHICLE MATRIX);
	assert_int_equal(route_problem_load(f->path, &back, &err), 0);
	assert_int_equal(back.pb.profiles[0].dist[1], 10);
	route_problem_file_release(&back);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_text(f->path, cases[i].text);
		vc_error_clear(&err);
		assert_int_equal(route_problem_load(f->path, &back, &err), -1);
		route_problem_file_release(&back);
		assert_int_equal(err.code, EX_DATAERR);
		snprintf(want, sizeof(want), "%s%s", f->path, cases[i].why);
		assert_string_equal(err.msg, want);
	}
}

static void test_missing_and_unwritable(void **state)
{
	struct fixture *f = *state;
	struct vc_error err = VC_ERROR_INIT;
	struct route_problem_file back;
	char path[200];

	snprintf(path, sizeof(path), "%s/none.problem", f->dir);
	assert_int_equal(route_problem_load(path, &back, &err), -1);
	route_problem_file_release(&back);
	assert_int_equal(err.code, EX_NOINPUT);

	snprintf(path, sizeof(path), "%s/no-such-folder/hub.problem", f->dir);
	vc_error_clear(&err);
	assert_int_equal(route_problem_save(&f->pb, path, &err), -1);
	assert_int_equal(err.code, EX_CANTCREAT);
	assert_int_equal(access(path, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_untimed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_unwritable, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
