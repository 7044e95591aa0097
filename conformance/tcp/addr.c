/* Conformance: address text — parsing exactly as Rust's SocketAddr::from_str,
 * formatting as its Display — and native_net_addr_free (spec/ffi/tcp.sdn). */
#include <arpa/inet.h>
#include <string.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"
#include "net/net.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))

static const char *round_trip(const char *in, char *out)
{
    rtx_net_addr a;
    if (rtx_net_addr_parse(B(in), &a) != 0)
        return NULL;
    return rtx_net_addr_format((const struct sockaddr *)&a.ss, a.len, out) > 0 ? out : NULL;
}

/* Inputs Rust accepts, and how Rust prints them back. */
RTC_TEST(tcp_addr, accepted_and_displayed_as_rust)
{
    static const char *const cases[][2] = {
        {"127.0.0.1:8080", "127.0.0.1:8080"},
        {"0.0.0.0:0", "0.0.0.0:0"},
        {"255.255.255.255:65535", "255.255.255.255:65535"},
        {"1.2.3.4:0080", "1.2.3.4:80"},                       /* port: leading zeros ok */
        {"1.2.3.4:000000000000000000001", "1.2.3.4:1"},
        {"[::1]:9000", "[::1]:9000"},
        {"[::]:1", "[::]:1"},
        {"[0:0:0:0:0:0:0:1]:5", "[::1]:5"},
        {"[2001:DB8::1]:1", "[2001:db8::1]:1"},               /* lowercase out */
        {"[2001:0db8:0000:0000:0000:0000:0000:0001]:1", "[2001:db8::1]:1"},
        {"[1:0:0:2:0:0:0:3]:1", "[1:0:0:2::3]:1"},            /* the longest zero run */
        {"[1:0:0:2:0:0:3:4]:1", "[1::2:0:0:3:4]:1"},          /* the first of equal runs */
        {"[1:2:3:4:5:6:0:8]:1", "[1:2:3:4:5:6:0:8]:1"},       /* one zero is not compressed */
        {"[1:2:3:4:5:6:7::]:1", "[1:2:3:4:5:6:7:0]:1"},
        {"[::ffff:1.2.3.4]:7", "[::ffff:1.2.3.4]:7"},         /* IPv4-mapped */
        {"[::1.2.3.4]:7", "[::102:304]:7"},                   /* IPv4-compatible: plain hex */
        {"[64:ff9b::1.2.3.4]:7", "[64:ff9b::102:304]:7"},
        {"[1:2:3:4:5:6:1.2.3.4]:1", "[1:2:3:4:5:6:102:304]:1"},
        {"[fe80::1%2]:80", "[fe80::1%2]:80"},                 /* numeric scope id */
        {"[fe80::1%0]:80", "[fe80::1]:80"},
        {"[fe80::1%4294967295]:80", "[fe80::1%4294967295]:80"},
        {"[fe80::1%007]:80", "[fe80::1%7]:80"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[RTX_NET_ADDR_TEXT];
        const char *got = round_trip(cases[i][0], out);
        cr_assert_not_null(got, "'%s' must parse", cases[i][0]);
        cr_assert_str_eq(got, cases[i][1], "'%s'", cases[i][0]);
        char again[RTX_NET_ADDR_TEXT];
        cr_assert_str_eq(round_trip(got, again), got, "format -> parse -> format is stable");
    }
}

RTC_TEST(tcp_addr, rejected_as_rust)
{
    static const char *const bad[] = {
        "", ":", "1.2.3.4", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:99999999999999999999",
        "1.2.3.4:+1", "1.2.3.4:-1", "1.2.3.4:0x10", "1.2.3:80", "1.2.3.4.5:80", "01.2.3.4:1",
        "1.2.3.04:1", "256.1.1.1:1", "1.2.3.1000:1", "1..2.3:1", " 1.2.3.4:1", "1.2.3.4:1 ",
        "localhost:80", "example.com:443", "::1:80", "[::1]", "[::1]:", "[::1]80", "::1",
        "[::1:80", "::1]:80", "[1:2:3:4:5:6:7:8:9]:1", "[1::2::3]:1", "[12345::]:1",
        "[1:2:3:4:5:6:7]:1", "[:1]:1", "[1:]:1", "[:::]:1", "[1.2.3.4::]:1",
        "[::1.2.3.4:5]:1", "[::01.2.3.4]:1", "[fe80::1%]:1", "[fe80::1%eth0]:1",
        "[fe80::1%4294967296]:1", "[fe80::1%-1]:1", "[::1]%2:1", "[g::1]:1",
        "[::1]:80]", "[[::1]]:80", "1.2.3.4:80:80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rtx_net_addr a;
        cr_assert_eq(rtx_net_addr_parse(B(bad[i]), &a), -1, "'%s' must be rejected", bad[i]);
    }
    rtx_net_addr a;
    cr_assert_eq(rtx_net_addr_parse((const uint8_t *)"1.2.3.4:80\0", 11, &a), -1);
    cr_assert_eq(rtx_net_addr_parse(NULL, 5, &a), -1);
    cr_assert_eq(rtx_net_addr_parse((const uint8_t *)"1.2.3.4:1", 0, &a), -1);
    cr_assert_eq(rtx_net_addr_parse((const uint8_t *)"1.2.3.4:1", -9, &a), -1);
    char longest[1025];
    memset(longest, '0', sizeof longest);
    memcpy(longest, "1.2.3.4:", 8);   /* "1.2.3.4:000...0" is a valid port 0 */
    cr_assert_eq(rtx_net_addr_parse((const uint8_t *)longest, 1024, &a), 0, "1024 bytes: ok");
    cr_assert_eq(rtx_net_addr_parse((const uint8_t *)longest, 1025, &a), -1, "1025: refused");
}

RTC_TEST(tcp_addr, parsed_values)
{
    rtx_net_addr a;
    cr_assert_eq(rtx_net_addr_parse(B("10.20.30.40:5060"), &a), 0);
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)&a.ss;
    cr_assert_eq(v4->sin_family, AF_INET);
    cr_assert_eq(ntohs(v4->sin_port), 5060);
    cr_assert_eq(ntohl(v4->sin_addr.s_addr), 0x0A141E28u);
    cr_assert_eq(a.len, sizeof *v4);
    cr_assert_eq(rtx_net_addr_parse(B("[fe80::a:b%9]:443"), &a), 0);
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&a.ss;
    cr_assert_eq(v6->sin6_family, AF_INET6);
    cr_assert_eq(ntohs(v6->sin6_port), 443);
    cr_assert_eq(v6->sin6_scope_id, 9u);
    static const uint8_t want[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xa, 0, 0xb};
    cr_assert(memcmp(&v6->sin6_addr, want, 16) == 0);
}

