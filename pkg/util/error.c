/* vc_error: caller-owned error reports (see error.h). */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

int vc_fail(struct vc_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void vc_error_clear(struct vc_error *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}
