/*
 * fuzz/targets/net.c — operation sequences over TCP and UDP sockets on
 * loopback (spec/ffi/tcp.sdn, udp.sdn): every native_tcp_* and
 * native_udp_* function and native_net_addr_free, on live, closed, other-kind
 * and invented handles.
 *
 * Nothing may hang and nothing may leave the host:
 * - every socket gets 1 ms receive and send timeouts when it is made, and a
 *   timeout op that sets "none" puts 1 ms back;
 * - connects go to a listener of this input that has room in its accept
 *   queue, or to a closed loopback port; a fuzzed address that parses is
 *   replaced by one of those (bytes that do not parse are passed as they are);
 * - datagrams go to loopback only; multicast membership only on lo.
 * Oracles: every code is a NetError the family documents, value fields are
 * 0 on error, returned address text parses back and prints the same, and
 * no address string outlives its op.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "fuzz/rtz.h"
#include "net/net.h"
#include "rtz_tcp.h"
#include "rtz_udp.h"

#define MS INT64_C(1000000)
#define MAXL 16

typedef struct listener {
    int64_t h;
    int port, v6, backlog, pending;
} listener;

static listener lst[MAXL];
static int nlst;
static struct { int64_t h; int port, v6; } udps[MAXL];
static int nudp;

static int valid_code(int64_t e) { return (e >= 0 && e <= 15) || e == 100 || e == 101 || e == 255; }

/* Address text the runtime returned: it parses back and prints the same. */
static void check_text(int64_t v)
{
    if (v == 0)
        return;
    const char *s = (const char *)(intptr_t)v;
    rtx_net_addr a;
    RTZ_CHECK(rtx_net_addr_parse((const uint8_t *)s, (int64_t)strlen(s), &a) == 0);
    char again[RTX_NET_ADDR_TEXT];
    RTZ_CHECK(rtx_net_addr_format((const struct sockaddr *)&a.ss, a.len, again) > 0);
    RTZ_CHECK(strcmp(again, s) == 0);
    native_net_addr_free((char *)s);
}

static void check_pair(RtPair r)
{
    RTZ_CHECK(valid_code(r.v1));
    RTZ_CHECK(r.v1 == 0 || r.v0 == 0);
}

static void check_triple(RtTriple r)
{
    RTZ_CHECK(valid_code(r.v2));
    RTZ_CHECK(r.v2 == 0 || (r.v0 == 0 && r.v1 == 0));
    check_text(r.v1);
}

/* The port a socket of ours is bound to (via the module's internals). */
static int local_port(int64_t h, int kinds, int *v6)
{
    rtx_sock *s = rtx_net_acquire(h, kinds);
    if (s == NULL)
        return 0;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int port = 0;
    if (getsockname(s->fd, (struct sockaddr *)&ss, &len) == 0) {
        *v6 = ss.ss_family == AF_INET6;
        port = ntohs(*v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                         : ((struct sockaddr_in *)&ss)->sin_port);
    }
    rtx_net_put(s);
    return port;
}

static void new_tcp(rtz *z, int64_t h)
{
    if (h == 0)
        return;
    native_tcp_set_read_timeout(h, MS);
    native_tcp_set_write_timeout(h, MS);
    rtz_adopt_handle(z, RTZ_HK_SOCKET, (uint64_t)h);
}

/* ---- addresses ---- */

/* Any text for bind: binding sends nothing, so fuzzed addresses go as they are. */
static const uint8_t *bind_addr(rtz *z, int64_t *len)
{
    static const char *const fixed[] = {"127.0.0.1:0", "[::1]:0", "0.0.0.0:0", "[::]:0"};
    uint8_t c = rtz_u8(z) % 8;
    if (c < 4) {
        *len = (int64_t)strlen(fixed[c]);
        return (const uint8_t *)fixed[c];
    }
    uint64_t n;
    const uint8_t *b = rtz_buf_in(z, &n);
    *len = (int64_t)n;
    return b;
}

/* A destination on this host that answers at once. which: the listener
 * chosen, or -1. */
