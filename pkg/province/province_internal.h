/* province internals shared by queue.c, take.c, worker.c and pool.c. */
#ifndef VC_PROVINCE_INTERNAL_H
#define VC_PROVINCE_INTERNAL_H

#include "province/province.h"

#include <stddef.h>

struct province_hub {
	long long id;
	char code[72];
};

/* The night's hubs, largest first; `next` may live in memory shared by the workers. */
struct province_queue {
	struct province_hub *hubs;
	size_t n;
	size_t *next;
	int shared;
};

/* queue.c */
int queue_load(PGconn *conn, const char *hub_code, const char *service_date,
	       struct province_queue *q, struct vc_error *err);
/* Put the counter in memory that forked workers share. */
int queue_share(struct province_queue *q, struct vc_error *err);
/* The next hub to take, or NULL when none is left. */
const struct province_hub *queue_next(struct province_queue *q);
void queue_release(struct province_queue *q);

/* take.c: what a sharing worker does before running a hub. */
enum take_result {
	TAKE_GOT,    /* this session holds the hub's lock and the hub has work */
	TAKE_TAKEN,  /* a nightly run of the date holds it (msg says which) */
	TAKE_DONE,   /* done already (msg says by which run); lock released */
	TAKE_BUSY,   /* held by something else: the run reports it as usual */
};
int take_hub(PGconn *conn, const struct province_hub *h, const char *service_date,
	     enum take_result *res, char *msg, size_t size, struct vc_error *err);

/* worker.c: take hubs from q until none is left, on conn (NULL: connect;
 * closed at the end); on_start (may be NULL) is called before each hub. */
void worker_run(const struct vc_config *cfg, const struct province_options *o,
		struct province_queue *q, PGconn *conn, void (*on_start)(const char *hub, void *ctx));

#endif
