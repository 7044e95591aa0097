/* Conformance: native_tcp_bind, native_tcp_accept, native_tcp_connect,
 * native_tcp_connect_timeout, native_tcp_set_backlog (spec/ffi/tcp.sdn). */
#include <string.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))
#define STR(v) ((char *)(intptr_t)(v))

/* accept's peer address is connect's local address, in SocketAddr text.
 * (conformance/tcp/ipv6.c runs it over ::1 where the host has IPv6.) */
void tcp_connect_accept(int v6);
void tcp_connect_accept(int v6)
{
    int port;
    int64_t l = net_listen(v6, &port);
    cr_assert_gt(l, 0);
    char a[64];
    peer_addr(a, sizeof a, v6, port);
    RtTriple c = native_tcp_connect(B(a));
    cr_assert_eq(c.v2, 0, "connect to %s: %" PRId64, a, c.v2);
    cr_assert_gt(c.v0, 0);
    cr_assert_neq(c.v1, 0, "connect returns the local address");
    RtTriple s = native_tcp_accept(l);
    cr_assert_eq(s.v2, 0);
    cr_assert_gt(s.v0, 0);
    cr_assert_neq(s.v0, c.v0);
    cr_assert_str_eq(STR(s.v1), STR(c.v1), "peer seen by accept == local address of connect");
    cr_assert(strncmp(STR(c.v1), v6 ? "[::1]:" : "127.0.0.1:", v6 ? 6 : 10) == 0, "%s",
              STR(c.v1));
    /* the bytes flow both ways */
    cr_assert_eq(net_write_all(c.v0, (const uint8_t *)"ping", 4), 0);
    uint8_t buf[4];
    cr_assert_eq(net_read_all(s.v0, buf, 4), 0);
    cr_assert(memcmp(buf, "ping", 4) == 0);
    native_net_addr_free(STR(c.v1));
    native_net_addr_free(STR(s.v1));
    cr_assert_eq(native_tcp_close(c.v0), 0);
    cr_assert_eq(native_tcp_close(s.v0), 0);
    cr_assert_eq(native_tcp_close(l), 0);
}

RTC_TEST(tcp_connect, ipv4_connect_accept) { tcp_connect_accept(0); }

RTC_TEST(tcp_connect, bind_port_zero_and_address_in_use)
{
    RtPair a = native_tcp_bind(B("127.0.0.1:0"));
    cr_assert_eq(a.v1, 0);
    cr_assert_gt(a.v0, 0);
    int port;
    int64_t l = net_listen(0, &port);
    cr_assert_gt(l, 0);
    char addr[64];
    peer_addr(addr, sizeof addr, 0, port);
    RtPair again = native_tcp_bind(B(addr));
    cr_assert_eq(again.v0, 0);
    cr_assert_eq(again.v1, 1, "a bound port is AddrInUse, got %" PRId64, again.v1);
    cr_assert_eq(native_tcp_close(l), 0);
    cr_assert_eq(native_tcp_close(a.v0), 0);
}

RTC_TEST(tcp_connect, bind_unavailable_address)
{
    /* 203.0.113.7 (TEST-NET-3) is no local address: EADDRNOTAVAIL */
    RtPair r = native_tcp_bind(B("203.0.113.7:0"));
    cr_assert_eq(r.v0, 0);
    cr_assert_eq(r.v1, 2, "got %" PRId64, r.v1);
}

RTC_TEST(tcp_connect, refused)
{
    int port = peer_free_port(0);
    char a[64];
    peer_addr(a, sizeof a, 0, port);
    RtTriple c = native_tcp_connect(B(a));
    cr_assert_eq(c.v0, 0);
    cr_assert_eq(c.v1, 0);
    cr_assert_eq(c.v2, 3, "nobody listens: ConnectionRefused, got %" PRId64, c.v2);
    RtTriple t = native_tcp_connect_timeout(B(a), 1000000000);
    cr_assert_eq(t.v2, 3);
    cr_assert_eq(t.v0, 0);
}

RTC_TEST(tcp_connect, connect_timeout_succeeds_and_nonpositive_means_default)
{
    int port;
    int64_t l = net_listen(0, &port);
    char a[64];
    peer_addr(a, sizeof a, 0, port);
    int64_t timeouts[] = {0, -5, INT64_MIN, 2000000000, INT64_MAX};
    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        RtTriple c = native_tcp_connect_timeout(B(a), timeouts[i]);
        cr_assert_eq(c.v2, 0, "timeout %" PRId64 ": %" PRId64, timeouts[i], c.v2);
        RtTriple s = native_tcp_accept(l);
        cr_assert_eq(s.v2, 0);
        cr_assert_str_eq(STR(s.v1), STR(c.v1));
        native_net_addr_free(STR(c.v1));
        native_net_addr_free(STR(s.v1));
        native_tcp_close(c.v0);
        native_tcp_close(s.v0);
    }
    native_tcp_close(l);
}

/* A listener whose accept queue is full drops new SYNs: a connect with a
 * timeout then expires with TimedOut (8). set_backlog(1) makes the queue
 * small enough to fill, which also shows the backlog is applied. */
