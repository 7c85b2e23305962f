/* powermetrics.c - the powermetrics source: Apple's powermetrics (root) started through
 * `sudo -n` with an argument vector and read through a pipe, or a plist stream a user started
 * (--powermetrics-input FILE, "-" for standard input) on any platform. Documents are parsed as
 * they arrive (src/apple/plist.c) and decoded (src/apple/pm_decode.c); nothing is written to
 * disk and nothing grows without bound. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../apple/plist.h"
#include "../apple/pm_decode.h"
#include "../util/clock.h"
#include "../util/file.h"
#include "../util/str.h"
#include "source.h"

#define SAMPLERS      "cpu_power,gpu_power,ane_power,thermal"
#define STDERR_KEEP   2048
#define POLL_S        0.05       /* how often a source waiting for a document looks again */
#define START_GRACE_S 5.0        /* on top of the intervals a first document may take */
#define PUMP_BUDGET   (4u << 20) /* bytes one read takes in before agtop looks up */
#define NO_DOC_BYTES  (2 * (uint64_t)PLIST_MAX_DOC_BYTES) /* then it is no plist stream */

struct pm {
	/* what to read */
	bool input;      /* --powermetrics-input: a stream, no subprocess */
	bool regular;    /* ... a regular file: played at its recorded pace */
	char what[4200]; /* "powermetrics" or the input's name, for messages */
	int fd;          /* the stream */
	int err_fd;      /* the subprocess's stderr */
	pid_t pid;       /* the subprocess (sudo), 0 when none */
	bool bandwidth;  /* the bandwidth sampler was asked for */
	char sudo[1024], powermetrics[1024];
	double interval, speed;

	struct plist_stream *ps;
	struct pm_decoder dec;
	bool eof;
	bool torn;          /* the stream ended inside a document */
	unsigned samples;   /* documents decoded */
	unsigned docs;      /* documents ended (good or malformed) when since_doc was reset */
	uint64_t since_doc; /* bytes read since a document last ended */
	uint64_t delivered; /* samples returned */
	double started, last_doc;
	double next_delay;
	char err[STDERR_KEEP + 1];
	size_t errlen;
};

/* ---- the subprocess ---- */

