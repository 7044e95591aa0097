/*
 * tools/main.c — the `simplert` command: dispatch to subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "tools/cli.h"

static const char usage[] =
    "usage: simplert <command> [options]     (simplert <command> --help for details)\n"
    "\n"
    "commands:\n"
    "  audit      the stub-status report from facts: spec rows, exported symbols, headers,\n"
    "             conformance results, fuzz targets; fails when a row is contradicted\n"
    "  spec       check the FFI contract (spec/ffi), list rows, generate fuzz call tables\n"
    "  cov        coverage reports: merge the SDN reports of many processes, render them\n"
    "             (text, JSON, LCOV, HTML) and gate on decision/condition/MC/DC/path coverage\n"
    "  fuzz       AFL++ campaigns per fuzz target: time budget, crashes minimised into\n"
    "             fuzz/regressions/, resumable, --changed REF, multi-machine --sync-dir\n"
    "  qualify    every qualification stage with progress, then reports/index.html,\n"
    "             qualification.sdn, JUnit, Cobertura and LCOV; fails listing the gates\n"
    "\n"
    "The two commands most people need are make targets:\n"
    "  make qualify   release qualification: every stage, reports/index.html\n"
    "  make test      the gate CI runs\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "spec") == 0)
        return cmd_spec(argc - 1, argv + 1);
    if (strcmp(cmd, "audit") == 0)
        return cmd_audit(argc - 1, argv + 1);
    if (strcmp(cmd, "cov") == 0)
        return cmd_cov(argc - 1, argv + 1);
    if (strcmp(cmd, "fuzz") == 0)
        return cmd_fuzz(argc - 1, argv + 1);
    if (strcmp(cmd, "qualify") == 0)
        return cmd_qualify(argc - 1, argv + 1);
    fprintf(stderr, "simplert: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
