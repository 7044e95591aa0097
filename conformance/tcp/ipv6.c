/* Conformance over IPv6 loopback: the connect/accept and socat echo cases
 * of connect.c and io.c on ::1 (spec/ffi/tcp.sdn).
 *
 * These tests skip, with the reason, where ::1 is unusable (some CI
 * containers). The audit counts a skipped test as not passing, so this file
 * is deliberately not listed in the rows' conformance fields; the IPv4
 * tests there cover every function in every environment. */
#include "conformance/net/peer.h"
#include "conformance/rtc.h"

void tcp_connect_accept(int v6);
void tcp_echo_round_trip(int v6);

static void need_ipv6(void)
{
    char why[128];
    if (!peer_have_ipv6(why, sizeof why))
        cr_skip_test("IPv6 loopback: %s", why);
}

RTC_TEST(tcp_ipv6, connect_accept) { need_ipv6(); tcp_connect_accept(1); }
RTC_TEST(tcp_ipv6, socat_echo) { need_ipv6(); tcp_echo_round_trip(1); }
