/*
 * audit: manifests against the database (`manifest show` reads the stored
 * body, `manifest check` compares a manifest with its orders as they are
 * now). The SQL of the manifest commands lives here; pkg/manifest stays
 * free of it.
 */
#ifndef VC_AUDIT_H
#define VC_AUDIT_H

#include <libpq-fe.h>

#include "util/error.h"
#include "util/strbuf.h"

/* The stored body of a manifest; EX_NOINPUT when there is no such manifest. */
int audit_manifest_body(PGconn *conn, const char *manifest_id, struct strbuf *body,
			struct vc_error *err);

/*
 * One line per difference into report (parcels whose order was cancelled,
 * re-planned into another manifest, changed or missing; orders of this
 * manifest it does not list; a newer version). *problems counts them.
 */
int audit_manifest_check(PGconn *conn, const char *manifest_id, struct strbuf *report,
			 int *problems, struct vc_error *err);

#endif
