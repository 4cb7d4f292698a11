/* Unit tests: manifest render, checksum, Standard Webhooks signature, verifier, sheet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "manifest/manifest.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const struct manifest_parcel stop1_parcels[] = {
	{ "ORD-1", 0.1, 0.0012, "茶叶合作社" },
	{ "ORD-2", 0.2, 0.00005, "" },
};
static const struct manifest_parcel stop2_parcels[] = {
	{ "ORD-3", 12.3456, 0.25, "竹编坊" },
};
static const struct manifest_stop stops[] = {
	{ { "P-1", "上坪村代收点", 27.5, 119.25 }, 8 * 60, 12 * 60, 9 * 60 + 5, stop1_parcels, 2, 12.3456, 0, 0, 0 },
	{ { "P-2", "下坪村", 27.6, 119.3 }, 13 * 60, 24 * 60, 13 * 60, stop2_parcels, 1, 7.5, 0, 0, 0 },
};
static const struct manifest_input input = {
	"H1-C1-2026-11-24-v1", 1, NULL, 7, "2026-11-24",
	{ "H1", "青石镇仓库", 27.4, 119.1 }, "C1", "老王",
	500, 3, stops, 2, 42.12345, 95, "road",
};
static const char key[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

static void render(struct strbuf *out)
{
	struct vc_error err = VC_ERROR_INIT;
	assert_int_equal(manifest_render(&input, out, &err), 0);
}

static int verify(const char *body, size_t len, const struct manifest_verify_opts *opt,
		  struct vc_error *err)
{
	vc_error_clear(err);
	return manifest_verify(body, len, opt, err);
}

static void assert_rejected(const char *body, size_t len, const char *reason)
{
	struct vc_error err = VC_ERROR_INIT;
	assert_int_equal(verify(body, len, NULL, &err), -1);
	assert_int_equal(err.code, 65);
	if (!strstr(err.msg, reason))
		fail_msg("reason '%s' not in '%s'", reason, err.msg);
}

static void test_render_fields_and_order(void **state)
{
	struct strbuf out = STRBUF_INIT;
	json_t *doc;
	(void)state;
	render(&out);
	assert_non_null(strstr(out.buf, "{\"manifest_id\":\"H1-C1-2026-11-24-v1\",\"version\":1,"
					"\"replaces\":null,\"run_id\":7,\"service_date\":\"2026-11-24\","
					"\"hub\":{\"code\":\"H1\",\"name\":\"青石镇仓库\""));
	assert_non_null(strstr(out.buf, "\"courier\":{\"code\":\"C1\",\"name\":\"老王\"},"
					"\"vehicle\":{\"capacity_kg\":500.0,\"capacity_m3\":3.0}"));
	assert_non_null(strstr(out.buf, "{\"seq\":1,\"point\":{\"code\":\"P-1\",\"name\":\"上坪村代收点\","
					"\"lat\":27.5,\"lon\":119.25},\"window\":[\"08:00\",\"12:00\"],"
					"\"eta\":\"09:05\",\"parcels\":[{\"order_ref\":\"ORD-1\","
					"\"weight_kg\":0.1,\"volume_m3\":0.0012,\"seller\":\"茶叶合作社\"}"));
	/* 0.00005 m3 rounds to 0.0001; 0.1 + 0.2 is exactly 0.3 */
	assert_non_null(strstr(out.buf, "\"weight_kg\":0.2,\"volume_m3\":0.0001,\"seller\":\"\"}],"
					"\"weight_kg\":0.3,\"volume_m3\":0.0013,\"leg_km\":12.346}"));
	assert_non_null(strstr(out.buf, "\"window\":[\"13:00\",\"24:00\"]"));
	assert_non_null(strstr(out.buf, "\"totals\":{\"stops\":2,\"parcels\":3,\"weight_kg\":12.646,"
					"\"volume_m3\":0.2513,\"distance_km\":42.123,\"duration_min\":95}}"));
	/* Chinese text round trip through a JSON parser */
	doc = json_loads(out.buf, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "hub"), "name")),
			    "青石镇仓库");
	json_decref(doc);
	strbuf_release(&out);
}

