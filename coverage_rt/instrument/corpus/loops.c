/*
 * coverage_rt/instrument/corpus/loops.c — loops, switch, goto, early
 * returns and recursion: the path model's cases (corpus.h).
 */
#include "coverage_rt/instrument/corpus/corpus.h"

int cx_while(int n, int stop)
{
    int i = 0, s = 0;
    while (i < n) {
        if (i == stop)
            break;
        if (i & 1) {
            i++;
            continue;
        }
        s += i++;
    }
    return s;
}

int cx_do(int n)
{
    int s = 0;
    do {
        s += n;
        n -= 2;
    } while (n > 0);
    return s;
}

int cx_for(int n, int m)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += i;
    for (int j = m; j > 0 && s < 100; j--) {
        if (j == 3)
            continue;
        s += j;
    }
    int k;
    for (k = 0; k < n;)
        k += 2;
    return s + k;
}

int cx_forever(int n)
{
    int s = 0;
    for (;;) {
        if (n <= 0)
            break;
        if (n == 7)
            return -1;
        s += n--;
    }
    while (1)
        if (s-- < 3)
            break;
    return s;
}

int cx_nested_loops(int n, int m)
{
    int s = 0;
    for (int i = 0; i < n; i++) {
        int j = 0;
        while (j < m) {
            if ((i + j) % 3 == 0)
                s++;
            j++;
        }
    }
    return s;
}

int cx_switch(int k)
{
    int r = 0;
    switch (k) {
    case 0:
        r = 10;
        break;
    case 1:
    case 2:
        r = 20;
        /* fall through */
    case 3:
        r += 5;
        break;
    case 4:
        return 99;
    default:
        r = k > 10 ? -1 : -2;
        break;
    }
    switch (k & 1) {
    case 1:
        r++;
        break;
    }
    return r;
}

int cx_goto(int a, int b)
{
    int r = 0;
    if (a < 0)
        goto fail;
    r += a;
    if (b < 0)
        goto fail;
    r += b;
    return r;
fail:
    r = -1;
    return r;
}

int cx_early(int a, int b, int c)
{
    if (!a)
        return 0;
    if (b > c)
        return 1;
    for (int i = 0; i < c; i++)
        if (i == b)
            return 2 + i;
    return 3;
}

int cx_recursive(int n)
{
    if (n <= 1)
        return 1;
    return n + cx_recursive(n - 1);
}

int cx_do_once(int a)
{
    int r = 0;
    do {
        if (a > 2)
            break;
        r = a * 2;
    } while (0);
    return r;
}
