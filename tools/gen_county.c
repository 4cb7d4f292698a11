/*
 * gen_county: writes a synthetic county (hubs.csv, points.csv,
 * couriers.csv, orders.csv) for tests, demos and benchmarks. Seeded and
 * deterministic: the same arguments give the same bytes (own PRNG; the
 * few libm calls are rounded away by the fixed decimals printed).
 *
 * The county is modelled on Cao county, Shandong (its costume and Hanfu
 * Taobao villages): one hub at the county seat, village collection points
 * within 30 km, a Zipf skew so that a few Taobao villages produce most
 * parcels, weights log-normal around 1 kg (0.2 to 30 kg, mostly light).
 *
 * usage: gen_county --out DIR [--seed N] [--points P] [--orders O]
 *        [--couriers C] [--date YYYY-MM-DD] [--vehicle-kg KG --vehicle-m3 M3]
 *        [--cold-pct N]
 *
 * --cold-pct N: N % of the orders (every order whose number falls in the
 * first N of each hundred, spread by a fixed stride, so no random draw is
 * added and the rest of the county stays byte for byte the same) are
 * fresh produce needing `cold`, and the first courier is a cold van:
 * orders.csv and couriers.csv then get a `skills` column (docs/import.md).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#define HUB_LAT 34.8256
#define HUB_LON 115.5418
#define PI 3.14159265358979323846

struct opts {
	uint64_t seed;
	long points, orders, couriers;
	const char *date, *out;
	double vehicle_kg, vehicle_m3;
	double median_kg; /* of the log-normal parcel weight; 1 by default */
	long cold_pct;    /* -1: no skills columns; else % of orders needing cold */
};

/* splitmix64: tiny, good enough, identical everywhere. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}
static double rng_unit(void) /* [0, 1) */
{
	return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}
static long rng_below(long n)
{
	return (long)(rng_unit() * (double)n);
}
static double rng_normal(void)
{
	double u = rng_unit(), v = rng_unit();
	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * PI * v);
}

/* Real villages of the county first, then names built the way they are. */
static const char *const real_villages[] = {
	"丁楼村", "张庄村", "孙庄村", "徐庄村", "代庄村", "魏湾村", "赵楼村", "刘楼村",
	"王庄寨村", "前进村", "东王庄村", "西魏庄村", "李集村", "楚庄村", "苏集村", "梁堤头村",
	"普连集村", "韩集村", "青堌集村", "朱洪庙村", "邵庄村", "侯集村", "安蔡楼村", "常乐集村",
	"闫店楼村", "古营集村", "葛庄村", "桃源集村", "仵楼村", "倪集村", "马庄村", "杨庄村",
	"周楼村", "吴庄村", "郑庄村", "冯楼村", "陈集村", "蒋庄村", "曹楼村", "许庄村",
};
static const char *const surnames[] = {
	"丁", "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡",
	"朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯",
	"于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏",
};
static const char *const village_suffix[] = {
	"庄村", "楼村", "集村", "寨村", "营村", "店村", "屯村", "湾村", "岗村", "口村", "堂村", "园村",
};
static const char *const village_prefix[] = { "", "东", "西", "南", "北", "前", "后", "大", "小" };
static const char *const given[] = {
	"秀英", "桂兰", "建国", "玉梅", "志强", "春华", "海燕", "国庆", "丽娟", "德胜",
	"红梅", "长江", "金凤", "卫东", "小燕", "凤英", "保平", "翠花", "永刚", "淑珍",
};
static const char *const trades[] = {
	"服饰", "汉服工作室", "演出服厂", "木制品", "芦笋合作社", "牛蒡", "电商服务站", "手工艺坊",
};
static const struct { int open, close; } windows[] = {
	{ 480, 660 }, { 540, 720 }, { 780, 1020 }, { 840, 1080 }, { 480, 1020 }, { 450, 630 },
};

#define NS(a) (sizeof(a) / sizeof((a)[0]))

/* The n-th built name: [prefix] surname suffix [group number]. */
static void built_name(long n, struct strbuf *sb)
{
	long combos = (long)(NS(surnames) * NS(village_suffix) * NS(village_prefix));
	strbuf_addstr(sb, village_prefix[(n / (long)(NS(surnames) * NS(village_suffix))) % (long)NS(village_prefix)]);
	strbuf_addstr(sb, surnames[n % (long)NS(surnames)]);
	strbuf_addstr(sb, village_suffix[(n / (long)NS(surnames)) % (long)NS(village_suffix)]);
	if (n >= combos)
		strbuf_addf(sb, "%ld组", n / combos + 1);
}

static int is_real_village(const char *name)
{
	size_t i;
	for (i = 0; i < NS(real_villages); i++)
		if (!strcmp(real_villages[i], name))
			return 1;
	return 0;
}

/* Village names of all points, distinct: the real ones, then built ones. */
static struct strbuf names = STRBUF_INIT;
static size_t *name_off;

