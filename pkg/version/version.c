/*
 * version: the version strings and the library report (see version.h).
 * vc_build_version.h is written by the Makefile into the build folder and
 * rewritten only when the version or the commit changes.
 */
#include "route/set_partition.h"
#include "version/version.h"
#include "vc_build_version.h"

#include <curl/curl.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <qrencode.h>
#include <zlib.h>

const char *vc_version(void)
{
	return VC_VERSION;
}

const char *vc_user_agent(void)
{
	return "vcourier/" VC_VERSION;
}

void vc_version_print(FILE *out)
{
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
	int pq = PQlibVersion();

	fprintf(out, "vcourier %s\n", VC_VERSION);
	if (VC_COMMIT[0])
		fprintf(out, "commit   %s\n", VC_COMMIT);
	/* Runtime versions (what the dynamic linker found), build versions after. */
	fprintf(out, "libpq    %d.%d\n", pq / 10000, pq % 10000);
	fprintf(out, "libcurl  %s, %s (built with %s)\n", cv->version,
		cv->ssl_version ? cv->ssl_version : "no TLS", LIBCURL_VERSION);
	fprintf(out, "zlib     %s (built with %s)\n", zlibVersion(), ZLIB_VERSION);
#if JANSSON_VERSION_HEX >= 0x020d00
	fprintf(out, "jansson  %s (built with %s)\n", jansson_version_str(), JANSSON_VERSION);
#else
	fprintf(out, "jansson  %s\n", JANSSON_VERSION);
#endif
	fprintf(out, "OpenSSL  %s (built with %s)\n", OpenSSL_version(OPENSSL_VERSION),
		OPENSSL_VERSION_TEXT);
	fprintf(out, "libqrencode %s\n", QRcode_APIVersionString());
	fprintf(out, "CBC      %s\n", set_partition_solver_version());
}
