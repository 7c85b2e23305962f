/* notify.h - agtop's declarations of the libnotify calls it uses (thermal pressure), matching
 * Apple's ABI; zig's macOS libc headers lack this file (see README.md). Not Apple's header. */
#ifndef AGTOP_SHIM_NOTIFY_H
#define AGTOP_SHIM_NOTIFY_H

#include <stdint.h>

#define NOTIFY_STATUS_OK 0

uint32_t notify_register_check(const char *name, int *out_token);
uint32_t notify_get_state(int token, uint64_t *state64);
uint32_t notify_cancel(int token);

#endif
