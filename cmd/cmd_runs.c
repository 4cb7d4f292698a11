/* vcourier runs: the recent runs, newest first; --date D: the night's board. */
#include "cmd.h"
#include "db/db.h"
#include "nightly/nightly.h"
#include "province/province.h"

#include <getopt.h>
#include <stdlib.h>

int cmd_runs(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "hub", required_argument, NULL, 'H' }, { "limit", required_argument, NULL, 'l' },
		{ "date", required_argument, NULL, 'd' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] = "runs [--hub CODE] [--limit N] | runs --date YYYY-MM-DD [--json]";
	struct vc_error err = VC_ERROR_INIT;
	const char *hub = NULL, *date = NULL;
	int as_json = 0;
	PGconn *conn;
	long limit = 20;
	char *end;
	int c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'H': hub = optarg; break;
		case 'l':
			limit = strtol(optarg, &end, 10);
			if (*end || end == optarg || limit <= 0 || limit > 100000)
				return cmd_usage(usage);
			break;
		case 'd': date = optarg; break;
		case 'j': as_json = 1; break;
		default: return cmd_usage(usage);
		}
	}
	if (optind != argc || (as_json && !date) || (date && hub))
		return cmd_usage(usage);
	if (date && nightly_check_date(date, &err) < 0)
		return cmd_fail(&err);
	if (!(conn = cmd_connect(ctx, "vcourier/runs", &err)))
		return cmd_fail(&err);
	if (date ? province_board(conn, date, as_json, stdout, &err) < 0
		 : nightly_list_runs(conn, hub, (int)limit, stdout, &err) < 0)
		rc = cmd_fail(&err);
	db_close(conn);
	return rc;
}
