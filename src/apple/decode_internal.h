/* decode_internal.h - shared between the Apple decoder's files */
#ifndef AGTOP_APPLE_DECODE_INTERNAL_H
#define AGTOP_APPLE_DECODE_INTERNAL_H

#include "decode.h"

const struct ior_channel *apple_find(const struct ior_sample *s, const char *group,
                                     const char *subgroup, const char *name);
void apple_layout(struct apple_decoder *d, const struct ior_sample *s);
void apple_decode_cpu(struct apple_decoder *d, const struct ior_sample *delta,
                      const struct apple_reading *prev, const struct apple_reading *cur,
                      struct sample *out);
void apple_decode_power(struct apple_decoder *d, const struct ior_sample *delta, double dt,
                        const struct apple_reading *cur, struct sample *out);
void apple_decode_bandwidth(const struct ior_sample *delta, double dt, struct sample *out);

#endif
