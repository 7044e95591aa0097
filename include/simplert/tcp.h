/*
 * simplert/tcp.h — TCP listeners and streams behind integer socket handles.
 * Contract: spec/ffi/tcp.sdn. Every function reports a NetError code
 * (0 success, 100 invalid handle, 101 invalid address, ...): alone, in v1 of
 * an RtPair (v0 = value) or in v2 of an RtTriple (v0 = value, v1 = address
 * text). Returned address text is freed with native_net_addr_free.
 */
#ifndef SIMPLERT_TCP_H
#define SIMPLERT_TCP_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtPair native_tcp_bind(const uint8_t *addr, int64_t addr_len);
RT_API RtTriple native_tcp_accept(int64_t handle);
RT_API RtTriple native_tcp_connect(const uint8_t *addr, int64_t addr_len);
RT_API RtTriple native_tcp_connect_timeout(const uint8_t *addr, int64_t addr_len, int64_t timeout_ns);
RT_API RtPair native_tcp_read(int64_t handle, uint8_t *buf, int64_t len);
RT_API RtPair native_tcp_write(int64_t handle, const uint8_t *data, int64_t len);
RT_API int64_t native_tcp_flush(int64_t handle);
RT_API int64_t native_tcp_shutdown(int64_t handle, int64_t how);
RT_API int64_t native_tcp_close(int64_t handle);
RT_API int64_t native_tcp_set_backlog(int64_t handle, int64_t backlog);
RT_API int64_t native_tcp_set_nodelay(int64_t handle, int64_t nodelay);
RT_API int64_t native_tcp_set_keepalive(int64_t handle, int64_t keepalive_ns);
RT_API int64_t native_tcp_set_read_timeout(int64_t handle, int64_t timeout_ns);
RT_API int64_t native_tcp_set_write_timeout(int64_t handle, int64_t timeout_ns);
RT_API RtPair native_tcp_get_nodelay(int64_t handle);
RT_API RtPair native_tcp_peek(int64_t handle, uint8_t *buf, int64_t len);
RT_API void native_net_addr_free(char *addr);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_TCP_H */