static void make_names(long count)
{
	struct strbuf one = STRBUF_INIT;
	long i, n = 0;
	name_off = xmalloc(sizeof(*name_off) * (size_t)count);
	for (i = 0; i < count; i++) {
		name_off[i] = names.len;
		if (i < (long)NS(real_villages)) {
			strbuf_addstr(&names, real_villages[i]);
		} else {
			do {
				strbuf_reset(&one);
				built_name(n++, &one);
			} while (is_real_village(one.buf));
			strbuf_addstr(&names, one.buf);
		}
		strbuf_addch(&names, '\0');
	}
	strbuf_release(&one);
}

static void village_name(long i, struct strbuf *sb)
{
	strbuf_addstr(sb, names.buf + name_off[i]);
}

static void hhmm(struct strbuf *sb, int m)
{
	strbuf_addf(sb, "%02d:%02d", m / 60, m % 60);
}

static int write_file(const char *dir, const char *name, const struct strbuf *sb)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	int ok;
	strbuf_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "w");
	ok = f && fwrite(sb->buf, 1, sb->len, f) == sb->len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "gen_county: %s: %s\n", path.buf, strerror(errno));
	strbuf_release(&path);
	return ok ? 0 : -1;
}

/* Compact, exact decimal text for x rounded to `places`. */
static void decimal(struct strbuf *sb, double x, int places)
{
	strbuf_addf(sb, "%.*f", places, x);
}

static void gen_points(const struct opts *o, struct strbuf *sb, double *cum)
{
	long i, j;
	double total = 0;
	long *rank = xmalloc(sizeof(*rank) * (size_t)o->points);

	/* A seeded shuffle decides which villages are the Taobao villages. */
	for (i = 0; i < o->points; i++)
		rank[i] = i + 1;
	for (i = o->points - 1; i > 0; i--) {
		long t;
		j = rng_below(i + 1);
		t = rank[i], rank[i] = rank[j], rank[j] = t;
	}
	strbuf_addstr(sb, "code,name,hub_code,lat,lon,open,close,service_min\n");
	for (i = 0; i < o->points; i++) {
		double d = 3.0 + 27.0 * sqrt(rng_unit()), a = 2.0 * PI * rng_unit();
		double lat = HUB_LAT + d * cos(a) / 111.32;
		double lon = HUB_LON + d * sin(a) / (111.32 * cos(HUB_LAT * PI / 180.0));
		int w = (int)rng_below((long)NS(windows));
		/* Zipf, s = 1.1: rank 1 gets the most parcels. */
		total += 1.0 / pow((double)rank[i], 1.1);
		cum[i] = total;
		strbuf_addf(sb, "CX%04ld,", i + 1);
		village_name(i, sb);
		strbuf_addstr(sb, ",CAO,");
		decimal(sb, lat, 6);
		strbuf_addch(sb, ',');
		decimal(sb, lon, 6);
		strbuf_addch(sb, ',');
		hhmm(sb, windows[w].open);
		strbuf_addch(sb, ',');
		hhmm(sb, windows[w].close);
		strbuf_addf(sb, ",%ld\n", 5 + rng_below(4) * 5 + (rank[i] <= 3 ? 10 : 0));
	}
	for (i = 0; i < o->points; i++)
		cum[i] /= total;
	free(rank);
}

static void gen_couriers(const struct opts *o, struct strbuf *sb)
{
	long i;
	strbuf_addstr(sb, "code,name,hub_code,capacity_kg,capacity_m3,shift_start,shift_end,"
			  "endpoint_url,max_km,profile");
	strbuf_addstr(sb, o->cold_pct >= 0 ? ",skills\n" : "\n");
	for (i = 0; i < o->couriers; i++) {
		/* Default fleet: every third vehicle a van, the rest tricycles. */
		int van = o->vehicle_kg > 0 || i % 3 == 0;
		const char *kind = o->vehicle_kg > 0 ? "货车" : van ? "面包车" : "电动三轮";
		double kg = o->vehicle_kg > 0 ? o->vehicle_kg : van ? 1000 : 200;
		double m3 = o->vehicle_m3 > 0 ? o->vehicle_m3 : van ? 8 : 1.2;
		strbuf_addf(sb, "K%03ld,%s%s (%s),CAO,", i + 1, surnames[(i * 7) % (long)NS(surnames)],
			    given[i % (long)NS(given)], kind);
		decimal(sb, kg, 0);
		strbuf_addch(sb, ',');
		decimal(sb, m3, 1);
		strbuf_addf(sb, ",07:00,18:00,http://127.0.0.1:18080/couriers/K%03ld,%s,%s", i + 1,
			    !van && i == 1 ? "40" : "",
			    o->vehicle_kg > 0 ? "truck" : van ? "van" : "tricycle");
		if (o->cold_pct >= 0)
			strbuf_addstr(sb, i == 0 ? ",cold" : ",");
		strbuf_addch(sb, '\n');
	}
}

