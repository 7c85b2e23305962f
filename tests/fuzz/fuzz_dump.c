/* fuzz_dump.c - libFuzzer target: an IOReport dump (--decode-dump) parsed and, when it parses,
 * decoded reading after reading by the Apple decoder, as agtop --decode-dump does. Built and run
 * by tools/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>

#include "apple/decode.h"
#include "apple/dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apple_dump d;
	struct apple_decoder dec;
	struct error err;
	struct sample s;

	apple_dump_init(&d);
	if (apple_dump_parse((const char *)data, size, &d, &err) != 0) {
		apple_dump_free(&d);
		return 0;
	}
	if (apple_decoder_init(&dec, &d.host, &d.pmgr) == 0) {
		sample_init(&s);
		for (unsigned i = 1; i < d.nreadings; i++) {
			sample_reset(&s);
			apple_decode(&dec, &d.reading[i - 1], &d.reading[i], d.group, d.ngroups,
			             &s);
		}
		sample_free(&s);
		apple_decoder_free(&dec);
	}
	apple_dump_free(&d);
	return 0;
}
