/*
 * net/addr.c — socket address text, exactly as Rust's SocketAddr reads and
 * writes it (upstream passes every address through SocketAddr::from_str and
 * returns SocketAddr::to_string()).
 *
 * Helpers for the rows of spec/ffi/tcp.sdn and udp.sdn that take or return
 * addresses; implements no row by itself.
 *
 * Grammar (Rust core::net::parser), the whole input must match:
 *   v4addr  = octet "." octet "." octet "." octet
 *             octet: 1-3 decimal digits, value <= 255, no leading zero ("01")
 *   v6addr  = up to 8 groups of 1-4 hex digits separated by ":", with one
 *             optional "::" standing for at least one zero group, and an
 *             optional trailing v4addr counting as two groups (not before "::")
 *   socket  = v4addr ":" port | "[" v6addr [ "%" scope ] "]" ":" port
 *             port: decimal digits, leading zeros allowed, value <= 65535
 *             scope: decimal digits, leading zeros allowed, value <= 2^32-1
 * Display: "a.b.c.d:port"; "[v6]:port" or "[v6%scope]:port" where v6 is
 * lowercase hex, the longest run (first on a tie) of two or more zero
 * groups written "::", and IPv4-mapped addresses as "::ffff:a.b.c.d".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "net/net.h"
#include "runtime/mem.h"

typedef struct parser {
    const uint8_t *s;
    size_t n, pos;
} parser;

static int peek(const parser *p) { return p->pos < p->n ? p->s[p->pos] : -1; }

static int take(parser *p, int c)
{
    if (peek(p) != c)
        return 0;
    p->pos++;
    return 1;
}

static int digit(int c, int radix)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (radix == 16 && c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (radix == 16 && c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Rust's read_number: digits of radix, at most max_digits (0: any), value
 * at most max, a leading zero only if zero_prefix allows it. Consumes
 * nothing on failure. */
static int number(parser *p, int radix, int max_digits, uint64_t max, int zero_prefix,
                  uint64_t *out)
{
    size_t start = p->pos;
    int count = 0, lead_zero = peek(p) == '0';
    uint64_t v = 0;
    int d;
    while ((d = digit(peek(p), radix)) >= 0) {
        v = v * (uint64_t)radix + (uint64_t)d;
        count++;
        p->pos++;
        if (v > max || (max_digits && count > max_digits))
            goto fail;
    }
    if (count == 0 || (!zero_prefix && lead_zero && count > 1))
        goto fail;
    *out = v;
    return 1;
fail:
    p->pos = start;
    return 0;
}

static int ipv4(parser *p, uint8_t out[4])
{
    size_t start = p->pos;
    for (int i = 0; i < 4; i++) {
        uint64_t v;
        if ((i > 0 && !take(p, '.')) || !number(p, 10, 3, 255, 0, &v)) {
            p->pos = start;
            return 0;
        }
        out[i] = (uint8_t)v;
    }
    return 1;
}

/* Rust's read_groups: fill up to limit groups; a v4 address may take the
 * last two slots. Returns the groups read; *v4 tells whether the last two
 * came from a v4 address. */
static size_t groups(parser *p, uint16_t *g, size_t limit, int *v4)
{
    *v4 = 0;
    for (size_t i = 0; i < limit; i++) {
        if (i + 1 < limit) {
            size_t at = p->pos;
            uint8_t o[4];
            if ((i == 0 || take(p, ':')) && ipv4(p, o)) {
                g[i] = (uint16_t)(o[0] << 8 | o[1]);
                g[i + 1] = (uint16_t)(o[2] << 8 | o[3]);
                *v4 = 1;
                return i + 2;
            }
            p->pos = at;
        }
        size_t at = p->pos;
        uint64_t v;
        if ((i > 0 && !take(p, ':')) || !number(p, 16, 4, 0xFFFF, 1, &v)) {
            p->pos = at;
            return i;
        }
        g[i] = (uint16_t)v;
    }
    return limit;
}

static int ipv6(parser *p, uint8_t out[16])
{
    size_t start = p->pos;
    uint16_t head[8] = {0}, tail[7] = {0};
    int v4;
    size_t nh = groups(p, head, 8, &v4);
    if (nh < 8) {
        if (v4 || !take(p, ':') || !take(p, ':')) {
            p->pos = start;
            return 0;
        }
        size_t nt = groups(p, tail, 7 - nh, &v4);
        memcpy(head + 8 - nt, tail, nt * sizeof tail[0]);
    }
    for (int i = 0; i < 8; i++) {
        out[2 * i] = (uint8_t)(head[i] >> 8);
        out[2 * i + 1] = (uint8_t)head[i];
    }
    return 1;
}

