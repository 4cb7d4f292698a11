/*
 * cmd_version: `vcourier version` and `vcourier --version` (main sends
 * both here before reading any config, so a broken config never hides
 * which build is installed).
 */
#include "cmd.h"
#include "version/version.h"

#include <stdio.h>

int cmd_version(int argc, char **argv, struct cmd_ctx *ctx)
{
	(void)argv;
	(void)ctx;
	if (argc > 1)
		return cmd_usage("version");
	vc_version_print(stdout);
	return ferror(stdout) ? EX_IOERR : 0;
}
