/* vcourier import hubs|points|couriers|orders FILE [--rejects OUT.csv] */
#include "cmd.h"
#include "db/db.h"
#include "ingest/import.h"
#include "log/log.h"
#include "roads/roads.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "import hubs|points|couriers|orders FILE [--rejects OUT.csv] | import matrix FILE";

/* import matrix FILE: a road matrix made elsewhere (pkg/roads). */
static int import_matrix(const char *path, struct cmd_ctx *ctx)
{
	struct vc_error err = VC_ERROR_INIT;
	PGconn *conn = cmd_connect(ctx, "vcourier/import", &err);
	long long rows;
	int rc = 0;
	if (!conn)
		return cmd_fail(&err);
	if (roads_import_matrix(conn, path, &rows, &err) < 0)
		rc = cmd_fail(&err);
	else
		printf("matrix: %lld pairs imported\n", rows);
	db_close(conn);
	return rc;
}

int cmd_import(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "rejects", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vc_error err = VC_ERROR_INIT;
	struct ingest imp;
	if (argc == 3 && !strcmp(argv[1], "matrix"))
		return import_matrix(argv[2], ctx);
	const char *rejects_path = NULL;
	FILE *rejects = NULL;
	PGconn *conn = NULL;
	char quoted[512];
	size_t i;
	int c, rc, loaded = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'r')
			rejects_path = optarg;
		else
			return cmd_usage(usage);
	}
	if (argc - optind != 2)
		return cmd_usage(usage);
	if (ingest_open(&imp, argv[optind], argv[optind + 1], &err) < 0) {
		rc = err.code == EX_USAGE ? cmd_usage(usage) : cmd_fail(&err);
		goto cleanup;
	}
	if (rejects_path && ingest_open_rejects(&imp, rejects_path, &rejects, &err) < 0) {
		rc = cmd_fail(&err);
		goto cleanup;
	}
	conn = cmd_connect(ctx, "vcourier/import", &err);
	if (!conn || ingest_load(&imp, conn, &err) < 0) {
		rc = cmd_fail(&err);
		goto cleanup;
	}
	loaded = 1;
	for (i = 0; i < imp.nrejects; i++)
		fprintf(stderr, "%s:%ld: %s\n", imp.path, imp.rejects[i].line, imp.rejects[i].reason);
	if (rejects && ingest_write_rejects(&imp, rejects, &err) < 0) {
		rc = cmd_fail(&err);
		goto cleanup;
	}
	log_event(LOG_INFO, "import_done", "kind=%s file=%s rows=%ld new=%ld updated=%ld unchanged=%ld rejected=%ld",
		  imp.layout->kind, log_quote(quoted, sizeof(quoted), imp.path), imp.stats.rows,
		  imp.stats.inserted, imp.stats.updated, imp.stats.unchanged, imp.stats.rejected);
	printf("%s: %ld rows: %ld new, %ld updated, %ld unchanged, %ld rejected\n",
	       imp.layout->kind, imp.stats.rows, imp.stats.inserted, imp.stats.updated,
	       imp.stats.unchanged, imp.stats.rejected);
	rc = imp.nrejects ? EX_DATAERR : 0;
cleanup:
	if (rejects && fclose(rejects) != 0 && rc == 0)
		rc = EX_IOERR;
	/* No rejects file is left behind by an import that did not happen. */
	if (rejects && (!loaded || (rc != 0 && rc != EX_DATAERR)))
		unlink(rejects_path);
	db_close(conn);
	ingest_close(&imp);
	return rc;
}
