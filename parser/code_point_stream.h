// An ANTLR character stream over UTF-8 text that yields Unicode code points, so that token
// indexes count characters (PostgreSQL's error positions do), and maps them back to byte
// offsets (AST locations and statement text are byte-based).
//
// Bytes that are not valid UTF-8 become one code point each (U+DC80..U+DCFF, as Python's
// surrogateescape does), so the text round-trips and the lexer never fails on them.
// Not thread-safe: one instance per parse. The viewed text must outlive the stream.
#pragma once

#include <antlr4-runtime.h>

#include <string>
#include <string_view>
#include <vector>

namespace activestore::parser {

class CodePointStream : public antlr4::CharStream {
 public:
  explicit CodePointStream(std::string_view utf8);

  // antlr4::IntStream
  void consume() override;
  size_t LA(ssize_t i) override;
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return pos_; }
  void seek(size_t index) override { pos_ = index < size_ ? index : size_; }
  size_t size() override { return size_; }
  std::string getSourceName() const override { return "<query>"; }

  // antlr4::CharStream: the UTF-8 text of code points [a, b].
  std::string getText(const antlr4::misc::Interval& interval) override;
  std::string toString() const override { return std::string(text_); }

  // Byte offset of code point `cp` (cp == size() gives the text's length).
  int ByteOffset(size_t cp) const { return ascii_ ? static_cast<int>(cp) : offsets_[cp]; }
  std::string_view text() const { return text_; }
  size_t CharCount() const { return size_; }

 private:
  std::string_view text_;
  bool ascii_ = true;
  std::vector<char32_t> code_points_;  // empty when ascii_
  std::vector<int> offsets_;           // size_ + 1 entries; empty when ascii_
  size_t size_ = 0;
  size_t pos_ = 0;
};

}  // namespace activestore::parser
