/*
 * fuzz/targets/async_file.c — operation sequences over the async_file
 * family (spec/ffi/async_file.sdn).
 *
 * native_async_file_create never gets a fuzzer-chosen path: a path such as
 * /proc/kcore would be mapped and prefaulted for terabytes. It picks one of
 * the fixtures made at start-up (or a non-string value), with a mode from a
 * mix of read-only and write flags. Oracles: states stay in 0..3, is_ready
 * agrees with the state, a successful wait maps exactly the fixture's bytes,
 * write flags are refused, and a closed handle answers 3 and -1.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/rtz.h"
#include "rtz_async_file.h"
#include "rtz_value.h"

enum { F_SMALL, F_EMPTY, F_BIG, F_MISSING, F_DIR, F_FIFO, F_NUL, NFIX };
#define BIG_LEN 65536

static char dir[64];
static char paths[NFIX][96];
static size_t path_lens[NFIX];
static int ready;   /* fixtures made */

/* Open handles -> fixture, for the content oracle. `plain`: opened with a
 * plain read-only mode, so a good fixture must load (random flags such as
 * O_DIRECTORY or O_PATH may make any open or mmap fail). */
#define NMAP 1024
static struct {
    int64_t h;
    int fix, plain;
} map[NMAP];
static unsigned map_next;

static unsigned char expected(int fix, size_t i)
{
    return fix == F_SMALL ? (unsigned char)"hello fuzz"[i] : (unsigned char)('A' + i % 51);
}

static size_t fixture_len(int fix) { return fix == F_SMALL ? 10 : fix == F_BIG ? BIG_LEN : 0; }

static void remove_fixtures(void)
{
    unlink(paths[F_SMALL]);
    unlink(paths[F_EMPTY]);
    unlink(paths[F_BIG]);
    unlink(paths[F_FIFO]);
    rmdir(paths[F_DIR]);
    rmdir(dir);
}

static void make_fixtures(void)
{
    snprintf(dir, sizeof dir, "/tmp/rtz-async-file-XXXXXX");
    if (mkdtemp(dir) == NULL)
        abort();
    static const char *const names[NFIX] = {"small", "empty", "big", "missing", "dir", "fifo",
                                            "small"};
    for (int i = 0; i < NFIX; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
        path_lens[i] = strlen(paths[i]);
    }
    path_lens[F_NUL] += 1;   /* "<dir>/small" plus its NUL: must not open <dir>/small */
    for (int f = F_SMALL; f <= F_BIG; f++) {
        FILE *fp = fopen(paths[f], "wb");
        if (fp == NULL)
            abort();
        for (size_t i = 0; i < fixture_len(f); i++)
            fputc(expected(f, i), fp);
        fclose(fp);
    }
    if (mkdir(paths[F_DIR], 0700) != 0 || mkfifo(paths[F_FIFO], 0600) != 0)
        abort();
    atexit(remove_fixtures);
    ready = 1;
}

static int fixture_of(int64_t h, int *plain)
{
    for (unsigned i = 0; i < NMAP; i++)
        if (map[i].h == h && h != 0) {
            *plain = map[i].plain;
            return map[i].fix;
        }
    return -1;
}

static void forget(int64_t h)
{
    for (unsigned i = 0; i < NMAP; i++)
        if (map[i].h == h)
            map[i].h = 0;
}

