/*
 * net/http.c — one-shot HTTP(S) requests on libcurl.
 *
 * Implements (spec/ffi/http.sdn): native_http_send, native_http_response_free.
 *
 * One easy handle per request (no connection reuse between calls, as each
 * call is independent). http and https only, also for redirects; at most
 * RTX_HTTP_MAX_REDIRECTS redirects; certificate verification on (libcurl's
 * default). The response body is collected up to a cap: a Content-Length
 * above it is refused before the body arrives, a longer body without one is
 * cut off as soon as it passes the cap, so a hostile server cannot make the
 * runtime allocate more than the cap.
 */
#include <curl/curl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net/http_opts.h"
#include "net/net.h"
#include "runtime/mem.h"

typedef struct sink {
    uint8_t *buf;
    size_t len, cap;
    size_t max;
    int over;   /* the body passed the cap */
    int oom;
} sink;

static void global_init(void);
static int64_t check_request(const RtHttpRequest *r);
static int64_t check_url(const RtHttpRequest *r, CURLU **out);
static int64_t build_headers(const RtHttpRequest *r, struct curl_slist **out);
static int set_method(CURL *c, const RtHttpRequest *r);
static size_t on_body(char *data, size_t size, size_t n, void *user);
static int64_t map_curl(CURLcode rc, const sink *body, const char *msg);
static RtPair finish(CURL *c, sink *body);

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_rc = CURLE_FAILED_INIT;

RT_API RtPair native_http_send(const RtHttpRequest *request, int64_t timeout_ns)
{
    return rtx_http_send(request, timeout_ns, NULL);
}

RT_API void native_http_response_free(RtHttpResponse *response)
{
    if (response == NULL || !rtx_ptrset_remove(&rtx_net_responses, response))
        return;
    rtx_free(response->body);
    rtx_free(response);
}

RtPair rtx_http_send(const RtHttpRequest *request, int64_t timeout_ns, const rtx_http_opts *o)
{
    int64_t err = check_request(request);
    if (err != RTX_NET_OK)
        return (RtPair){0, err};
    CURLU *url = NULL;
    if ((err = check_url(request, &url)) != RTX_NET_OK)
        return (RtPair){0, err};
    struct curl_slist *headers = NULL, *connect_to = NULL;
    CURL *c = NULL;
    sink body = {.max = (size_t)(o && o->max_body > 0 ? o->max_body : RTX_HTTP_MAX_BODY)};
    char msg[CURL_ERROR_SIZE] = "";
    RtPair result = {0, RTX_NET_UNKNOWN};
    if ((err = build_headers(request, &headers)) != RTX_NET_OK) {
        result.v1 = err;
        goto out;
    }
    pthread_once(&init_once, global_init);
    if (init_rc != CURLE_OK || (c = curl_easy_init()) == NULL)
        goto out;
    if (o && o->connect_to && (connect_to = curl_slist_append(NULL, o->connect_to)) == NULL)
        goto out;
    long timeout_ms = 0;
    if (timeout_ns > 0) {
        int64_t ms = timeout_ns / 1000000 + (timeout_ns % 1000000 != 0);   /* round up */
        timeout_ms = ms > LONG_MAX ? LONG_MAX : (long)ms;
    }
    int bad = 0;
    bad |= curl_easy_setopt(c, CURLOPT_CURLU, url) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;   /* threads: no SIGALRM */
    bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)RTX_HTTP_MAX_REDIRECTS) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)body.max) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, &body) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, msg) != CURLE_OK;
    if (connect_to)
        bad |= curl_easy_setopt(c, CURLOPT_CONNECT_TO, connect_to) != CURLE_OK;
    if (bad || set_method(c, request) != 0)
        goto out;
    CURLcode rc = curl_easy_perform(c);
    result = rc == CURLE_OK ? finish(c, &body) : (RtPair){0, map_curl(rc, &body, msg)};
out:
    if (c)
        curl_easy_cleanup(c);
    curl_slist_free_all(headers);
    curl_slist_free_all(connect_to);
    curl_url_cleanup(url);
    rtx_free(body.buf);   /* NULL when finish() took it */
    return result;
}

/* ---- helpers ---- */

