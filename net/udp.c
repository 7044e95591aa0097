/*
 * net/udp.c — UDP sockets on POSIX sockets.
 *
 * Implements (spec/ffi/udp.sdn): native_udp_bind, native_udp_connect,
 * native_udp_recv_from, native_udp_recv, native_udp_send_to,
 * native_udp_send, native_udp_peek_from, native_udp_peek,
 * native_udp_peer_addr, native_udp_set_broadcast,
 * native_udp_set_multicast_loop, native_udp_set_multicast_ttl,
 * native_udp_set_ttl, native_udp_set_read_timeout,
 * native_udp_set_write_timeout, native_udp_get_broadcast, native_udp_get_ttl,
 * native_udp_join_multicast_v4, native_udp_leave_multicast_v4,
 * native_udp_join_multicast_v6, native_udp_leave_multicast_v6,
 * native_udp_close.
 *
 * Socket options are the ones Rust's UdpSocket uses (upstream's
 * implementation): IP_TTL and IP_MULTICAST_TTL whatever the family,
 * ip_mreq/ipv6_mreq for membership. Argument checks come in upstream's
 * order: buffers, then addresses, then handles.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "net/net.h"
#include "simplert/udp.h"

static RtPair pair(int64_t v, int64_t err) { return (RtPair){v, err}; }
static RtTriple triple(int64_t v, int64_t addr, int64_t err) { return (RtTriple){v, addr, err}; }
static RtTriple recv_addr(int64_t handle, uint8_t *buf, int64_t len, int flags);
static RtPair recv_plain(int64_t handle, uint8_t *buf, int64_t len, int flags);
static int64_t setopt_int(int64_t handle, int level, int opt, int v);
static RtPair getopt_int(int64_t handle, int level, int opt);
static int64_t membership_v4(int64_t handle, int64_t group, int64_t iface, int opt);
static int64_t membership_v6(int64_t handle, const uint8_t *group, int64_t iface, int opt);
static int64_t clamp_io(int64_t len) { return len > RTX_NET_IO_MAX ? RTX_NET_IO_MAX : len; }

RT_API RtPair native_udp_bind(const uint8_t *addr, int64_t addr_len)
{
    rtx_net_addr a;
    if (rtx_net_addr_get(addr, addr_len, &a) != 0)
        return pair(0, RTX_NET_INVALID_ADDRESS);
    int fd = socket(a.ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return pair(0, rtx_net_errno(errno));
    if (bind(fd, (const struct sockaddr *)&a.ss, a.len) != 0) {
        int e = errno;
        close(fd);
        return pair(0, rtx_net_errno(e));
    }
    int64_t h = rtx_net_register(fd, RTX_SOCK_UDP);
    return h ? pair(h, RTX_NET_OK) : pair(0, RTX_NET_UNKNOWN);
}

RT_API int64_t native_udp_connect(int64_t handle, const uint8_t *addr, int64_t addr_len)
{
    rtx_net_addr a;
    if (rtx_net_addr_get(addr, addr_len, &a) != 0)
        return RTX_NET_INVALID_ADDRESS;
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int rc;
    do
        rc = connect(s->fd, (const struct sockaddr *)&a.ss, a.len);
    while (rc != 0 && errno == EINTR);
    int64_t r = rc == 0 ? RTX_NET_OK : rtx_net_fail(s, errno);
    rtx_net_put(s);
    return r;
}

RT_API RtTriple native_udp_recv_from(int64_t handle, uint8_t *buf, int64_t len)
{
    return recv_addr(handle, buf, len, 0);
}

RT_API RtPair native_udp_recv(int64_t handle, uint8_t *buf, int64_t len)
{
    return recv_plain(handle, buf, len, 0);
}

RT_API RtPair native_udp_send_to(int64_t handle, const uint8_t *data, int64_t len,
                                 const uint8_t *addr, int64_t addr_len)
{
    if (data == NULL || len <= 0 || len > RTX_NET_UDP_MAX)
        return pair(0, RTX_NET_INVALID_INPUT);
    rtx_net_addr a;
    if (rtx_net_addr_get(addr, addr_len, &a) != 0)
        return pair(0, RTX_NET_INVALID_ADDRESS);
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    ssize_t n;
    do
        n = sendto(s->fd, data, (size_t)len, MSG_NOSIGNAL, (const struct sockaddr *)&a.ss, a.len);
    while (n < 0 && errno == EINTR);
    RtPair r = n >= 0 ? pair(n, RTX_NET_OK) : pair(0, rtx_net_fail(s, errno));
    rtx_net_put(s);
    return r;
}

RT_API RtPair native_udp_send(int64_t handle, const uint8_t *data, int64_t len)
{
    if (data == NULL || len <= 0 || len > RTX_NET_UDP_MAX)
        return pair(0, RTX_NET_INVALID_INPUT);
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    ssize_t n;
    do
        n = send(s->fd, data, (size_t)len, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    /* An unconnected socket answers EDESTADDRREQ: that is "not connected". */
    RtPair r = n >= 0 ? pair(n, RTX_NET_OK)
                      : pair(0, errno == EDESTADDRREQ ? RTX_NET_NOT_CONNECTED : rtx_net_fail(s, errno));
    rtx_net_put(s);
    return r;
}

