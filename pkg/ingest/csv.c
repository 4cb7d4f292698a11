/*
 * csv: the streaming RFC 4180 record reader (see csv.h).
 *
 * Recovery rule: a refused record gives back everything after its first
 * physical line, which is read again as new records. So an unterminated or
 * stray quote costs one line, not the rest of the file, and the reader
 * always moves forward by at least one line.
 */
#include "ingest/csv.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (256 * 1024)
#define CSV_EOF (-1)

static void csv_init(struct csv_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->line = 1;
	r->at_start = 1;
	strbuf_init(&r->data, 256);
	strbuf_init(&r->raw, 256);
	strbuf_init(&r->replay, 0);
}

void csv_open_fd(struct csv_reader *r, int fd)
{
	csv_init(r);
	r->fd = fd;
	r->buf = xmalloc(READ_CHUNK);
}

void csv_open_mem(struct csv_reader *r, const char *data, size_t len)
{
	csv_init(r);
	r->mem = data;
	r->mem_len = len;
}

void csv_close(struct csv_reader *r)
{
	strbuf_release(&r->data);
	strbuf_release(&r->raw);
	strbuf_release(&r->replay);
	if (r->fd >= 0)
		free(r->buf); /* memory input: buf is the caller's */
	free(r->offs);
	free(r->fields);
	r->buf = NULL;
	r->offs = NULL;
	r->fields = NULL;
}

static int refill(struct csv_reader *r)
{
	ssize_t n;
	if (r->eof)
		return 0;
	if (r->fd < 0) {
		if (r->buf || !r->mem) {
			r->eof = 1;
			return 0;
		}
		/* Memory input: the whole buffer is one chunk. */
		r->buf = (char *)r->mem;
		r->mem = NULL;
		r->pos = 0;
		r->len = r->mem_len;
		if (r->len == 0)
			r->eof = 1;
		return r->len > 0;
	}
	do
		n = read(r->fd, r->buf, READ_CHUNK);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		if (n < 0)
			r->io_errno = errno;
		r->eof = 1;
		return 0;
	}
	r->pos = 0;
	r->len = (size_t)n;
	return 1;
}

/* Next raw byte, from the replay buffer first, then the source. */
static inline int next_byte(struct csv_reader *r)
{
	if (r->replay_pos < r->replay.len)
		return (unsigned char)r->replay.buf[r->replay_pos++];
	if (r->pos >= r->len && !refill(r))
		return CSV_EOF;
	return (unsigned char)r->buf[r->pos++];
}

static inline int peek_byte(struct csv_reader *r)
{
	if (r->replay_pos < r->replay.len)
		return (unsigned char)r->replay.buf[r->replay_pos];
	if (r->pos >= r->len && !refill(r))
		return CSV_EOF;
	return (unsigned char)r->buf[r->pos];
}

static void skip_bom(struct csv_reader *r)
{
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
	r->at_start = 0;
	if (r->pos >= r->len && !refill(r))
		return;
	/* The first chunk is large, so a BOM is never split across reads. */
	if (r->len - r->pos >= 3 && !memcmp(r->buf + r->pos, bom, 3))
		r->pos += 3;
}

static void start_field(struct csv_reader *r)
{
	if (r->nfields == r->cap) {
		size_t cap = r->cap;
		r->offs = xgrow(r->offs, sizeof(*r->offs), r->nfields + 1, &cap);
		r->fields = xgrow(r->fields, sizeof(*r->fields), r->nfields + 1, &r->cap);
	}
	r->offs[r->nfields++] = r->data.len;
}

/* Give back the bytes after the refused record's first line. */
static void replay_after_first_line(struct csv_reader *r, long start_line)
{
	const char *nl = memchr(r->raw.buf, '\n', r->raw.len);
	struct strbuf again = STRBUF_INIT;
	size_t keep;

	if (!nl)
		return;
	keep = r->raw.len - (size_t)(nl + 1 - r->raw.buf);
	strbuf_add(&again, nl + 1, keep);
	strbuf_add(&again, r->replay.buf + r->replay_pos, r->replay.len - r->replay_pos);
	strbuf_release(&r->replay);
	r->replay = again;
	r->replay_pos = 0;
	r->line = start_line + 1;
}

