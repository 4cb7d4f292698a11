/*
 * validate: layouts of the five import files and the row checks that need
 * no database (see validate.h). Every value that passes here is accepted
 * by the COPY into the staging table and by the casts and CHECK
 * constraints of the final tables, so a bad row can never abort the load.
 */
#include "ingest/validate.h"
#include "roads/roads.h"
#include "route/route.h"
#include "skills/skills.h"
#include "util/hhmm.h"

#include <stdlib.h>
#include <string.h>

/* a numeric macro's value as a string literal */
#define NUMBER_TEXT(n) NUMBER_TEXT_(n)
#define NUMBER_TEXT_(n) #n

/* Longest text kept in a name or seller column (bytes). */
#define MAX_TEXT 1000
#define MAX_URL 2048
/* Values longer than this are not echoed in reasons. */
#define ECHO_MAX 40

static const struct ingest_column hub_cols[] = {
	{ "code", COL_CODE }, { "name", COL_NAME }, { "lat", COL_LAT }, { "lon", COL_LON },
};
static const struct ingest_column point_cols[] = {
	{ "code", COL_CODE }, { "name", COL_NAME }, { "hub_code", COL_CODE },
	{ "lat", COL_LAT }, { "lon", COL_LON }, { "open", COL_TIME },
	{ "close", COL_TIME }, { "service_min", COL_MINUTES }, { "skills", COL_SKILLS },
};
static const struct ingest_column courier_cols[] = {
	{ "code", COL_CODE }, { "name", COL_NAME }, { "hub_code", COL_CODE },
	{ "capacity_kg", COL_CAP_KG }, { "capacity_m3", COL_CAP_M3 },
	{ "shift_start", COL_TIME }, { "shift_end", COL_TIME },
	{ "endpoint_url", COL_URL }, { "max_km", COL_KM_OPT }, { "profile", COL_PROFILE },
	{ "max_trips", COL_TRIPS_OPT }, { "skills", COL_SKILLS },
};
static const struct ingest_column pickup_cols[] = {
	{ "manifest_id", COL_MANIFEST }, { "order_ref", COL_CODE }, { "status", COL_PICKUP },
	{ "at", COL_INSTANT },
};
static const struct ingest_column order_cols[] = {
	{ "order_ref", COL_CODE }, { "point_code", COL_CODE }, { "weight_kg", COL_WEIGHT },
	{ "volume_m3", COL_VOLUME }, { "ready_date", COL_DATE }, { "seller", COL_TEXT },
	{ "skills", COL_SKILLS },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const struct ingest_layout layouts[] = {
	{ "hubs", hub_cols, N(hub_cols), N(hub_cols), -1, -1 },
	{ "points", point_cols, N(point_cols), N(point_cols) - 1, 5, 6 },
	{ "couriers", courier_cols, N(courier_cols), N(courier_cols) - 4, 5, 6 },
	{ "orders", order_cols, N(order_cols), N(order_cols) - 1, -1, -1 },
	{ "pickups", pickup_cols, N(pickup_cols), N(pickup_cols), -1, -1 },
};

const struct ingest_layout *ingest_layout(const char *kind)
{
	size_t i;
	for (i = 0; i < N(layouts); i++)
		if (!strcmp(layouts[i].kind, kind))
			return &layouts[i];
	return NULL;
}

static void header_cols(const struct ingest_layout *l, size_t n, struct strbuf *sb)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addch(sb, ',');
		strbuf_addstr(sb, l->cols[i].name);
	}
}

void ingest_header_text(const struct ingest_layout *l, struct strbuf *sb)
{
	size_t i;
	header_cols(l, l->nrequired, sb);
	for (i = l->nrequired; i < l->ncols; i++)
		strbuf_addf(sb, "[,%s]", l->cols[i].name);
}

int ingest_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	while (s < end) {
		unsigned c = *s;
		size_t n, i;
		unsigned cp;
		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if ((size_t)(end - s) <= n)
			return 0;
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return 0;
		s += n + 1;
	}
	return 1;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return 1;
	return 0;
}

static int digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int ingest_parse_time(const char *s, int *minutes)
{
	int m = vc_hhmm_parse(s, VC_HHMM_SHORT_HOUR);
	if (m < 0)
		return -1;
	*minutes = m;
	return 0;
}

