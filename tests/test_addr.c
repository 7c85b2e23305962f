/* test_addr.c - listen addresses as users write them ([ADDR:]PORT), below the options and the
 * exporter */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "util/addr.h"

static void listen_is(const char *spec, const char *host, int port)
{
	struct error err;
	char h[256];
	int p = -1;

	if (addr_parse_listen(spec, h, sizeof h, &p, &err))
		fail_msg("%s: %s", spec ? spec : "(none)", err.msg);
	assert_string_equal(h, host);
	assert_int_equal(p, port);
}

static void listen_fails(const char *spec, const char *msg)
{
	struct error err;
	char h[256] = "unchanged";
	int p = -1;

	assert_int_equal(addr_parse_listen(spec, h, sizeof h, &p, &err), -1);
	assert_string_equal(err.msg, msg);
	/* nothing half-written */
	assert_string_equal(h, "unchanged");
	assert_int_equal(p, -1);
}

static void addresses_users_write(void **state)
{
	(void)state;
	listen_is(NULL, "127.0.0.1", 9776); /* the option without a value */
	listen_is("9100", "127.0.0.1", 9100);
	listen_is("0", "127.0.0.1", 0);
	listen_is("65535", "127.0.0.1", 65535);
	listen_is("0.0.0.0:9776", "0.0.0.0", 9776);
	listen_is("192.168.1.20:8080", "192.168.1.20", 8080);
	listen_is("localhost:9776", "localhost", 9776);
	listen_is("[::1]:9776", "::1", 9776);
	listen_is("[::]:1", "::", 1);
	listen_is("[fe80::1%en0]:9776", "fe80::1%en0", 9776);
	listen_is("00009776", "127.0.0.1", 9776);
}

static void mistakes_say_how_to_write_it(void **state)
{
	static const char number[] = "expected [ADDR:]PORT with PORT a number (default 9776)";
	static const char v6[] = "expected [ADDR:]PORT, with an IPv6 address as [ADDR]:PORT (for "
	                         "example [::1]:9776)";

	(void)state;
	listen_fails("", "expected [ADDR:]PORT, got an empty value (leave the value out for "
	                 "127.0.0.1:9776)");
	listen_fails(":9776", "give an address before ':' (0.0.0.0 for all IPv4 addresses, [::] "
	                      "for all; the default is 127.0.0.1)");
	listen_fails("65536", "port must be in the range 0-65535 (0 = any free port)");
	listen_fails("99999999999999999999999", "port must be in the range 0-65535 (0 = any free "
	                                        "port)");
	listen_fails("0.0.0.0", number);
	listen_fails("localhost:http", number);
	listen_fails("127.0.0.1:", number);
	listen_fails("127.0.0.1:+80", number);
	listen_fails("127.0.0.1: 80", number);
	listen_fails("-1", number);
	listen_fails("::1:9776", "an IPv6 address goes in brackets: [ADDR]:PORT (for example "
	                         "[::1]:9776)");
	listen_fails("[::1]9776", v6);
	listen_fails("[]:9776", v6);
	listen_fails("[::1", v6);
}

static void an_address_too_long_for_the_buffer(void **state)
{
	struct error err;
	char h[8] = "keep", spec[64];
	int p = -1;

	(void)state;
	snprintf(spec, sizeof spec, "%s:80", "abcdefghij");
	assert_int_equal(addr_parse_listen(spec, h, sizeof h, &p, &err), -1);
	assert_string_equal(err.msg, "address is too long");
	assert_string_equal(h, "keep");
	assert_int_equal(p, -1);
	assert_int_equal(addr_parse_listen("abcdefg:80", h, sizeof h, &p, &err), 0);
	assert_string_equal(h, "abcdefg");
	assert_int_equal(p, 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addresses_users_write),
		cmocka_unit_test(mistakes_say_how_to_write_it),
		cmocka_unit_test(an_address_too_long_for_the_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
