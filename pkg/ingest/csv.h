/*
 * csv: a streaming RFC 4180 reader (comma separated, double-quote quoting,
 * CRLF or LF line ends) that knows the line each record starts on and
 * refuses, record by record, what it cannot read safely: an unterminated
 * quote, a stray quote, a NUL byte, a record over CSV_MAX_RECORD bytes.
 * A refused record does not stop the reader: it resumes at the next record.
 * Blank lines are skipped. A UTF-8 byte order mark at the start is skipped.
 * The input is a file descriptor or a memory buffer (tests, fuzzing).
 */
#ifndef VC_INGEST_CSV_H
#define VC_INGEST_CSV_H

#include <stddef.h>

#include "util/strbuf.h"

#define CSV_MAX_RECORD (64 * 1024)
/* A quoted field may hold line breaks, but a record spans at most this many
 * lines: bounds the work an unterminated quote can cause (each line is read
 * again at most this often). */
#define CSV_MAX_LINES 20
#define CSV_MAX_LINES_TEXT "20"

struct csv_reader {
	int fd;                 /* -1: reading from memory */
	const char *mem;
	size_t mem_len;
	char *buf;              /* read buffer (fd input) */
	size_t pos, len;
	int eof, io_errno;
	long line;              /* current physical line, 1-based */
	int at_start;
	struct strbuf data;     /* field bytes, each field NUL-terminated */
	struct strbuf raw;      /* the record's bytes as read, up to the limit */
	struct strbuf replay;   /* bytes to read again before the source */
	size_t replay_pos;
	size_t *offs;           /* field start offsets into data */
	const char **fields;
	size_t nfields, cap;
};

struct csv_record {
	long line;              /* line the record starts on */
	size_t nfields;
	const char *const *fields; /* valid until the next csv_next call */
	const char *error;      /* set when the record was refused (static text) */
};

void csv_open_fd(struct csv_reader *r, int fd);
void csv_open_mem(struct csv_reader *r, const char *data, size_t len);
void csv_close(struct csv_reader *r);

/*
 * Next record: 1 with rec filled (rec->error set if the record was refused,
 * its fields then unreliable), 0 at end of input, -1 on a read error
 * (errno-style code in r->io_errno).
 */
int csv_next(struct csv_reader *r, struct csv_record *rec);

/* Append one CSV-quoted field (quoted only when needed) to sb. */
void csv_quote(struct strbuf *sb, const char *field);

#endif
