#include "parser/code_point_stream.h"

namespace activestore::parser {
namespace {

// Decodes one UTF-8 character at text[i]; returns its length, or 0 when invalid.
size_t DecodeUtf8(std::string_view text, size_t i, char32_t* cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  size_t len;
  char32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
    v = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    v = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    v = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMinForLength[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

}  // namespace

CodePointStream::CodePointStream(std::string_view utf8) : text_(utf8) {
  for (unsigned char c : text_) {
    if (c >= 0x80) {
      ascii_ = false;
      break;
    }
  }
  if (ascii_) {
    size_ = text_.size();
    return;
  }
  code_points_.reserve(text_.size());
  offsets_.reserve(text_.size() + 1);
  for (size_t i = 0; i < text_.size();) {
    char32_t cp;
    size_t len = DecodeUtf8(text_, i, &cp);
    if (len == 0) {  // invalid byte: keep it as one "escaped" code point
      cp = 0xDC00 + static_cast<unsigned char>(text_[i]);
      len = 1;
    }
    code_points_.push_back(cp);
    offsets_.push_back(static_cast<int>(i));
    i += len;
  }
  size_ = code_points_.size();
  offsets_.push_back(static_cast<int>(text_.size()));
}

void CodePointStream::consume() {
  if (pos_ >= size_) throw antlr4::IllegalStateException("cannot consume EOF");
  ++pos_;
}

size_t CodePointStream::LA(ssize_t i) {
  if (i == 0) return 0;
  ssize_t at = static_cast<ssize_t>(pos_) + (i < 0 ? i : i - 1);
  if (at < 0 || at >= static_cast<ssize_t>(size_)) return antlr4::IntStream::EOF;
  return ascii_ ? static_cast<unsigned char>(text_[static_cast<size_t>(at)])
                : static_cast<size_t>(code_points_[static_cast<size_t>(at)]);
}

std::string CodePointStream::getText(const antlr4::misc::Interval& interval) {
  if (interval.a < 0 || interval.b < interval.a) return "";
  size_t a = static_cast<size_t>(interval.a);
  size_t b = std::min(static_cast<size_t>(interval.b) + 1, size_);
  if (a >= b) return "";
  int from = ByteOffset(a);
  return std::string(
      text_.substr(static_cast<size_t>(from), static_cast<size_t>(ByteOffset(b) - from)));
}

}  // namespace activestore::parser
