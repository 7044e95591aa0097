/* Conformance: native_udp_set_broadcast, native_udp_get_broadcast,
 * native_udp_set_ttl, native_udp_get_ttl, native_udp_set_multicast_ttl,
 * native_udp_set_multicast_loop, native_udp_set_read_timeout,
 * native_udp_set_write_timeout (spec/ffi/udp.sdn). */
#include <string.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"
#include "net/net.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))

RTC_TEST(udp_options, broadcast_round_trip)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    cr_assert_eq(u.v1, 0);
    RtPair g = native_udp_get_broadcast(u.v0);
    cr_assert_eq(g.v1, 0);
    cr_assert_eq(g.v0, 0, "off by default");
    cr_assert_eq(native_udp_set_broadcast(u.v0, 5), 0);
    g = native_udp_get_broadcast(u.v0);
    cr_assert_eq(g.v0, 1, "non-zero means on, read back as 1");
    cr_assert_eq(native_udp_set_broadcast(u.v0, INT64_MIN), 0);
    cr_assert_eq(native_udp_get_broadcast(u.v0).v0, 1);
    cr_assert_eq(native_udp_set_broadcast(u.v0, 0), 0);
    cr_assert_eq(native_udp_get_broadcast(u.v0).v0, 0);
    native_udp_close(u.v0);
}

RTC_TEST(udp_options, ttl_round_trip_and_range)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    RtPair g = native_udp_get_ttl(u.v0);
    cr_assert_eq(g.v1, 0);
    cr_assert_gt(g.v0, 0, "a default TTL");
    int64_t ok[] = {1, 2, 64, 255};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(native_udp_set_ttl(u.v0, ok[i]), 0);
        g = native_udp_get_ttl(u.v0);
        cr_assert_eq(g.v0, ok[i]);
        cr_assert_eq(g.v1, 0);
    }
    int64_t bad[] = {0, -1, 256, INT64_MAX, INT64_MIN, (int64_t)1 << 32 | 5};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(native_udp_set_ttl(u.v0, bad[i]), 11, "ttl %" PRId64, bad[i]);
    cr_assert_eq(native_udp_get_ttl(u.v0).v0, 255, "a refused value changes nothing");
    native_udp_close(u.v0);
}

RTC_TEST(udp_options, multicast_ttl_and_loop)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    int64_t ok[] = {0, 1, 32, 255};
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(native_udp_set_multicast_ttl(u.v0, ok[i]), 0, "%" PRId64, ok[i]);
    int64_t bad[] = {-1, 256, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(native_udp_set_multicast_ttl(u.v0, bad[i]), 11, "%" PRId64, bad[i]);
    for (int on = 0; on < 2; on++) {   /* white box: read back through the descriptor */
        cr_assert_eq(native_udp_set_multicast_loop(u.v0, on ? -7 : 0), 0);
        rtx_sock *s = rtx_net_acquire(u.v0, RTX_SOCK_UDP);
        int v = -1;
        socklen_t len = sizeof v;
        cr_assert_eq(getsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &v, &len), 0);
        rtx_net_put(s);
        cr_assert_eq(v, on, "non-zero means on");
    }
    native_udp_close(u.v0);
}

RTC_TEST(udp_options, timeouts_accept_every_value)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    int64_t ns[] = {0, -1, INT64_MIN, 1, 999, 1000, 1000000, INT64_C(5000000000), INT64_MAX};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        cr_assert_eq(native_udp_set_read_timeout(u.v0, ns[i]), 0, "%" PRId64, ns[i]);
        cr_assert_eq(native_udp_set_write_timeout(u.v0, ns[i]), 0, "%" PRId64, ns[i]);
    }
    native_udp_close(u.v0);
}

RTC_TEST(udp_options, hostile_handles)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    native_udp_close(u.v0);
    int port;
    int64_t l = net_listen(0, &port);
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    int64_t bad[] = {u.v0, l, c, 0, -1, 99999, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(native_udp_set_broadcast(bad[i], 1), 100, "handle %zu", i);
        cr_assert_eq(native_udp_set_multicast_loop(bad[i], 1), 100);
        cr_assert_eq(native_udp_set_multicast_ttl(bad[i], 1), 100);
        cr_assert_eq(native_udp_set_multicast_ttl(bad[i], 999), 100, "handle before range");
        cr_assert_eq(native_udp_set_ttl(bad[i], 64), 100);
        cr_assert_eq(native_udp_set_ttl(bad[i], 0), 100);
        cr_assert_eq(native_udp_set_read_timeout(bad[i], 5), 100);
        cr_assert_eq(native_udp_set_write_timeout(bad[i], 5), 100);
        RtPair g = native_udp_get_broadcast(bad[i]);
        cr_assert_eq(g.v0, 0);
        cr_assert_eq(g.v1, 100);
        g = native_udp_get_ttl(bad[i]);
        cr_assert_eq(g.v0, 0);
        cr_assert_eq(g.v1, 100);
    }
    cr_assert_eq(native_tcp_get_nodelay(c).v1, 0, "the TCP stream is untouched");
    native_tcp_close(c);
    native_tcp_close(s);
    native_tcp_close(l);
}
