/* Conformance: native_tcp_read, native_tcp_write, native_tcp_peek,
 * native_tcp_flush, native_tcp_shutdown against a socat echo server and
 * between two of our own sockets (spec/ffi/tcp.sdn). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))
#define STR(v) ((char *)(intptr_t)(v))

static int64_t connect_peer(const peer *p, int v6)
{
    char a[64];
    peer_addr(a, sizeof a, v6, p->port);
    RtTriple c = native_tcp_connect(B(a));
    cr_assert_eq(c.v2, 0, "connect to socat at %s: %" PRId64, a, c.v2);
    native_net_addr_free(STR(c.v1));
    return c.v0;
}

/* Bytes written come back unchanged, in order, through socat.
 * (conformance/tcp/ipv6.c runs it over ::1 where the host has IPv6.) */
void tcp_echo_round_trip(int v6);
void tcp_echo_round_trip(int v6)
{
    peer p;
    cr_assert_eq(peer_socat_echo(&p, v6 ? "tcp6" : "tcp4"), 0);
    int64_t h = connect_peer(&p, v6);
    cr_assert_eq(native_tcp_set_read_timeout(h, 10 * INT64_C(1000000000)), 0);
    /* small message */
    cr_assert_eq(net_write_all(h, (const uint8_t *)"hello", 5), 0);
    uint8_t small[5];
    cr_assert_eq(net_read_all(h, small, 5), 0);
    cr_assert(memcmp(small, "hello", 5) == 0);
    /* 1 MiB of a pattern, written and read in turns so neither side blocks */
    enum { N = 1 << 20, STEP = 64 << 10 };
    uint8_t *out = malloc(N), *in = malloc(N);
    for (int i = 0; i < N; i++)
        out[i] = (uint8_t)(i * 131 + (i >> 8));
    for (int off = 0; off < N; off += STEP) {
        cr_assert_eq(net_write_all(h, out + off, STEP), 0);
        cr_assert_eq(net_read_all(h, in + off, STEP), 0);
    }
    cr_assert(memcmp(in, out, N) == 0, "1 MiB echo differs");
    free(out);
    free(in);
    /* closing our write half makes socat close: then reads see end of stream */
    cr_assert_eq(native_tcp_shutdown(h, 1), 0);
    uint8_t b[8];
    RtPair eof = native_tcp_read(h, b, sizeof b);
    cr_assert_eq(eof.v0, 0);
    cr_assert_eq(eof.v1, 0, "end of stream is (0, 0), got err %" PRId64, eof.v1);
    cr_assert_eq(native_tcp_close(h), 0);
    peer_stop(&p);
}

RTC_TEST(tcp_io, socat_echo_ipv4) { tcp_echo_round_trip(0); }

RTC_TEST(tcp_io, peek_leaves_bytes_and_read_consumes)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    cr_assert_eq(net_write_all(c, (const uint8_t *)"abcdef", 6), 0);
    cr_assert_eq(native_tcp_set_read_timeout(s, 5 * INT64_C(1000000000)), 0);
    uint8_t b[16] = {0};
    RtPair pk;
    do   /* the six bytes may arrive in pieces */
        pk = native_tcp_peek(s, b, sizeof b);
    while (pk.v1 == 0 && pk.v0 < 6);
    cr_assert_eq(pk.v1, 0);
    cr_assert_eq(pk.v0, 6);
    cr_assert(memcmp(b, "abcdef", 6) == 0);
    RtPair p2 = native_tcp_peek(s, b, 3);
    cr_assert_eq(p2.v0, 3, "peek honours len");
    memset(b, 0, sizeof b);
    RtPair r = native_tcp_read(s, b, 4);
    cr_assert_eq(r.v0, 4);
    cr_assert(memcmp(b, "abcd", 4) == 0, "peek did not consume");
    r = native_tcp_read(s, b, sizeof b);
    cr_assert_eq(r.v0, 2);
    cr_assert(memcmp(b, "ef", 2) == 0);
    native_tcp_close(c);
    native_tcp_close(s);
}

RTC_TEST(tcp_io, read_and_peek_timeout_would_block)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    cr_assert_eq(native_tcp_set_read_timeout(s, 10 * 1000000), 0);
    uint8_t b[8];
    RtPair r = native_tcp_read(s, b, sizeof b);
    cr_assert_eq(r.v1, 9, "nothing to read: WouldBlock, got %" PRId64, r.v1);
    cr_assert_eq(r.v0, 0);
    r = native_tcp_peek(s, b, sizeof b);
    cr_assert_eq(r.v1, 9);
    /* 1 ns is rounded up to 1 us, not taken as "no timeout" */
    cr_assert_eq(native_tcp_set_read_timeout(s, 1), 0);
    cr_assert_eq(native_tcp_read(s, b, sizeof b).v1, 9);
    native_tcp_close(c);
    native_tcp_close(s);
}

RTC_TEST(tcp_io, write_timeout_when_peer_does_not_read)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    cr_assert_eq(native_tcp_set_write_timeout(c, 10 * 1000000), 0);
    static uint8_t chunk[1 << 16];
    int64_t err = 0;
    for (int i = 0; i < 100000 && err == 0; i++) {   /* until the buffers are full */
        RtPair w = native_tcp_write(c, chunk, sizeof chunk);
        err = w.v1;
        if (err == 0)
            cr_assert_gt(w.v0, 0);
    }
    cr_assert_eq(err, 9, "full send buffer + timeout: WouldBlock, got %" PRId64, err);
    native_tcp_close(c);
    native_tcp_close(s);
}

