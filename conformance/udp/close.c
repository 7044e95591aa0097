/* Conformance: native_udp_close — handles, stale and TCP handles, and a
 * close while another thread is blocked in a receive (spec/ffi/udp.sdn). */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))

RTC_TEST(udp_close, close_once_then_invalid)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    cr_assert_eq(u.v1, 0);
    cr_assert_gt(u.v0, 0);
    cr_assert_eq(native_udp_close(u.v0), 0);
    cr_assert_eq(native_udp_close(u.v0), 100);
    int64_t bad[] = {0, -1, 99999, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(native_udp_close(bad[i]), 100);
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    cr_assert_eq(native_udp_close(c), 100, "a TCP stream is not closed by udp_close");
    cr_assert_eq(native_tcp_flush(c), 0);
    native_tcp_close(c);
    native_tcp_close(s);
}

RTC_TEST(udp_close, handles_share_one_table_with_tcp)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    RtPair t = native_tcp_bind(B("127.0.0.1:0"));
    cr_assert_neq(u.v0, t.v0, "TCP and UDP handles never collide");
    native_udp_close(u.v0);
    RtPair t2 = native_tcp_bind(B("127.0.0.1:0"));
    cr_assert_neq(t2.v0, u.v0, "a closed UDP handle is not reused as is");
    cr_assert_eq(native_udp_set_ttl(u.v0, 5), 100);
    native_tcp_close(t.v0);
    native_tcp_close(t2.v0);
}

typedef struct blocked {
    int64_t h;
    int op;
    int64_t err, n, addr;
} blocked;

static void *block_in(void *arg)
{
    blocked *b = arg;
    uint8_t buf[16];
    if (b->op == 0 || b->op == 3) {
        RtTriple r = b->op == 0 ? native_udp_recv_from(b->h, buf, sizeof buf)
                                : native_udp_peek_from(b->h, buf, sizeof buf);
        b->n = r.v0;
        b->addr = r.v1;
        b->err = r.v2;
    } else {
        RtPair r = b->op == 1 ? native_udp_recv(b->h, buf, sizeof buf)
                              : native_udp_peek(b->h, buf, sizeof buf);
        b->n = r.v0;
        b->err = r.v1;
    }
    return NULL;
}

static void close_while_blocked(int op)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    blocked b = {.h = u.v0, .op = op};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, block_in, &b), 0);
    struct timespec ts = {0, 50 * 1000000};
    nanosleep(&ts, NULL);
    cr_assert_eq(native_udp_close(u.v0), 0);
    pthread_join(t, NULL);   /* hangs here if close did not wake the receive */
    cr_assert_eq(b.err, 100, "op %d: woken by close: 100, got %" PRId64, op, b.err);
    cr_assert_eq(b.n, 0);
    cr_assert_eq(b.addr, 0);
}

RTC_TEST(udp_close, close_wakes_blocked_recv_from) { close_while_blocked(0); }
RTC_TEST(udp_close, close_wakes_blocked_recv) { close_while_blocked(1); }
RTC_TEST(udp_close, close_wakes_blocked_peek) { close_while_blocked(2); }
RTC_TEST(udp_close, close_wakes_blocked_peek_from) { close_while_blocked(3); }
