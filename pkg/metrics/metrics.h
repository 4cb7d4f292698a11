/*
 * metrics: the Prometheus text file for cron monitoring (config
 * `metrics_file = PATH`, SPEC section 11, docs/metrics.md), written after
 * every run in the node_exporter textfile-collector convention.
 *
 * The content is derived from the database (runs, orders, manifests,
 * delivery attempts) each time, never merged from the previous file: runs
 * of different hubs and kinds cannot erase each other's series, and a lost
 * or stale file is rebuilt whole by the next run. The file is replaced
 * atomically (temporary file in the same folder, fsync, rename), under an
 * flock on PATH.lock so that two writers replace it in the order they read.
 */
#ifndef VC_METRICS_H
#define VC_METRICS_H

#include <libpq-fe.h>

#include "util/error.h"
#include "util/strbuf.h"

/* The exposition text (HELP, TYPE, samples) from the database now. */
int metrics_render(PGconn *conn, struct strbuf *out, struct vc_error *err);
/* metrics_render, then replace `path` atomically. EX_CANTCREAT / EX_IOERR on file errors. */
int metrics_write_file(PGconn *conn, const char *path, struct vc_error *err);

#endif
