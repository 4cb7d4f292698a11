/*
 * deliver gzip: the request body compressed as gzip (RFC 1952), with zlib's
 * deflate and windowBits 15 + 16 (the +16 asks for the gzip wrapper rather
 * than zlib's, as git's git_deflate_init_gzip does).
 */
#include "deliver/deliver.h"

#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

#include "util/xalloc.h"

int deliver_gzip(const void *in, size_t len, unsigned char **out, size_t *out_len,
		 struct vc_error *err)
{
	z_stream zs = { 0 };
	unsigned char *buf;
	uLong cap;
	int rc;

	if (len > UINT_MAX / 2)
		return vc_fail(err, EX_DATAERR, "body of %zu bytes is too large to gzip", len);
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return vc_fail(err, EX_SOFTWARE, "zlib: deflateInit2 failed");
	/* deflateBound covers the zlib wrapper; the gzip one is 12 bytes longer. */
	cap = deflateBound(&zs, (uLong)len) + 32;
	buf = xmalloc(cap);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = buf;
	zs.avail_out = (uInt)cap;
	rc = deflate(&zs, Z_FINISH);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(buf);
		return vc_fail(err, EX_SOFTWARE, "zlib: deflate failed (%d)", rc);
	}
	*out = buf;
	return 0;
}