static void gen_orders(const struct opts *o, struct strbuf *sb, const double *cum)
{
	long i;
	char ymd[9];
	snprintf(ymd, sizeof(ymd), "%.4s%.2s%.2s", o->date, o->date + 5, o->date + 8);
	strbuf_addstr(sb, "order_ref,point_code,weight_kg,volume_m3,ready_date,seller");
	strbuf_addstr(sb, o->cold_pct >= 0 ? ",skills\n" : "\n");
	for (i = 0; i < o->orders; i++) {
		double u = rng_unit(), kg, density;
		long lo = 0, hi = o->points - 1;
		while (lo < hi) { /* first point whose cumulative share exceeds u */
			long mid = (lo + hi) / 2;
			if (cum[mid] > u)
				hi = mid;
			else
				lo = mid + 1;
		}
		/* Log-normal (median 1 kg unless told): mostly light parcels, a
		 * few heavy; the mean is 1.38 x the median. */
		kg = o->median_kg * exp(rng_normal() * 0.8);
		kg = kg < 0.2 ? 0.2 : kg > 30 ? 30 : kg;
		density = 120 + rng_unit() * 180; /* kg per m3: clothes to produce */
		strbuf_addf(sb, "O%s-%07ld,CX%04ld,", ymd, i + 1, lo + 1);
		decimal(sb, kg, 2);
		strbuf_addch(sb, ',');
		decimal(sb, fmax(kg / density, 0.001), 4);
		strbuf_addf(sb, ",%s,", o->date);
		if (rng_below(3) == 0) {
			strbuf_addstr(sb, surnames[rng_below((long)NS(surnames))]);
			strbuf_addstr(sb, given[rng_below((long)NS(given))]);
		} else {
			village_name(lo, sb);
			strbuf_addstr(sb, trades[rng_below((long)NS(trades))]);
		}
		if (o->cold_pct >= 0) /* 37 is prime to 100: the cold ones are spread out */
			strbuf_addstr(sb, (i * 37) % 100 < o->cold_pct ? ",cold" : ",");
		strbuf_addch(sb, '\n');
	}
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
	char *path = xstrdup(dir), *p;
	int rc = 0;
	for (p = path + 1; rc == 0; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			rc = -1;
		*p = c;
		if (!c)
			break;
	}
	free(path);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: gen_county --out DIR [--seed N] [--points P] [--orders O] "
			"[--couriers C] [--date YYYY-MM-DD] [--vehicle-kg KG --vehicle-m3 M3]\n"
			"       [--median-kg KG] [--cold-pct N]\n");
	return EX_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' }, { "points", required_argument, NULL, 'p' },
		{ "orders", required_argument, NULL, 'o' }, { "couriers", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' }, { "out", required_argument, NULL, 'O' },
		{ "vehicle-kg", required_argument, NULL, 'k' }, { "vehicle-m3", required_argument, NULL, 'm' },
		{ "median-kg", required_argument, NULL, 'w' }, { "cold-pct", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 1, 40, 300, 5, "2026-11-24", NULL, 0, 0, 1.0, -1 };
	struct strbuf hubs = STRBUF_INIT, points = STRBUF_INIT, couriers = STRBUF_INIT,
		      orders = STRBUF_INIT;
	double *cum;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case 's': o.seed = strtoull(optarg, NULL, 10); break;
		case 'p': o.points = atol(optarg); break;
		case 'o': o.orders = atol(optarg); break;
		case 'c': o.couriers = atol(optarg); break;
		case 'd': o.date = optarg; break;
		case 'O': o.out = optarg; break;
		case 'k': o.vehicle_kg = atof(optarg); break;
		case 'w': o.median_kg = atof(optarg); break;
		case 'm': o.vehicle_m3 = atof(optarg); break;
		case 'C': o.cold_pct = atol(optarg); break;
		default: return usage();
		}
	}
	if (!o.out || optind != argc || o.points < 1 || o.orders < 0 || o.couriers < 1 ||
	    strlen(o.date) != 10 || (o.vehicle_kg > 0) != (o.vehicle_m3 > 0) || !(o.median_kg > 0) ||
	    o.cold_pct < -1 || o.cold_pct > 100)
		return usage();
	if (make_dirs(o.out) < 0) {
		fprintf(stderr, "gen_county: %s: %s\n", o.out, strerror(errno));
		return EX_CANTCREAT;
	}
	rng_state = o.seed;
	cum = xmalloc(sizeof(*cum) * (size_t)o.points);
	strbuf_addstr(&hubs, "code,name,lat,lon\nCAO,曹县电商物流园,");
	decimal(&hubs, HUB_LAT, 4);
	strbuf_addch(&hubs, ',');
	decimal(&hubs, HUB_LON, 4);
	strbuf_addch(&hubs, '\n');
	make_names(o.points);
	gen_points(&o, &points, cum);
	gen_couriers(&o, &couriers);
	strbuf_grow(&orders, (size_t)o.orders * 64);
	gen_orders(&o, &orders, cum);
	if (write_file(o.out, "hubs.csv", &hubs) < 0 || write_file(o.out, "points.csv", &points) < 0 ||
	    write_file(o.out, "couriers.csv", &couriers) < 0 ||
	    write_file(o.out, "orders.csv", &orders) < 0)
		rc = EX_CANTCREAT;
	free(cum);
	free(name_off);
	strbuf_release(&names);
	strbuf_release(&hubs);
	strbuf_release(&points);
	strbuf_release(&couriers);
	strbuf_release(&orders);
	return rc;
}
