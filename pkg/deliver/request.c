/*
 * deliver request: one POST of a manifest (SPEC section 5) as a libcurl easy
 * handle, and the classification of its result. Redirects are never
 * followed (the body and its signature must not reach another host), TLS is
 * always verified (ca_file only adds a trust anchor), only http/https are
 * allowed. Secrets go into headers only; libcurl's verbose output, which
 * would print them, is never enabled.
 */
#include "deliver/deliver_internal.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "manifest/manifest.h"
#include "util/clock.h"
#include "util/strbuf.h"
#include "version/version.h"


/* Keep the start of the answer for the record; read (and drop) the rest. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct transfer *t = user;
	size_t n = size * nmemb, room = DELIVER_EXCERPT_MAX - t->excerpt_len, i;
	for (i = 0; i < n && i < room; i++) {
		unsigned char c = (unsigned char)data[i];
		/* printable ASCII only: the excerpt is logged and stored as text */
		t->excerpt[t->excerpt_len++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	t->excerpt[t->excerpt_len] = '\0';
	return n;
}

static int header_value_ok(const char *s)
{
	return s && !strpbrk(s, "\r\n");
}

static void add_header(struct curl_slist **list, const char *fmt, const char *value)
{
	struct strbuf h = STRBUF_INIT;
	strbuf_addf(&h, fmt, value);
	*list = curl_slist_append(*list, h.buf);
	/* the Authorization line holds a secret: do not leave it in freed
	 * memory (OPENSSL_cleanse: a plain memset before free may be elided) */
	OPENSSL_cleanse(h.buf, h.len);
	strbuf_release(&h);
}

/* The answer's Date header, to tell a refused signature from a skewed clock. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct transfer *t = user;
	size_t n = size * nmemb;
	char value[64];
	if (n > 5 && n < sizeof(value) + 5 && !strncasecmp(data, "Date:", 5)) {
		memcpy(value, data + 5, n - 5);
		value[n - 5] = '\0';
		t->server_date = (long long)curl_getdate(value, NULL);
	}
	return n;
}

static int build_headers(struct transfer *t, const struct deliver_item *item,
			 struct vc_error *err)
{
	struct strbuf sig = STRBUF_INIT;
	char ts[32];
	long long now = (long long)time(NULL);

	if (!header_value_ok(item->manifest_id) || !header_value_ok(item->sha256_hex) ||
	    (item->bearer_token && !header_value_ok(item->bearer_token)))
		return vc_fail(err, EX_DATAERR, "manifest %s: a header value holds a line break",
			       item->manifest_id);
	add_header(&t->headers, "Content-Type: %s", "application/json");
	add_header(&t->headers, "Content-Encoding: %s", "gzip");
	add_header(&t->headers, "Idempotency-Key: %s", item->manifest_id);
	add_header(&t->headers, "X-Manifest-SHA256: %s", item->sha256_hex);
	/* no "Expect: 100-continue" round trip for large bodies */
	t->headers = curl_slist_append(t->headers, "Expect:");
	if (item->whsec_key) {
		if (manifest_sign(item->whsec_key, item->manifest_id, now, item->body,
				  item->body_len, &sig, err) < 0) {
			strbuf_release(&sig);
			return -1;
		}
		snprintf(ts, sizeof(ts), "%lld", now);
		t->signed_at = now;
		add_header(&t->headers, "webhook-id: %s", item->manifest_id);
		add_header(&t->headers, "webhook-timestamp: %s", ts);
		add_header(&t->headers, "webhook-signature: %s", sig.buf);
		strbuf_release(&sig);
	}
	if (item->bearer_token)
		add_header(&t->headers, "Authorization: Bearer %s", item->bearer_token);
	return 0;
}

static long ms(double s)
{
	return s < 0.001 ? 1 : (long)(s * 1000);
}

int transfer_start(struct transfer *t, const struct deliver_item *item, const unsigned char *gz,
		   size_t gz_len, const struct deliver_options *opt, double timeout_s,
		   struct vc_error *err)
{
	CURL *c;

