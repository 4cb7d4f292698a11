/*
 * protect: what a delivery's secrets allow, checked before anything is
 * posted (issue 9 defect 3). A malformed key, or a bearer token that would
 * cross the network in clear (an http:// endpoint whose courier is not
 * explicitly allowed with courier.<CODE>.allow_http = true), is a
 * configuration error. A courier with no key (posted unsigned) or no token
 * (posted without Authorization) is allowed, since some couriers use
 * neither, but never silently: the caller counts and logs it.
 */
#include "deliver/deliver.h"
#include "manifest/manifest.h"
#include "util/strbuf.h"

#include <string.h>
#include <strings.h>

int deliver_check_secrets(const struct deliver_item *it, int allow_http, struct vc_error *err)
{
	if (it->whsec_key) {
		struct strbuf sig = STRBUF_INIT;
		struct vc_error why = VC_ERROR_INIT;
		int rc = manifest_sign(it->whsec_key, "check", 0, "", 0, &sig, &why);
		strbuf_release(&sig);
		if (rc < 0)
			return vc_fail(err, EX_CONFIG, "courier %s: %s", it->courier_code, why.msg);
	}
	if (it->bearer_token && !strncasecmp(it->url, "http://", 7) && !allow_http)
		return vc_fail(err, EX_CONFIG,
			       "courier %s: its bearer token would cross the network in clear to an "
			       "http:// endpoint: give it an https:// endpoint_url, or set "
			       "courier.%s.allow_http = true in the config file", it->courier_code,
			       it->courier_code);
	return 0;
}