static void global_init(void) { init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

static int64_t check_request(const RtHttpRequest *r)
{
    if (r == NULL)
        return RTX_NET_INVALID_INPUT;
    if (r->body_len < 0 || r->body_len > RTX_HTTP_MAX_REQUEST_BODY ||
        (r->body == NULL && r->body_len > 0))
        return RTX_NET_INVALID_INPUT;
    if (r->headers_count < 0 || r->headers_count > RTX_HTTP_MAX_HEADERS ||
        (r->headers == NULL && r->headers_count > 0))
        return RTX_NET_INVALID_INPUT;
    for (int64_t i = 0; i < r->headers_count; i++) {
        const RtHttpHeader *h = &r->headers[i];
        if (h->name == NULL || h->name_len <= 0 || h->name_len > RTX_HTTP_MAX_HEADER_FIELD ||
            h->value_len < 0 || h->value_len > RTX_HTTP_MAX_HEADER_FIELD ||
            (h->value == NULL && h->value_len > 0))
            return RTX_NET_INVALID_INPUT;
        /* No header splitting: CR, LF and NUL nowhere, ':' and blanks not in names. */
        for (int64_t k = 0; k < h->name_len; k++) {
            uint8_t ch = h->name[k];
            if (ch <= ' ' || ch == ':' || ch == 0x7F)
                return RTX_NET_INVALID_INPUT;
        }
        for (int64_t k = 0; k < h->value_len; k++)
            if (h->value[k] == '\r' || h->value[k] == '\n' || h->value[k] == 0)
                return RTX_NET_INVALID_INPUT;
    }
    return RTX_NET_OK;
}

/* A URL libcurl parses, whose scheme is http or https; *out owns it. */
static int64_t check_url(const RtHttpRequest *r, CURLU **out)
{
    *out = NULL;
    if (r->url == NULL || r->url_len <= 0 || r->url_len > RTX_HTTP_MAX_URL ||
        memchr(r->url, 0, (size_t)r->url_len) != NULL)
        return RTX_NET_HTTP_INVALID_URL;
    char *text = rtx_strndup((const char *)r->url, (size_t)r->url_len);
    CURLU *u = text ? curl_url() : NULL;
    if (u == NULL) {
        rtx_free(text);
        return RTX_NET_UNKNOWN;
    }
    char *scheme = NULL;
    int ok = curl_url_set(u, CURLUPART_URL, text, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
             (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
    curl_free(scheme);
    rtx_free(text);
    if (!ok) {
        curl_url_cleanup(u);
        return RTX_NET_HTTP_INVALID_URL;
    }
    *out = u;
    return RTX_NET_OK;
}

static int has_header(const RtHttpRequest *r, const char *name)
{
    size_t n = strlen(name);
    for (int64_t i = 0; i < r->headers_count; i++)
        if ((size_t)r->headers[i].name_len == n &&
            strncasecmp((const char *)r->headers[i].name, name, n) == 0)
            return 1;
    return 0;
}

static int append(struct curl_slist **list, const char *line)
{
    struct curl_slist *n = curl_slist_append(*list, line);
    if (n == NULL)
        return -1;
    *list = n;
    return 0;
}

/* The caller's headers, in order, as "Name: value" ("Name;" for an empty
 * value, which is how libcurl sends one). libcurl's own Content-Type
 * (form-urlencoded, added with a body) and Expect: 100-continue are
 * suppressed unless the caller sets them: the body is sent as given. */
static int64_t build_headers(const RtHttpRequest *r, struct curl_slist **out)
{
    *out = NULL;
    if ((!has_header(r, "Content-Type") && append(out, "Content-Type:") != 0) ||
        (!has_header(r, "Expect") && append(out, "Expect:") != 0))
        return RTX_NET_UNKNOWN;
    for (int64_t i = 0; i < r->headers_count; i++) {
        const RtHttpHeader *h = &r->headers[i];
        size_t n = (size_t)h->name_len, v = (size_t)h->value_len;
        char *line = rtx_malloc(n + v + 3);
        if (line == NULL)
            return RTX_NET_UNKNOWN;
        memcpy(line, h->name, n);
        if (v == 0) {
            line[n] = ';';
            line[n + 1] = 0;
        } else {
            line[n] = ':';
            line[n + 1] = ' ';
            memcpy(line + n + 2, h->value, v);
            line[n + 2 + v] = 0;
        }
        int rc = append(out, line);
        rtx_free(line);
        if (rc != 0)
            return RTX_NET_UNKNOWN;
    }
    return RTX_NET_OK;
}

/* 0 GET, 1 POST, 2 PUT, 3 DELETE, 4 PATCH, 5 HEAD, anything else GET. The
 * body goes with every method but HEAD; PUT and PATCH always send one (an
 * empty one is Content-Length: 0). */
static int set_method(CURL *c, const RtHttpRequest *r)
{
    static const char *const names[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
    int64_t m = r->method >= 0 && r->method <= 5 ? r->method : 0;
    if (m == 5)
        return curl_easy_setopt(c, CURLOPT_NOBODY, 1L) != CURLE_OK;
    int with_body = r->body_len > 0 || m == 1 || m == 2 || m == 4;
    int bad = 0;
    if (with_body) {
        bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len) != CURLE_OK;
        bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDS,
                                r->body_len > 0 ? (const char *)r->body : "") != CURLE_OK;
    }
    /* POST stays libcurl's POST (it turns into GET on a 301/302/303, as
     * browsers do); other methods are named explicitly and are kept. */
    if (m != 1 && (with_body || m != 0))
        bad |= curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, names[m]) != CURLE_OK;
    return bad;
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    sink *s = user;
    size_t add = size * n;   /* libcurl guarantees size == 1 */
    if (add > s->max - s->len) {
        s->over = 1;
        return 0;   /* anything but add: libcurl stops with CURLE_WRITE_ERROR */
    }
    if (s->len + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + add + 1)
            cap *= 2;
        if (cap > s->max + 1)
            cap = s->max + 1;
        uint8_t *b = rtx_realloc(s->buf, cap);
        if (b == NULL) {
            s->oom = 1;
            return 0;
        }
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, add);
    s->len += add;
    return add;
}

