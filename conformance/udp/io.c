/* Conformance: native_udp_bind, native_udp_connect, native_udp_send_to,
 * native_udp_recv_from, native_udp_send, native_udp_recv,
 * native_udp_peek_from, native_udp_peek, native_udp_peer_addr, against a
 * socat echo server and between our own sockets (spec/ffi/udp.sdn). */
#include <stdio.h>
#include <string.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))
#define STR(v) ((char *)(intptr_t)(v))
#define SEC INT64_C(1000000000)

/* send_to + recv_from through socat, then connect + send/recv, and the
 * addresses in SocketAddr text. (env.c runs it over ::1 too.) */
void udp_echo(int v6);
void udp_echo(int v6)
{
    peer p;
    cr_assert_eq(peer_socat_echo(&p, v6 ? "udp6" : "udp4"), 0);
    int port;
    int64_t h = net_udp_bind(v6, 0, &port);
    cr_assert_gt(h, 0);
    cr_assert_eq(native_udp_set_read_timeout(h, 10 * SEC), 0);
    char peer_text[64];
    int plen = peer_addr(peer_text, sizeof peer_text, v6, p.port);
    RtPair s = native_udp_send_to(h, B("datagram one"), (const uint8_t *)peer_text, plen);
    cr_assert_eq(s.v1, 0, "send_to: %" PRId64, s.v1);
    cr_assert_eq(s.v0, 12);
    uint8_t buf[64];
    RtTriple r = native_udp_recv_from(h, buf, sizeof buf);
    cr_assert_eq(r.v2, 0, "recv_from: %" PRId64, r.v2);
    cr_assert_eq(r.v0, 12);
    cr_assert(memcmp(buf, "datagram one", 12) == 0);
    cr_assert_str_eq(STR(r.v1), peer_text, "the sender is socat's address");
    native_net_addr_free(STR(r.v1));
    /* connected: send/recv and peer_addr */
    cr_assert_eq(native_udp_connect(h, (const uint8_t *)peer_text, plen), 0);
    RtPair pa = native_udp_peer_addr(h);
    cr_assert_eq(pa.v1, 0);
    cr_assert_str_eq(STR(pa.v0), peer_text);
    native_net_addr_free(STR(pa.v0));
    cr_assert_eq(native_udp_send(h, B("two")).v0, 3);
    RtPair rr = native_udp_recv(h, buf, sizeof buf);
    cr_assert_eq(rr.v1, 0);
    cr_assert_eq(rr.v0, 3);
    cr_assert(memcmp(buf, "two", 3) == 0);
    /* the largest datagram the API takes (65507 bytes) echoes whole */
    static uint8_t big[65507], back[65536];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    RtPair bs = native_udp_send(h, big, sizeof big);
    cr_assert_eq(bs.v1, 0);
    cr_assert_eq(bs.v0, 65507);
    RtPair br = native_udp_recv(h, back, sizeof back);
    cr_assert_eq(br.v1, 0);
    cr_assert_eq(br.v0, 65507);
    cr_assert(memcmp(big, back, sizeof big) == 0);
    cr_assert_eq(native_udp_close(h), 0);
    peer_stop(&p);
}

RTC_TEST(udp_io, socat_echo_ipv4) { udp_echo(0); }

RTC_TEST(udp_io, peek_truncation_and_order)
{
    int pa, pb;
    int64_t a = net_udp_bind(0, 0, &pa), b = net_udp_bind(0, 0, &pb);
    cr_assert(a && b);
    char to_b[64], from_a[64];
    int nb = peer_addr(to_b, sizeof to_b, 0, pb);
    peer_addr(from_a, sizeof from_a, 0, pa);
    cr_assert_eq(native_udp_set_read_timeout(b, 10 * SEC), 0);
    cr_assert_eq(native_udp_send_to(a, B("first datagram"), (const uint8_t *)to_b, nb).v1, 0);
    cr_assert_eq(native_udp_send_to(a, B("second"), (const uint8_t *)to_b, nb).v1, 0);
    uint8_t buf[32] = {0};
    RtTriple pf = native_udp_peek_from(b, buf, sizeof buf);
    cr_assert_eq(pf.v2, 0);
    cr_assert_eq(pf.v0, 14);
    cr_assert_str_eq(STR(pf.v1), from_a);
    native_net_addr_free(STR(pf.v1));
    RtPair pk = native_udp_peek(b, buf, 5);
    cr_assert_eq(pk.v0, 5, "peek truncates to len and keeps the datagram");
    /* a 5-byte buffer takes the first 5 bytes; the rest of that datagram is gone */
    memset(buf, 0, sizeof buf);
    RtTriple r = native_udp_recv_from(b, buf, 5);
    cr_assert_eq(r.v2, 0);
    cr_assert_eq(r.v0, 5);
    cr_assert(memcmp(buf, "first", 5) == 0);
    native_net_addr_free(STR(r.v1));
    RtPair r2 = native_udp_recv(b, buf, sizeof buf);
    cr_assert_eq(r2.v0, 6);
    cr_assert(memcmp(buf, "second", 6) == 0, "the next datagram, not the rest of the first");
    native_udp_close(a);
    native_udp_close(b);
}

