/*
 * fuzz/afl_driver.c — AFL++ persistent-mode driver for the targets'
 * LLVMFuzzerTestOneInput (built with afl-clang-fast, which defines the
 * __AFL_* macros). One process runs up to 10000 inputs before AFL++
 * restarts it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__AFL_FUZZ_INIT();

int main(void)
{
    __AFL_INIT();
    unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        LLVMFuzzerTestOneInput(buf, len);
    }
    return 0;
}
