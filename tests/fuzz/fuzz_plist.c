/* fuzz_plist.c - libFuzzer target: the powermetrics plist stream parser and decoder.
 * The first input byte picks how the rest is cut into feeds (the stream must give the same
 * result wherever a read ends); every document that parses is decoded into a sample. Built and
 * run by tools/fuzz.sh (CI: 60 seconds). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apple/plist.h"
#include "apple/pm_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain(struct plist_stream *s, struct pm_decoder *d, struct sample *out)
{
	struct plist_node *doc;

	while ((doc = plist_stream_next(s)) != NULL) {
		sample_reset(out);
		pm_decode(d, doc, 1.0, 0.0, out);
		plist_free(doc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plist_stream *s;
	struct pm_decoder d;
	struct sample out;
	size_t step, at;

	if (size < 1)
		return 0;
	step = (size_t)data[0] + 1; /* 1..256-byte feeds */
	data++;
	size--;
	s = plist_stream_new(64 * 1024);
	if (!s)
		return 0;
	pm_decoder_init(&d);
	sample_init(&out);
	for (at = 0; at < size; at += step) {
		size_t n = size - at < step ? size - at : step;
		if (plist_stream_feed(s, (const char *)data + at, n))
			break;
		drain(s, &d, &out);
	}
	plist_stream_finish(s);
	drain(s, &d, &out);
	sample_free(&out);
	plist_stream_free(s);
	return 0;
}
