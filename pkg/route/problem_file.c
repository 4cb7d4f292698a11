/*
 * problem_file: route_problems to and from text files (format in
 * problem_file.h). Plain integers, one keyword per header line, so that a
 * dumped night can be read, diffed and cut down by hand.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route/problem_file.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define FORMAT_NAME "vcourier-problem"
#define FORMAT_VERSION 1
/* 20,000 locations are 1.6 GB per matrix: far beyond a county's 1,000 */
#define MAX_LOCATIONS 20000
#define MAX_PROFILES 64
/* every matrix together (4 GB): a header asking for more is refused, not
 * an allocation that fails */
#define MAX_MATRIX_CELLS (1LL << 30)
#define MAX_JOBS 1000000
#define MAX_VEHICLES 100000

/* One matrix as n rows of n integers. */
static void write_matrix(FILE *out, const char *what, int32_t k, const int32_t *mat, int32_t n)
{
	int32_t a, b;
	fprintf(out, "%s %d\n", what, k);
	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++)
			fprintf(out, "%d%c", mat[(int64_t)a * n + b], b + 1 < n ? ' ' : '\n');
}

int route_problem_save(const struct route_problem *pb, const char *path, struct vc_error *err)
{
	const int32_t n_prof = pb->n_profiles > 0 ? pb->n_profiles : 1;
	struct strbuf tmp;
	FILE *out;
	int32_t i, k, rc = -1;

	strbuf_init(&tmp, 0);
	strbuf_addf(&tmp, "%s.tmp", path);
	out = fopen(tmp.buf, "w");
	if (!out) {
		vc_fail(err, EX_CANTCREAT, "%s: %s", tmp.buf, strerror(errno));
		goto cleanup;
	}
	fprintf(out, "%s %d\nlocations %d\nprofiles %d timed %d\njobs %d\nvehicles %d\n", FORMAT_NAME,
		FORMAT_VERSION, pb->n_locs, n_prof, pb->time != NULL, pb->n_jobs, pb->n_vehicles);
	for (i = 0; i < pb->n_jobs; i++) {
		const struct route_job *jb = &pb->jobs[i];
		fprintf(out, "job %d %" PRId64 " %" PRId64 " %d %d %d %" PRIu64 "\n", jb->loc, jb->demand[0],
			jb->demand[1], jb->open, jb->close, jb->service, (uint64_t)jb->skills);
	}
	for (i = 0; i < pb->n_vehicles; i++) {
		const struct route_vehicle *v = &pb->vehicles[i];
		fprintf(out, "vehicle %" PRId64 " %" PRId64 " %d %d %" PRId64 " %" PRId64 " %d %" PRIu64 " %d %d\n",
			v->capacity[0], v->capacity[1], v->shift_start, v->shift_end, v->max_distance,
			v->fixed_cost, v->profile, (uint64_t)v->skills, v->max_trips, v->unload);
	}
	for (k = 0; k < n_prof; k++) {
		const int32_t *dist = pb->n_profiles > 0 ? pb->profiles[k].dist : pb->dist;
		const int32_t *time = pb->n_profiles > 0 ? pb->profiles[k].time : pb->time;
		write_matrix(out, "dist", k, dist, pb->n_locs);
		if (pb->time)
			write_matrix(out, "time", k, time, pb->n_locs);
	}
	if (ferror(out) | fclose(out)) {
		vc_fail(err, EX_IOERR, "%s: write failed: %s", tmp.buf, strerror(errno));
		remove(tmp.buf);
		goto cleanup;
	}
	if (rename(tmp.buf, path) < 0) {
		vc_fail(err, EX_CANTCREAT, "%s: %s", path, strerror(errno));
		remove(tmp.buf);
		goto cleanup;
	}
	rc = 0;
cleanup:
	strbuf_release(&tmp);
	return rc;
}

struct reader {
	FILE *in;
	const char *path;
	long line;
	struct vc_error *err;
	char tok[32];
};

static int bad(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct reader *r, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return vc_fail(r->err, EX_DATAERR, "%s:%ld: %s", r->path, r->line, why);
}

/* Skip white space; the next character, left unread (EOF at the end). */
static int peek_word(struct reader *r)
{
	long lines = 0;
	int c;
	do {
		c = getc(r->in);
		lines += c == '\n';
	} while (c != EOF && isspace(c));
	/* at the end of the file, errors name the last line with a word */
	if (c != EOF) {
		r->line += lines;
		ungetc(c, r->in);
	}
	return c;
}

