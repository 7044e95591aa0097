/*
 * bench/net.c — loopback throughput of the tcp and udp families against the
 * same loops written with plain POSIX calls, in one process, alternating
 * (bench/bench.h).
 *
 * Every case is timed in CPU time of this process (CLOCK_PROCESS_CPUTIME_ID:
 * both ends of the loopback traffic are in it, kernel work included), not
 * wall time: on a shared, loaded machine the wall clock mostly measures
 * how long the scheduler leaves the threads waiting, while CPU time per
 * byte or packet is what the two implementations differ in.
 *
 *   tcp_echo_64k / tcp_echo_1k   each chunk goes client -> server end ->
 *       back to the client: native_tcp_write/read at every step vs
 *       write(2)/read(2) at every step; MB echoed per CPU second.
 *       Goal: ours/peer >= 0.95.
 *   udp_send_recv    64-byte datagrams to a socket of the same process:
 *       native_udp_send_to + native_udp_recv vs sendto(2) + recv(2);
 *       packets per CPU second. Goal >= 0.95.
 *   udp_send_recv_from  the same with native_udp_recv_from, which also
 *       returns the sender as text (formatted, allocated, freed), vs
 *       recvfrom(2) with a sockaddr; packets per CPU second. Goal >= 0.8 (the text costs).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "simplert.h"

typedef struct tcp_ctx {
    int64_t c, s;        /* ours: client and server handles */
    int fc, fs;          /* peer: client and server descriptors */
    size_t chunk, total;
    uint8_t *out, *mid, *in;
} tcp_ctx;

/* CPU time of the whole process, in seconds. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench net: %s\n", what);
    exit(2);
}

static int port_of(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    return ntohs(a.sin_port);
}

/* ---- TCP ----
 * One repetition echoes `total` bytes in `chunk`-sized pieces, all in one
 * thread: the client writes a chunk, the server end reads it and writes it
 * back, the client reads it back. Loopback delivers in the sender's
 * context, so no call ever waits and no scheduler decision enters the
 * number; what differs between the two sides is the cost per call. */

static void write_all_ours(int64_t h, const uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        RtPair w = native_tcp_write(h, p + off, (int64_t)(n - off));
        if (w.v1 != 0)
            die("native_tcp_write failed");
        off += (size_t)w.v0;
    }
}

static void read_all_ours(int64_t h, uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        RtPair r = native_tcp_read(h, p + off, (int64_t)(n - off));
        if (r.v1 != 0 || r.v0 == 0)
            die("native_tcp_read failed");
        off += (size_t)r.v0;
    }
}

static void write_all_peer(int fd, const uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t w = write(fd, p + off, n - off);
        if (w <= 0)
            die("write failed");
        off += (size_t)w;
    }
}

static void read_all_peer(int fd, uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t r = read(fd, p + off, n - off);
        if (r <= 0)
            die("read failed");
        off += (size_t)r;
    }
}

static double tcp_ours(void *arg)
{
    tcp_ctx *t = arg;
    double t0 = cpu_s();
    for (size_t done = 0; done < t->total; done += t->chunk) {
        write_all_ours(t->c, t->out, t->chunk);
        read_all_ours(t->s, t->mid, t->chunk);
        write_all_ours(t->s, t->mid, t->chunk);
        read_all_ours(t->c, t->in, t->chunk);
    }
    double s = cpu_s() - t0;
    BENCH_KEEP(t->in[0]);
    return (double)t->total / s / 1e6;
}

static double tcp_peer(void *arg)
{
    tcp_ctx *t = arg;
    double t0 = cpu_s();
    for (size_t done = 0; done < t->total; done += t->chunk) {
        write_all_peer(t->fc, t->out, t->chunk);
        read_all_peer(t->fs, t->mid, t->chunk);
        write_all_peer(t->fs, t->mid, t->chunk);
        read_all_peer(t->fc, t->in, t->chunk);
    }
    double s = cpu_s() - t0;
    BENCH_KEEP(t->in[0]);
    return (double)t->total / s / 1e6;
}

/* A port that was free a moment ago (the API has no local_addr for
 * listeners, so the bench picks the port itself). */
static int free_port(int type)
{
    int fd = socket(AF_INET, type, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("cannot bind on loopback");
    int port = port_of(fd);
    close(fd);
    return port;
}

static void tcp_setup(tcp_ctx *t)
{
    /* ours: every step through the API */
    for (int attempt = 0; attempt < 100 && t->c == 0; attempt++) {
        char addr[32];
        int n = snprintf(addr, sizeof addr, "127.0.0.1:%d", free_port(SOCK_STREAM));
        RtPair l = native_tcp_bind((const uint8_t *)addr, n);
        if (l.v1 != 0)
            continue;
        RtTriple cc = native_tcp_connect((const uint8_t *)addr, n);
        RtTriple ss = native_tcp_accept(l.v0);
        native_net_addr_free((char *)(intptr_t)cc.v1);
        native_net_addr_free((char *)(intptr_t)ss.v1);
        native_tcp_close(l.v0);
        if (cc.v2 != 0 || ss.v2 != 0)
            die("connect/accept failed");
        t->c = cc.v0;
        t->s = ss.v0;
    }
    if (t->c == 0)
        die("no free port for the API listener");
    native_tcp_set_nodelay(t->c, 1);
    native_tcp_set_nodelay(t->s, 1);
    /* peer: plain sockets, set up the same way */
    int lf = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lf, (struct sockaddr *)&a, sizeof a) != 0 || listen(lf, 8) != 0)
        die("cannot listen on loopback");
    a.sin_port = htons((uint16_t)port_of(lf));
    t->fc = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(t->fc, (struct sockaddr *)&a, sizeof a) != 0)
        die("connect failed");
    t->fs = accept(lf, NULL, NULL);
    close(lf);
    int one = 1;
    setsockopt(t->fc, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(t->fs, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* ---- UDP ---- */

typedef struct udp_ctx {
    int64_t tx, rx;           /* ours */
    int ftx, frx;             /* peer */
    char to[32];
    int to_len;
    struct sockaddr_in fto;
    long packets;
} udp_ctx;

static int64_t udp_bound(int *port)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        char addr[32];
        *port = free_port(SOCK_DGRAM);
        int n = snprintf(addr, sizeof addr, "127.0.0.1:%d", *port);
        RtPair r = native_udp_bind((const uint8_t *)addr, n);
        if (r.v1 == 0)
            return r.v0;
    }
    die("cannot bind UDP");
    return 0;
}

