/*
 * manifest crypto: the SHA-256 checksum of a manifest's bytes and the
 * Standard Webhooks signature (HMAC-SHA256 over "<id>.<ts>.<body>" with the
 * decoded whsec_ key, base64), with OpenSSL libcrypto. Secrets are wiped
 * from memory once used and never copied into error messages.
 */
#include "manifest/manifest.h"
#include "manifest/manifest_internal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "util/xalloc.h"

#define WHSEC_PREFIX "whsec_"
/* Standard Webhooks: secrets are between 24 and 64 bytes. */
#define WHSEC_MIN_BYTES 24
#define WHSEC_MAX_BYTES 64

void manifest_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int md_len = 0;
	unsigned int i;

	EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

void manifest_base64(const unsigned char *in, size_t len, struct strbuf *out)
{
	size_t need = 4 * ((len + 2) / 3);
	strbuf_grow(out, need + 1);
	EVP_EncodeBlock((unsigned char *)out->buf + out->len, in, (int)len);
	strbuf_setlen(out, out->len + need);
}

/*
 * Strict base64 (standard alphabet, padded): EVP_DecodeBlock accepts
 * surrounding whitespace and counts padding as zero bytes, so check the
 * alphabet and length first and drop the padding from the count.
 */
int manifest_base64_decode(const char *in, size_t len, unsigned char *out, size_t cap,
			   size_t *out_len)
{
	size_t pad = 0, i, n;
	int got;

	if (len == 0 || len % 4)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '=') {
			if (i < len - 2)
				return -1;
			pad++;
		} else if (pad || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				    (c >= '0' && c <= '9') || c == '+' || c == '/')) {
			return -1;
		}
	}
	n = len / 4 * 3;
	if (n > cap || n > 0x7fffffff)
		return -1;
	got = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
	if (got < 0 || (size_t)got != n)
		return -1;
	*out_len = n - pad;
	return 0;
}

int manifest_sign(const char *whsec_key, const char *msg_id, long long timestamp,
		  const void *body, size_t len, struct strbuf *out, struct vc_error *err)
{
	unsigned char key[WHSEC_MAX_BYTES + 3], mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	size_t key_len = 0, b64_len;
	char prefix[64];
	HMAC_CTX *hmac = NULL;
	int ok, n;

	if (!whsec_key || strncmp(whsec_key, WHSEC_PREFIX, strlen(WHSEC_PREFIX)))
		return vc_fail(err, EX_CONFIG, "webhook key does not start with " WHSEC_PREFIX);
	whsec_key += strlen(WHSEC_PREFIX);
	b64_len = strcspn(whsec_key, "\r\n");
	if (whsec_key[b64_len + strspn(whsec_key + b64_len, "\r\n")] != '\0' ||
	    manifest_base64_decode(whsec_key, b64_len, key, sizeof(key), &key_len) < 0 ||
	    key_len < WHSEC_MIN_BYTES || key_len > WHSEC_MAX_BYTES) {
		OPENSSL_cleanse(key, sizeof(key));
		return vc_fail(err, EX_CONFIG,
			       "webhook key is not whsec_ followed by base64 of %d to %d bytes",
			       WHSEC_MIN_BYTES, WHSEC_MAX_BYTES);
	}
	n = snprintf(prefix, sizeof(prefix), ".%lld.", timestamp);
	/* HMAC_* are deprecated in OpenSSL 3 but still the simplest streaming API. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	hmac = HMAC_CTX_new();
	ok = hmac && HMAC_Init_ex(hmac, key, (int)key_len, EVP_sha256(), NULL) &&
	     HMAC_Update(hmac, (const unsigned char *)msg_id, strlen(msg_id)) &&
	     HMAC_Update(hmac, (const unsigned char *)prefix, (size_t)n) &&
	     HMAC_Update(hmac, body, len) && HMAC_Final(hmac, mac, &mac_len);
	HMAC_CTX_free(hmac);
#pragma GCC diagnostic pop
	OPENSSL_cleanse(key, sizeof(key));
	if (!ok)
		return vc_fail(err, EX_SOFTWARE, "HMAC-SHA256 failed");
	strbuf_addstr(out, "v1,");
	manifest_base64(mac, mac_len, out);
	return 0;
}

int manifest_signature_matches(const char *expected, const char *header)
{
	size_t want = strlen(expected);
	int found = 0;

	/* A space-separated list (key rotation); every entry is compared. */
	while (*header) {
		size_t n = strcspn(header, " ");
		if (n == want && !CRYPTO_memcmp(header, expected, want))
			found = 1;
		header += n;
		header += strspn(header, " ");
	}
	return found;
}
