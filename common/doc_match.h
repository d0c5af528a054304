// MongoDB-style query filters over jsonb documents: doc_match(doc, filter).
//
// A filter is a jsonb object in MongoDB's query language: implicit equality ({"a": 1}), dotted
// paths ("a.b.0.c"; a number component indexes an array), the comparison operators ($eq $ne $gt
// $gte $lt $lte $in $nin), the logical ones ($and $or $nor $not), $exists, $type, $regex with
// $options, $mod, and the array operators ($size $all $elemMatch), with MongoDB's array rules
// (a condition on a field holds when the field or any element of it satisfies it), type
// bracketing (a comparison only sees values of the query value's type; every number is one type)
// and null matching missing fields. docs/design/2026-12-06-doc-match.md has the rules and the
// differences from MongoDB (jsonb has no key order, no dates or ObjectIds; regular expressions
// run on common/regex.h, not PCRE).
//
// Errors: 22023 for a malformed filter or an unknown operator, 0A000 for MongoDB operators that
// are not implemented ($where, $expr, $text, geo and bit operators), 2201B for a bad pattern.
//
// Thread safety: a DocFilter is immutable after Compile; Matches may run on any thread (regular
// expressions compile into that thread's cache).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/jsonb.h"

namespace activestore {

class DocFilter {
 public:
  // Parses and checks a filter (a jsonb value: version byte and node).
  static DocFilter Compile(std::string_view filter_jsonb);
  // True when the document (a jsonb node) satisfies the filter.
  bool Matches(JsonbRef doc) const;

  struct Expr;  // the compiled tree (doc_match.cpp)
  struct Pred;

  DocFilter(DocFilter&&) noexcept;
  DocFilter& operator=(DocFilter&&) noexcept;
  ~DocFilter();

 private:
  DocFilter();
  std::unique_ptr<std::string> filter_;  // the filter's bytes: the tree points into them
  std::unique_ptr<Expr> root_;
};

// doc_match(doc jsonb, filter jsonb): the filter compiled once per thread while it stays the
// same (the common case of a constant filter over a scan).
bool DocMatch(std::string_view doc_jsonb, std::string_view filter_jsonb);

}  // namespace activestore
