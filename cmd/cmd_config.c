/*
 * vcourier config keys | check | env-name CODE
 *
 * keys: the key table (pkg/config/keys.c), one key a line, tab-separated:
 *   key  type  default  range  doc
 * (default "-" when unset, range "min..max" for numbers, "-" otherwise).
 * This output is stable: the vcourier.conf(5) man page is generated from it.
 * check: load and validate the file ($VCOURIER_CONFIG or --config) and the
 * environment; 0 or the one error line and 78.
 * env-name CODE: the environment variable names for a courier's secrets.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

static void print_keys(FILE *out)
{
	const struct config_key *k;
	size_t i;
	fprintf(out, "# key\ttype\tdefault\trange\tdoc\n");
	for (i = 0; (k = config_key_at(i)); i++) {
		fprintf(out, "%s\t%s\t%s\t", k->key, config_type_name(k->type), k->def ? k->def : "-");
		if (k->type == CONFIG_INT)
			fprintf(out, "%.0f..%.0f", k->min, k->max);
		else if (k->type == CONFIG_DOUBLE)
			fprintf(out, "%.15g..%.15g", k->min, k->max);
		else
			fputc('-', out);
		fprintf(out, "\t%s\n", k->doc);
	}
}

int cmd_config(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const char usage[] = "config keys | check | env-name CODE";
	struct vc_error err = VC_ERROR_INIT;
	struct vc_config *cfg = NULL;
	char name[256];

	if (argc == 2 && !strcmp(argv[1], "keys")) {
		print_keys(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "check")) {
		if (config_load(&cfg, ctx->config_path, &err) < 0)
			return cmd_fail(&err);
		printf("%s: ok\n", config_path(cfg));
		config_free(cfg);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "env-name")) {
		if (config_code_check(argv[2]) < 0) {
			fprintf(stderr, "vcourier: '%s' is not a courier code "
					"(1 to 64 of A-Z a-z 0-9 _ . -)\n", argv[2]);
			return EX_DATAERR;
		}
		printf("%s\n", config_secret_env_name(name, sizeof(name), argv[2], "key"));
		printf("%s\n", config_secret_env_name(name, sizeof(name), argv[2], "token"));
		return 0;
	}
	return cmd_usage(usage);
}