RTC_TEST(udp_io, receive_timeouts_would_block)
{
    int port;
    int64_t h = net_udp_bind(0, 0, &port);
    cr_assert_eq(native_udp_set_read_timeout(h, 10 * 1000000), 0);
    uint8_t buf[8];
    RtTriple rf = native_udp_recv_from(h, buf, sizeof buf);
    cr_assert_eq(rf.v2, 9, "got %" PRId64, rf.v2);
    cr_assert_eq(rf.v0 | rf.v1, 0);
    cr_assert_eq(native_udp_recv(h, buf, sizeof buf).v1, 9);
    cr_assert_eq(native_udp_peek(h, buf, sizeof buf).v1, 9);
    cr_assert_eq(native_udp_peek_from(h, buf, sizeof buf).v2, 9);
    cr_assert_eq(native_udp_set_read_timeout(h, 1), 0, "1 ns is rounded up, not 'none'");
    cr_assert_eq(native_udp_recv(h, buf, sizeof buf).v1, 9);
    native_udp_close(h);
}

RTC_TEST(udp_io, not_connected)
{
    int port;
    int64_t h = net_udp_bind(0, 0, &port);
    RtPair pa = native_udp_peer_addr(h);
    cr_assert_eq(pa.v0, 0);
    cr_assert_eq(pa.v1, 12);
    RtPair s = native_udp_send(h, B("x"));
    cr_assert_eq(s.v0, 0);
    cr_assert_eq(s.v1, 12, "send without a peer: NotConnected, got %" PRId64, s.v1);
    native_udp_close(h);
}

/* A connected socket whose peer has no socket gets the ICMP error back. */
RTC_TEST(udp_io, connected_to_closed_port_is_refused)
{
    int port;
    int64_t h = net_udp_bind(0, 0, &port);
    char a[64];
    int n = peer_addr(a, sizeof a, 0, peer_free_udp_port(0));
    cr_assert_eq(native_udp_connect(h, (const uint8_t *)a, n), 0);
    cr_assert_eq(native_udp_set_read_timeout(h, 5 * SEC), 0);
    cr_assert_eq(native_udp_send(h, B("anyone?")).v1, 0);
    uint8_t buf[8];
    RtPair r = native_udp_recv(h, buf, sizeof buf);
    cr_assert_eq(r.v1, 3, "ICMP port unreachable: ConnectionRefused, got %" PRId64, r.v1);
    native_udp_close(h);
}

RTC_TEST(udp_io, bind_errors)
{
    int port;
    int64_t h = net_udp_bind(0, 0, &port);
    char a[64];
    int n = peer_addr(a, sizeof a, 0, port);
    RtPair again = native_udp_bind((const uint8_t *)a, n);
    cr_assert_eq(again.v0, 0);
    cr_assert_eq(again.v1, 1, "AddrInUse, got %" PRId64, again.v1);
    cr_assert_eq(native_udp_bind(B("203.0.113.7:0")).v1, 2, "not a local address");
    native_udp_close(h);
}

