/*
 * config: typed settings from a `key = value` file and the environment.
 *
 * Every key is declared once in the table in pkg/config/keys.c (name, type,
 * default, range, one-line doc). The file is read and validated once, at
 * start (config_load): an unknown key, a malformed value, a value out of
 * range, nan or inf fail with EX_CONFIG naming the file, the line (every
 * line counts, blank and comment ones too) and the key. After that the
 * typed getters cannot fail: they return the file's value (the last one
 * when a key is repeated) or the table's default. Asking for a key that is
 * not in the table, or with the wrong type, is a programming error and
 * aborts.
 *
 * The file is $VCOURIER_CONFIG, else /etc/vcourier/vcourier.conf when it
 * exists. It is opened once (no symlink followed, never blocking on a FIFO)
 * and must be a regular file that group and others cannot read, because it
 * may hold courier secrets.
 *
 * Environment variables win over the file:
 *   DATABASE_URL                 conninfo (after --db)
 *   VCOURIER_KEY_<ENC>           courier's webhook key (whsec_...)
 *   VCOURIER_TOKEN_<ENC>         courier's bearer token
 * where <ENC> is the courier code with A-Z and 0-9 kept and every other
 * byte written `_XX` (two upper-case hex digits): C1 -> VCOURIER_KEY_C1,
 * acme-1 -> VCOURIER_KEY__61_63_6D_65_2D1 (`vcourier config env-name CODE`). One code has one name and one name one code; a
 * VCOURIER_KEY_/VCOURIER_TOKEN_ variable that is not such a name is a
 * configuration error (config_load), so an old-style name never silently
 * feeds another courier.
 *
 * Courier secrets are looked up in this order: a file courier.<CODE>.key /
 * courier.<CODE>.token in $CREDENTIALS_DIRECTORY (systemd LoadCredential=,
 * see credentials.h), then the environment, then the file's key.
 */
#ifndef VC_CONFIG_H
#define VC_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct vc_config;

enum config_type { CONFIG_INT, CONFIG_DOUBLE, CONFIG_STRING, CONFIG_BOOL, CONFIG_PATH };

/* One row of the key table. `key` may hold "<CODE>": a courier code. */
struct config_key {
	const char *key;
	enum config_type type;
	const char *def;   /* default as written in the file; NULL: unset */
	double min, max;   /* inclusive range for int and double */
	const char *doc;   /* one line, for `vcourier config keys` and the man page */
};

/* The key table, for listing and documentation: i from 0 while non-NULL. */
const struct config_key *config_key_at(size_t i);
const char *config_type_name(enum config_type t);

/* path NULL: $VCOURIER_CONFIG, else the default path when it exists. */
int config_load(struct vc_config **out, const char *path, struct vc_error *err);
void config_free(struct vc_config *cfg);

/* Typed getters (cfg may be NULL: defaults). */
int64_t config_int(const struct vc_config *cfg, const char *key);
double config_double(const struct vc_config *cfg, const char *key);
/* NULL when neither the file nor the table sets it. */
const char *config_str(const struct vc_config *cfg, const char *key);
int config_bool(const struct vc_config *cfg, const char *key);
/* Whether the file sets the key (for defaults computed at run time). */
int config_is_set(const struct vc_config *cfg, const char *key);
/* The line of the file that set the key, 0 if unset (for error messages). */
int config_line(const struct vc_config *cfg, const char *key);
const char *config_path(const struct vc_config *cfg);

/* The conninfo to use: flag, else DATABASE_URL, else the file's db, else "" (PG* vars). */
const char *config_conninfo(const struct vc_config *cfg, const char *flag_db);
/* A courier secret ("key" or "token"): credentials directory, environment, file. */
const char *config_courier_secret(const struct vc_config *cfg, const char *courier_code,
				  const char *kind);
/* A courier's bool setting (e.g. "allow_http"): courier.<CODE>.<what>. */
int config_courier_bool(const struct vc_config *cfg, const char *courier_code, const char *what);
/* The environment variable name for a courier secret: VCOURIER_<KEY|TOKEN>_<ENC>.
 * Written into buf (size at least 16 + 3 * strlen(code)); returns buf. */
char *config_secret_env_name(char *buf, size_t size, const char *courier_code, const char *kind);
/*
 * Disable core dumps (RLIMIT_CORE 0) and mark the process not dumpable
 * (PR_SET_DUMPABLE 0, which also keeps other processes of the user from
 * ptrace-attaching), since courier secrets are in its memory. Called by
 * main before anything else.
 */
int config_protect_process(struct vc_error *err);
/* 0 when code is a legal courier code (1 to 64 of A-Z a-z 0-9 _ . -). */
int config_code_check(const char *code);

#endif
