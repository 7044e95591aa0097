/* Conformance: native_http_send and native_http_response_free against a
 * real nginx on loopback — methods, headers, bodies large and chunked,
 * HEAD, redirects and error statuses (spec/ffi/http.sdn). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"

#define RESP(v) ((RtHttpResponse *)(intptr_t)(v))
#define SEC INT64_C(1000000000)

static RtPair request(int64_t method, const char *url, const char *body,
                      const RtHttpHeader *headers, int64_t nheaders)
{
    RtHttpRequest r = {
        .method = method, .url = (const uint8_t *)url, .url_len = (int64_t)strlen(url),
        .body = (const uint8_t *)body, .body_len = body ? (int64_t)strlen(body) : 0,
        .headers = headers, .headers_count = nheaders,
    };
    return native_http_send(&r, 20 * SEC);
}

static void start(peer *p)
{
    peer_no_proxy();
    cr_assert_eq(peer_nginx(p, 0), 0, "nginx must start");
}

static void url(char *buf, size_t n, const peer *p, const char *path)
{
    snprintf(buf, n, "http://127.0.0.1:%d%s", p->port, path);
}

RTC_TEST(http_send, get_static_file)
{
    peer p;
    start(&p);
    char u[128];
    url(u, sizeof u, &p, "/index.html");
    RtPair r = request(0, u, NULL, NULL, 0);
    cr_assert_eq(r.v1, 0, "GET: %" PRId64, r.v1);
    RtHttpResponse *resp = RESP(r.v0);
    cr_assert_not_null(resp);
    cr_assert_eq(resp->status, 200);
    cr_assert_eq(resp->body_len, 17);
    cr_assert_str_eq((const char *)resp->body, "hello from nginx\n", "NUL-terminated body");
    native_http_response_free(resp);
    native_http_response_free(resp);   /* a second free is ignored */
    peer_stop(&p);
}

RTC_TEST(http_send, large_body_exact_bytes)
{
    peer p;
    start(&p);
    enum { N = 3 * 1000 * 1000 + 7 };
    uint8_t *data = malloc(N);
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (uint8_t)(x >> 16);
    }
    char path[160];
    snprintf(path, sizeof path, "%s/big.bin", peer_www(&p));
    FILE *f = fopen(path, "wb");
    cr_assert_eq(fwrite(data, 1, N, f), (size_t)N);
    fclose(f);
    char u[128];
    url(u, sizeof u, &p, "/big.bin");
    RtPair r = request(0, u, NULL, NULL, 0);
    cr_assert_eq(r.v1, 0);
    RtHttpResponse *resp = RESP(r.v0);
    cr_assert_eq(resp->body_len, N);
    cr_assert(memcmp(resp->body, data, N) == 0, "3 MB body differs");
    cr_assert_eq(resp->body[N], 0);
    native_http_response_free(resp);
    free(data);
    peer_stop(&p);
}

RTC_TEST(http_send, chunked_body)
{
    peer p;
    start(&p);
    char u[128];
    url(u, sizeof u, &p, "/chunked");
    RtPair r = request(0, u, NULL, NULL, 0);
    cr_assert_eq(r.v1, 0);
    cr_assert_str_eq((const char *)RESP(r.v0)->body, "part1\npart2\n");
    cr_assert_eq(RESP(r.v0)->body_len, 12);
    native_http_response_free(RESP(r.v0));
    peer_stop(&p);
}

RTC_TEST(http_send, head_has_status_and_no_body)
{
    peer p;
    start(&p);
    char u[128];
    url(u, sizeof u, &p, "/index.html");
    RtPair r = request(5, u, "ignored", NULL, 0);
    cr_assert_eq(r.v1, 0);
    cr_assert_eq(RESP(r.v0)->status, 200);
    cr_assert_eq(RESP(r.v0)->body_len, 0);
    cr_assert_not_null(RESP(r.v0)->body);
    cr_assert_eq(RESP(r.v0)->body[0], 0);
    native_http_response_free(RESP(r.v0));
    peer_stop(&p);
}