RTC_TEST(tcp_connect, backlog_applies_and_connect_times_out)
{
    int port;
    int64_t l = net_listen(0, &port);
    cr_assert_eq(native_tcp_set_backlog(l, 1), 0);
    char a[64];
    peer_addr(a, sizeof a, 0, port);
    int64_t clients[16];
    int n = 0, timed_out = 0;
    while (n < 16) {
        RtTriple c = native_tcp_connect_timeout(B(a), 100 * 1000000);
        if (c.v2 == 8) {
            cr_assert_eq(c.v0, 0);
            cr_assert_eq(c.v1, 0);
            timed_out = 1;
            break;
        }
        cr_assert_eq(c.v2, 0, "connect %d: %" PRId64, n, c.v2);
        native_net_addr_free(STR(c.v1));
        clients[n++] = c.v0;
    }
    cr_assert(timed_out, "a full accept queue (backlog 1) never made a connect time out");
    cr_assert_leq(n, 4, "backlog 1 let %d connections queue", n);
    for (int i = 0; i < n; i++)
        native_tcp_close(clients[i]);
    native_tcp_close(l);
}

RTC_TEST(tcp_connect, accept_read_timeout_would_block)
{
    int port;
    int64_t l = net_listen(0, &port);
    cr_assert_eq(native_tcp_set_read_timeout(l, 20 * 1000000), 0, "listeners take a timeout");
    RtTriple s = native_tcp_accept(l);
    cr_assert_eq(s.v2, 9, "no client: WouldBlock after the timeout, got %" PRId64, s.v2);
    cr_assert_eq(s.v0, 0);
    cr_assert_eq(s.v1, 0);
    cr_assert_eq(native_tcp_set_read_timeout(l, 0), 0, "0 clears it");
    native_tcp_close(l);
}

RTC_TEST(tcp_connect, set_backlog_hostile)
{
    int port;
    int64_t l = net_listen(0, &port);
    cr_assert_eq(native_tcp_set_backlog(l, 0), 11);
    cr_assert_eq(native_tcp_set_backlog(l, -1), 11);
    cr_assert_eq(native_tcp_set_backlog(l, INT64_MIN), 11);
    cr_assert_eq(native_tcp_set_backlog(l, INT64_MAX), 0, "huge: clamped by the kernel");
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    cr_assert_eq(native_tcp_set_backlog(c, 10), 100, "a stream is no listener");
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    cr_assert_eq(native_tcp_set_backlog(u.v0, 10), 100, "a UDP socket is no listener");
    cr_assert_eq(native_tcp_set_backlog(0, 10), 100);
    cr_assert_eq(native_tcp_set_backlog(-1, 10), 100);
    native_tcp_close(c);
    native_tcp_close(s);
    native_udp_close(u.v0);
    native_tcp_close(l);
    cr_assert_eq(native_tcp_set_backlog(l, 10), 100, "closed");
}

RTC_TEST(tcp_connect, hostile_addresses)
{
    static const char *const bad[] = {
        "", "127.0.0.1", "127.0.0.1:", ":80", "localhost:80", "127.0.0.1:65536",
        "127.0.0.1:-1", "256.0.0.1:80", "01.2.3.4:80", "::1:80", "[::1]", "[::1]80",
        "[::1%eth0]:80", " 127.0.0.1:80", "127.0.0.1:80 ", "1.2.3.4:80\n", "[1:2:3:4:5:6:7:8:9]:1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RtPair b = native_tcp_bind(B(bad[i]));
        cr_assert_eq(b.v0, 0);
        cr_assert_eq(b.v1, 101, "bind '%s': %" PRId64, bad[i], b.v1);
        RtTriple c = native_tcp_connect(B(bad[i]));
        cr_assert_eq(c.v2, 101, "connect '%s'", bad[i]);
        cr_assert_eq(c.v0 | c.v1, 0);
        RtTriple t = native_tcp_connect_timeout(B(bad[i]), 1000);
        cr_assert_eq(t.v2, 101);
    }
    /* NULL, non-positive and oversized lengths, bytes that are not text */
    cr_assert_eq(native_tcp_bind(NULL, 10).v1, 101);
    cr_assert_eq(native_tcp_bind(NULL, 0).v1, 101);
    cr_assert_eq(native_tcp_bind((const uint8_t *)"127.0.0.1:0", 0).v1, 101);
    cr_assert_eq(native_tcp_bind((const uint8_t *)"127.0.0.1:0", -1).v1, 101);
    cr_assert_eq(native_tcp_bind((const uint8_t *)"127.0.0.1:0", INT64_MIN).v1, 101);
    cr_assert_eq(native_tcp_connect(NULL, 12).v2, 101);
    cr_assert_eq(native_tcp_connect_timeout(NULL, 12, 5).v2, 101);
    static uint8_t big[2048];
    memset(big, '1', sizeof big);
    cr_assert_eq(native_tcp_bind(big, sizeof big).v1, 101, "longer than 1024 bytes");
    cr_assert_eq(native_tcp_bind((const uint8_t *)"127.0.0.1:0\0", 12).v1, 101, "embedded NUL");
    cr_assert_eq(native_tcp_bind((const uint8_t *)"\xff\xfe:1", 4).v1, 101);
}

RTC_TEST(tcp_connect, accept_hostile_handles)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    int64_t bad[] = {0, -1, 1, 99999, INT64_MAX, INT64_MIN, c, s, u.v0,
                     (int64_t)(UINT64_C(7) << 48 | 1)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RtTriple r = native_tcp_accept(bad[i]);
        cr_assert_eq(r.v2, 100, "handle %zu", i);
        cr_assert_eq(r.v0 | r.v1, 0);
    }
    int port;
    int64_t l = net_listen(0, &port);
    native_tcp_close(l);
    cr_assert_eq(native_tcp_accept(l).v2, 100, "closed listener");
    native_tcp_close(c);
    native_tcp_close(s);
    native_udp_close(u.v0);
}
