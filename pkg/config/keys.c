/*
 * keys: the one table of configuration keys (see config.h).
 *
 * To add a key, add one row: name, type, default (as written in the file,
 * NULL for unset), min and max (int and double only; inclusive), and one
 * line of documentation. `vcourier config keys` prints this table (the
 * source of the vcourier.conf(5) man page) and tests/unit/test_config.c
 * checks that every default parses and lies in its range. In a key,
 * "<CODE>" matches any legal courier code, "<PROFILE>" a vehicle profile
 * and "<CLASS>" a road class (pkg/roads has both lists); any other word
 * there is refused at start.
 */
#include "config/config.h"
#include "route/route.h"

#define NO_RANGE 0, 0
/* Seeds and counts stay within 2^53 so that the range check is exact. */
#define SEED_MAX 9007199254740992.0

static const struct config_key keys[] = {
	{ "db", CONFIG_STRING, NULL, NO_RANGE,
	  "libpq conninfo or URI (after --db and DATABASE_URL; empty: the PG* variables)" },
	{ "circuity", CONFIG_DOUBLE, "1.3", 1, 10,
	  "road distance over straight-line distance, where no road matrix is known" },
	{ "speed_kmh", CONFIG_DOUBLE, "30", 0.1, 200,
	  "driving speed used to turn distances into times" },
	{ "vehicle_fixed_cost_km", CONFIG_DOUBLE, "0", 0, 1e6,
	  "cost of using one more vehicle, in km of driving" },
	{ "max_trips", CONFIG_INT, "1", 1, ROUTE_MAX_TRIPS,
	  "trips a courier may make in its shift, back to the hub to unload between them, when couriers.csv gives none" },
	{ "max_trips.<PROFILE>", CONFIG_INT, NULL, 1, ROUTE_MAX_TRIPS,
	  "the max_trips default for the couriers of one vehicle profile" },
	{ "hub_unload_min", CONFIG_DOUBLE, "10", 0, 600,
	  "minutes at the hub to unload between two trips of one courier (with max_trips > 1)" },
	{ "plan_seed", CONFIG_INT, "1", 0, SEED_MAX,
	  "seed of the route search (same seed and iterations: same plan)" },
	{ "plan_iterations", CONFIG_INT, NULL, 0, 1e9,
	  "route search iterations per hub (unset or 0: the time limit alone, or with neither the default budget, 100,000..7,000,000 by the stops)" },
	{ "plan_time_limit_s", CONFIG_DOUBLE, NULL, 0, 86400,
	  "wall-time limit of the route search per hub (unset or 0: none; alone: no iteration cap)" },
	{ "plan_threads", CONFIG_INT, NULL, 1, 256,
	  "threads searching one hub's routes (unset: every online core; same plan for the same seed, budget and threads)" },
	{ "road_snap_max_m", CONFIG_DOUBLE, "1000", 1, 100000,
	  "farthest a hub or point may be from a road its vehicle may use (m); beyond: rejected" },
	{ "road_speed.<PROFILE>.<CLASS>", CONFIG_DOUBLE, NULL, 0, 150,
	  "km/h of a profile on an OSM highway class, 0 bars it (docs/roads.md)" },
	{ "deliver_budget_s", CONFIG_DOUBLE, "300", 0, 86400,
	  "wall time one delivery pass may take before leaving the rest pending" },
	{ "deliver_timeout_s", CONFIG_DOUBLE, "30", 0.1, 3600,
	  "whole-request timeout of one post" },
	{ "deliver_connect_timeout_s", CONFIG_DOUBLE, "10", 0.1, 600,
	  "connect (and TLS handshake) timeout of one post" },
	{ "deliver_backoff_base_s", CONFIG_DOUBLE, "1", 0, 3600,
	  "first wait before a retry within a pass; doubles each attempt" },
	{ "deliver_backoff_max_s", CONFIG_DOUBLE, "60", 0, 86400,
	  "longest wait between retries within a pass" },
	{ "deliver_max_concurrent", CONFIG_INT, "8", 1, 256,
	  "posts in flight at once" },
	{ "deliver_jitter_seed", CONFIG_INT, NULL, 0, SEED_MAX,
	  "seed of the retry jitter (unset: time and pid; fix it for reproducible waits)" },
	{ "db_fetch_rows", CONFIG_INT, "5000", 1, 1e7,
	  "rows read per batch when a hub's orders, points, couriers and road matrix stream in (memory follows one batch)" },
	{ "db_reconnect_s", CONFIG_DOUBLE, "60", 0, 3600,
	  "how long a nightly worker that lost the database (a failover) reconnects before running its hub again (0: exit 69 at once)" },
	{ "ca_file", CONFIG_PATH, NULL, NO_RANGE,
	  "CA bundle file (PEM) for libcurl (CAINFO; its built-in CA directory stays); TLS is always verified" },
	{ "metrics_file", CONFIG_PATH, NULL, NO_RANGE,
	  "Prometheus text file rewritten after every run (node_exporter textfile collector; *.prom)" },
	{ "courier.<CODE>.key", CONFIG_STRING, NULL, NO_RANGE,
	  "courier's webhook signing key (whsec_<base64>); a credential file or VCOURIER_KEY_<ENC> wins" },
	{ "courier.<CODE>.token", CONFIG_STRING, NULL, NO_RANGE,
	  "courier's bearer token; a credential file or VCOURIER_TOKEN_<ENC> wins" },
	{ "courier.<CODE>.allow_http", CONFIG_BOOL, "false", NO_RANGE,
	  "allow sending the courier's bearer token over plain http:// (else refused, 78)" },
};

const struct config_key *config_key_at(size_t i)
{
	return i < sizeof(keys) / sizeof(keys[0]) ? &keys[i] : NULL;
}

const char *config_type_name(enum config_type t)
{
	switch (t) {
	case CONFIG_INT: return "int";
	case CONFIG_DOUBLE: return "double";
	case CONFIG_BOOL: return "bool";
	case CONFIG_PATH: return "path";
	default: return "string";
	}
}
