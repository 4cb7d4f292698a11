/* Unit tests: import row checks (pkg/ingest/validate.c) and the keyset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ingest/keyset.h"
#include "ingest/validate.h"
#include "util/strbuf.h"

/* The reason a value is refused with, or "" when it is accepted. */
static const char *why_of(enum ingest_col_type type, const char *value)
{
	static struct strbuf why = STRBUF_INIT;
	strbuf_reset(&why);
	if (ingest_check_field(type, value, &why) == 0)
		assert_int_equal(why.len, 0);
	return why.buf;
}

#define REFUSES(type, v, text) assert_non_null(strstr(why_of(type, v), text))

/* Field values and the reason they are refused with (NULL: accepted). */
static const struct field_case {
	enum ingest_col_type type;
	const char *value, *refused;
} field_cases[] = {
	{ COL_WEIGHT, "12.5", NULL },
	{ COL_WEIGHT, "0.001", NULL },
	{ COL_WEIGHT, "30", NULL },
	{ COL_WEIGHT, "0", "must be greater than 0" },
	{ COL_WEIGHT, "0.000", "must be greater than 0" },
	{ COL_WEIGHT, "-1", "must be greater than 0" },
	{ COL_WEIGHT, "abc", "\"abc\" is not a plain decimal number" },
	{ COL_WEIGHT, "1e3", "not a plain decimal" },
	{ COL_WEIGHT, "NaN", "not a plain decimal" },
	{ COL_WEIGHT, "Infinity", "not a plain decimal" },
	{ COL_WEIGHT, "+1", "not a plain decimal" },
	{ COL_WEIGHT, " 1", "not a plain decimal" },
	{ COL_WEIGHT, "1.", "not a plain decimal" },
	{ COL_WEIGHT, ".5", "not a plain decimal" },
	{ COL_WEIGHT, "", "not a plain decimal" },
	{ COL_WEIGHT, "0.0001", "more than 3 decimals" },
	{ COL_WEIGHT, "1234567", "too large" },
	{ COL_VOLUME, "0", NULL },
	{ COL_VOLUME, "0.0036", NULL },
	{ COL_VOLUME, "-0.1", "must not be negative" },
	{ COL_VOLUME, "0.00001", "more than 4 decimals" },
	{ COL_CAP_KG, "0", "greater than 0" },
	{ COL_CAP_M3, "1.2", NULL },
	{ COL_KM_OPT, "", NULL },
	{ COL_KM_OPT, "40", NULL },
	{ COL_KM_OPT, "0", "greater than 0" },
	{ COL_LAT, "34.8256", NULL },
	{ COL_LAT, "-90", NULL },
	{ COL_LON, "-180.0", NULL },
	{ COL_LON, "115.541812345678", NULL },
	{ COL_LAT, "90.0001", "out of range (-90..90)" },
	{ COL_LON, "180.5", "out of range (-180..180)" },
	{ COL_LAT, "NaN", "not a plain decimal" },
	{ COL_LON, "-Infinity", "not a plain decimal" },
	{ COL_LAT, "1e400", "not a plain decimal" },
	{ COL_DATE, "2026-11-24", NULL },
	{ COL_INSTANT, "2026-12-01T09:40:00+08:00", NULL },
	{ COL_INSTANT, "2026-12-01T09:40Z", NULL },
	{ COL_INSTANT, "2026-12-01T09:40:00.123456-0530", NULL },
	{ COL_INSTANT, "2026-12-01T23:59:59+08", NULL },
	{ COL_INSTANT, "2026-12-01T09:40:00", "not an ISO 8601 time with its offset" },
	{ COL_INSTANT, "2026-12-01 09:40:00Z", "not an ISO 8601 time" },
	{ COL_INSTANT, "2026-02-30T09:40:00Z", "not an ISO 8601 time" },
	{ COL_INSTANT, "2026-12-01T24:00:00Z", "not an ISO 8601 time" },
	{ COL_INSTANT, "2026-12-01T09:60:00Z", "not an ISO 8601 time" },
	{ COL_INSTANT, "2026-12-01T09:40:61Z", "not an ISO 8601 time" },
	{ COL_INSTANT, "2026-12-01T09:40:00+8", "not an ISO 8601 time" },
	{ COL_INSTANT, "2026-12-01T09:40:00+08:0", "not an ISO 8601 time" },
	{ COL_INSTANT, "2026-12-01T09:40:00.Z", "not an ISO 8601 time" },
	{ COL_INSTANT, "", "not an ISO 8601 time" },
	{ COL_PICKUP, "picked", NULL },
	{ COL_PICKUP, "missing", NULL },
	{ COL_PICKUP, "refused", NULL },
	{ COL_PICKUP, "Picked", "must be picked, missing or refused" },
	{ COL_PICKUP, "", "must be picked, missing or refused" },
	{ COL_MANIFEST, "2026-12-01-H1-C1-v1", NULL },
	{ COL_MANIFEST, "2026-12-01-H~1-C1-v1", NULL },
	{ COL_MANIFEST, "2026-12-01 H1", "is not a manifest id" },
	{ COL_DATE, "2028-02-29", NULL },
	{ COL_DATE, "2026-02-29", "not a real date" },
	{ COL_DATE, "2026-02-30", "not a real date" },
	{ COL_DATE, "2100-02-29", "not a real date" },
	{ COL_DATE, "2026-13-01", "not a real date" },
	{ COL_DATE, "2026-1-01", "not a real date" },
	{ COL_DATE, "24/11/2026", "not a real date" },
	{ COL_TIME, "25:00", "not a time of day" },
	{ COL_TIME, "24:01", "not a time of day" },
	{ COL_TIME, "12:60", "not a time of day" },
	{ COL_TIME, "1200", "not a time of day" },
	{ COL_MINUTES, "1441", "whole minutes" },
	{ COL_MINUTES, "-5", "whole minutes" },
	{ COL_MINUTES, "15", NULL },
	{ COL_CODE, "CX0001", NULL },
	{ COL_CODE, "a_b.c-9", NULL },
	{ COL_CODE, "", "is empty" },
	{ COL_CODE, "bad code", "must be 1 to 64 of A-Z" },
	{ COL_CODE, "x';DROP TABLE orders;--", "must be 1 to 64" },
	{ COL_CODE, "丁楼", "must be 1 to 64" },
	{ COL_NAME, "丁楼村", NULL },
	{ COL_NAME, "Robert'); DROP TABLE hubs;--", NULL },
	{ COL_NAME, "", "is empty" },
	{ COL_TEXT, "", NULL },
	{ COL_TEXT, "tab\there", "control character" },
	{ COL_URL, "http://127.0.0.1:18080/couriers/K001", NULL },
	{ COL_URL, "https://api.example.cn/hook?x=1", NULL },
	{ COL_URL, "ftp://x", "http:// or https://" },
	{ COL_URL, "http://", "http:// or https://" },
	{ COL_URL, "http://a b", "http:// or https://" },
};

