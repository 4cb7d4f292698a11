/* config: key = value settings file plus environment (see config.h). */
#include "config/config.h"
#include "config/credentials.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct config_entry {
	char *key;
	char *value;
};

struct vc_config {
	struct config_entry *entries;
	size_t n, cap;
	struct vc_credentials *creds; /* $CREDENTIALS_DIRECTORY, NULL when unset */
};

#define DEFAULT_CONFIG_PATH "/etc/vcourier/vcourier.conf"

static char *trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_file(struct vc_config *cfg, const char *path, struct vc_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	char *line, *save = NULL;
	int lineno = 0, rc = -1;

	if (stat(path, &st) < 0)
		return vc_fail(err, EX_CONFIG, "%s: %s", path, strerror(errno));
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return vc_fail(err, EX_CONFIG,
			       "%s: readable by group or others (mode %03o); it may hold secrets: chmod 600 it",
			       path, (unsigned)(st.st_mode & 0777));
	if (strbuf_read_file(&sb, path, 1 << 20) < 0) {
		vc_fail(err, EX_CONFIG, "%s: %s", path, strerror(errno));
		goto cleanup;
	}
	for (line = strtok_r(sb.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq, *key, *value;
		lineno++;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			vc_fail(err, EX_CONFIG, "%s:%d: expected key = value", path, lineno);
			goto cleanup;
		}
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		cfg->entries = xgrow(cfg->entries, sizeof(*cfg->entries), cfg->n + 1, &cfg->cap);
		cfg->entries[cfg->n].key = xstrdup(key);
		cfg->entries[cfg->n].value = xstrdup(value);
		cfg->n++;
	}
	rc = 0;
cleanup:
	strbuf_release(&sb);
	return rc;
}

int config_load(struct vc_config **out, const char *path, struct vc_error *err)
{
	struct vc_config *cfg = xcalloc(1, sizeof(*cfg));
	if (!path)
		path = getenv("VCOURIER_CONFIG");
	if (!path && access(DEFAULT_CONFIG_PATH, F_OK) == 0)
		path = DEFAULT_CONFIG_PATH;
	if ((path && *path && parse_file(cfg, path, err) < 0) ||
	    credentials_load(&cfg->creds, err) < 0) {
		config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

void config_free(struct vc_config *cfg)
{
	size_t i;
	if (!cfg)
		return;
	for (i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].key);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	credentials_free(cfg->creds);
	free(cfg);
}

const char *config_get(const struct vc_config *cfg, const char *key)
{
	size_t i;
	if (!cfg)
		return NULL;
	/* Last one wins, as in most config formats. */
	for (i = cfg->n; i-- > 0;)
		if (!strcmp(cfg->entries[i].key, key))
			return cfg->entries[i].value;
	return NULL;
}

double config_get_double(const struct vc_config *cfg, const char *key, double def)
{
	const char *v = config_get(cfg, key);
	char *end;
	double d;
	if (!v || !*v)
		return def;
	d = strtod(v, &end);
	return *end ? def : d;
}

const char *config_conninfo(const struct vc_config *cfg, const char *flag_db)
{
	const char *v;
	if (flag_db)
		return flag_db;
	v = getenv("DATABASE_URL");
	if (v && *v)
		return v;
	v = config_get(cfg, "db");
	return v ? v : "";
}

const char *config_courier_secret(const struct vc_config *cfg, const char *courier_code,
				  const char *kind)
{
	/* a credential is what the service manager was told for this very service */
	const char *v = credentials_courier_secret(cfg ? cfg->creds : NULL, courier_code, kind);
	struct strbuf name = STRBUF_INIT;
	const char *p;
	if (v)
		return v;
	strbuf_addf(&name, "VCOURIER_%s_", !strcmp(kind, "key") ? "KEY" : "TOKEN");
	for (p = courier_code; *p; p++)
		strbuf_addch(&name, isalnum((unsigned char)*p) ? toupper((unsigned char)*p) : '_');
	v = getenv(name.buf);
	strbuf_reset(&name);
	if (!v || !*v) {
		strbuf_addf(&name, "courier.%s.%s", courier_code, kind);
		v = config_get(cfg, name.buf);
	}
	strbuf_release(&name);
	return (v && *v) ? v : NULL;
}
