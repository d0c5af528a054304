#include "executor/result_batch.h"

#include <charconv>

#include "common/float_format.h"

namespace activestore::executor {

void ResultBatch::Reset(const DataChunk* chunk, size_t begin, size_t end,
                        const FormatOptions* text_format) {
  chunk_ = chunk;
  begin_ = begin;
  end_ = end;
  text_format_ = text_format;
}

void ResultBatch::AppendText(size_t c, size_t i, bool for_binary, std::string* out) const {
  const Vector& v = chunk_->columns[c];
  const size_t r = begin_ + i;
  const FormatOptions& format = for_binary ? binary_format_ : *text_format_;
  // The common types without FormatValue's string; the same text as FormatValue.
  switch (v.type.id) {
    case TypeId::kBool:
      out->push_back(v.ints[r] ? 't' : 'f');
      return;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64: {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof(buf), v.ints[r]);
      out->append(buf, res.ptr);
      return;
    }
    case TypeId::kFloat64:
      out->append(FormatFloat8(v.floats[r], format.extra_float_digits));
      return;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kName:
    case TypeId::kUnknown:
      if (v.phys == PhysClass::kString) {
        out->append(v.strs[r]);
        return;
      }
      break;
    default:
      break;
  }
  v.Load(r, &scratch_);
  out->append(FormatValue(scratch_, format));
}

}  // namespace activestore::executor
