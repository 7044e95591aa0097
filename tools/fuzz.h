/*
 * tools/fuzz.h — `simplert fuzz`: AFL++ campaigns per fuzz target
 * (fuzz_cmd.c) and the --changed target selection (fuzz_changed.c).
 */
#ifndef TOOLS_FUZZ_H
#define TOOLS_FUZZ_H

#include <stdio.h>

#include "tools/util.h"

/* Adds to out the targets of `all` that a change since git REF can affect;
 * explains each choice on `why` (may be NULL). -1 when git fails. */
int fuzz_changed_targets(const char *ref, const tlist *all, tlist *out, FILE *why);

/* Every fuzz target (fuzz/targets/<name>.c), sorted. */
void fuzz_all_targets(const char *root, tlist *out);

#endif /* TOOLS_FUZZ_H */
