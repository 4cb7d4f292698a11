/*
 * config_man: prints the key list of vcourier.conf(5) (man(7) source) from
 * the typed config table (pkg/config/keys.c), so that the man page and the
 * program never disagree. The Makefile splices it into
 * man/vcourier.conf.5.in at the @KEYS@ line.
 */
#include "config/config.h"

#include <stdio.h>
#include <string.h>

/*
 * Text for man(7) text lines: backslashes and minus signs escaped, a dot
 * or quote starting a line made harmless, and broken at a space before
 * 72 columns (mandoc's lint wants lines under 80 bytes).
 */
static void roff(const char *s)
{
	int col = 0;
	for (; *s; s++) {
		if (*s == ' ' && col >= 64) {
			putchar('\n');
			col = 0;
			continue;
		}
		if (col == 0 && (*s == '.' || *s == '\''))
			col += printf("\\&");
		if (*s == '\\')
			col += printf("\\e");
		else if (*s == '-')
			col += printf("\\-");
		else
			col += printf("%c", *s);
	}
}

/* "<CODE>", "<PROFILE>", ... in a key are placeholders: set in italics. */
static void key_name(const char *k)
{
	char part[128];
	const char *open, *close;
	fputs(".TP\n.B ", stdout);
	if (!strchr(k, '<')) {
		roff(k);
		putchar('\n');
		return;
	}
	fputs("\\fB", stdout);
	while ((open = strchr(k, '<')) && (close = strchr(open, '>'))) {
		snprintf(part, sizeof(part), "%.*s", (int)(open - k), k);
		roff(part);
		printf("\\fI%.*s\\fB", (int)(close - open - 1), open + 1);
		k = close + 1;
	}
	roff(k);
	fputs("\\fR\n", stdout);
}

/* Whole numbers in full (1000000, 2^53), fractions as written (0.1). */
static void number(double v)
{
	if (v == (double)(long long)v && v < 1e17 && v > -1e17)
		printf("%lld", (long long)v);
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
			number(k->min);
			fputs(" to ", stdout);
			number(k->max);
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