RTC_TEST(tcp_io, write_to_closed_peer_is_an_error_not_sigpipe)
{
    signal(SIGPIPE, SIG_DFL);   /* a SIGPIPE would kill the test */
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    cr_assert_eq(native_tcp_close(s), 0);
    int64_t err = 0;
    for (int i = 0; i < 1000 && err == 0; i++)
        err = native_tcp_write(c, (const uint8_t *)"x", 1).v1;
    cr_assert(err == 14 || err == 4, "BrokenPipe or ConnectionReset, got %" PRId64, err);
    native_tcp_close(c);
}

RTC_TEST(tcp_io, shutdown_directions)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    uint8_t b[4];
    cr_assert_eq(native_tcp_shutdown(c, 0), 0, "read half");
    RtPair r = native_tcp_read(c, b, sizeof b);
    cr_assert_eq(r.v0, 0);
    cr_assert_eq(r.v1, 0, "after SHUT_RD reads see end of stream");
    cr_assert_eq(net_write_all(c, (const uint8_t *)"ok", 2), 0, "the write half still works");
    cr_assert_eq(net_read_all(s, b, 2), 0);
    cr_assert_eq(native_tcp_shutdown(c, 1), 0, "write half");
    r = native_tcp_read(s, b, sizeof b);
    cr_assert_eq(r.v0, 0);
    cr_assert_eq(r.v1, 0, "the peer sees end of stream");
    cr_assert_eq(native_tcp_write(c, (const uint8_t *)"x", 1).v1, 14, "writing after SHUT_WR");
    native_tcp_close(c);
    native_tcp_close(s);
    int64_t hows[] = {2, 7, -1, INT64_MAX};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
        cr_assert_eq(native_tcp_shutdown(c, hows[i]), 0, "how %" PRId64, hows[i]);
        RtPair mine = native_tcp_read(c, b, sizeof b), theirs = native_tcp_read(s, b, sizeof b);
        cr_assert(mine.v0 == 0 && mine.v1 == 0, "any other value shuts the read half");
        cr_assert(theirs.v0 == 0 && theirs.v1 == 0, "... and the write half");
        native_tcp_close(c);
        native_tcp_close(s);
    }
}

RTC_TEST(tcp_io, flush_validates_the_handle)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    cr_assert_eq(native_tcp_flush(c), 0);
    cr_assert_eq(native_tcp_flush(s), 0);
    int port;
    int64_t l = net_listen(0, &port);
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    cr_assert_eq(native_tcp_flush(l), 100, "listener");
    cr_assert_eq(native_tcp_flush(u.v0), 100, "UDP socket");
    cr_assert_eq(native_tcp_flush(0), 100);
    cr_assert_eq(native_tcp_flush(INT64_MIN), 100);
    native_tcp_close(c);
    cr_assert_eq(native_tcp_flush(c), 100, "closed");
    native_tcp_close(s);
    native_tcp_close(l);
    native_udp_close(u.v0);
}

RTC_TEST(tcp_io, hostile_buffers_and_lengths)
{
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    uint8_t b[16];
    int64_t lens[] = {0, -1, INT64_MIN};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(native_tcp_read(s, b, lens[i]).v1, 11);
        cr_assert_eq(native_tcp_peek(s, b, lens[i]).v1, 11);
        cr_assert_eq(native_tcp_write(c, b, lens[i]).v1, 11);
    }
    RtPair r = native_tcp_read(s, NULL, 16);
    cr_assert_eq(r.v0, 0);
    cr_assert_eq(r.v1, 11);
    cr_assert_eq(native_tcp_peek(s, NULL, 16).v1, 11);
    cr_assert_eq(native_tcp_write(c, NULL, 16).v1, 11);
    cr_assert_eq(native_tcp_read(0, NULL, 16).v1, 11, "the buffer is checked first, as upstream");
    /* A huge len is clamped to 1 GiB: with a 1 GiB (+ a page) buffer that is
     * only reserved, not touched, len INT64_MAX reads the 3 bytes waiting. */
    cr_assert_eq(net_write_all(c, (const uint8_t *)"xyz", 3), 0);
    cr_assert_eq(native_tcp_set_read_timeout(s, 5 * INT64_C(1000000000)), 0);
    RtPair pk;
    do
        pk = native_tcp_peek(s, b, 3);
    while (pk.v1 == 0 && pk.v0 < 3);
    size_t gib = (size_t)1 << 30;
    uint8_t *huge = mmap(NULL, gib + 4096, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    cr_assert_neq(huge, MAP_FAILED);
    r = native_tcp_read(s, huge, INT64_MAX);
    cr_assert_eq(r.v1, 0, "len INT64_MAX: %" PRId64, r.v1);
    cr_assert_eq(r.v0, 3);
    cr_assert(memcmp(huge, "xyz", 3) == 0);
    munmap(huge, gib + 4096);
    native_tcp_close(c);
    native_tcp_close(s);
}

RTC_TEST(tcp_io, hostile_handles)
{
    int port;
    int64_t l = net_listen(0, &port);
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    native_tcp_close(c);
    int64_t bad[] = {0, -1, 1, 2, 99999, INT64_MAX, INT64_MIN, l, u.v0, c,
                     (int64_t)(UINT64_C(1) << 48 | 1), (int64_t)(UINT64_C(7) << 48 | 0xFFFFFF)};
    uint8_t b[4] = {0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RtPair r = native_tcp_read(bad[i], b, 4);
        cr_assert_eq(r.v1, 100, "read, handle %zu: %" PRId64, i, r.v1);
        cr_assert_eq(r.v0, 0);
        cr_assert_eq(native_tcp_write(bad[i], b, 4).v1, 100, "write, handle %zu", i);
        cr_assert_eq(native_tcp_peek(bad[i], b, 4).v1, 100);
        cr_assert_eq(native_tcp_shutdown(bad[i], 2), 100);
    }
    native_tcp_close(s);
    native_tcp_close(l);
    native_udp_close(u.v0);
}
