/*
 * net/http_opts.h — the HTTP request engine behind native_http_send, with
 * the knobs tests and the fuzz target need (a smaller body cap, and every
 * connection pinned to one loopback server). Not part of the ABI.
 */
#ifndef RTX_HTTP_OPTS_H
#define RTX_HTTP_OPTS_H

#include "simplert/http.h"

/* Default cap on a response body (bytes). */
#define RTX_HTTP_MAX_BODY (INT64_C(256) << 20)
#define RTX_HTTP_MAX_URL 65536
#define RTX_HTTP_MAX_HEADERS 1024
#define RTX_HTTP_MAX_HEADER_FIELD 65536   /* bytes in one header name or value */
#define RTX_HTTP_MAX_REQUEST_BODY (INT64_C(1) << 30)
#define RTX_HTTP_MAX_REDIRECTS 10

typedef struct rtx_http_opts {
    int64_t max_body;         /* response body cap in bytes; <= 0: RTX_HTTP_MAX_BODY */
    const char *connect_to;   /* a CURLOPT_CONNECT_TO entry, e.g. "::127.0.0.1:8080"; or NULL */
} rtx_http_opts;

/* native_http_send with options (o may be NULL: the defaults). */
RtPair rtx_http_send(const RtHttpRequest *request, int64_t timeout_ns, const rtx_http_opts *o);

#endif /* RTX_HTTP_OPTS_H */
