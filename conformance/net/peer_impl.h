/*
 * conformance/net/peer_impl.h — the implementation of conformance/net/peer.h.
 * Included by exactly one file per suite binary (its *_peer.c).
 */
#include "conformance/net/peer.h"
#include "simplert.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PEER_MAX 16
#define PEER_WAIT_NS (INT64_C(10) * 1000000000)   /* give a peer this long to come up */

static pid_t live_pids[PEER_MAX];
static char live_dirs[PEER_MAX][64];   /* scratch directories not yet removed */
static int atexit_done;

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void nap_ms(int ms)
{
    struct timespec ts = {0, (long)ms * 1000000};
    nanosleep(&ts, NULL);
}

/* Kill a peer's whole process group (socat forks a child per connection)
 * and reap the leader. */
static void kill_pid(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    for (int i = 0; i < PEER_MAX; i++)
        if (live_pids[i] == pid)
            live_pids[i] = 0;
}

static void rm_tree(const char *dir);

/* atexit: a test that failed before peer_stop leaves nothing behind. */
static void kill_all(void)
{
    for (int i = 0; i < PEER_MAX; i++) {
        kill_pid(live_pids[i]);
        rm_tree(live_dirs[i]);
        live_dirs[i][0] = 0;
    }
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    remove(path);
    return 0;
}

static void rm_tree(const char *dir)
{
    if (dir[0] == 0)
        return;
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    for (int i = 0; i < PEER_MAX; i++)
        if (strcmp(live_dirs[i], dir) == 0)
            live_dirs[i][0] = 0;
}

static const char *find_exe(const char *const *candidates)
{
    for (; *candidates; candidates++)
        if (access(*candidates, X_OK) == 0)
            return *candidates;
    return NULL;
}

/* fork + exec argv[0] with stdout/stderr to log (or /dev/null), in its own
 * process group, killed by the kernel if this process dies. */
static pid_t spawn(char *const argv[], const char *log)
{
    if (!atexit_done) {
        atexit(kill_all);
        atexit_done = 1;
    }
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    int out = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : devnull;
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(devnull, 0);
        dup2(out < 0 ? devnull : out, 1);
        dup2(out < 0 ? devnull : out, 2);
        closefrom(3);   /* the test's own sockets stay the test's */
        execv(argv[0], argv);
        _exit(127);
    }
    if (out >= 0 && out != devnull)
        close(out);
    if (devnull >= 0)
        close(devnull);
    if (pid > 0) {
        setpgid(pid, pid);   /* also from here, so kill(-pid) works at once */
        for (int i = 0; i < PEER_MAX; i++)
            if (live_pids[i] == 0) {
                live_pids[i] = pid;
                break;
            }
    }
    return pid;
}

static int exited(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) {
        for (int i = 0; i < PEER_MAX; i++)
            if (live_pids[i] == pid)
                live_pids[i] = 0;
        return 1;
    }
    return 0;
}

/* Remove scratch directories of test processes that died without their
 * atexit handler (a crash): /tmp/rtc-net-<pid>-* whose pid is gone. */
static void sweep_dead(void)
{
    DIR *d = opendir("/tmp");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        long pid;
        char path[300];
        if (sscanf(e->d_name, "rtc-net-%ld-", &pid) != 1 || pid <= 0 ||
            kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(path, sizeof path, "/tmp/%s", e->d_name);
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    if (d)
        closedir(d);
}

static int make_dir(peer *p)
{
    sweep_dead();
    snprintf(p->dir, sizeof p->dir, "/tmp/rtc-net-%ld-XXXXXX", (long)getpid());
    if (mkdtemp(p->dir) == NULL) {
        cr_log_error("peer: mkdtemp: %s", strerror(errno));
        p->dir[0] = 0;
        return -1;
    }
    if (!atexit_done) {
        atexit(kill_all);
        atexit_done = 1;
    }
    for (int i = 0; i < PEER_MAX; i++)
        if (live_dirs[i][0] == 0) {
            snprintf(live_dirs[i], sizeof live_dirs[i], "%s", p->dir);
            break;
        }
    return 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && n == len) ? 0 : -1;
}

int peer_addr(char *buf, size_t n, int v6, int port)
{
    return snprintf(buf, n, v6 ? "[::1]:%d" : "127.0.0.1:%d", port);
}

static int free_port(int v6, int type)
{
    int fd = socket(v6 ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, 0);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&ss, len) == 0 &&
        getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                        : ((struct sockaddr_in *)&ss)->sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

int peer_free_port(int v6) { return free_port(v6, SOCK_STREAM); }
int peer_free_udp_port(int v6) { return free_port(v6, SOCK_DGRAM); }

