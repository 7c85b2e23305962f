#include "users.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/array.h"
#include "../util/str.h"

/* a machine has a handful of users; a hostile one could invent any number of uids, so the
 * cache stops growing here and later uids are looked up each time */
#define USERS_MAX 4096

struct user_name {
	int64_t uid;
	char name[32];
};

void users_init(struct users *u)
{
	memset(u, 0, sizeof *u);
}

void users_free(struct users *u)
{
	free(u->e);
	memset(u, 0, sizeof *u);
}

static void lookup(int64_t uid, char *out, size_t size)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof buf, &res) == 0 && res && res->pw_name &&
	    res->pw_name[0])
		str_utf8_clean(out, size, res->pw_name, strlen(res->pw_name));
	else
		snprintf(out, size, "%lld", (long long)uid);
}

void users_name(struct users *u, int64_t uid, char *out, size_t size)
{
	size_t lo = 0, hi = u->n;

	out[0] = '\0';
	if (uid < 0 || uid > UINT32_MAX)
		return;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (u->e[mid].uid == uid) {
			str_copy(out, size, u->e[mid].name);
			return;
		}
		if (u->e[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (u->n >= USERS_MAX || array_grow((void **)&u->e, &u->cap, u->n + 1, sizeof *u->e, 16)) {
		lookup(uid, out, size); /* not kept */
		return;
	}
	memmove(&u->e[lo + 1], &u->e[lo], (u->n - lo) * sizeof *u->e);
	u->n++;
	u->e[lo].uid = uid;
	lookup(uid, u->e[lo].name, sizeof u->e[lo].name);
	str_copy(out, size, u->e[lo].name);
}
