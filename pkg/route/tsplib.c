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

/* The most vehicles a VRPLIB file may list (X256-FSMF lists 2,295). */
#define MAX_VEHICLES 100000

enum section {
	SEC_HEADER, SEC_COORD, SEC_DEMAND, SEC_TW, SEC_SERVICE,             /* per node */
	SEC_CAPACITY, SEC_FIXED, SEC_UNIT,                                  /* per vehicle */
	SEC_DEPOT, SEC_DONE
};

/* Sections of `rows` lines "id value..." (by node or by vehicle). */
struct table {
	const char *word;
	enum section sec;
	int per_vehicle;
	int fields;            /* including the id */
	const char *usage;
};

static const struct table tables[] = {
	{ "NODE_COORD_SECTION", SEC_COORD, 0, 3, "expected: node x y" },
	{ "DEMAND_SECTION", SEC_DEMAND, 0, 2, "expected: node demand" },
	{ "TIME_WINDOW_SECTION", SEC_TW, 0, 3, "expected: node open close" },
	{ "SERVICE_TIME_SECTION", SEC_SERVICE, 0, 2, "expected: node service_time" },
	{ "CAPACITY_SECTION", SEC_CAPACITY, 1, 2, "expected: vehicle capacity" },
	{ "VEHICLES_FIXED_COST_SECTION", SEC_FIXED, 1, 2, "expected: vehicle fixed_cost" },
	{ "VEHICLES_UNIT_DISTANCE_COST_SECTION", SEC_UNIT, 1, 2, "expected: vehicle unit_distance_cost" },
};
#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

struct reader {
	const char *name;
	long line;
	struct tsplib_instance *inst;
	enum section sec;
	const struct table *tab; /* the current table section */
	int32_t rows;          /* rows read in the current section */
	uint8_t *seen[SEC_DEPOT];  /* per section: ids given so far */
	int have[SEC_DEPOT];       /* per section: present */
	int have_depot, have_type;
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

static int id_index(struct reader *r, const char *tok, int32_t max, const char *what,
		    int32_t *idx)
{
	long long id;
	if (parse_int(tok, &id) < 0 || id < 1 || id > max)
		return bad(r, what);
	*idx = (int32_t)(id - 1);
	return 0;
}

static int node_index(struct reader *r, const char *tok, int32_t *idx)
{
	return id_index(r, tok, r->inst->dimension, "node number out of range", idx);
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
	} else if (!strcmp(key, "CAPACITY")) {
		if (parse_int(val, &v) < 0 || v < 1)
			return bad(r, "CAPACITY must be a positive integer");
		r->inst->capacity = v;
	} else if (!strcmp(key, "VEHICLES")) {
		if (parse_int(val, &v) < 0 || v < 1 || v > MAX_VEHICLES)
			return bad(r, "VEHICLES must be an integer from 1 to 100000");
		if (r->inst->vehicles)
			return bad(r, "VEHICLES given twice");
		r->inst->vehicles = (int32_t)v;
	} else if (!strcmp(key, "SERVICE_TIME")) {
		if (parse_int(val, &v) < 0 || v < 0 || v > INT32_MAX / 16)
			return bad(r, "SERVICE_TIME must be a non-negative integer");
		r->inst->service = v;
	} else if (!strcmp(key, "EDGE_WEIGHT_TYPE")) {
		if (strcmp(val, "EUC_2D"))
			return bad(r, "only EDGE_WEIGHT_TYPE EUC_2D is supported");
		r->have_type = 1;
	} else if (!strcmp(key, "TYPE")) {
		if (!strcmp(val, "CVRP"))
			r->inst->type = TSPLIB_CVRP;
		else if (!strcmp(val, "VRPTW"))
			r->inst->type = TSPLIB_VRPTW;
		else if (!strcmp(val, "HFVRP"))
			r->inst->type = TSPLIB_HFVRP;
		else
			return bad(r, "only TYPE CVRP, VRPTW or HFVRP is supported");
	} else if (strcmp(key, "COMMENT")) {
		return bad(r, "unknown keyword");
	}
	return 0;
}

/* The array a table section fills (allocated on first use). */
static int64_t **table_column(struct tsplib_instance *in, enum section sec, int col)
{
	switch (sec) {
	case SEC_DEMAND:
		return &in->demand;
	case SEC_TW:
		return col == 1 ? &in->tw_open : &in->tw_close;
	case SEC_SERVICE:
		return &in->service_of;
	case SEC_CAPACITY:
		return &in->veh_capacity;
	case SEC_FIXED:
		return &in->veh_fixed;
	case SEC_UNIT:
		return &in->veh_unit;
	default:
		return NULL;
	}
}

static int32_t table_rows(const struct reader *r)
{
	return r->tab->per_vehicle ? r->inst->vehicles : r->inst->dimension;
}

