/*
 * db_copy_rows (pkg/db/copy.c) against the suite's real PostgreSQL
 * (tests/pg.sh exports PGHOST; run by tests/run.sh): a COPY that fails
 * after rows were already sent to the server must keep none of them.
 * Issue 9: the nightly write used to end a failed COPY as a success
 * (PQputCopyEnd without an error message), which stores the rows sent so
 * far; in autocommit they are then committed, and inside a transaction
 * the COMMIT that follows succeeds. Each case below fails that way.
 *
 * Without PGHOST (a plain `make` then running the binary by hand) it says
 * SKIP and exits 77, which tests/run.sh never counts as passed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/strbuf.h"

static PGconn *conn;

/* Rows "i\tcopy-row-i\n" for i = 1..rows; fails at fail_at (0: never). */
struct gen {
	int rows, fail_at, next;
	const char *bad;   /* at fail_at, send this row instead of failing (server-side error) */
};

static int gen_row(void *arg, struct strbuf *sb, struct vc_error *err)
{
	struct gen *g = arg;
	int i = ++g->next;
	if (i == g->fail_at && !g->bad)
		return vc_fail(err, EX_DATAERR, "row %d: refused by the producer", i);
	if (i == g->fail_at)
		strbuf_addstr(sb, g->bad);
	else
		strbuf_addf(sb, "%d\tcopy-row-%d with some padding to fill the buffer sooner\n", i, i);
	return i < g->rows;
}

static long long count_rows(void)
{
	struct vc_error err = VC_ERROR_INIT;
	long long n = db_scalar(conn, "SELECT count(*) FROM copy_t", 0, NULL, &err);
	assert_true(n >= 0);
	return n;
}

static int setup(void **state)
{
	struct vc_error err = VC_ERROR_INIT;
	(void)state;
	/* each case on its own: whatever the one before left open is rolled back */
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		db_rollback(conn);
	assert_int_equal(db_run(conn, "TRUNCATE copy_t", 0, NULL, &err), 0);
	return 0;
}

static void test_copy_all_rows(void **state)
{
	struct vc_error err = VC_ERROR_INIT;
	struct gen g = { 30000, 0, 0, NULL };
	(void)state;
	assert_int_equal(db_copy_rows(conn, "COPY copy_t FROM STDIN", gen_row, &g, &err), 0);
	assert_int_equal(count_rows(), 30000);
	assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
}

/* The producer fails after more than DB_COPY_FLUSH_BYTES were sent. */
static void test_copy_producer_fails_autocommit(void **state)
{
	struct vc_error err = VC_ERROR_INIT;
	struct gen g = { 30000, 20000, 0, NULL };
	(void)state;
	assert_true(20000 * 60 > 2 * DB_COPY_FLUSH_BYTES);
	assert_int_equal(db_copy_rows(conn, "COPY copy_t FROM STDIN", gen_row, &g, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "row 20000: refused by the producer");
	assert_int_equal(g.next, 20000);
	/* the connection is usable, and not one of the rows sent was kept */
	assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
	assert_int_equal(count_rows(), 0);
}

/* Inside a transaction: it is failed, the COMMIT rolls back, nothing stays. */
static void test_copy_producer_fails_in_transaction(void **state)
{
	struct vc_error err = VC_ERROR_INIT;
	struct gen g = { 30000, 20000, 0, NULL };
	PGresult *r;
	(void)state;
	assert_int_equal(db_begin(conn, &err), 0);
	assert_int_equal(db_run(conn, "INSERT INTO copy_t VALUES (0, 'before the copy')", 0, NULL, &err), 0);
	assert_int_equal(db_copy_rows(conn, "COPY copy_t FROM STDIN", gen_row, &g, &err), -1);
	assert_string_equal(err.msg, "row 20000: refused by the producer");
	assert_int_equal(PQtransactionStatus(conn), PQTRANS_INERROR);
	r = PQexec(conn, "COMMIT");
	/* PostgreSQL answers COMMIT in a failed transaction with ROLLBACK */
	assert_string_equal(PQcmdStatus(r), "ROLLBACK");
	PQclear(r);
	assert_int_equal(count_rows(), 0);
}

/* The server refuses a row: its error, 70, nothing kept. */
static void test_copy_server_refuses(void **state)
{
	struct vc_error err = VC_ERROR_INIT;
	struct gen g = { 30000, 20000, 0, "not-a-number\tx\n" };
	(void)state;
	assert_int_equal(db_copy_rows(conn, "COPY copy_t FROM STDIN", gen_row, &g, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	assert_non_null(strstr(err.msg, "COPY: invalid input syntax for type integer"));
	assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
	assert_int_equal(count_rows(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_copy_all_rows, setup),
		cmocka_unit_test_setup(test_copy_producer_fails_autocommit, setup),
		cmocka_unit_test_setup(test_copy_producer_fails_in_transaction, setup),
		cmocka_unit_test_setup(test_copy_server_refuses, setup),
	};
	struct vc_error err = VC_ERROR_INIT;
	int rc;

	if (!getenv("PGHOST")) {
		printf("SKIP: no PGHOST: needs the suite's PostgreSQL (tests/run.sh)\n");
		return 77;
	}
	if (!(conn = db_connect(NULL, "vcourier/test_db_copy", &err))) {
		fprintf(stderr, "test_db_copy: %s\n", err.msg);
		return 1;
	}
	if (db_run(conn, "CREATE TEMP TABLE copy_t (id integer, t text)", 0, NULL, &err) < 0) {
		fprintf(stderr, "test_db_copy: %s\n", err.msg);
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	db_close(conn);
	return rc;
}
