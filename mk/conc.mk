# mk/conc.mk — the executor, thread, future and par families.
# The executor benchmark measures against libuv's uv_queue_work (libuv1-dev).
BENCH_LIBS_executor := -luv
