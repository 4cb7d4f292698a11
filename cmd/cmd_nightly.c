/* vcourier nightly: plan and post tomorrow's (or --date's) manifests, hub after hub. */
#include "cmd_nightly.h"
#include "db/db.h"
#include "log/progress.h"
#include "run/run.h"

#include <getopt.h>
#include <stdlib.h>

static const char usage[] = "nightly [--date YYYY-MM-DD] [--hub CODE] [--dry-run] [--json]";

void cmd_print_summary(json_t *summary, int as_json)
{
	char problem[512];
	if (summary && nightly_delivery_problem(summary, problem, sizeof(problem)))
		fprintf(stderr, "vcourier: %s\n", problem);
	if (summary && as_json) {
		json_dumpf(summary, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else if (summary) {
		nightly_print_summary(stdout, summary);
	}
	json_decref(summary);
}

/* The status line on a terminal: hub, stage, and the route search's progress. */
static void show_progress(void *arg, const struct nightly_progress *p)
{
	struct tty_progress *tty = arg;
	char orders[32], its[32], cost[32], left[48] = "";
	long s = progress_elapsed_ms(tty) / 1000;
	progress_count(orders, (long long)p->orders);
	if (!p->searching) {
		progress_show(tty, 1, "hub %s: %s, %s orders, %ld s", p->hub, p->stage, orders, s);
		return;
	}
	if (p->unassigned)
		snprintf(left, sizeof(left), ", %d left out", p->unassigned);
	progress_show(tty, p->search_done >= 1, "hub %s: plan, %s orders, search %3.0f%% (%s it., best %s%s), %ld s",
		      p->hub, orders, p->search_done * 100, progress_count(its, p->iterations),
		      progress_count(cost, p->best_cost), left, s);
}

int cmd_run_hubs(struct cmd_ctx *ctx, const char *app, const char *hub_code,
		 const struct nightly_request *request, int as_json)
{
	struct vc_error err = VC_ERROR_INIT;
	PGconn *conn = cmd_connect(ctx, app, &err);
	struct nightly_request r = *request, *req = &r;
	struct tty_progress tty;
	long long *ids = NULL;
	size_t n = 0, i;
	int rc = 0;

	progress_init(&tty, 2);
	if (tty.enabled) {
		r.progress = show_progress;
		r.progress_arg = &tty;
	}

	if (!conn)
		return cmd_fail(&err);
	if (nightly_hubs(conn, hub_code, &ids, &n, &err) < 0) {
		rc = cmd_fail(&err);
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		json_t *summary = NULL;
		int code = nightly_run_hub(conn, ctx->cfg, ids[i], req, &summary, &err);
		int failed = code < 0;
		progress_end(&tty);
		if (failed) {
			code = cmd_fail(&err);
			vc_error_clear(&err);
		}
		cmd_print_summary(summary, as_json);
		if (!req->dry_run)
			cmd_write_metrics(ctx, conn);
		rc = run_exit_worse(rc, code);
		/* Without the database or the config, the other hubs would fail the same way. */
		if (failed && (code == EX_UNAVAILABLE || code == EX_CONFIG))
			break;
	}
cleanup:
	free(ids);
	db_close(conn);
	return rc;
}

int cmd_nightly(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' }, { "hub", required_argument, NULL, 'H' },
		{ "dry-run", no_argument, NULL, 'n' },    { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct vc_error err = VC_ERROR_INIT;
	struct nightly_request req = { NIGHTLY_PLAN, NULL, 0, NULL, NULL };
	const char *hub = NULL;
	char tomorrow[11];
	int as_json = 0, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': req.service_date = optarg; break;
		case 'H': hub = optarg; break;
		case 'n': req.dry_run = 1; break;
		case 'j': as_json = 1; break;
		default: return cmd_usage(usage);
		}
	}
	if (optind != argc)
		return cmd_usage(usage);
	if (!req.service_date) {
		nightly_default_date(tomorrow);
		req.service_date = tomorrow;
	}
	if (nightly_check_date(req.service_date, &err) < 0)
		return cmd_fail(&err);
	return cmd_run_hubs(ctx, "vcourier/nightly", hub, &req, as_json);
}
