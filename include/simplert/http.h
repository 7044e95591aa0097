/*
 * simplert/http.h — one-shot HTTP(S) client requests on libcurl.
 * Contract: spec/ffi/http.sdn. native_http_send returns v0 = an
 * RtHttpResponse * (as int64_t; 0 on error) and v1 = a NetError code;
 * free the response with native_http_response_free.
 *
 * Every field is 8 bytes, so the records equal upstream's i64 layouts.
 */
#ifndef SIMPLERT_HTTP_H
#define SIMPLERT_HTTP_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One request header: name and value bytes (no NUL needed). */
typedef struct RtHttpHeader {
    const uint8_t *name;
    int64_t name_len;
    const uint8_t *value;
    int64_t value_len;
} RtHttpHeader;

/* method: 0 GET, 1 POST, 2 PUT, 3 DELETE, 4 PATCH, 5 HEAD, other values GET. */
typedef struct RtHttpRequest {
    int64_t method;
    const uint8_t *url;
    int64_t url_len;
    const uint8_t *body;
    int64_t body_len;
    const RtHttpHeader *headers;
    int64_t headers_count;
} RtHttpRequest;

/* body holds body_len bytes followed by a NUL. */
typedef struct RtHttpResponse {
    int64_t status;
    int64_t body_len;
    uint8_t *body;
} RtHttpResponse;

RT_API RtPair native_http_send(const RtHttpRequest *request, int64_t timeout_ns);
RT_API void native_http_response_free(RtHttpResponse *response);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_HTTP_H */