RT_API RtTriple native_udp_peek_from(int64_t handle, uint8_t *buf, int64_t len)
{
    return recv_addr(handle, buf, len, MSG_PEEK);
}

RT_API RtPair native_udp_peek(int64_t handle, uint8_t *buf, int64_t len)
{
    return recv_plain(handle, buf, len, MSG_PEEK);
}

RT_API RtPair native_udp_peer_addr(int64_t handle)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    RtPair r;
    if (getpeername(s->fd, (struct sockaddr *)&peer, &plen) != 0) {
        r = pair(0, rtx_net_fail(s, errno));
    } else {
        int64_t text = rtx_net_addr_text((const struct sockaddr *)&peer, plen);
        r = text ? pair(text, RTX_NET_OK) : pair(0, RTX_NET_UNKNOWN);
    }
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_udp_set_broadcast(int64_t handle, int64_t broadcast)
{
    return setopt_int(handle, SOL_SOCKET, SO_BROADCAST, broadcast != 0);
}

RT_API int64_t native_udp_set_multicast_loop(int64_t handle, int64_t on)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int v = on != 0, v6 = getsockname(s->fd, (struct sockaddr *)&ss, &len) == 0 &&
                          ss.ss_family == AF_INET6;
    /* IPv4 first, as upstream; an IPv6 socket also gets the IPv6 option,
     * which is the one that governs its own multicast (upstream stops
     * after the IPv4 option, which Linux accepts on IPv6 sockets too). */
    int64_t r = setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &v, sizeof v) == 0
                    ? RTX_NET_OK : rtx_net_fail(s, errno);
    if (v6 || r != RTX_NET_OK)
        r = setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &v, sizeof v) == 0
                ? RTX_NET_OK : rtx_net_fail(s, errno);
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_udp_set_multicast_ttl(int64_t handle, int64_t ttl)
{
    if (ttl < 0 || ttl > 255) {
        /* the handle is still checked first */
        rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
        if (s == NULL)
            return RTX_NET_INVALID_HANDLE;
        rtx_net_put(s);
        return RTX_NET_INVALID_INPUT;
    }
    return setopt_int(handle, IPPROTO_IP, IP_MULTICAST_TTL, (int)ttl);
}

RT_API int64_t native_udp_set_ttl(int64_t handle, int64_t ttl)
{
    if (ttl < 1 || ttl > 255) {
        rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
        if (s == NULL)
            return RTX_NET_INVALID_HANDLE;
        rtx_net_put(s);
        return RTX_NET_INVALID_INPUT;
    }
    return setopt_int(handle, IPPROTO_IP, IP_TTL, (int)ttl);
}

RT_API int64_t native_udp_set_read_timeout(int64_t handle, int64_t timeout_ns)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = rtx_net_set_timeout(s->fd, SO_RCVTIMEO, timeout_ns);
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_udp_set_write_timeout(int64_t handle, int64_t timeout_ns)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = rtx_net_set_timeout(s->fd, SO_SNDTIMEO, timeout_ns);
    rtx_net_put(s);
    return r;
}

RT_API RtPair native_udp_get_broadcast(int64_t handle)
{
    RtPair r = getopt_int(handle, SOL_SOCKET, SO_BROADCAST);
    if (r.v1 == RTX_NET_OK)
        r.v0 = r.v0 != 0;
    return r;
}

RT_API RtPair native_udp_get_ttl(int64_t handle)
{
    return getopt_int(handle, IPPROTO_IP, IP_TTL);
}

RT_API int64_t native_udp_join_multicast_v4(int64_t handle, int64_t multiaddr, int64_t interface)
{
    return membership_v4(handle, multiaddr, interface, IP_ADD_MEMBERSHIP);
}

RT_API int64_t native_udp_leave_multicast_v4(int64_t handle, int64_t multiaddr, int64_t interface)
{
    return membership_v4(handle, multiaddr, interface, IP_DROP_MEMBERSHIP);
}

RT_API int64_t native_udp_join_multicast_v6(int64_t handle, const uint8_t *multiaddr,
                                            int64_t interface_index)
{
    return membership_v6(handle, multiaddr, interface_index, IPV6_ADD_MEMBERSHIP);
}

