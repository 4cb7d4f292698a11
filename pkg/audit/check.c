/*
 * audit check: a manifest's parcels against the orders table now. The
 * manifest's own bytes say what the courier was told; the database says
 * what is true now; every difference is one line of the report.
 */
#include "audit/audit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

int audit_manifest_body(PGconn *conn, const char *manifest_id, struct strbuf *body,
			struct vc_error *err)
{
	const char *params[] = { manifest_id };
	PGresult *res = db_exec(conn, "SELECT body FROM manifests WHERE manifest_id = $1", 1,
				params, err);
	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return vc_fail(err, EX_NOINPUT, "no manifest '%s'", manifest_id);
	}
	strbuf_add(body, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return 0;
}

/* The manifest's parcels as one JSON array of {order_ref, point, weight_kg, volume_m3}. */
static char *listed_parcels(const char *body, size_t len, struct vc_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(body, len, 0, &jerr), *stop, *p, *out;
	size_t i, j;
	char *text;

	if (!doc)
		return vc_fail(err, EX_DATAERR, "stored manifest is not JSON: %s", jerr.text), NULL;
	out = json_array();
	json_array_foreach(json_object_get(doc, "stops"), i, stop) {
		json_t *point = json_object_get(json_object_get(stop, "point"), "code");
		json_array_foreach(json_object_get(stop, "parcels"), j, p)
			json_array_append_new(out, json_pack("{s:O, s:O*, s:O, s:O}",
				"order_ref", json_object_get(p, "order_ref"), "point", point,
				"weight_kg", json_object_get(p, "weight_kg"),
				"volume_m3", json_object_get(p, "volume_m3")));
	}
	text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	json_decref(doc);
	return text;
}

/*
 * One row per difference, found by SQL over the listed parcels and the
 * orders: each (ref, problem) pair is a line of the report.
 */
static const char check_sql[] =
	"WITH listed AS ("
	"  SELECT x.order_ref, x.point, x.weight_kg, x.volume_m3"
	"    FROM jsonb_to_recordset($2::jsonb)"
	"         AS x(order_ref text, point text, weight_kg numeric, volume_m3 numeric)),"
	" problems AS ("
	"  SELECT l.order_ref AS ref, CASE"
	"    WHEN o.id IS NULL THEN 'listed, but no such order'"
	"    WHEN o.status = 'cancelled' THEN 'cancelled since'"
	"    WHEN o.status = 'rejected' THEN 'rejected since: ' || coalesce(o.reason, '')"
	"    WHEN k.status IN ('missing', 'refused') THEN NULL"
	"    WHEN o.manifest_id IS DISTINCT FROM $1 THEN"
	"         'now in ' || coalesce('manifest ' || o.manifest_id, 'no manifest') || ' (' || o.status || ')'"
	"    WHEN p.code IS DISTINCT FROM l.point THEN 'now at point ' || p.code || ', not ' || l.point"
	"    WHEN round(o.weight_kg, 3) <> round(l.weight_kg, 3)"
	"      OR round(o.volume_m3, 4) <> round(l.volume_m3, 4) THEN"
	"         'now ' || o.weight_kg || ' kg ' || o.volume_m3 || ' m3, listed as '"
	"         || l.weight_kg || ' kg ' || l.volume_m3 || ' m3'"
	"    END AS problem"
	"    FROM listed l LEFT JOIN orders o ON o.order_ref = l.order_ref"
	"    LEFT JOIN points p ON p.id = o.point_id"
	"    LEFT JOIN pickups k ON k.manifest_id = $1 AND k.order_id = o.id"
	"  UNION ALL"
	"  SELECT o.order_ref, 'in this manifest but not listed in it'"
	"    FROM orders o WHERE o.manifest_id = $1"
	"     AND NOT EXISTS (SELECT 1 FROM listed l WHERE l.order_ref = o.order_ref)"
	"  UNION ALL"
	"  SELECT manifest_id, 'superseded by ' || superseded_by"
	"    FROM manifests WHERE manifest_id = $1 AND superseded_by IS NOT NULL)"
	" SELECT ref, problem FROM problems WHERE problem IS NOT NULL ORDER BY ref, problem";

int audit_manifest_check(PGconn *conn, const char *manifest_id, struct strbuf *report,
			 int *problems, struct vc_error *err)
{
	struct strbuf body = STRBUF_INIT;
	const char *params[2] = { manifest_id, NULL };
	char *listed = NULL;
	PGresult *res = NULL;
	int i, rc = -1;

	*problems = 0;
	if (audit_manifest_body(conn, manifest_id, &body, err) < 0)
		goto cleanup;
	listed = listed_parcels(body.buf, body.len, err);
	if (!listed)
		goto cleanup;
	params[1] = listed;
	res = db_exec(conn, check_sql, 2, params, err);
	if (!res)
		goto cleanup;
	for (i = 0; i < PQntuples(res); i++)
		strbuf_addf(report, "%s: %s: %s\n", manifest_id, PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1));
	*problems = PQntuples(res);
	rc = 0;
cleanup:
	PQclear(res);
	free(listed);
	strbuf_release(&body);
	return rc;
}
