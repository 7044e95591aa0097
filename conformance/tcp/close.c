/* Conformance: native_tcp_close — handles, stale handles, UDP handles, and a
 * close while another thread is blocked in accept or read on the same
 * handle (spec/ffi/tcp.sdn). */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"
#include "net/net.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))

RTC_TEST(tcp_close, close_once_then_invalid)
{
    RtPair l = native_tcp_bind(B("127.0.0.1:0"));
    cr_assert_eq(l.v1, 0);
    uint64_t live = rtx_net_live();
    cr_assert_eq(native_tcp_close(l.v0), 0);
    cr_assert_eq(rtx_net_live(), live - 1, "the handle left the table");
    cr_assert_eq(native_tcp_close(l.v0), 100, "second close");
    int64_t bad[] = {0, -1, 99999, INT64_MAX, INT64_MIN, (int64_t)(UINT64_C(7) << 48 | 5)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(native_tcp_close(bad[i]), 100);
}

RTC_TEST(tcp_close, stale_handle_never_names_a_new_socket)
{
    RtPair a = native_tcp_bind(B("127.0.0.1:0"));
    native_tcp_close(a.v0);
    RtPair b = native_tcp_bind(B("127.0.0.1:0"));   /* likely reuses the slot */
    cr_assert_neq(a.v0, b.v0, "a new generation, a new handle");
    cr_assert_eq(native_tcp_close(a.v0), 100);
    cr_assert_eq(native_tcp_set_backlog(b.v0, 5), 0, "the new socket is untouched");
    cr_assert_eq(native_tcp_close(b.v0), 0);
}

RTC_TEST(tcp_close, udp_handle_is_not_closed_by_tcp)
{
    RtPair u = native_udp_bind(B("127.0.0.1:0"));
    cr_assert_eq(native_tcp_close(u.v0), 100);
    cr_assert_eq(native_udp_set_ttl(u.v0, 9), 0, "still open");
    cr_assert_eq(native_udp_close(u.v0), 0);
    int port;
    int64_t l = net_listen(0, &port);
    cr_assert_eq(native_udp_close(l), 100, "and UDP does not close TCP");
    cr_assert_eq(native_tcp_close(l), 0);
}

typedef struct blocked {
    int64_t h;
    int op;   /* 0 accept, 1 read, 2 peek */
    int64_t err, v0;
} blocked;

static void *block_in(void *arg)
{
    blocked *b = arg;
    uint8_t buf[16];
    if (b->op == 0) {
        RtTriple r = native_tcp_accept(b->h);
        native_net_addr_free((char *)(intptr_t)r.v1);
        if (r.v2 == 0)
            native_tcp_close(r.v0);
        b->v0 = r.v0;
        b->err = r.v2;
    } else {
        RtPair r = b->op == 1 ? native_tcp_read(b->h, buf, sizeof buf)
                              : native_tcp_peek(b->h, buf, sizeof buf);
        b->v0 = r.v0;
        b->err = r.v1;
    }
    return NULL;
}

/* The blocked call returns InvalidHandle once the handle is closed; no
 * timeout is set, so without the wake-up the join below would hang. */
static void close_while_blocked(int op)
{
    int64_t c = 0, s = 0, l = 0;
    int port;
    if (op == 0)
        l = net_listen(0, &port);
    else
        cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    blocked b = {.h = op == 0 ? l : s, .op = op};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, block_in, &b), 0);
    struct timespec ts = {0, 50 * 1000000};
    nanosleep(&ts, NULL);   /* let it block (if it has not, it sees the closed handle: 100 too) */
    cr_assert_eq(native_tcp_close(b.h), 0);
    pthread_join(t, NULL);
    cr_assert_eq(b.err, 100, "op %d: a call woken by close answers 100, got %" PRId64, op, b.err);
    cr_assert_eq(b.v0, 0);
    if (op)
        native_tcp_close(c);
}

RTC_TEST(tcp_close, close_wakes_blocked_accept) { close_while_blocked(0); }
RTC_TEST(tcp_close, close_wakes_blocked_read) { close_while_blocked(1); }
RTC_TEST(tcp_close, close_wakes_blocked_peek) { close_while_blocked(2); }

typedef struct churn {
    int64_t h;
    int stop;
    int bad;
} churn;

static void *use_handle(void *arg)
{
    churn *c = arg;
    uint8_t b[4];
    while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
        int64_t h = __atomic_load_n(&c->h, __ATOMIC_ACQUIRE);
        RtPair w = native_tcp_write(h, (const uint8_t *)"ab", 2);
        RtPair g = native_tcp_get_nodelay(h);
        RtPair r = native_tcp_peek(h, b, sizeof b);
        if ((w.v1 != 0 && w.v1 != 100 && w.v1 != 14 && w.v1 != 4 && w.v1 != 9) ||
            (g.v1 != 0 && g.v1 != 100) || (r.v1 != 0 && r.v1 != 100 && r.v1 != 9))
            c->bad = 1;
    }
    return NULL;
}

/* Many threads use a handle while it is closed and replaced: every call
 * answers a code, and closed descriptors are never reused under them (the
 * sanitizers and Valgrind see any use after free). */
RTC_TEST(tcp_close, close_races_with_use)
{
    churn c = {0};
    int64_t a, b;
    cr_assert_eq(net_tcp_pair(0, &a, &b), 0);
    native_tcp_set_read_timeout(a, 1000);
    native_tcp_set_write_timeout(a, 1000);
    c.h = a;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, use_handle, &c);
    for (int round = 0; round < 40; round++) {
        int64_t na, nb;
        cr_assert_eq(net_tcp_pair(0, &na, &nb), 0);
        native_tcp_set_read_timeout(na, 1000);
        native_tcp_set_write_timeout(na, 1000);
        int64_t old = __atomic_exchange_n(&c.h, na, __ATOMIC_ACQ_REL);
        cr_assert_eq(native_tcp_close(old), 0);
        cr_assert_eq(native_tcp_close(b), 0);
        b = nb;
    }
    __atomic_store_n(&c.stop, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    cr_assert_not(c.bad, "a call answered something other than a NetError it may give");
    native_tcp_close(c.h);
    native_tcp_close(b);
}
