/* expat_lazy.c - the eleven expat calls plist.c makes, forwarded to libexpat opened at run time
 * (src/util/lazylib.h): only powermetrics' plists are XML, so the dashboard on IOReport or on
 * Linux never maps the library. Each call comes after plist_stream_new() loaded it; the free
 * is also safe before. */
#include "expat_lazy.h"

#include <stdio.h>

#include <expat.h>

#include "../util/lazylib.h"

#ifndef AGTOP_EXPAT_LIBDIR
#define AGTOP_EXPAT_LIBDIR ""
#endif

static struct {
	const XML_LChar *(*error_string)(enum XML_Error);
	XML_Size (*line)(XML_Parser);
	enum XML_Error (*error_code)(XML_Parser);
	enum XML_Status (*parse)(XML_Parser, const char *, int, int);
	XML_Parser (*create)(const XML_Char *);
	void (*free)(XML_Parser);
	void (*text_handler)(XML_Parser, XML_CharacterDataHandler);
	void (*element_handler)(XML_Parser, XML_StartElementHandler, XML_EndElementHandler);
	void (*entity_handler)(XML_Parser, XML_EntityDeclHandler);
	void (*user_data)(XML_Parser, void *);
	enum XML_Status (*stop)(XML_Parser, XML_Bool);
} api;

/* libexpat.so.1 / libexpat.1.dylib (macOS ships it in /usr/lib) since expat 2.0 */
static const char *const names[] = { "libexpat.so.1", "libexpat.1.dylib" };
static const struct lazylib_sym syms[] = {
	{ "XML_ErrorString", (void **)&api.error_string },
	{ "XML_GetCurrentLineNumber", (void **)&api.line },
	{ "XML_GetErrorCode", (void **)&api.error_code },
	{ "XML_Parse", (void **)&api.parse },
	{ "XML_ParserCreate", (void **)&api.create },
	{ "XML_ParserFree", (void **)&api.free },
	{ "XML_SetCharacterDataHandler", (void **)&api.text_handler },
	{ "XML_SetElementHandler", (void **)&api.element_handler },
	{ "XML_SetEntityDeclHandler", (void **)&api.entity_handler },
	{ "XML_SetUserData", (void **)&api.user_data },
	{ "XML_StopParser", (void **)&api.stop },
};
static struct lazylib lib = { "libexpat", AGTOP_EXPAT_LIBDIR,
	                      names,      sizeof names / sizeof names[0],
	                      syms,       sizeof syms / sizeof syms[0],
	                      NULL };

int expat_lazy_load(char *err, size_t size)
{
	char why[512];

	if (lazylib_open(&lib, why, sizeof why) == 0)
		return 0;
	snprintf(err, size, "cannot load expat to read plists (%s; Debian: libexpat1)", why);
	return -1;
}

bool expat_lazy_loaded(void)
{
	return lazylib_loaded(&lib);
}

const XML_LChar *XML_ErrorString(enum XML_Error code)
{
	return api.error_string(code);
}

XML_Size XML_GetCurrentLineNumber(XML_Parser p)
{
	return api.line(p);
}

enum XML_Error XML_GetErrorCode(XML_Parser p)
{
	return api.error_code(p);
}

enum XML_Status XML_Parse(XML_Parser p, const char *s, int len, int final)
{
	return api.parse(p, s, len, final);
}

XML_Parser XML_ParserCreate(const XML_Char *encoding)
{
	return api.create ? api.create(encoding) : NULL;
}

void XML_ParserFree(XML_Parser p)
{
	if (api.free)
		api.free(p);
}

void XML_SetCharacterDataHandler(XML_Parser p, XML_CharacterDataHandler h)
{
	api.text_handler(p, h);
}

void XML_SetElementHandler(XML_Parser p, XML_StartElementHandler start, XML_EndElementHandler end)
{
	api.element_handler(p, start, end);
}

void XML_SetEntityDeclHandler(XML_Parser p, XML_EntityDeclHandler h)
{
	api.entity_handler(p, h);
}

void XML_SetUserData(XML_Parser p, void *data)
{
	api.user_data(p, data);
}

enum XML_Status XML_StopParser(XML_Parser p, XML_Bool resumable)
{
	return api.stop(p, resumable);
}
