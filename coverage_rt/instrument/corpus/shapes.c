/*
 * coverage_rt/instrument/corpus/shapes.c — decisions of every shape
 * (corpus.h). Not part of the library: input to the instrumenter's tests
 * and cross-checks.
 */
#include <stddef.h>

#include "coverage_rt/instrument/corpus/corpus.h"

#define CX_NEG(x) ((x) < 0)
#define CX_BOTH(a, b) ((a) > 0 && (b) > 0)
#define CX_MAX(a, b) ((a) > (b) ? (a) : (b))
#define CX_FLAG 0

int cx_and(int a, int b)
{
    if (a && b)
        return 1;
    return 0;
}

int cx_or_not(int a, int b, int c)
{
    int r = 0;
    if (!a || (b && !c))
        r += 1;
    if (!(a && b))
        r += 2;
    return r;
}

int cx_nested_if(int a, int b, int c)
{
    if (a) {
        if (b)
            return c ? 1 : 2;
        else
            return 3;
    }
    if (c > 1)
        return 4;
    return 5;
}

int cx_else_if(int x)
{
    if (x < 0)
        return -1;
    else if (x == 0)
        return 0;
    else if (x < 10 && x != 5)
        return 1;
    else
        return 2;
}

int cx_ternary(int a, int b, int c)
{
    int r = a ? (b ? 1 : 2) : (c ? 3 : 4);
    r += (a > b) ? a : b;
    return r + (a && c ? 10 : 20);
}

int cx_standalone(int a, int b, int c, int *out)
{
    int x = a && b;
    int y = a || (b && c);
    *out = !(a || c);
    return x * 4 + y * 2 + (b || c);
}

int cx_pointer(const int *p, const char *s)
{
    int r = 0;
    if (p && *p > 0)
        r += 1;
    if (!s || !*s)
        r += 2;
    while (s && *s)
        r += *s++ == 'a';
    return r;
}

int cx_float(double d, float f)
{
    int r = 0;
    if (d)
        r += 1;
    if (f && d > 0.5)
        r += 2;
    return r + (d < f ? 4 : 0);
}

bool cx_bool(bool a, bool b)
{
    bool r = a && !b;
    if (r || (a && b))
        return true;
    return false;
}

int cx_multiline(int a, int b, int c, int d)
{
    if (a > 0 &&
        b > 0 &&
        (c > 0 ||
         d > 0))
        return 1;
    return 0;
}

int cx_parens(int a, int b, int c, int d)
{
    if (((a > 0) && (b > 0)) || ((c > 0) && (d > 0)))
        return 1;
    return (((a))) ? 2 : 3;
}

/* Macros: a decision inside a macro body is skipped (and listed); a
 * condition that is a macro expansion is one condition. */
int cx_macro(int a, int b)
{
    int r = 0;
    if (CX_NEG(a))
        r += 1;
    if (CX_NEG(a) || b > 3)
        r += 2;
    if (CX_BOTH(a, b))
        r += 4;
    return r + CX_MAX(a, b);
}

/* Constant conditions are listed, not instrumented: the compiler must still
 * see them (e.g. for -Wreturn-type after while (1)). */
int cx_constant(int a)
{
    int r = (int)sizeof(int) == 4 ? 1 : 2;
    if (CX_FLAG)
        r += 100;
    if (sizeof(long) >= 4 && a > 0)
        r += 2;
    r += (int)sizeof(a && r);
    while (1) {
        if (a-- <= 0)
            return r;
        r++;
    }
}

/* Eight conditions in one decision. */
int cx_many(unsigned v)
{
    if (((v & 1) && (v & 2)) || ((v & 4) && !(v & 8)) || ((v & 16) && (v & 32)) ||
        ((v & 64) || (v & 128)))
        return 1;
    return 0;
}
