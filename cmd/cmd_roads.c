/*
 * vcourier roads load FILE | roads status [--hub CODE] [--json] |
 * roads matrix [--hub CODE]: the road network (pkg/roads, docs/roads.md).
 */
#include "cmd.h"
#include "db/db.h"
#include "roads/roads.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "roads load FILE | roads status [--hub CODE] [--json] | roads matrix [--hub CODE]";

static void print_network(const struct roads_network *n)
{
	if (!n->version) {
		printf("no road network loaded (vcourier roads load FILE)\n");
		return;
	}
	printf("network   version %lld, loaded %s\nfile      %s\n"
	       "roads     %lld ways, %lld vertices\n"
	       "bounds    %.5f,%.5f .. %.5f,%.5f (lat,lon)\n",
	       n->version, n->loaded_at, n->file, n->ways, n->vertices, n->min_lat, n->min_lon,
	       n->max_lat, n->max_lon);
	printf("data (c) OpenStreetMap contributors, ODbL\n");
}

static int roads_load_cmd(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct vc_error err = VC_ERROR_INIT;
	struct roads_network n;
	PGconn *conn;
	int rc = 0;
	if (argc != 2)
		return cmd_usage(usage);
	if (!(conn = cmd_connect(ctx, "vcourier/roads", &err)))
		return cmd_fail(&err);
	if (roads_load(conn, argv[1], getenv("TMPDIR"), &n, &err) < 0)
		rc = cmd_fail(&err);
	else
		print_network(&n);
	db_close(conn);
	return rc;
}

/* Text form of the status JSON's hub part: one line per place and profile. */
static void print_hub(const json_t *hub)
{
	const json_t *snaps = json_object_get(hub, "snaps"), *s;
	size_t i;
	printf("hub %s: %lld legs stored\n", json_string_value(json_object_get(hub, "code")),
	       (long long)json_integer_value(json_object_get(hub, "legs")));
	printf("%-10s %-6s %-24s %10s  %s\n", "profile", "kind", "code", "snap_m", "state");
	json_array_foreach(snaps, i, s) {
		const json_t *m = json_object_get(s, "snap_m");
		char metres[32] = "-";
		if (json_is_number(m))
			snprintf(metres, sizeof(metres), "%.1f", json_number_value(m));
		printf("%-10s %-6s %-24s %10s  %s\n", json_string_value(json_object_get(s, "profile")),
		       json_string_value(json_object_get(s, "kind")),
		       json_string_value(json_object_get(s, "code")), metres,
		       json_string_value(json_object_get(s, "state")));
	}
}

static int roads_status_cmd(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "hub", required_argument, NULL, 'H' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct vc_error err = VC_ERROR_INIT;
	const char *hub = NULL;
	int c, as_json = 0, rc = 0;
	json_t *st = NULL;
	PGconn *conn;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'H': hub = optarg; break;
		case 'j': as_json = 1; break;
		default: return cmd_usage(usage);
		}
	}
	if (optind != argc)
		return cmd_usage(usage);
	if (!(conn = cmd_connect(ctx, "vcourier/roads", &err)))
		return cmd_fail(&err);
	if (roads_status_json(conn, hub, &st, &err) < 0) {
		rc = cmd_fail(&err);
	} else if (as_json) {
		char *text = json_dumps(st, JSON_SORT_KEYS | JSON_INDENT(2));
		printf("%s\n", text);
		free(text);
	} else {
		struct roads_network n;
		const json_t *net = json_object_get(st, "network");
		memset(&n, 0, sizeof(n));
		if (json_is_object(net)) {
			n.version = json_integer_value(json_object_get(net, "version"));
			snprintf(n.file, sizeof(n.file), "%s", json_string_value(json_object_get(net, "file")));
			snprintf(n.loaded_at, sizeof(n.loaded_at), "%s",
				 json_string_value(json_object_get(net, "loaded_at")));
			n.ways = json_integer_value(json_object_get(net, "ways"));
			n.vertices = json_integer_value(json_object_get(net, "vertices"));
			n.min_lat = json_number_value(json_object_get(net, "min_lat"));
			n.min_lon = json_number_value(json_object_get(net, "min_lon"));
			n.max_lat = json_number_value(json_object_get(net, "max_lat"));
			n.max_lon = json_number_value(json_object_get(net, "max_lon"));
		}
		print_network(&n);
		if (json_object_get(st, "hub"))
			print_hub(json_object_get(st, "hub"));
	}
	json_decref(st);
	db_close(conn);
	return rc;
}

static int roads_matrix_cmd(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "hub", required_argument, NULL, 'H' }, { NULL, 0, NULL, 0 },
	};
	struct vc_error err = VC_ERROR_INIT;
	const char *hub = NULL;
	int c, rc = 0;
	PGconn *conn;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'H': hub = optarg; break;
		default: return cmd_usage(usage);
		}
	}
	if (optind != argc)
		return cmd_usage(usage);
	if (!(conn = cmd_connect(ctx, "vcourier/roads", &err)))
		return cmd_fail(&err);
	if (roads_matrix_all(conn, ctx->cfg, hub, stdout, &err) < 0)
		rc = cmd_fail(&err);
	db_close(conn);
	return rc;
}

int cmd_roads(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (argc >= 2 && !strcmp(argv[1], "load"))
		return roads_load_cmd(argc - 1, argv + 1, ctx);
	if (argc >= 2 && !strcmp(argv[1], "status"))
		return roads_status_cmd(argc - 1, argv + 1, ctx);
	if (argc >= 2 && !strcmp(argv[1], "matrix"))
		return roads_matrix_cmd(argc - 1, argv + 1, ctx);
	return cmd_usage(usage);
}
