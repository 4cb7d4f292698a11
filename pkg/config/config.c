/*
 * config: reading, validating and typed lookup of the settings file (see
 * config.h); the key table is in keys.c, the courier secrets in secret.c.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "config/credentials.h"
#include "roads/profile.h"
#include "util/secretfile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_CONFIG_PATH "/etc/vcourier/vcourier.conf"
#define MAX_CONFIG_BYTES (1 << 20)

struct config_entry {
	char *key;
	char *value;
	int line;
	union config_value v;
};

struct vc_config {
	char *path;
	struct config_entry *entries;
	size_t n, cap;
	struct vc_credentials *creds; /* $CREDENTIALS_DIRECTORY, NULL when unset */
};

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

int config_code_check(const char *code)
{
	size_t n = strlen(code);
	return n >= 1 && n <= 64 &&
	       !code[strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")]
		       ? 0 : -1;
}

/*
 * Placeholders in the table's key names. Each stands for one word of the
 * key (1 to 64 of the code characters) and must also be what it names: a
 * vehicle profile and a road class come from pkg/roads, their one home, so
 * `max_trips.bus` is refused at start instead of never being read.
 */
static int is_code(const char *s) { return config_code_check(s) == 0; }
static int is_profile(const char *s) { return *s && roads_profile_parse(s) >= 0; }
static int is_class(const char *s) { return roads_class_parse(s) >= 0; }

static const struct placeholder {
	const char *name;
	int (*ok)(const char *text);
	const char *what;          /* "'x' is not <what>" */
	const char *(*list)(void); /* the accepted words, when short enough to show; or NULL */
} placeholders[] = {
	{ "<CODE>", is_code, "a legal code", NULL },
	{ "<PROFILE>", is_profile, "a vehicle profile", roads_profile_list },
	{ "<CLASS>", is_class, "a road class (docs/roads.md)", NULL },
};

/* Why a key that has the shape of a table row is not one (parse_line's message). */
struct near_miss {
	const struct placeholder *ph;
	char text[65];
};

static const struct placeholder *placeholder_at(const char *p)
{
	size_t i;
	for (i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++)
		if (!strncmp(p, placeholders[i].name, strlen(placeholders[i].name)))
			return &placeholders[i];
	return NULL;
}

/*
 * Whether key matches the table's name, each placeholder standing for a
 * word it accepts. Words may hold '.', so every split is tried (keys are
 * short). A word of the right shape that is not what its placeholder names
 * is noted in *near (the first one), for the error message.
 */
static int key_matches(const char *pattern, const char *key, struct near_miss *near)
{
	const char *hole = strchr(pattern, '<');
	const struct placeholder *ph = hole ? placeholder_at(hole) : NULL;
	char word[65];
	size_t pre, len;
	if (!ph)
		return !strcmp(pattern, key);
	pre = (size_t)(hole - pattern);
	if (strncmp(key, pattern, pre))
		return 0;
	key += pre;
	for (len = 1; len < sizeof(word) && key[len - 1]; len++) {
		memcpy(word, key, len);
		word[len] = '\0';
		if (!is_code(word))
			break; /* a longer word holds the same bad character */
		if (!key_matches(hole + strlen(ph->name), key + len, near))
			continue;
		if (ph->ok(word))
			return 1;
		if (near && !near->ph) {
			near->ph = ph;
			memcpy(near->text, word, len + 1);
		}
	}
	return 0;
}

static const struct config_key *find_key(const char *key, struct near_miss *near)
{
	const struct config_key *k;
	size_t i;
	for (i = 0; (k = config_key_at(i)); i++)
		if (key_matches(k->key, key, near))
			return k;
	return NULL;
}

const struct config_key *config_find_key(const char *key)
{
	return find_key(key, NULL);
}

/* The value shown in an error: numbers and bools only (strings may be secrets). */
static const char *shown(const char *v, char *buf, size_t size)
{
	size_t i;
	for (i = 0; v[i] && i + 4 < size; i++)
		buf[i] = isprint((unsigned char)v[i]) ? v[i] : '?';
	buf[i] = '\0';
	if (v[i])
		strcpy(buf + i, "...");
	return buf;
}

int config_parse_value(const struct config_key *k, const char *text, union config_value *out,
		       const char **problem)
{
	char *end;
	*problem = NULL;
	switch (k->type) {
	case CONFIG_INT: {
		long long v;
		if (!*text) {
			*problem = "is empty (remove the line to use the default)";
			return -1;
		}
		errno = 0;
		v = strtoll(text, &end, 10);
		if (*end || end == text) {
			*problem = "is not an integer";
			return -1;
		}
		if (errno == ERANGE || (double)v < k->min || (double)v > k->max) {
			*problem = "is out of range";
			return -1;
		}
		out->i = v;
		return 0;
	}
	case CONFIG_DOUBLE: {
		double d;
		if (!*text) {
			*problem = "is empty (remove the line to use the default)";
			return -1;
		}
		errno = 0;
		d = strtod(text, &end);
		if (*end || end == text) {
			*problem = "is not a number";
			return -1;
		}
		if (!isfinite(d)) {
			*problem = "is not a finite number";
			return -1;
		}
		if (errno == ERANGE || d < k->min || d > k->max) {
			*problem = "is out of range";
			return -1;
		}
		out->d = d;
		return 0;
	}
	case CONFIG_BOOL:
		if (!strcmp(text, "true") || !strcmp(text, "yes") || !strcmp(text, "on") ||
		    !strcmp(text, "1")) {
			out->b = 1;
			return 0;
		}
		if (!strcmp(text, "false") || !strcmp(text, "no") || !strcmp(text, "off") ||
		    !strcmp(text, "0")) {
			out->b = 0;
			return 0;
		}
		*problem = "is not a boolean (true or false)";
		return -1;
	case CONFIG_PATH:
		if (*text && *text != '/') {
			*problem = "must be an absolute path (cron does not start where you are)";
			return -1;
		}
		out->s = text;
		return 0;
	default:
		out->s = text;
		return 0;
	}
}

static int fail_line(struct vc_error *err, const char *path, int line, const char *key,
		     const struct config_key *k, const char *value, const char *problem)
{
	char buf[48];
	if (k->type == CONFIG_INT)
		return vc_fail(err, EX_CONFIG, "%s:%d: %s: '%s' %s (int, %.0f to %.0f)", path, line,
			       key, shown(value, buf, sizeof(buf)), problem, k->min, k->max);
	if (k->type == CONFIG_DOUBLE)
		return vc_fail(err, EX_CONFIG, "%s:%d: %s: '%s' %s (double, %g to %g)", path, line,
			       key, shown(value, buf, sizeof(buf)), problem, k->min, k->max);
	if (k->type == CONFIG_BOOL)
		return vc_fail(err, EX_CONFIG, "%s:%d: %s: '%s' %s", path, line, key,
			       shown(value, buf, sizeof(buf)), problem);
	return vc_fail(err, EX_CONFIG, "%s:%d: %s: the value %s", path, line, key, problem);
}

static int parse_line(struct vc_config *cfg, char *line, int lineno, struct vc_error *err)
{
	const struct config_key *k;
	struct config_entry *e;
	struct near_miss near = { NULL, "" };
	const char *problem;
	char *eq, *key, *value, buf[72];
	union config_value v;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return vc_fail(err, EX_CONFIG, "%s:%d: expected key = value", cfg->path, lineno);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	k = find_key(key, &near);
	if (!k && near.ph) /* the shape of a key, a word that is not what it names */
		return vc_fail(err, EX_CONFIG, "%s:%d: %s: '%s' is not %s%s%s%s", cfg->path, lineno,
			       shown(key, buf, sizeof(buf)), near.text, near.ph->what,
			       near.ph->list ? " (" : "", near.ph->list ? near.ph->list() : "",
			       near.ph->list ? ")" : "");
	if (!k)
		return vc_fail(err, EX_CONFIG,
			       "%s:%d: unknown key '%s' (vcourier config keys lists them)",
			       cfg->path, lineno, shown(key, buf, sizeof(buf)));
	if (k->type == CONFIG_STRING && !strncmp(k->key, "courier.", 8) && !*value)
		return vc_fail(err, EX_CONFIG, "%s:%d: %s: the value is empty", cfg->path, lineno,
			       key);
	if (config_parse_value(k, value, &v, &problem) < 0)
		return fail_line(err, cfg->path, lineno, key, k, value, problem);
	cfg->entries = xgrow(cfg->entries, sizeof(*cfg->entries), cfg->n + 1, &cfg->cap);
	e = &cfg->entries[cfg->n++];
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	e->line = lineno;
	e->v = v;
	if (k->type == CONFIG_STRING || k->type == CONFIG_PATH)
		e->v.s = e->value;
	return 0;
}

static int parse_file(struct vc_config *cfg, struct vc_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char *line, *nl;
	int lineno = 0, rc = -1;

	if (vc_read_secret_file(cfg->path, MAX_CONFIG_BYTES, EX_CONFIG, &sb, err) < 0)
		goto cleanup;
	/* Every line counts, blank and comment ones too, so that the numbers
	 * in errors are the editor's. */
	for (line = sb.buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		if (parse_line(cfg, line, lineno, err) < 0)
			goto cleanup;
		if (!nl)
			break;
	}
	rc = 0;
cleanup:
	strbuf_release(&sb);
	return rc;
}

int config_load(struct vc_config **out, const char *path, struct vc_error *err)
{
	struct vc_config *cfg = xcalloc(1, sizeof(*cfg));
	*out = NULL;
	if (!path)
		path = getenv("VCOURIER_CONFIG");
	if (!path && access(DEFAULT_CONFIG_PATH, F_OK) == 0)
		path = DEFAULT_CONFIG_PATH;
	if (path && *path) {
		cfg->path = xstrdup(path);
		if (parse_file(cfg, err) < 0)
			goto fail;
	}
	if (config_check_environment(err) < 0 || credentials_load(&cfg->creds, err) < 0)
		goto fail;
	*out = cfg;
	return 0;
fail:
	config_free(cfg);
	return -1;
}

void config_free(struct vc_config *cfg)
{
	size_t i;
	if (!cfg)
		return;
	for (i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].key);
		config_wipe(cfg->entries[i].value);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	credentials_free(cfg->creds);
	free(cfg->path);
	free(cfg);
}

