/*
 * net/tcp.c — TCP listeners and streams on POSIX sockets.
 *
 * Implements (spec/ffi/tcp.sdn): native_tcp_bind, native_tcp_accept,
 * native_tcp_connect, native_tcp_connect_timeout, native_tcp_read,
 * native_tcp_write, native_tcp_flush, native_tcp_shutdown, native_tcp_close,
 * native_tcp_set_backlog, native_tcp_set_nodelay, native_tcp_set_keepalive,
 * native_tcp_set_read_timeout, native_tcp_set_write_timeout,
 * native_tcp_get_nodelay, native_tcp_peek.
 *
 * Sockets are set up as Rust's std::net does it (upstream's implementation):
 * close-on-exec, SO_REUSEADDR and backlog 128 on listeners, MSG_NOSIGNAL on
 * writes, SO_RCVTIMEO/SO_SNDTIMEO for timeouts. Argument checks come in
 * upstream's order: buffers, then addresses, then handles.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"
#include "simplert/tcp.h"

#define LISTEN_BACKLOG 128
#define CONNECT_DEFAULT_NS (INT64_C(30) * 1000000000)

static RtPair pair(int64_t v, int64_t err) { return (RtPair){v, err}; }
static RtTriple triple(int64_t v, int64_t addr, int64_t err) { return (RtTriple){v, addr, err}; }
static RtTriple connect_to(const uint8_t *addr, int64_t addr_len, int64_t timeout_ns);
static int64_t setopt_int(rtx_sock *s, int level, int opt, int v);
static int64_t clamp_io(int64_t len) { return len > RTX_NET_IO_MAX ? RTX_NET_IO_MAX : len; }

RT_API RtPair native_tcp_bind(const uint8_t *addr, int64_t addr_len)
{
    rtx_net_addr a;
    if (rtx_net_addr_get(addr, addr_len, &a) != 0)
        return pair(0, RTX_NET_INVALID_ADDRESS);
    int fd = socket(a.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return pair(0, rtx_net_errno(errno));
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (const struct sockaddr *)&a.ss, a.len) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
        int e = errno;
        close(fd);
        return pair(0, rtx_net_errno(e));
    }
    int64_t h = rtx_net_register(fd, RTX_SOCK_LISTENER);
    return h ? pair(h, RTX_NET_OK) : pair(0, RTX_NET_UNKNOWN);
}

RT_API RtTriple native_tcp_accept(int64_t handle)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_LISTENER);
    if (s == NULL)
        return triple(0, 0, RTX_NET_INVALID_HANDLE);
    struct sockaddr_storage peer;
    socklen_t plen;
    int fd;
    do {
        plen = sizeof peer;
        fd = accept4(s->fd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR && !atomic_load(&s->closing));
    if (fd < 0) {
        int64_t err = rtx_net_fail(s, errno);
        rtx_net_put(s);
        return triple(0, 0, err);
    }
    rtx_net_put(s);
    int64_t h = rtx_net_register(fd, RTX_SOCK_STREAM);
    if (h == 0)
        return triple(0, 0, RTX_NET_UNKNOWN);
    return triple(h, rtx_net_addr_text((const struct sockaddr *)&peer, plen), RTX_NET_OK);
}

RT_API RtTriple native_tcp_connect(const uint8_t *addr, int64_t addr_len)
{
    return connect_to(addr, addr_len, -1);
}

RT_API RtTriple native_tcp_connect_timeout(const uint8_t *addr, int64_t addr_len,
                                           int64_t timeout_ns)
{
    return connect_to(addr, addr_len, timeout_ns > 0 ? timeout_ns : CONNECT_DEFAULT_NS);
}

RT_API RtPair native_tcp_read(int64_t handle, uint8_t *buf, int64_t len)
{
    if (buf == NULL || len <= 0)
        return pair(0, RTX_NET_INVALID_INPUT);
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    ssize_t n;
    do
        n = recv(s->fd, buf, (size_t)clamp_io(len), 0);
    while (n < 0 && errno == EINTR);
    /* 0 bytes after a close on another thread is the close, not an EOF. */
    RtPair r = n > 0 ? pair(n, RTX_NET_OK)
               : n == 0 ? (atomic_load(&s->closing) ? pair(0, RTX_NET_INVALID_HANDLE) : pair(0, 0))
                        : pair(0, rtx_net_fail(s, errno));
    rtx_net_put(s);
    return r;
}