static double udp_ours(void *arg)
{
    udp_ctx *u = arg;
    uint8_t msg[64] = {1}, buf[64];
    double t0 = cpu_s();
    for (long i = 0; i < u->packets; i++) {
        if (native_udp_send_to(u->tx, msg, sizeof msg, (const uint8_t *)u->to, u->to_len).v1 != 0 ||
            native_udp_recv(u->rx, buf, sizeof buf).v0 != (int64_t)sizeof msg)
            die("udp ours failed");
    }
    return (double)u->packets / (cpu_s() - t0);
}

static double udp_ours_from(void *arg)
{
    udp_ctx *u = arg;
    uint8_t msg[64] = {1}, buf[64];
    double t0 = cpu_s();
    for (long i = 0; i < u->packets; i++) {
        if (native_udp_send_to(u->tx, msg, sizeof msg, (const uint8_t *)u->to, u->to_len).v1 != 0)
            die("udp send failed");
        RtTriple r = native_udp_recv_from(u->rx, buf, sizeof buf);
        if (r.v2 != 0 || r.v1 == 0)
            die("udp recv_from failed");
        native_net_addr_free((char *)(intptr_t)r.v1);
    }
    return (double)u->packets / (cpu_s() - t0);
}

static double udp_peer(void *arg)
{
    udp_ctx *u = arg;
    uint8_t msg[64] = {1}, buf[64];
    double t0 = cpu_s();
    for (long i = 0; i < u->packets; i++) {
        if (sendto(u->ftx, msg, sizeof msg, 0, (struct sockaddr *)&u->fto, sizeof u->fto) != 64 ||
            recv(u->frx, buf, sizeof buf, 0) != 64)
            die("udp peer failed");
    }
    return (double)u->packets / (cpu_s() - t0);
}

static double udp_peer_from(void *arg)
{
    udp_ctx *u = arg;
    uint8_t msg[64] = {1}, buf[64];
    double t0 = cpu_s();
    for (long i = 0; i < u->packets; i++) {
        struct sockaddr_storage from;
        socklen_t flen = sizeof from;
        if (sendto(u->ftx, msg, sizeof msg, 0, (struct sockaddr *)&u->fto, sizeof u->fto) != 64 ||
            recvfrom(u->frx, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen) != 64)
            die("udp peer failed");
        BENCH_KEEP(from.ss_family);
    }
    return (double)u->packets / (cpu_s() - t0);
}

static void udp_setup(udp_ctx *u)
{
    int port;
    u->rx = udp_bound(&port);
    u->to_len = snprintf(u->to, sizeof u->to, "127.0.0.1:%d", port);
    RtPair tx = native_udp_bind((const uint8_t *)"127.0.0.1:0", 11);
    if (tx.v1 != 0)
        die("cannot bind UDP");
    u->tx = tx.v0;
    u->frx = socket(AF_INET, SOCK_DGRAM, 0);
    u->ftx = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(u->frx, (struct sockaddr *)&a, sizeof a) != 0)
        die("cannot bind UDP");
    u->fto = a;
    u->fto.sin_port = htons((uint16_t)port_of(u->frx));
}

int main(int argc, char **argv)
{
    bench b;
    bench_init(&b, "net", argc, argv);
    tcp_ctx t = {0};
    tcp_setup(&t);
    t.out = malloc(1 << 16);
    t.in = malloc(1 << 16);
    t.mid = malloc(1 << 16);
    for (int i = 0; i < 1 << 16; i++)
        t.out[i] = (uint8_t)i;

    t.chunk = 64 << 10;
    t.total = (size_t)(b.quick ? 16 : 256) << 20;
    bench_pair(&b, "tcp_echo_64k", "read/write(2)", "MB/cpu-s", BENCH_HIGHER, tcp_ours, tcp_peer,
               &t, 0.95);
    t.chunk = 1 << 10;
    t.total = (size_t)(b.quick ? 2 : 32) << 20;
    bench_pair(&b, "tcp_echo_1k", "read/write(2)", "MB/cpu-s", BENCH_HIGHER, tcp_ours, tcp_peer,
               &t, 0.95);

    udp_ctx u = {0};
    udp_setup(&u);
    u.packets = b.quick ? 20000 : 200000;
    bench_pair(&b, "udp_send_recv", "sendto/recv(2)", "pkt/cpu-s", BENCH_HIGHER, udp_ours,
               udp_peer, &u, 0.95);
    bench_pair(&b, "udp_send_recv_from", "sendto/recvfrom(2)", "pkt/cpu-s", BENCH_HIGHER,
               udp_ours_from, udp_peer_from, &u, 0.8);

    native_tcp_close(t.c);
    native_tcp_close(t.s);
    close(t.fc);
    close(t.fs);
    native_udp_close(u.tx);
    native_udp_close(u.rx);
    close(u.ftx);
    close(u.frx);
    free(t.out);
    free(t.in);
    free(t.mid);
    return bench_finish(&b);
}