static void test_render_is_canonical(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct manifest_totals t;
	(void)state;
	render(&a);
	render(&b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	manifest_totals(&input, &t);
	assert_int_equal(t.stops, 2);
	assert_int_equal(t.parcels, 3);
	assert_true(t.weight_kg == 12.646);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_render_refuses_invalid_utf8(void **state)
{
	struct manifest_input bad = input;
	struct strbuf out = STRBUF_INIT;
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	bad.courier_name = "\xff\xfe";
	assert_int_equal(manifest_render(&bad, &out, &err), -1);
	assert_int_equal(err.code, 65);
	assert_int_equal(out.len, 0);
	strbuf_release(&out);
}

/* The Standard Webhooks spec's published example (checked against python3 hmac). */
static void test_sign_standard_webhooks_vector(void **state)
{
	struct strbuf sig = STRBUF_INIT;
	struct vc_error err = VC_ERROR_INIT;
	const char body[] = "{\"test\": 2432232314}";
	(void)state;
	assert_int_equal(manifest_sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body,
				       strlen(body), &sig, &err), 0);
	assert_string_equal(sig.buf, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	strbuf_reset(&sig);
	assert_int_equal(manifest_sign("whsec_c2hvcnQ=", "id", 1, body, 3, &sig, &err), -1);
	assert_int_equal(err.code, 78);
	assert_null(strstr(err.msg, "c2hvcnQ"));
	assert_int_equal(manifest_sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 1, body, 3, &sig, &err), -1);
	strbuf_release(&sig);
}

static void test_sha256(void **state)
{
	char hex[65];
	(void)state;
	manifest_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_verify_accepts_rendered_checksum_and_signature(void **state)
{
	struct strbuf out = STRBUF_INIT, sig = STRBUF_INIT;
	struct vc_error err = VC_ERROR_INIT;
	struct manifest_verify_opts opt = { .whsec_key = key, .timestamp = 1700000000 };
	char hex[65];
	(void)state;
	render(&out);
	manifest_sha256_hex(out.buf, out.len, hex);
	assert_int_equal(manifest_sign(key, input.manifest_id, 1700000000, out.buf, out.len, &sig, &err), 0);
	opt.sha256_hex = hex;
	opt.signature = sig.buf;
	if (verify(out.buf, out.len, &opt, &err) < 0)
		fail_msg("%s", err.msg);
	/* a rotated key list: the good one anywhere in it */
	{
		struct strbuf list = STRBUF_INIT;
		strbuf_addf(&list, "v1,AAAA %s", sig.buf);
		opt.signature = list.buf;
		assert_int_equal(verify(out.buf, out.len, &opt, &err), 0);
		strbuf_release(&list);
	}
	opt.signature = sig.buf;
	/* --max-age (issue 9 defect 11): the same signature, judged at other
	 * clock readings: within 300 s either way valid, beyond refused. */
	opt.max_age_s = 300;
	opt.now = 1700000000 + 300;
	assert_int_equal(verify(out.buf, out.len, &opt, &err), 0);
	opt.now = 1700000000 - 300;
	assert_int_equal(verify(out.buf, out.len, &opt, &err), 0);
	opt.now = 1700000000 + 301;
	assert_int_equal(verify(out.buf, out.len, &opt, &err), -1);
	assert_non_null(strstr(err.msg, "is 301 s behind our clock (more than --max-age 300)"));
	opt.now = 1700000000 - 3600;
	assert_int_equal(verify(out.buf, out.len, &opt, &err), -1);
	assert_non_null(strstr(err.msg, "is 3600 s ahead of our clock"));
	opt.max_age_s = 0;
	opt.now = 0;
	/* wrong checksum */
	opt.signature = sig.buf;
	opt.sha256_hex = "0000000000000000000000000000000000000000000000000000000000000000";
	assert_int_equal(verify(out.buf, out.len, &opt, &err), -1);
	assert_non_null(strstr(err.msg, "checksum mismatch"));
	/* wrong signature: other timestamp, other key */
	opt.sha256_hex = hex;
	opt.timestamp = 1700000001;
	assert_int_equal(verify(out.buf, out.len, &opt, &err), -1);
	assert_non_null(strstr(err.msg, "signature mismatch"));
	opt.timestamp = 1700000000;
	opt.whsec_key = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	assert_int_equal(verify(out.buf, out.len, &opt, &err), -1);
	assert_int_equal(err.code, 65);
	assert_non_null(strstr(err.msg, "signature mismatch"));
	strbuf_release(&sig);
	strbuf_release(&out);
}

/* Re-dump a modified copy the way render does, so only the change differs. */
static char *mutate(const char *body, void (*change)(json_t *doc))
{
	json_t *doc = json_loads(body, 0, NULL);
	char *s;
	assert_non_null(doc);
	change(doc);
	s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(doc);
	return s;
}

static json_t *stop_at(json_t *doc, size_t i)
{
	return json_array_get(json_object_get(doc, "stops"), i);
}

static void remove_parcel(json_t *doc)
{
	json_array_remove(json_object_get(stop_at(doc, 0), "parcels"), 1);
}

static void change_weight(json_t *doc)
{
	json_t *p = json_array_get(json_object_get(stop_at(doc, 1), "parcels"), 0);
	json_object_set_new(p, "weight_kg", json_real(12.347));
}

static void consistent_heavier(json_t *doc)
{
	json_t *p = json_array_get(json_object_get(stop_at(doc, 1), "parcels"), 0);
	json_object_set_new(p, "weight_kg", json_real(512.3456));
	json_object_set_new(stop_at(doc, 1), "weight_kg", json_real(512.3456));
	json_object_set_new(json_object_get(doc, "totals"), "weight_kg", json_real(512.646));
}

static void eta_outside(json_t *doc)
{
	json_object_set_new(stop_at(doc, 0), "eta", json_string("12:01"));
}

static void seq_skipped(json_t *doc)
{
	json_object_set_new(stop_at(doc, 1), "seq", json_integer(3));
}

static void stop_count(json_t *doc)
{
	json_object_set_new(json_object_get(doc, "totals"), "stops", json_integer(3));
}

static void name_not_string(json_t *doc)
{
	json_object_set_new(json_object_get(doc, "courier"), "name", json_integer(5));
}

static void no_totals(json_t *doc)
{
	json_object_del(doc, "totals");
}

static void test_verify_rejects_tampering(void **state)
{
	static const struct {
		void (*change)(json_t *);
		const char *reason;
	} cases[] = {
		{ remove_parcel, "stops[0].weight_kg: 0.300, but its parts add up to 0.100" },
		{ change_weight, "stops[1].weight_kg: 12.346, but its parts add up to 12.347" },
		{ consistent_heavier, "totals: the load exceeds the vehicle's capacity" },
		{ eta_outside, "stops[0].eta: 12:01 is outside the window" },
		{ seq_skipped, "stops[1].seq: 3, expected 2" },
		{ stop_count, "totals.stops: 3, but the manifest has 2" },
		{ name_not_string, "courier.name: not a string" },
		{ no_totals, "totals: missing" },
	};
	struct strbuf out = STRBUF_INIT;
	size_t i;
	(void)state;
	render(&out);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = mutate(out.buf, cases[i].change);
		assert_rejected(s, strlen(s), cases[i].reason);
		free(s);
	}
	strbuf_release(&out);
}

static void test_verify_rejects_hostile_bytes(void **state)
{
	struct strbuf out = STRBUF_INIT, deep = STRBUF_INIT;
	size_t i;
	(void)state;
	render(&out);
	for (i = 1; i < out.len; i += 37)
		assert_rejected(out.buf, i, "truncated");
	assert_rejected("", 0, "empty");
	assert_rejected("PK\003\004 not json", 15, "1:2: not valid JSON");
	assert_rejected("[1,2]", 5, "top level is not an object");
	assert_rejected("{\"a\":1,\"a\":2}", 13, "duplicate");
	assert_rejected("{\"a\":\"\\u0000\"}", 14, "not valid JSON");
	for (i = 0; i < 100000; i++)
		strbuf_addch(&deep, '[');
	assert_rejected(deep.buf, deep.len, "nested too deeply");
	assert_rejected(out.buf, MANIFEST_MAX_BYTES + 1, "larger than 64 MiB");
	strbuf_release(&deep);
	strbuf_release(&out);
}

static void test_sheet(void **state)
{
	struct strbuf out = STRBUF_INIT, sheet = STRBUF_INIT;
	struct vc_error err = VC_ERROR_INIT;
	const char *s1, *s2;
	(void)state;
	render(&out);
	assert_int_equal(manifest_sheet(out.buf, out.len, &sheet, &err), 0);
	s1 = strstr(sheet.buf, " 1. P-1  上坪村代收点");
	s2 = strstr(sheet.buf, " 2. P-2  下坪村");
	assert_non_null(s1);
	assert_non_null(s2);
	assert_true(s1 < s2);
	assert_non_null(strstr(sheet.buf, "window 08:00-12:00  eta 09:05  parcels 2  0.300 kg  0.0013 m3  leg 12.3 km"));
	assert_non_null(strstr(sheet.buf, "42.1 km (road)"));
	assert_non_null(strstr(sheet.buf, "ORD-3"));
	assert_non_null(strstr(sheet.buf, "竹编坊"));
	assert_non_null(strstr(sheet.buf, "3 parcels, 12.646 kg"));
	strbuf_reset(&sheet);
	assert_int_equal(manifest_sheet(out.buf, out.len - 1, &sheet, &err), -1);
	assert_int_equal(sheet.len, 0);
	strbuf_release(&sheet);
	strbuf_release(&out);
}

/* A two-trip route: 300 kg + 300 kg on a 500 kg vehicle, back to the hub
 * between them ("kind": "unload"); the verifier checks each trip's load,
 * the trip numbers and the unload stop; the sheets show the trips. */
static const struct manifest_parcel trip_parcels[] = {
	{ "ORD-A", 300, 0.5, "" },
	{ "ORD-B", 300, 0.5, "" },
};
static const struct manifest_stop trip_stops[] = {
	{ { "P-1", "上坪村", 27.5, 119.25 }, 8 * 60, 12 * 60, 9 * 60, &trip_parcels[0], 1, 10, 1, 0, 0 },
	{ { "H1", "青石镇仓库", 27.4, 119.1 }, 0, 0, 9 * 60 + 40, NULL, 0, 10, 1, 1, 9 * 60 + 50 },
	{ { "P-2", "下坪村", 27.6, 119.3 }, 8 * 60, 12 * 60, 10 * 60 + 20, &trip_parcels[1], 1, 12, 2, 0, 0 },
};

static void test_multi_trip(void **state)
{
	struct manifest_input in = input;
	struct strbuf out = STRBUF_INIT, sheet = STRBUF_INIT, html = STRBUF_INIT, bad = STRBUF_INIT;
	struct manifest_html_opts hopt;
	struct manifest_stop one_trip[2];
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	in.stops = trip_stops;
	in.n_stops = 3;
	assert_int_equal(manifest_render(&in, &out, &err), 0);
	assert_non_null(strstr(out.buf, "{\"seq\":1,\"trip\":1,\"point\":{\"code\":\"P-1\""));
	assert_non_null(strstr(out.buf, "{\"seq\":2,\"kind\":\"unload\",\"trip\":1,\"point\":{\"code\":\"H1\","
					"\"name\":\"青石镇仓库\",\"lat\":27.4,\"lon\":119.1},\"eta\":\"09:40\","
					"\"leaves\":\"09:50\",\"leg_km\":10.0}"));
	assert_non_null(strstr(out.buf, "{\"seq\":3,\"trip\":2,\"point\":{\"code\":\"P-2\""));
	/* 600 kg in all on a 500 kg vehicle: fine, each trip carries 300 */
	assert_non_null(strstr(out.buf, "\"totals\":{\"stops\":2,\"parcels\":2,\"weight_kg\":600.0,"));
	assert_non_null(strstr(out.buf, "\"duration_min\":95,\"trips\":2}"));
	assert_int_equal(verify(out.buf, out.len, NULL, &err), 0);

	/* one trip of 600 kg is over the vehicle: the unload stop removed */
	one_trip[0] = trip_stops[0];
	one_trip[1] = trip_stops[2];
	one_trip[0].trip = one_trip[1].trip = 0;
	in.stops = one_trip;
	in.n_stops = 2;
	assert_int_equal(manifest_render(&in, &bad, &err), 0);
	assert_rejected(bad.buf, bad.len, "totals: the load exceeds the vehicle's capacity");
	/* a stop claiming the wrong trip */
	strbuf_reset(&bad);
	strbuf_addstr(&bad, out.buf);
	memcpy(strstr(bad.buf, "\"seq\":3,\"trip\":2") + 15, "3", 1);
	assert_rejected(bad.buf, bad.len, "stops[2].trip: 3, but it is on trip 2");
	/* an unload stop away from the hub */
	strbuf_reset(&bad);
	strbuf_addstr(&bad, out.buf);
	memcpy(strstr(bad.buf, "\"code\":\"H1\",\"name\":\"青石镇仓库\",\"lat\":27.4,\"lon\":119.1},\"eta\"") + 8,
	       "X", 1);
	assert_rejected(bad.buf, bad.len, "an unload stop is not at the hub");

	assert_int_equal(manifest_sheet(out.buf, out.len, &sheet, &err), 0);
	assert_non_null(strstr(sheet.buf, "trips    2"));
	assert_non_null(strstr(sheet.buf, " 2. --- end of trip 1: back at the hub 09:40, unload, trip 2 leaves 09:50"));
	memset(&hopt, 0, sizeof(hopt));
	assert_int_equal(manifest_sheet_html(out.buf, out.len, &hopt, &html, &err), 0);
	assert_non_null(strstr(html.buf, "<tr class=\"trip\"><td>2</td>"));
	assert_non_null(strstr(html.buf, "end of trip 1"));
	strbuf_release(&out);
	strbuf_release(&sheet);
	strbuf_release(&html);
	strbuf_release(&bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_fields_and_order),
		cmocka_unit_test(test_render_is_canonical),
		cmocka_unit_test(test_render_refuses_invalid_utf8),
		cmocka_unit_test(test_sign_standard_webhooks_vector),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_verify_accepts_rendered_checksum_and_signature),
		cmocka_unit_test(test_verify_rejects_tampering),
		cmocka_unit_test(test_verify_rejects_hostile_bytes),
		cmocka_unit_test(test_sheet),
		cmocka_unit_test(test_multi_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
