/*
 * tools/elfsyms.h — the functions a shared library exports, read from its
 * ELF .dynsym (no dependency on binutils).
 */
#ifndef TOOLS_ELFSYMS_H
#define TOOLS_ELFSYMS_H

#include "tools/util.h"

/* Defined, global or weak, default-visibility FUNC symbols of an ELF64
 * shared object. 0 ok; -1 with msg on a missing or malformed file. */
int elf_exported_functions(const char *path, tlist *out, char *msg, size_t msglen);

#endif /* TOOLS_ELFSYMS_H */
