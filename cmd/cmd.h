/*
 * cmd: the vcourier subcommands, one file each (git's builtin/ layout).
 * Each cmd_<name>(argc, argv, ctx) parses its own options, calls library
 * code and returns a sysexits code; only code under cmd/ prints errors or
 * chooses exit codes.
 */
#ifndef VC_CMD_H
#define VC_CMD_H

#include <libpq-fe.h>

#include "config/config.h"
#include "util/error.h"

/* Options every subcommand accepts (stripped from argv by main). */
struct cmd_ctx {
	const char *db;          /* --db CONNINFO */
	const char *config_path; /* --config FILE */
	int verbose;             /* -v, -vv */
	struct vc_config *cfg;
};

int cmd_db(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_import(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_nightly(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_rerun(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_deliver(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_route(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_manifest(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_runs(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_run(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_roads(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_config(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_version(int argc, char **argv, struct cmd_ctx *ctx);

/* Print "vcourier: <msg>" on stderr and return err->code (70 if unset). */
int cmd_fail(const struct vc_error *err);
/* Print a usage line on stderr and return EX_USAGE. */
int cmd_usage(const char *usage);
/*
 * After a run (nightly per hub, rerun, replan, deliver): when the config
 * sets metrics_file, write it from the database (pkg/metrics). A failure
 * is one warning line on stderr and never changes the run's exit status:
 * the run itself did what it did; a stale file is what monitoring sees.
 */
void cmd_write_metrics(struct cmd_ctx *ctx, PGconn *conn);
/*
 * Connect with the resolved conninfo (--db, DATABASE_URL, config, PG*) and
 * check the schema is migrated (db/migrate.h: 78 when it is behind).
 */
PGconn *cmd_connect(struct cmd_ctx *ctx, const char *app, struct vc_error *err);

#endif
