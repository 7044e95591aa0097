/*
 * tools/main.c — the `simplert` command: dispatch to subcommands.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        puts("usage: simplert <command> [options]");
        return argc < 2 ? 2 : 0;
    }
    fprintf(stderr, "simplert: unknown command '%s'\n", argv[1]);
    return 2;
}
