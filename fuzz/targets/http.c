/*
 * fuzz/targets/http.c — native_http_send and native_http_response_free
 * (spec/ffi/http.sdn) against a local server that replays the fuzz input.
 *
 * Input: byte 0 picks the method, byte 1 the shape of the request record
 * (body, headers, or a hostile record), the rest is what the server answers
 * to every connection (so redirects loop back to it) before it closes.
 * Every connection, whatever host a Location names, is pinned to that
 * server (CURLOPT_CONNECT_TO through the engine's options), and a request
 * never takes more than 1 s, so nothing leaves the host or hangs.
 *
 * Oracles: the code is one the family documents; a response exists exactly
 * when the code is 0, has a status in 100..399, a NUL after its body, and a
 * body no longer than the bytes the server sent; freeing it twice, or
 * freeing a record the runtime never returned, is harmless.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz/rtz.h"
#include "net/http_opts.h"

#define MAX_REPLY 65536

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t reply[MAX_REPLY];
static size_t reply_len;
static int port;

/* Read until the end of the request head (or a pause), then answer. */
static void serve(int fd)
{
    char buf[4096];
    size_t have = 0;
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    while (have < sizeof buf - 1 && poll(&pf, 1, 200) == 1) {
        ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
        if (n <= 0)
            break;
        have += (size_t)n;
        buf[have] = 0;
        if (strstr(buf, "\r\n\r\n"))
            break;
    }
    pthread_mutex_lock(&lock);
    size_t len = reply_len;
    static uint8_t copy[MAX_REPLY];
    memcpy(copy, reply, len);
    pthread_mutex_unlock(&lock);
    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, copy + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    while (poll(&pf, 1, 200) == 1 && recv(fd, buf, sizeof buf, 0) > 0)
        ;
}

static void *server(void *arg)
{
    int lfd = (int)(intptr_t)arg;
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            continue;
        serve(fd);
        close(fd);
    }
    return NULL;
}

static void start_server(void)
{
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, len) != 0 || listen(lfd, 64) != 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &len) != 0) {
        fprintf(stderr, "http target: cannot listen on loopback\n");
        abort();
    }
    port = ntohs(a.sin_port);
    pthread_t t;
    if (pthread_create(&t, NULL, server, (void *)(intptr_t)lfd) != 0)
        abort();
    pthread_detach(t);
    /* no proxy may take these requests elsewhere */
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
}

static int valid(int64_t e)
{
    return e == 0 || e == 3 || e == 8 || e == 11 || e == 255 || (e >= 200 && e <= 204);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, start_server);
    if (size < 2)
        return 0;
    int64_t method = (int8_t)data[0];
    uint8_t shape = data[1];
    pthread_mutex_lock(&lock);
    reply_len = size - 2 > MAX_REPLY ? MAX_REPLY : size - 2;
    memcpy(reply, data + 2, reply_len);
    pthread_mutex_unlock(&lock);

    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/p%u", port, shape);
    RtHttpHeader headers[3] = {
        {(const uint8_t *)"X-Fuzz", 6, data + 2, reply_len < 8 ? (int64_t)reply_len : 8},
        {(const uint8_t *)"Accept", 6, (const uint8_t *)"*/*", 3},
        {(const uint8_t *)"X-Empty", 7, (const uint8_t *)"", 0},
    };
    RtHttpRequest req = {.method = method, .url = (const uint8_t *)url,
                         .url_len = (int64_t)strlen(url)};
    if (shape & 1) {
        req.body = data;
        req.body_len = (int64_t)(size < 64 ? size : 64);
    }
    if (shape & 2) {
        req.headers = headers;
        req.headers_count = 3;
    }
    int hostile = (shape >> 2) % 8;
    if (hostile == 1)
        req.body_len = -1;
    else if (hostile == 2)
        req.headers_count = 2000;
    else if (hostile == 3)
        req.url_len = 0;

    char pin[64];
    snprintf(pin, sizeof pin, "::127.0.0.1:%d", port);
    rtx_http_opts o = {.max_body = (shape & 32) ? 1024 : 0, .connect_to = pin};
    RtPair r = hostile == 4 ? native_http_send(NULL, 1000000000)
                            : rtx_http_send(&req, 1000000000, &o);
    RTZ_CHECK(valid(r.v1));
    RTZ_CHECK((r.v0 != 0) == (r.v1 == 0));
    if (hostile == 1 || hostile == 2 || hostile == 4)
        RTZ_CHECK(r.v1 == 11);
    if (hostile == 3)   /* a fuzzed header may be refused first */
        RTZ_CHECK(r.v1 == 201 || r.v1 == 11);
    if (r.v0) {
        RtHttpResponse *resp = (RtHttpResponse *)(intptr_t)r.v0;
        RTZ_CHECK(resp->status >= 100 && resp->status < 400);
        RTZ_CHECK(resp->body_len >= 0 && (size_t)resp->body_len <= reply_len);
        RTZ_CHECK(resp->body != NULL && resp->body[resp->body_len] == 0);
        RTZ_CHECK(!(shape & 32) || resp->body_len <= 1024);
        native_http_response_free(resp);
        native_http_response_free(resp);   /* a second free is ignored */
    }
    RtHttpResponse fake = {200, 0, NULL};
    native_http_response_free(&fake);
    return 0;
}
