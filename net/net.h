/*
 * net/net.h — private interface of the net module (tcp, udp, http families).
 *
 * Sockets live in one generation-tagged handle table (RTX_HK_SOCKET) shared
 * by TCP and UDP, as upstream shares one counter. Every call that uses a
 * socket takes a reference on it (rtx_net_acquire) and drops it when done
 * (rtx_net_put); close removes the handle, shuts the socket down so that a
 * call blocked in it on another thread returns, and drops the table's
 * reference. The descriptor is closed by whichever reference goes last, so
 * no call ever uses a descriptor number the kernel has handed out again.
 */
#ifndef RTX_NET_H
#define RTX_NET_H

#include <netinet/in.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* NetError codes (upstream-abi.md §2.8). */
enum {
    RTX_NET_OK = 0, RTX_NET_ADDR_IN_USE = 1, RTX_NET_ADDR_NOT_AVAILABLE = 2,
    RTX_NET_CONN_REFUSED = 3, RTX_NET_CONN_RESET = 4, RTX_NET_CONN_ABORTED = 5,
    RTX_NET_NET_UNREACHABLE = 6, RTX_NET_HOST_UNREACHABLE = 7, RTX_NET_TIMED_OUT = 8,
    RTX_NET_WOULD_BLOCK = 9, RTX_NET_PERMISSION = 10, RTX_NET_INVALID_INPUT = 11,
    RTX_NET_NOT_CONNECTED = 12, RTX_NET_ALREADY_CONNECTED = 13, RTX_NET_BROKEN_PIPE = 14,
    RTX_NET_UNEXPECTED_EOF = 15, RTX_NET_INVALID_HANDLE = 100, RTX_NET_INVALID_ADDRESS = 101,
    RTX_NET_HTTP_ERROR = 200, RTX_NET_HTTP_INVALID_URL = 201,
    RTX_NET_HTTP_TOO_MANY_REDIRECTS = 202, RTX_NET_HTTP_INVALID_RESPONSE = 203,
    RTX_NET_TLS_ERROR = 204, RTX_NET_UNKNOWN = 255
};

/* Longest address text accepted (bytes); longer is InvalidAddress. */
#define RTX_NET_ADDR_MAX 1024
/* Largest single read, peek or write (bytes); longer requests move less. */
#define RTX_NET_IO_MAX (INT64_C(1) << 30)
/* Largest UDP payload accepted by send/send_to (the IPv4 limit). */
#define RTX_NET_UDP_MAX 65507
/* Longest formatted socket address, with NUL: "[v6%4294967295]:65535". */
#define RTX_NET_ADDR_TEXT 64

/* ---- addresses (net/addr.c) ---- */

typedef struct rtx_net_addr {
    struct sockaddr_storage ss;
    socklen_t len;   /* sizeof(sockaddr_in) or sizeof(sockaddr_in6) */
} rtx_net_addr;

/* Parse text exactly as Rust's SocketAddr::from_str ("a.b.c.d:port",
 * "[v6]:port", "[v6%scope]:port"; no DNS). 0 on success, -1 otherwise
 * (NULL text, len <= 0 or > RTX_NET_ADDR_MAX, or any syntax error). */
int rtx_net_addr_parse(const uint8_t *text, int64_t len, rtx_net_addr *out);

/* rtx_net_addr_parse with a one-entry per-thread cache of the last text
 * parsed successfully (what the tcp and udp functions call). */
int rtx_net_addr_get(const uint8_t *text, int64_t len, rtx_net_addr *out);

/* Format sa as Rust's SocketAddr Display into buf (RTX_NET_ADDR_TEXT bytes);
 * returns the text length, or -1 for a family other than IPv4/IPv6. */
int rtx_net_addr_format(const struct sockaddr *sa, socklen_t len, char *buf);

/* The formatted address as malloc'd NUL-terminated text registered for
 * native_net_addr_free, as an int64_t; 0 when it cannot be made. */
int64_t rtx_net_addr_text(const struct sockaddr *sa, socklen_t len);

/* ---- errors ---- */

/* errno -> NetError, as Rust maps io::ErrorKind (net/sock.c). */
int64_t rtx_net_errno(int e);

/* ---- sockets (net/sock.c) ---- */

enum { RTX_SOCK_LISTENER = 1, RTX_SOCK_STREAM = 2, RTX_SOCK_UDP = 4 };

/* Never returned to malloc (see net/sock.c): a stale pointer to one is
 * still an rtx_sock, which is what lets rtx_net_acquire take no lock. */
typedef struct rtx_sock {
    int fd;                    /* -1 while free */
    int kind;                  /* one RTX_SOCK_* */
    _Atomic uint32_t refs;     /* the table's reference + one per call in flight; 0: free */
    _Atomic int closing;       /* set by close once the handle is gone */
    struct rtx_sock *next_free;   /* free list, under its lock */
} rtx_sock;

/* Register fd (already configured) as a new handle of kind; on failure
 * (table full, out of memory) the fd is closed and 0 is returned. */
int64_t rtx_net_register(int fd, int kind);

/* The socket behind h with a reference taken, if h is live, not closing
 * and its kind is in kinds (a mask of RTX_SOCK_*); NULL otherwise. */
rtx_sock *rtx_net_acquire(int64_t h, int kinds);

/* Drop a reference; the last one closes the descriptor and frees s. */
void rtx_net_put(rtx_sock *s);

/* Close h if it is live and of a kind in kinds: 0, else InvalidHandle. */
int64_t rtx_net_close(int64_t h, int kinds);

/* NetError for a failed call on s: InvalidHandle when s was closed while
 * the call ran (the close woke it), else the errno mapping. */
int64_t rtx_net_fail(rtx_sock *s, int e);

/* Nanoseconds (<= 0: none) as a SO_RCVTIMEO/SO_SNDTIMEO value; positive
 * values below one microsecond become one microsecond (0 would mean none). */
struct timeval rtx_net_timeval(int64_t ns);

/* Set SO_RCVTIMEO or SO_SNDTIMEO on fd: a NetError. */
int64_t rtx_net_set_timeout(int fd, int opt, int64_t ns);

/* Live socket handles (tests). */
uint64_t rtx_net_live(void);

/* ---- tracked pointers (net/ptrset.c) ---- */

/* A set of pointers the runtime handed out, so that free functions can
 * ignore pointers they never handed out or already freed. */
typedef struct rtx_ptrset rtx_ptrset;
extern rtx_ptrset rtx_net_addrs;       /* address strings */
extern rtx_ptrset rtx_net_responses;   /* RtHttpResponse records */

/* 0 when added, -1 when out of memory. */
int rtx_ptrset_add(rtx_ptrset *s, const void *p);
/* 1 when p was in the set (and is now removed), 0 otherwise. */
int rtx_ptrset_remove(rtx_ptrset *s, const void *p);
/* Number of pointers in the set (tests). */
size_t rtx_ptrset_count(rtx_ptrset *s);

#endif /* RTX_NET_H */