static int port(parser *p, uint16_t *out)
{
    uint64_t v;
    if (!take(p, ':') || !number(p, 10, 0, 0xFFFF, 1, &v))
        return 0;
    *out = (uint16_t)v;
    return 1;
}

int rtx_net_addr_parse(const uint8_t *text, int64_t len, rtx_net_addr *out)
{
    if (text == NULL || len <= 0 || len > RTX_NET_ADDR_MAX || out == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    parser p = {text, (size_t)len, 0};
    uint8_t a4[4];
    uint16_t pt;
    if (ipv4(&p, a4) && port(&p, &pt) && p.pos == p.n) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&out->ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(pt);
        memcpy(&sin->sin_addr, a4, 4);
        out->len = sizeof *sin;
        return 0;
    }
    p.pos = 0;
    uint8_t a6[16];
    uint64_t scope = 0;
    if (!take(&p, '[') || !ipv6(&p, a6))
        return -1;
    size_t at = p.pos;
    if (!(take(&p, '%') && number(&p, 10, 0, UINT32_MAX, 1, &scope))) {
        p.pos = at;   /* no scope id: Rust reads it as 0 */
        scope = 0;
    }
    if (!take(&p, ']') || !port(&p, &pt) || p.pos != p.n)
        return -1;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(pt);
    sin6->sin6_scope_id = (uint32_t)scope;
    memcpy(&sin6->sin6_addr, a6, 16);
    out->len = sizeof *sin6;
    return 0;
}

/* Colon-separated lowercase hex groups g[0..n). */
static int hex_groups(char *b, const uint16_t *g, int n)
{
    int w = 0;
    for (int i = 0; i < n; i++)
        w += sprintf(b + w, i ? ":%x" : "%x", g[i]);
    return w;
}

static int format_v6(const uint8_t a[16], char *b)
{
    uint16_t g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF)
        return sprintf(b, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
    int best = 0, best_len = 0, cur = 0, cur_len = 0;
    for (int i = 0; i < 8; i++) {
        if (g[i] != 0) {
            cur_len = 0;
            continue;
        }
        if (cur_len++ == 0)
            cur = i;
        if (cur_len > best_len) {   /* strictly longer: the first run wins a tie */
            best = cur;
            best_len = cur_len;
        }
    }
    if (best_len < 2)
        return hex_groups(b, g, 8);
    int w = hex_groups(b, g, best);
    w += sprintf(b + w, "::");
    return w + hex_groups(b + w, g + best + best_len, 8 - best - best_len);
}

int rtx_net_addr_format(const struct sockaddr *sa, socklen_t len, char *buf)
{
    if (sa == NULL || buf == NULL)
        return -1;
    if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
        const uint8_t *a = (const uint8_t *)&sin->sin_addr;
        return sprintf(buf, "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], ntohs(sin->sin_port));
    }
    if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
        char ip[48];
        format_v6((const uint8_t *)&sin6->sin6_addr, ip);
        if (sin6->sin6_scope_id)
            return sprintf(buf, "[%s%%%u]:%u", ip, sin6->sin6_scope_id, ntohs(sin6->sin6_port));
        return sprintf(buf, "[%s]:%u", ip, ntohs(sin6->sin6_port));
    }
    return -1;
}

/* One entry per thread: a program sending datagrams to one peer passes the
 * same text every call, and comparing it is cheaper than parsing it. */
#define CACHE_TEXT 64
static _Thread_local struct {
    int64_t len;   /* 0: empty */
    uint8_t text[CACHE_TEXT];
    rtx_net_addr addr;
} last;

int rtx_net_addr_get(const uint8_t *text, int64_t len, rtx_net_addr *out)
{
    if (text != NULL && len > 0 && len == last.len && memcmp(text, last.text, (size_t)len) == 0) {
        *out = last.addr;
        return 0;
    }
    if (rtx_net_addr_parse(text, len, out) != 0)
        return -1;
    if (len <= CACHE_TEXT) {
        memcpy(last.text, text, (size_t)len);
        last.addr = *out;
        last.len = len;
    }
    return 0;
}

int64_t rtx_net_addr_text(const struct sockaddr *sa, socklen_t len)
{
    char buf[RTX_NET_ADDR_TEXT];
    int n = rtx_net_addr_format(sa, len, buf);
    if (n < 0)
        return 0;
    char *s = rtx_strndup(buf, (size_t)n);
    if (s == NULL)
        return 0;
    if (rtx_ptrset_add(&rtx_net_addrs, s) != 0) {
        rtx_free(s);
        return 0;
    }
    return (int64_t)(intptr_t)s;
}