static const uint8_t *dest_addr(rtz *z, char *buf, int64_t *len, int tcp, int *which)
{
    *which = -1;
    uint8_t c = rtz_u8(z) % 8;
    if (c >= 6) {   /* fuzzed text: used only if it is no address at all */
        uint64_t n;
        const uint8_t *b = rtz_buf_in(z, &n);
        rtx_net_addr a;
        if (rtx_net_addr_parse(b, (int64_t)n, &a) != 0) {
            *len = (int64_t)n;
            return b;
        }
    }
    int port = 1, v6 = rtz_u8(z) & 1;   /* nothing listens on port 1: refused */
    if (tcp && nlst && c < 5) {
        int i = rtz_u8(z) % nlst;
        /* the kernel queues backlog + 1 connections; beyond that SYNs are
         * dropped and a connect without a timeout would wait for minutes */
        if (lst[i].pending + 1 < lst[i].backlog) {
            port = lst[i].port;
            v6 = lst[i].v6;
            *which = i;
        }
    } else if (!tcp && nudp && c < 5) {
        int i = rtz_u8(z) % nudp;
        port = udps[i].port;
        v6 = udps[i].v6;
    }
    *len = snprintf(buf, 64, v6 ? "[::1]:%d" : "127.0.0.1:%d", port);
    return (const uint8_t *)buf;
}

/* ---- TCP ---- */

static void op_tcp_bind(rtz *z)
{
    int64_t len;
    const uint8_t *a = bind_addr(z, &len);
    RtPair r = native_tcp_bind(a, len);
    check_pair(r);
    if (r.v1 != 0)
        return;
    new_tcp(z, r.v0);
    int v6 = 0, port = local_port(r.v0, RTX_SOCK_LISTENER, &v6);
    if (nlst < MAXL && port)
        lst[nlst++] = (listener){r.v0, port, v6, 128, 0};
}

static void accepted(int64_t listener_h, int delta)
{
    for (int i = 0; i < nlst; i++)
        if (lst[i].h == listener_h)
            lst[i].pending += delta;
}

static void op_tcp_accept(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET);
    RtTriple r = native_tcp_accept(h);
    check_triple(r);
    if (r.v2 == 0) {
        accepted(h, -1);
        new_tcp(z, r.v0);
    }
}

static void op_tcp_connect(rtz *z)
{
    char buf[64];
    int64_t len;
    int which;
    const uint8_t *a = dest_addr(z, buf, &len, 1, &which);
    int timed = rtz_u8(z) & 1;
    RtTriple r = timed ? native_tcp_connect_timeout(a, len, rtz_ns(z)) : native_tcp_connect(a, len);
    check_triple(r);
    if (r.v2 == 0) {
        if (which >= 0)
            lst[which].pending++;
        new_tcp(z, r.v0);
    }
}

static void op_tcp_set_backlog(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET);
    int64_t b = (int64_t)rtz_count(z);
    int64_t r = native_tcp_set_backlog(h, b);
    RTZ_CHECK(valid_code(r));
    for (int i = 0; r == 0 && i < nlst; i++)
        if (lst[i].h == h)
            lst[i].backlog = b > 4096 ? 4096 : (int)b;
}

static void op_tcp_timeouts(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET), ns = rtz_ns(z);
    int write = rtz_u8(z) & 1;
    int64_t r = write ? native_tcp_set_write_timeout(h, ns) : native_tcp_set_read_timeout(h, ns);
    RTZ_CHECK(valid_code(r));
    if (r == 0 && ns <= 0)   /* "none" must not let a later op block */
        write ? native_tcp_set_write_timeout(h, MS) : native_tcp_set_read_timeout(h, MS);
}

static void op_tcp_io(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET);
    uint64_t n;
    uint8_t c = rtz_u8(z) % 3;
    if (c == 0) {
        const uint8_t *b = rtz_buf_in(z, &n);
        RtPair r = native_tcp_write(h, b, (int64_t)n);
        check_pair(r);
        RTZ_CHECK(r.v0 <= (int64_t)n || b == NULL);
        return;
    }
    uint8_t *b = rtz_buf_out(z, &n);
    RtPair r = c == 1 ? native_tcp_read(h, b, (int64_t)n) : native_tcp_peek(h, b, (int64_t)n);
    check_pair(r);
    RTZ_CHECK(r.v0 >= 0 && (b == NULL || r.v0 <= (int64_t)n));
}

/* Property: a fresh connected pair carries bytes both ways and agrees on
 * the address; the pair stays in the pool for later ops. */
