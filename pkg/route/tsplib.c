/*
 * tsplib: reads the CVRP subset of TSPLIB (see tsplib.h), line by line,
 * with FILE:LINE messages, and builds the EUC_2D distance matrix
 * d = floor(sqrt(dx^2 + dy^2) + 0.5) as CVRPLIB defines it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "route/tsplib.h"
#include "util/xalloc.h"

/* The distance matrix is DIMENSION^2 int32: 20,000 nodes take 1.6 GB. */
#define MAX_DIMENSION 20000

enum section { SEC_HEADER, SEC_COORD, SEC_DEMAND, SEC_DEPOT, SEC_DONE };

struct reader {
	const char *name;
	long line;
	struct tsplib_instance *inst;
	enum section sec;
	int32_t rows;          /* rows read in the current section */
	uint8_t *seen_coord, *seen_demand;
	int have_coords, have_demands, have_depot, have_type;
	struct vc_error *err;
};

static int bad(struct reader *r, const char *reason)
{
	return vc_fail(r->err, EX_DATAERR, "%s:%ld: %s", r->name, r->line, reason);
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int parse_int(const char *s, long long *out)
{
	char *end;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || end == s || *trim(end) ? -1 : 0;
}

/* Split "a b c" into at most max tokens; returns the count. */
static int tokens(char *s, char **tok, int max)
{
	int n = 0;
	char *save = NULL, *t;
	for (t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return max + 1;
		tok[n++] = t;
	}
	return n;
}

static int node_index(struct reader *r, const char *tok, int32_t *idx)
{
	long long id;
	if (parse_int(tok, &id) < 0 || id < 1 || id > r->inst->dimension)
		return bad(r, "node number out of range");
	*idx = (int32_t)(id - 1);
	return 0;
}

static int header_line(struct reader *r, char *line)
{
	char *colon = strchr(line, ':'), *key, *val;
	long long v;
	if (!colon)
		return bad(r, "expected KEY : VALUE or a section name");
	*colon = '\0';
	key = trim(line);
	val = trim(colon + 1);
	if (!strcmp(key, "NAME")) {
		snprintf(r->inst->name, sizeof(r->inst->name), "%s", val);
	} else if (!strcmp(key, "DIMENSION")) {
		if (parse_int(val, &v) < 0 || v < 2 || v > MAX_DIMENSION)
			return bad(r, "DIMENSION must be an integer from 2 to 20000");
		if (r->inst->dimension)
			return bad(r, "DIMENSION given twice");
		r->inst->dimension = (int32_t)v;
		r->inst->x = xcalloc((size_t)v, sizeof(double));
		r->inst->y = xcalloc((size_t)v, sizeof(double));
		r->inst->demand = xcalloc((size_t)v, sizeof(int64_t));
		r->seen_coord = xcalloc((size_t)v, 1);
		r->seen_demand = xcalloc((size_t)v, 1);
	} else if (!strcmp(key, "CAPACITY")) {
		if (parse_int(val, &v) < 0 || v < 1)
			return bad(r, "CAPACITY must be a positive integer");
		r->inst->capacity = v;
	} else if (!strcmp(key, "EDGE_WEIGHT_TYPE")) {
		if (strcmp(val, "EUC_2D"))
			return bad(r, "only EDGE_WEIGHT_TYPE EUC_2D is supported");
		r->have_type = 1;
	} else if (!strcmp(key, "TYPE")) {
		if (strcmp(val, "CVRP"))
			return bad(r, "only TYPE CVRP is supported");
	} else if (strcmp(key, "COMMENT")) {
		return bad(r, "unknown keyword");
	}
	return 0;
}

static int start_section(struct reader *r, const char *word)
{
	if (!r->inst->dimension)
		return bad(r, "section before DIMENSION");
	r->rows = 0;
	if (!strcmp(word, "NODE_COORD_SECTION")) {
		r->sec = SEC_COORD;
		r->have_coords = 1;
	} else if (!strcmp(word, "DEMAND_SECTION")) {
		r->sec = SEC_DEMAND;
		r->have_demands = 1;
	} else if (!strcmp(word, "DEPOT_SECTION")) {
		r->sec = SEC_DEPOT;
	} else {
		return bad(r, "unknown section");
	}
	return 0;
}

/* The node a section row is about: the right number of fields, a node in
 * range, and not seen before in this section. */
static int row_node(struct reader *r, int n, int want, const char *usage, uint8_t *seen,
		    char *first, int32_t *idx)
{
	if (n != want)
		return bad(r, usage);
	if (node_index(r, first, idx) < 0)
		return -1;
	if (seen[*idx]++)
		return bad(r, "node given twice");
	return 0;
}

static int parse_real(const char *s, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || !isfinite(*out) ? -1 : 0;
}

static int depot_line(struct reader *r, int n, char **tok)
{
	long long v;
	int32_t idx = 0;
	if (n != 1 || parse_int(tok[0], &v) < 0)
		return bad(r, "expected one depot node number or -1");
	if (v == -1) {
		if (!r->have_depot)
			return bad(r, "DEPOT_SECTION names no depot");
		r->sec = SEC_HEADER;
		return 0;
	}
	if (r->have_depot)
		return bad(r, "more than one depot is not supported");
	if (node_index(r, tok[0], &idx) < 0)
		return -1;
	r->inst->depot = idx;
	r->have_depot = 1;
	return 0;
}

static int section_line(struct reader *r, char *line)
{
	char *tok[4];
	int n = tokens(line, tok, 3);
	int32_t idx = 0;
	long long v;

	if (r->sec == SEC_DEPOT)
		return depot_line(r, n, tok);
	if (r->sec == SEC_COORD) {
		if (row_node(r, n, 3, "expected: node x y", r->seen_coord, tok[0], &idx) < 0)
			return -1;
		if (parse_real(tok[1], &r->inst->x[idx]) < 0)
			return bad(r, "bad x coordinate");
		if (parse_real(tok[2], &r->inst->y[idx]) < 0)
			return bad(r, "bad y coordinate");
	} else {
		if (row_node(r, n, 2, "expected: node demand", r->seen_demand, tok[0], &idx) < 0)
			return -1;
		if (parse_int(tok[1], &v) < 0 || v < 0 || v > INT32_MAX)
			return bad(r, "demand must be a non-negative integer");
		r->inst->demand[idx] = v;
	}
	if (++r->rows == r->inst->dimension)
		r->sec = SEC_HEADER;
	return 0;
}

static int is_section_word(const char *s)
{
	size_t n = strlen(s);
	return n > 8 && !strcmp(s + n - 8, "_SECTION");
}

static int finish(struct reader *r)
{
	if (r->sec == SEC_COORD || r->sec == SEC_DEMAND)
		return bad(r, "section ends early (fewer rows than DIMENSION)");
	if (r->sec == SEC_DEPOT)
		return bad(r, "DEPOT_SECTION not ended by -1");
	if (!r->inst->dimension)
		return bad(r, "no DIMENSION");
	if (!r->inst->capacity)
		return bad(r, "no CAPACITY");
	if (!r->have_type)
		return bad(r, "no EDGE_WEIGHT_TYPE");
	if (!r->have_coords)
		return bad(r, "no NODE_COORD_SECTION");
	if (!r->have_demands)
		return bad(r, "no DEMAND_SECTION");
	if (!r->have_depot)
		r->inst->depot = 0;
	return 0;
}

int tsplib_parse(FILE *in, const char *name, struct tsplib_instance *out, struct vc_error *err)
{
	struct reader r;
	char *buf = NULL;
	size_t cap = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.name = name;
	r.inst = out;
	r.err = err;
	while (rc == 0 && r.sec != SEC_DONE && getline(&buf, &cap, in) >= 0) {
		char *line = trim(buf);
		r.line++;
		if (!*line)
			continue;
		if (r.sec != SEC_HEADER)
			rc = section_line(&r, line);
		else if (!strcmp(line, "EOF"))
			r.sec = SEC_DONE;
		else if (is_section_word(line) || (strchr(line, ':') == NULL && strstr(line, "_SECTION")))
			rc = start_section(&r, trim(line));
		else
			rc = header_line(&r, line);
	}
	if (rc == 0) {
		if (r.sec == SEC_DONE)
			r.sec = SEC_HEADER;
		rc = finish(&r);
	}
	free(buf);
	free(r.seen_coord);
	free(r.seen_demand);
	if (rc < 0)
		tsplib_release(out);
	return rc;
}

int tsplib_read(const char *path, struct tsplib_instance *out, struct vc_error *err)
{
	FILE *f = fopen(path, "r");
	int rc;
	if (!f)
		return vc_fail(err, errno == ENOENT || errno == ENOTDIR ? EX_NOINPUT : EX_DATAERR,
			       "%s: %s", path, strerror(errno));
	rc = tsplib_parse(f, path, out, err);
	fclose(f);
	return rc;
}

void tsplib_release(struct tsplib_instance *inst)
{
	free(inst->x);
	free(inst->y);
	free(inst->demand);
	memset(inst, 0, sizeof(*inst));
}

static int32_t euc_2d(const struct tsplib_instance *inst, int32_t a, int32_t b)
{
	double dx = inst->x[a] - inst->x[b], dy = inst->y[a] - inst->y[b];
	return (int32_t)floor(sqrt(dx * dx + dy * dy) + 0.5);
}

void tsplib_problem_init(struct tsplib_problem *tp, const struct tsplib_instance *inst,
			 int32_t vehicles)
{
	int32_t n = inst->dimension, i, j, loc = 1;
	memset(tp, 0, sizeof(*tp));
	tp->node_of_loc = xcalloc((size_t)n, sizeof(*tp->node_of_loc));
	tp->node_of_loc[0] = inst->depot;
	for (i = 0; i < n; i++)
		if (i != inst->depot)
			tp->node_of_loc[loc++] = i;
	tp->dist = xcalloc((size_t)n * (size_t)n, sizeof(*tp->dist));
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			tp->dist[(int64_t)i * n + j] = euc_2d(inst, tp->node_of_loc[i], tp->node_of_loc[j]);
	tp->jobs = xcalloc((size_t)n, sizeof(*tp->jobs));
	for (i = 1; i < n; i++) {
		struct route_job *jb = &tp->jobs[i - 1];
		jb->loc = i;
		jb->demand[0] = inst->demand[tp->node_of_loc[i]];
		jb->close = ROUTE_NO_LIMIT;
	}
	if (vehicles <= 0)
		vehicles = n - 1;
	tp->vehicles = xcalloc((size_t)vehicles, sizeof(*tp->vehicles));
	for (i = 0; i < vehicles; i++) {
		tp->vehicles[i].capacity[0] = inst->capacity;
		tp->vehicles[i].shift_end = ROUTE_NO_LIMIT;
		tp->vehicles[i].max_distance = ROUTE_NO_LIMIT;
	}
	tp->pb.n_locs = n;
	tp->pb.dist = tp->dist;
	tp->pb.n_jobs = n - 1;
	tp->pb.jobs = tp->jobs;
	tp->pb.n_vehicles = vehicles;
	tp->pb.vehicles = tp->vehicles;
}

void tsplib_problem_release(struct tsplib_problem *tp)
{
	free(tp->dist);
	free(tp->jobs);
	free(tp->vehicles);
	free(tp->node_of_loc);
	memset(tp, 0, sizeof(*tp));
}

int32_t tsplib_name_fleet(const char *name)
{
	const char *k = strstr(name, "-k");
	long v;
	char *end;
	if (!k)
		return 0;
	v = strtol(k + 2, &end, 10);
	return end > k + 2 && v > 0 && v < INT32_MAX ? (int32_t)v : 0;
}