int peer_have_ipv6(char *reason, size_t n)
{
    int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(reason, n, "no IPv6 sockets here (%s)", strerror(errno));
        return 0;
    }
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    int ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (!ok)
        snprintf(reason, n, "::1 is not usable here (%s)", strerror(errno));
    close(fd);
    return ok;
}

int peer_socat_echo(peer *p, const char *proto)
{
    static const char *const exes[] = {"/usr/bin/socat", "/bin/socat", NULL};
    memset(p, 0, sizeof *p);
    const char *exe = find_exe(exes);
    if (exe == NULL) {
        cr_log_error("peer: socat is not installed (ci/deps.sh installs it)");
        return -1;
    }
    if (make_dir(p) != 0)
        return -1;
    int v6 = strchr(proto, '6') != NULL, udp = proto[0] == 'u';
    char listen[96], log[96];
    /* port 0: socat binds any free port and logs it, so parallel tests never race. */
    snprintf(listen, sizeof listen, "%s-LISTEN:0,bind=%s%s", udp ? (v6 ? "UDP6" : "UDP4")
             : (v6 ? "TCP6" : "TCP4"), v6 ? "[::1]" : "127.0.0.1", udp ? "" : ",reuseaddr,fork");
    snprintf(log, sizeof log, "%s/socat.log", p->dir);
    char *argv[] = {(char *)exe, "-d", "-d", "-b", "65536", "-T", "30", listen, "PIPE", NULL};
    p->pid = spawn(argv, log);
    if (p->pid < 0) {
        p->pid = 0;
        peer_stop(p);
        return -1;
    }
    for (int64_t end = mono_ns() + PEER_WAIT_NS; mono_ns() < end; nap_ms(2)) {
        char line[512];
        FILE *f = fopen(log, "r");
        while (f && fgets(line, sizeof line, f)) {
            char *at = strstr(line, "listening on");
            char *colon = at ? strrchr(at, ':') : NULL;
            if (colon && atoi(colon + 1) > 0) {
                p->port = atoi(colon + 1);
                fclose(f);
                return 0;
            }
        }
        if (f)
            fclose(f);
        if (exited(p->pid)) {
            p->pid = 0;
            break;
        }
    }
    cr_log_error("peer: socat %s did not start (see %s)", proto, log);
    peer_stop(p);
    return -1;
}

static const char nginx_conf[] =
    "load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;\n"
    "daemon off;\nmaster_process off;\nworker_processes 1;\n"
    "pid %1$s/nginx.pid;\nerror_log %1$s/error.log warn;\n"
    "events { worker_connections 64; }\n"
    "http {\n"
    "  access_log off;\n"
    "  client_body_temp_path %1$s/tmp_body;\n  proxy_temp_path %1$s/tmp_proxy;\n"
    "  fastcgi_temp_path %1$s/tmp_fcgi;\n  uwsgi_temp_path %1$s/tmp_uwsgi;\n"
    "  scgi_temp_path %1$s/tmp_scgi;\n"
    "  client_max_body_size 16m;\n"
    "  server {\n"
    "    listen 127.0.0.1:%2$d;\n"
    "%3$s"
    "    root %1$s/www;\n"
    "    location = /echo { echo_read_request_body; echo -n \"$request_method|$http_x_test|\";"
    " echo_request_body; }\n"
    "    location = /chunked { echo part1; echo_flush; echo part2; }\n"
    "    location = /r301 { return 301 /index.html; }\n"
    "    location = /r302 { return 302 /r301; }\n"
    "    location = /loop { return 302 /loop; }\n"
    "    location = /teapot { return 418; }\n"
    "  }\n"
    "}\n";

