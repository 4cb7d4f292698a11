/*
 * config: settings from a `key = value` file and the environment.
 *
 * The file is $VCOURIER_CONFIG, else /etc/vcourier/vcourier.conf when it
 * exists. Because it may hold courier secrets, it is refused (EX_CONFIG)
 * when group or others can read it. Environment variables win over the file:
 *   DATABASE_URL                 conninfo (after --db)
 *   VCOURIER_KEY_<CODE>          courier <CODE>'s webhook key (whsec_...)
 *   VCOURIER_TOKEN_<CODE>        courier <CODE>'s bearer token
 * (<CODE> upper-cased, every other character than A-Z 0-9 written as _).
 * File keys: db, circuity, speed_kmh, vehicle_fixed_cost_km, ca_file,
 * deliver_timeout_s, deliver_connect_timeout_s, deliver_budget_s,
 * plan_time_limit_s, plan_iterations, metrics_file (docs/metrics.md),
 * courier.<CODE>.key, courier.<CODE>.token.
 */
#ifndef VC_CONFIG_H
#define VC_CONFIG_H

#include "util/error.h"

struct vc_config;

int config_load(struct vc_config **out, const char *path, struct vc_error *err);
void config_free(struct vc_config *cfg);
/* NULL when unset. */
const char *config_get(const struct vc_config *cfg, const char *key);
double config_get_double(const struct vc_config *cfg, const char *key, double def);
/* The conninfo to use: flag, else DATABASE_URL, else the file's db, else "" (PG* vars). */
const char *config_conninfo(const struct vc_config *cfg, const char *flag_db);
/* A courier secret ("key" or "token"): environment first, then the file. */
const char *config_courier_secret(const struct vc_config *cfg, const char *courier_code,
				  const char *kind);

#endif