int ingest_parse_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap, max;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
	    !digits(s + 8, 2))
		return -1;
	*y = num2(s) * 100 + num2(s + 2);
	*m = num2(s + 5);
	*d = num2(s + 8);
	if (*y < 1970 || *m < 1 || *m > 12 || *d < 1)
		return -1;
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	max = mdays[*m - 1] + (*m == 2 && leap);
	return *d <= max ? 0 : -1;
}

/*
 * ISO 8601 date and time with its offset, as courier systems write them:
 * YYYY-MM-DDTHH:MM[:SS[.fraction]] then Z, +HH:MM, +HHMM or +HH (or -).
 * The offset is required: a time without one means nothing in a county
 * where the courier's system and the database may run in different zones.
 */
int ingest_parse_instant(const char *s)
{
	int y, m, d, minutes;
	char date[11], hhmm[6];
	size_t n;
	if (strlen(s) < 17 || s[10] != 'T')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	memcpy(hhmm, s + 11, 5);
	hhmm[5] = '\0';
	if (ingest_parse_date(date, &y, &m, &d) < 0 || ingest_parse_time(hhmm, &minutes) < 0 ||
	    minutes >= 24 * 60)
		return -1;
	s += 16;
	if (*s == ':') {
		if (!digits(s + 1, 2) || num2(s + 1) > 59)
			return -1;
		s += 3;
		if (*s == '.') {
			n = strspn(s + 1, "0123456789");
			if (n == 0 || n > 9)
				return -1;
			s += 1 + n;
		}
	}
	if (!strcmp(s, "Z"))
		return 0;
	if (*s != '+' && *s != '-')
		return -1;
	s++;
	n = strlen(s);
	if (!digits(s, 2) || num2(s) > 14)
		return -1;
	if (n == 2)
		return 0;
	if (n == 5 && s[2] == ':')
		return digits(s + 3, 2) && num2(s + 3) <= 59 ? 0 : -1;
	if (n == 4)
		return digits(s + 2, 2) && num2(s + 2) <= 59 ? 0 : -1;
	return -1;
}

/*
 * A plain decimal: optional '-', 1..max_int digits, optionally '.' and
 * 1..max_frac digits. No exponent, no '+', no spaces, no separators, so
 * that NaN, Infinity, 1e3 and 0x10 are all refused.
 */
static int parse_decimal(const char *s, size_t max_int, size_t max_frac, double *v,
			 const char **problem)
{
	const char *p = s + (*s == '-');
	size_t i = strspn(p, "0123456789"), f = 0;
	if (i == 0 || (p[i] && p[i] != '.')) {
		*problem = "is not a plain decimal number (like 12.5)";
		return -1;
	}
	if (p[i] == '.') {
		f = strspn(p + i + 1, "0123456789");
		if (f == 0 || p[i + 1 + f]) {
			*problem = "is not a plain decimal number (like 12.5)";
			return -1;
		}
	}
	if (i > max_int) {
		*problem = "is too large";
		return -1;
	}
	if (f > max_frac) {
		*problem = max_frac == 3 ? "has more than 3 decimals" : "has more than 4 decimals";
		return -1;
	}
	*v = strtod(s, NULL);
	return 0;
}

struct num_rule {
	size_t max_int, max_frac;
	double min, max;
	int min_exclusive;
	const char *range; /* text for the range problem */
};

static int check_number(const struct num_rule *r, const char *s, const char **problem)
{
	double v;
	if (parse_decimal(s, r->max_int, r->max_frac, &v, problem) < 0)
		return -1;
	if (v < r->min || (r->min_exclusive && v == r->min) || v > r->max) {
		*problem = r->range;
		return -1;
	}
	return 0;
}