/* /echo answers "METHOD|X-Test|" followed by the request body. */
RTC_TEST(http_send, methods_bodies_and_headers)
{
    peer p;
    start(&p);
    char u[128];
    url(u, sizeof u, &p, "/echo");
    static const char *const names[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    RtHttpHeader h[2] = {
        {(const uint8_t *)"X-Test", 6, (const uint8_t *)"value 1", 7},
        {(const uint8_t *)"X-Other", 7, (const uint8_t *)"", 0},
    };
    for (int m = 0; m < 5; m++) {
        char body[32], want[96];
        snprintf(body, sizeof body, "body of %s", names[m]);
        snprintf(want, sizeof want, "%s|value 1|%s", names[m], body);
        RtPair r = request(m, u, body, h, 2);
        cr_assert_eq(r.v1, 0, "%s: %" PRId64, names[m], r.v1);
        cr_assert_str_eq((const char *)RESP(r.v0)->body, want, "method %d", m);
        native_http_response_free(RESP(r.v0));
    }
    /* no body: GET sends none; POST, PUT and PATCH send an empty one */
    for (int m = 0; m < 5; m++) {
        char want[64];
        snprintf(want, sizeof want, "%s||", names[m]);
        RtPair r = request(m, u, NULL, NULL, 0);
        cr_assert_eq(r.v1, 0);
        cr_assert_str_eq((const char *)RESP(r.v0)->body, want);
        native_http_response_free(RESP(r.v0));
    }
    /* any other method number is GET */
    int64_t others[] = {6, -1, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < 4; i++) {
        RtPair r = request(others[i], u, NULL, h, 1);
        cr_assert_eq(r.v1, 0);
        cr_assert_str_eq((const char *)RESP(r.v0)->body, "GET|value 1|");
        native_http_response_free(RESP(r.v0));
    }
    peer_stop(&p);
}

RTC_TEST(http_send, redirects_followed)
{
    peer p;
    start(&p);
    char u[128];
    url(u, sizeof u, &p, "/r302");   /* 302 -> /r301 -> 301 -> /index.html */
    RtPair r = request(0, u, NULL, NULL, 0);
    cr_assert_eq(r.v1, 0);
    cr_assert_eq(RESP(r.v0)->status, 200);
    cr_assert_str_eq((const char *)RESP(r.v0)->body, "hello from nginx\n");
    native_http_response_free(RESP(r.v0));
    peer_stop(&p);
}

RTC_TEST(http_send, redirect_loop_is_202)
{
    peer p;
    start(&p);
    char u[128];
    url(u, sizeof u, &p, "/loop");
    RtPair r = request(0, u, NULL, NULL, 0);
    cr_assert_eq(r.v0, 0);
    cr_assert_eq(r.v1, 202, "too many redirects, got %" PRId64, r.v1);
    peer_stop(&p);
}

RTC_TEST(http_send, error_statuses_are_200)
{
    peer p;
    start(&p);
    static const char *const paths[] = {"/missing", "/teapot"};
    for (int i = 0; i < 2; i++) {
        char u[128];
        url(u, sizeof u, &p, paths[i]);
        RtPair r = request(0, u, NULL, NULL, 0);
        cr_assert_eq(r.v0, 0, "%s: no response record", paths[i]);
        cr_assert_eq(r.v1, 200, "%s: status >= 400 is HttpError", paths[i]);
    }
    peer_stop(&p);
}

typedef struct par {
    const char *url;
    int ok;
} par;

static void *get_many(void *arg)
{
    par *p = arg;
    for (int i = 0; i < 5; i++) {
        RtPair r = request(0, p->url, NULL, NULL, 0);
        if (r.v1 == 0 && strcmp((const char *)RESP(r.v0)->body, "hello from nginx\n") == 0)
            p->ok++;
        native_http_response_free(RESP(r.v0));
    }
    return NULL;
}

/* Requests from several threads at once, the first of them racing to
 * initialise libcurl. */
RTC_TEST(http_send, concurrent_requests)
{
    peer p;
    start(&p);
    char u[128];
    url(u, sizeof u, &p, "/index.html");
    pthread_t t[4];
    par ps[4];
    for (int i = 0; i < 4; i++) {
        ps[i] = (par){u, 0};
        cr_assert_eq(pthread_create(&t[i], NULL, get_many, &ps[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(ps[i].ok, 5, "thread %d: %d of 5 requests answered", i, ps[i].ok);
    }
    peer_stop(&p);
}
