/*
 * problem_file: a route_problem written to a text file and read back, so
 * that the problem one hub's nightly run handed to route_solve can be
 * planned again without the database (`vcourier nightly --dump-problem
 * DIR`, then `vcourier route --problem FILE`): to reproduce a plan, to
 * measure a budget or a planner change on a real night.
 *
 * The format (docs/route.md "Problem files"), whitespace-separated
 * integers after a keyword on each header line:
 *
 *   vcourier-problem 1
 *   locations N
 *   profiles P timed T           P >= 1 matrices sets; T 1: time matrices follow
 *   jobs J
 *   vehicles V
 *   job LOC GRAMS CM3 OPEN CLOSE SERVICE SKILLS                     (J lines)
 *   vehicle CAP_G CAP_CM3 SHIFT_START SHIFT_END MAX_DISTANCE FIXED_COST
 *           PROFILE SKILLS MAX_TRIPS UNLOAD                          (V lines)
 *   dist K  then N rows of N integers        (K = 0..P-1)
 *   time K  then N rows of N integers        (when T is 1)
 *
 * The file holds the problem only; the seed, budget and threads are the
 * caller's (the nightly's `plan` log line has the ones it ran with).
 */
#ifndef VC_ROUTE_PROBLEM_FILE_H
#define VC_ROUTE_PROBLEM_FILE_H

#include "route/route.h"
#include "util/error.h"

/* Write pb to path (through a temporary file renamed into place, so a
 * reader never sees half a file). -1 with err (EX_CANTCREAT / EX_IOERR). */
int route_problem_save(const struct route_problem *pb, const char *path, struct vc_error *err);

/* A problem read back; pb points into the arrays below. */
struct route_problem_file {
	struct route_problem pb;
	int32_t *matrices;             /* profiles x {dist, time} x n_locs^2 */
	struct route_profile *profiles;
	struct route_job *jobs;
	struct route_vehicle *vehicles;
};

/* Read path; on malformed input err says "FILE:LINE: reason" (EX_DATAERR),
 * a missing file is EX_NOINPUT. Release with route_problem_file_release
 * (also after a failure). */
int route_problem_load(const char *path, struct route_problem_file *out, struct vc_error *err);
void route_problem_file_release(struct route_problem_file *f);

#endif
