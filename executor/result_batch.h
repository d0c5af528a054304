// ResultBatch: rows of a result as the frontend encodes them to the wire, straight from the
// column vectors the plan produced (no rows of Values, no text strings per value).
//
// Thread safety: a view; read by one thread while the stream that made it is not advanced.
#pragma once

#include <cstddef>
#include <string>

#include "common/value.h"
#include "common/value_ops.h"
#include "executor/vector.h"

namespace activestore::executor {

// Rows [begin, end) of a chunk whose columns have the result's types (PlanRun::Next). Row i of
// the batch is row row(i) of each column.
class ResultBatch {
 public:
  // REQUIRES: chunk and text_format outlive the use of the batch; begin <= end <= chunk size.
  void Reset(const DataChunk* chunk, size_t begin, size_t end, const FormatOptions* text_format);

  size_t size() const { return end_ - begin_; }
  size_t column_count() const { return chunk_->columns.size(); }
  const Vector& column(size_t c) const { return chunk_->columns[c]; }
  size_t row(size_t i) const { return begin_ + i; }
  bool IsNull(size_t c, size_t i) const { return chunk_->columns[c].IsNull(begin_ + i); }

  // Appends the text form of the value at column c, batch row i: PostgreSQL's output function
  // under the session's settings (DateStyle, TimeZone, extra_float_digits, ...), or, when
  // `for_binary`, under the default FormatOptions (ISO, UTC, hex bytea), the forms
  // frontend/pgwire/binary_format reads. REQUIRES: !IsNull(c, i).
  void AppendText(size_t c, size_t i, bool for_binary, std::string* out) const;

 private:
  const DataChunk* chunk_ = nullptr;
  size_t begin_ = 0;
  size_t end_ = 0;
  const FormatOptions* text_format_ = nullptr;
  FormatOptions binary_format_;
  mutable Value scratch_;  // reused by AppendText's general case
};

}  // namespace activestore::executor