RTC_TEST(tcp_addr, addr_free_ignores_what_it_did_not_hand_out)
{
    native_net_addr_free(NULL);
    char stack[8] = "1.2.3.4";
    native_net_addr_free(stack);          /* never handed out: ignored, not freed */
    native_net_addr_free(stack + 1);
    native_net_addr_free((char *)(intptr_t)0x10);
    int64_t c, s;
    cr_assert_eq(net_tcp_pair(0, &c, &s), 0);
    int port;
    int64_t l = net_listen(0, &port);
    char a[64];
    peer_addr(a, sizeof a, 0, port);
    RtTriple t = native_tcp_connect(B(a));
    cr_assert_eq(t.v2, 0);
    char *text = (char *)(intptr_t)t.v1;
    cr_assert_eq(text[strlen(text)], 0, "NUL-terminated");
    rtx_net_addr back;
    cr_assert_eq(rtx_net_addr_parse(B(text), &back), 0, "parses back: '%s'", text);
    native_net_addr_free(text);
    native_net_addr_free(text);           /* already freed: ignored (ASan would see a double free) */
    RtTriple acc = native_tcp_accept(l);
    native_net_addr_free((char *)(intptr_t)acc.v1);
    native_tcp_close(acc.v0);
    native_tcp_close(t.v0);
    native_tcp_close(l);
    native_tcp_close(c);
    native_tcp_close(s);
}
