/* Conformance that depends on the host network: UDP over ::1, multicast
 * delivery on the loopback interface (IPv4 and IPv6), and IPv6 membership
 * (spec/ffi/udp.sdn).
 *
 * Before using the API, each test probes the environment with plain
 * sockets; where the probe fails the test skips with the reason, and where
 * it works the API must work too. Some CI containers have no ::1 or no
 * multicast on lo. The audit counts a skipped test as not passing, so this
 * file is deliberately not listed in the rows' conformance fields; the rows'
 * files cover every function in every environment. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conformance/net/peer.h"
#include "conformance/rtc.h"
#include "net/net.h"

#define B(s) ((const uint8_t *)(s)), ((int64_t)strlen(s))
#define STR(v) ((char *)(intptr_t)(v))
#define SEC INT64_C(1000000000)

void udp_echo(int v6);

static void need_ipv6(void)
{
    char why[128];
    if (!peer_have_ipv6(why, sizeof why))
        cr_skip_test("IPv6 loopback: %s", why);
}

RTC_TEST(udp_env, socat_echo_ipv6) { need_ipv6(); udp_echo(1); }

/* Can a datagram sent to group on the loopback interface reach a member
 * here? Plain sockets only, so the answer does not depend on simplert. */
static int probe(int v6, const void *group, char *why, size_t n)
{
    int rx = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int tx = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    unsigned lo = if_nametoindex("lo");
    int ok = 0;
    const char *step = "socket";
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (rx < 0 || tx < 0)
        goto out;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        len = sizeof *a;
    }
    step = "bind";
    if (bind(rx, (struct sockaddr *)&ss, len) != 0 || getsockname(rx, (struct sockaddr *)&ss, &len) != 0)
        goto out;
    step = "join";
    if (v6) {
        struct ipv6_mreq m = {.ipv6mr_interface = lo};
        memcpy(&m.ipv6mr_multiaddr, group, 16);
        if (setsockopt(rx, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m) != 0)
            goto out;
        step = "multicast_if";
        if (setsockopt(tx, IPPROTO_IPV6, IPV6_MULTICAST_IF, &lo, sizeof lo) != 0)
            goto out;
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        memcpy(&a->sin6_addr, group, 16);
        a->sin6_scope_id = lo;
    } else {
        struct ip_mreq m;
        memcpy(&m.imr_multiaddr, group, 4);
        m.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
        if (setsockopt(rx, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) != 0)
            goto out;
        step = "multicast_if";
        if (setsockopt(tx, IPPROTO_IP, IP_MULTICAST_IF, &m.imr_interface, sizeof m.imr_interface) != 0)
            goto out;
        memcpy(&((struct sockaddr_in *)&ss)->sin_addr, group, 4);
    }
    step = "send";
    if (sendto(tx, "p", 1, 0, (struct sockaddr *)&ss, len) != 1)
        goto out;
    step = "receive (nothing arrived in 2 s)";
    struct pollfd pf = {.fd = rx, .events = POLLIN};
    ok = poll(&pf, 1, 2000) == 1;
out:
    if (!ok)
        snprintf(why, n, "multicast on lo (%s): %s at %s", v6 ? "IPv6" : "IPv4",
                 errno ? strerror(errno) : "no delivery", step);
    if (rx >= 0)
        close(rx);
    if (tx >= 0)
        close(tx);
    return ok;
}

RTC_TEST(udp_env, multicast_v4_delivery)
{
    static const uint8_t group[4] = {239, 255, 77, 2};
    char why[160];
    if (!probe(0, group, why, sizeof why))
        cr_skip_test("%s", why);
    int port;
    int64_t rx = net_udp_bind(0, 1, &port);
    cr_assert_eq(native_udp_join_multicast_v4(rx, INT64_C(0xEFFF4D02), INT64_C(0x7F000001)), 0);
    cr_assert_eq(native_udp_set_read_timeout(rx, 5 * SEC), 0);
    /* a sender bound to 127.0.0.1 sends its multicast out of lo */
    RtPair tx = native_udp_bind(B("127.0.0.1:0"));
    cr_assert_eq(native_udp_set_multicast_loop(tx.v0, 1), 0);
    cr_assert_eq(native_udp_set_multicast_ttl(tx.v0, 1), 0);
    char to[64];
    int n = snprintf(to, sizeof to, "239.255.77.2:%d", port);
    cr_assert_eq(native_udp_send_to(tx.v0, B("to the group"), (const uint8_t *)to, n).v1, 0);
    uint8_t buf[32];
    RtTriple r = native_udp_recv_from(rx, buf, sizeof buf);
    cr_assert_eq(r.v2, 0, "a member receives the group's datagram, got %" PRId64, r.v2);
    cr_assert_eq(r.v0, 12);
    cr_assert(memcmp(buf, "to the group", 12) == 0);
    cr_assert(strncmp(STR(r.v1), "127.0.0.1:", 10) == 0, "%s", STR(r.v1));
    native_net_addr_free(STR(r.v1));
    /* after leaving, nothing more arrives */
    cr_assert_eq(native_udp_leave_multicast_v4(rx, INT64_C(0xEFFF4D02), INT64_C(0x7F000001)), 0);
    cr_assert_eq(native_udp_send_to(tx.v0, B("gone"), (const uint8_t *)to, n).v1, 0);
    cr_assert_eq(native_udp_set_read_timeout(rx, 200 * 1000000), 0);
    cr_assert_eq(native_udp_recv(rx, buf, sizeof buf).v1, 9);
    native_udp_close(tx.v0);
    native_udp_close(rx);
}

