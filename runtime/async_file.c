/*
 * runtime/async_file.c — background memory-mapped file loading behind
 * integer handles.
 *
 * Implements spec/ffi/async_file.sdn: native_async_file_create,
 * native_async_file_start_loading, native_async_file_is_ready,
 * native_async_file_get_state, native_async_file_wait,
 * native_async_file_close.
 *
 * Lifetime: an afile is reached only through its handle. Every call enters
 * it under `gate` (lookup + reference in one step) and a queued or running
 * load holds a reference too; close releases the handle under the same
 * gate, so no call can enter afterwards, cancels a load still queued, waits
 * for the references to drain (a running load finishes first; its prefault
 * stops early) and only then unmaps and frees.
 *
 * Lock order: gate -> afile.mu -> the pool's lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/async_pool.h"
#include "runtime/handle.h"
#include "runtime/heap.h"
#include "runtime/layout.h"
#include "runtime/mem.h"
#include "simplert/async_file.h"
#include "simplert/value.h"

enum { PENDING = 0, LOADING = 1, READY = 2, FAILED = 3 };
enum { JOB_NONE, JOB_QUEUED, JOB_DONE };

#define MAX_OPEN (INT64_C(1) << 20)
#define PREFAULT_CHUNK ((size_t)4 << 20)
#define PREFAULT_PAUSE_NS 100000L

/* Flags that could write, create or truncate: refused at create.
 * (O_TMPFILE contains O_DIRECTORY's bit, so it is tested as a whole.) */
#define WRITE_FLAGS (O_CREAT | O_TRUNC | O_APPEND | O_EXCL)

typedef struct afile {
    rtx_afjob job;
    pthread_mutex_t mu;      /* guards everything below but the immutables */
    pthread_cond_t cv;       /* broadcast on every state or refs change */
    _Atomic int state;       /* PENDING..FAILED, written under mu */
    int job_state;           /* JOB_*: whether a load was ever queued */
    uint32_t refs;           /* calls inside + a queued or running load */
    _Atomic bool closing;    /* close began: the load stops prefaulting */
    void *addr;              /* the mapping once READY (empty_region if 0 bytes) */
    size_t len;
    int mode, prefault;      /* immutable */
    size_t path_len;         /* immutable */
    char path[];             /* immutable copy, NUL-terminated */
} afile;
_Static_assert(offsetof(afile, job) == 0, "run_load turns its job back into the afile");

/* What an empty file maps to: non-zero, and valid for 0 bytes. */
static const unsigned char empty_region[16];

static rtx_handle_table files = RTX_HANDLE_TABLE_INIT(RTX_HK_FILE, "async_file");
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int64_t open_count;

static afile *enter(int64_t h);
static void leave(afile *f);
static void submit_locked(afile *f);
static void run_load(rtx_afjob *job, int abandoned);
static int load(afile *f, void **addr, size_t *len);
static void pause_between_chunks(void);
static bool mode_ok(int32_t mode);
static void set_final_locked(afile *f, int state);

RT_API int64_t native_async_file_create(RtValue path, int32_t mode, int32_t prefault)
{
    const RtString *s = (const RtString *)rtx_heap_get(path, RT_HEAP_STRING);
    if (s == NULL || !mode_ok(mode))
        return 0;
    if (atomic_fetch_add(&open_count, 1) >= MAX_OPEN) {
        atomic_fetch_sub(&open_count, 1);
        return 0;
    }
    afile *f = s->len < RTX_STRING_MAX_LEN ? rtx_calloc(1, sizeof *f + s->len + 1) : NULL;
    if (f == NULL)
        goto fail;
    if (pthread_mutex_init(&f->mu, NULL) != 0)
        goto fail_free;
    if (pthread_cond_init(&f->cv, NULL) != 0)
        goto fail_mu;
    memcpy(f->path, s->bytes, s->len);
    f->path_len = s->len;
    f->mode = mode;
    f->prefault = prefault != 0;
    f->job.run = run_load;
    uint64_t h = rtx_handle_new(&files, f);   /* publishes f (release) */
    if (h != 0)
        return (int64_t)h;
    pthread_cond_destroy(&f->cv);
fail_mu:
    pthread_mutex_destroy(&f->mu);
fail_free:
    rtx_free(f);
fail:
    atomic_fetch_sub(&open_count, 1);
    return 0;
}

RT_API void native_async_file_start_loading(int64_t handle)
{
    afile *f = enter(handle);
    if (f == NULL)
        return;
    pthread_mutex_lock(&f->mu);
    submit_locked(f);
    pthread_mutex_unlock(&f->mu);
    leave(f);
}

RT_API int64_t native_async_file_is_ready(int64_t handle)
{
    return native_async_file_get_state(handle) == READY;
}

RT_API int64_t native_async_file_get_state(int64_t handle)
{
    afile *f = enter(handle);
    if (f == NULL)
        return FAILED;
    int64_t st = atomic_load(&f->state);
    if (st == PENDING)   /* a poll loop in a forked child needs workers too */
        (void)rtx_afpool_kick();
    leave(f);
    return st;
}

