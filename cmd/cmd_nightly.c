/* vcourier nightly: plan and post tomorrow's (or --date's) manifests, --jobs hubs at a time. */
#include "cmd_nightly.h"
#include "db/db.h"
#include "log/log.h"
#include "log/progress.h"
#include "province/province.h"
#include "run/run.h"

#include <getopt.h>
#include <stdlib.h>

static const char usage[] =
	"nightly [--date YYYY-MM-DD] [--hub CODE] [--jobs N] [--dry-run] [--json] [--dump-problem DIR]";

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

struct run_hubs_ctx {
	int as_json;
	int rc;
	struct cmd_ctx *ctx;
	int dry_run;
	PGconn *metrics_conn;      /* only when metrics_file is set */
	struct tty_progress tty;   /* stderr, when it is a terminal */
	int hubs;                  /* outcomes so far */
};

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

/* Each hub's outcome: its summary on stdout, a skip or an error on stderr. */
static void print_outcome(const struct province_outcome *o, void *arg)
{
	struct run_hubs_ctx *c = arg;
	progress_end(&c->tty);
	switch (o->kind) {
	case PROVINCE_RAN:
		cmd_print_summary(json_incref(o->summary), c->as_json);
		break;
	case PROVINCE_FAILED:
	case PROVINCE_TAKEN:
		fprintf(stderr, "vcourier: %s\n", o->message);
		break;
	case PROVINCE_DONE:
		log_event(LOG_INFO, "hub_done", "hub=%s", o->hub);
		if (log_enabled(LOG_INFO))
			fprintf(stderr, "vcourier: %s\n", o->message);
		break;
	}
	fflush(stdout);
	c->rc = run_exit_worse(c->rc, o->code);
	/* After every run of a hub (not a skipped one): the metrics file. */
	if (!c->dry_run && (o->kind == PROVINCE_RAN || o->kind == PROVINCE_FAILED))
		cmd_write_metrics(c->ctx, c->metrics_conn);
	/* Workers of a pool draw no line of their own (province/pool.c): count here. */
	c->hubs++;
	progress_show(&c->tty, 1, "nightly%s: %d hub%s finished, last %s, %ld s",
		      c->dry_run ? " (dry run)" : "", c->hubs, c->hubs == 1 ? "" : "s", o->hub,
		      progress_elapsed_ms(&c->tty) / 1000);
}

int cmd_run_hubs(struct cmd_ctx *ctx, const char *app, const char *hub_code,
		 const struct nightly_request *req, int as_json, int jobs)
{
	struct vc_error err = VC_ERROR_INIT;
	struct run_hubs_ctx c = { as_json, 0, ctx, req->dry_run, NULL, { 0 }, 0 };
	struct nightly_request r = *req;
	struct province_options o = {
		.req = &r, .hub_code = hub_code, .jobs = jobs,
		.conninfo = config_conninfo(ctx->cfg, ctx->db), .app = app,
		.emit = print_outcome, .emit_ctx = &c,
	};
	int rc;

	progress_init(&c.tty, 2);
	if (c.tty.enabled) {
		r.progress = show_progress;
		r.progress_arg = &c.tty;
	}
	if (!req->dry_run && config_str(ctx->cfg, "metrics_file") &&
	    !(c.metrics_conn = cmd_connect(ctx, app, &err))) {
		/* the run's own connection will say what is wrong with the database */
		vc_error_clear(&err);
	}
	rc = province_run(ctx->cfg, &o, &err);
	progress_end(&c.tty);
	db_close(c.metrics_conn);
	if (rc < 0)
		return run_exit_worse(c.rc, cmd_fail(&err));
	return c.rc;
}

int cmd_nightly(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' }, { "hub", required_argument, NULL, 'H' },
		{ "dry-run", no_argument, NULL, 'n' },    { "json", no_argument, NULL, 'j' },
		{ "jobs", required_argument, NULL, 'J' }, { "dump-problem", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct vc_error err = VC_ERROR_INIT;
	struct nightly_request req = { .mode = NIGHTLY_PLAN };
	const char *hub = NULL;
	char tomorrow[11];
	int as_json = 0, c, jobs = province_default_jobs();
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': req.service_date = optarg; break;
		case 'H': hub = optarg; break;
		case 'n': req.dry_run = 1; break;
		case 'j': as_json = 1; break;
		case 'P': req.dump_problem_dir = optarg; break;
		case 'J':
			jobs = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || jobs < 1 || jobs > 256)
				return cmd_usage(usage);
			break;
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
	return cmd_run_hubs(ctx, "vcourier/nightly", hub, &req, as_json, jobs);
}
