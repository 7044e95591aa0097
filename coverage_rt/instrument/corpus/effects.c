/*
 * coverage_rt/instrument/corpus/effects.c — conditions with side effects:
 * every evaluation moves cx_ticks, so an instrumented build that evaluated
 * a condition twice (or one that short-circuiting should skip) prints other
 * results (corpus.h).
 */
#include "coverage_rt/instrument/corpus/corpus.h"

int cx_ticks;

int cx_tick(int v)
{
    cx_ticks = cx_ticks * 3 + v + 1;
    return v;
}

int cx_effects(int a, int b, int c)
{
    int r = 0;
    if (cx_tick(a) && cx_tick(b))
        r += 1;
    if (cx_tick(a) || cx_tick(c))
        r += 2;
    r += cx_tick(b) ? cx_tick(4) : cx_tick(8);
    int x = cx_tick(c) && (cx_tick(a) || cx_tick(b));
    return r + x;
}

int cx_effects_loop(int n)
{
    int i = 0;
    while (cx_tick(i) < n && cx_tick(1))
        i++;
    return i;
}

int cx_assign_in_cond(const int *v, int n)
{
    int x, s = 0, i = 0;
    while (i < n && (x = v[i++]) != 0)
        s += x;
    return s;
}