RTC_TEST(udp_io, hostile_addresses)
{
    static const char *const bad[] = {"", "1.2.3.4", "localhost:53", "[::1]", "1.2.3.4:65536",
                                      "::1:53", "[::1]:53 ", "1.2.3.4:53x"};
    int port;
    int64_t h = net_udp_bind(0, 0, &port);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(native_udp_bind(B(bad[i])).v1, 101, "bind '%s'", bad[i]);
        cr_assert_eq(native_udp_connect(h, B(bad[i])), 101, "connect '%s'", bad[i]);
        RtPair s = native_udp_send_to(h, B("x"), B(bad[i]));
        cr_assert_eq(s.v1, 101, "send_to '%s'", bad[i]);
        cr_assert_eq(s.v0, 0);
    }
    cr_assert_eq(native_udp_bind(NULL, 9).v1, 101);
    cr_assert_eq(native_udp_bind((const uint8_t *)"1.2.3.4:5", -1).v1, 101);
    cr_assert_eq(native_udp_connect(h, NULL, 9), 101);
    cr_assert_eq(native_udp_send_to(h, B("x"), NULL, 9).v1, 101);
    cr_assert_eq(native_udp_connect(0, NULL, 9), 101, "the address is checked first, as upstream");
    native_udp_close(h);
}

RTC_TEST(udp_io, hostile_buffers)
{
    int port;
    int64_t h = net_udp_bind(0, 0, &port);
    char a[64];
    int n = peer_addr(a, sizeof a, 0, port);
    uint8_t buf[8];
    int64_t lens[] = {0, -1, INT64_MIN};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(native_udp_recv(h, buf, lens[i]).v1, 11);
        cr_assert_eq(native_udp_peek(h, buf, lens[i]).v1, 11);
        RtTriple t = native_udp_recv_from(h, buf, lens[i]);
        cr_assert_eq(t.v2, 11);
        cr_assert_eq(t.v0 | t.v1, 0);
        cr_assert_eq(native_udp_peek_from(h, buf, lens[i]).v2, 11);
        cr_assert_eq(native_udp_send(h, buf, lens[i]).v1, 11);
        cr_assert_eq(native_udp_send_to(h, buf, lens[i], (const uint8_t *)a, n).v1, 11);
    }
    cr_assert_eq(native_udp_recv(h, NULL, 8).v1, 11);
    cr_assert_eq(native_udp_recv_from(h, NULL, 8).v2, 11);
    cr_assert_eq(native_udp_peek(h, NULL, 8).v1, 11);
    cr_assert_eq(native_udp_peek_from(h, NULL, 8).v2, 11);
    cr_assert_eq(native_udp_send(h, NULL, 8).v1, 11);
    cr_assert_eq(native_udp_send_to(h, NULL, 8, (const uint8_t *)a, n).v1, 11);
    cr_assert_eq(native_udp_send_to(h, NULL, 8, NULL, 0).v1, 11, "the data is checked first");
    static uint8_t big[65508];
    cr_assert_eq(native_udp_send_to(h, big, sizeof big, (const uint8_t *)a, n).v1, 11,
                 "larger than 65507 bytes");
    cr_assert_eq(native_udp_send(h, big, INT64_MAX).v1, 11);
    native_udp_close(h);
}

RTC_TEST(udp_io, hostile_handles)
{
    int port;
    int64_t u = net_udp_bind(0, 0, &port);
    native_udp_close(u);
    int64_t l = net_listen(0, &port);
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    int64_t bad[] = {u, l, c, 0, -1, 1, 99999, INT64_MAX, INT64_MIN,
                     (int64_t)(UINT64_C(7) << 48 | 3)};
    uint8_t buf[8] = {0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(native_udp_connect(bad[i], B("127.0.0.1:9")), 100, "handle %zu", i);
        cr_assert_eq(native_udp_recv(bad[i], buf, 8).v1, 100);
        RtTriple t = native_udp_recv_from(bad[i], buf, 8);
        cr_assert_eq(t.v2, 100);
        cr_assert_eq(t.v0 | t.v1, 0);
        cr_assert_eq(native_udp_peek(bad[i], buf, 8).v1, 100);
        cr_assert_eq(native_udp_peek_from(bad[i], buf, 8).v2, 100);
        cr_assert_eq(native_udp_send(bad[i], buf, 8).v1, 100);
        cr_assert_eq(native_udp_send_to(bad[i], buf, 8, B("127.0.0.1:9")).v1, 100);
        RtPair pa = native_udp_peer_addr(bad[i]);
        cr_assert_eq(pa.v1, 100);
        cr_assert_eq(pa.v0, 0);
    }
    uint8_t one;
    cr_assert_eq(net_write_all(c, (const uint8_t *)"k", 1), 0, "the TCP stream is untouched");
    cr_assert_eq(net_read_all(s, &one, 1), 0);
    native_tcp_close(c);
    native_tcp_close(s);
    native_tcp_close(l);
}