RT_API RtPair native_tcp_write(int64_t handle, const uint8_t *data, int64_t len)
{
    if (data == NULL || len <= 0)
        return pair(0, RTX_NET_INVALID_INPUT);
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    ssize_t n;
    do
        n = send(s->fd, data, (size_t)clamp_io(len), MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    RtPair r = n >= 0 ? pair(n, RTX_NET_OK) : pair(0, rtx_net_fail(s, errno));
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_tcp_flush(int64_t handle)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    rtx_net_put(s);   /* TCP sockets have no user-space buffer to flush */
    return RTX_NET_OK;
}

RT_API int64_t native_tcp_shutdown(int64_t handle, int64_t how)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int h = how == 0 ? SHUT_RD : how == 1 ? SHUT_WR : SHUT_RDWR;
    int64_t r = shutdown(s->fd, h) == 0 ? RTX_NET_OK : rtx_net_fail(s, errno);
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_tcp_close(int64_t handle)
{
    return rtx_net_close(handle, RTX_SOCK_LISTENER | RTX_SOCK_STREAM);
}

RT_API int64_t native_tcp_set_backlog(int64_t handle, int64_t backlog)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_LISTENER);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = RTX_NET_INVALID_INPUT;
    /* listen() again on a listening socket only changes its backlog. */
    if (backlog > 0)
        r = listen(s->fd, backlog > INT_MAX ? INT_MAX : (int)backlog) == 0
                ? RTX_NET_OK : rtx_net_fail(s, errno);
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_tcp_set_nodelay(int64_t handle, int64_t nodelay)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = setopt_int(s, IPPROTO_TCP, TCP_NODELAY, nodelay != 0);
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_tcp_set_keepalive(int64_t handle, int64_t keepalive_ns)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = keepalive_ns < 0 ? RTX_NET_INVALID_INPUT
                                 : setopt_int(s, SOL_SOCKET, SO_KEEPALIVE, keepalive_ns > 0);
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_tcp_set_read_timeout(int64_t handle, int64_t timeout_ns)
{
    /* Listeners too: accept honours SO_RCVTIMEO. */
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM | RTX_SOCK_LISTENER);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = rtx_net_set_timeout(s->fd, SO_RCVTIMEO, timeout_ns);
    rtx_net_put(s);
    return r;
}

RT_API int64_t native_tcp_set_write_timeout(int64_t handle, int64_t timeout_ns)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    int64_t r = rtx_net_set_timeout(s->fd, SO_SNDTIMEO, timeout_ns);
    rtx_net_put(s);
    return r;
}

RT_API RtPair native_tcp_get_nodelay(int64_t handle)
{
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    int v = 0;
    socklen_t len = sizeof v;
    RtPair r = getsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &v, &len) == 0
                   ? pair(v != 0, RTX_NET_OK) : pair(0, rtx_net_fail(s, errno));
    rtx_net_put(s);
    return r;
}

RT_API RtPair native_tcp_peek(int64_t handle, uint8_t *buf, int64_t len)
{
    if (buf == NULL || len <= 0)
        return pair(0, RTX_NET_INVALID_INPUT);
    rtx_sock *s = rtx_net_acquire(handle, RTX_SOCK_STREAM);
    if (s == NULL)
        return pair(0, RTX_NET_INVALID_HANDLE);
    ssize_t n;
    do
        n = recv(s->fd, buf, (size_t)clamp_io(len), MSG_PEEK);
    while (n < 0 && errno == EINTR);
    RtPair r = n > 0 ? pair(n, RTX_NET_OK)
               : n == 0 ? (atomic_load(&s->closing) ? pair(0, RTX_NET_INVALID_HANDLE) : pair(0, 0))
                        : pair(0, rtx_net_fail(s, errno));
    rtx_net_put(s);
    return r;
}

/* ---- helpers ---- */

static int64_t setopt_int(rtx_sock *s, int level, int opt, int v)
{
    return setsockopt(s->fd, level, opt, &v, sizeof v) == 0 ? RTX_NET_OK : rtx_net_fail(s, errno);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Wait until a non-blocking connect on fd completes or timeout_ns (< 0:
 * forever) passes; 0, or an errno value (ETIMEDOUT on expiry). Signals do
 * not restart the clock. */
static int wait_connected(int fd, int64_t timeout_ns)
{
    int64_t start = now_ns();
    /* saturate: INT64_MAX ns (292 years) is as good as forever */
    int64_t deadline = timeout_ns < 0 ? 0
                       : timeout_ns > INT64_MAX - start ? INT64_MAX : start + timeout_ns;
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        struct timespec ts, *tp = NULL;
        if (timeout_ns >= 0) {
            int64_t left = deadline - now_ns();
            if (left <= 0)
                return ETIMEDOUT;
            ts.tv_sec = (time_t)(left / 1000000000);
            ts.tv_nsec = (long)(left % 1000000000);
            tp = &ts;
        }
        int n = ppoll(&pfd, 1, tp, NULL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            continue;   /* the deadline check above reports the expiry */
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
            return errno;
        return err;
    }
}

/* Connect with a timeout (ns; < 0: none) through a non-blocking connect,
 * so that EINTR never leaves a half-made connection behind. */
static RtTriple connect_to(const uint8_t *addr, int64_t addr_len, int64_t timeout_ns)
{
    rtx_net_addr a;
    if (rtx_net_addr_get(addr, addr_len, &a) != 0)
        return triple(0, 0, RTX_NET_INVALID_ADDRESS);
    int fd = socket(a.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return triple(0, 0, rtx_net_errno(errno));
    int err = 0;
    if (connect(fd, (const struct sockaddr *)&a.ss, a.len) != 0) {
        err = errno;
        if (err == EINPROGRESS || err == EINTR)
            err = wait_connected(fd, timeout_ns);
    }
    int fl = fcntl(fd, F_GETFL);
    if (err == 0 && (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0))
        err = errno;
    if (err != 0) {
        close(fd);
        return triple(0, 0, rtx_net_errno(err));
    }
    struct sockaddr_storage local;
    socklen_t llen = sizeof local;
    int have_local = getsockname(fd, (struct sockaddr *)&local, &llen) == 0;
    int64_t h = rtx_net_register(fd, RTX_SOCK_STREAM);
    if (h == 0)
        return triple(0, 0, RTX_NET_UNKNOWN);
    return triple(h, have_local ? rtx_net_addr_text((const struct sockaddr *)&local, llen) : 0,
                  RTX_NET_OK);
}
