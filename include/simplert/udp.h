/*
 * simplert/udp.h — UDP sockets behind integer handles (the table is shared
 * with TCP). Contract: spec/ffi/udp.sdn; NetError convention as tcp.h.
 * Address text returned by recv_from, peek_from and peer_addr is freed with
 * native_net_addr_free (declared in tcp.h, included here).
 */
#ifndef SIMPLERT_UDP_H
#define SIMPLERT_UDP_H

#include "simplert/core.h"
#include "simplert/tcp.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtPair native_udp_bind(const uint8_t *addr, int64_t addr_len);
RT_API int64_t native_udp_connect(int64_t handle, const uint8_t *addr, int64_t addr_len);
RT_API RtTriple native_udp_recv_from(int64_t handle, uint8_t *buf, int64_t len);
RT_API RtPair native_udp_recv(int64_t handle, uint8_t *buf, int64_t len);
RT_API RtPair native_udp_send_to(int64_t handle, const uint8_t *data, int64_t len, const uint8_t *addr, int64_t addr_len);
RT_API RtPair native_udp_send(int64_t handle, const uint8_t *data, int64_t len);
RT_API RtTriple native_udp_peek_from(int64_t handle, uint8_t *buf, int64_t len);
RT_API RtPair native_udp_peek(int64_t handle, uint8_t *buf, int64_t len);
RT_API RtPair native_udp_peer_addr(int64_t handle);
RT_API int64_t native_udp_set_broadcast(int64_t handle, int64_t broadcast);
RT_API int64_t native_udp_set_multicast_loop(int64_t handle, int64_t on);
RT_API int64_t native_udp_set_multicast_ttl(int64_t handle, int64_t ttl);
RT_API int64_t native_udp_set_ttl(int64_t handle, int64_t ttl);
RT_API int64_t native_udp_set_read_timeout(int64_t handle, int64_t timeout_ns);
RT_API int64_t native_udp_set_write_timeout(int64_t handle, int64_t timeout_ns);
RT_API RtPair native_udp_get_broadcast(int64_t handle);
RT_API RtPair native_udp_get_ttl(int64_t handle);
RT_API int64_t native_udp_join_multicast_v4(int64_t handle, int64_t multiaddr, int64_t interface);
RT_API int64_t native_udp_leave_multicast_v4(int64_t handle, int64_t multiaddr, int64_t interface);
RT_API int64_t native_udp_join_multicast_v6(int64_t handle, const uint8_t *multiaddr, int64_t interface_index);
RT_API int64_t native_udp_leave_multicast_v6(int64_t handle, const uint8_t *multiaddr, int64_t interface_index);
RT_API int64_t native_udp_close(int64_t handle);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_UDP_H */
