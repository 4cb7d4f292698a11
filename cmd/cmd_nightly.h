/* Shared by cmd_nightly.c and cmd_rerun.c (rerun --replan runs hubs the same way). */
#ifndef VC_CMD_NIGHTLY_H
#define VC_CMD_NIGHTLY_H

#include "cmd.h"
#include "nightly/nightly.h"

/* Print a summary (JSON on one line, or the human form) and free it; NULL: nothing. */
void cmd_print_summary(json_t *summary, int as_json);
/*
 * Run req for the hub named (or every hub, shared with other workers, jobs
 * at a time), printing each summary; returns the exit status (see
 * docs/scale.md: 0 when every hub touched is done or taken).
 */
int cmd_run_hubs(struct cmd_ctx *ctx, const char *app, const char *hub_code,
		 const struct nightly_request *req, int as_json, int jobs);

#endif
