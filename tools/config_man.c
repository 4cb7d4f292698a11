/*
 * config_man: prints the key list of vcourier.conf(5) (man(7) source) from
 * the typed config table (pkg/config/keys.c), so that the man page and the
 * program never disagree. The Makefile splices it into
 * man/vcourier.conf.5.in at the @KEYS@ line.
 */
#include <stdio.h>
#include <string.h>

/*
 * INTERIM, until the typed config table (pkg/config/keys.c, issue 9) is on
 * main: the keys of the current pkg/config, in that table's shape. Replaced
 * by config_key_at()/config_type_name() from config/config.h after merge.
 */
enum config_type { CONFIG_INT, CONFIG_DOUBLE, CONFIG_STRING, CONFIG_BOOL, CONFIG_PATH };
struct config_key {
	const char *key;
	enum config_type type;
	const char *def;
	double min, max;
	const char *doc;
};
static const struct config_key keys[] = {
	{ "db", CONFIG_STRING, NULL, 0, 0, "libpq conninfo or URI (after --db and DATABASE_URL; empty: the PG* variables)" },
	{ "circuity", CONFIG_DOUBLE, "1.3", 1, 10, "road distance over straight-line distance, where no road matrix is known" },
	{ "courier.<CODE>.key", CONFIG_STRING, NULL, 0, 0, "courier's webhook signing key (whsec_<base64>)" },
};
static const struct config_key *config_key_at(size_t i)
{
	return i < sizeof(keys) / sizeof(keys[0]) ? &keys[i] : NULL;
}
static const char *config_type_name(enum config_type t)
{
	return t == CONFIG_INT ? "int" : t == CONFIG_DOUBLE ? "double" : "string";
}

/* Text for a man(7) text line: backslashes and minus signs escaped, a
 * leading dot or quote made harmless. */
static void roff(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

/* "<CODE>" in a key is a placeholder: set in italics. */
static void key_name(const char *k)
{
	const char *p = strstr(k, "<CODE>");
	fputs(".TP\n.B ", stdout);
	if (!p) {
		roff(k);
		putchar('\n');
		return;
	}
	fputs("\\fB", stdout);
	fwrite(k, 1, (size_t)(p - k), stdout);
	fputs("\\fI", stdout);
	fputs("CODE", stdout);
	fputs("\\fB", stdout);
	roff(p + 6);
	fputs("\\fR\n", stdout);
}

static void number(double v, enum config_type t)
{
	if (t == CONFIG_INT)
		printf("%.0f", v);
	else
		printf("%g", v);
}

int main(void)
{
	const struct config_key *k;
	size_t i;

	for (i = 0; (k = config_key_at(i)); i++) {
		key_name(k->key);
		roff(k->doc);
		fputs(".\n.br\nType ", stdout);
		fputs(config_type_name(k->type), stdout);
		if (k->type == CONFIG_INT || k->type == CONFIG_DOUBLE) {
			fputs(", from ", stdout);
			number(k->min, k->type);
			fputs(" to ", stdout);
			number(k->max, k->type);
		}
		fputs(", default ", stdout);
		if (k->def) {
			fputs("\\fB", stdout);
			roff(k->def);
			fputs("\\fR", stdout);
		} else {
			fputs("unset", stdout);
		}
		fputs(".\n", stdout);
	}
	return ferror(stdout) ? 1 : 0;
}
