/* vcourier deliver: placeholder until its module lands (see the issue list). */
#include "cmd.h"

int cmd_deliver(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct vc_error err = VC_ERROR_INIT;
	vc_fail(&err, EX_SOFTWARE, "deliver: not built yet");
	return cmd_fail(&err);
}
