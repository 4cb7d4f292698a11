/* Unit tests: the streaming CSV reader (pkg/ingest/csv.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/csv.h"
#include "util/strbuf.h"

/* Every record of `data` as "line:[a|b]" or "line:!error", one per line. */
static void render(const char *data, size_t len, struct strbuf *out)
{
	struct csv_reader r;
	struct csv_record rec;
	size_t i;
	csv_open_mem(&r, data, len);
	while (csv_next(&r, &rec) > 0) {
		strbuf_addf(out, "%ld:", rec.line);
		if (rec.error) {
			strbuf_addf(out, "!%s\n", rec.error);
			continue;
		}
		strbuf_addch(out, '[');
		for (i = 0; i < rec.nfields; i++)
			strbuf_addf(out, "%s%s", i ? "|" : "", rec.fields[i]);
		strbuf_addstr(out, "]\n");
	}
	csv_close(&r);
}

static void expect(const char *data, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	render(data, strlen(data), &out);
	assert_string_equal(out.buf, want);
	strbuf_release(&out);
}

static void test_plain_and_quoted(void **state)
{
	(void)state;
	expect("a,b,c\n1,,3\n", "1:[a|b|c]\n2:[1||3]\n");
	expect("a,\"b,c\",\"say \"\"hi\"\"\"\n", "1:[a|b,c|say \"hi\"]\n");
	expect("x,\"\"\n", "1:[x|]\n");
	/* No final newline, CRLF line ends. */
	expect("a,b\r\nc,d", "1:[a|b]\n2:[c|d]\n");
	/* Trailing comma: an empty last field. */
	expect("a,\n", "1:[a|]\n");
}

static void test_line_numbers_with_blank_lines_and_multiline_fields(void **state)
{
	(void)state;
	expect("\n\na\n\r\n\"two\nlines\",x\nb\n", "3:[a]\n5:[two\nlines|x]\n7:[b]\n");
}

static void test_bom_skipped(void **state)
{
	(void)state;
	expect("\xEF\xBB\xBF" "code,name\n", "1:[code|name]\n");
}

static void test_chinese_bytes_unchanged(void **state)
{
	(void)state;
	expect("丁楼村,\"张庄村,曹县\"\n", "1:[丁楼村|张庄村,曹县]\n");
}

static void test_stray_and_trailing_quotes_refused_one_line(void **state)
{
	(void)state;
	expect("ok,1\nab\"c,2\nok,3\n",
	       "1:[ok|1]\n2:!stray quote in an unquoted field (quote the field and double inner quotes)\n"
	       "3:[ok|3]\n");
	expect("\"ab\"c,2\nok,3\n",
	       "1:!text after a closing quote (quote a field whole, double inner quotes)\n2:[ok|3]\n");
}

static void test_unterminated_quote_costs_one_line(void **state)
{
	(void)state;
	/* The open quote swallows to the end; the lines after it are read again. */
	expect("a,1\n\"open,2\nb,3\nc,4\n", "1:[a|1]\n2:!unterminated quoted field\n3:[b|3]\n4:[c|4]\n");
}

static void test_quote_open_too_many_lines(void **state)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	int i;
	(void)state;
	strbuf_addstr(&in, "\"never closed\n");
	for (i = 0; i < 30; i++)
		strbuf_addf(&in, "r%d\n", i);
	render(in.buf, in.len, &out);
	assert_non_null(strstr(out.buf, "1:!quoted field still open after 20 lines"));
	assert_non_null(strstr(out.buf, "2:[r0]\n"));
	assert_non_null(strstr(out.buf, "31:[r29]\n"));
	strbuf_release(&in);
	strbuf_release(&out);
}

static void test_nul_byte_refused(void **state)
{
	static const char data[] = "a,b\x00x,c\nd,e\n";
	struct strbuf out = STRBUF_INIT;
	(void)state;
	render(data, sizeof(data) - 1, &out);
	assert_string_equal(out.buf, "1:!NUL byte in the record\n2:[d|e]\n");
	strbuf_release(&out);
}

static void test_record_over_64k_refused_next_kept(void **state)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	size_t i;
	(void)state;
	strbuf_addstr(&in, "a,");
	for (i = 0; i < 1024 * 1024; i++) /* a 1 MB field */
		strbuf_addch(&in, 'x');
	strbuf_addstr(&in, "\nb,1\n\"");
	for (i = 0; i < 70000; i++)
		strbuf_addch(&in, 'y');
	strbuf_addstr(&in, "\"\nc,2\n");
	render(in.buf, in.len, &out);
	assert_string_equal(out.buf, "1:!record over 64 KiB\n2:[b|1]\n3:!record over 64 KiB\n4:[c|2]\n");
	strbuf_release(&in);
	strbuf_release(&out);
}

static void test_exactly_64k_accepted(void **state)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	(void)state;
	while (in.len < CSV_MAX_RECORD - 1)
		strbuf_addch(&in, 'z');
	strbuf_addch(&in, '\n'); /* the record with its LF is exactly the limit */
	render(in.buf, in.len, &out);
	assert_int_equal(out.len, strlen("1:[]\n") + CSV_MAX_RECORD - 1);
	strbuf_release(&in);
	strbuf_release(&out);
}

static void test_empty_and_blank_inputs(void **state)
{
	(void)state;
	expect("", "");
	expect("\n\r\n\n", "");
}

static void test_fd_input_across_chunks(void **state)
{
	char path[] = "/tmp/test_csv.XXXXXX";
	int fd = mkstemp(path), i, n = 0;
	struct csv_reader r;
	struct csv_record rec;
	FILE *f = fdopen(dup(fd), "w");
	(void)state;
	for (i = 0; i < 100000; i++) /* ~1.6 MB: several read chunks */
		fprintf(f, "%d,\"q,%d\"\n", i, i);
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	csv_open_fd(&r, fd);
	while (csv_next(&r, &rec) > 0) {
		char want[32];
		assert_null(rec.error);
		assert_int_equal(rec.line, n + 1);
		snprintf(want, sizeof(want), "q,%d", n);
		assert_string_equal(rec.fields[1], want);
		n++;
	}
	assert_int_equal(n, 100000);
	csv_close(&r);
	close(fd);
	unlink(path);
}

static void test_quote_roundtrip(void **state)
{
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	(void)state;
	csv_quote(&sb, "plain");
	strbuf_addch(&sb, ',');
	csv_quote(&sb, "a \"b\",\nc");
	strbuf_addch(&sb, '\n');
	assert_string_equal(sb.buf, "plain,\"a \"\"b\"\",\nc\"\n");
	render(sb.buf, sb.len, &out);
	assert_string_equal(out.buf, "1:[plain|a \"b\",\nc]\n");
	strbuf_release(&sb);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quoted),
		cmocka_unit_test(test_line_numbers_with_blank_lines_and_multiline_fields),
		cmocka_unit_test(test_bom_skipped),
		cmocka_unit_test(test_chinese_bytes_unchanged),
		cmocka_unit_test(test_stray_and_trailing_quotes_refused_one_line),
		cmocka_unit_test(test_unterminated_quote_costs_one_line),
		cmocka_unit_test(test_quote_open_too_many_lines),
		cmocka_unit_test(test_nul_byte_refused),
		cmocka_unit_test(test_record_over_64k_refused_next_kept),
		cmocka_unit_test(test_exactly_64k_accepted),
		cmocka_unit_test(test_empty_and_blank_inputs),
		cmocka_unit_test(test_fd_input_across_chunks),
		cmocka_unit_test(test_quote_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
