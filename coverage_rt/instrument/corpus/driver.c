/*
 * coverage_rt/instrument/corpus/driver.c — runs every corpus function over
 * a fixed set of inputs and prints one line per call, so three builds of
 * the corpus (instrumented, gcc --coverage, clang -fcoverage-mcdc) can be
 * compared byte for byte (make dogfood-check).
 */
#include <stdio.h>

#include "coverage_rt/instrument/corpus/corpus.h"

int main(void)
{
    static const int in[] = {-3, -1, 0, 1, 2, 3, 5, 7, 12};
    const int nin = (int)(sizeof in / sizeof in[0]);
    int one = 1, zero = 0, out;
    for (int i = 0; i < nin; i++) {
        int a = in[i];
        printf("%d: %d %d %d %d %d %d %d %d\n", a, cx_else_if(a), cx_do(a), cx_forever(a),
               cx_switch(a), cx_recursive(a), cx_do_once(a), cx_constant(a),
               cx_effects_loop(a));
        for (int j = 0; j < nin; j++) {
            int b = in[j];
            printf(" %d %d: %d %d %d %d %d %d %d\n", a, b, cx_while(a, b), cx_for(a, b),
                   cx_nested_loops(a, b), cx_goto(a, b), cx_macro(a, b), cx_early(a, b, 4),
                   cx_float(a / 2.0, (float)b));
        }
    }
    for (int m = 0; m < 16; m++) {
        int a = m & 1, b = (m >> 1) & 1, c = (m >> 2) & 1, d = (m >> 3) & 1;
        cx_ticks = 0;
        int e = cx_effects(a, b, c), st = cx_standalone(a, b, c, &out);
        printf("m%d: %d %d %d %d %d %d %d %d %d %d %d %d\n", m, cx_and(a, b),
               cx_or_not(a, b, c), cx_nested_if(a, b, c + d), cx_ternary(a, b, c),
               st, out, cx_bool(a, b), cx_multiline(a, b, c, d),
               cx_parens(a, b, c, d), cx_pointer(m & 1 ? &one : m & 2 ? &zero : NULL,
                                                 m & 4 ? "banana" : m & 8 ? "" : NULL),
               e, cx_ticks);
    }
    static const int v[] = {3, 1, 4, 1, 5, 0, 9, 2};
    printf("assign: %d %d %d\n", cx_assign_in_cond(v, 8), cx_assign_in_cond(v, 3),
           cx_assign_in_cond(v, 0));
    unsigned many = 0;
    for (unsigned x = 0; x < 256; x++)
        many += (unsigned)cx_many(x) << (x % 8);
    printf("many: %u\n", many);
    return 0;
}