	memset(t, 0, sizeof(*t));
	if (build_headers(t, item, err) < 0)
		goto fail;
	t->easy = c = curl_easy_init();
	if (!c) {
		vc_fail(err, EX_SOFTWARE, "libcurl: curl_easy_init failed");
		goto fail;
	}
	curl_easy_setopt(c, CURLOPT_URL, item->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, gz);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)gz_len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, vc_user_agent());
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	/* ca_file replaces libcurl's CA bundle file; the CA directory libcurl
	 * was built with (if any) is left as it is, never forced to a path
	 * that may not exist or hold other anchors on this system. */
	if (opt->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, opt->ca_file);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 ms(opt->connect_timeout_s < timeout_s ? opt->connect_timeout_s : timeout_s));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms(timeout_s));
	/* an answer trickling in slower than this is a dead endpoint */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 16L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, timeout_s < 2 ? 1L : (long)(timeout_s / 2));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(c, CURLOPT_PRIVATE, t);
	t->started_unix_ms = (long long)vc_wall_ms();
	t->started_mono = vc_mono_s();
	return 0;
fail:
	transfer_release(t);
	return -1;
}

enum deliver_outcome deliver_classify_status(long status)
{
	if (status >= 200 && status < 300)
		return DELIVER_DELIVERED;
	if (status == 410)
		return DELIVER_GONE;
	/* in flight elsewhere, throttled, timed out at a proxy, or a server error */
	if (status == 408 || status == 409 || status == 425 || status == 429 || status >= 500)
		return DELIVER_RETRY;
	/* other 4xx, and 3xx: redirects are not followed */
	return DELIVER_FAILED;
}

/*
 * A signed post refused (400, 401, 403) by an endpoint whose Date is
 * further from our clock than the Standard Webhooks tolerance: the
 * signature's timestamp was refused, not the manifest. Not a permanent
 * failure: retried (and left pending) until the clock is fixed.
 */
static int skewed(const struct transfer *t, long status, struct deliver_attempt *a)
{
	long long off;
	if (!t->signed_at || t->server_date <= 0 ||
	    (status != 400 && status != 401 && status != 403))
		return 0;
	off = t->server_date - t->signed_at;
	if (off <= DELIVER_SIGNATURE_TOLERANCE_S && -off <= DELIVER_SIGNATURE_TOLERANCE_S)
		return 0;
	a->outcome = DELIVER_RETRY;
	snprintf(a->error, sizeof(a->error),
		 "HTTP %ld: clock skew: the endpoint's Date is %lld s %s ours, beyond the %d s "
		 "signature tolerance; fix this host's clock (NTP)", status, off < 0 ? -off : off,
		 off < 0 ? "behind" : "ahead of", DELIVER_SIGNATURE_TOLERANCE_S);
	return 1;
}

/* Transport errors that a later attempt cannot fix. */
static int permanent_curl_error(CURLcode code)
{
	return code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT;
}

void transfer_classify(struct transfer *t, CURLcode code, struct deliver_attempt *a)
{
	long status = 0;
	curl_off_t retry_after = -1;
	char *location = NULL;

	a->started_unix_ms = t->started_unix_ms;
	a->duration_ms = (long)((vc_mono_s() - t->started_mono) * 1000);
	a->retry_after_s = -1;
	a->error[0] = '\0';
	snprintf(a->excerpt, sizeof(a->excerpt), "%s", t->excerpt);
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	a->http_status = (int)status;
	if (code != CURLE_OK) {
		struct strbuf why = STRBUF_INIT;
		a->outcome = permanent_curl_error(code) ? DELIVER_FAILED : DELIVER_RETRY;
		strbuf_addf(&why, "%s%s%s", curl_easy_strerror(code), t->errbuf[0] ? ": " : "",
			    t->errbuf);
		snprintf(a->error, sizeof(a->error), "%s", why.buf);
		strbuf_release(&why);
		return;
	}
	a->outcome = deliver_classify_status(status);
	if (a->outcome == DELIVER_FAILED && skewed(t, status, a))
		return;
	if (curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
	    retry_after > 0)
		a->retry_after_s = (double)retry_after;
	if (status >= 300 && status < 400) {
		curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &location);
		snprintf(a->error, sizeof(a->error), "HTTP %ld redirect to %s not followed", status,
			 location ? location : "(no Location)");
	} else if (a->outcome != DELIVER_DELIVERED) {
		snprintf(a->error, sizeof(a->error), "HTTP %ld", status);
	}
}

void transfer_release(struct transfer *t)
{
	struct curl_slist *h;
	if (t->easy)
		curl_easy_cleanup(t->easy);
	/* libcurl's copies of our header lines (the Authorization one holds the
	 * token) are freed without being wiped: wipe them first. */
	for (h = t->headers; h; h = h->next)
		OPENSSL_cleanse(h->data, strlen(h->data));
	curl_slist_free_all(t->headers);
	t->easy = NULL;
	t->headers = NULL;
}