/* The next whitespace-separated word into r->tok; -1 at the end of the
 * file or for a word longer than any number or keyword of the format. */
static int next_word(struct reader *r, const char *expected)
{
	size_t n = 0;
	int c = peek_word(r);
	if (c == EOF)
		return bad(r, "unexpected end of file, expected %s", expected);
	c = getc(r->in);
	while (c != EOF && !isspace(c)) {
		if (n + 1 >= sizeof(r->tok))
			return bad(r, "word too long, expected %s", expected);
		r->tok[n++] = (char)c;
		c = getc(r->in);
	}
	r->tok[n] = 0;
	/* the line ends after this word: count it when the next word is read */
	if (c == '\n')
		ungetc(c, r->in);
	return 0;
}

static int expect_word(struct reader *r, const char *word)
{
	if (next_word(r, word) < 0)
		return -1;
	if (strcmp(r->tok, word) != 0)
		return bad(r, "expected '%s', got '%s'", word, r->tok);
	return 0;
}

static int read_int(struct reader *r, const char *what, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;
	if (next_word(r, what) < 0)
		return -1;
	errno = 0;
	v = strtoll(r->tok, &end, 10);
	if (errno || end == r->tok || *end || v < min || v > max)
		return bad(r, "%s: expected an integer in [%" PRId64 ", %" PRId64 "], got '%s'", what, min, max,
			   r->tok);
	*out = v;
	return 0;
}

static int read_i32(struct reader *r, const char *what, int64_t min, int64_t max, int32_t *out)
{
	int64_t v;
	if (read_int(r, what, min, max, &v) < 0)
		return -1;
	*out = (int32_t)v;
	return 0;
}

static int read_skills(struct reader *r, route_skills *out)
{
	char *end;
	if (next_word(r, "skills") < 0)
		return -1;
	errno = 0;
	*out = (route_skills)strtoull(r->tok, &end, 10);
	if (errno || end == r->tok || *end || r->tok[0] == '-')
		return bad(r, "skills: expected an unsigned 64-bit mask, got '%s'", r->tok);
	return 0;
}

static int read_job(struct reader *r, int32_t n_locs, struct route_job *jb)
{
	if (expect_word(r, "job") < 0 || read_i32(r, "job location", 1, n_locs - 1, &jb->loc) < 0 ||
	    read_int(r, "job grams", 0, INT64_MAX, &jb->demand[0]) < 0 ||
	    read_int(r, "job cm3", 0, INT64_MAX, &jb->demand[1]) < 0 ||
	    read_i32(r, "job open", INT32_MIN, INT32_MAX, &jb->open) < 0 ||
	    read_i32(r, "job close", INT32_MIN, INT32_MAX, &jb->close) < 0 ||
	    read_i32(r, "job service", 0, INT32_MAX, &jb->service) < 0)
		return -1;
	return read_skills(r, &jb->skills);
}

static int read_vehicle(struct reader *r, int32_t n_prof, struct route_vehicle *v)
{
	if (expect_word(r, "vehicle") < 0 ||
	    read_int(r, "vehicle grams", 0, INT64_MAX, &v->capacity[0]) < 0 ||
	    read_int(r, "vehicle cm3", 0, INT64_MAX, &v->capacity[1]) < 0 ||
	    read_i32(r, "vehicle shift start", INT32_MIN, INT32_MAX, &v->shift_start) < 0 ||
	    read_i32(r, "vehicle shift end", INT32_MIN, INT32_MAX, &v->shift_end) < 0 ||
	    read_int(r, "vehicle max distance", 0, INT64_MAX, &v->max_distance) < 0 ||
	    read_int(r, "vehicle fixed cost", 0, INT64_MAX, &v->fixed_cost) < 0 ||
	    read_i32(r, "vehicle profile", 0, n_prof - 1, &v->profile) < 0 || read_skills(r, &v->skills) < 0 ||
	    read_i32(r, "vehicle max trips", 0, ROUTE_MAX_TRIPS, &v->max_trips) < 0)
		return -1;
	return read_i32(r, "vehicle unload", 0, INT32_MAX, &v->unload);
}

