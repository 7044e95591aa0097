/*
 * tests/instrument/behaviour.c — the rewritten corpus behaves exactly as the
 * original, with coverage off and on: same results, same out-parameters,
 * and the same sequence of side effects in conditions (cx_ticks moves on
 * every evaluation, so a condition evaluated twice, or one that
 * short-circuiting should have skipped, shows).
 */
#include "tests/instrument/ix.h"

static const int in[] = {-7, -3, -1, 0, 1, 2, 3, 4, 5, 7, 12, 100};
#define NIN ((int)(sizeof in / sizeof in[0]))

static void compare_all(void)
{
    for (int i = 0; i < NIN; i++) {
        int a = in[i];
        cr_assert_eq(ix_cx_else_if(a), cx_else_if(a), "else_if(%d)", a);
        cr_assert_eq(ix_cx_do(a), cx_do(a), "do(%d)", a);
        cr_assert_eq(ix_cx_forever(a), cx_forever(a), "forever(%d)", a);
        cr_assert_eq(ix_cx_switch(a), cx_switch(a), "switch(%d)", a);
        cr_assert_eq(ix_cx_recursive(a), cx_recursive(a), "recursive(%d)", a);
        cr_assert_eq(ix_cx_do_once(a), cx_do_once(a), "do_once(%d)", a);
        cr_assert_eq(ix_cx_constant(a), cx_constant(a), "constant(%d)", a);
        cr_assert_eq(ix_cx_many((unsigned)a), cx_many((unsigned)a), "many(%d)", a);
        for (int j = 0; j < NIN; j++) {
            int b = in[j];
            cr_assert_eq(ix_cx_while(a, b), cx_while(a, b), "while(%d, %d)", a, b);
            cr_assert_eq(ix_cx_for(a, b), cx_for(a, b), "for(%d, %d)", a, b);
            cr_assert_eq(ix_cx_nested_loops(a, b), cx_nested_loops(a, b), "nested(%d, %d)", a,
                         b);
            cr_assert_eq(ix_cx_goto(a, b), cx_goto(a, b), "goto(%d, %d)", a, b);
            cr_assert_eq(ix_cx_macro(a, b), cx_macro(a, b), "macro(%d, %d)", a, b);
            cr_assert_eq(ix_cx_early(a, b, 4), cx_early(a, b, 4), "early(%d, %d)", a, b);
            cr_assert_eq(ix_cx_float(a / 2.0, (float)b), cx_float(a / 2.0, (float)b),
                         "float(%d, %d)", a, b);
        }
    }
    for (unsigned v = 0; v < 256; v++)
        cr_assert_eq(ix_cx_many(v), cx_many(v), "many(%u)", v);
    static const int one = 1, zero = 0;
    for (int m = 0; m < 16; m++) {
        int a = m & 1, b = (m >> 1) & 1, c = (m >> 2) & 1, d = (m >> 3) & 1;
        cr_assert_eq(ix_cx_and(a, b), cx_and(a, b));
        cr_assert_eq(ix_cx_or_not(a, b, c), cx_or_not(a, b, c));
        cr_assert_eq(ix_cx_nested_if(a, b, c + d), cx_nested_if(a, b, c + d));
        cr_assert_eq(ix_cx_ternary(a, b, c), cx_ternary(a, b, c));
        int o1 = -1, o2 = -2;
        cr_assert_eq(ix_cx_standalone(a, b, c, &o1), cx_standalone(a, b, c, &o2));
        cr_assert_eq(o1, o2);
        cr_assert_eq(ix_cx_bool(a, b), cx_bool(a, b));
        cr_assert_eq(ix_cx_multiline(a, b, c, d), cx_multiline(a, b, c, d));
        cr_assert_eq(ix_cx_parens(a, b, c, d), cx_parens(a, b, c, d));
        const int *p = m & 1 ? &one : m & 2 ? &zero : NULL;
        const char *s = m & 4 ? "banana" : m & 8 ? "" : NULL;
        cr_assert_eq(ix_cx_pointer(p, s), cx_pointer(p, s), "pointer(m=%d)", m);
    }
    static const int v[] = {3, 1, 4, 1, 5, 0, 9, 2};
    for (int n = 0; n <= 8; n++)
        cr_assert_eq(ix_cx_assign_in_cond(v, n), cx_assign_in_cond(v, n));
}

/* Each condition is evaluated once, and only when C evaluates it. */
static void compare_effects(void)
{
    for (int m = 0; m < 8; m++) {
        int a = m & 1, b = (m >> 1) & 1, c = (m >> 2) & 1;
        cx_ticks = 0;
        ix_cx_ticks = 0;
        cr_assert_eq(ix_cx_effects(a, b, c), cx_effects(a, b, c));
        cr_assert_eq(ix_cx_ticks, cx_ticks, "effects(%d, %d, %d): side effects differ", a, b, c);
    }
    for (int n = -1; n < 6; n++) {
        cx_ticks = ix_cx_ticks = 7;
        cr_assert_eq(ix_cx_effects_loop(n), cx_effects_loop(n));
        cr_assert_eq(ix_cx_ticks, cx_ticks, "effects_loop(%d): side effects differ", n);
    }
}

Test(instrument, unchanged_with_coverage_off)
{
    cr_assert(!rt_coverage_enabled());
    compare_all();
    compare_effects();
    IX_LEAK_CHECK();
}

Test(instrument, unchanged_with_coverage_on)
{
    rt_coverage_enable();
    cr_assert(rt_coverage_enabled());
    compare_all();
    compare_effects();
    rt_coverage_clear();
    IX_LEAK_CHECK();
}
