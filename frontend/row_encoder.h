// RowEncoder: DataRow messages straight from a result's column vectors (executor::ResultBatch)
// into the connection's output buffer. Text columns are written by the executor's output
// functions in place; binary columns of bool, int2/4/8, oid, float4/8, text, varchar, name,
// "unknown" and bytea are encoded from the vector values, the other types through their ISO text
// form and pgwire::TextToBinary.
//
// Thread safety: an encoder is immutable after construction; Encode may run on any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "executor/result_batch.h"

namespace activestore::frontend {

class RowEncoder {
 public:
  // `formats`: Bind's result formats, one per column (1 binary), or empty for all text.
  // `type_oids`: the result columns' types as RowDescription gave them.
  RowEncoder(std::vector<int16_t> formats, std::vector<uint32_t> type_oids);

  // Appends one DataRow per row of `batch` to *out. Throws XX000 if a value has no binary form
  // (never for the types Bind accepts in binary).
  void Encode(const executor::ResultBatch& batch, std::string* out) const;

 private:
  enum class Binary : uint8_t {
    kText,
    kBool,
    kInt2,
    kInt4,
    kInt8,
    kFloat4,
    kFloat8,
    kBytes,
    kOther
  };
  std::vector<Binary> columns_;
  std::vector<uint32_t> type_oids_;
};

}  // namespace activestore::frontend
