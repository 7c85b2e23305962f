/* fake_state.c - the dump the fakes serve, the reading the fake machine is at, and the leak
 * report */
#include <stdio.h>
#include <string.h>

#include "fake_internal.h"

struct fake_state fake;

int fake_apple_load(const char *path, const struct fake_apple_opts *opts, struct error *err)
{
	fake_apple_unload();
	if (apple_dump_load(path, &fake.dump, err))
		return -1;
	fake.loaded = true;
	if (opts)
		fake.opts = *opts;
	fake_iokit_reset();
	fake_mach_reset();
	return 0;
}

void fake_apple_unload(void)
{
	if (fake.loaded)
		apple_dump_free(&fake.dump);
	fake_cf_reset();
	fake_iokit_reset();
	fake_mach_reset();
	memset(&fake, 0, sizeof fake);
}

const struct apple_reading *fake_reading(void)
{
	if (!fake.loaded || !fake.dump.nreadings)
		fake_fail("no dump loaded");
	return &fake.dump.reading[fake.index];
}

void fake_apple_advance(void)
{
	if (fake.index + 1 < fake.dump.nreadings)
		fake.index++;
}

unsigned fake_apple_index(void)
{
	return fake.index;
}

const struct apple_dump *fake_apple_dump(void)
{
	return &fake.dump;
}

struct apple_dump *fake_apple_dump_edit(void)
{
	return &fake.dump;
}

void fake_apple_stats(struct fake_apple_stats *st)
{
	*st = fake.st;
	st->cf_live = fake_cf_live();
	st->io_live = fake_iokit_live();
}

const char *fake_apple_leaks(void)
{
	static char buf[8192];

	buf[0] = '\0';
	fake_cf_leaks(buf, sizeof buf);
	fake_iokit_leaks(buf, sizeof buf);
	fake_mach_leaks(buf, sizeof buf);
	return buf;
}

const char *fake_apple_subscribed(void)
{
	return fake.subscribed;
}
