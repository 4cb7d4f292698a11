/*
 * secret: courier secrets from the credentials folder (credentials.h), the
 * environment and the file (see config.h
 * for the naming rule), and the check that every VCOURIER_KEY_/TOKEN_
 * variable names exactly one courier code.
 *
 * Why the encoding: codes may hold a-z _ . - which environment names
 * written by shells cannot, and folding them (upper-case, '_' for the rest)
 * gave acme-1, ACME_1 and acme.1 one shared secret. Keeping A-Z 0-9 and
 * escaping every other byte as _XX is one-to-one, and leaves the usual
 * upper-case codes (C1, K001) with the names they always had.
 */
#include "config/config.h"
#include "config/config_internal.h"
#include "util/strbuf.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static const char hexdig[] = "0123456789ABCDEF";

static int kept(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char *config_secret_env_name(char *buf, size_t size, const char *courier_code, const char *kind)
{
	size_t o;
	const unsigned char *p;
	o = (size_t)snprintf(buf, size, "VCOURIER_%s_", !strcmp(kind, "key") ? "KEY" : "TOKEN");
	for (p = (const unsigned char *)courier_code; *p && o + 4 < size; p++) {
		if (kept(*p)) {
			buf[o++] = (char)*p;
		} else {
			buf[o++] = '_';
			buf[o++] = hexdig[*p >> 4];
			buf[o++] = hexdig[*p & 15];
		}
	}
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}

static int hexval(char c)
{
	const char *p = c ? strchr(hexdig, c) : NULL;
	return p ? (int)(p - hexdig) : -1;
}

/* Decode the part after VCOURIER_KEY_; 0 when it is the one name of a legal code. */
static int decode_code(const char *enc, char *code, size_t size)
{
	size_t o = 0;
	while (*enc) {
		int c;
		if (o + 1 >= size)
			return -1;
		if (*enc == '_') {
			int hi = hexval(enc[1]), lo = hi < 0 ? -1 : hexval(enc[2]);
			if (lo < 0)
				return -1;
			c = hi * 16 + lo;
			if (kept((unsigned char)c)) /* one name per code: A-Z 0-9 never escaped */
				return -1;
			enc += 3;
		} else if (kept((unsigned char)*enc)) {
			c = (unsigned char)*enc++;
		} else {
			return -1;
		}
		code[o++] = (char)c;
	}
	code[o] = '\0';
	return config_code_check(code);
}

int config_check_environment(struct vc_error *err)
{
	static const char *const prefixes[] = { "VCOURIER_KEY_", "VCOURIER_TOKEN_" };
	char **e, code[80], name[128];
	size_t i;
	for (e = environ; e && *e; e++) {
		for (i = 0; i < 2; i++) {
			size_t pl = strlen(prefixes[i]);
			const char *eq = strchr(*e, '=');
			size_t nl = eq ? (size_t)(eq - *e) : strlen(*e);
			if (strncmp(*e, prefixes[i], pl) || nl >= sizeof(name))
				continue;
			memcpy(name, *e, nl);
			name[nl] = '\0';
			if (decode_code(name + pl, code, sizeof(code)) < 0)
				return vc_fail(err, EX_CONFIG,
					       "environment: %s names no courier code: the code is "
					       "written with A-Z 0-9 kept and every other character "
					       "as _XX in hex (acme-1: %s_61_63_6D_65_2D1; "
					       "vcourier config env-name CODE prints it)",
					       name, prefixes[i]);
		}
	}
	return 0;
}

const char *config_courier_secret(const struct vc_config *cfg, const char *courier_code,
				  const char *kind)
{
	/* a credential is what the service manager was told for this very service */
	const char *v = credentials_courier_secret(config_credentials(cfg), courier_code, kind);
	struct strbuf name = STRBUF_INIT;
	if (v)
		return v;
	strbuf_grow(&name, 32 + 3 * strlen(courier_code));
	config_secret_env_name(name.buf, name.alloc, courier_code, kind);
	v = getenv(name.buf);
	strbuf_reset(&name);
	if ((!v || !*v) && config_code_check(courier_code) == 0) {
		strbuf_addf(&name, "courier.%s.%s", courier_code, kind);
		v = config_str(cfg, name.buf);
	}
	strbuf_release(&name);
	return (v && *v) ? v : NULL;
}

int config_courier_bool(const struct vc_config *cfg, const char *courier_code, const char *what)
{
	struct strbuf name = STRBUF_INIT;
	int v = 0;
	if (config_code_check(courier_code) == 0) {
		strbuf_addf(&name, "courier.%s.%s", courier_code, what);
		v = config_bool(cfg, name.buf);
	}
	strbuf_release(&name);
	return v;
}

void config_wipe(char *s)
{
	if (s)
		OPENSSL_cleanse(s, strlen(s));
}

int config_protect_process(struct vc_error *err)
{
	struct rlimit none = { 0, 0 };
	/* The environment may hold courier secrets from exec on, and the file's
	 * come right after: no core file, no ptrace by other processes of the
	 * same user, for the life of this (short) process. */
	if (setrlimit(RLIMIT_CORE, &none) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return vc_fail(err, EX_OSERR, "cannot disable core dumps: %m");
	return 0;
}
