/*
 * validate: what an import row must look like, checked in C while the file
 * streams (no database needed): the four table layouts of SPEC section 3
 * and the pickup confirmations of section 11,
 * field syntax (codes, plain decimals, dates, HH:MM times, URLs), ranges,
 * UTF-8, and the rules between fields (a window closes after it opens).
 * Checks that need the database (does the hub exist?) live in import.c.
 */
#ifndef VC_INGEST_VALIDATE_H
#define VC_INGEST_VALIDATE_H

#include <stddef.h>

#include "util/strbuf.h"

enum ingest_col_type {
	COL_CODE,     /* ^[A-Za-z0-9_.-]{1,64}$ */
	COL_NAME,     /* non-empty text */
	COL_TEXT,     /* text, may be empty */
	COL_LAT,
	COL_LON,
	COL_TIME,     /* HH:MM, 00:00..24:00 */
	COL_MINUTES,  /* whole minutes 0..1440 */
	COL_WEIGHT,   /* kg > 0, 3 decimals */
	COL_VOLUME,   /* m3 >= 0, 4 decimals */
	COL_CAP_KG,   /* kg > 0 */
	COL_CAP_M3,   /* m3 > 0 */
	COL_DATE,     /* YYYY-MM-DD, a real calendar day */
	COL_URL,      /* http:// or https:// */
	COL_KM_OPT,   /* km > 0, or empty (no limit) */
	COL_PROFILE,  /* van, truck, tricycle, motorbike, or empty */
	COL_SKILLS,   /* skill names separated by ';', or empty (pkg/skills) */
	COL_TRIPS_OPT, /* trips a day 1..ROUTE_MAX_TRIPS (route.h), or empty (the configured default) */
	COL_MANIFEST, /* a manifest id: ^[A-Za-z0-9_.~-]{1,159}$ (manifest/id.c) */
	COL_PICKUP,   /* picked | missing | refused */
	COL_INSTANT   /* ISO 8601 date and time with its UTC offset */
};

struct ingest_column {
	const char *name;
	enum ingest_col_type type;
};

struct ingest_layout {
	const char *kind;        /* "hubs", "points", "couriers", "orders", "pickups" */
	const struct ingest_column *cols;
	size_t ncols;            /* all columns */
	size_t nrequired;        /* columns the header must have first, in order (couriers: 8) */
	int window_open, window_close; /* column indexes that must increase, or -1 */
};

/* The layout of one import kind, or NULL for an unknown kind. */
const struct ingest_layout *ingest_layout(const char *kind);

/* The expected header as text, e.g. "code,name,lat,lon" (appended to sb). */
void ingest_header_text(const struct ingest_layout *l, struct strbuf *sb);

/* The most columns any layout has. */
#define INGEST_MAX_COLS 16

/*
 * Check a header row: the required columns in order, then any of the
 * optional ones (couriers: max_km, profile, skills; points and orders:
 * skills) named in any order. On
 * success colmap[i] is the layout column of file column i.
 */
int ingest_map_header(const struct ingest_layout *l, const char *const *fields, size_t n,
		      size_t *colmap, struct strbuf *why);

/*
 * Check a header row. On success *ncols is the number of columns the file
 * uses (couriers: 8, or 9 with max_km). On failure the reason is in `why`.
 */
int ingest_check_header(const struct ingest_layout *l, const char *const *fields,
			size_t n, size_t *ncols, struct strbuf *why);

/* Check one data row of ncols columns; on failure the reason is in `why`. */
int ingest_check_row(const struct ingest_layout *l, size_t ncols, const char *const *fields,
		     size_t n, struct strbuf *why);

/* Field checks, exposed for unit tests. Each returns 0 or -1 with `why`. */
int ingest_check_field(enum ingest_col_type type, const char *value, struct strbuf *why);
int ingest_parse_time(const char *s, int *minutes);
int ingest_parse_date(const char *s, int *y, int *m, int *d);
int ingest_parse_instant(const char *s);
int ingest_utf8_valid(const char *s, size_t len);

#endif
