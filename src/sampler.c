/* sampler.c - the sampling pipeline shared by the dashboard and the headless modes: the source,
 * then every output of a sample (JSON line, --record, --prometheus, --prometheus-textfile) */
#include "sampler.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "export/prometheus.h"
#include "util/file.h"

int sampler_open(struct sampler *r, struct options *o, struct error *err)
{
	memset(r, 0, sizeof *r);
	r->o = o;
	sample_init(&r->cur);
	sb_init(&r->line);
	sb_init(&r->prom);
	r->jopts.filter = o->has_proc_re ? &o->proc_re : NULL;
	r->jopts.max_procs = JSON_MAX_PROCS;
	r->hint.all = o->has_proc_re;
	r->hint.sort = PROC_SORT_CPU;
	r->hint.rows = JSON_MAX_PROCS > SOURCE_PROC_ROWS ? JSON_MAX_PROCS : SOURCE_PROC_ROWS;
	r->record.fd = -1;
	/* outputs are checked before the source starts, so an unwritable file is an error at
	 * once */
	if (o->prom_textfile[0] && file_replace_check(o->prom_textfile, err))
		return error_prefix(err, "cannot write --prometheus-textfile %s", o->prom_textfile);
	if (o->record[0] && file_log_open(&r->record, o->record, err))
		return error_prefix(err, "cannot open --record file %s", o->record);
	if (o->prometheus) {
		struct http_limits l;
		http_limits_default(&l);
		if (http_start(&r->http, o->prom_host, o->prom_port, &l,
		               (unsigned)o->prom_processes, o->interval, err))
			goto fail;
	}
	if (source_open_default(&r->src, o, err))
		goto fail;
	return 0;
fail:
	http_stop(r->http);
	r->http = NULL;
	file_log_close(&r->record);
	return -1;
}

void sampler_close(struct sampler *r)
{
	http_stop(r->http);
	r->http = NULL;
	source_close(&r->src);
	if (r->record.fd >= 0 && file_log_close(&r->record) != 0)
		fprintf(stderr, "agtop: error closing --record file %s: %s\n", r->o->record,
		        strerror(errno));
	sample_free(&r->cur);
	sb_free(&r->line);
	sb_free(&r->prom);
}

/* --prometheus-textfile: written to a new file beside the target and renamed over it, so
 * node_exporter's textfile collector never reads half a file (util/file.h: never through a link,
 * never over anything but a regular file). */
static int write_textfile(struct sampler *r, struct error *err)
{
	struct prom_opts po = { PROM_TEXT, (unsigned)r->o->prom_processes };

	sb_clear(&r->prom);
	prom_write(&r->prom, &r->cur, &po);
	if (r->prom.oom)
		return error_set(err, "out of memory writing metrics");
	if (file_replace(r->o->prom_textfile, r->prom.buf, r->prom.len, err))
		return error_prefix(err, "cannot write --prometheus-textfile %s",
		                    r->o->prom_textfile);
	return 0;
}

double sampler_next_delay(struct sampler *r)
{
	return source_next_delay(&r->src, r->o->interval);
}

enum sampler_status sampler_next(struct sampler *r, struct error *err)
{
	enum source_status st;

	/* --max_count: restart the source every N samples, as the original restarts powermetrics */
	if (r->o->max_count > 0 && r->since_restart >= r->o->max_count && !r->o->replay[0] &&
	    !r->o->powermetrics_input[0]) { /* a stream agtop did not start is not restarted */
		source_close(&r->src);
		if (source_open_default(&r->src, r->o, err))
			return SAMPLER_ERROR;
		r->since_restart = 0;
		return SAMPLER_RESTARTED; /* no sample: the new source needs one interval */
	}
	r->src.hint = r->hint;
	r->src.stop = r->stop;
	st = source_read(&r->src, &r->cur, err);
	if (r->src.warn.msg[0]) {
		r->warn = r->src.warn;
		error_clear(&r->src.warn);
	}
	if (st != SOURCE_SAMPLE)
		return (enum sampler_status)st;
	r->since_restart++;
	if (r->mute)
		return SAMPLER_SAMPLE;
	r->samples++;
	/* the JSON line is built only for a reader of it (--json, --record): the dashboard and
	 * the endpoints alone do not pay for it (bench/README.md) */
	if (!r->o->json && r->record.fd < 0)
		goto publish;
	sb_clear(&r->line);
	json_write_sample(&r->line, &r->cur, &r->jopts);
	if (r->line.oom) {
		error_set(err, "out of memory writing a sample");
		return SAMPLER_ERROR;
	}
	sb_putc(&r->line, '\n');
	if (r->jopts.filter && procsel_switched_off(r->jopts.filter) && !r->filter_off_told) {
		error_set(&r->warn,
		          "--proc-filter %.200s switched off: too costly to match on a command "
		          "line (every process is written from now on)",
		          r->o->proc_filter);
		r->filter_off_told = true;
	}
publish:
	if (r->o->prom_textfile[0] && write_textfile(r, err))
		return SAMPLER_ERROR;
	if (r->http && http_publish(r->http, &r->cur, err))
		return SAMPLER_ERROR;
	if (r->record.fd >= 0) {
		/* a failed write is cut back to the last whole line (util/file.h) */
		if (file_log_append(&r->record, r->line.buf, r->line.len) != 0) {
			error_set(err,
			          "cannot write --record file %s: %s (the samples before this one "
			          "are saved)",
			          r->o->record, strerror(errno));
			return SAMPLER_ERROR;
		}
	}
	return SAMPLER_SAMPLE;
}
