/*
 * skills: the text form of skill lists and the bit layout of the planner's
 * skill masks (see skills.h). Allocating both the reachability bits and
 * the feature bits here keeps them from ever sharing a bit.
 */
#include "skills/skills.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_-";

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int skills_parse(const char *value, struct strbuf *canon, const char **problem)
{
	char names[SKILLS_MAX_PER_ROW][SKILL_NAME_MAX + 1];
	char *sorted[SKILLS_MAX_PER_ROW];
	const char *p = value;
	size_t n = 0, i;

	if (!*value)
		return 0;
	for (;;) {
		size_t len = strcspn(p, ";");
		if (len == 0) {
			*problem = "has an empty skill name (names are separated by ';', like cold;bulky)";
			return -1;
		}
		if (strspn(p, name_chars) < len) {
			*problem = "is not a list of skill names (a-z 0-9 _ - separated by ';', like cold;bulky)";
			return -1;
		}
		if (len > SKILL_NAME_MAX) {
			*problem = "has a skill name longer than 32 characters";
			return -1;
		}
		if (n == SKILLS_MAX_PER_ROW) {
			*problem = "has more than 8 skills";
			return -1;
		}
		memcpy(names[n], p, len);
		names[n][len] = '\0';
		sorted[n] = names[n];
		n++;
		if (!p[len])
			break;
		p += len + 1;
	}
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (i = 0; i < n; i++) {
		if (i && !strcmp(sorted[i], sorted[i - 1]))
			continue;
		if (i)
			strbuf_addch(canon, ';');
		strbuf_addstr(canon, sorted[i]);
	}
	return 0;
}

const char *skills_name_at(const char *list, size_t i, size_t *len)
{
	const char *p = list;
	if (!*p)
		return NULL;
	while (i--) {
		p = strchr(p, ';');
		if (!p)
			return NULL;
		p++;
	}
	*len = strcspn(p, ";");
	return p;
}

void skills_pg_array(const char *canon, struct strbuf *out)
{
	const char *p;
	strbuf_addch(out, '{');
	/* Names hold no character that needs quoting in an array literal. */
	for (p = canon; *p; p++)
		strbuf_addch(out, *p == ';' ? ',' : *p);
	strbuf_addch(out, '}');
}

route_skills skills_reach_job(unsigned reach, int n_prof)
{
	/* Reached by every profile: no restriction. */
	if (reach == (1u << n_prof) - 1)
		return 0;
	return (route_skills)1 << reach;
}

route_skills skills_reach_vehicle(int profile, int n_prof)
{
	route_skills sk = 0;
	unsigned k;
	/* Every set of profiles that contains the vehicle's. */
	for (k = 1; k < (1u << n_prof); k++)
		if (k & (1u << profile))
			sk |= (route_skills)1 << k;
	return sk;
}

void skill_table_add(struct skill_table *t, const char *list)
{
	size_t i, len;
	const char *name;
	for (i = 0; (name = skills_name_at(list, i, &len)); i++) {
		t->names = xgrow(t->names, sizeof(*t->names), t->n + 1, &t->cap);
		t->names[t->n++] = xstrndup(name, len);
	}
}

void skill_table_finish(struct skill_table *t)
{
	size_t i, n = 0;
	if (t->n)
		qsort(t->names, t->n, sizeof(*t->names), cmp_str);
	for (i = 0; i < t->n; i++) {
		if (n && !strcmp(t->names[i], t->names[n - 1]))
			free(t->names[i]);
		else
			t->names[n++] = t->names[i];
	}
	t->n = n;
}

/* Index of a name in the table, or -1. */
static long find(const struct skill_table *t, const char *name, size_t len)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(t->names[mid], name, len);
		if (!c && t->names[mid][len])
			c = 1;
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

route_skills skill_table_mask(const struct skill_table *t, const char *list, const char **no_bit)
{
	route_skills m = 0;
	size_t i, len;
	const char *name;
	if (no_bit)
		*no_bit = NULL;
	for (i = 0; (name = skills_name_at(list, i, &len)); i++) {
		long k = find(t, name, len);
		if (k < 0)
			continue;
		if (k >= SKILL_FEATURE_BITS) {
			if (no_bit && !*no_bit)
				*no_bit = t->names[k];
			continue;
		}
		m |= (route_skills)1 << (SKILL_REACH_BITS + k);
	}
	return m;
}

void skill_table_names(const struct skill_table *t, route_skills mask, const char *sep,
		       struct strbuf *out)
{
	size_t k;
	int first = 1;
	for (k = 0; k < t->n && k < SKILL_FEATURE_BITS; k++) {
		if (!(mask & ((route_skills)1 << (SKILL_REACH_BITS + k))))
			continue;
		if (!first)
			strbuf_addstr(out, sep);
		strbuf_addstr(out, t->names[k]);
		first = 0;
	}
}

void skill_table_release(struct skill_table *t)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	memset(t, 0, sizeof(*t));
}
