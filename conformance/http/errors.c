/* Conformance: native_http_send and native_http_response_free against
 * servers that misbehave (garbage, stalls, endless and oversized bodies,
 * TLS failures), unreachable servers, bad URLs and bad request records
 * (spec/ffi/http.sdn). */
#include <stdio.h>
#include <string.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"
#include "net/http_opts.h"

#define RESP(v) ((RtHttpResponse *)(intptr_t)(v))
#define SEC INT64_C(1000000000)

static RtHttpRequest get(const char *url)
{
    return (RtHttpRequest){.method = 0, .url = (const uint8_t *)url,
                           .url_len = (int64_t)strlen(url)};
}

static RtPair raw_get(raw_server *s, int64_t timeout_ns)
{
    char u[64];
    snprintf(u, sizeof u, "http://127.0.0.1:%d/", s->port);
    RtHttpRequest r = get(u);
    return native_http_send(&r, timeout_ns);
}

static void expect_reply(const char *reply, int64_t want, const char *what)
{
    raw_server s;
    cr_assert_eq(raw_start(&s, RAW_REPLY, reply, strlen(reply)), 0);
    RtPair r = raw_get(&s, 10 * SEC);
    raw_stop(&s);
    cr_assert_eq(r.v1, want, "%s: want %" PRId64 ", got %" PRId64, what, want, r.v1);
    if (want == 0) {
        cr_assert_neq(r.v0, 0);
        native_http_response_free(RESP(r.v0));
    } else {
        cr_assert_eq(r.v0, 0, "%s: no record on error", what);
    }
}

RTC_TEST(http_errors, raw_server_replies)
{
    peer_no_proxy();
    expect_reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", 0,
                 "well formed");
    expect_reply("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close", 0, "body to EOF");
    expect_reply("HTTP/1.1 204 No Content\r\n\r\n", 0, "no content");
    expect_reply("garbage\r\n\r\n", 203, "not HTTP");
    expect_reply("HTTP/21p:ed\r\n", 203, "a status line libcurl reads as a status below 100");
    expect_reply("", 203, "empty reply");
    expect_reply("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", 203, "body cut short");
    expect_reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbad\r\n", 203,
                 "bad chunk size");
    expect_reply("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope",
                 0, "encoded bodies are returned as sent (no Accept-Encoding asked)");
    expect_reply("HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n",
                 203, "redirect to a scheme other than http/https");
    expect_reply("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n", 200, "status 500");
}

RTC_TEST(http_errors, status_is_returned_below_400)
{
    peer_no_proxy();
    static const char reply[] = "HTTP/1.1 299 Fine\r\nContent-Length: 3\r\n\r\nabc";
    raw_server s;
    cr_assert_eq(raw_start(&s, RAW_REPLY, reply, sizeof reply - 1), 0);
    RtPair r = raw_get(&s, 10 * SEC);
    raw_stop(&s);
    cr_assert_eq(r.v1, 0);
    cr_assert_eq(RESP(r.v0)->status, 299);
    cr_assert_str_eq((const char *)RESP(r.v0)->body, "abc");
    native_http_response_free(RESP(r.v0));
}

RTC_TEST(http_errors, stalled_server_times_out)
{
    peer_no_proxy();
    raw_server s;
    cr_assert_eq(raw_start(&s, RAW_STALL, NULL, 0), 0);
    RtPair r = raw_get(&s, 200 * 1000000);
    raw_stop(&s);
    cr_assert_eq(r.v0, 0);
    cr_assert_eq(r.v1, 8, "TimedOut, got %" PRId64, r.v1);
}

