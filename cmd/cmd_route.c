/* vcourier route: placeholder until its module lands (see the issue list). */
#include "cmd.h"

int cmd_route(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct vc_error err = VC_ERROR_INIT;
	vc_fail(&err, EX_SOFTWARE, "route: not built yet");
	return cmd_fail(&err);
}
