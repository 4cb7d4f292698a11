/*
 * nightly: the job of SPEC section 4, per hub: lock, run record, claim,
 * validate, group, plan, write the outbox and mark the orders in one
 * transaction, deliver, summary. Also the replan (new manifest versions),
 * the rerun of a run's undelivered manifests, and the runs reports.
 * Summaries are jansson objects (the --json output and runs.summary).
 */
#ifndef VC_NIGHTLY_H
#define VC_NIGHTLY_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>

#include "config/config.h"
#include "util/error.h"
#include "util/strbuf.h"

enum nightly_mode {
	NIGHTLY_PLAN,    /* claim pending orders, plan the free couriers */
	NIGHTLY_REPLAN,  /* plan again the live manifests' orders plus pending ones */
};

/* Where a hub's run stands, for a progress display (nightly_request.progress). */
struct nightly_progress {
	const char *hub;           /* hub code */
	const char *stage;         /* claim, plan, write, deliver */
	size_t orders;             /* orders claimed (0 during the claim) */
	int searching;             /* plan stage: the fields below are set */
	double search_done;        /* 0..1 of the search budget */
	long long iterations, best_cost; /* cost: metres plus vehicles' fixed costs */
	int unassigned;            /* visits the best plan so far leaves out */
};

struct nightly_request {
	enum nightly_mode mode;
	const char *service_date;  /* YYYY-MM-DD */
	int dry_run;               /* plan and report, roll everything back, post nothing */
	int plan_threads;          /* > 0: search threads per hub when plan_threads is not
				    * configured (nightly --jobs N shares the cores: cores / N) */
	/* Called at each stage and during the route search, in the process
	 * running the hub; NULL: none. Prints nothing itself. */
	void (*progress)(void *arg, const struct nightly_progress *p);
	void *progress_arg;
	/* non-NULL: write each hub's route problem to DIR/HUB-DATE.problem
	 * (a replan: HUB-DATE-replan.problem) before planning it
	 * (route/problem_file.h; nightly / rerun --replan --dump-problem) */
	const char *dump_problem_dir;
};

/* Tomorrow in local time, YYYY-MM-DD. */
void nightly_default_date(char out[11]);
/* EX_USAGE unless s is a real calendar date written YYYY-MM-DD. */
int nightly_check_date(const char *s, struct vc_error *err);

/* The hubs to run: the one with this code (EX_DATAERR when unknown) or all, by code. */
int nightly_hubs(PGconn *conn, const char *code, long long **ids, size_t *n, struct vc_error *err);

/*
 * Run the job for one hub. On success *summary is the run's summary and
 * the return value the exit status it calls for under the rule of
 * run/run.h: EX_UNAVAILABLE when some delivery failed for good (endpoint
 * gone or a permanent 4xx), else EX_TEMPFAIL when some stay pending, else
 * 0. -1 with err on failure (EX_TEMPFAIL when another run holds the
 * hub's lock).
 */
int nightly_run_hub(PGconn *conn, const struct vc_config *cfg, long long hub_id,
		    const struct nightly_request *req, json_t **summary, struct vc_error *err);

/*
 * Post what is still undelivered of run `run_id` (same Idempotency-Keys);
 * force: also what waits for its next attempt (Retry-After, backoff). Same returns.
 */
int nightly_rerun(PGconn *conn, const struct vc_config *cfg, long long run_id, int force,
		  json_t **summary, struct vc_error *err);

/* Short human summary of nightly_run_hub's or nightly_rerun's summary. */
void nightly_print_summary(FILE *out, const json_t *summary);
/* 1 and one line in msg when deliveries were left pending or failed for good, else 0. */
int nightly_delivery_problem(const json_t *summary, char *msg, size_t size);
/* vcourier runs / vcourier run show. */
int nightly_list_runs(PGconn *conn, const char *hub_code, int limit, FILE *out,
		      struct vc_error *err);
enum nightly_format { NIGHTLY_TEXT, NIGHTLY_JSON, NIGHTLY_HTML };
/*
 * HTML: the operator's report (SPEC section 11), one self-contained page;
 * its map draws road legs (docs/sheets.md) with cfg's profiles.
 */
int nightly_show_run(PGconn *conn, const struct vc_config *cfg, long long run_id,
		     enum nightly_format format, FILE *out, struct vc_error *err);
/*
 * The HTML report from the JSON of `run show --json` with each manifest's
 * "body" added; conn NULL: straight legs, else road legs where a manifest
 * was planned on the loaded network.
 */
int nightly_report_html(const json_t *run, PGconn *conn, const struct vc_config *cfg,
			struct strbuf *out, struct vc_error *err);

#endif