static int read_matrix(struct reader *r, const char *what, int32_t k, int32_t n, int32_t *mat)
{
	int32_t got;
	int64_t i;
	if (expect_word(r, what) < 0 || read_i32(r, "profile", k, k, &got) < 0)
		return -1;
	for (i = 0; i < (int64_t)n * n; i++)
		if (read_i32(r, what, 0, INT32_MAX, &mat[i]) < 0)
			return -1;
	return 0;
}

static int read_problem(struct reader *r, struct route_problem_file *f)
{
	struct route_problem *pb = &f->pb;
	int32_t n_prof, timed, i, k, version;
	size_t cells;

	if (expect_word(r, FORMAT_NAME) < 0 || read_i32(r, "version", FORMAT_VERSION, FORMAT_VERSION, &version) < 0 ||
	    expect_word(r, "locations") < 0 || read_i32(r, "locations", 1, MAX_LOCATIONS, &pb->n_locs) < 0 ||
	    expect_word(r, "profiles") < 0 || read_i32(r, "profiles", 1, MAX_PROFILES, &n_prof) < 0 ||
	    expect_word(r, "timed") < 0 || read_i32(r, "timed", 0, 1, &timed) < 0 ||
	    expect_word(r, "jobs") < 0 || read_i32(r, "jobs", 0, MAX_JOBS, &pb->n_jobs) < 0 ||
	    expect_word(r, "vehicles") < 0 || read_i32(r, "vehicles", 0, MAX_VEHICLES, &pb->n_vehicles) < 0)
		return -1;
	cells = (size_t)pb->n_locs * (size_t)pb->n_locs;
	if ((long long)cells * (timed ? 2 : 1) * n_prof > MAX_MATRIX_CELLS)
		return bad(r, "%d profiles of %d locations: matrices over %lld cells", n_prof, pb->n_locs,
			   MAX_MATRIX_CELLS);
	f->jobs = xcalloc((size_t)pb->n_jobs + 1, sizeof(*f->jobs));
	f->vehicles = xcalloc((size_t)pb->n_vehicles + 1, sizeof(*f->vehicles));
	f->profiles = xcalloc((size_t)n_prof, sizeof(*f->profiles));
	f->matrices = xmalloc(cells * (size_t)(timed ? 2 : 1) * (size_t)n_prof * sizeof(*f->matrices));
	for (i = 0; i < pb->n_jobs; i++)
		if (read_job(r, pb->n_locs, &f->jobs[i]) < 0)
			return -1;
	for (i = 0; i < pb->n_vehicles; i++)
		if (read_vehicle(r, n_prof, &f->vehicles[i]) < 0)
			return -1;
	for (k = 0; k < n_prof; k++) {
		int32_t *dist = f->matrices + cells * (size_t)(timed ? 2 * k : k);
		if (read_matrix(r, "dist", k, pb->n_locs, dist) < 0)
			return -1;
		f->profiles[k].dist = dist;
		if (timed) {
			if (read_matrix(r, "time", k, pb->n_locs, dist + cells) < 0)
				return -1;
			f->profiles[k].time = dist + cells;
		}
	}
	if (peek_word(r) != EOF)
		return bad(r, "%s", "unexpected text after the last matrix");
	pb->n_profiles = n_prof;
	pb->profiles = f->profiles;
	pb->dist = f->profiles[0].dist;
	pb->time = f->profiles[0].time;
	pb->jobs = f->jobs;
	pb->vehicles = f->vehicles;
	return 0;
}

int route_problem_load(const char *path, struct route_problem_file *out, struct vc_error *err)
{
	struct reader r = { .path = path, .line = 1, .err = err };
	int rc;
	memset(out, 0, sizeof(*out));
	r.in = fopen(path, "r");
	if (!r.in)
		return vc_fail(err, errno == ENOENT || errno == ENOTDIR ? EX_NOINPUT : EX_DATAERR, "%s: %s",
			       path, strerror(errno));
	rc = read_problem(&r, out);
	if (rc == 0 && ferror(r.in))
		rc = vc_fail(err, EX_IOERR, "%s: read failed", path);
	fclose(r.in);
	return rc;
}

void route_problem_file_release(struct route_problem_file *f)
{
	free(f->matrices);
	free(f->profiles);
	free(f->jobs);
	free(f->vehicles);
	memset(f, 0, sizeof(*f));
}
