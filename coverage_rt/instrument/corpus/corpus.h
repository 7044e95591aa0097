/*
 * coverage_rt/instrument/corpus/corpus.h — the fixed corpus of the dogfood
 * cross-checks (make dogfood-check) and of tests/instrument: decisions of
 * every shape the instrumenter handles, and some it must skip. Every
 * function is deterministic; driver.c runs them all and prints the results,
 * so the instrumented, gcov and clang builds can be compared.
 */
#ifndef RTCOV_CORPUS_H
#define RTCOV_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* shapes.c: if / ?: / && / || / ! in every position */
int cx_and(int a, int b);
int cx_or_not(int a, int b, int c);
int cx_nested_if(int a, int b, int c);
int cx_else_if(int x);
int cx_ternary(int a, int b, int c);
int cx_standalone(int a, int b, int c, int *out);
int cx_pointer(const int *p, const char *s);
int cx_float(double d, float f);
bool cx_bool(bool a, bool b);
int cx_multiline(int a, int b, int c, int d);
int cx_parens(int a, int b, int c, int d);
int cx_macro(int a, int b);
int cx_constant(int a);
int cx_many(unsigned v);

/* loops.c: while, do, for in every form, break, continue, switch, goto */
int cx_while(int n, int stop);
int cx_do(int n);
int cx_for(int n, int m);
int cx_forever(int n);
int cx_nested_loops(int n, int m);
int cx_switch(int k);
int cx_goto(int a, int b);
int cx_early(int a, int b, int c);
int cx_recursive(int n);
int cx_do_once(int a);

/* effects.c: conditions with side effects (evaluated exactly once) */
extern int cx_ticks;
int cx_tick(int v);
int cx_effects(int a, int b, int c);
int cx_effects_loop(int n);
int cx_assign_in_cond(const int *v, int n);

#endif /* RTCOV_CORPUS_H */
