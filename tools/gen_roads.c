/*
 * gen_roads: a road network for a generated county, as OpenStreetMap XML
 * (what `vcourier roads load` reads), so that the sample county plans on
 * roads that visibly differ from straight lines:
 *   - village roads (highway=unclassified) joining each village to its
 *     neighbours on its side of the river (a spanning tree plus the next
 *     nearest neighbour, bent a little), tertiary roads from the hub;
 *   - a river (waterway=river) running north-south east of the hub, with
 *     two bridges only: the county road (highway=secondary, bridge=yes)
 *     near the hub and a tertiary bridge far to the north;
 *   - every hub and village a node of the network (snap distance 0).
 * Deterministic for a seed. Usage:
 *   gen_roads --county DIR [--seed N] --out FILE.osm
 * reads DIR/hubs.csv (the first hub) and DIR/points.csv.
 */
#include "ingest/csv.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#define PI 3.14159265358979323846
#define KM_PER_DEG 111.32

struct place {
	double lat, lon, x, y; /* x, y: km east and north of the hub */
	int side;              /* 0 west of the river, 1 east */
	long node;
};

static uint64_t rng_state;
static double rng_unit(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static double hub_lat, hub_lon;
static long next_node = 1, next_way = 1;
static struct strbuf nodes = STRBUF_INIT, ways = STRBUF_INIT;

static long add_node(double x, double y)
{
	double lat = hub_lat + y / KM_PER_DEG;
	double lon = hub_lon + x / (KM_PER_DEG * cos(hub_lat * PI / 180));
	strbuf_addf(&nodes, "  <node id=\"%ld\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n",
		    next_node, lat, lon);
	return next_node++;
}

static void add_way(const long *refs, int n, const char *highway, const char *name, int bridge)
{
	int i;
	strbuf_addf(&ways, "  <way id=\"%ld\" version=\"1\">\n", next_way++);
	for (i = 0; i < n; i++)
		strbuf_addf(&ways, "    <nd ref=\"%ld\"/>\n", refs[i]);
	strbuf_addf(&ways, "    <tag k=\"%s\" v=\"%s\"/>\n", bridge < 0 ? "waterway" : "highway",
		    highway);
	if (bridge > 0)
		strbuf_addstr(&ways, "    <tag k=\"bridge\" v=\"yes\"/>\n");
	strbuf_addf(&ways, "    <tag k=\"name\" v=\"%s\"/>\n  </way>\n", name);
}

static double river_x;

/* A road between two places of one side, bent by up to 12 % of its length, never across the river. */
static void add_road(const struct place *a, const struct place *b, const char *highway,
		     const char *name)
{
	double mx = (a->x + b->x) / 2, my = (a->y + b->y) / 2;
	double dx = b->x - a->x, dy = b->y - a->y, bend = (rng_unit() - 0.5) * 0.24;
	long refs[3];
	mx += -dy * bend;
	my += dx * bend;
	if ((mx > river_x) != (a->side == 1))
		mx = (a->x + b->x) / 2;
	refs[0] = a->node;
	refs[1] = add_node(mx, my);
	refs[2] = b->node;
	add_way(refs, 3, highway, name, 0);
}

/* Approach, bridge and approach between a west and an east place at height y. */
static void add_crossing(const struct place *w, const struct place *e, double y,
			 const char *highway, const char *name)
{
	long refs[2];
	long wb = add_node(river_x - 0.12, y), eb = add_node(river_x + 0.12, y);
	refs[0] = w->node, refs[1] = wb;
	add_way(refs, 2, highway, name, 0);
	refs[0] = wb, refs[1] = eb;
	add_way(refs, 2, highway, name, 1);
	refs[0] = eb, refs[1] = e->node;
	add_way(refs, 2, highway, name, 0);
}

static double dist(const struct place *a, const struct place *b)
{
	return hypot(a->x - b->x, a->y - b->y);
}

/* Prim's tree over the places of one side, then each place to its nearest other neighbour. */
static void side_roads(struct place *pl, int n, int side)
{
	int *in = xcalloc((size_t)n, sizeof(int)), i, k, first = -1, count = 0;
	char name[64];
	for (i = 0; i < n; i++)
		if (pl[i].side == side && (first < 0 || i == 0))
			first = first < 0 ? i : first;
	if (first < 0) {
		free(in);
		return;
	}
	in[first] = 1;
	for (;;) {
		int bi = -1, bj = -1;
		double best = INFINITY;
		for (i = 0; i < n; i++)
			for (k = 0; in[i] && k < n; k++)
				if (!in[k] && pl[k].side == side && dist(&pl[i], &pl[k]) < best) {
					best = dist(&pl[i], &pl[k]);
					bi = i, bj = k;
				}
		if (bi < 0)
			break;
		in[bj] = 1;
		snprintf(name, sizeof(name), "村道 %c%03d", side ? 'E' : 'W', ++count);
		add_road(&pl[bi], &pl[bj], bi == 0 || bj == 0 ? "tertiary" : "unclassified", name);
	}
	/* A second link for villages whose nearest neighbour is not their tree parent: loops. */
	for (i = 1; i < n; i++) {
		int nb = -1;
		double best = INFINITY;
		if (pl[i].side != side || rng_unit() < 0.5)
			continue;
		for (k = 1; k < n; k++)
			if (k != i && pl[k].side == side && dist(&pl[i], &pl[k]) < best &&
			    dist(&pl[i], &pl[k]) > 0.5) {
				best = dist(&pl[i], &pl[k]);
				nb = k;
			}
		if (nb > i) {
			snprintf(name, sizeof(name), "村道 %c%03d", side ? 'E' : 'W', ++count);
			add_road(&pl[i], &pl[nb], "unclassified", name);
		}
	}
	free(in);
}

/* The place of `side` nearest to the bank point (river_x, y). */
static int nearest_to_bank(const struct place *pl, int n, int side, double y)
{
	struct place bank = { 0, 0, river_x, y, side, 0 };
	int i, best = -1;
	for (i = 0; i < n; i++)
		if (pl[i].side == side && (best < 0 || dist(&pl[i], &bank) < dist(&pl[best], &bank)))
			best = i;
	return best;
}

static int read_places(const char *dir, struct place **out, int *n)
{
	const char *files[2] = { "hubs.csv", "points.csv" };
	int cols[2][2] = { { 2, 3 }, { 3, 4 } }, f;
	for (f = 0; f < 2; f++) {
		struct csv_reader r;
		struct csv_record rec;
		char path[4096];
		int fd, got, line = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, files[f]);
		if ((fd = open(path, O_RDONLY)) < 0) {
			fprintf(stderr, "gen_roads: %s: %s\n", path, strerror(errno));
			return -1;
		}
		csv_open_fd(&r, fd);
		while ((got = csv_next(&r, &rec)) > 0) {
			if (line++ == 0 || rec.error || rec.nfields <= (size_t)cols[f][1] ||
			    (f == 0 && *n > 0))
				continue;
			*out = xrealloc(*out, sizeof(**out) * (size_t)(*n + 1));
			(*out)[*n].lat = atof(rec.fields[cols[f][0]]);
			(*out)[*n].lon = atof(rec.fields[cols[f][1]]);
			(*n)++;
		}
		csv_close(&r);
		close(fd);
		if (got < 0 || *n == 0) {
			fprintf(stderr, "gen_roads: %s: unreadable or empty\n", path);
			return -1;
		}
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "county", required_argument, NULL, 'c' }, { "seed", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' }, { NULL, 0, NULL, 0 },
	};
	const char *county = NULL, *out = NULL;
	struct place *pl = NULL;
	double *xs, miny = INFINITY, maxy = -INFINITY, minlat, maxlat, minlon, maxlon;
	int n = 0, i, c, w, e;
	long river[12];
	FILE *f;

	rng_state = 1;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case 'c': county = optarg; break;
		case 's': rng_state = strtoull(optarg, NULL, 10); break;
		case 'o': out = optarg; break;
		default: county = NULL; optind = argc + 1; break;
		}
	}
	if (!county || !out || optind != argc) {
		fprintf(stderr, "usage: gen_roads --county DIR [--seed N] --out FILE.osm\n");
		return EX_USAGE;
	}
	if (read_places(county, &pl, &n) < 0)
		return EX_NOINPUT;
	hub_lat = pl[0].lat, hub_lon = pl[0].lon;
	xs = xcalloc((size_t)n, sizeof(*xs));
	for (i = 0; i < n; i++) {
		pl[i].y = (pl[i].lat - hub_lat) * KM_PER_DEG;
		pl[i].x = (pl[i].lon - hub_lon) * KM_PER_DEG * cos(hub_lat * PI / 180);
		xs[i] = pl[i].x;
		miny = fmin(miny, pl[i].y);
		maxy = fmax(maxy, pl[i].y);
	}
	/* The river east of the hub, about a third of the villages beyond it. */
	qsort(xs, (size_t)n, sizeof(*xs), cmp_double);
	river_x = fmax(xs[(n * 2) / 3], 1.0) - 0.3;
	free(xs);
	for (i = 0; i < n; i++) {
		pl[i].side = pl[i].x > river_x;
		pl[i].node = add_node(pl[i].x, pl[i].y);
	}
	side_roads(pl, n, 0);
	side_roads(pl, n, 1);
	/* Two bridges: the county road near the hub, a tertiary one far north. */
	w = nearest_to_bank(pl, n, 0, 0), e = nearest_to_bank(pl, n, 1, 0);
	if (e >= 0) {
		add_crossing(&pl[0], &pl[e], 0, "secondary", "县道 X012");
		w = nearest_to_bank(pl, n, 0, maxy * 0.8), e = nearest_to_bank(pl, n, 1, maxy * 0.8);
		add_crossing(&pl[w], &pl[e], maxy * 0.8, "tertiary", "北桥路");
	}
	for (i = 0; i < 12; i++)
		river[i] = add_node(river_x, miny - 2 + (maxy - miny + 4) * i / 11.0);
	add_way(river, 12, "river", "东鱼河", -1);

	minlat = hub_lat + (miny - 3) / KM_PER_DEG, maxlat = hub_lat + (maxy + 3) / KM_PER_DEG;
	minlon = maxlon = hub_lon;
	for (i = 0; i < n; i++) {
		minlon = fmin(minlon, pl[i].lon);
		maxlon = fmax(maxlon, pl[i].lon);
	}
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "gen_roads: %s: %s\n", out, strerror(errno));
		return EX_CANTCREAT;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<osm version=\"0.6\" generator=\"vcourier gen_roads\">\n"
		   "  <bounds minlat=\"%.7f\" minlon=\"%.7f\" maxlat=\"%.7f\" maxlon=\"%.7f\"/>\n",
		minlat, minlon - 0.03, maxlat, maxlon + 0.03);
	fputs(nodes.buf, f);
	fputs(ways.buf, f);
	fputs("</osm>\n", f);
	if (fclose(f) != 0) {
		fprintf(stderr, "gen_roads: %s: %s\n", out, strerror(errno));
		return EX_CANTCREAT;
	}
	free(pl);
	strbuf_release(&nodes);
	strbuf_release(&ways);
	return 0;
}