/* Digits allowed before and after the point fit the schema's columns. */
static const struct num_rule *number_rule(enum ingest_col_type type)
{
	static const struct num_rule lat = { 3, 15, -90, 90, 0, "is out of range (-90..90)" };
	static const struct num_rule lon = { 3, 15, -180, 180, 0, "is out of range (-180..180)" };
	static const struct num_rule weight = { 6, 3, 0, 999999, 1, "must be greater than 0" };
	static const struct num_rule volume = { 6, 4, 0, 999999, 0, "must not be negative" };
	static const struct num_rule cap_kg = { 9, 3, 0, 1e9, 1, "must be greater than 0" };
	static const struct num_rule cap_m3 = { 8, 4, 0, 1e8, 1, "must be greater than 0" };
	static const struct num_rule km = { 6, 3, 0, 999999, 1,
					    "must be greater than 0 (empty: no limit)" };
	switch (type) {
	case COL_LAT: return &lat;
	case COL_LON: return &lon;
	case COL_WEIGHT: return &weight;
	case COL_VOLUME: return &volume;
	case COL_CAP_KG: return &cap_kg;
	case COL_CAP_M3: return &cap_m3;
	default: return &km;
	}
}

/* A code (1 to 64 of A-Z a-z 0-9 _ . -) or, manifest != 0, a manifest id (up to
 * MANIFEST_ID_MAX, and '~', which manifest ids write for a '-' inside a code). */
static int check_code(const char *s, int manifest, const char **problem)
{
	size_t n = strlen(s), max = manifest ? 159 : 64;
	const char *set = manifest ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
				   : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
	if (n == 0) {
		*problem = "is empty";
		return -1;
	}
	if (n > max || s[strspn(s, set)]) {
		*problem = manifest ? "is not a manifest id (1 to 159 of A-Z a-z 0-9 _ . - ~)"
				    : "must be 1 to 64 of A-Z a-z 0-9 _ . -";
		return -1;
	}
	return 0;
}

static int check_url(const char *s, const char **problem)
{
	size_t scheme = !strncmp(s, "https://", 8) ? 8 : !strncmp(s, "http://", 7) ? 7 : 0;
	if (!scheme || !s[scheme] || s[scheme] == '/' || strlen(s) > MAX_URL || strpbrk(s, " \"<>\\^`{|}")) {
		*problem = "must be an http:// or https:// URL";
		return -1;
	}
	return 0;
}

static void echo_value(const char *value, struct strbuf *why)
{
	size_t n = strlen(value);
	if (n <= ECHO_MAX && ingest_utf8_valid(value, n) && !has_control(value))
		strbuf_addf(why, " \"%s\"", value);
}

int ingest_check_field(enum ingest_col_type type, const char *value, struct strbuf *why)
{
	const char *problem = NULL;
	int ignored;
	int y, m, d;

	if (!ingest_utf8_valid(value, strlen(value)))
		problem = "is not valid UTF-8";
	else if (has_control(value))
		problem = "contains a control character";
	else switch (type) {
	case COL_CODE:
		check_code(value, 0, &problem);
		break;
	case COL_MANIFEST:
		check_code(value, 1, &problem);
		break;
	case COL_PICKUP:
		if (strcmp(value, "picked") && strcmp(value, "missing") && strcmp(value, "refused"))
			problem = "must be picked, missing or refused";
		break;
	case COL_INSTANT:
		if (ingest_parse_instant(value) < 0)
			problem = "is not an ISO 8601 time with its offset (like 2026-12-01T10:30:00+08:00)";
		break;
	case COL_NAME:
		if (!*value)
			problem = "is empty";
		/* fall through */
	case COL_TEXT:
		if (strlen(value) > MAX_TEXT)
			problem = "is longer than 1000 bytes";
		break;
	case COL_TIME:
		if (ingest_parse_time(value, &ignored) < 0)
			problem = "is not a time of day HH:MM (00:00 to 24:00)";
		break;
	case COL_MINUTES:
		if (!*value || strlen(value) > 4 || !digits(value, strlen(value)) || atoi(value) > 1440)
			problem = "must be whole minutes from 0 to 1440";
		break;
	case COL_DATE:
		if (ingest_parse_date(value, &y, &m, &d) < 0)
			problem = "is not a real date YYYY-MM-DD";
		break;
	case COL_URL:
		check_url(value, &problem);
		break;
	case COL_PROFILE: /* empty: van, or unchanged for a known courier */
		if (roads_profile_parse(value) < 0) /* the one list, pkg/roads */
			problem = "is not a vehicle profile (van, truck, tricycle, motorbike)";
		break;
	case COL_SKILLS: { /* empty: none, or unchanged for a known row (import.c) */
		struct strbuf canon = STRBUF_INIT;
		skills_parse(value, &canon, &problem);
		strbuf_release(&canon);
		break;
	}
	case COL_TRIPS_OPT: /* empty: the configured default (max_trips[.PROFILE]) */
		if (*value && (strlen(value) > 2 || !digits(value, strlen(value)) || atoi(value) < 1 ||
			       atoi(value) > ROUTE_MAX_TRIPS))
			problem = "must be a whole number of trips from 1 to " NUMBER_TEXT(ROUTE_MAX_TRIPS)
				  " (empty: the configured default)";
		break;
	default: /* the numbers; an empty max_km means no limit */
		if (*value || type != COL_KM_OPT)
			check_number(number_rule(type), value, &problem);
		break;
	}
	if (!problem)
		return 0;
	strbuf_addstr(why, "value");
	echo_value(value, why);
	strbuf_addf(why, " %s", problem);
	return -1;
}

