#include "frontend/row_encoder.h"

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "frontend/pgwire/binary_format.h"
#include "frontend/pgwire/messages.h"
#include "frontend/pgwire/protocol.h"

namespace activestore::frontend {

namespace {

void PutBig(std::string* out, uint64_t v, int bytes) {
  char buf[8];
  for (int i = 0; i < bytes; ++i) buf[i] = static_cast<char>(v >> (8 * (bytes - 1 - i)));
  out->append(buf, static_cast<size_t>(bytes));
}

void PatchLength(std::string* out, size_t at, uint32_t len) {
  (*out)[at] = static_cast<char>(len >> 24);
  (*out)[at + 1] = static_cast<char>(len >> 16);
  (*out)[at + 2] = static_cast<char>(len >> 8);
  (*out)[at + 3] = static_cast<char>(len);
}

}  // namespace

RowEncoder::RowEncoder(std::vector<int16_t> formats, std::vector<uint32_t> type_oids)
    : type_oids_(std::move(type_oids)) {
  namespace oid = pgwire::oid;
  for (size_t c = 0; c < type_oids_.size(); ++c) {
    if (pgwire::FormatFor(formats, c) != 1) {
      columns_.push_back(Binary::kText);
      continue;
    }
    switch (type_oids_[c]) {
      case oid::kBool:
        columns_.push_back(Binary::kBool);
        break;
      case oid::kInt2:
        columns_.push_back(Binary::kInt2);
        break;
      case oid::kInt4:
      case oid::kOid:
        columns_.push_back(Binary::kInt4);
        break;
      case oid::kInt8:
        columns_.push_back(Binary::kInt8);
        break;
      case oid::kFloat4:
        columns_.push_back(Binary::kFloat4);
        break;
      case oid::kFloat8:
        columns_.push_back(Binary::kFloat8);
        break;
      case oid::kText:
      case oid::kVarchar:
      case oid::kName:
      case oid::kUnknown:
      case oid::kBytea:
        columns_.push_back(Binary::kBytes);
        break;
      default:
        columns_.push_back(Binary::kOther);
        break;
    }
  }
}

void RowEncoder::Encode(const executor::ResultBatch& batch, std::string* out) const {
  const size_t ncols = std::min(batch.column_count(), columns_.size());
  std::string text;  // the general binary case: text form, then TextToBinary
  for (size_t i = 0; i < batch.size(); ++i) {
    const size_t start = out->size();
    out->push_back(pgwire::be::kDataRow);
    out->append(4, '\0');
    PutBig(out, ncols, 2);
    for (size_t c = 0; c < ncols; ++c) {
      if (batch.IsNull(c, i)) {
        PutBig(out, 0xFFFFFFFFu, 4);
        continue;
      }
      const executor::Vector& v = batch.column(c);
      const size_t r = batch.row(i);
      Binary kind = columns_[c];
      // The vector's layout must be the one the column type implies (PlanRun casts to the
      // result types); anything else takes the general path.
      const executor::PhysClass want = kind == Binary::kFloat4 || kind == Binary::kFloat8
                                           ? executor::PhysClass::kFloat
                                       : kind == Binary::kBytes ? executor::PhysClass::kString
                                                                : executor::PhysClass::kInt;
      if (kind != Binary::kText && kind != Binary::kOther && v.phys != want) kind = Binary::kOther;
      switch (kind) {
        case Binary::kText: {
          const size_t len_at = out->size();
          out->append(4, '\0');
          batch.AppendText(c, i, /*for_binary=*/false, out);
          PatchLength(out, len_at, static_cast<uint32_t>(out->size() - len_at - 4));
          break;
        }
        case Binary::kBool:
          PutBig(out, 1, 4);
          out->push_back(v.ints[r] ? '\1' : '\0');
          break;
        case Binary::kInt2:
          PutBig(out, 2, 4);
          PutBig(out, static_cast<uint64_t>(v.ints[r]), 2);
          break;
        case Binary::kInt4:
          PutBig(out, 4, 4);
          PutBig(out, static_cast<uint64_t>(v.ints[r]), 4);
          break;
        case Binary::kInt8:
          PutBig(out, 8, 4);
          PutBig(out, static_cast<uint64_t>(v.ints[r]), 8);
          break;
        case Binary::kFloat4: {
          float f = static_cast<float>(v.floats[r]);
          uint32_t bits;
          std::memcpy(&bits, &f, 4);
          PutBig(out, 4, 4);
          PutBig(out, bits, 4);
          break;
        }
        case Binary::kFloat8: {
          uint64_t bits;
          std::memcpy(&bits, &v.floats[r], 8);
          PutBig(out, 8, 4);
          PutBig(out, bits, 8);
          break;
        }
        case Binary::kBytes: {
          const std::string& s = v.strs[r];
          PutBig(out, s.size(), 4);
          out->append(s);
          break;
        }
        case Binary::kOther: {
          text.clear();
          batch.AppendText(c, i, /*for_binary=*/true, &text);
          auto bin = pgwire::TextToBinary(type_oids_[c], text);
          if (!bin) {
            Throw(SqlState::kInternalError,
                  "cannot convert value \"{}\" of type oid {} to binary format", text,
                  type_oids_[c]);
          }
          PutBig(out, bin->size(), 4);
          out->append(*bin);
          break;
        }
      }
    }
    PatchLength(out, start + 1, static_cast<uint32_t>(out->size() - start - 1));
  }
}

}  // namespace activestore::frontend
