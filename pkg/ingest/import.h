/*
 * import: `vcourier import hubs|points|couriers|orders FILE` (SPEC 3).
 *
 * ingest_open reads and checks the header (no database needed, so a
 * missing file or a wrong header is reported before connecting).
 * ingest_load then, in one transaction: streams every row through the C
 * checks (validate.h, and the hub or point it names) into a TEMP staging
 * table with COPY, upserts them with one INSERT ... SELECT ... ON CONFLICT
 * that leaves unchanged rows untouched, refuses orders already planned
 * whose content changed, and commits. A file of only new orders skips the
 * staging table: COPY goes straight into orders. Rejected rows come back
 * in file order; valid rows are committed even when some are rejected.
 */
#ifndef VC_INGEST_IMPORT_H
#define VC_INGEST_IMPORT_H

#include <libpq-fe.h>
#include <stdio.h>

#include "ingest/csv.h"
#include "ingest/validate.h"
#include "util/error.h"

struct ingest_reject {
	long line;
	char *reason;
	char *row_csv;   /* the original columns as CSV, NULL if unreadable */
};

struct ingest_stats {
	long rows;       /* data rows read */
	long inserted, updated, unchanged, rejected;
};

struct kind_sql;

struct ingest {
	const struct ingest_layout *layout;
	const struct kind_sql *sql;
	const char *path;
	int fd;
	size_t ncols;            /* columns of this file (couriers: 8 to 10) */
	size_t colmap[INGEST_MAX_COLS]; /* file column -> layout column */
	char *header_csv;
	struct csv_reader csv;
	struct ingest_stats stats;
	struct ingest_reject *rejects;
	size_t nrejects, cap;
	size_t reject_bytes;     /* text held by rejects (bounded, see below) */
};

/*
 * Rejected rows are kept in memory (to be reported in file order and
 * written to --rejects), at most this many or this much text: past that
 * the import stops, nothing imported (a file that bad is the wrong file,
 * or its hubs or points were not imported first).
 */
#define INGEST_MAX_REJECTS 100000
#define INGEST_MAX_REJECT_BYTES (64u << 20)

/*
 * Open FILE for an import of `kind` and check its header. Errors: unknown
 * kind (EX_USAGE), missing or unreadable file (EX_NOINPUT), empty file or
 * wrong header (EX_DATAERR, "FILE:1: reason").
 */
int ingest_open(struct ingest *imp, const char *kind, const char *path, struct vc_error *err);
/* Load the rows (see above). -1 only when nothing was imported. */
int ingest_load(struct ingest *imp, PGconn *conn, struct vc_error *err);
/*
 * Open the --rejects file for an import opened with ingest_open: refused
 * (EX_USAGE) when it is the input file itself (same device and inode, also
 * through a link), which used to be truncated mid-read; created 0600 (an
 * existing one is set to 0600), since rejected rows carry customers' data
 * as they were; emptied only after those checks.
 */
int ingest_open_rejects(const struct ingest *imp, const char *path, FILE **out,
			struct vc_error *err);
/* Write the rejected rows as CSV: the file's header plus a reason column. */
int ingest_write_rejects(const struct ingest *imp, FILE *out, struct vc_error *err);
void ingest_close(struct ingest *imp);

#endif
