/*
 * fuzz/targets/sdn_reader.c — libFuzzer target for the SDN reader and writer.
 *
 * Parses the input (both the full reader and the upstream-subset reader);
 * whatever parses must write, parse back, and compare equal, and writing the
 * re-read document must give the same text. Any mismatch aborts.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       fuzz/targets/sdn_reader.c sdn/sdn_*.c -o /tmp/f
 *   /tmp/f -dict=fuzz/dict/sdn.dict <corpus copy> fuzz/corpus/sdn_reader
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdn/sdn.h"

static void check_round_trip(const sdn_value *v, const char *in, size_t size)
{
    size_t len = 0;
    char *text = sdn_write(v, &len);
    if (!text) {
        fprintf(stderr, "sdn_write failed on a parsed document\n");
        abort();
    }
    sdn_error e;
    sdn_value *back = sdn_parse(text, len, &e);
    if (!back || !sdn_equal(v, back)) {
        fprintf(stderr, "round trip failed: %s\n--- input ---\n%.*s\n--- written ---\n%s\n",
                back ? "documents differ" : e.msg, (int)size, in, text);
        abort();
    }
    size_t len2 = 0;
    char *text2 = sdn_write(back, &len2);
    if (!text2 || len2 != len || memcmp(text, text2, len) != 0) {
        fprintf(stderr, "writing is not stable\n--- first ---\n%s\n--- second ---\n%s\n", text,
                text2 ? text2 : "(null)");
        abort();
    }
    free(text2);
    sdn_free(back);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sdn_error e;
    sdn_value *v = sdn_parse((const char *)data, size, &e);
    if (v) {
        check_round_trip(v, (const char *)data, size);
    } else if (e.line < 1 || e.col < 1 || e.msg[0] == '\0') {
        fprintf(stderr, "error without a position: %d:%d '%s'\n", e.line, e.col, e.msg);
        abort();
    }
    /* The upstream subset must never accept what the full reader rejects,
     * and must agree with it on what both accept. */
    sdn_value *c = sdn_parse_compat((const char *)data, size, NULL);
    if (c && (!v || !sdn_equal(c, v))) {
        fprintf(stderr, "compat reader accepted what the full reader %s\n",
                v ? "read differently" : "rejected");
        abort();
    }
    sdn_free(c);
    sdn_free(v);
    return 0;
}
