/* vcourier rerun: post a run's undelivered manifests, or replan a date. */
#include "cmd_nightly.h"
#include "db/db.h"

#include <getopt.h>
#include <stdlib.h>

static const char usage[] = "rerun --run ID [--force] [--json] | rerun --date YYYY-MM-DD --replan"
			    " [--hub CODE] [--dry-run] [--json] [--dump-problem DIR]";

static int rerun_run(struct cmd_ctx *ctx, long long run_id, int force, int as_json)
{
	struct vc_error err = VC_ERROR_INIT;
	PGconn *conn = cmd_connect(ctx, "vcourier/rerun", &err);
	json_t *summary = NULL;
	int rc;
	if (!conn)
		return cmd_fail(&err);
	rc = nightly_rerun(conn, ctx->cfg, run_id, force, &summary, &err);
	if (rc < 0)
		rc = cmd_fail(&err);
	cmd_print_summary(summary, as_json);
	cmd_write_metrics(ctx, conn);
	db_close(conn);
	return rc;
}

int cmd_rerun(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "run", required_argument, NULL, 'r' },  { "date", required_argument, NULL, 'd' },
		{ "replan", no_argument, NULL, 'p' },     { "hub", required_argument, NULL, 'H' },
		{ "dry-run", no_argument, NULL, 'n' },    { "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },      { "dump-problem", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct vc_error err = VC_ERROR_INIT;
	struct nightly_request req = { .mode = NIGHTLY_REPLAN };
	const char *hub = NULL, *run = NULL;
	int as_json = 0, replan = 0, force = 0, c;
	char *end;
	long long run_id;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': run = optarg; break;
		case 'd': req.service_date = optarg; break;
		case 'p': replan = 1; break;
		case 'H': hub = optarg; break;
		case 'n': req.dry_run = 1; break;
		case 'j': as_json = 1; break;
		case 'f': force = 1; break;
		case 'P': req.dump_problem_dir = optarg; break;
		default: return cmd_usage(usage);
		}
	}
	if (optind != argc || !run == !replan || (run && (req.service_date || hub || req.dry_run || req.dump_problem_dir)) || (replan && force) ||
	    (replan && !req.service_date))
		return cmd_usage(usage);
	if (replan) {
		if (nightly_check_date(req.service_date, &err) < 0)
			return cmd_fail(&err);
		return cmd_run_hubs(ctx, "vcourier/replan", hub, &req, as_json, 1);
	}
	run_id = strtoll(run, &end, 10);
	if (*end || end == run || run_id <= 0) {
		vc_fail(&err, EX_USAGE, "bad run id '%s'", run);
		return cmd_fail(&err);
	}
	return rerun_run(ctx, run_id, force, as_json);
}
