/*
 * tools/elfsyms.c — see elfsyms.h. Every offset read from the file is
 * bounds-checked: the audit must not crash on a truncated library.
 */
#include "tools/elfsyms.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int in_file(size_t flen, uint64_t off, uint64_t n)
{
    return off <= flen && n <= flen - off;
}

int elf_exported_functions(const char *path, tlist *out, char *msg, size_t msglen)
{
    size_t flen;
    char *f = read_file(path, &flen);
    if (f == NULL) {
        snprintf(msg, msglen, "%s: cannot read", path);
        return -1;
    }
    int rc = -1;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
    if (flen < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64) {
        snprintf(msg, msglen, "%s: not an ELF64 file", path);
        goto out;
    }
    if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(flen, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr))) {
        snprintf(msg, msglen, "%s: bad section header table", path);
        goto out;
    }
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(f + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM)
            continue;
        if (sh[i].sh_link >= eh->e_shnum || sh[i].sh_entsize != sizeof(Elf64_Sym) ||
            !in_file(flen, sh[i].sh_offset, sh[i].sh_size)) {
            snprintf(msg, msglen, "%s: bad .dynsym", path);
            goto out;
        }
        const Elf64_Shdr *strs = &sh[sh[i].sh_link];
        if (!in_file(flen, strs->sh_offset, strs->sh_size) || strs->sh_size == 0) {
            snprintf(msg, msglen, "%s: bad .dynstr", path);
            goto out;
        }
        const char *str = f + strs->sh_offset;
        const Elf64_Sym *sym = (const Elf64_Sym *)(f + sh[i].sh_offset);
        size_t n = sh[i].sh_size / sizeof *sym;
        for (size_t k = 0; k < n; k++) {
            unsigned bind = ELF64_ST_BIND(sym[k].st_info), type = ELF64_ST_TYPE(sym[k].st_info);
            if (sym[k].st_shndx == SHN_UNDEF || type != STT_FUNC ||
                (bind != STB_GLOBAL && bind != STB_WEAK) ||
                ELF64_ST_VISIBILITY(sym[k].st_other) != STV_DEFAULT)
                continue;
            if (sym[k].st_name >= strs->sh_size ||
                memchr(str + sym[k].st_name, 0, strs->sh_size - sym[k].st_name) == NULL)
                continue;
            tlist_add(out, str + sym[k].st_name);
        }
        rc = 0;
    }
    if (rc != 0)
        snprintf(msg, msglen, "%s: no .dynsym (not a shared library?)", path);
out:
    free(f);
    return rc;
}