static void drain_stderr(struct pm *p)
{
	char buf[512];
	ssize_t n;

	while (p->err_fd >= 0 && (n = read(p->err_fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break; /* EAGAIN: nothing more now */
		}
		if (p->errlen < STDERR_KEEP) {
			size_t k = (size_t)n < STDERR_KEEP - p->errlen ? (size_t)n
			                                               : STDERR_KEEP - p->errlen;
			memcpy(p->err + p->errlen, buf, k);
			p->errlen += k;
			p->err[p->errlen] = '\0';
		}
	}
}

/* stderr as one trimmed line for a message */
static const char *err_text(struct pm *p)
{
	size_t n;

	for (size_t i = 0; i < p->errlen; i++)
		if (p->err[i] == '\n' || p->err[i] == '\r' || p->err[i] == '\0')
			p->err[i] = ' ';
	n = p->errlen;
	while (n && p->err[n - 1] == ' ')
		p->err[--n] = '\0';
	return p->err + strspn(p->err, " ");
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int spawn(struct pm *p, struct error *err)
{
	char ms[32], samplers[96];
	char *argv[12];
	int out[2], errp[2], exe[2], e = 0;
	ssize_t n;
	int k = 0;

	snprintf(ms, sizeof ms, "%ld", lround(p->interval * 1000));
	snprintf(samplers, sizeof samplers, "%s%s", SAMPLERS, p->bandwidth ? ",bandwidth" : "");
	argv[k++] = p->sudo;
	argv[k++] = "-n"; /* never ask for a password: agtop owns the terminal */
	argv[k++] = p->powermetrics;
	argv[k++] = "--samplers";
	argv[k++] = samplers;
	argv[k++] = "-f";
	argv[k++] = "plist";
	argv[k++] = "-i";
	argv[k++] = ms;
	argv[k] = NULL;

	if (pipe(out))
		return error_set(err, "cannot start powermetrics: pipe: %s", strerror(errno));
	if (pipe(errp)) {
		close(out[0]);
		close(out[1]);
		return error_set(err, "cannot start powermetrics: pipe: %s", strerror(errno));
	}
	if (pipe(exe)) {
		close(out[0]);
		close(out[1]);
		close(errp[0]);
		close(errp[1]);
		return error_set(err, "cannot start powermetrics: pipe: %s", strerror(errno));
	}
	fcntl(exe[1], F_SETFD, FD_CLOEXEC);
	fflush(NULL);
	p->pid = fork();
	if (p->pid < 0) {
		e = errno;
		close(out[0]);
		close(out[1]);
		close(errp[0]);
		close(errp[1]);
		close(exe[0]);
		close(exe[1]);
		p->pid = 0;
		return error_set(err, "cannot start powermetrics: fork: %s", strerror(e));
	}
	if (p->pid == 0) {
		sigset_t none;
		int devnull = open("/dev/null", O_RDONLY);
		/* the child: stdout and stderr to the pipes, no terminal input, default signals,
		 * and a lower priority as the original's `nice -n 10` */
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(errp[1], 2);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* its own process group: Ctrl-C in agtop's terminal is agtop's to handle (the
		 * terminal stays its controlling one, so sudo's per-terminal credentials apply) */
		setpgid(0, 0);
		if (setpriority(PRIO_PROCESS, 0, 10) != 0) {
			/* not fatal: it runs at normal priority */
		}
		execv(argv[0], argv);
		e = errno;
		if (write(exe[1], &e, sizeof e) < 0) {
			/* the parent sees EOF and reports the exit code */
		}
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	close(exe[1]);
	do
		n = read(exe[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	close(exe[0]);
	p->fd = out[0];
	p->err_fd = errp[0];
	fcntl(p->fd, F_SETFD, FD_CLOEXEC);
	fcntl(p->err_fd, F_SETFD, FD_CLOEXEC);
	set_nonblock(p->fd);
	set_nonblock(p->err_fd);
	if (n == (ssize_t)sizeof e) {
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
		return error_set(err, "Failed to start powermetrics: cannot run %s: %s", p->sudo,
		                 strerror(e));
	}
	p->started = p->last_doc = clock_mono();
	return 0;
}

/* Ends the subprocess (SIGTERM, then SIGKILL) and returns its wait status, -1 if none. */
static int reap(struct pm *p, bool kill_it)
{
	int status = -1;
	pid_t pid = p->pid;

	if (!pid)
		return -1;
	for (int i = 0; i < 100; i++) { /* up to one second to exit by itself, then to SIGTERM */
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR)) {
			p->pid = 0;
			return r == pid ? status : -1;
		}
		if (kill_it && i == 0)
			kill(pid, SIGTERM);
		{
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	p->pid = 0;
	return status;
}

static void close_fds(struct pm *p)
{
	if (p->fd >= 0 && !(p->input && p->fd == 0))
		close(p->fd);
	if (p->err_fd >= 0)
		close(p->err_fd);
	p->fd = p->err_fd = -1;
}

/* The message for a subprocess that ended: the original's texts (seed-spec §3) and what to
 * do instead of sudo. */
static int exit_error(struct pm *p, int status, struct error *err)
{
	char lower[STDERR_KEEP + 1], how[64] = "";
	const char *text = err_text(p);
	static const char *const sudo_words[] = {
		"a password is required", "terminal is required", "no tty present",
		"not in the sudoers",     "permission denied",    "operation not permitted"
	};
	bool sudo = false;
	size_t i;

	for (i = 0; text[i] && i < STDERR_KEEP; i++)
		lower[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
	lower[i] = '\0';
	if (status >= 0 && WIFEXITED(status))
		snprintf(how, sizeof how, " Exit code: %d.", WEXITSTATUS(status));
	else if (status >= 0 && WIFSIGNALED(status))
		snprintf(how, sizeof how, " Killed by signal %d.", WTERMSIG(status));
	for (i = 0; i < sizeof sudo_words / sizeof sudo_words[0]; i++)
		sudo |= strstr(lower, sudo_words[i]) != NULL;
	if (strstr(lower, "powermetrics") &&
	    (strstr(lower, "command not found") || strstr(lower, "no such file")))
		return error_set(err,
		                 "Failed to start powermetrics: the `powermetrics` binary was not "
		                 "found. agtop requires macOS with powermetrics available.%s%s%s",
		                 how, text[0] ? " Details: " : "", text);
	if (sudo)
		return error_set(err,
		                 "Failed to start powermetrics due to missing sudo privileges. Run "
		                 "`sudo agtop` and try again (or pipe `sudo powermetrics -f plist` "
		                 "into `agtop --powermetrics-input -`).%s%s",
		                 text[0] ? " Details: " : "", text);
	if (p->samples)
		return error_set(err, "powermetrics exited after %u samples.%s%s%s", p->samples,
		                 how, text[0] ? " Details: " : "", text);
	return error_set(err, "Failed to start powermetrics subprocess.%s%s%s", how,
	                 text[0] ? " Details: " : "", text);
}

/* An early exit that only says the bandwidth sampler is unknown (macOS 13 and later). */
static bool bandwidth_refused(struct pm *p)
{
	char lower[STDERR_KEEP + 1];
	size_t i;

	for (i = 0; i < p->errlen; i++)
		lower[i] =
		    (char)(p->err[i] >= 'A' && p->err[i] <= 'Z' ? p->err[i] + 32 : p->err[i]);
	lower[i] = '\0';
	return p->bandwidth && !p->samples && strstr(lower, "bandwidth") &&
	       (strstr(lower, "unrecognized") || strstr(lower, "unknown") ||
	        strstr(lower, "invalid") || strstr(lower, "unsupported") ||
	        strstr(lower, "not supported"));
}

/* ---- the source ---- */

static void pm_free(struct pm *p)
{
	if (!p)
		return;
	if (p->pid)
		reap(p, true);
	close_fds(p);
	plist_stream_free(p->ps);
	free(p);
}

static int pm_open(struct source *s, const struct options *o, struct error *err)
{
	struct pm *p = calloc(1, sizeof *p);

	if (!p)
		return error_set(err, "out of memory");
	p->fd = p->err_fd = -1;
	p->interval = o->interval;
	p->speed = o->replay_speed;
	pm_decoder_init(&p->dec);
	{
		char why[600];
		if (plist_load(why, sizeof why)) {
			free(p);
			return error_set(err, "%s", why);
		}
	}
	p->ps = plist_stream_new(0);
	if (!p->ps) {
		free(p);
		return error_set(err, "out of memory");
	}
	if (o->powermetrics_input[0]) {
		struct stat st;
		p->input = true;
		if (!strcmp(o->powermetrics_input, "-")) {
			p->fd = 0;
			str_copy(p->what, sizeof p->what, "standard input");
		} else {
			p->fd = open(o->powermetrics_input, O_RDONLY | O_CLOEXEC);
			snprintf(p->what, sizeof p->what, "%s", o->powermetrics_input);
		}
		if (p->fd < 0) {
			error_set(err, "--powermetrics-input %s: %s", o->powermetrics_input,
			          strerror(errno));
			pm_free(p);
			return -1;
		}
		p->regular = fstat(p->fd, &st) == 0 && S_ISREG(st.st_mode);
		if (!p->regular)
			set_nonblock(p->fd);
		p->next_delay = p->regular ? 0 : POLL_S;
	} else {
		str_copy(p->what, sizeof p->what, "powermetrics");
		str_copy(p->sudo, sizeof p->sudo, o->pm_sudo);
		str_copy(p->powermetrics, sizeof p->powermetrics, o->pm_path);
		p->bandwidth = true; /* dropped again when this macOS refuses it */
		if (spawn(p, err)) {
			pm_free(p);
			return -1;
		}
		p->next_delay = p->interval * 0.9; /* the first document comes after one interval */
	}
	s->priv = p;
	return 0;
}

/* Whether the stream went on for NO_DOC_BYTES without ending a document, good or bad (NUL
 * after NUL, as /dev/zero sends, ends none). */
static bool no_document(struct pm *p, size_t n)
{
	unsigned docs = plist_stream_good(p->ps) + plist_stream_malformed(p->ps);

	if (docs != p->docs) {
		p->docs = docs;
		p->since_doc = 0;
		return false;
	}
	p->since_doc += n;
	return p->since_doc > NO_DOC_BYTES;
}

/* Reads what the stream has now (all of it for a regular file, which never blocks), but at most
 * PUMP_BUDGET bytes and nothing once a stop signal arrived: a stream without end (/dev/zero)
 * cannot keep agtop from its keys or its signals. */
static int pump(struct pm *p, const volatile sig_atomic_t *stop, struct error *err)
{
	char buf[16384];
	size_t taken = 0;

	drain_stderr(p);
	while (!p->eof) {
		ssize_t n;

		if ((stop && *stop) || taken >= PUMP_BUDGET)
			break;
		n = read(p->fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return error_set(err, "reading %s: %s", p->what, strerror(errno));
		}
		if (n == 0) {
			p->eof = true;
			p->torn = plist_stream_partial(p->ps);
			if (plist_stream_finish(p->ps))
				return error_set(err, "out of memory parsing %s", p->what);
			break;
		}
		taken += (size_t)n;
		if (plist_stream_feed(p->ps, buf, (size_t)n))
			return error_set(err, "out of memory parsing %s", p->what);
		if (no_document(p, (size_t)n))
			return error_set(err,
			                 "%s: %u MiB without a complete plist document: not a "
			                 "powermetrics stream",
			                 p->what, (unsigned)(NO_DOC_BYTES >> 20));
		if (p->regular && plist_stream_good(p->ps) > p->samples)
			break; /* a file: one document at a time, at its pace */
	}
	drain_stderr(p);
	return 0;
}

static enum source_status pm_read(struct source *s, struct sample *out, struct error *err)
{
	struct pm *p = s->priv;
	struct plist_node *doc;
	unsigned decoded = 0, bad;
	double now = clock_mono();
	struct timespec wall;

	if (pump(p, s->stop, err))
		return SOURCE_ERROR;
	clock_gettime(CLOCK_REALTIME, &wall);
	/* every complete document in order (each one's energy counts), the newest shown */
	while ((doc = plist_stream_next(p->ps)) != NULL) {
		int rc;
		sample_reset(out);
		rc = pm_decode(&p->dec, doc, p->interval,
		               (double)wall.tv_sec + (double)wall.tv_nsec / 1e9, out);
		plist_free(doc);
		if (rc)
			return error_set(err, "out of memory decoding a powermetrics sample"),
			       SOURCE_ERROR;
		decoded++;
		p->samples++;
		if (p->regular)
			break;
	}
	bad = plist_stream_malformed(p->ps);
	if (decoded) {
		p->last_doc = now;
		out->seq = ++p->delivered; /* documents that arrived together count once */
		if (bad)
			sample_note(out, "powermetrics",
			            "%u malformed plist document%s skipped (the last: %s)", bad,
			            bad == 1 ? "" : "s", plist_stream_error(p->ps));
		if (!p->bandwidth && !p->input)
			sample_note(out, "bandwidth",
			            "this macOS's powermetrics has no bandwidth sampler");
		if (p->regular)
			p->next_delay = p->speed > 0 ? fmin(out->interval_s, 60) / p->speed : 0;
		else
			p->next_delay =
			    fmax(POLL_S, (isnan(out->interval_s) ? p->interval : out->interval_s) -
			                     2 * POLL_S);
		return SOURCE_SAMPLE;
	}
	p->next_delay = POLL_S;
	if (!p->samples && bad >= 3)
		return error_set(err,
		                 "%s is not a powermetrics plist stream: %u malformed documents, "
		                 "none usable (the last: %s)",
		                 p->what, bad, plist_stream_error(p->ps)),
		       SOURCE_ERROR;
	if (p->eof) {
		int status;
		if (p->input) {
			if (!p->samples)
				return error_set(
				           err,
				           "%s held no complete powermetrics plist document%s%s",
				           p->what, bad ? ": " : "",
				           bad ? plist_stream_error(p->ps) : ""),
				       SOURCE_ERROR;
			if (p->torn) /* the writer died mid-document: said once, at the end */
				error_set(&s->warn,
				          "%s ended inside a document: it was not used (%s)",
				          p->what, plist_stream_error(p->ps));
			p->torn = false;
			return SOURCE_END;
		}
		status = reap(p, false);
		drain_stderr(p);
		if (bandwidth_refused(p)) {
			/* this macOS has no bandwidth sampler: again without it */
			close_fds(p);
			p->bandwidth = false;
			p->eof = false;
			p->errlen = 0;
			p->err[0] = '\0';
			plist_stream_free(p->ps);
			p->ps = plist_stream_new(0);
			if (!p->ps)
				return error_set(err, "out of memory"), SOURCE_ERROR;
			if (spawn(p, err))
				return SOURCE_ERROR;
			return SOURCE_AGAIN;
		}
		exit_error(p, status, err);
		return SOURCE_ERROR;
	}
	if (!p->input && now - p->last_doc > START_GRACE_S + 3 * p->interval) {
		reap(p, true);
		drain_stderr(p);
		if (p->errlen)
			return error_set(err, "powermetrics gave no sample in %.0f s. Details: %s",
			                 now - p->last_doc, err_text(p)),
			       SOURCE_ERROR;
		return error_set(err, "powermetrics gave no sample in %.0f s", now - p->last_doc),
		       SOURCE_ERROR;
	}
	return SOURCE_AGAIN;
}

static double pm_next_delay(struct source *s, double interval)
{
	struct pm *p = s->priv;

	(void)interval;
	return p->next_delay;
}

static void pm_close(struct source *s)
{
	pm_free(s->priv);
	s->priv = NULL;
}

const struct source_ops powermetrics_source = {
	.name = "powermetrics",
	.open = pm_open,
	.read = pm_read,
	.next_delay = pm_next_delay,
	.close = pm_close,
};
