/*
 * tools/json.c — see json.h. Recursive descent with a depth limit.
 */
#include "tools/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/util.h"

#define MAX_DEPTH 200

typedef struct jp {
    const char *s, *end;
    int line;
    const char *line_start;
    char *err;
    size_t errlen;
    int failed;
} jp;

static json *value(jp *p, int depth);

static void fail(jp *p, const char *msg)
{
    if (!p->failed)
        snprintf(p->err, p->errlen, "%d:%d: %s", p->line, (int)(p->s - p->line_start) + 1, msg);
    p->failed = 1;
}

static void ws(jp *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')) {
        if (*p->s == '\n') {
            p->line++;
            p->line_start = p->s + 1;
        }
        p->s++;
    }
}

static json *node(json_type t)
{
    json *j = xcalloc(1, sizeof *j);
    j->type = t;
    return j;
}

static void push(json *j, char *key, json *item)
{
    j->items = xrealloc(j->items, (j->n + 1) * sizeof *j->items);
    if (j->type == JSON_OBJ) {
        j->keys = xrealloc(j->keys, (j->n + 1) * sizeof *j->keys);
        j->keys[j->n] = key;
    }
    j->items[j->n++] = item;
}

static int hex4(jp *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++, p->s++) {
        if (p->s >= p->end)
            return -1;
        char c = *p->s;
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static void utf8(tbuf *b, unsigned cp)
{
    char o[4];
    size_t n;
    if (cp < 0x80) { o[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) { o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F)); n = 3; }
    else { o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F)); o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); n = 4; }
    tbuf_put(b, o, n);
}

static char *string(jp *p)
{
    tbuf b = {0};
    p->s++;   /* opening quote */
    while (p->s < p->end && *p->s != '"') {
        char c = *p->s++;
        if (c != '\\') {
            tbuf_put(&b, &c, 1);
            continue;
        }
        if (p->s >= p->end)
            break;
        char e = *p->s++;
        switch (e) {
        case '"': case '\\': case '/': tbuf_put(&b, &e, 1); break;
        case 'b': tbuf_puts(&b, "\b"); break;
        case 'f': tbuf_puts(&b, "\f"); break;
        case 'n': tbuf_puts(&b, "\n"); break;
        case 'r': tbuf_puts(&b, "\r"); break;
        case 't': tbuf_puts(&b, "\t"); break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(p, &cp) != 0) {
                fail(p, "bad \\u escape");
                tbuf_free(&b);
                return NULL;
            }
            if (cp >= 0xD800 && cp < 0xDC00 && p->s + 1 < p->end && p->s[0] == '\\' &&
                p->s[1] == 'u') {
                p->s += 2;
                if (hex4(p, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            utf8(&b, cp);
            break;
        }
        default:
            fail(p, "bad escape in string");
            tbuf_free(&b);
            return NULL;
        }
    }
    if (p->s >= p->end) {
        fail(p, "unterminated string");
        tbuf_free(&b);
        return NULL;
    }
    p->s++;
    if (b.s == NULL)
        tbuf_put(&b, "", 0);
    return b.s;
}

static json *container(jp *p, int depth, char open)
{
    json *j = node(open == '[' ? JSON_ARR : JSON_OBJ);
    char close = open == '[' ? ']' : '}';
    p->s++;
    ws(p);
    if (p->s < p->end && *p->s == close) {
        p->s++;
        return j;
    }
    for (;;) {
        char *key = NULL;
        if (open == '{') {
            ws(p);
            if (p->s >= p->end || *p->s != '"') {
                fail(p, "expected a string key");
                break;
            }
            if ((key = string(p)) == NULL)
                break;
            ws(p);
            if (p->s >= p->end || *p->s != ':') {
                free(key);
                fail(p, "expected ':'");
                break;
            }
            p->s++;
        }
        json *v = value(p, depth + 1);
        if (v == NULL) {
            free(key);
            break;
        }
        push(j, key, v);
        ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == close) {
            p->s++;
            return j;
        }
        fail(p, open == '[' ? "expected ',' or ']'" : "expected ',' or '}'");
        break;
    }
    json_free(j);
    return NULL;
}

static json *value(jp *p, int depth)
{
    ws(p);
    if (depth > MAX_DEPTH) {
        fail(p, "nested too deeply");
        return NULL;
    }
    if (p->s >= p->end) {
        fail(p, "unexpected end of input");
        return NULL;
    }
    char c = *p->s;
    if (c == '{' || c == '[')
        return container(p, depth, c);
    if (c == '"') {
        char *s = string(p);
        if (s == NULL)
            return NULL;
        json *j = node(JSON_STR);
        j->str = s;
        return j;
    }
    static const struct { const char *w; json_type t; bool b; } words[] = {
        {"null", JSON_NULL, false}, {"true", JSON_BOOL, true}, {"false", JSON_BOOL, false}};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i].w);
        if ((size_t)(p->end - p->s) >= n && memcmp(p->s, words[i].w, n) == 0) {
            p->s += n;
            json *j = node(words[i].t);
            j->b = words[i].b;
            return j;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        char tmp[64];
        size_t n = 0;
        while (p->s < p->end && n < sizeof tmp - 1 && strchr("+-0123456789.eE", *p->s))
            tmp[n++] = *p->s++;
        tmp[n] = 0;
        char *endp;
        json *j = node(JSON_NUM);
        j->num = strtod(tmp, &endp);
        if (*endp != 0) {
            json_free(j);
            fail(p, "bad number");
            return NULL;
        }
        return j;
    }
    fail(p, "unexpected character");
    return NULL;
}

json *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
    char dummy[8];
    jp p = {text, text + len, 1, text, err ? err : dummy, err ? errlen : sizeof dummy, 0};
    json *j = value(&p, 0);
    if (j) {
        ws(&p);
        if (p.s != p.end) {
            fail(&p, "trailing characters after the document");
            json_free(j);
            j = NULL;
        }
    }
    return j;
}

void json_free(json *j)
{
    if (j == NULL)
        return;
    for (size_t i = 0; i < j->n; i++) {
        json_free(j->items[i]);
        if (j->keys)
            free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->str);
    free(j);
}

const json *json_get(const json *obj, const char *key)
{
    if (obj == NULL || obj->type != JSON_OBJ)
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}

const char *json_str(const json *j, const char *dflt)
{
    return (j && j->type == JSON_STR) ? j->str : dflt;
}

double json_num(const json *j, double dflt)
{
    return (j && j->type == JSON_NUM) ? j->num : dflt;
}
