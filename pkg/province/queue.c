/*
 * queue: the hubs of a night in the order workers take them, largest
 * (most pending orders) first, so that with N workers the longest hubs
 * start early and the night ends close to total/N (LPT scheduling). The
 * position is one counter; forked workers share it through an anonymous
 * shared mapping and take the next hub with an atomic add, so that each
 * hub is handed to one process of this machine.
 */
#include "province/province_internal.h"
#include "db/db.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const char hubs_sql[] =
	"SELECT h.id, h.code FROM hubs h WHERE $1::text IS NULL OR h.code = $1"
	" ORDER BY (SELECT count(*) FROM orders o JOIN points p ON p.id = o.point_id"
	"           WHERE p.hub_id = h.id AND o.status = 'pending' AND o.ready_date <= $2::date) DESC,"
	"          h.code";

int queue_load(PGconn *conn, const char *hub_code, const char *service_date,
	       struct province_queue *q, struct vc_error *err)
{
	const char *params[2] = { hub_code, service_date };
	PGresult *r = db_exec(conn, hubs_sql, 2, params, err);
	size_t i;

	memset(q, 0, sizeof(*q));
	if (!r)
		return -1;
	q->n = (size_t)PQntuples(r);
	q->hubs = xcalloc(q->n + 1, sizeof(*q->hubs));
	for (i = 0; i < q->n; i++) {
		q->hubs[i].id = atoll(PQgetvalue(r, (int)i, 0));
		snprintf(q->hubs[i].code, sizeof(q->hubs[i].code), "%s", PQgetvalue(r, (int)i, 1));
	}
	PQclear(r);
	q->next = xcalloc(1, sizeof(*q->next));
	if (hub_code && q->n == 0) {
		queue_release(q);
		return vc_fail(err, EX_DATAERR, "no hub with code '%s'", hub_code);
	}
	return 0;
}

int queue_share(struct province_queue *q, struct vc_error *err)
{
	size_t *shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return vc_fail(err, EX_OSERR, "shared memory for the workers: %s", strerror(errno));
	*shared = *q->next;
	free(q->next);
	q->next = shared;
	q->shared = 1;
	return 0;
}

const struct province_hub *queue_next(struct province_queue *q)
{
	size_t i = __atomic_fetch_add(q->next, 1, __ATOMIC_SEQ_CST);
	return i < q->n ? &q->hubs[i] : NULL;
}

void queue_release(struct province_queue *q)
{
	if (q->shared)
		munmap(q->next, sizeof(*q->next));
	else
		free(q->next);
	free(q->hubs);
	memset(q, 0, sizeof(*q));
}
