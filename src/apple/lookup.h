/* lookup.h - the lookups the Apple decoder's parts share: a channel by name, and the cluster
 * map (a cluster's own channel key, its place among its die's clusters of a kind). Below
 * decode.c, decode_cpu.c, decode_power.c and decode_bw.c, and calling none of them, so that
 * the decoder's files depend on each other in one direction only. */
#ifndef AGTOP_APPLE_LOOKUP_H
#define AGTOP_APPLE_LOOKUP_H

#include <stddef.h>

#include "decode.h"

/* The channel of that group, subgroup (NULL: any) and name, NULL when the sample lacks it. */
const struct ior_channel *apple_find(const struct ior_sample *s, const char *group,
                                     const char *subgroup, const char *name);

/* Cluster k's own channel name, as IOReport names the cluster's channels: "PCPU1", "MCPU0",
 * and on chips of several dies "DIE_1_ECPU". */
void apple_cluster_channel(const struct apple_decoder *d, unsigned k, char *out, size_t size);

/* Cluster k's place among the clusters of its die and kind: 0 for the first P cluster, 1 for
 * the second ("PACC1_CPU"). */
unsigned apple_cluster_nth(const struct apple_decoder *d, unsigned k);

#endif
