/* addr.h - listen addresses as a user writes them: [ADDR:]PORT (pure). Below both the option
 * parser and the exporter, so that neither reaches into the other. */
#ifndef AGTOP_ADDR_H
#define AGTOP_ADDR_H

#include <stddef.h>

#include "../error.h"

/* agtop's Prometheus endpoint: loopback unless another address is asked for, and a port that is
 * not node_exporter's 9100, DCGM exporter's 9400, nor Prometheus' own 9090-9093
 * (docs/prometheus.md) */
#define ADDR_DEFAULT_HOST "127.0.0.1"
#define ADDR_DEFAULT_PORT 9776

/* Parses "9776", "0.0.0.0:9776", "[::1]:9776" (an IPv6 address goes in brackets),
 * "localhost:9776" into host (without brackets) and port (0-65535; 0 = any free port). A spec
 * without an address gets ADDR_DEFAULT_HOST; NULL (an option given without a value) is
 * ADDR_DEFAULT_HOST:ADDR_DEFAULT_PORT. On error err->msg says what is wrong and how to write it;
 * host and port are then unchanged. */
int addr_parse_listen(const char *spec, char *host, size_t host_size, int *port, struct error *err);

#endif