static int start_section(struct reader *r, const char *word)
{
	size_t t;
	int col;
	if (!r->inst->dimension)
		return bad(r, "section before DIMENSION");
	r->rows = 0;
	if (!strcmp(word, "DEPOT_SECTION")) {
		r->sec = SEC_DEPOT;
		return 0;
	}
	for (t = 0; t < N_TABLES && strcmp(word, tables[t].word); t++)
		;
	if (t == N_TABLES)
		return bad(r, "unknown section");
	r->tab = &tables[t];
	r->sec = r->tab->sec;
	if (r->tab->per_vehicle && !r->inst->vehicles)
		return bad(r, "section per vehicle before VEHICLES");
	if (r->have[r->sec]++)
		return bad(r, "section given twice");
	r->seen[r->sec] = xcalloc((size_t)table_rows(r), 1);
	for (col = 1; col < r->tab->fields; col++) {
		int64_t **a = table_column(r->inst, r->sec, col);
		if (a && !*a)
			*a = xcalloc((size_t)table_rows(r), sizeof(int64_t));
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

/* A row of a section other than the coordinates and the depot: integers. */
static int value_row(struct reader *r, int n, char **tok)
{
	int32_t idx = 0, col;
	long long v;
	if (n != r->tab->fields)
		return bad(r, r->tab->usage);
	if (r->tab->per_vehicle) {
		if (id_index(r, tok[0], r->inst->vehicles, "vehicle number out of range", &idx) < 0)
			return -1;
		if (r->seen[r->sec][idx]++)
			return bad(r, "vehicle given twice");
	} else if (row_node(r, n, n, "", r->seen[r->sec], tok[0], &idx) < 0) {
		return -1;
	}
	for (col = 1; col < n; col++) {
		if (parse_int(tok[col], &v) < 0 || v < 0 || v > INT32_MAX / 16)
			return bad(r, r->sec == SEC_DEMAND ? "demand must be a non-negative integer"
							   : "value must be a non-negative integer");
		(*table_column(r->inst, r->sec, col))[idx] = v;
	}
	if (r->sec == SEC_TW && r->inst->tw_open[idx] > r->inst->tw_close[idx])
		return bad(r, "time window closes before it opens");
	return 0;
}

static int section_line(struct reader *r, char *line)
{
	char *tok[4];
	int n = tokens(line, tok, 3);
	int32_t idx = 0;

	if (r->sec == SEC_DEPOT)
		return depot_line(r, n, tok);
	if (r->sec == SEC_COORD) {
		if (row_node(r, n, 3, r->tab->usage, r->seen[SEC_COORD], tok[0], &idx) < 0)
			return -1;
		if (parse_real(tok[1], &r->inst->x[idx]) < 0)
			return bad(r, "bad x coordinate");
		if (parse_real(tok[2], &r->inst->y[idx]) < 0)
			return bad(r, "bad y coordinate");
	} else if (value_row(r, n, tok) < 0) {
		return -1;
	}
	if (++r->rows == table_rows(r))
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
	if (r->sec != SEC_HEADER && r->sec != SEC_DEPOT)
		return bad(r, r->tab->per_vehicle ? "section ends early (fewer rows than VEHICLES)"
						  : "section ends early (fewer rows than DIMENSION)");
	if (r->sec == SEC_DEPOT)
		return bad(r, "DEPOT_SECTION not ended by -1");
	if (!r->inst->dimension)
		return bad(r, "no DIMENSION");
	if (!r->inst->capacity && !r->have[SEC_CAPACITY])
		return bad(r, "no CAPACITY");
	if (!r->have_type)
		return bad(r, "no EDGE_WEIGHT_TYPE");
	if (!r->have[SEC_COORD])
		return bad(r, "no NODE_COORD_SECTION");
	if (!r->have[SEC_DEMAND])
		return bad(r, "no DEMAND_SECTION");
	if (r->inst->type == TSPLIB_VRPTW && !r->have[SEC_TW])
		return bad(r, "TYPE VRPTW without TIME_WINDOW_SECTION");
	if (!r->have_depot)
		r->inst->depot = 0;
	return 0;
}

int tsplib_parse(FILE *in, const char *name, struct tsplib_instance *out, struct vc_error *err)
{
	struct reader r;
	char *buf = NULL;
	size_t cap = 0;
	int rc = 0, i;

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
		if (r.sec == SEC_DEPOT && r.have_depot && !strcmp(line, "EOF"))
			r.sec = SEC_DONE; /* VRPLIB files end the depot list with EOF, not -1 */
		else if (r.sec != SEC_HEADER)
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
	for (i = 0; i < SEC_DEPOT; i++)
		free(r.seen[i]);
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
	free(inst->tw_open);
	free(inst->tw_close);
	free(inst->service_of);
	free(inst->veh_capacity);
	free(inst->veh_fixed);
	free(inst->veh_unit);
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

void tsplib_problem_set_trips(struct tsplib_problem *tp, int32_t max_trips)
{
	int32_t v;
	for (v = 0; v < tp->pb.n_vehicles; v++)
		tp->vehicles[v].max_trips = max_trips;
}

void tsplib_problem_release(struct tsplib_problem *tp)
{
	int32_t p;
	for (p = 0; p < tp->n_profiles; p++)
		free(tp->pdist[p]);
	free(tp->pdist);
	free(tp->profiles);
	free(tp->profile_vehicle);
	free(tp->time);
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