/* Last one wins, as in most config formats. */
static const struct config_entry *find_entry(const struct vc_config *cfg, const char *key)
{
	size_t i;
	if (!cfg)
		return NULL;
	for (i = cfg->n; i-- > 0;)
		if (!strcmp(cfg->entries[i].key, key))
			return &cfg->entries[i];
	return NULL;
}

/* The value of a key of the given type: the file's, else the default parsed. */
static int lookup(const struct vc_config *cfg, const char *key, enum config_type type,
		  union config_value *out)
{
	const struct config_key *k = config_find_key(key);
	const struct config_entry *e;
	const char *problem;
	if (!k || k->type != type) {
		/* A caller's bug (a key missing from keys.c or read with the
		 * wrong type): fail loudly in every test that reaches it. */
		fprintf(stderr, "vcourier: internal error: config key '%s' %s\n", key,
			k ? "read with the wrong type" : "not in the key table");
		abort();
	}
	e = find_entry(cfg, key);
	if (e) {
		*out = e->v;
		return 1;
	}
	if (!k->def)
		return 0;
	if (config_parse_value(k, k->def, out, &problem) < 0) {
		fprintf(stderr, "vcourier: internal error: default of %s %s\n", key, problem);
		abort();
	}
	return 1;
}

int64_t config_int(const struct vc_config *cfg, const char *key)
{
	union config_value v = { .i = 0 };
	lookup(cfg, key, CONFIG_INT, &v);
	return v.i;
}