RTC_TEST(http_errors, endless_body_stops_at_the_cap)
{
    peer_no_proxy();
    static const char head[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    raw_server s;
    cr_assert_eq(raw_start(&s, RAW_ENDLESS, head, sizeof head - 1), 0);
    char u[64];
    snprintf(u, sizeof u, "http://127.0.0.1:%d/", s.port);
    RtHttpRequest req = get(u);
    rtx_http_opts o = {.max_body = 1 << 20};   /* the engine with a 1 MiB cap */
    RtPair r = rtx_http_send(&req, 60 * SEC, &o);
    raw_stop(&s);
    cr_assert_eq(r.v0, 0);
    cr_assert_eq(r.v1, 203, "a body beyond the cap is refused, got %" PRId64, r.v1);
}

RTC_TEST(http_errors, declared_length_beyond_default_cap_is_refused_up_front)
{
    peer_no_proxy();
    /* 300 MiB announced, nothing sent: the 256 MiB cap refuses it at once */
    static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 314572800\r\n\r\nxx";
    raw_server s;
    cr_assert_eq(raw_start(&s, RAW_REPLY, reply, sizeof reply - 1), 0);
    RtPair r = raw_get(&s, 30 * SEC);
    raw_stop(&s);
    cr_assert_eq(r.v0, 0);
    cr_assert_eq(r.v1, 203, "got %" PRId64, r.v1);
}

RTC_TEST(http_errors, connection_refused)
{
    peer_no_proxy();
    char u[64];
    snprintf(u, sizeof u, "http://127.0.0.1:%d/", peer_free_port(0));
    RtHttpRequest r = get(u);
    RtPair p = native_http_send(&r, 10 * SEC);
    cr_assert_eq(p.v0, 0);
    cr_assert_eq(p.v1, 3, "got %" PRId64, p.v1);
}

RTC_TEST(http_errors, tls_errors_are_204)
{
    peer_no_proxy();
    peer p;
    cr_assert_eq(peer_nginx(&p, 1), 0, "nginx with TLS must start");
    char u[96];
    /* a self-signed certificate does not verify */
    snprintf(u, sizeof u, "https://127.0.0.1:%d/index.html", p.tls_port);
    RtHttpRequest r = get(u);
    RtPair res = native_http_send(&r, 20 * SEC);
    cr_assert_eq(res.v0, 0);
    cr_assert_eq(res.v1, 204, "untrusted certificate, got %" PRId64, res.v1);
    /* https to a plain HTTP port: the handshake fails */
    snprintf(u, sizeof u, "https://127.0.0.1:%d/index.html", p.port);
    r = get(u);
    res = native_http_send(&r, 20 * SEC);
    cr_assert_eq(res.v1, 204, "no TLS on the other end, got %" PRId64, res.v1);
    /* the TLS server works for plain requests on its other port */
    snprintf(u, sizeof u, "http://127.0.0.1:%d/index.html", p.port);
    r = get(u);
    res = native_http_send(&r, 20 * SEC);
    cr_assert_eq(res.v1, 0);
    native_http_response_free(RESP(res.v0));
    peer_stop(&p);
}

RTC_TEST(http_errors, invalid_urls_are_201)
{
    peer_no_proxy();
    static const char *const bad[] = {
        "", "not a url", "ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1/",
        "127.0.0.1/index.html", "http://", "http://[::1/", "http://a b/", "mailto:x@y",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RtHttpRequest r = get(bad[i]);
        RtPair p = native_http_send(&r, SEC);
        cr_assert_eq(p.v0, 0);
        cr_assert_eq(p.v1, 201, "'%s': got %" PRId64, bad[i], p.v1);
    }
    RtHttpRequest r = {.url = NULL, .url_len = 10};
    cr_assert_eq(native_http_send(&r, SEC).v1, 201);
    r = (RtHttpRequest){.url = (const uint8_t *)"http://x/", .url_len = 0};
    cr_assert_eq(native_http_send(&r, SEC).v1, 201);
    r.url_len = -5;
    cr_assert_eq(native_http_send(&r, SEC).v1, 201);
    r = (RtHttpRequest){.url = (const uint8_t *)"http://127.0.0.1\0/", .url_len = 18};
    cr_assert_eq(native_http_send(&r, SEC).v1, 201, "an embedded NUL");
    static char huge[65538];
    memset(huge, 'a', sizeof huge);
    memcpy(huge, "http://", 7);
    r = (RtHttpRequest){.url = (const uint8_t *)huge, .url_len = 65537};
    cr_assert_eq(native_http_send(&r, SEC).v1, 201, "longer than 65536 bytes");
}

RTC_TEST(http_errors, hostile_request_records)
{
    peer_no_proxy();
    cr_assert_eq(native_http_send(NULL, SEC).v1, 11);
    cr_assert_eq(native_http_send(NULL, SEC).v0, 0);
    const char *u = "http://127.0.0.1:1/";
    RtHttpHeader ok = {(const uint8_t *)"A", 1, (const uint8_t *)"b", 1};
    RtHttpHeader bad_headers[] = {
        {NULL, 1, (const uint8_t *)"b", 1},
        {(const uint8_t *)"A", 0, (const uint8_t *)"b", 1},
        {(const uint8_t *)"A", -1, (const uint8_t *)"b", 1},
        {(const uint8_t *)"A", 1, NULL, 1},
        {(const uint8_t *)"A", 1, (const uint8_t *)"b", -1},
        {(const uint8_t *)"A:B", 3, (const uint8_t *)"b", 1},
        {(const uint8_t *)"A B", 3, (const uint8_t *)"b", 1},
        {(const uint8_t *)"A", 1, (const uint8_t *)"b\r\nInjected: 1", 15},
        {(const uint8_t *)"A", 1, (const uint8_t *)"b\nc", 3},
        {(const uint8_t *)"A\n", 2, (const uint8_t *)"b", 1},
        {(const uint8_t *)"A", 1, (const uint8_t *)"b\0c", 3},
        {(const uint8_t *)"A", 1, (const uint8_t *)"b", INT64_C(1) << 40},
    };
    for (size_t i = 0; i < sizeof bad_headers / sizeof bad_headers[0]; i++) {
        RtHttpHeader hs[2] = {ok, bad_headers[i]};
        RtHttpRequest r = get(u);
        r.headers = hs;
        r.headers_count = 2;
        RtPair p = native_http_send(&r, SEC);
        cr_assert_eq(p.v1, 11, "header %zu: got %" PRId64, i, p.v1);
        cr_assert_eq(p.v0, 0);
    }
    RtHttpRequest r = get(u);
    r.headers_count = 1;   /* NULL headers with a count */
    cr_assert_eq(native_http_send(&r, SEC).v1, 11);
    r.headers = &ok;
    r.headers_count = -1;
    cr_assert_eq(native_http_send(&r, SEC).v1, 11);
    r.headers_count = 1025;
    cr_assert_eq(native_http_send(&r, SEC).v1, 11, "more than 1024 headers");
    r = get(u);
    r.body_len = 4;   /* NULL body with a length */
    cr_assert_eq(native_http_send(&r, SEC).v1, 11);
    r.body = (const uint8_t *)"abcd";
    r.body_len = -1;
    cr_assert_eq(native_http_send(&r, SEC).v1, 11);
    r.body_len = INT64_MAX;
    cr_assert_eq(native_http_send(&r, SEC).v1, 11, "a body above 1 GiB");
}

RTC_TEST(http_errors, response_free_ignores_foreign_pointers)
{
    native_http_response_free(NULL);
    RtHttpResponse fake = {200, 0, NULL};
    native_http_response_free(&fake);   /* never handed out: ignored */
    static uint8_t body[] = "x";
    RtHttpResponse fake2 = {200, 1, body};
    native_http_response_free(&fake2);
    cr_assert_eq(fake2.body, body, "untouched");
}

/* The request that reaches the server carries the caller's headers and
 * body exactly, and no header libcurl would add on its own for a body. */
RTC_TEST(http_errors, request_bytes_on_the_wire)
{
    peer_no_proxy();
    static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    raw_server s;
    cr_assert_eq(raw_start(&s, RAW_REPLY, reply, sizeof reply - 1), 0);
    char u[64];
    snprintf(u, sizeof u, "http://127.0.0.1:%d/path?q=1", s.port);
    RtHttpHeader h[] = {
        {(const uint8_t *)"X-One", 5, (const uint8_t *)"1", 1},
        {(const uint8_t *)"X-Empty", 7, (const uint8_t *)"", 0},
        {(const uint8_t *)"Content-Type", 12, (const uint8_t *)"application/json", 16},
    };
    RtHttpRequest r = {.method = 1, .url = (const uint8_t *)u, .url_len = (int64_t)strlen(u),
                       .body = (const uint8_t *)"{\"k\":2}", .body_len = 7, .headers = h,
                       .headers_count = 3};
    RtPair p = native_http_send(&r, 10 * SEC);
    raw_stop(&s);
    cr_assert_eq(p.v1, 0);
    native_http_response_free(RESP(p.v0));
    cr_assert(strncmp(s.request, "POST /path?q=1 HTTP/1.1\r\n", 25) == 0, "%s", s.request);
    cr_assert_not_null(strstr(s.request, "\r\nX-One: 1\r\n"), "%s", s.request);
    cr_assert_not_null(strstr(s.request, "\r\nX-Empty:"), "an empty header is sent");
    cr_assert_not_null(strstr(s.request, "\r\nContent-Type: application/json\r\n"));
    cr_assert_not_null(strstr(s.request, "\r\nContent-Length: 7\r\n"));
    cr_assert_null(strstr(s.request, "x-www-form-urlencoded"), "no implicit form type");
    cr_assert_null(strstr(s.request, "Expect:"), "no 100-continue wait");
    size_t n = strlen(s.request);
    cr_assert(n >= 7 && strcmp(s.request + n - 7, "{\"k\":2}") == 0, "the body, last");
}
