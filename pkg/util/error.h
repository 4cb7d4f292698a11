/*
 * vc_error: how library code reports failure. Functions return 0 on success
 * and -1 on failure after filling the caller's vc_error with one complete
 * line of text and the sysexits code the command should end with. Only
 * cmd/ turns an error into output and an exit status.
 */
#ifndef VC_ERROR_H
#define VC_ERROR_H

#include <sysexits.h>

struct vc_error {
	int code;        /* EX_* from sysexits.h; 0 when no error */
	char msg[1024];
};

#define VC_ERROR_INIT { 0, "" }

/* Fill err (may be NULL) and return -1, so callers write `return vc_fail(...)`. */
int vc_fail(struct vc_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vc_error_clear(struct vc_error *err);

#endif
