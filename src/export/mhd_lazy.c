/* mhd_lazy.c - libmicrohttpd, opened only when --prometheus asks for the endpoint.
 *
 * Linked the usual way, libmicrohttpd brings GnuTLS, p11-kit, nettle, gmp and libunistring into
 * every agtop process: about 2.4 MB of resident memory and their start-up relocations, for an
 * endpoint most runs never open (bench/README.md). So agtop is built against its header but
 * not linked to it: these definitions of the nine calls http.c makes forward to the library,
 * which mhd_load() opens with dlopen the first time the endpoint starts. The dashboard, --json
 * and --record never load it. */
#include "mhd_lazy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "../util/lazylib.h"

#ifndef AGTOP_MHD_LIBDIR
#define AGTOP_MHD_LIBDIR ""
#endif

static struct {
	struct MHD_Daemon *(*start_va)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
	                               MHD_AccessHandlerCallback, void *, va_list);
	void (*stop)(struct MHD_Daemon *);
	enum MHD_Result (*queue)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
	void (*destroy)(struct MHD_Response *);
	enum MHD_Result (*add_header)(struct MHD_Response *, const char *, const char *);
	struct MHD_Response *(*from_buffer)(size_t, void *, MHD_ContentReaderFreeCallback);
	struct MHD_Response *(*from_buffer_cls)(size_t, void *, MHD_ContentReaderFreeCallback,
	                                        void *);
	const union MHD_ConnectionInfo *(*info)(struct MHD_Connection *,
	                                        enum MHD_ConnectionInfoType, ...);
	const char *(*lookup)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
} api;

/* The library's ABI has been libmicrohttpd.so.12 / .12.dylib since 0.9.x. */
static const char *const names[] = { "libmicrohttpd.so.12", "libmicrohttpd.12.dylib" };
static const struct lazylib_sym syms[] = {
	{ "MHD_start_daemon_va", (void **)&api.start_va },
	{ "MHD_stop_daemon", (void **)&api.stop },
	{ "MHD_queue_response", (void **)&api.queue },
	{ "MHD_destroy_response", (void **)&api.destroy },
	{ "MHD_add_response_header", (void **)&api.add_header },
	{ "MHD_create_response_from_buffer_with_free_callback", (void **)&api.from_buffer },
	{ "MHD_create_response_from_buffer_with_free_callback_cls", (void **)&api.from_buffer_cls },
	{ "MHD_get_connection_info", (void **)&api.info },
	{ "MHD_lookup_connection_value", (void **)&api.lookup },
};
static struct lazylib lib = { "libmicrohttpd",
	                      AGTOP_MHD_LIBDIR,
	                      names,
	                      sizeof names / sizeof names[0],
	                      syms,
	                      sizeof syms / sizeof syms[0],
	                      NULL };

int mhd_load(char *err, size_t size)
{
	char why[512];

	if (lazylib_open(&lib, why, sizeof why) == 0)
		return 0;
	snprintf(err, size,
	         "cannot load libmicrohttpd for --prometheus (%s; Debian: libmicrohttpd12, "
	         "Homebrew: libmicrohttpd)",
	         why);
	return -1;
}

bool mhd_loaded(void)
{
	return lazylib_loaded(&lib);
}

/* ---- the calls http.c makes; each one only after mhd_load() succeeded ---- */

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	struct MHD_Daemon *d;
	va_list ap;

	if (!api.start_va)
		return NULL;
	va_start(ap, dh_cls);
	d = api.start_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

void MHD_stop_daemon(struct MHD_Daemon *daemon)
{
	if (api.stop)
		api.stop(daemon);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *c, unsigned int status,
                                   struct MHD_Response *r)
{
	return api.queue(c, status, r);
}

void MHD_destroy_response(struct MHD_Response *r)
{
	api.destroy(r);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *r, const char *header,
                                        const char *content)
{
	return api.add_header(r, header, content);
}

struct MHD_Response *
MHD_create_response_from_buffer_with_free_callback(size_t size, void *buffer,
                                                   MHD_ContentReaderFreeCallback crfc)
{
	return api.from_buffer(size, buffer, crfc);
}

struct MHD_Response *MHD_create_response_from_buffer_with_free_callback_cls(
    size_t size, void *buffer, MHD_ContentReaderFreeCallback crfc, void *crfc_cls)
{
	return api.from_buffer_cls(size, buffer, crfc, crfc_cls);
}

/* agtop asks only for kinds that take no further argument */
const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *c,
                                                        enum MHD_ConnectionInfoType kind, ...)
{
	return api.info(c, kind);
}

const char *MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                        const char *key)
{
	return api.lookup(c, kind, key);
}