int ingest_map_header(const struct ingest_layout *l, const char *const *fields, size_t n,
		      size_t *colmap, struct strbuf *why)
{
	size_t i, j, k;
	int ok = n >= l->nrequired && n <= l->ncols;
	for (i = 0; ok && i < l->nrequired; i++) {
		ok = !strcmp(fields[i], l->cols[i].name);
		colmap[i] = i;
	}
	/* Optional columns, after the required ones, named by the header in any order, once. */
	for (i = l->nrequired; ok && i < n; i++) {
		ok = 0;
		for (j = l->nrequired; j < l->ncols && !ok; j++)
			if (!strcmp(fields[i], l->cols[j].name)) {
				ok = 1;
				colmap[i] = j;
			}
		for (k = l->nrequired; ok && k < i; k++)
			ok = colmap[k] != colmap[i];
	}
	if (ok)
		return 0;
	strbuf_addf(why, "header of a %s file must be ", l->kind);
	ingest_header_text(l, why);
	strbuf_addstr(why, ", got ");
	for (i = 0; i < n && why->len < 300; i++) {
		size_t len = strlen(fields[i]);
		if (i)
			strbuf_addch(why, ',');
		if (ingest_utf8_valid(fields[i], len) && !has_control(fields[i]))
			strbuf_add(why, fields[i], len < 60 ? len : 60);
		else
			strbuf_addstr(why, "?");
	}
	if (i < n)
		strbuf_addstr(why, ",...");
	return -1;
}

int ingest_check_header(const struct ingest_layout *l, const char *const *fields,
			size_t n, size_t *ncols, struct strbuf *why)
{
	size_t colmap[INGEST_MAX_COLS];
	if (n > INGEST_MAX_COLS || ingest_map_header(l, fields, n, colmap, why) < 0) {
		if (n > INGEST_MAX_COLS)
			strbuf_addf(why, "header of a %s file has %zu columns", l->kind, n);
		return -1;
	}
	*ncols = n;
	return 0;
}

int ingest_check_row(const struct ingest_layout *l, size_t ncols, const char *const *fields,
		     size_t n, struct strbuf *why)
{
	size_t i;
	int open = 0, close = 0;
	if (n != ncols) {
		strbuf_addf(why, "expected %zu columns, got %zu", ncols, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		size_t at = why->len;
		if (ingest_check_field(l->cols[i].type, fields[i], why) < 0) {
			/* "value ... is bad" becomes "weight_kg: value ... is bad". */
			struct strbuf col = STRBUF_INIT;
			strbuf_addf(&col, "%s: %s", l->cols[i].name, why->buf + at);
			strbuf_setlen(why, at);
			strbuf_addstr(why, col.buf);
			strbuf_release(&col);
			return -1;
		}
	}
	if (l->window_open >= 0) {
		ingest_parse_time(fields[l->window_open], &open);
		ingest_parse_time(fields[l->window_close], &close);
		if (close <= open) {
			strbuf_addf(why, "%s %s must be after %s %s", l->cols[l->window_close].name,
				    fields[l->window_close], l->cols[l->window_open].name,
				    fields[l->window_open]);
			return -1;
		}
	}
	return 0;
}