static void prop_pair(rtz *z)
{
    int v6 = rtz_u8(z) & 1;
    RtPair l = native_tcp_bind((const uint8_t *)(v6 ? "[::1]:0" : "127.0.0.1:0"), v6 ? 7 : 11);
    if (l.v1 != 0)
        return;   /* e.g. no IPv6 here */
    int is6, port = local_port(l.v0, RTX_SOCK_LISTENER, &is6);
    char a[64];
    int n = snprintf(a, sizeof a, v6 ? "[::1]:%d" : "127.0.0.1:%d", port);
    RtTriple c = native_tcp_connect((const uint8_t *)a, n);
    RTZ_CHECK(c.v2 == 0);
    native_tcp_set_read_timeout(l.v0, 1000 * MS);
    RtTriple s = native_tcp_accept(l.v0);
    RTZ_CHECK(s.v2 == 0);
    /* The address texts agree; either may be 0 when it could not be
     * allocated (the call still succeeds: the tcp family's notes). */
    RTZ_CHECK(c.v1 == 0 || s.v1 == 0 ||
              strcmp((const char *)(intptr_t)c.v1, (const char *)(intptr_t)s.v1) == 0);
    check_triple(c);
    check_triple(s);
    native_tcp_close(l.v0);
    uint64_t len;
    const uint8_t *msg = rtz_buf_in(z, &len);
    if (msg != NULL && len > 0 && len <= 1024) {
        native_tcp_set_read_timeout(s.v0, 1000 * MS);
        RTZ_CHECK(native_tcp_write(c.v0, msg, (int64_t)len).v0 == (int64_t)len);
        uint8_t got[1024];
        int64_t have = 0;
        while (have < (int64_t)len) {
            RtPair r = native_tcp_read(s.v0, got + have, (int64_t)len - have);
            RTZ_CHECK(r.v1 == 0 && r.v0 > 0);
            have += r.v0;
        }
        RTZ_CHECK(memcmp(got, msg, len) == 0);
    }
    /* into the pool last: a full pool closes what it cannot take */
    new_tcp(z, c.v0);
    new_tcp(z, s.v0);
}

/* ---- UDP ---- */

static void op_udp_bind(rtz *z)
{
    int64_t len;
    const uint8_t *a = bind_addr(z, &len);
    RtPair r = native_udp_bind(a, len);
    check_pair(r);
    if (r.v1 != 0)
        return;
    native_udp_set_read_timeout(r.v0, MS);
    native_udp_set_write_timeout(r.v0, MS);
    rtz_adopt_handle(z, RTZ_HK_SOCKET, (uint64_t)r.v0);
    int v6 = 0, port = local_port(r.v0, RTX_SOCK_UDP, &v6);
    if (nudp < MAXL && port) {
        udps[nudp].h = r.v0;
        udps[nudp].port = port;
        udps[nudp++].v6 = v6;
    }
}

static void op_udp_connect(rtz *z)
{
    char buf[64];
    int64_t len;
    int which;
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET);
    const uint8_t *a = dest_addr(z, buf, &len, 0, &which);
    RTZ_CHECK(valid_code(native_udp_connect(h, a, len)));
}

static void op_udp_send_to(rtz *z)
{
    char buf[64];
    int64_t len;
    int which;
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET);
    uint64_t n;
    const uint8_t *d = rtz_buf_in(z, &n);
    const uint8_t *a = dest_addr(z, buf, &len, 0, &which);
    RtPair r = native_udp_send_to(h, d, (int64_t)n, a, len);
    check_pair(r);
    RTZ_CHECK(r.v1 != 0 || r.v0 == (int64_t)n);
}

static void op_udp_recv_addr(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET);
    uint64_t n;
    uint8_t *b = rtz_buf_out(z, &n);
    RtTriple r = (rtz_u8(z) & 1) ? native_udp_peek_from(h, b, (int64_t)n)
                                 : native_udp_recv_from(h, b, (int64_t)n);
    RTZ_CHECK(r.v0 >= 0 && (b == NULL || r.v0 <= (int64_t)n));
    check_triple(r);
}

static void op_udp_peer_addr(rtz *z)
{
    RtPair r = native_udp_peer_addr((int64_t)rtz_handle(z, RTZ_HK_SOCKET));
    check_pair(r);
    check_text(r.v0);
}

static void op_udp_timeouts(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET), ns = rtz_ns(z);
    int write = rtz_u8(z) & 1;
    int64_t r = write ? native_udp_set_write_timeout(h, ns) : native_udp_set_read_timeout(h, ns);
    RTZ_CHECK(valid_code(r));
    if (r == 0 && ns <= 0)
        write ? native_udp_set_write_timeout(h, MS) : native_udp_set_read_timeout(h, MS);
}

/* Membership on lo only (never on an interface that reaches a network),
 * or with values that are out of range. */
