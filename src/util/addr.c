#include "addr.h"

#include <ctype.h>
#include <string.h>

#include "str.h"

/* The port: decimal digits only (no sign, no blanks), at most 65535. */
static int parse_port(const char *s, int *port, struct error *err)
{
	long n = 0;

	if (!*s)
		return error_set(err, "expected [ADDR:]PORT with PORT a number (default %d)",
		                 ADDR_DEFAULT_PORT);
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return error_set(err,
			                 "expected [ADDR:]PORT with PORT a number (default %d)",
			                 ADDR_DEFAULT_PORT);
		if (n <= 65535)
			n = n * 10 + (*p - '0');
	}
	if (n > 65535)
		return error_set(err, "port must be in the range 0-65535 (0 = any free port)");
	*port = (int)n;
	return 0;
}

static int copy_host(char *host, size_t host_size, const char *from, size_t len, struct error *err)
{
	if (len >= host_size)
		return error_set(err, "address is too long");
	memcpy(host, from, len);
	host[len] = '\0';
	return 0;
}

int addr_parse_listen(const char *spec, char *host, size_t host_size, int *port, struct error *err)
{
	char h[256];
	const char *colon, *ps;
	int p = 0;

	if (!spec) {
		str_copy(host, host_size, ADDR_DEFAULT_HOST);
		*port = ADDR_DEFAULT_PORT;
		return 0;
	}
	if (!*spec)
		return error_set(err,
		                 "expected [ADDR:]PORT, got an empty value (leave the value "
		                 "out for %s:%d)",
		                 ADDR_DEFAULT_HOST, ADDR_DEFAULT_PORT);
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close == spec + 1 || close[1] != ':')
			return error_set(err, "expected [ADDR:]PORT, with an IPv6 address as "
			                      "[ADDR]:PORT (for example [::1]:9776)");
		if (copy_host(h, sizeof h, spec + 1, (size_t)(close - spec - 1), err))
			return -1;
		ps = close + 2;
	} else if ((colon = strrchr(spec, ':')) != NULL) {
		if (colon == spec)
			return error_set(err,
			                 "give an address before ':' (0.0.0.0 for all IPv4 "
			                 "addresses, [::] for all; the default is %s)",
			                 ADDR_DEFAULT_HOST);
		if (memchr(spec, ':', (size_t)(colon - spec)))
			return error_set(err, "an IPv6 address goes in brackets: [ADDR]:PORT (for "
			                      "example [::1]:9776)");
		if (copy_host(h, sizeof h, spec, (size_t)(colon - spec), err))
			return -1;
		ps = colon + 1;
	} else {
		str_copy(h, sizeof h, ADDR_DEFAULT_HOST);
		ps = spec;
	}
	if (parse_port(ps, &p, err))
		return -1;
	if (strlen(h) >= host_size)
		return error_set(err, "address is too long");
	str_copy(host, host_size, h);
	*port = p;
	return 0;
}
