/* bench_prometheus.c - what the Prometheus outputs cost: rendering and publishing one sample
 * (done once per sample, whether anyone scrapes or not) and serving scrapes over loopback.
 *
 *   build/bench/bench_prometheus [tests/data/RECORDING.jsonl ...]
 *
 * Results and the machine they were taken on: bench/README.md. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "export/http.h"
#include "export/json.h"
#include "export/prometheus.h"
#include "sample.h"
#include "util/clock.h"

static char *first_line(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (!f || getline(&line, &cap, f) < 0) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	return line;
}

/* One GET /metrics on a fresh connection; the bytes received. */
static size_t scrape(int port)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
	struct sockaddr_in a = { 0 };
	char buf[65536];
	size_t total = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1)) {
		perror("scrape");
		exit(1);
	}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += (size_t)n;
	close(fd);
	return total;
}

int main(int argc, char **argv)
{
	static const char *const defaults[] = { "tests/data/apple_m1ultra.jsonl",
		                                "tests/data/linux_2gpu.jsonl" };
	int nfiles = argc > 1 ? argc - 1 : 2;

	printf("%-34s %10s %12s %12s %14s\n", "recording", "bytes", "render µs", "publish µs",
	       "scrape µs");
	for (int f = 0; f < nfiles; f++) {
		const char *path = argc > 1 ? argv[f + 1] : defaults[f];
		char *line = first_line(path);
		struct sample s;
		struct error err;
		struct strbuf b;
		struct prom_opts po = { PROM_TEXT, 10 };
		struct http_server *h;
		struct http_limits l;
		double t0, render, publish, serve;
		const int reps = 2000, scrapes = 500;
		size_t bytes = 0;

		sample_init(&s);
		if (json_read_sample(line, strlen(line), &s, &err)) {
			fprintf(stderr, "%s: %s\n", path, err.msg);
			return 1;
		}
		sb_init(&b);
		t0 = clock_mono();
		for (int i = 0; i < reps; i++) {
			sb_clear(&b);
			prom_write(&b, &s, &po);
		}
		render = (clock_mono() - t0) / reps * 1e6;

		http_limits_default(&l);
		if (http_start(&h, "127.0.0.1", 0, &l, 10, 1, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		t0 = clock_mono();
		for (int i = 0; i < reps; i++)
			http_publish(h, &s, &err);
		publish = (clock_mono() - t0) / reps * 1e6;
		t0 = clock_mono();
		for (int i = 0; i < scrapes; i++)
			bytes = scrape(http_port(h));
		serve = (clock_mono() - t0) / scrapes * 1e6;
		http_stop(h);
		printf("%-34s %10zu %12.1f %12.1f %14.1f\n",
		       strrchr(path, '/') ? strrchr(path, '/') + 1 : path, bytes, render, publish,
		       serve);
		sb_free(&b);
		sample_free(&s);
		free(line);
	}
	return 0;
}
