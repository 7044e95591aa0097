/*
 * tools/spec_cmd.c — `simplert spec`: check the contract, list rows, and
 * generate the fuzz harness's per-family call table.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/cli.h"
#include "tools/spec.h"

static const char usage[] =
    "usage: simplert spec <command> [options]\n"
    "\n"
    "  check   [--root DIR]            parse every spec/ffi/*.sdn and check rows against the\n"
    "                                  tree: required fields, kinds vs parameters, files the\n"
    "                                  rows name, headers declare exactly the exported rows\n"
    "  list    [--family F] [--status S]  one line per row: status, family, signature\n"
    "  fuzzgen --out DIR [--root DIR]  write DIR/rtz_<family>.h: one rtz_call_<fn>(rtz *)\n"
    "                                  per exported row whose parameter kinds the harness knows\n"
    "\n"
    "Exit status: 0 ok, 1 problems found, 2 usage error.\n";

static int load(const char *root, spec *s)
{
    tbuf dir = {0};
    tbuf_printf(&dir, "%s/spec/ffi", root);
    int problems = spec_load(dir.s, s, stderr);
    tbuf_free(&dir);
    return problems;
}

static int do_check(const char *root)
{
    spec s;
    int problems = load(root, &s);
    problems += spec_check_tree(&s, root, stderr);
    size_t counts[5] = {0};
    for (size_t a = 0; a < s.nfams; a++)
        for (size_t i = 0; i < s.fams[a].nrows; i++)
            counts[s.fams[a].rows[i].status]++;
    printf("spec: %zu families, %zu rows: %zu implemented, %zu partial, %zu planned, "
           "%zu out of scope%s\n",
           s.nfams, s.nrows, counts[ST_IMPLEMENTED], counts[ST_PARTIAL], counts[ST_PLANNED],
           counts[ST_OUT_OF_SCOPE], problems ? "" : "; headers agree");
    if (problems)
        fprintf(stderr, "spec check: %d problem%s\n", problems, problems == 1 ? "" : "s");
    spec_free(&s);
    return problems ? 1 : 0;
}

static int do_list(const char *root, const char *family, const char *status)
{
    spec s;
    int problems = load(root, &s);
    for (size_t a = 0; a < s.nfams; a++) {
        if (family && strcmp(family, s.fams[a].name) != 0)
            continue;
        for (size_t i = 0; i < s.fams[a].nrows; i++) {
            const spec_row *r = &s.fams[a].rows[i];
            if (status && strcmp(status, spec_status_name(r->status)) != 0)
                continue;
            printf("%-12s %-14s %s\n", spec_status_name(r->status), r->family,
                   r->signature ? r->signature : r->name);
        }
    }
    spec_free(&s);
    return problems ? 1 : 0;
}

/* ---- fuzzgen ---- */

typedef struct kind_map {
    const char *kind, *expr;
} kind_map;

static const kind_map simple_kinds[] = {
    {"rv", "rtz_rv(z)"}, {"rv_int", "rtz_rv_int(z)"}, {"rv_float", "rtz_rv_float(z)"},
    {"rv_bool", "rtz_rv_bool(z)"},
    {"rv_string", "rtz_rv_of(z, RT_HEAP_STRING)"}, {"rv_array", "rtz_rv_of(z, RT_HEAP_ARRAY)"},
    {"rv_tuple", "rtz_rv_of(z, RT_HEAP_TUPLE)"}, {"rv_dict", "rtz_rv_of(z, RT_HEAP_DICT)"},
    {"rv_object", "rtz_rv_of(z, RT_HEAP_OBJECT)"},
    {"rv_closure", "rtz_rv_of(z, RT_HEAP_CLOSURE)"}, {"rv_enum", "rtz_rv_of(z, RT_HEAP_ENUM)"},
    {"rv_future", "rtz_rv_of(z, RT_HEAP_FUTURE)"},
    {"rv_generator", "rtz_rv_of(z, RT_HEAP_GENERATOR)"},
    {"rv_violation", "rtz_rv_of(z, RT_HEAP_CONTRACT_VIOLATION)"},
    {"rv_mutex", "rtz_rv_of(z, RT_HEAP_MUTEX)"}, {"rv_rwlock", "rtz_rv_of(z, RT_HEAP_RWLOCK)"},
    {"rv_semaphore", "rtz_rv_of(z, RT_HEAP_SEMAPHORE)"},
    {"rv_barrier", "rtz_rv_of(z, RT_HEAP_BARRIER)"}, {"rv_atomic", "rtz_rv_of(z, RT_HEAP_ATOMIC)"},
    {"i64", "rtz_i64(z)"}, {"u64", "rtz_u64k(z)"}, {"i32", "rtz_i32(z)"}, {"u32", "rtz_u32k(z)"},
    {"u8", "rtz_u8k(z)"}, {"bool", "rtz_bool(z)"}, {"f64", "rtz_f64(z)"},
    {"index", "rtz_index(z)"}, {"count", "rtz_count(z)"}, {"size", "rtz_size(z)"},
    {"len", "rtz_size(z)"}, {"ms", "rtz_ms(z)"}, {"ns", "rtz_ns(z)"}, {"mode", "rtz_mode(z)"},
    {"cstr", "rtz_cstr(z)"}, {"word_i64", "rtz_word_i64(z)"}, {"word_u32", "rtz_word_u32(z)"},
    {"word_i32", "rtz_word_i32(z)"}, {"out_i64", "rtz_out_i64(z)"},
    {"out_i32", "rtz_out_i32(z)"}, {"fn_rv_rv", "rtz_fn_rv_rv(z)"},
    {"fn_rv_rv_rv", "rtz_fn_rv_rv_rv(z)"}, {"fn_kernel", "rtz_fn_kernel(z)"},
};