static void test_field_cases(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		const struct field_case *c = &field_cases[i];
		const char *why = why_of(c->type, c->value);
		if (c->refused ? !strstr(why, c->refused) : why[0] != '\0')
			fail_msg("value \"%s\": got \"%s\", expected \"%s\"", c->value, why,
				 c->refused ? c->refused : "");
	}
}

static void test_parse_date(void **state)
{
	int y, m, d;
	(void)state;
	assert_int_equal(ingest_parse_date("2000-02-29", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20000229);
}

static void test_parse_time(void **state)
{
	int min = -1;
	(void)state;
	assert_int_equal(ingest_parse_time("08:30", &min), 0);
	assert_int_equal(min, 510);
	assert_int_equal(ingest_parse_time("7:05", &min), 0);
	assert_int_equal(min, 425);
	assert_int_equal(ingest_parse_time("24:00", &min), 0);
	assert_int_equal(min, 1440);
}

static void test_long_values(void **state)
{
	char big[1100];
	(void)state;
	memset(big, 'a', 65);
	big[65] = 0;
	REFUSES(COL_CODE, big, "must be 1 to 64");
	memset(big, 'a', 1001);
	big[1001] = 0;
	REFUSES(COL_TEXT, big, "longer than 1000 bytes");
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(ingest_utf8_valid("丁楼村 𠀀 é", strlen("丁楼村 𠀀 é")));
	assert_false(ingest_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
	assert_false(ingest_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
	assert_false(ingest_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(ingest_utf8_valid("\xE4\xB8", 2));         /* truncated */
	assert_false(ingest_utf8_valid("\xFF", 1));
	/* A value that is not UTF-8 is not echoed back. */
	assert_string_equal(why_of(COL_NAME, "ab\xFF"), "value is not valid UTF-8");
}

static void test_rows_and_windows(void **state)
{
	const struct ingest_layout *points = ingest_layout("points");
	const char *good[] = { "P1", "丁楼村", "CAO", "34.9", "115.3", "08:00", "11:00", "10" };
	const char *shut[] = { "P1", "丁楼村", "CAO", "34.9", "115.3", "11:00", "08:00", "10" };
	const char *day[] = { "P1", "丁楼村", "CAO", "34.9", "115.3", "00:00", "24:00", "10" };
	struct strbuf why = STRBUF_INIT;
	(void)state;
	assert_non_null(points);
	assert_null(ingest_layout("parcels"));
	assert_int_equal(ingest_check_row(points, 8, good, 8, &why), 0);
	assert_int_equal(ingest_check_row(points, 8, day, 8, &why), 0);
	assert_int_equal(ingest_check_row(points, 8, shut, 8, &why), -1);
	assert_string_equal(why.buf, "close 08:00 must be after open 11:00");
	strbuf_reset(&why);
	assert_int_equal(ingest_check_row(points, 8, good, 7, &why), -1);
	assert_string_equal(why.buf, "expected 8 columns, got 7");
	strbuf_reset(&why);
	good[3] = "91";
	assert_int_equal(ingest_check_row(points, 8, good, 8, &why), -1);
	assert_string_equal(why.buf, "lat: value \"91\" is out of range (-90..90)");
	strbuf_release(&why);
}

static void test_headers(void **state)
{
	const struct ingest_layout *couriers = ingest_layout("couriers");
	const char *h9[] = { "code", "name", "hub_code", "capacity_kg", "capacity_m3",
			     "shift_start", "shift_end", "endpoint_url", "max_km" };
	const char *bad[] = { "code", "name", "lat" };
	struct strbuf why = STRBUF_INIT;
	size_t n = 0;
	(void)state;
	assert_int_equal(ingest_check_header(couriers, h9, 9, &n, &why), 0);
	assert_int_equal(n, 9);
	assert_int_equal(ingest_check_header(couriers, h9, 8, &n, &why), 0);
	assert_int_equal(n, 8);
	assert_int_equal(ingest_check_header(couriers, h9, 7, &n, &why), -1);
	strbuf_reset(&why);
	assert_int_equal(ingest_check_header(ingest_layout("hubs"), bad, 3, &n, &why), -1);
	assert_string_equal(why.buf, "header of a hubs file must be code,name,lat,lon, got code,name,lat");
	strbuf_release(&why);
}

/* Optional courier columns are named by the header, in any order, once each. */
static void test_header_optional_columns(void **state)
{
	const struct ingest_layout *couriers = ingest_layout("couriers");
	const char *h[] = { "code", "name", "hub_code", "capacity_kg", "capacity_m3",
			    "shift_start", "shift_end", "endpoint_url", "profile", "max_km" };
	const char *dup[] = { "code", "name", "hub_code", "capacity_kg", "capacity_m3",
			      "shift_start", "shift_end", "endpoint_url", "profile", "profile" };
	struct strbuf why = STRBUF_INIT;
	size_t map[INGEST_MAX_COLS];
	(void)state;
	assert_int_equal(ingest_map_header(couriers, h, 10, map, &why), 0);
	assert_int_equal(map[8], 9);
	assert_int_equal(map[9], 8);
	assert_int_equal(ingest_map_header(couriers, h, 9, map, &why), 0);
	assert_int_equal(map[8], 9);
	assert_int_equal(ingest_map_header(couriers, dup, 10, map, &why), -1);
	assert_non_null(strstr(why.buf, "endpoint_url[,max_km][,profile][,max_trips], got"));
	strbuf_reset(&why);
	assert_int_equal(ingest_check_field(COL_PROFILE, "tricycle", &why), 0);
	assert_int_equal(ingest_check_field(COL_PROFILE, "", &why), 0);
	assert_int_equal(ingest_check_field(COL_PROFILE, "bus", &why), -1);
	assert_string_equal(why.buf, "value \"bus\" is not a vehicle profile (van, truck, tricycle, motorbike)");
	/* max_trips: 1..32, or empty for the configured default */
	strbuf_reset(&why);
	assert_int_equal(ingest_check_field(COL_TRIPS_OPT, "3", &why), 0);
	assert_int_equal(ingest_check_field(COL_TRIPS_OPT, "", &why), 0);
	assert_int_equal(ingest_check_field(COL_TRIPS_OPT, "32", &why), 0);
	assert_int_equal(ingest_check_field(COL_TRIPS_OPT, "0", &why), -1);
	assert_int_equal(ingest_check_field(COL_TRIPS_OPT, "33", &why), -1);
	assert_int_equal(ingest_check_field(COL_TRIPS_OPT, "2.5", &why), -1);
	strbuf_reset(&why);
	assert_int_equal(ingest_check_field(COL_TRIPS_OPT, "-1", &why), -1);
	assert_string_equal(why.buf, "value \"-1\" must be a whole number of trips from 1 to 32 "
				     "(empty: the configured default)");
	strbuf_release(&why);
}

static void test_keyset_first_line(void **state)
{
	struct keyset ks;
	char key[32];
	long i;
	(void)state;
	keyset_init(&ks);
	for (i = 1; i <= 100000; i++) {
		snprintf(key, sizeof(key), "O-%ld", i);
		assert_int_equal(keyset_add(&ks, key, i + 1), 0);
	}
	assert_int_equal(keyset_add(&ks, "O-1", 999999), 2);
	assert_int_equal(keyset_add(&ks, "O-77777", 999999), 77778);
	assert_int_equal(keyset_add(&ks, "O-100001", 5), 0);
	keyset_release(&ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_cases),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_rows_and_windows),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_header_optional_columns),
		cmocka_unit_test(test_keyset_first_line),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	return rc;
}