RT_API int64_t native_udp_leave_multicast_v6(int64_t handle, const uint8_t *multiaddr,
                                             int64_t interface_index)
{
    return membership_v6(handle, multiaddr, interface_index, IPV6_DROP_MEMBERSHIP);
}

RT_API int64_t native_udp_close(int64_t handle)
{
    return rtx_net_close(handle, RTX_SOCK_UDP);
}

/* ---- helpers ---- */

/* recvfrom into buf; a datagram longer than len is truncated (the rest is
 * discarded, or kept queued with MSG_PEEK). */
static ssize_t do_recv(rtx_sock *s, uint8_t *buf, int64_t len, int flags,
                       struct sockaddr_storage *from, socklen_t *flen)
{
    ssize_t n;
    do {
        if (from)
            *flen = sizeof *from;
        n = recvfrom(s->fd, buf, (size_t)clamp_io(len), flags, (struct sockaddr *)from,
                     from ? flen : NULL);
    } while (n < 0 && errno == EINTR);
    return n;
}

static RtTriple recv_addr(int64_t handle, uint8_t *buf, int64_t len, int flags)
{
    if (buf == NULL || len <= 0)
        return triple(0, 0, RTX_NET_INVALID_INPUT);
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return triple(0, 0, RTX_NET_INVALID_HANDLE);
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    ssize_t n = do_recv(s, buf, len, flags, &from, &flen);
    RtTriple r;
    if (n < 0)
        r = triple(0, 0, rtx_net_fail(s, errno));
    else if (n == 0 && atomic_load(&s->closing))
        r = triple(0, 0, RTX_NET_INVALID_HANDLE);   /* woken by a close, no datagram */
    else
        r = triple(n, rtx_net_addr_text((const struct sockaddr *)&from, flen), RTX_NET_OK);
    rtx_net_put(s);
    return r;
}

static RtPair recv_plain(int64_t handle, uint8_t *buf, int64_t len, int flags)
{
    if (buf == NULL || len <= 0)
        return pair(0, RTX_NET_INVALID_INPUT);
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    ssize_t n = do_recv(s, buf, len, flags, NULL, NULL);
    RtPair r = n < 0 ? pair(0, rtx_net_fail(s, errno))
               : (n == 0 && atomic_load(&s->closing)) ? pair(0, RTX_NET_INVALID_HANDLE)
                                                      : pair(n, RTX_NET_OK);
    rtx_net_put(s);
    return r;
}

static int64_t setopt_int(int64_t handle, int level, int opt, int v)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = setsockopt(s->fd, level, opt, &v, sizeof v) == 0 ? RTX_NET_OK
                                                                  : rtx_net_fail(s, errno);
    rtx_net_put(s);
    return r;
}

static RtPair getopt_int(int64_t handle, int level, int opt)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    int v = 0;
    socklen_t len = sizeof v;
    RtPair r = getsockopt(s->fd, level, opt, &v, &len) == 0 ? pair(v, RTX_NET_OK)
                                                            : pair(0, rtx_net_fail(s, errno));
    rtx_net_put(s);
    return r;
}

/* group and iface are the numeric values of dotted quads (224.0.0.1 is
 * 0xE0000001), as upstream's u32 big-endian convention. */
static int64_t membership_v4(int64_t handle, int64_t group, int64_t iface, int opt)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = RTX_NET_INVALID_INPUT;
    if (group >= 0 && group <= UINT32_MAX && iface >= 0 && iface <= UINT32_MAX) {
        struct ip_mreq m;
        memset(&m, 0, sizeof m);
        m.imr_multiaddr.s_addr = htonl((uint32_t)group);
        m.imr_interface.s_addr = htonl((uint32_t)iface);
        r = setsockopt(s->fd, IPPROTO_IP, opt, &m, sizeof m) == 0 ? RTX_NET_OK
                                                                 : rtx_net_fail(s, errno);
    }
    rtx_net_put(s);
    return r;
}

static int64_t membership_v6(int64_t handle, const uint8_t *group, int64_t iface, int opt)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_UDP);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = RTX_NET_INVALID_INPUT;
    if (group != NULL && iface >= 0 && iface <= UINT32_MAX) {
        struct ipv6_mreq m;
        memset(&m, 0, sizeof m);
        memcpy(&m.ipv6mr_multiaddr, group, 16);
        m.ipv6mr_interface = (unsigned)iface;
        r = setsockopt(s->fd, IPPROTO_IPV6, opt, &m, sizeof m) == 0 ? RTX_NET_OK
                                                                   : rtx_net_fail(s, errno);
    }
    rtx_net_put(s);
    return r;
}
