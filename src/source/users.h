/* users.h - user ids to names for the process list (the password database, cached) */
#ifndef AGTOP_USERS_H
#define AGTOP_USERS_H

#include <stddef.h>
#include <stdint.h>

struct users {
	struct user_name *e; /* sorted by uid */
	size_t n, cap;
};

void users_init(struct users *u);
void users_free(struct users *u);
/* Writes the name of uid, looked up once (getpwuid_r) and then kept; a uid the database does
 * not know reads as its number, as ps(1) shows it; "" for a negative (unknown) uid. */
void users_name(struct users *u, int64_t uid, char *out, size_t size);

#endif
