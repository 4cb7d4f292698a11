/* vcourier deliver [--hub CODE] [--force] [--json]: post the manifests still pending. */
#include "cmd.h"
#include "db/db.h"
#include "outbox/outbox.h"
#include "run/run.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] = "deliver [--hub CODE] [--force] [--json]";

/* The summary on stdout (unless --json), what needs attention on stderr. */
static void print_text(const struct run_deliver_result *r, size_t n, int as_json)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (r[i].lock_held && r[i].holder.run_id)
			fprintf(stderr, "vcourier: hub %s: run %lld on %s (pid %d) holds the hub's lock;"
					" try again when it ends\n", r[i].hub_code, r[i].holder.run_id,
				r[i].holder.host, r[i].holder.pid);
		else if (r[i].lock_held)
			fprintf(stderr, "vcourier: hub %s: another run holds the hub's lock;"
					" try again when it ends\n", r[i].hub_code);
		else if (r[i].run_id && !as_json)
			printf("hub %s: run %lld: %d delivered, %d pending, %d failed, %d gone\n",
			       r[i].hub_code, r[i].run_id, r[i].st.delivered, r[i].st.pending,
			       r[i].st.failed, r[i].st.gone);
		if (r[i].waiting)
			fprintf(stderr, "vcourier: hub %s: %d manifest%s wait%s for the next attempt"
					" (earliest %s; the courier asked for it or backoff);"
					" --force posts now\n", r[i].hub_code, r[i].waiting,
				r[i].waiting == 1 ? "" : "s", r[i].waiting == 1 ? "s" : "",
				r[i].next_due);
		if (r[i].st.gone)
			fprintf(stderr, "vcourier: hub %s: %d manifest%s not posted: a courier's"
					" endpoint answered 410 Gone (fix its endpoint_url, clear"
					" couriers.endpoint_gone_at, run deliver again)\n",
				r[i].hub_code, r[i].st.gone, r[i].st.gone == 1 ? "" : "s");
		if (r[i].st.failed)
			fprintf(stderr, "vcourier: hub %s: %d manifest%s refused for good"
					" (see delivery_attempts)\n",
				r[i].hub_code, r[i].st.failed, r[i].st.failed == 1 ? "" : "s");
		if (r[i].st.unsigned_posts || r[i].st.tokenless_posts)
			fprintf(stderr, "vcourier: hub %s: %d manifest%s posted without a signature"
					" (no key), %d without a bearer token (the log names the"
					" couriers)\n",
				r[i].hub_code, r[i].st.unsigned_posts,
				r[i].st.unsigned_posts == 1 ? "" : "s", r[i].st.tokenless_posts);
	}
}

static void print_json(const struct run_deliver_result *r, size_t n)
{
	json_t *hubs = json_array();
	size_t i;
	for (i = 0; i < n; i++)
		json_array_append_new(hubs, run_deliver_json(&r[i]));
	json_dumpf(hubs, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(hubs);
}

int cmd_deliver(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "hub", required_argument, NULL, 'h' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct vc_error err = VC_ERROR_INIT;
	struct run_deliver_result *res = NULL;
	struct deliver_options opt;
	const char *hub = NULL;
	PGconn *conn;
	size_t n = 0;
	int c, as_json = 0, force = 0, rc;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'h')
			hub = optarg;
		else if (c == 'f')
			force = 1;
		else if (c == 'j')
			as_json = 1;
		else
			return cmd_usage(usage);
	}
	if (optind != argc)
		return cmd_usage(usage);
	conn = cmd_connect(ctx, "vcourier/deliver", &err);
	if (!conn)
		return cmd_fail(&err);
	outbox_deliver_options(ctx->cfg, &opt);
	if (run_deliver_hubs(conn, ctx->cfg, hub, force, &opt, &res, &n, &rc, &err) < 0) {
		rc = cmd_fail(&err);
	} else {
		if (as_json)
			print_json(res, n);
		print_text(res, n, as_json);
	}
	cmd_write_metrics(ctx, conn);
	free(res);
	db_close(conn);
	return rc;
}