RT_API RtValue native_async_file_wait(int64_t handle)
{
    afile *f = enter(handle);
    if (f == NULL)
        return rt_value_int(0);
    pthread_mutex_lock(&f->mu);
    submit_locked(f);   /* upstream would spin forever on a load nobody started */
    int st;
    while ((st = atomic_load(&f->state)) != READY && st != FAILED)
        pthread_cond_wait(&f->cv, &f->mu);
    uintptr_t addr = st == READY ? (uintptr_t)f->addr : 0;
    pthread_mutex_unlock(&f->mu);
    leave(f);
    /* User-space addresses fit the 61-bit inline int: never boxed. */
    return rt_value_int((int64_t)addr);
}

RT_API int64_t native_async_file_close(int64_t handle)
{
    pthread_mutex_lock(&gate);
    afile *f = rtx_handle_release(&files, (uint64_t)handle);
    pthread_mutex_unlock(&gate);
    if (f == NULL)
        return -1;
    /* No call can enter f any more; drain the ones inside. */
    atomic_store(&f->closing, true);
    pthread_mutex_lock(&f->mu);
    if (f->job_state == JOB_QUEUED && rtx_afpool_cancel(&f->job)) {
        f->refs--;   /* the cancelled load's reference */
        set_final_locked(f, FAILED);
    }
    while (f->refs > 0)
        pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
    if (f->addr != NULL && f->len > 0)
        munmap(f->addr, f->len);
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    rtx_free(f);
    atomic_fetch_sub(&open_count, 1);
    return 0;
}

/* The afile behind h with a reference taken, or NULL. */
static afile *enter(int64_t h)
{
    pthread_mutex_lock(&gate);
    afile *f = rtx_handle_get(&files, (uint64_t)h);
    if (f != NULL) {
        pthread_mutex_lock(&f->mu);
        f->refs++;
        pthread_mutex_unlock(&f->mu);
    }
    pthread_mutex_unlock(&gate);
    return f;
}

static void leave(afile *f)
{
    pthread_mutex_lock(&f->mu);
    f->refs--;
    pthread_cond_broadcast(&f->cv);   /* a closer may wait for refs == 0 */
    pthread_mutex_unlock(&f->mu);
}

/* Queue the load once; f->mu held. The queued load holds a reference. */
static void submit_locked(afile *f)
{
    if (f->job_state == JOB_QUEUED) {
        /* Queued before a fork, the child has no worker for it yet. */
        if (rtx_afpool_kick() != 0 && rtx_afpool_cancel(&f->job)) {
            f->refs--;
            set_final_locked(f, FAILED);
        }
        return;
    }
    if (f->job_state != JOB_NONE)
        return;
    if (atomic_load(&f->closing)) {   /* a wait that entered just before close */
        set_final_locked(f, FAILED);
        return;
    }
    f->job_state = JOB_QUEUED;
    f->refs++;
    if (rtx_afpool_submit(&f->job) != 0) {
        f->refs--;
        set_final_locked(f, FAILED);
    }
}

/* On a worker (or at exit, abandoned): load, publish, drop the reference. */
static void run_load(rtx_afjob *job, int abandoned)
{
    afile *f = (afile *)job;   /* job is the first member */
    void *addr = NULL;
    size_t len = 0;
    int ok = 0;
    pthread_mutex_lock(&f->mu);
    int go = !abandoned && !atomic_load(&f->closing);
    if (go) {
        atomic_store(&f->state, LOADING);
        pthread_cond_broadcast(&f->cv);
    }
    pthread_mutex_unlock(&f->mu);
    if (go)   /* no lock held: the path, mode and prefault flag are immutable */
        ok = load(f, &addr, &len) == 0;
    pthread_mutex_lock(&f->mu);
    if (ok) {
        f->addr = addr;
        f->len = len;
    }
    f->refs--;
    set_final_locked(f, ok ? READY : FAILED);
    pthread_mutex_unlock(&f->mu);
}

/* Open, map and optionally prefault; 0 or -1. The descriptor is closed
 * before returning either way (the mapping keeps the file). */
static int load(afile *f, void **addr, size_t *len)
{
    if (memchr(f->path, 0, f->path_len) != NULL)
        return -1;   /* an embedded NUL would open a different path */
    /* O_NONBLOCK: opening a FIFO must not park a worker; it then fails the
     * regular-file check below. */
    int fd = open(f->path, f->mode | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) {
        close(fd);
        return -1;
    }
    if (st.st_size == 0) {
        close(fd);
        *addr = (void *)empty_region;
        *len = 0;
        return 0;
    }
    size_t n = (size_t)st.st_size;
    void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return -1;
    for (size_t off = 0; f->prefault && off < n; off += PREFAULT_CHUNK) {
        if (atomic_load(&f->closing))
            break;   /* nobody will read it: stop paging it in */
        size_t chunk = n - off < PREFAULT_CHUNK ? n - off : PREFAULT_CHUNK;
        (void)madvise((char *)p + off, chunk, MADV_WILLNEED);
        if (off + chunk < n)
            pause_between_chunks();   /* as upstream: spread the I/O out */
    }
    *addr = p;
    *len = n;
    return 0;
}

static void set_final_locked(afile *f, int state)
{
    f->job_state = JOB_DONE;
    atomic_store(&f->state, state);
    pthread_cond_broadcast(&f->cv);
}

static void pause_between_chunks(void)
{
    struct timespec t = {0, PREFAULT_PAUSE_NS};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

/* Read-only opens only: a hostile O_TRUNC must not empty the file. */
static bool mode_ok(int32_t mode)
{
    return (mode & O_ACCMODE) == O_RDONLY && (mode & WRITE_FLAGS) == 0 &&
           (mode & O_TMPFILE) != O_TMPFILE;
}
