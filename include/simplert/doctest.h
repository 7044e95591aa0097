/*
 * simplert/doctest.h — file-system helpers the doctest runner uses: read a
 * file as a string, test paths, walk a directory tree with include/exclude
 * globs, plain-text path tests. Contract: spec/ffi/doctest.sdn.
 *
 * Error convention: every parameter and result is an RtValue. A path or
 * pattern that is not a live string of valid UTF-8 gets the row's default
 * (FALSE for the predicates, NIL for read_file and walk_directory); so do
 * file-system errors. The predicates answer the RtValue booleans RT_TRUE and
 * RT_FALSE. read_file and walk_directory return new values the caller owns;
 * rt_free is shallow, so free walk_directory's strings before its array.
 */
#ifndef SIMPLERT_DOCTEST_H
#define SIMPLERT_DOCTEST_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtValue doctest_read_file(RtValue path);
RT_API RtValue doctest_path_exists(RtValue path);
RT_API RtValue doctest_is_file(RtValue path);
RT_API RtValue doctest_is_dir(RtValue path);
RT_API RtValue doctest_walk_directory(RtValue root, RtValue include, RtValue exclude);
RT_API RtValue doctest_path_has_extension(RtValue path, RtValue ext);
RT_API RtValue doctest_path_contains(RtValue path, RtValue pattern);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_DOCTEST_H */
