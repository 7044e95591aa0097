/* Conformance: native_udp_join_multicast_v4, native_udp_leave_multicast_v4,
 * native_udp_join_multicast_v6, native_udp_leave_multicast_v6 — membership
 * and its errors (spec/ffi/udp.sdn). Delivery of multicast datagrams, which
 * depends on the host's network setup, is tested in env.c. */
#include <string.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))
#define LOOPBACK_V4 INT64_C(0x7F000001)   /* 127.0.0.1 as upstream's u32 */
#define GROUP_V4 INT64_C(0xEFFF4D01)      /* 239.255.77.1 */

RTC_TEST(udp_multicast, v4_join_leave)
{
    int port;
    int64_t h = net_udp_bind(0, 1, &port);
    cr_assert_gt(h, 0);
    cr_assert_eq(native_udp_join_multicast_v4(h, GROUP_V4, LOOPBACK_V4), 0);
    cr_assert_eq(native_udp_join_multicast_v4(h, GROUP_V4, LOOPBACK_V4), 1,
                 "joining twice: AddrInUse (EADDRINUSE)");
    cr_assert_eq(native_udp_leave_multicast_v4(h, GROUP_V4, LOOPBACK_V4), 0);
    cr_assert_eq(native_udp_leave_multicast_v4(h, GROUP_V4, LOOPBACK_V4), 2,
                 "leaving a group not joined: AddrNotAvailable (EADDRNOTAVAIL)");
    native_udp_close(h);
}

RTC_TEST(udp_multicast, v4_bad_values)
{
    int port;
    int64_t h = net_udp_bind(0, 1, &port);
    cr_assert_eq(native_udp_join_multicast_v4(h, INT64_C(0x0A000001), LOOPBACK_V4), 11,
                 "10.0.0.1 is not a multicast group");
    int64_t out[] = {-1, INT64_C(1) << 32, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(native_udp_join_multicast_v4(h, out[i], LOOPBACK_V4), 11);
        cr_assert_eq(native_udp_join_multicast_v4(h, GROUP_V4, out[i]), 11);
        cr_assert_eq(native_udp_leave_multicast_v4(h, out[i], LOOPBACK_V4), 11);
        cr_assert_eq(native_udp_leave_multicast_v4(h, GROUP_V4, out[i]), 11);
    }
    /* the upper bound itself is in range: 255.255.255.255 is not multicast */
    cr_assert_eq(native_udp_join_multicast_v4(h, INT64_C(0xFFFFFFFF), LOOPBACK_V4), 11);
    native_udp_close(h);
}

RTC_TEST(udp_multicast, v6_checks_on_an_ipv4_socket)
{
    static const uint8_t group[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x14};
    int port;
    int64_t h = net_udp_bind(0, 1, &port);
    cr_assert_eq(native_udp_join_multicast_v6(h, NULL, 0), 11);
    cr_assert_eq(native_udp_leave_multicast_v6(h, NULL, 0), 11);
    cr_assert_eq(native_udp_join_multicast_v6(h, group, -1), 11);
    cr_assert_eq(native_udp_join_multicast_v6(h, group, INT64_C(1) << 32), 11);
    cr_assert_eq(native_udp_leave_multicast_v6(h, group, INT64_MIN), 11);
    /* IPv6 membership on an IPv4 socket: the kernel refuses (ENOPROTOOPT) */
    cr_assert_eq(native_udp_join_multicast_v6(h, group, 0), 255);
    native_udp_close(h);
}

RTC_TEST(udp_multicast, hostile_handles)
{
    static const uint8_t group[16] = {0xff, 0x02, [15] = 1};
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    native_udp_close(u.v0);
    int port;
    int64_t l = net_listen(0, &port);
    int64_t bad[] = {u.v0, l, 0, -1, 99999, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(native_udp_join_multicast_v4(bad[i], GROUP_V4, 0), 100, "handle %zu", i);
        cr_assert_eq(native_udp_leave_multicast_v4(bad[i], GROUP_V4, 0), 100);
        cr_assert_eq(native_udp_join_multicast_v4(bad[i], -1, -1), 100, "handle first");
        cr_assert_eq(native_udp_join_multicast_v6(bad[i], group, 0), 100);
        cr_assert_eq(native_udp_leave_multicast_v6(bad[i], group, 0), 100);
        cr_assert_eq(native_udp_join_multicast_v6(bad[i], NULL, 0), 100, "handle first, as upstream");
    }
    native_tcp_close(l);
}