/* A finished transfer: statuses >= 400 are errors (200), as upstream;
 * a status outside 100..999 is no HTTP status (203). */
static RtPair finish(CURL *c, sink *body)
{
    long status = 0;
    if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
        return (RtPair){0, RTX_NET_UNKNOWN};
    if (status < 100 || status > 999)   /* libcurl let a malformed status line through */
        return (RtPair){0, RTX_NET_HTTP_INVALID_RESPONSE};
    if (status >= 400)
        return (RtPair){0, RTX_NET_HTTP_ERROR};
    if (body->buf == NULL && (body->buf = rtx_malloc(1)) == NULL)
        return (RtPair){0, RTX_NET_UNKNOWN};
    body->buf[body->len] = 0;   /* on_body always leaves room for it */
    RtHttpResponse *r = rtx_malloc(sizeof *r);
    if (r == NULL || rtx_ptrset_add(&rtx_net_responses, r) != 0) {
        rtx_free(r);
        return (RtPair){0, RTX_NET_UNKNOWN};
    }
    r->status = status;
    r->body_len = (int64_t)body->len;
    r->body = body->buf;
    body->buf = NULL;
    return (RtPair){(int64_t)(intptr_t)r, RTX_NET_OK};
}

static int64_t map_curl(CURLcode rc, const sink *body, const char *msg)
{
    /* libcurl reports a malformed chunked body as a receive error too; its
     * message ("Problem (n) in the Chunked-Encoded data") tells them apart. */
    if (rc == CURLE_RECV_ERROR && strstr(msg, "hunk") != NULL)
        return RTX_NET_HTTP_INVALID_RESPONSE;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return RTX_NET_CONN_REFUSED;
    case CURLE_OPERATION_TIMEDOUT:
        return RTX_NET_TIMED_OUT;
    case CURLE_TOO_MANY_REDIRECTS:
        return RTX_NET_HTTP_TOO_MANY_REDIRECTS;
    case CURLE_URL_MALFORMAT:
        return RTX_NET_HTTP_INVALID_URL;
    case CURLE_WRITE_ERROR:
        return body->over ? RTX_NET_HTTP_INVALID_RESPONSE : RTX_NET_UNKNOWN;
    case CURLE_FILESIZE_EXCEEDED: case CURLE_WEIRD_SERVER_REPLY: case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE: case CURLE_BAD_CONTENT_ENCODING: case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: case CURLE_UNSUPPORTED_PROTOCOL: case CURLE_HTTP_RETURNED_ERROR:
        /* UNSUPPORTED_PROTOCOL here (the URL was checked before): an HTTP/0.9
         * reply or a redirect to a scheme other than http/https */
        return RTX_NET_HTTP_INVALID_RESPONSE;
    case CURLE_SSL_CONNECT_ERROR: case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM: case CURLE_SSL_CIPHER: case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND: case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED: case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE: case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH: case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT: case CURLE_USE_SSL_FAILED:
        return RTX_NET_TLS_ERROR;
    case CURLE_SEND_ERROR: case CURLE_RECV_ERROR: case CURLE_OUT_OF_MEMORY:
        return RTX_NET_UNKNOWN;
    default:
        return RTX_NET_HTTP_ERROR;
    }
}
