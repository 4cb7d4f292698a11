/*
 * xalloc: allocation that cannot fail (it aborts with a message instead).
 * The only place in pkg/ allowed to end the process: out of memory is not
 * an error a batch job can recover from, and checking every malloc would
 * bury the logic.
 */
#ifndef VC_XALLOC_H
#define VC_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of `size`-byte items to hold at least `need`; *cap updated. */
void *xgrow(void *p, size_t size, size_t need, size_t *cap);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
__attribute__((noreturn)) void xdie(const char *what);

#endif
