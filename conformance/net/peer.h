/*
 * conformance/net/peer.h — real peers for the tcp, udp and http suites, all
 * on loopback and started by the test that uses them:
 *
 *   socat      TCP and UDP echo servers (it binds port 0 and reports the port)
 *   nginx      static files, redirects, chunked replies and request echo
 *              (echo module), optionally TLS with a throw-away certificate
 *   raw server a thread in the test process that answers every connection
 *              with given bytes, stalls, or streams an endless body
 *
 * Child peers run in their own process group with PR_SET_PDEATHSIG, and are
 * also killed and reaped by an atexit handler and by peer_stop, so none
 * survives its test whether it passes, fails or crashes.
 *
 * One suite file per family includes conformance/net/peer_impl.h to compile
 * the implementation into that family's binary.
 */
#ifndef RTC_NET_PEER_H
#define RTC_NET_PEER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct peer {
    pid_t pid;           /* 0: not running */
    int port;            /* plain port */
    int tls_port;        /* nginx with TLS: the https port, else 0 */
    char dir[64];        /* scratch directory (config, logs, files), removed by peer_stop */
} peer;

/* socat echo server; proto is "tcp4", "tcp6", "udp4" or "udp6". 0 on
 * success, -1 (with the reason logged) when socat cannot start. A UDP echo
 * answers the first sender only (socat UDP-LISTEN). */
int peer_socat_echo(peer *p, const char *proto);

/* nginx serving files written into peer_www(p) before or after the start,
 * with these locations:
 *   /echo     replies "METHOD|x-test header|" then the request body (chunked)
 *   /chunked  "part1\npart2\n" in two chunks
 *   /r301     301 to /index.html;  /r302 302 to /r301;  /loop  302 to itself
 *   /missing  404;  /teapot 418
 * and index.html = "hello from nginx\n". tls: also listen on tls_port with
 * a fresh self-signed certificate. */
int peer_nginx(peer *p, int tls);
/* Where nginx's files live (peer_nginx created it). */
const char *peer_www(const peer *p);

/* Clear the proxy variables libcurl honours, so loopback requests go
 * straight to the test's server. */
void peer_no_proxy(void);

/* Kill and reap the peer and remove its directory. Safe to call twice. */
void peer_stop(peer *p);

/* Is IPv6 loopback usable here (::1 bindable)? reason gets a message. */
int peer_have_ipv6(char *reason, size_t n);

/* A TCP (or UDP) port that was free a moment ago on 127.0.0.1 (or ::1). */
int peer_free_port(int v6);
int peer_free_udp_port(int v6);

/* "127.0.0.1:port" / "[::1]:port" into buf; returns its length. */
int peer_addr(char *buf, size_t n, int v6, int port);

/* ---- loopback sockets through the API under test ---- */

/* A listener from native_tcp_bind on 127.0.0.1 or ::1 at a free port
 * (retried if another test takes the port first); 0 on failure. */
int64_t net_listen(int v6, int *port);

/* A connected pair: *client from native_tcp_connect, *server from
 * native_tcp_accept on a fresh listener (closed again). 0 on success. */
int net_tcp_pair(int v6, int64_t *client, int64_t *server);

/* Write all of data with native_tcp_write; 0, or the NetError. */
int64_t net_write_all(int64_t h, const uint8_t *data, int64_t len);

/* Read exactly len bytes with native_tcp_read; 0, the NetError, or 15 on EOF. */
int64_t net_read_all(int64_t h, uint8_t *buf, int64_t len);

/* A UDP socket from native_udp_bind on 127.0.0.1 or ::1 (or on the
 * wildcard address when any) at a free port; 0 on failure. */
int64_t net_udp_bind(int v6, int any, int *port);

/* ---- raw server (a thread in the test process) ---- */

enum {
    RAW_REPLY,     /* read the request head, send reply, close */
    RAW_STALL,     /* read the request head, then say nothing until stopped */
    RAW_ENDLESS,   /* read the request head, send reply, then chunks forever */
    RAW_SILENT     /* accept, read nothing, send reply, close (for TLS tests) */
};

typedef struct raw_server {
    int lfd, port, mode;
    int stop[2];
    pthread_t thread;
    const uint8_t *reply;
    size_t reply_len;
    int connections;                 /* accepted so far */
    char request[16384];             /* the first request (head and body), NUL-terminated */
    size_t request_len;
} raw_server;

int raw_start(raw_server *s, int mode, const void *reply, size_t reply_len);
void raw_stop(raw_server *s);

#endif /* RTC_NET_PEER_H */
