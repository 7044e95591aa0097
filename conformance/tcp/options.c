/* Conformance: native_tcp_set_nodelay, native_tcp_get_nodelay,
 * native_tcp_set_keepalive, native_tcp_set_read_timeout,
 * native_tcp_set_write_timeout (spec/ffi/tcp.sdn). */
#include <string.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))

RTC_TEST(tcp_options, nodelay_round_trip)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    RtPair g = native_tcp_get_nodelay(c);
    cr_assert_eq(g.v1, 0);
    cr_assert_eq(g.v0, 0, "off by default");
    int64_t on[] = {1, 2, -1, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(native_tcp_set_nodelay(c, on[i]), 0);
        g = native_tcp_get_nodelay(c);
        cr_assert_eq(g.v0, 1, "non-zero %" PRId64 " means on", on[i]);
        cr_assert_eq(g.v1, 0);
        cr_assert_eq(native_tcp_set_nodelay(c, 0), 0);
        cr_assert_eq(native_tcp_get_nodelay(c).v0, 0);
    }
    cr_assert_eq(native_tcp_get_nodelay(s).v0, 0, "the other end is unaffected");
    native_tcp_close(c);
    native_tcp_close(s);
}

RTC_TEST(tcp_options, keepalive)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    cr_assert_eq(native_tcp_set_keepalive(c, 1), 0);
    cr_assert_eq(native_tcp_set_keepalive(c, INT64_MAX), 0);
    cr_assert_eq(native_tcp_set_keepalive(c, 0), 0, "0 disables");
    cr_assert_eq(native_tcp_set_keepalive(c, -1), 11);
    cr_assert_eq(native_tcp_set_keepalive(c, INT64_MIN), 11);
    native_tcp_close(c);
    native_tcp_close(s);
}

RTC_TEST(tcp_options, timeouts_accept_every_value)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    int64_t ns[] = {0, -1, INT64_MIN, 1, 999, 1000, 1000000, INT64_C(5000000000), INT64_MAX};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        cr_assert_eq(native_tcp_set_read_timeout(c, ns[i]), 0, "%" PRId64, ns[i]);
        cr_assert_eq(native_tcp_set_write_timeout(c, ns[i]), 0, "%" PRId64, ns[i]);
    }
    /* after "none", a read blocks until data arrives (it does not time out) */
    cr_assert_eq(native_tcp_set_read_timeout(s, -1), 0);
    cr_assert_eq(net_write_all(c, (const uint8_t *)"z", 1), 0);
    uint8_t b;
    RtPair r = native_tcp_read(s, &b, 1);
    cr_assert_eq(r.v0, 1);
    cr_assert_eq(b, 'z');
    native_tcp_close(c);
    native_tcp_close(s);
}

RTC_TEST(tcp_options, wrong_kinds_and_hostile_handles)
{
    int port;
    int64_t l = net_listen(0, &port);
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    native_tcp_close(s);
    /* stream-only options on a listener, a UDP socket, a closed and invented handles */
    int64_t bad[] = {l, u.v0, s, 0, -1, 99999, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(native_tcp_set_nodelay(bad[i], 1), 100, "handle %zu", i);
        RtPair g = native_tcp_get_nodelay(bad[i]);
        cr_assert_eq(g.v0, 0);
        cr_assert_eq(g.v1, 100);
        cr_assert_eq(native_tcp_set_keepalive(bad[i], 1), 100);
        cr_assert_eq(native_tcp_set_write_timeout(bad[i], 1000), 100);
    }
    /* the read timeout also applies to listeners (accept) */
    cr_assert_eq(native_tcp_set_read_timeout(l, 1000), 0);
    int64_t bad_rt[] = {u.v0, s, 0, -1, 99999, INT64_MIN};
    for (size_t i = 0; i < sizeof bad_rt / sizeof bad_rt[0]; i++)
        cr_assert_eq(native_tcp_set_read_timeout(bad_rt[i], 1000), 100);
    cr_assert_eq(native_udp_get_ttl(u.v0).v1, 0, "the UDP socket was not touched");
    native_tcp_close(c);
    native_tcp_close(l);
    native_udp_close(u.v0);
}