static void op_create(rtz *z)
{
    if (!ready)
        make_fixtures();
    static const int32_t modes[] = {O_RDONLY, O_RDONLY | O_CLOEXEC, O_RDONLY | O_NOFOLLOW,
                                    O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC, O_RDONLY | O_CREAT,
                                    O_RDONLY | O_APPEND, O_TMPFILE | O_RDWR};
    uint8_t c = rtz_u8(z);
    int32_t mode = c < 200 ? modes[c % 9] : rtz_i32(z);
    int plain = c < 200 && c % 9 < 3;
    int32_t prefault = rtz_i32(z);
    int fix = -1;
    RtValue path;
    if (rtz_u8(z) % 8 == 0) {
        path = rtz_rv(z);   /* anything; only a live string is accepted */
        if (rt_value_heap_type(path) == RT_HEAP_STRING)
            return;         /* a fuzzer-made string is a fuzzer-chosen path: skip */
    } else {
        fix = rtz_u8(z) % NFIX;
        path = rt_string_new((const uint8_t *)paths[fix], path_lens[fix]);
        rtz_adopt(z, path);
    }
    int64_t h = native_async_file_create(path, mode, prefault);
    int write_flags = (mode & O_ACCMODE) != O_RDONLY ||
                      (mode & (O_CREAT | O_TRUNC | O_APPEND | O_EXCL)) != 0 ||
                      (mode & O_TMPFILE) == O_TMPFILE;
    if (fix < 0 || write_flags) {
        RTZ_CHECK(h == 0);
        return;
    }
    RTZ_CHECK(h > 0);
    RTZ_CHECK(native_async_file_get_state(h) == 0);
    unsigned slot = map_next++ % NMAP;
    map[slot].h = h;
    map[slot].fix = fix;
    map[slot].plain = plain;
    rtz_adopt_handle(z, RTZ_HK_FILE, (uint64_t)h);
}

static void op_close(rtz *z)
{
    uint64_t h = rtz_handle(z, RTZ_HK_FILE);
    int64_t rc = native_async_file_close((int64_t)h);
    forget((int64_t)h);
    RTZ_CHECK(rc == 0 || rc == -1);
    RTZ_CHECK(native_async_file_get_state((int64_t)h) == 3);
    RTZ_CHECK(native_async_file_close((int64_t)h) == -1);
    rtz_drop_handle(z, RTZ_HK_FILE, h);
}

static void prop_state(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_FILE);
    int64_t st = native_async_file_get_state(h);
    RTZ_CHECK(st >= 0 && st <= 3);
    int64_t r = native_async_file_is_ready(h);
    RTZ_CHECK(r == 0 || r == 1);
    if (r)
        RTZ_CHECK(native_async_file_get_state(h) == 2);   /* Ready is final */
}

static void prop_wait_maps_the_fixture(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_FILE);
    RtValue v = native_async_file_wait(h);
    RTZ_CHECK(rt_value_is_int(v));
    int64_t st = native_async_file_get_state(h);
    RTZ_CHECK(st == 2 || st == 3);   /* wait returns only once the load ended */
    int plain = 0, fix = fixture_of(h, &plain);
    if (st == 3) {
        RTZ_CHECK(rt_value_as_int(v) == 0);
        RTZ_CHECK(fix < 0 || fix >= F_MISSING || !plain);   /* good fixtures load */
        return;
    }
    RTZ_CHECK(rt_value_as_int(v) != 0);
    if (fix < 0)
        return;   /* not one of ours, or its map slot was reused: cannot check */
    RTZ_CHECK(fix < F_MISSING);
    const unsigned char *m = (const unsigned char *)(uintptr_t)rt_value_as_int(v);
    for (size_t i = 0; i < fixture_len(fix); i += 1 + (fix == F_BIG) * 97)
        RTZ_CHECK(m[i] == expected(fix, i));
}

static const rtz_op ops[] = {
    RTZ_OP(native_async_file_start_loading), RTZ_OP(native_async_file_is_ready),
    RTZ_OP(native_async_file_get_state), RTZ_OP(native_async_file_wait),
    {"native_async_file_create", op_create},
    {"native_async_file_close", op_close},
    {"prop_state", prop_state},
    {"prop_wait_maps_the_fixture", prop_wait_maps_the_fixture},
};

/* Every close goes through here or op_close, so the map names open handles only. */
static void release_file(uint64_t h)
{
    (void)native_async_file_close((int64_t)h);
    forget((int64_t)h);
}

__attribute__((constructor)) static void register_releaser(void)
{
    rtz_set_release(RTZ_HK_FILE, release_file);
}

RTZ_SEQUENCE_TARGET(ops, NULL)