static int run_wait(char *const argv[], const char *log)
{
    pid_t pid = spawn(argv, log);
    if (pid <= 0)
        return -1;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    for (int i = 0; i < PEER_MAX; i++)
        if (live_pids[i] == pid)
            live_pids[i] = 0;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int can_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

const char *peer_www(const peer *p)
{
    static char buf[96];
    snprintf(buf, sizeof buf, "%s/www", p->dir);
    return buf;
}

int peer_nginx(peer *p, int tls)
{
    static const char *const exes[] = {"/usr/sbin/nginx", "/usr/bin/nginx", NULL};
    static const char *const ssl[] = {"/usr/bin/openssl", NULL};
    memset(p, 0, sizeof *p);
    const char *exe = find_exe(exes);
    if (exe == NULL || access("/usr/lib/nginx/modules/ngx_http_echo_module.so", R_OK) != 0) {
        cr_log_error("peer: nginx or its echo module is missing (ci/deps.sh installs nginx-light)");
        return -1;
    }
    if (make_dir(p) != 0)
        return -1;
    char path[160], log[128], conf[128];
    snprintf(path, sizeof path, "%s/www", p->dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/www/index.html", p->dir);
    write_file(path, "hello from nginx\n", 17);
    snprintf(log, sizeof log, "%s/error.log", p->dir);
    snprintf(conf, sizeof conf, "%s/nginx.conf", p->dir);
    if (tls) {
        const char *openssl = find_exe(ssl);
        char key[128], crt[128];
        snprintf(key, sizeof key, "%s/key.pem", p->dir);
        snprintf(crt, sizeof crt, "%s/cert.pem", p->dir);
        char *argv[] = {(char *)openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", crt,
                        "-days", "1", "-subj", "/CN=localhost", NULL};
        if (openssl == NULL || run_wait(argv, NULL) != 0) {
            cr_log_error("peer: cannot make a certificate (openssl missing or failed)");
            peer_stop(p);
            return -1;
        }
    }
    /* nginx cannot bind port 0 and tell us; pick free ports and retry if
     * another test took one in between (nginx then exits). */
    for (int attempt = 0; attempt < 8; attempt++) {
        p->port = peer_free_port(0);
        p->tls_port = tls ? peer_free_port(0) : 0;
        char extra[384] = "";
        if (tls)
            snprintf(extra, sizeof extra,
                     "    listen 127.0.0.1:%d ssl;\n    ssl_certificate %s/cert.pem;\n"
                     "    ssl_certificate_key %s/key.pem;\n", p->tls_port, p->dir, p->dir);
        char text[sizeof nginx_conf + 1024];
        int n = snprintf(text, sizeof text, nginx_conf, p->dir, p->port, extra);
        if (p->port <= 0 || p->tls_port < 0 || write_file(conf, text, (size_t)n) != 0)
            break;
        char *argv[] = {(char *)exe, "-p", p->dir, "-c", conf, "-e", log, NULL};
        p->pid = spawn(argv, NULL);
        if (p->pid <= 0) {
            p->pid = 0;
            break;
        }
        for (int64_t end = mono_ns() + PEER_WAIT_NS; mono_ns() < end; nap_ms(2)) {
            if (can_connect(p->port) && (!tls || can_connect(p->tls_port)))
                return 0;
            if (exited(p->pid)) {
                p->pid = 0;
                break;
            }
        }
        if (p->pid)
            break;   /* alive but not answering: give up */
    }
    cr_log_error("peer: nginx did not start (see %s)", log);
    peer_stop(p);
    return -1;
}

void peer_no_proxy(void)
{
    static const char *const vars[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                       "all_proxy", "ALL_PROXY", NULL};
    for (const char *const *v = vars; *v; v++)
        unsetenv(*v);
}

void peer_stop(peer *p)
{
    if (p->pid > 0)
        kill_pid(p->pid);
    p->pid = 0;
    rm_tree(p->dir);
    p->dir[0] = 0;
}

/* ---- loopback sockets through the API under test ---- */

int64_t net_listen(int v6, int *port)
{
    for (int attempt = 0; attempt < 50; attempt++) {
        char a[64];
        *port = peer_free_port(v6);
        int n = peer_addr(a, sizeof a, v6, *port);
        RtPair r = native_tcp_bind((const uint8_t *)a, n);
        if (r.v1 == 0)
            return r.v0;
        if (r.v1 != 1)   /* anything but AddrInUse will not get better */
            return 0;
    }
    return 0;
}

int64_t net_udp_bind(int v6, int any, int *port)
{
    for (int attempt = 0; attempt < 50; attempt++) {
        char a[64];
        *port = peer_free_udp_port(v6);
        int n = any ? snprintf(a, sizeof a, v6 ? "[::]:%d" : "0.0.0.0:%d", *port)
                    : peer_addr(a, sizeof a, v6, *port);
        RtPair r = native_udp_bind((const uint8_t *)a, n);
        if (r.v1 == 0)
            return r.v0;
        if (r.v1 != 1)
            return 0;
    }
    return 0;
}

int net_tcp_pair(int v6, int64_t *client, int64_t *server)
{
    int port;
    int64_t l = net_listen(v6, &port);
    if (l == 0)
        return -1;
    char a[64];
    int n = peer_addr(a, sizeof a, v6, port);
    RtTriple c = native_tcp_connect((const uint8_t *)a, n);
    RtTriple s = c.v2 == 0 ? native_tcp_accept(l) : (RtTriple){0, 0, c.v2};
    native_net_addr_free((char *)(intptr_t)c.v1);
    native_net_addr_free((char *)(intptr_t)s.v1);
    native_tcp_close(l);
    if (c.v2 != 0 || s.v2 != 0) {
        native_tcp_close(c.v0);
        return -1;
    }
    *client = c.v0;
    *server = s.v0;
    return 0;
}

int64_t net_write_all(int64_t h, const uint8_t *data, int64_t len)
{
    while (len > 0) {
        RtPair r = native_tcp_write(h, data, len);
        if (r.v1 != 0)
            return r.v1;
        data += r.v0;
        len -= r.v0;
    }
    return 0;
}

int64_t net_read_all(int64_t h, uint8_t *buf, int64_t len)
{
    while (len > 0) {
        RtPair r = native_tcp_read(h, buf, len);
        if (r.v1 != 0)
            return r.v1;
        if (r.v0 == 0)
            return 15;
        buf += r.v0;
        len -= r.v0;
    }
    return 0;
}

/* ---- raw server ---- */

/* Wait for fd to be readable; 0 when stop fired first. */
static int raw_wait(raw_server *s, int fd)
{
    struct pollfd pf[2] = {{.fd = fd, .events = POLLIN}, {.fd = s->stop[0], .events = POLLIN}};
    while (poll(pf, 2, -1) < 0 && errno == EINTR)
        ;
    return !(pf[1].revents & POLLIN);
}

static int raw_send(int fd, const void *data, size_t len)
{
    const uint8_t *b = data;
    while (len) {
        ssize_t n = send(fd, b, len, MSG_NOSIGNAL);
        if (n <= 0)
            return -1;
        b += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read the request head and a Content-Length body (kept for the first
 * connection); the stream is left at the end of the request. */
static void raw_read_request(raw_server *s, int fd, int first)
{
    char buf[16384];
    size_t len = 0, want = 0;
    char *head_end = NULL;
    while (len < sizeof buf - 1 && raw_wait(s, fd)) {
        ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = 0;
        if (head_end == NULL && (head_end = strstr(buf, "\r\n\r\n")) != NULL) {
            want = (size_t)(head_end + 4 - buf);
            for (char *l = buf; l && l < head_end; l = strstr(l, "\r\n"), l = l ? l + 2 : l)
                if (strncasecmp(l, "Content-Length:", 15) == 0)
                    want += strtoul(l + 15, NULL, 10);
        }
        if (head_end && len >= want)
            break;
    }
    buf[len] = 0;
    if (first) {
        memcpy(s->request, buf, len + 1);
        s->request_len = len;
    }
}

static void *raw_main(void *arg)
{
    raw_server *s = arg;
    static const char chunk_head[] = "1000\r\n";
    uint8_t chunk[4096];
    memset(chunk, 'z', sizeof chunk);
    while (raw_wait(s, s->lfd)) {
        int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        int first = s->connections++ == 0;
        if (s->mode != RAW_SILENT)
            raw_read_request(s, fd, first);
        if (s->mode == RAW_STALL) {
            char tmp[512];
            while (raw_wait(s, fd) && recv(fd, tmp, sizeof tmp, 0) > 0)
                ;
        } else {
            int ok = raw_send(fd, s->reply, s->reply_len) == 0;
            while (ok && s->mode == RAW_ENDLESS) {
                struct pollfd pf = {.fd = s->stop[0], .events = POLLIN};
                if (poll(&pf, 1, 0) > 0)
                    break;
                ok = raw_send(fd, chunk_head, 6) == 0 && raw_send(fd, chunk, sizeof chunk) == 0 &&
                     raw_send(fd, "\r\n", 2) == 0;
            }
            /* Half-close and drain, so the client reads all of the reply
             * instead of a reset. */
            shutdown(fd, SHUT_WR);
            char tmp[512];
            while (raw_wait(s, fd) && recv(fd, tmp, sizeof tmp, 0) > 0)
                ;
        }
        close(fd);
    }
    return NULL;
}

int raw_start(raw_server *s, int mode, const void *reply, size_t reply_len)
{
    memset(s, 0, sizeof *s);
    s->mode = mode;
    s->reply = reply;
    s->reply_len = reply_len;
    s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&a, len) != 0 || listen(s->lfd, 64) != 0 ||
        getsockname(s->lfd, (struct sockaddr *)&a, &len) != 0 || pipe2(s->stop, O_CLOEXEC) != 0) {
        if (s->lfd >= 0)
            close(s->lfd);
        return -1;
    }
    s->port = ntohs(a.sin_port);
    if (pthread_create(&s->thread, NULL, raw_main, s) != 0) {
        close(s->lfd);
        close(s->stop[0]);
        close(s->stop[1]);
        return -1;
    }
    return 0;
}

void raw_stop(raw_server *s)
{
    if (s->lfd <= 0)
        return;
    (void)!write(s->stop[1], "x", 1);
    pthread_join(s->thread, NULL);
    close(s->lfd);
    close(s->stop[0]);
    close(s->stop[1]);
    s->lfd = 0;
}
