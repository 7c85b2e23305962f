/* pcre2_lazy.c - the twelve PCRE2 calls procsel.c makes, forwarded to libpcre2-8 opened at
 * run time (src/util/lazylib.h): a run without --proc-filter or the dashboard's filter never
 * maps the library. Each call comes after procsel_compile() loaded it; the two frees are also
 * safe before (procsel_free of a matcher never compiled). */
#include "pcre2_lazy.h"

#include <stdio.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util/lazylib.h"

#ifndef AGTOP_PCRE2_LIBDIR
#define AGTOP_PCRE2_LIBDIR ""
#endif

static struct {
	pcre2_code *(*compile)(PCRE2_SPTR, PCRE2_SIZE, uint32_t, int *, PCRE2_SIZE *,
	                       pcre2_compile_context *);
	void (*code_free)(pcre2_code *);
	int (*error_message)(int, PCRE2_UCHAR *, PCRE2_SIZE);
	int (*match)(const pcre2_code *, PCRE2_SPTR, PCRE2_SIZE, PCRE2_SIZE, uint32_t,
	             pcre2_match_data *, pcre2_match_context *);
	pcre2_match_context *(*mc_create)(pcre2_general_context *);
	void (*mc_free)(pcre2_match_context *);
	pcre2_match_data *(*md_create)(uint32_t, pcre2_general_context *);
	void (*md_free)(pcre2_match_data *);
	int (*pattern_info)(const pcre2_code *, uint32_t, void *);
	int (*depth_limit)(pcre2_match_context *, uint32_t);
	int (*heap_limit)(pcre2_match_context *, uint32_t);
	int (*match_limit)(pcre2_match_context *, uint32_t);
} api;

/* the 8-bit library's ABI: libpcre2-8.so.0 / libpcre2-8.0.dylib since 10.00 */
static const char *const names[] = { "libpcre2-8.so.0", "libpcre2-8.0.dylib" };
static const struct lazylib_sym syms[] = {
	{ "pcre2_compile_8", (void **)&api.compile },
	{ "pcre2_code_free_8", (void **)&api.code_free },
	{ "pcre2_get_error_message_8", (void **)&api.error_message },
	{ "pcre2_match_8", (void **)&api.match },
	{ "pcre2_match_context_create_8", (void **)&api.mc_create },
	{ "pcre2_match_context_free_8", (void **)&api.mc_free },
	{ "pcre2_match_data_create_8", (void **)&api.md_create },
	{ "pcre2_match_data_free_8", (void **)&api.md_free },
	{ "pcre2_pattern_info_8", (void **)&api.pattern_info },
	{ "pcre2_set_depth_limit_8", (void **)&api.depth_limit },
	{ "pcre2_set_heap_limit_8", (void **)&api.heap_limit },
	{ "pcre2_set_match_limit_8", (void **)&api.match_limit },
};
static struct lazylib lib = { "libpcre2-8", AGTOP_PCRE2_LIBDIR,
	                      names,        sizeof names / sizeof names[0],
	                      syms,         sizeof syms / sizeof syms[0],
	                      NULL };

int pcre2_lazy_load(char *err, size_t size)
{
	char why[512];

	if (lazylib_open(&lib, why, sizeof why) == 0)
		return 0;
	snprintf(err, size,
	         "cannot load PCRE2 for the process filter (%s; Debian: libpcre2-8-0, Homebrew: "
	         "pcre2)",
	         why);
	return -1;
}

bool pcre2_lazy_loaded(void)
{
	return lazylib_loaded(&lib);
}

pcre2_code *pcre2_compile(PCRE2_SPTR pattern, PCRE2_SIZE length, uint32_t options, int *errcode,
                          PCRE2_SIZE *erroffset, pcre2_compile_context *cc)
{
	return api.compile(pattern, length, options, errcode, erroffset, cc);
}

void pcre2_code_free(pcre2_code *code)
{
	if (api.code_free)
		api.code_free(code);
}

int pcre2_get_error_message(int code, PCRE2_UCHAR *buf, PCRE2_SIZE size)
{
	return api.error_message(code, buf, size);
}

int pcre2_match(const pcre2_code *code, PCRE2_SPTR subject, PCRE2_SIZE length, PCRE2_SIZE start,
                uint32_t options, pcre2_match_data *md, pcre2_match_context *mc)
{
	return api.match(code, subject, length, start, options, md, mc);
}

pcre2_match_context *pcre2_match_context_create(pcre2_general_context *gc)
{
	return api.mc_create(gc);
}

void pcre2_match_context_free(pcre2_match_context *mc)
{
	if (api.mc_free)
		api.mc_free(mc);
}

pcre2_match_data *pcre2_match_data_create(uint32_t ovecsize, pcre2_general_context *gc)
{
	return api.md_create(ovecsize, gc);
}

void pcre2_match_data_free(pcre2_match_data *md)
{
	if (api.md_free)
		api.md_free(md);
}

int pcre2_pattern_info(const pcre2_code *code, uint32_t what, void *where)
{
	return api.pattern_info(code, what, where);
}

int pcre2_set_depth_limit(pcre2_match_context *mc, uint32_t value)
{
	return api.depth_limit(mc, value);
}

int pcre2_set_heap_limit(pcre2_match_context *mc, uint32_t value)
{
	return api.heap_limit(mc, value);
}

int pcre2_set_match_limit(pcre2_match_context *mc, uint32_t value)
{
	return api.match_limit(mc, value);
}
