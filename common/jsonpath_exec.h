// The SQL/JSON path evaluator: PostgreSQL 15's executeJsonPath over a jsonb value (common/jsonb.h)
// and a jsonpath value (common/jsonpath.h), with its lax and strict modes, its error/unknown
// rules for filters, and its errors (22033, 22036, 22038, 22039, 2203A..2203C, 22012, 42704).
// docs/design/2026-12-06-jsonpath.md.
//
// Thread safety: stateless; one call runs on one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace activestore {

class TimeZone;

enum class JsonPathStatus { kOk, kNotFound, kError };

// Runs `path` over `target` (both values with their version byte). `vars`: a jsonb value whose
// object members are the $name variables, or empty for none (22023 if not an object).
// `throw_errors`: false is the functions' `silent` (structural and arithmetic errors make the
// result kError instead of raising; a missing variable still raises). `out`: the items found,
// each as a jsonb value; null asks only whether there is one (jsonb_path_exists, @?).
// `use_tz` (the *_tz functions) lets datetime comparisons cast through `session` (null: UTC).
JsonPathStatus ExecuteJsonPath(std::string_view path, std::string_view target,
                               std::string_view vars, bool throw_errors, bool use_tz,
                               std::vector<std::string>* out, const TimeZone* session = nullptr);

}  // namespace activestore