/* After an over-long single line: drop bytes up to and including its LF. */
static void skip_rest_of_line(struct csv_reader *r)
{
	int c;
	while ((c = next_byte(r)) != CSV_EOF && c != '\n')
		;
	if (c == '\n')
		r->line++;
}


enum state { UNQUOTED, QUOTED, AFTER_QUOTE };

int csv_next(struct csv_reader *r, struct csv_record *rec)
{
	enum state st = UNQUOTED;
	const char *error = NULL;
	int c, over = 0;
	long span = 0; /* line ends inside quoted fields */
	size_t i;

	if (r->at_start)
		skip_bom(r);
	/* Blank lines (LF or CRLF) between records are skipped. */
	for (;;) {
		c = next_byte(r);
		if (c == '\n') {
			r->line++;
		} else if (c == '\r' && peek_byte(r) == '\n') {
			next_byte(r);
			r->line++;
		} else {
			break;
		}
	}
	if (c == CSV_EOF)
		return r->io_errno ? -1 : 0;

	rec->line = r->line;
	strbuf_reset(&r->data);
	strbuf_reset(&r->raw);
	r->nfields = 0;
	start_field(r);
	for (;; c = next_byte(r)) {
		if (c != CSV_EOF) {
			strbuf_addch(&r->raw, c);
			if (r->raw.len > CSV_MAX_RECORD) {
				over = 1;
				break;
			}
		}
		if (c == 0 && !error)
			error = "NUL byte in the record";
		if (st == QUOTED) {
			if (c == CSV_EOF) {
				error = "unterminated quoted field";
				break;
			}
			if (c == '\n' && ++span >= CSV_MAX_LINES) {
				error = "quoted field still open after " CSV_MAX_LINES_TEXT
					" lines (unterminated quote?)";
				break;
			}
			if (c == '"') {
				if (peek_byte(r) == '"') {
					strbuf_addch(&r->raw, next_byte(r));
					strbuf_addch(&r->data, '"');
				} else {
					st = AFTER_QUOTE;
				}
				continue;
			}
			strbuf_addch(&r->data, c);
			continue;
		}
		if (c == ',') {
			strbuf_addch(&r->data, '\0');
			start_field(r);
			st = UNQUOTED;
			continue;
		}
		if (c == CSV_EOF || c == '\n')
			break;
		if (c == '\r' && peek_byte(r) == '\n')
			continue; /* the LF ends the record */
		if (st == AFTER_QUOTE) {
			if (!error)
				error = "text after a closing quote (quote a field whole, double inner quotes)";
			continue;
		}
		if (c == '"') {
			if (r->data.len == r->offs[r->nfields - 1]) {
				st = QUOTED;
				continue;
			}
			if (!error)
				error = "stray quote in an unquoted field (quote the field and double inner quotes)";
			continue;
		}
		strbuf_addch(&r->data, c);
	}
	strbuf_addch(&r->data, '\0');

	if (over) {
		error = "record over 64 KiB";
		if (memchr(r->raw.buf, '\n', r->raw.len))
			replay_after_first_line(r, rec->line);
		else
			skip_rest_of_line(r);
	} else if (error) {
		replay_after_first_line(r, rec->line);
	} else {
		r->line += span + (c == '\n');
	}
	if (r->io_errno)
		return -1;
	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->data.buf + r->offs[i];
	rec->fields = r->fields;
	rec->nfields = r->nfields;
	rec->error = error;
	return 1;
}

void csv_quote(struct strbuf *sb, const char *field)
{
	const char *p;
	/* A leading byte order mark is quoted, or a reader would drop it. */
	if (!field[strcspn(field, ",\"\r\n")] && strncmp(field, "\xEF\xBB\xBF", 3)) {
		strbuf_addstr(sb, field);
		return;
	}
	strbuf_addch(sb, '"');
	for (p = field; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '"');
}
