/* plist.c - an incremental parser of NUL-separated XML property lists, on expat */
#include "plist.h"

#include <ctype.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/array.h"
#include "expat_lazy.h"

#define MAX_TEXT (1u << 20)

void plist_free(struct plist_node *n)
{
	while (n) {
		struct plist_node *next = n->next;
		plist_free(n->child);
		free(n->key);
		free(n->str);
		free(n);
		n = next;
	}
}

const struct plist_node *plist_get(const struct plist_node *dict, const char *key)
{
	if (!dict || dict->type != PLIST_DICT)
		return NULL;
	for (const struct plist_node *c = dict->child; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

bool plist_num(const struct plist_node *n, double *out)
{
	char buf[64], *end;
	size_t len;
	double v;

	if (!n)
		return false;
	if (n->type == PLIST_INTEGER || n->type == PLIST_REAL) {
		*out = n->d;
		return isfinite(*out);
	}
	if (n->type != PLIST_STRING || !n->str)
		return false;
	snprintf(buf, sizeof buf, "%s", n->str + strspn(n->str, " \t\r\n"));
	len = strlen(buf);
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	if (len && buf[len - 1] == '%')
		buf[--len] = '\0';
	if (!len)
		return false;
	v = strtod(buf, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (*end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

const char *plist_str(const struct plist_node *n)
{
	return n && n->type == PLIST_STRING ? (n->str ? n->str : "") : NULL;
}

/* ---- the stream ---- */

struct frame {
	struct plist_node *node; /* an open dict or array */
	char *key;               /* a dictionary's key waiting for its value */
};

struct plist_stream {
	size_t max_doc;
	XML_Parser xp;
	bool started; /* the current document has non-blank bytes */
	bool bad;     /* ... and is malformed: skip to the next NUL */
	size_t doc_bytes;

	/* the tree being built */
	struct plist_node *root;
	bool in_plist, root_done;
	unsigned depth;
	struct frame stack[PLIST_MAX_DEPTH];
	bool collecting;
	char *text;
	size_t text_len, text_cap;
	bool oom;

	/* complete documents, oldest first */
	struct plist_node **queue;
	size_t qhead, qlen, qcap;

	unsigned good, malformed;
	char error[160];
};

static void fail_doc(struct plist_stream *s, const char *fmt, const char *arg)
{
	if (s->bad)
		return;
	s->bad = true;
	snprintf(s->error, sizeof s->error, fmt, arg);
	if (s->xp)
		XML_StopParser(s->xp, XML_FALSE);
}

static struct plist_node *new_node(struct plist_stream *s, enum plist_type t)
{
	struct plist_node *n = calloc(1, sizeof *n);

	if (!n) {
		s->oom = true;
		fail_doc(s, "%s", "out of memory");
		return NULL;
	}
	n->type = t;
	return n;
}

/* Puts a finished value where it belongs: the root, an array, or a dictionary under its key. */
static void attach(struct plist_stream *s, struct plist_node *n)
{
	struct frame *f;

	if (!s->depth) {
		if (s->root || !s->in_plist) {
			plist_free(n);
			fail_doc(s, "%s", "more than one value at the top of the plist");
			return;
		}
		s->root = n;
		return;
	}
	f = &s->stack[s->depth - 1];
	if (f->node->type == PLIST_DICT) {
		if (!f->key) {
			plist_free(n);
			fail_doc(s, "%s", "a dictionary value without its <key>");
			return;
		}
		n->key = f->key;
		f->key = NULL;
	}
	if (f->node->last)
		f->node->last->next = n;
	else
		f->node->child = n;
	f->node->last = n;
	f->node->n++;
}

static const char *const scalar_tags[] = { "key", "string", "integer", "real", "date", "data" };

static bool is_scalar(const char *name)
{
	for (size_t i = 0; i < sizeof scalar_tags / sizeof scalar_tags[0]; i++)
		if (!strcmp(name, scalar_tags[i]))
			return true;
	return false;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct plist_stream *s = ud;

	(void)atts;
	if (s->bad)
		return;
	if (s->collecting) {
		fail_doc(s, "<%s> inside a scalar value", name);
		return;
	}
	if (!strcmp(name, "plist")) {
		if (s->in_plist || s->root_done)
			fail_doc(s, "%s", "nested <plist>");
		s->in_plist = true;
		return;
	}
	if (!s->in_plist) {
		fail_doc(s, "<%s> outside <plist>: not a property list", name);
		return;
	}
	if (!strcmp(name, "dict") || !strcmp(name, "array")) {
		struct plist_node *n;
		if (s->depth == PLIST_MAX_DEPTH) {
			fail_doc(s, "%s", "nested too deep");
			return;
		}
		n = new_node(s, name[0] == 'd' ? PLIST_DICT : PLIST_ARRAY);
		if (!n)
			return;
		s->stack[s->depth].node = n;
		s->stack[s->depth].key = NULL;
		s->depth++;
		return;
	}
	if (!strcmp(name, "true") || !strcmp(name, "false")) {
		struct plist_node *n = new_node(s, PLIST_BOOL);
		if (n) {
			n->b = name[0] == 't';
			attach(s, n);
		}
		return;
	}
	if (is_scalar(name)) {
		s->collecting = true;
		s->text_len = 0;
		return;
	}
	fail_doc(s, "unknown plist element <%s>", name);
}

static char *text_dup(struct plist_stream *s)
{
	char *t = malloc(s->text_len + 1);

	if (!t) {
		s->oom = true;
		fail_doc(s, "%s", "out of memory");
		return NULL;
	}
	memcpy(t, s->text ? s->text : "", s->text_len);
	t[s->text_len] = '\0';
	return t;
}

static bool parse_integer(const char *t, int64_t *out)
{
	char *end;
	long long v;

	while (isspace((unsigned char)*t))
		t++;
	v = strtoll(t, &end, 10);
	if (end == t)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	*out = v;
	return *end == '\0';
}

static bool parse_real(const char *t, double *out)
{
	char *end;
	double v;

	while (isspace((unsigned char)*t))
		t++;
	v = strtod(t, &end);
	if (end == t)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	*out = v;
	return *end == '\0';
}

static void end_scalar(struct plist_stream *s, const char *name)
{
	struct plist_node *n;
	char *t;

	s->collecting = false;
	t = text_dup(s);
	if (!t)
		return;
	if (!strcmp(name, "key")) {
		struct frame *f = s->depth ? &s->stack[s->depth - 1] : NULL;
		if (!f || f->node->type != PLIST_DICT || f->key) {
			free(t);
			fail_doc(s, "%s", "a <key> outside a dictionary or without a value");
			return;
		}
		f->key = t;
		return;
	}
	n = new_node(s, !strcmp(name, "string")    ? PLIST_STRING
	                : !strcmp(name, "integer") ? PLIST_INTEGER
	                : !strcmp(name, "real")    ? PLIST_REAL
	                : !strcmp(name, "date")    ? PLIST_DATE
	                                           : PLIST_DATA);
	if (!n) {
		free(t);
		return;
	}
	if (n->type == PLIST_INTEGER) {
		if (!parse_integer(t, &n->i)) {
			fail_doc(s, "bad <integer> \"%.40s\"", t);
			free(t);
			plist_free(n);
			return;
		}
		n->d = (double)n->i;
		free(t);
	} else if (n->type == PLIST_REAL) {
		if (!parse_real(t, &n->d)) {
			fail_doc(s, "bad <real> \"%.40s\"", t);
			free(t);
			plist_free(n);
			return;
		}
		free(t);
	} else {
		n->str = t;
	}
	attach(s, n);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct plist_stream *s = ud;

	if (s->bad)
		return;
	if (s->collecting) {
		end_scalar(s, name);
		return;
	}
	if (!strcmp(name, "plist")) {
		s->in_plist = false;
		s->root_done = true;
		return;
	}
	if ((!strcmp(name, "dict") || !strcmp(name, "array")) && s->depth) {
		struct frame *f = &s->stack[--s->depth];
		if (f->key) {
			free(f->key);
			f->key = NULL;
			fail_doc(s, "%s", "a <key> without a value at the end of a dictionary");
			plist_free(f->node);
			return;
		}
		attach(s, f->node);
	}
}

static void XMLCALL on_text(void *ud, const XML_Char *txt, int len)
{
	struct plist_stream *s = ud;

	if (s->bad || !s->collecting || len <= 0)
		return;
	if (s->text_len + (size_t)len > MAX_TEXT) {
		fail_doc(s, "%s", "a value longer than 1 MiB");
		return;
	}
	if (array_grow((void **)&s->text, &s->text_cap, s->text_len + (size_t)len, 1, 256)) {
		s->oom = true;
		fail_doc(s, "%s", "out of memory");
		return;
	}
	memcpy(s->text + s->text_len, txt, (size_t)len);
	s->text_len += (size_t)len;
}

/* Entities could make a small document expand without bound: a plist has none. */
static void XMLCALL on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *system_id,
                              const XML_Char *public_id, const XML_Char *notation)
{
	(void)param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)system_id;
	(void)public_id;
	(void)notation;
	fail_doc(ud, "an entity declaration (%s): not a powermetrics plist", name);
}

/* Drops the document being built. */
static void reset_doc(struct plist_stream *s)
{
	for (unsigned i = 0; i < s->depth; i++) {
		free(s->stack[i].key);
		plist_free(s->stack[i].node);
	}
	s->depth = 0;
	plist_free(s->root);
	s->root = NULL;
	if (s->xp)
		XML_ParserFree(s->xp);
	s->xp = NULL;
	s->started = s->bad = s->in_plist = s->root_done = s->collecting = false;
	s->doc_bytes = 0;
	s->text_len = 0;
}

static int begin_doc(struct plist_stream *s)
{
	s->xp = XML_ParserCreate("UTF-8");
	if (!s->xp) {
		s->oom = true;
		return -1;
	}
	XML_SetUserData(s->xp, s);
	XML_SetElementHandler(s->xp, on_start, on_end);
	XML_SetCharacterDataHandler(s->xp, on_text);
	XML_SetEntityDeclHandler(s->xp, on_entity);
	s->started = true;
	return 0;
}

static void xml_failed(struct plist_stream *s)
{
	char msg[120];

	if (s->bad)
		return;
	snprintf(msg, sizeof msg, "%s at line %lu", XML_ErrorString(XML_GetErrorCode(s->xp)),
	         (unsigned long)XML_GetCurrentLineNumber(s->xp));
	fail_doc(s, "bad XML: %s", msg);
}

static int queue_push(struct plist_stream *s, struct plist_node *doc)
{
	if (s->qhead + s->qlen == s->qcap) {
		if (s->qhead) {
			memmove(s->queue, s->queue + s->qhead, s->qlen * sizeof *s->queue);
			s->qhead = 0;
		} else if (array_grow((void **)&s->queue, &s->qcap, s->qcap + 1, sizeof *s->queue,
		                      8)) {
			return -1;
		}
	}
	s->queue[s->qhead + s->qlen++] = doc;
	return 0;
}

/* The document's NUL (or the end of input): keep it or count it malformed. */
static int end_doc(struct plist_stream *s)
{
	if (!s->started)
		return 0;
	if (!s->bad && XML_Parse(s->xp, "", 0, XML_TRUE) == XML_STATUS_ERROR)
		xml_failed(s);
	if (!s->bad && (!s->root_done || !s->root))
		fail_doc(s, "%s", "no complete <plist> value");
	if (!s->bad && s->root->type != PLIST_DICT)
		fail_doc(s, "%s", "the top of the plist is not a dictionary");
	if (s->oom)
		return -1;
	if (s->bad) {
		s->malformed++;
	} else {
		if (queue_push(s, s->root))
			return -1;
		s->root = NULL;
		s->good++;
	}
	reset_doc(s);
	return 0;
}

int plist_load(char *why, size_t size)
{
	return expat_lazy_load(why, size);
}

struct plist_stream *plist_stream_new(size_t max_doc_bytes)
{
	char why[600];
	struct plist_stream *s;

	if (expat_lazy_load(why, sizeof why))
		return NULL;
	s = calloc(1, sizeof *s);

	if (s)
		s->max_doc = max_doc_bytes ? max_doc_bytes : PLIST_MAX_DOC_BYTES;
	return s;
}

void plist_stream_free(struct plist_stream *s)
{
	if (!s)
		return;
	reset_doc(s);
	for (size_t i = 0; i < s->qlen; i++)
		plist_free(s->queue[s->qhead + i]);
	free(s->queue);
	free(s->text);
	free(s);
}

/* Bytes of one document (no NUL among them). */
static int feed_doc(struct plist_stream *s, const char *buf, size_t len)
{
	if (!s->started) {
		while (len && isspace((unsigned char)*buf)) { /* blank lines between documents */
			buf++;
			len--;
		}
		if (!len)
			return 0;
		if (begin_doc(s))
			return -1;
	}
	s->doc_bytes += len;
	if (s->bad)
		return 0;
	if (s->doc_bytes > s->max_doc) {
		fail_doc(s, "%s", "a document over the size limit");
		return 0;
	}
	if (XML_Parse(s->xp, buf, (int)len, XML_FALSE) == XML_STATUS_ERROR)
		xml_failed(s);
	return s->oom ? -1 : 0;
}

int plist_stream_feed(struct plist_stream *s, const char *buf, size_t len)
{
	while (len) {
		const char *nul = memchr(buf, '\0', len);
		size_t n = nul ? (size_t)(nul - buf) : len;

		if (n && feed_doc(s, buf, n))
			return -1;
		if (!nul)
			break;
		if (end_doc(s))
			return -1;
		buf += n + 1;
		len -= n + 1;
	}
	return 0;
}

int plist_stream_finish(struct plist_stream *s)
{
	return end_doc(s);
}

struct plist_node *plist_stream_next(struct plist_stream *s)
{
	struct plist_node *d;

	if (!s->qlen)
		return NULL;
	d = s->queue[s->qhead++];
	s->qlen--;
	if (!s->qlen)
		s->qhead = 0;
	return d;
}

unsigned plist_stream_good(const struct plist_stream *s)
{
	return s->good;
}

unsigned plist_stream_malformed(const struct plist_stream *s)
{
	return s->malformed;
}

const char *plist_stream_error(const struct plist_stream *s)
{
	return s->error;
}

bool plist_stream_partial(const struct plist_stream *s)
{
	return s->started;
}
