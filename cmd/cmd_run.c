/* vcourier run show ID [--json | --format text|json|html]: one run, its manifests and attempts. */
#include "cmd.h"
#include "db/db.h"
#include "nightly/nightly.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cmd_run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] = "run show ID [--json | --format text|json|html]";
	enum nightly_format format = NIGHTLY_TEXT;
	struct vc_error err = VC_ERROR_INIT;
	PGconn *conn;
	long long id;
	char *end;
	int c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j' || (c == 'f' && !strcmp(optarg, "json")))
			format = NIGHTLY_JSON;
		else if (c == 'f' && !strcmp(optarg, "html"))
			format = NIGHTLY_HTML;
		else if (c == 'f' && !strcmp(optarg, "text"))
			format = NIGHTLY_TEXT;
		else
			return cmd_usage(usage);
	}
	if (argc - optind != 2 || strcmp(argv[optind], "show"))
		return cmd_usage(usage);
	id = strtoll(argv[optind + 1], &end, 10);
	if (*end || end == argv[optind + 1] || id <= 0) {
		vc_fail(&err, EX_USAGE, "bad run id '%s'", argv[optind + 1]);
		return cmd_fail(&err);
	}
	if (!(conn = cmd_connect(ctx, "vcourier/run", &err)))
		return cmd_fail(&err);
	if (nightly_show_run(conn, ctx->cfg, id, format, stdout, &err) < 0)
		rc = cmd_fail(&err);
	db_close(conn);
	return rc;
}
