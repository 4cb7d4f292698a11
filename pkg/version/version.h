/*
 * version: vcourier's own version (the VERSION file, or `git describe`
 * of a vX.Y.Z tag, fixed at build time) and the versions of the libraries
 * it runs with. One string everywhere: `vcourier --version`, the
 * User-Agent of every POST, the JSON summaries and the runs table.
 */
#ifndef VC_VERSION_H
#define VC_VERSION_H

#include <stdio.h>

/* "0.14.0" (no "v", no program name). */
const char *vc_version(void);
/* "vcourier/0.14.0", the HTTP User-Agent. */
const char *vc_user_agent(void);
/* The `vcourier --version` text: version, build, runtime libraries (libpq,
 * libcurl and its TLS library, zlib, jansson, OpenSSL, libqrencode, CBC). */
void vc_version_print(FILE *out);

#endif