RTC_TEST(udp_env, multicast_v6_membership)
{
    need_ipv6();
    static const uint8_t group[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x4d, 0x03};
    static const uint8_t unicast[16] = {[15] = 1};   /* ::1 */
    int port;
    int64_t h = net_udp_bind(1, 1, &port);
    cr_assert_gt(h, 0);
    int64_t lo = if_nametoindex("lo");
    int64_t r = native_udp_join_multicast_v6(h, group, lo);
    if (r != 0) {
        /* the same join with a plain socket decides whether this is the host */
        int fd = socket(AF_INET6, SOCK_DGRAM, 0);
        struct ipv6_mreq m = {.ipv6mr_interface = (unsigned)lo};
        memcpy(&m.ipv6mr_multiaddr, group, 16);
        int plain = setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m);
        int e = errno;
        close(fd);
        native_udp_close(h);
        if (plain != 0)
            cr_skip_test("IPv6 multicast membership on lo: %s", strerror(e));
        cr_assert_fail("join failed (%" PRId64 ") where a plain socket can join", r);
    }
    cr_assert_eq(native_udp_join_multicast_v6(h, group, lo), 1, "twice: AddrInUse");
    cr_assert_eq(native_udp_leave_multicast_v6(h, group, lo), 0);
    cr_assert_eq(native_udp_leave_multicast_v6(h, group, lo), 2, "not joined: AddrNotAvailable");
    cr_assert_eq(native_udp_join_multicast_v6(h, unicast, lo), 11, "::1 is not a group");
    native_udp_close(h);
}

RTC_TEST(udp_env, multicast_v6_delivery)
{
    need_ipv6();
    static const uint8_t group[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x4d, 0x04};
    char why[160];
    if (!probe(1, group, why, sizeof why))
        cr_skip_test("%s", why);
    int port;
    int64_t rx = net_udp_bind(1, 1, &port);
    unsigned lo = if_nametoindex("lo");
    cr_assert_eq(native_udp_join_multicast_v6(rx, group, lo), 0);
    cr_assert_eq(native_udp_set_read_timeout(rx, 5 * SEC), 0);
    RtPair tx = native_udp_bind(B("[::]:0"));
    cr_assert_eq(native_udp_set_multicast_loop(tx.v0, 1), 0);
    char to[64];
    int n = snprintf(to, sizeof to, "[ff02::4d04%%%u]:%d", lo, port);   /* the scope picks lo */
    RtPair s = native_udp_send_to(tx.v0, B("v6 group"), (const uint8_t *)to, n);
    cr_assert_eq(s.v1, 0, "send_to %s: %" PRId64, to, s.v1);
    uint8_t buf[16];
    RtPair r = native_udp_recv(rx, buf, sizeof buf);
    cr_assert_eq(r.v1, 0);
    cr_assert_eq(r.v0, 8);
    cr_assert(memcmp(buf, "v6 group", 8) == 0);
    native_udp_close(tx.v0);
    native_udp_close(rx);
}

/* On an IPv6 socket the IPv6 loop option is the one set (white box: read
 * back through the socket's descriptor). */
RTC_TEST(udp_env, multicast_loop_on_ipv6_socket)
{
    need_ipv6();
    RtPair u = native_udp_bind(B("[::1]:0"));
    cr_assert_eq(u.v1, 0);
    for (int on = 0; on < 2; on++) {
        cr_assert_eq(native_udp_set_multicast_loop(u.v0, on), 0);
        rtx_sock *s = rtx_net_acquire(u.v0, RTX_SOCK_UDP);
        int v = -1;
        socklen_t len = sizeof v;
        cr_assert_eq(getsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &v, &len), 0);
        rtx_net_put(s);
        cr_assert_eq(v, on, "IPV6_MULTICAST_LOOP follows the call");
    }
    native_udp_close(u.v0);
}
