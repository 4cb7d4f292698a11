/*
 * audit pickups: the couriers' confirmations of one manifest, as stored by
 * `vcourier import pickups` (docs/pickups.md). `manifest check` prints
 * them; the HTML sheet and run report show them through the same call.
 */
#include "audit/audit.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/xalloc.h"

int audit_manifest_pickups(PGconn *conn, const char *manifest_id, struct audit_pickup **out,
			   size_t *n, struct vc_error *err)
{
	const char *params[1] = { manifest_id };
	PGresult *res;
	size_t i;

	*out = NULL;
	*n = 0;
	/* `at` in ISO 8601 with its offset, in the session's time zone. */
	res = db_exec(conn,
		      "SELECT o.order_ref, k.status,"
		      " to_char(k.at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), k.source"
		      " FROM pickups k JOIN orders o ON o.id = k.order_id"
		      " WHERE k.manifest_id = $1 ORDER BY o.order_ref COLLATE \"C\"", 1, params, err);
	if (!res)
		return -1;
	*n = (size_t)PQntuples(res);
	*out = xcalloc(*n ? *n : 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		(*out)[i].order_ref = xstrdup(PQgetvalue(res, (int)i, 0));
		(*out)[i].status = xstrdup(PQgetvalue(res, (int)i, 1));
		(*out)[i].at = xstrdup(PQgetvalue(res, (int)i, 2));
		(*out)[i].source = xstrdup(PQgetvalue(res, (int)i, 3));
	}
	PQclear(res);
	return 0;
}

void audit_pickups_free(struct audit_pickup *p, size_t n)
{
	size_t i;
	for (i = 0; p && i < n; i++) {
		free(p[i].order_ref);
		free(p[i].status);
		free(p[i].at);
		free(p[i].source);
	}
	free(p);
}

const struct audit_pickup *audit_pickup_find(const struct audit_pickup *p, size_t n,
					     const char *order_ref)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p[mid].order_ref, order_ref);
		if (c == 0)
			return &p[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void audit_pickups_report(const char *manifest_id, const struct audit_pickup *p, size_t n,
			  struct strbuf *report)
{
	size_t i, picked = 0;
	for (i = 0; i < n; i++)
		picked += !strcmp(p[i].status, "picked");
	if (!n)
		return; /* the report of a manifest nobody confirmed yet is as before */
	strbuf_addf(report, "manifest %s: %zu pickup confirmation%s (%zu picked, %zu missing or refused)\n",
		    manifest_id, n, n == 1 ? "" : "s", picked, n - picked);
	for (i = 0; i < n; i++)
		strbuf_addf(report, "%s: %s: %s at %s (%s)\n", manifest_id, p[i].order_ref, p[i].status,
			    p[i].at, p[i].source);
}

struct manifest_pickup *audit_sheet_pickups(const struct audit_pickup *p, size_t n)
{
	struct manifest_pickup *out = xcalloc(n ? n : 1, sizeof(*out));
	size_t i;
	for (i = 0; i < n; i++) {
		out[i].order_ref = p[i].order_ref;
		out[i].status = p[i].status;
		out[i].at = p[i].at;
		out[i].reason = NULL;
	}
	return out;
}
