/* vcourier db migrate | db status */
#include "cmd.h"
#include "db/db.h"
#include "db/migrate.h"

#include <stdio.h>
#include <string.h>

static const char usage[] = "db migrate | db status";

int cmd_db(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct vc_error err = VC_ERROR_INIT;
	struct strbuf out = STRBUF_INIT;
	PGconn *conn = NULL;
	int rc = 0, n = 0;

	if (argc != 2 || (strcmp(argv[1], "migrate") && strcmp(argv[1], "status")))
		return cmd_usage(usage);
	/* not cmd_connect: migrating is how a database behind this vcourier catches up */
	conn = db_connect(config_conninfo(ctx->cfg, ctx->db), "vcourier/db", &err);
	if (!conn)
		return cmd_fail(&err);
	if (!strcmp(argv[1], "migrate")) {
		if (db_migrate(conn, &n, &err) < 0)
			rc = cmd_fail(&err);
		else
			printf("%d migration%s applied\n", n, n == 1 ? "" : "s");
	} else {
		if (db_migration_status(conn, &out, &n, &err) < 0)
			rc = cmd_fail(&err);
		else
			fputs(out.buf, stdout);
	}
	strbuf_release(&out);
	db_close(conn);
	return rc;
}
