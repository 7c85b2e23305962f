/* decode_internal.h - the parts of the Apple decoder that decode.c calls. Each part reads the
 * delta and the readings and fills its share of the sample; the parts share only the lookups
 * of lookup.h and never call each other, so the decoder's files form no circle:
 *
 *   decode.c  ->  decode_cpu.c, decode_power.c, decode_bw.c, decode_temp.c,
 *                 decode_machine.c, decode_ledger.c  ->  lookup.c
 */
#ifndef AGTOP_APPLE_DECODE_INTERNAL_H
#define AGTOP_APPLE_DECODE_INTERNAL_H

#include "decode.h"

/* decode_cpu.c: clusters and cores from the channel names (once), then each window's CPU */
void apple_layout(struct apple_decoder *d, const struct ior_sample *s);
void apple_decode_cpu(struct apple_decoder *d, const struct ior_sample *delta,
                      const struct apple_reading *prev, const struct apple_reading *cur,
                      struct sample *out);

/* decode_power.c: the rails, after the CPU and GPU (a still counter's unit must be known busy
 * or idle). Whether it reads an Energy Model channel. */
void apple_decode_power(struct apple_decoder *d, const struct ior_sample *delta, double dt,
                        const struct apple_reading *cur, struct sample *out);
bool apple_energy_wanted(const char *name);

/* decode_bw.c: memory bandwidth; whether it reads a channel of AMC Stats or PMP */
void apple_decode_bandwidth(const struct ior_sample *delta, double dt, struct sample *out);
bool apple_bw_wanted(const char *group, const char *subgroup, const char *name);
/* and the neural engine's activity from the PMP floor residencies (NAN: no such channel),
 * run before the power so that a still ANE counter can be told busy or idle */
double apple_ane_activity(const struct ior_sample *delta);
bool apple_ane_wanted(const char *group, const char *subgroup, const char *name);

/* decode_machine.c: the battery, the system total where PSTR is missing, the adapter, the
 * fans, the throttle causes (after the power, the thermal pressure and the battery) */
void apple_decode_machine(struct apple_decoder *d, const struct apple_reading *cur, double dt,
                          struct sample *out);

/* decode_ledger.c: each process's GPU time, energy and neural engine memory (after the
 * process rows, which it fills in) */
void apple_decode_ledger(struct apple_decoder *d, const struct apple_reading *prev,
                         const struct apple_reading *cur, double dt, struct sample *out);

/* decode_temp.c: the temperatures shown, out of every sensor read */
void apple_decode_temps(const struct apple_reading *cur, struct sample *out);

#endif
