/* apple_machine.h - a synthetic Mac for the Apple decoder's tests: readings built one window at
 * a time (CPU ticks, GPU residency, energy counters with or without the driver's timestamps),
 * decoded pair by pair. The numbers are made up to isolate one rule each; the real captures are
 * in tests/dumps and tests/data/apple. */
#ifndef AGTOP_TEST_APPLE_MACHINE_H
#define AGTOP_TEST_APPLE_MACHINE_H

#include "apple/decode.h"

#define MACHINE_MAX 32
#define TICKS_PER_S 24000000ull /* mach ticks per second at 125/3 ns */

struct machine {
	struct apple_host h;
	unsigned n;
	struct apple_reading r[MACHINE_MAX];
	struct apple_decoder d;
	bool decoding;
};

/* A machine of chip and os ("macOS 27.0") with one CPU; reading 0 is taken at once. */
void machine_init(struct machine *m, const char *chip, const char *os);
void machine_free(struct machine *m);
/* The next reading, secs later, the CPU busy this share of it (the GPU idle); every channel
 * carries over its value from the reading before. */
struct apple_reading *machine_step(struct machine *m, double secs, double cpu_busy);
/* An Energy Model counter of this reading: its absolute value and the driver's timestamp (0:
 * none). */
void machine_energy(struct apple_reading *r, const char *name, const char *unit, int64_t value,
                    uint64_t ts);
/* Adds delta to a counter (its timestamp set to the reading's time when stamp). */
void machine_add(struct apple_reading *r, const char *name, int64_t delta, bool stamp);
/* The GPU active this share of the window that ends at r (r must come from machine_step). */
void machine_gpu(struct machine *m, struct apple_reading *r, double busy);
/* The ANE's PMP floor residency (SOC Floor/ANE-AF-BW, apple-recent-changes row 4) above its
 * idle state this share of the window that ends at r. */
void machine_ane_floor(struct machine *m, struct apple_reading *r, double busy);
/* Decodes the window that ends at reading i (1..n-1) into out (reset first); the decoder keeps
 * its state across calls, which must come in order. */
void machine_decode(struct machine *m, unsigned i, struct sample *out);

#endif