static int64_t iface_v4(rtz *z)
{
    static const int64_t v[] = {INT64_C(0x7F000001), INT64_C(0x7F000002), -1,
                                INT64_C(1) << 32, INT64_MIN};
    return v[rtz_u8(z) % 5];
}

static void op_udp_membership(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET);
    uint8_t c = rtz_u8(z) % 4;
    int64_t r;
    if (c < 2) {
        int64_t group = (rtz_u8(z) & 3) ? (int64_t)(0xE0000000u | (rtz_u32(z) & 0x0FFFFFFF))
                                        : rtz_i64(z);
        int64_t iface = iface_v4(z);
        r = c ? native_udp_leave_multicast_v4(h, group, iface)
              : native_udp_join_multicast_v4(h, group, iface);
    } else {
        static uint8_t group[16];
        const uint8_t *g = NULL;
        if (rtz_u8(z) % 8) {   /* else NULL */
            for (int i = 0; i < 16; i++)
                group[i] = rtz_u8(z);
            if (rtz_u8(z) & 1)
                group[0] = 0xFF;   /* usually a multicast prefix */
            g = group;
        }
        static const int64_t ifs[] = {-1, INT64_C(1) << 32, 999999};
        uint8_t k = rtz_u8(z) % 4;
        int64_t iface = k == 3 ? (int64_t)if_nametoindex("lo") : ifs[k];
        r = c == 3 ? native_udp_leave_multicast_v6(h, g, iface)
                   : native_udp_join_multicast_v6(h, g, iface);
    }
    RTZ_CHECK(valid_code(r));
}

/* ---- both ---- */

static void op_close(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_SOCKET);
    int64_t r = (rtz_u8(z) & 1) ? native_udp_close(h) : native_tcp_close(h);
    RTZ_CHECK(r == 0 || r == 100);
    if (r == 0)
        rtz_drop_handle(z, RTZ_HK_SOCKET, (uint64_t)h);
}

static void op_addr_free_foreign(rtz *z)
{
    char local[16] = "127.0.0.1:1";
    uint8_t c = rtz_u8(z) % 3;
    native_net_addr_free(c == 0 ? NULL : c == 1 ? local : local + 3);
}

static const rtz_op ops[] = {
    {"tcp_bind", op_tcp_bind}, {"tcp_accept", op_tcp_accept}, {"tcp_connect", op_tcp_connect},
    {"tcp_set_backlog", op_tcp_set_backlog}, {"tcp_timeouts", op_tcp_timeouts},
    {"tcp_io", op_tcp_io}, {"prop_pair", prop_pair},
    RTZ_OP(native_tcp_read), RTZ_OP(native_tcp_write), RTZ_OP(native_tcp_peek),
    RTZ_OP(native_tcp_flush), RTZ_OP(native_tcp_shutdown), RTZ_OP(native_tcp_set_nodelay),
    RTZ_OP(native_tcp_set_keepalive), RTZ_OP(native_tcp_get_nodelay),
    {"udp_bind", op_udp_bind}, {"udp_connect", op_udp_connect}, {"udp_send_to", op_udp_send_to},
    {"udp_recv_addr", op_udp_recv_addr}, {"udp_peer_addr", op_udp_peer_addr},
    {"udp_timeouts", op_udp_timeouts}, {"udp_membership", op_udp_membership},
    RTZ_OP(native_udp_recv), RTZ_OP(native_udp_peek), RTZ_OP(native_udp_send),
    RTZ_OP(native_udp_set_broadcast), RTZ_OP(native_udp_get_broadcast),
    RTZ_OP(native_udp_set_multicast_loop), RTZ_OP(native_udp_set_multicast_ttl),
    RTZ_OP(native_udp_set_ttl), RTZ_OP(native_udp_get_ttl),
    {"close", op_close}, {"addr_free_foreign", op_addr_free_foreign},
};

/* After every op: every address string handed out was freed by its op. */
static void check(rtz *z)
{
    (void)z;
    RTZ_CHECK(rtx_ptrset_count(&rtx_net_addrs) == 0);
}

static void release(uint64_t h)
{
    if (native_tcp_close((int64_t)h) != 0)
        native_udp_close((int64_t)h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rtz_set_release(RTZ_HK_SOCKET, release);
    nlst = nudp = 0;
    rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], check);
    RTZ_CHECK(rtx_net_live() == 0);   /* the end of the input closed every socket */
    return 0;
}
