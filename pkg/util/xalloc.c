/* xalloc: allocation wrappers that abort on exhaustion (see xalloc.h). */
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xdie(const char *what)
{
	fprintf(stderr, "vcourier: fatal: %s\n", what);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		xdie("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		xdie("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		xdie("out of memory");
	return q;
}

void *xgrow(void *p, size_t size, size_t need, size_t *cap)
{
	size_t n;
	if (need <= *cap)
		return p;
	n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	if (size && n > (size_t)-1 / size)
		xdie("array size overflow");
	p = xrealloc(p, n * size);
	*cap = n;
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
