#!/usr/bin/env bash
# ci/install-check.sh — `make install` into a temporary prefix, then build and run a
# downstream program with nothing but `pkg-config --cflags --libs simplert`
# (shared) and `pkg-config --static` (static), as a user would.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
env -u MAKEFLAGS -u MFLAGS make --no-print-directory -s install PREFIX="$tmp/prefix" >/dev/null
cat >"$tmp/prog.c" <<'C'
#include <simplert.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    RtValue s = rt_string_new((const uint8_t *)"downstream", 10);
    RtValue a = rt_array_new(0);
    rt_array_push(a, rt_value_int(41));
    int ok = rt_string_len(s) == 10 && rt_value_as_int(rt_array_get(a, -1)) == 41 &&
             strcmp(rt_value_type_name(a), "array") == 0;
    rt_free(a);
    rt_free(s);
    puts(ok ? "install-check: ok" : "install-check: WRONG ANSWER");
    return ok ? 0 : 1;
}
C
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
cc -std=c11 -Wall -Wextra -Werror "$tmp/prog.c" $(pkg-config --cflags --libs simplert) -o "$tmp/prog"
LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/prog"
cc -std=c11 -Wall -Wextra -Werror "$tmp/prog.c" $(pkg-config --cflags simplert) \
  "$tmp/prefix/lib/libsimplert.a" $(pkg-config --static --libs simplert | sed 's/-lsimplert//') -o "$tmp/prog-static"
"$tmp/prog-static"
# The SONAME a downstream binary records must be the versioned one.
readelf -d "$tmp/prog" | grep -q 'NEEDED.*libsimplert.so.0' || { echo "install-check: prog does not NEED libsimplert.so.0"; exit 1; }
"$tmp/prefix/bin/simplert" --help >/dev/null
echo "install-check: shared and static builds via pkg-config work; SONAME libsimplert.so.0"
