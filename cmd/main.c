/*
 * main: global options and subcommand dispatch, nothing else.
 */
#include "cmd.h"
#include "db/db.h"
#include "db/migrate.h"
#include "log/log.h"
#include "metrics/metrics.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

struct cmd_entry {
	const char *name;
	int (*fn)(int, char **, struct cmd_ctx *);
	const char *help;
};

static const struct cmd_entry commands[] = {
	{ "db", cmd_db, "db migrate | db status: apply or list schema migrations" },
	{ "import", cmd_import, "import hubs|points|couriers|orders|pickups FILE [--rejects OUT.csv]" },
	{ "nightly", cmd_nightly, "nightly [--date D] [--hub CODE] [--jobs N] [--dry-run] [--json]" },
	{ "rerun", cmd_rerun, "rerun --run ID | rerun --date D --replan [--hub CODE]" },
	{ "deliver", cmd_deliver, "deliver [--hub CODE]: retry pending manifest deliveries" },
	{ "route", cmd_route, "route --tsplib FILE.vrp [--time-limit S | --iterations N] [--seed N] [--vehicles K]" },
	{ "manifest", cmd_manifest, "manifest show ID | verify FILE | check ID" },
	{ "runs", cmd_runs, "runs [--hub CODE] [--limit N]: recent runs; runs --date D [--json]: the night" },
	{ "run", cmd_run, "run show ID [--json]" },
	{ "roads", cmd_roads, "roads load FILE | roads status [--hub CODE] | roads matrix [--hub CODE]" },
	{ "config", cmd_config, "config keys | check | env-name CODE: the settings" },
	{ "version", cmd_version, "version | --version: vcourier's and its libraries' versions" },
};

static void print_help(FILE *out)
{
	size_t i;
	fprintf(out, "usage: vcourier [-v] [--db CONNINFO] [--config FILE] <command> [args]\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nexit codes: 0 ok, 64 usage, 65 bad input data, 66 input missing,\n"
		     "  69 database or endpoint unavailable, 70 internal error,\n"
		     "  75 temporary (lock held, deliveries pending), 78 configuration\n");
}

int cmd_fail(const struct vc_error *err)
{
	fprintf(stderr, "vcourier: %s\n", err->msg[0] ? err->msg : "unknown error");
	return err->code ? err->code : EX_SOFTWARE;
}

int cmd_usage(const char *usage)
{
	fprintf(stderr, "usage: vcourier %s\n", usage);
	return EX_USAGE;
}

PGconn *cmd_connect(struct cmd_ctx *ctx, const char *app, struct vc_error *err)
{
	PGconn *conn = db_connect(config_conninfo(ctx->cfg, ctx->db), app, err);
	if (conn && db_schema_check(conn, err) < 0) {
		db_close(conn);
		return NULL;
	}
	return conn;
}

void cmd_write_metrics(struct cmd_ctx *ctx, PGconn *conn)
{
	struct vc_error err = VC_ERROR_INIT;
	const char *path = config_str(ctx->cfg, "metrics_file");
	char qpath[512], qmsg[512];
	if (!path || !*path || !conn)
		return;
	if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE)
		vc_fail(&err, EX_UNAVAILABLE, "metrics_file: %s: not written: the database connection is lost",
			path);
	else
		metrics_write_file(conn, path, &err);
	if (err.msg[0])
		log_event(LOG_WARN, "metrics_not_written", "file=%s error=%s",
			  log_quote(qpath, sizeof(qpath), path), log_quote(qmsg, sizeof(qmsg), err.msg));
}

/* Take the global options out of argv wherever they are (before "--"). */
static int strip_global_options(int *argc, char **argv, struct cmd_ctx *ctx)
{
	int i, o = 1;
	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			ctx->verbose++;
		} else if (!strcmp(a, "-vv")) {
			ctx->verbose += 2;
		} else if (!strcmp(a, "--db") || !strcmp(a, "--config")) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "vcourier: %s needs a value\n", a);
				return -1;
			}
			if (!strcmp(a, "--db"))
				ctx->db = argv[++i];
			else
				ctx->config_path = argv[++i];
		} else if (!strncmp(a, "--db=", 5)) {
			ctx->db = a + 5;
		} else if (!strncmp(a, "--config=", 9)) {
			ctx->config_path = a + 9;
		} else {
			argv[o++] = argv[i];
		}
	}
	*argc = o;
	argv[o] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { 0 };
	struct vc_error err = VC_ERROR_INIT;
	size_t i;
	int rc;

	if (config_protect_process(&err) < 0)
		return cmd_fail(&err);
	if (strip_global_options(&argc, argv, &ctx) < 0)
		return EX_USAGE;
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		print_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? EX_USAGE : 0;
	}
	/* before the config: a broken config must not hide the version */
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return cmd_version(argc - 1, argv + 1, &ctx);
	log_set_level(ctx.verbose >= 2 ? LOG_DEBUG : ctx.verbose ? LOG_INFO : LOG_WARN);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		/* config loads the file itself: listing keys needs no valid file. */
		if (commands[i].fn != cmd_config &&
		    config_load(&ctx.cfg, ctx.config_path, &err) < 0)
			return cmd_fail(&err);
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = commands[i].fn(argc - 1, argv + 1, &ctx);
		curl_global_cleanup();
		config_free(ctx.cfg);
		return rc;
	}
	fprintf(stderr, "vcourier: unknown command '%s' (see vcourier help)\n", argv[1]);
	return EX_USAGE;
}
