/*
 * vcourier manifest show ID [--format text|json|html] | verify FILE [--sha256 HEX]
 * [--key-file F --signature S --timestamp T [--max-age S]] | check ID
 */
#include "cmd.h"
#include "audit/audit.h"
#include "db/db.h"
#include "manifest/manifest.h"
#include "roads/roads.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"manifest show ID [--format text|json|html] | manifest verify FILE [--sha256 HEX]"
	" [--key-file F --signature S --timestamp T [--max-age S]] | manifest check ID";

/* The HTML sheet, with the couriers' confirmations on the cards once there are any. */
static int show_html(PGconn *conn, const struct vc_config *cfg, const char *id,
		     const struct strbuf *body, struct strbuf *sheet, struct vc_error *err)
{
	struct manifest_html_opts opt = { 0 };
	struct audit_pickup *pickups = NULL;
	struct manifest_pickup *shown = NULL;
	struct roads_legs *legs = roads_legs_for_manifest(conn, cfg, body->buf, body->len, err);
	size_t n = 0;
	int rc = -1;
	opt.leg = legs ? roads_leg_polyline : NULL;
	opt.leg_ctx = legs;
	if (!err->code && audit_manifest_pickups(conn, id, &pickups, &n, err) == 0) {
		shown = audit_sheet_pickups(pickups, n);
		opt.pickups = n ? shown : NULL;
		opt.n_pickups = n;
		rc = manifest_sheet_html(body->buf, body->len, &opt, sheet, err);
	}
	free(shown);
	audit_pickups_free(pickups, n);
	roads_legs_free(legs);
	return rc;
}

static int show(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct vc_error err = VC_ERROR_INIT;
	struct strbuf body = STRBUF_INIT, sheet = STRBUF_INIT;
	const char *format = "text";
	PGconn *conn;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'f')
			return cmd_usage(usage);
		format = optarg;
	}
	if (optind + 1 != argc ||
	    (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "html")))
		return cmd_usage(usage);
	conn = cmd_connect(ctx, "vcourier/manifest", &err);
	if (!conn)
		return cmd_fail(&err);
	if (audit_manifest_body(conn, argv[optind], &body, &err) < 0)
		rc = cmd_fail(&err);
	else if (!strcmp(format, "json"))
		printf("%s\n", body.buf);
	else if (!strcmp(format, "html") ? show_html(conn, ctx->cfg, argv[optind], &body, &sheet, &err) < 0
					 : manifest_sheet(body.buf, body.len, &sheet, &err) < 0)
		rc = cmd_fail(&err);
	else
		fputs(sheet.buf, stdout);
	strbuf_release(&sheet);
	strbuf_release(&body);
	db_close(conn);
	return rc;
}

static int verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sha256", required_argument, NULL, 's' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "signature", required_argument, NULL, 'g' },
		{ "timestamp", required_argument, NULL, 't' },
		{ "max-age", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct manifest_verify_opts opt = { 0 };
	struct vc_error err = VC_ERROR_INIT;
	struct strbuf body = STRBUF_INIT, key = STRBUF_INIT;
	const char *key_file = NULL, *path, *ts = NULL, *max_age = NULL;
	char *end;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opt.sha256_hex = optarg; break;
		case 'k': key_file = optarg; break;
		case 'g': opt.signature = optarg; break;
		case 't': ts = optarg; break;
		case 'm': max_age = optarg; break;
		default: return cmd_usage(usage);
		}
	}
	if (optind + 1 != argc || !key_file != !opt.signature || !key_file != !ts ||
	    (max_age && !ts))
		return cmd_usage(usage);
	if (max_age) {
		errno = 0;
		opt.max_age_s = strtoll(max_age, &end, 10);
		if (errno || *end || end == max_age || opt.max_age_s <= 0)
			return cmd_usage(usage);
	}
	path = argv[optind];
	if (ts) {
		errno = 0;
		opt.timestamp = strtoll(ts, &end, 10);
		if (errno || *end || end == ts)
			return cmd_usage(usage);
	}
	if (strbuf_read_file(&body, path, MANIFEST_MAX_BYTES) < 0) {
		if (errno == EFBIG)
			vc_fail(&err, EX_DATAERR, "%s: larger than %u MiB: not a manifest", path,
				MANIFEST_MAX_BYTES >> 20);
		else
			vc_fail(&err, errno == ENOENT ? EX_NOINPUT : EX_IOERR, "%s: %s", path,
				strerror(errno));
		rc = cmd_fail(&err);
		goto cleanup;
	}
	if (key_file && manifest_read_key_file(key_file, &key, &err) < 0) {
		rc = cmd_fail(&err);
		goto cleanup;
	}
	opt.whsec_key = key_file ? key.buf : NULL;
	if (manifest_verify(body.buf, body.len, &opt, &err) < 0) {
		fprintf(stderr, "vcourier: %s:%s\n", path, err.msg);
		rc = err.code;
	} else {
		printf("%s: valid\n", path);
	}
cleanup:
	memset(key.buf, 0, key.len);
	strbuf_release(&key);
	strbuf_release(&body);
	return rc;
}

static int check(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct vc_error err = VC_ERROR_INIT;
	struct strbuf report = STRBUF_INIT, confirmed = STRBUF_INIT;
	struct audit_pickup *pickups = NULL;
	size_t npickups = 0;
	PGconn *conn;
	int problems = 0, rc;

	if (argc != 2)
		return cmd_usage(usage);
	conn = cmd_connect(ctx, "vcourier/manifest", &err);
	if (!conn)
		return cmd_fail(&err);
	if (audit_manifest_check(conn, argv[1], &report, &problems, &err) < 0 ||
	    audit_manifest_pickups(conn, argv[1], &pickups, &npickups, &err) < 0) {
		rc = cmd_fail(&err);
		goto cleanup;
	}
	audit_pickups_report(argv[1], pickups, npickups, &confirmed);
	fputs(confirmed.buf, stdout);
	if (problems) {
		fputs(report.buf, stdout);
		fprintf(stderr, "vcourier: manifest %s: %d difference%s with the database\n",
			argv[1], problems, problems == 1 ? "" : "s");
		rc = EX_DATAERR;
	} else {
		printf("manifest %s: matches the database\n", argv[1]);
		rc = 0;
	}
cleanup:
	audit_pickups_free(pickups, npickups);
	strbuf_release(&confirmed);
	strbuf_release(&report);
	db_close(conn);
	return rc;
}

int cmd_manifest(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (argc < 2)
		return cmd_usage(usage);
	if (!strcmp(argv[1], "show"))
		return show(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "verify"))
		return verify(argc - 1, argv + 1);
	if (!strcmp(argv[1], "check"))
		return check(argc - 1, argv + 1, ctx);
	return cmd_usage(usage);
}
