/*
 * secretfile: the one way to read a file that may hold secrets (the config
 * file, a courier's key file for `manifest verify`): opened once and
 * checked as opened (no stat-then-open race), no symbolic link followed,
 * a FIFO or device refused without blocking, refused when group or others
 * may read it, bounded in size, no NUL byte. Errors are EX_CONFIG (a file
 * that does not exist: missing_code) and never quote the content.
 */
#ifndef VC_SECRETFILE_H
#define VC_SECRETFILE_H

#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

int vc_read_secret_file(const char *path, size_t max_bytes, int missing_code, struct strbuf *sb,
			struct vc_error *err);

#endif
