/* fuzz_http.c - libFuzzer target: what the endpoint parses of a request itself, the Accept
 * header (content negotiation, export/http.c); the rest of a request is libmicrohttpd's. The
 * chosen format must be one of the three. Built and run by tools/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *accept = malloc(size + 1);
	enum http_format f;

	if (!accept)
		return 0;
	memcpy(accept, data, size);
	accept[size] = '\0';
	f = http_negotiate(accept);
	if (f != HTTP_TEXT && f != HTTP_OPENMETRICS_1_0 && f != HTTP_OPENMETRICS_0_0_1)
		abort();
	(void)http_content_type(f);
	free(accept);
	return 0;
}
