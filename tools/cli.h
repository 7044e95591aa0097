/*
 * tools/cli.h — the simplert subcommands. Each returns the process exit
 * status: 0 success, 1 a gate failed, 2 usage or input error.
 */
#ifndef TOOLS_CLI_H
#define TOOLS_CLI_H

int cmd_spec(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_cov(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_qualify(int argc, char **argv);

#endif /* TOOLS_CLI_H */
