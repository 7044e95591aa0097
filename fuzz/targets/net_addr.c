/*
 * fuzz/targets/net_addr.c — the socket address parser behind every tcp and
 * udp function that takes an address (spec/ffi/tcp.sdn notes: Rust's
 * SocketAddr syntax), with oracles:
 *   - parse -> format -> parse gives the same address, and format is stable;
 *   - IPv4: the address part is accepted exactly when glibc's inet_pton
 *     accepts it (both refuse leading zeros) and the port is decimal <= 65535;
 *   - IPv6: whatever is accepted, inet_pton accepts too, with the same bytes;
 *   - the public entry points agree: native_tcp_bind and native_udp_bind
 *     answer 101 exactly for the texts the parser rejects (the bind itself
 *     runs only for loopback addresses with port 0, and is closed at once).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "fuzz/rtz.h"
#include "net/net.h"

static int same_addr(const rtx_net_addr *a, const rtx_net_addr *b)
{
    if (a->len != b->len || a->ss.ss_family != b->ss.ss_family)
        return 0;
    if (a->ss.ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)&a->ss, *y = (const void *)&b->ss;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)&a->ss, *y = (const void *)&b->ss;
    return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
           memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
}

/* "d+" with value <= 65535 (leading zeros allowed, as Rust reads ports). */
static int port_ok(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)p[i]))
            return 0;
        v = v * 10 + (unsigned long)(p[i] - '0');
        if (v > 65535)
            return 0;
    }
    return 1;
}

/* The IPv4 differential: text without '[' and with a ':' splits into an
 * address part for inet_pton and a port. */
static void check_v4(const char *s, size_t n, int ours)
{
    const char *colon = memchr(s, ':', n);
    if (colon == NULL || s[0] == '[' || memchr(s, 0, n))
        return;
    char ip[64];
    size_t iplen = (size_t)(colon - s);
    if (iplen >= sizeof ip)
        return;
    memcpy(ip, s, iplen);
    ip[iplen] = 0;
    struct in_addr a;
    int glibc = inet_pton(AF_INET, ip, &a) == 1 && port_ok(colon + 1, n - iplen - 1);
    RTZ_CHECK(glibc == ours);
}

static void check_v6(const rtx_net_addr *a, const char *s, size_t n)
{
    const char *close = memchr(s, ']', n);
    RTZ_CHECK(s[0] == '[' && close != NULL);
    char ip[128];
    size_t len = (size_t)(close - s - 1);
    const char *pct = memchr(s, '%', len + 1);
    if (pct)
        len = (size_t)(pct - s - 1);
    RTZ_CHECK(len < sizeof ip);
    memcpy(ip, s + 1, len);
    ip[len] = 0;
    struct in6_addr b;
    RTZ_CHECK(inet_pton(AF_INET6, ip, &b) == 1);
    RTZ_CHECK(memcmp(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr, &b, 16) == 0);
}

static int loopback_port0(const rtx_net_addr *a)
{
    if (a->ss.ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)&a->ss;
        return x->sin_port == 0 && ntohl(x->sin_addr.s_addr) == INADDR_LOOPBACK;
    }
    const struct sockaddr_in6 *x = (const void *)&a->ss;
    return x->sin6_port == 0 && x->sin6_scope_id == 0 &&
           memcmp(&x->sin6_addr, &in6addr_loopback, 16) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rtx_net_addr a, b;
    int ok = rtx_net_addr_parse(data, (int64_t)size, &a) == 0;
    if (size <= 64)
        check_v4((const char *)data, size, ok);
    if (ok) {
        if (a.ss.ss_family == AF_INET6)
            check_v6(&a, (const char *)data, size);
        char text[RTX_NET_ADDR_TEXT], again[RTX_NET_ADDR_TEXT];
        int n = rtx_net_addr_format((const struct sockaddr *)&a.ss, a.len, text);
        RTZ_CHECK(n > 0 && n < RTX_NET_ADDR_TEXT && (size_t)n == strlen(text));
        RTZ_CHECK(rtx_net_addr_parse((const uint8_t *)text, n, &b) == 0);
        RTZ_CHECK(same_addr(&a, &b));
        RTZ_CHECK(rtx_net_addr_format((const struct sockaddr *)&b.ss, b.len, again) == n);
        RTZ_CHECK(strcmp(text, again) == 0);
    }
    /* The public functions: 101 exactly for what the parser rejects. */
    if (!ok) {
        RTZ_CHECK(native_tcp_bind(data, (int64_t)size).v1 == 101);
        RTZ_CHECK(native_udp_bind(data, (int64_t)size).v1 == 101);
        RTZ_CHECK(native_tcp_connect(data, (int64_t)size).v2 == 101);
    } else if (loopback_port0(&a)) {
        RtPair t = native_tcp_bind(data, (int64_t)size), u = native_udp_bind(data, (int64_t)size);
        RTZ_CHECK(t.v1 != 101 && u.v1 != 101);
        native_tcp_close(t.v0);
        native_udp_close(u.v0);
    }
    return 0;
}
