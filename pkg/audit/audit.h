/*
 * audit: manifests against the database (`manifest show` reads the stored
 * body, `manifest check` compares a manifest with its orders as they are
 * now, with the couriers' pickup confirmations). The SQL of the manifest
 * commands lives here; pkg/manifest stays free of it.
 */
#ifndef VC_AUDIT_H
#define VC_AUDIT_H

#include <libpq-fe.h>

#include "manifest/manifest.h"
#include "util/error.h"
#include "util/strbuf.h"

/* The stored body of a manifest; EX_NOINPUT when there is no such manifest. */
int audit_manifest_body(PGconn *conn, const char *manifest_id, struct strbuf *body,
			struct vc_error *err);

/*
 * One line per difference into report (parcels whose order was cancelled,
 * re-planned into another manifest, changed or missing; orders of this
 * manifest it does not list; a newer version). *problems counts them.
 * A parcel the courier confirmed missing or refused on this manifest has
 * left it for that reason: not a difference (the confirmations say it).
 */
int audit_manifest_check(PGconn *conn, const char *manifest_id, struct strbuf *report,
			 int *problems, struct vc_error *err);

/*
 * Pickup confirmations (vcourier import pickups, docs/pickups.md): what the
 * courier said about each parcel of one manifest version.
 */
struct audit_pickup {
	char *order_ref;
	char *status;   /* picked | missing | refused */
	char *at;       /* ISO 8601 with offset, e.g. 2026-12-01T10:30:00+08 */
	char *source;   /* FILE:LINE of the import it came from */
};

/* The manifest's confirmations, sorted by order_ref (*n may be 0). Free with audit_pickups_free. */
int audit_manifest_pickups(PGconn *conn, const char *manifest_id, struct audit_pickup **out,
			   size_t *n, struct vc_error *err);
void audit_pickups_free(struct audit_pickup *p, size_t n);
/* The confirmation of order_ref in a list from audit_manifest_pickups, or NULL (binary search). */
const struct audit_pickup *audit_pickup_find(const struct audit_pickup *p, size_t n,
					     const char *order_ref);
/*
 * The list as the HTML sheet's confirmations (manifest_html_opts.pickups):
 * entries point into p, which must outlive them; free() the array. The
 * sheet's reason line carries where the confirmation came from (FILE:LINE).
 */
struct manifest_pickup *audit_sheet_pickups(const struct audit_pickup *p, size_t n);
/* Text for `manifest check`: a count line, then "ID: REF: status at AT (FILE:LINE)" each; nothing when n is 0. */
void audit_pickups_report(const char *manifest_id, const struct audit_pickup *p, size_t n,
			  struct strbuf *report);

#endif