static const char *simple_expr(const char *kind)
{
    for (size_t i = 0; i < sizeof simple_kinds / sizeof simple_kinds[0]; i++)
        if (strcmp(simple_kinds[i].kind, kind) == 0)
            return simple_kinds[i].expr;
    return NULL;
}

/* "handle_vk_device" -> "RTZ_HK_VK_DEVICE" */
static char *handle_enum(const char *kind)
{
    tbuf b = {0};
    tbuf_puts(&b, "RTZ_HK_");
    for (const char *p = kind + 7; *p; p++) {
        char c = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        tbuf_put(&b, &c, 1);
    }
    return b.s;
}

/* Emit rtz_call_<name>; returns 0, or -1 with the kind it cannot build.
 * Arguments go into locals in parameter order before the call: C leaves the
 * evaluation order of call arguments unspecified, and an input must replay
 * the same way with every compiler. */
static int gen_call(tbuf *o, const spec_row *r, const char **why)
{
    tbuf body = {0}, call = {0};
    /* Returns that own something only the family knows how to release (a
     * malloc'd address, a response record) need a hand-written op: a
     * generated (void)call would leak them. pair_handle_<k> is generated. */
    const char *rk = r->returns ? r->returns : "void";
    if (strcmp(rk, "pair_owned") == 0 || strcmp(rk, "triple") == 0 ||
        strcmp(rk, "cstr_new") == 0) {
        *why = rk;
        goto fail;
    }
    for (size_t i = 0; i < r->nparams; i++) {
        const char *k = r->params[i].kind ? r->params[i].kind : "?";
        const char *type = r->params[i].type;
        if (i)
            tbuf_puts(&call, ", ");
        int buf = strcmp(k, "buf_in") == 0 || strcmp(k, "buf_out") == 0 || strcmp(k, "rv_ptr") == 0;
        if (buf) {
            int next_len = i + 1 < r->nparams && r->params[i + 1].kind &&
                           (strcmp(r->params[i + 1].kind, "len") == 0 ||
                            strcmp(r->params[i + 1].kind, "count") == 0);
            if (!next_len) {
                *why = "a buffer not followed by len/count";
                goto fail;
            }
            const char *fn = strcmp(k, "buf_in") == 0    ? "rtz_buf_in"
                             : strcmp(k, "buf_out") == 0 ? "rtz_buf_out"
                                                         : "rtz_rv_ptr";
            tbuf_printf(&body, "    uint64_t n%zu;\n    %s a%zu = (%s)%s(z, &n%zu);\n", i, type, i,
                        type, fn, i);
            tbuf_printf(&call, "a%zu, (%s)n%zu", i, r->params[i + 1].type, i);
            i++;
            continue;
        }
        if (strncmp(k, "handle_", 7) == 0) {
            char *en = handle_enum(k);
            tbuf_printf(&body, "    %s a%zu = (%s)rtz_handle(z, %s);\n", type, i, type, en);
            free(en);
        } else {
            const char *e = simple_expr(k);
            if (e == NULL) {
                *why = k;
                goto fail;
            }
            tbuf_printf(&body, "    %s a%zu = (%s)%s;\n", type, i, type, e);
        }
        tbuf_printf(&call, "a%zu", i);
    }
    tbuf_printf(o, "static __attribute__((unused)) void rtz_call_%s(rtz *z)\n{\n    (void)z;\n%s", r->name,
                body.s ? body.s : "");
    const char *args = call.s ? call.s : "";
    const char *ret = r->returns ? r->returns : "void";
    if (strcmp(r->ret_type, "void") == 0) {
        tbuf_printf(o, "    %s(%s);\n", r->name, args);
    } else if (strcmp(ret, "rv_new") == 0) {
        tbuf_printf(o, "    rtz_adopt(z, %s(%s));\n", r->name, args);
    } else if (strncmp(ret, "pair_handle_", 12) == 0) {
        char *en = handle_enum(ret + 5);   /* "handle_<k>" */
        tbuf_printf(o, "    RtPair r = %s(%s);\n    rtz_adopt_handle(z, %s, (uint64_t)r.v0);\n",
                    r->name, args, en);
        free(en);
    } else if (strncmp(ret, "handle_", 7) == 0) {
        char *en = handle_enum(ret);
        tbuf_printf(o, "    rtz_adopt_handle(z, %s, (uint64_t)%s(%s));\n", en, r->name, args);
        free(en);
    } else {
        tbuf_printf(o, "    (void)%s(%s);\n", r->name, args);
    }
    tbuf_puts(o, "}\n\n");
    tbuf_free(&body);
    tbuf_free(&call);
    return 0;
fail:
    tbuf_free(&body);
    tbuf_free(&call);
    return -1;
}

