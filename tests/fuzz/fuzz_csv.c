/*
 * fuzz_csv: libFuzzer target for the import reader and row checks. The
 * input is a whole file: the first byte picks the layout (hubs, points,
 * couriers, orders), the rest is read record by record and every record
 * checked, as `vcourier import` does before COPY. Invariants checked on
 * top of the sanitizers: the reader always moves forward (line numbers
 * never go back), no record is over the limit, an accepted row is valid
 * UTF-8 without control characters and its numbers are finite, a refused
 * one has a reason, and a row written back as CSV reads the same.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/csv.h"
#include "ingest/validate.h"
#include "util/strbuf.h"

static const char *const kinds[] = { "hubs", "points", "couriers", "orders" };

static int is_number(enum ingest_col_type type)
{
	switch (type) {
	case COL_LAT: case COL_LON: case COL_MINUTES: case COL_WEIGHT: case COL_VOLUME:
	case COL_CAP_KG: case COL_CAP_M3: case COL_KM_OPT:
		return 1;
	default:
		return 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ingest_layout *l;
	struct csv_reader r;
	struct csv_record rec;
	struct strbuf why = STRBUF_INIT, requoted = STRBUF_INIT;
	long last_line = 0;
	size_t ncols = 0, i, total;
	int header = 1;

	if (size < 1)
		return 0;
	l = ingest_layout(kinds[data[0] % 4]);
	csv_open_mem(&r, (const char *)data + 1, size - 1);
	while (csv_next(&r, &rec) > 0) {
		if (rec.line <= last_line)
			abort(); /* the reader must always move forward */
		last_line = rec.line;
		strbuf_reset(&why);
		if (rec.error)
			continue;
		total = 0;
		for (i = 0; i < rec.nfields; i++)
			total += strlen(rec.fields[i]);
		if (total > CSV_MAX_RECORD)
			abort();
		if (header) {
			header = 0;
			if (ingest_check_header(l, rec.fields, rec.nfields, &ncols, &why) < 0)
				ncols = l->nrequired;
			continue;
		}
		if (ingest_check_row(l, ncols, rec.fields, rec.nfields, &why) == 0) {
			/* An accepted row is what COPY and the casts will take. */
			for (i = 0; i < rec.nfields; i++) {
				const char *f = rec.fields[i];
				size_t j;
				if (!ingest_utf8_valid(f, strlen(f)))
					abort();
				for (j = 0; f[j]; j++)
					if ((unsigned char)f[j] < 0x20 || f[j] == 0x7f)
						abort();
				if (is_number(l->cols[i].type) && f[0] && !isfinite(strtod(f, NULL)))
					abort();
			}
		} else if (!why.len) {
			abort(); /* a refusal always says why */
		}
		/* What we write to a rejects file must read back the same. */
		strbuf_reset(&requoted);
		for (i = 0; i < rec.nfields; i++) {
			if (i)
				strbuf_addch(&requoted, ',');
			csv_quote(&requoted, rec.fields[i]);
		}
		strbuf_addch(&requoted, '\n');
		if (rec.nfields > 1 || rec.fields[0][0]) {
			struct csv_reader again;
			struct csv_record rec2;
			csv_open_mem(&again, requoted.buf, requoted.len);
			if (csv_next(&again, &rec2) != 1 || rec2.error || rec2.nfields != rec.nfields)
				abort();
			for (i = 0; i < rec.nfields; i++)
				if (strcmp(rec.fields[i], rec2.fields[i]))
					abort();
			csv_close(&again);
		}
	}
	csv_close(&r);
	strbuf_release(&why);
	strbuf_release(&requoted);
	return 0;
}