double config_double(const struct vc_config *cfg, const char *key)
{
	union config_value v = { .d = 0 };
	lookup(cfg, key, CONFIG_DOUBLE, &v);
	return v.d;
}

int config_bool(const struct vc_config *cfg, const char *key)
{
	union config_value v = { .b = 0 };
	lookup(cfg, key, CONFIG_BOOL, &v);
	return v.b;
}

const char *config_str(const struct vc_config *cfg, const char *key)
{
	const struct config_key *k = config_find_key(key);
	union config_value v = { .s = NULL };
	lookup(cfg, key, k && k->type == CONFIG_PATH ? CONFIG_PATH : CONFIG_STRING, &v);
	return v.s && *v.s ? v.s : NULL;
}

int config_is_set(const struct vc_config *cfg, const char *key)
{
	return find_entry(cfg, key) != NULL;
}

int config_line(const struct vc_config *cfg, const char *key)
{
	const struct config_entry *e = find_entry(cfg, key);
	return e ? e->line : 0;
}

const char *config_path(const struct vc_config *cfg)
{
	return cfg && cfg->path ? cfg->path : "(no config file)";
}

const char *config_conninfo(const struct vc_config *cfg, const char *flag_db)
{
	const char *v;
	if (flag_db)
		return flag_db;
	v = getenv("DATABASE_URL");
	if (v && *v)
		return v;
	v = config_str(cfg, "db");
	return v ? v : "";
}

const struct vc_credentials *config_credentials(const struct vc_config *cfg)
{
	return cfg ? cfg->creds : NULL;
}