static int do_fuzzgen(const char *root, const char *out)
{
    spec s;
    int problems = load(root, &s);
    if (problems) {
        spec_free(&s);
        return 1;
    }
    int rc = 0;
    for (size_t a = 0; a < s.nfams; a++) {
        const spec_family *f = &s.fams[a];
        tbuf o = {0};
        tbuf_printf(&o,
                    "/* Generated by `simplert spec fuzzgen` from %s. Do not edit. */\n"
                    "#ifndef RTZ_GEN_%s_H\n#define RTZ_GEN_%s_H\n\n#include \"fuzz/rtz.h\"\n\n",
                    f->file, f->name, f->name);
        for (size_t i = 0; i < f->nrows; i++) {
            const spec_row *r = &f->rows[i];
            if (!spec_exported(r) || r->ret_type == NULL)
                continue;
            const char *why = NULL;
            if (gen_call(&o, r, &why) != 0)
                tbuf_printf(&o, "/* %s: '%s' needs a hand-written call */\n\n", r->name, why);
        }
        tbuf_puts(&o, "#endif\n");
        tbuf path = {0};
        tbuf_printf(&path, "%s/rtz_%s.h", out, f->name);
        /* Rewrite only on change, so make does not rebuild every target. */
        char *old = read_file(path.s, NULL);
        if (old == NULL || strcmp(old, o.s) != 0) {
            if (write_file(path.s, o.s, o.len) != 0) {
                fprintf(stderr, "simplert spec fuzzgen: cannot write %s\n", path.s);
                rc = 2;
            }
        }
        free(old);
        tbuf_free(&path);
        tbuf_free(&o);
    }
    spec_free(&s);
    return rc;
}

int cmd_spec(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *root = ".", *out = NULL, *family = NULL, *status = NULL, *v;
    for (int i = 2; i < argc; i++) {
        if ((v = opt_value(&i, argc, argv, "--root")))
            root = v;
        else if ((v = opt_value(&i, argc, argv, "--out")))
            out = v;
        else if ((v = opt_value(&i, argc, argv, "--family")))
            family = v;
        else if ((v = opt_value(&i, argc, argv, "--status")))
            status = v;
        else {
            fprintf(stderr, "simplert spec: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (strcmp(argv[1], "check") == 0)
        return do_check(root);
    if (strcmp(argv[1], "list") == 0)
        return do_list(root, family, status);
    if (strcmp(argv[1], "fuzzgen") == 0) {
        if (out == NULL) {
            fprintf(stderr, "simplert spec fuzzgen: --out DIR is required\n");
            return 2;
        }
        return do_fuzzgen(root, out);
    }
    fprintf(stderr, "simplert spec: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
