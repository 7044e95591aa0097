/*
 * net/sock.c — the socket handle table shared by TCP and UDP, the error
 * mapping and the address-string free function.
 *
 * Implements (spec/ffi/tcp.sdn): native_net_addr_free.
 *
 * Lifetime of a socket (see net/net.h): refs starts at 1 (the table).
 * rtx_net_acquire takes a reference without any lock: it reads the object
 * behind the handle, bumps refs if it is not 0, then checks that the handle
 * still names that object (and drops the reference if not). That is safe
 * because socket objects are type-stable: they are never given back to
 * malloc, only to a free list, so a stale pointer still points at an
 * rtx_sock whose refs is 0 (free) or belongs to a later socket, and the
 * handle's generation check rejects both. rtx_net_close takes the handle
 * out of the table (of two racing closes exactly one does), shuts the
 * socket down (waking any call blocked in accept/recv/send on another
 * thread) and drops the table's reference. Whoever drops the last
 * reference closes the descriptor, so a descriptor is never closed while a
 * call may still use it.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/net.h"
#include "runtime/handle.h"
#include "runtime/mem.h"
#include "simplert/tcp.h"

static rtx_handle_table sockets = RTX_HANDLE_TABLE_INIT(RTX_HK_SOCKET, "socket");

/* Free socket objects (type-stable memory, see above); refs is 0 in each. */
static pthread_mutex_t free_lock = PTHREAD_MUTEX_INITIALIZER;
static rtx_sock *free_list;

static rtx_sock *sock_alloc(void);
static void sock_free(rtx_sock *s);

RT_API void native_net_addr_free(char *addr)
{
    if (addr != NULL && rtx_ptrset_remove(&rtx_net_addrs, addr))
        rtx_free(addr);
}

int64_t rtx_net_register(int fd, int kind)
{
    rtx_sock *s = sock_alloc();
    if (s == NULL) {
        close(fd);
        return 0;
    }
    s->fd = fd;
    s->kind = kind;
    atomic_store_explicit(&s->closing, 0, memory_order_relaxed);
    /* release: a stale acquirer whose CAS reads this value also sees fd,
     * should its rtx_net_put turn out to be the last */
    atomic_store_explicit(&s->refs, 1, memory_order_release);
    uint64_t h = rtx_handle_new(&sockets, s);
    if (h == 0)
        rtx_net_put(s);   /* closes fd, unless a stale acquirer holds s for a moment */
    return (int64_t)h;
}

rtx_sock *rtx_net_acquire(int64_t h, int kinds)
{
    rtx_sock *s = rtx_handle_get(&sockets, (uint64_t)h);
    if (s == NULL)
        return NULL;
    uint32_t r = atomic_load_explicit(&s->refs, memory_order_relaxed);
    do {
        if (r == 0)
            return NULL;   /* being freed, or already free */
    } while (!atomic_compare_exchange_weak_explicit(&s->refs, &r, r + 1, memory_order_acquire,
                                                    memory_order_relaxed));
    /* The reference is on whatever socket s is now; keep it only if h still
     * names it (its fields are then the ones h was made with). */
    if (rtx_handle_get(&sockets, (uint64_t)h) != s || !(s->kind & kinds) ||
        atomic_load_explicit(&s->closing, memory_order_relaxed)) {
        rtx_net_put(s);
        return NULL;
    }
    return s;
}

void rtx_net_put(rtx_sock *s)
{
    /* acq_rel: the closer sees every use made through the other references. */
    if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1) {
        close(s->fd);
        sock_free(s);
    }
}

int64_t rtx_net_close(int64_t h, int kinds)
{
    rtx_sock *s = rtx_net_acquire(h, kinds);
    if (s == NULL)
        return RTX_NET_INVALID_HANDLE;
    if (rtx_handle_release(&sockets, (uint64_t)h) != s) {   /* another close won */
        rtx_net_put(s);
        return RTX_NET_INVALID_HANDLE;
    }
    atomic_store_explicit(&s->closing, 1, memory_order_relaxed);
    /* Wake calls blocked on the socket; an unconnected socket answers
     * ENOTCONN but is woken all the same (Linux inet_shutdown). */
    shutdown(s->fd, SHUT_RDWR);
    rtx_net_put(s);   /* the table's reference */
    rtx_net_put(s);   /* ours */
    return RTX_NET_OK;
}

int64_t rtx_net_fail(rtx_sock *s, int e)
{
    if (atomic_load_explicit(&s->closing, memory_order_relaxed))
        return RTX_NET_INVALID_HANDLE;
    return rtx_net_errno(e);
}

int64_t rtx_net_errno(int e)
{
    switch (e) {
    case EADDRINUSE: return RTX_NET_ADDR_IN_USE;
    case EADDRNOTAVAIL: return RTX_NET_ADDR_NOT_AVAILABLE;
    case ECONNREFUSED: return RTX_NET_CONN_REFUSED;
    case ECONNRESET: return RTX_NET_CONN_RESET;
    case ECONNABORTED: return RTX_NET_CONN_ABORTED;
    case ENETUNREACH: return RTX_NET_NET_UNREACHABLE;
    case EHOSTUNREACH: return RTX_NET_HOST_UNREACHABLE;
    case ETIMEDOUT: return RTX_NET_TIMED_OUT;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EAGAIN: return RTX_NET_WOULD_BLOCK;
    case EACCES: case EPERM: return RTX_NET_PERMISSION;
    case EINVAL: return RTX_NET_INVALID_INPUT;
    case ENOTCONN: return RTX_NET_NOT_CONNECTED;
    case EEXIST: return RTX_NET_ALREADY_CONNECTED;
    case EPIPE: return RTX_NET_BROKEN_PIPE;
    default: return RTX_NET_UNKNOWN;
    }
}

struct timeval rtx_net_timeval(int64_t ns)
{
    struct timeval tv = {0, 0};
    if (ns <= 0)
        return tv;
    tv.tv_sec = (time_t)(ns / 1000000000);
    tv.tv_usec = (suseconds_t)((ns % 1000000000) / 1000);
    if (tv.tv_sec == 0 && tv.tv_usec == 0)
        tv.tv_usec = 1;
    return tv;
}

int64_t rtx_net_set_timeout(int fd, int opt, int64_t ns)
{
    struct timeval tv = rtx_net_timeval(ns);
    return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof tv) == 0 ? RTX_NET_OK
                                                                 : rtx_net_errno(errno);
}

uint64_t rtx_net_live(void) { return rtx_handle_live(&sockets); }

/* ---- type-stable socket objects ---- */

static rtx_sock *sock_alloc(void)
{
    pthread_mutex_lock(&free_lock);
    rtx_sock *s = free_list;
    if (s)
        free_list = s->next_free;
    pthread_mutex_unlock(&free_lock);
    if (s == NULL && (s = rtx_malloc(sizeof *s)) != NULL) {
        atomic_init(&s->refs, 0);
        atomic_init(&s->closing, 0);
    }
    return s;
}

static void sock_free(rtx_sock *s)
{
    s->fd = -1;
    pthread_mutex_lock(&free_lock);
    s->next_free = free_list;
    free_list = s;
    pthread_mutex_unlock(&free_lock);
}
