#include "frontend/replication_command.h"

#include <cctype>
#include <vector>

#include "common/error.h"
#include "common/pg_lsn.h"

namespace activestore::frontend {

namespace {

struct Token {
  enum class Kind { kWord, kQuoted, kLsn, kNumber, kPunct, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // words folded to lower case
};

[[noreturn]] void SyntaxError() { Throw(SqlState::kSyntaxError, "syntax error"); }

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    // An LSN: hex digits '/' hex digits (checked before words and numbers, which it starts like).
    size_t j = i;
    while (j < s.size() && is_hex(s[j])) ++j;
    if (j > i && j < s.size() && s[j] == '/') {
      size_t k = j + 1;
      while (k < s.size() && is_hex(s[k])) ++k;
      if (k > j + 1) {
        t.kind = Token::Kind::kLsn;
        t.text = std::string(s.substr(i, k - i));
        out.push_back(std::move(t));
        i = k;
        continue;
      }
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
        static_cast<unsigned char>(c) >= 0x80) {
      size_t k = i;
      while (k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '_' ||
                              s[k] == '$' || static_cast<unsigned char>(s[k]) >= 0x80)) {
        ++k;
      }
      t.kind = Token::Kind::kWord;
      for (size_t x = i; x < k; ++x) {
        t.text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[x]))));
      }
      i = k;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t k = i;
      while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
      t.kind = Token::Kind::kNumber;
      t.text = std::string(s.substr(i, k - i));
      i = k;
    } else if (c == '"') {
      t.kind = Token::Kind::kQuoted;
      size_t k = i + 1;
      for (;;) {
        if (k >= s.size()) SyntaxError();  // unterminated quoted identifier
        if (s[k] == '"') {
          if (k + 1 < s.size() && s[k + 1] == '"') {
            t.text.push_back('"');
            k += 2;
            continue;
          }
          break;
        }
        t.text.push_back(s[k++]);
      }
      i = k + 1;
    } else if (c == '(' || c == ')' || c == ',' || c == ';' || c == '.' || c == '\'') {
      if (c == '\'') {
        // A string literal (option values): kept as a word.
        size_t k = i + 1;
        t.kind = Token::Kind::kQuoted;
        while (k < s.size() && s[k] != '\'') t.text.push_back(s[k++]);
        if (k >= s.size()) SyntaxError();
        i = k + 1;
      } else {
        t.kind = Token::Kind::kPunct;
        t.text = std::string(1, c);
        ++i;
      }
    } else {
      SyntaxError();
    }
    out.push_back(std::move(t));
  }
  // A trailing semicolon is allowed.
  if (!out.empty() && out.back().kind == Token::Kind::kPunct && out.back().text == ";") {
    out.pop_back();
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  const Token& Peek() const {
    static const Token kEnd;
    return pos_ < t_.size() ? t_[pos_] : kEnd;
  }
  bool AtEnd() const { return pos_ >= t_.size(); }
  bool TakeWord(std::string_view w) {
    if (Peek().kind == Token::Kind::kWord && Peek().text == w) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool TakePunct(char c) {
    if (Peek().kind == Token::Kind::kPunct && Peek().text[0] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string Identifier() {
    const Token& t = Peek();
    if (t.kind != Token::Kind::kWord && t.kind != Token::Kind::kQuoted) SyntaxError();
    ++pos_;
    return t.text;
  }
  uint64_t Lsn() {
    if (Peek().kind != Token::Kind::kLsn) SyntaxError();
    return ParsePgLsn(t_[pos_++].text);
  }
  uint32_t Number() {
    if (Peek().kind != Token::Kind::kNumber || Peek().text.size() > 9) SyntaxError();
    return static_cast<uint32_t>(std::stoul(t_[pos_++].text));
  }
  void End() {
    if (!AtEnd()) SyntaxError();
  }
  // Skips a parenthesized option list, or the rest (BASE_BACKUP's options are not read).
  void SkipRest() { pos_ = t_.size(); }

 private:
  std::vector<Token> t_;
  size_t pos_ = 0;
};

bool BoolOption(Parser& p) {
  const Token& t = p.Peek();
  if (t.kind != Token::Kind::kWord && t.kind != Token::Kind::kQuoted &&
      t.kind != Token::Kind::kNumber) {
    return true;  // an option without a value is true
  }
  const std::string v = p.Identifier();
  if (v == "true" || v == "on" || v == "1") return true;
  if (v == "false" || v == "off" || v == "0") return false;
  Throw(SqlState::kInvalidParameterValue, "{} requires a Boolean value", "reserve_wal");
}

}  // namespace

ReplicationCommand ParseReplicationCommand(std::string_view sql) {
  ReplicationCommand cmd;
  std::vector<Token> tokens;
  // Only a statement that starts with a replication keyword is parsed as one; anything else
  // (including SQL that would not tokenize here) is SQL.
  {
    size_t i = 0;
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    size_t k = i;
    while (k < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[k])) || sql[k] == '_')) {
      ++k;
    }
    std::string first;
    for (size_t x = i; x < k; ++x) {
      first.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(sql[x]))));
    }
    static const char* const kKeywords[] = {"identify_system",       "create_replication_slot",
                                            "drop_replication_slot", "start_replication",
                                            "read_replication_slot", "base_backup",
                                            "timeline_history",      "show"};
    bool keyword = false;
    for (const char* kw : kKeywords) keyword = keyword || first == kw;
    if (!keyword) return cmd;
  }
  Parser p(Tokenize(sql));
  using Kind = ReplicationCommand::Kind;
  if (p.TakeWord("identify_system")) {
    cmd.kind = Kind::kIdentifySystem;
    p.End();
  } else if (p.TakeWord("create_replication_slot")) {
    cmd.kind = Kind::kCreateSlot;
    cmd.slot = p.Identifier();
    cmd.temporary = p.TakeWord("temporary");
    if (p.TakeWord("logical")) {
      cmd.logical = true;
      p.SkipRest();
      return cmd;
    }
    if (!p.TakeWord("physical")) SyntaxError();
    if (p.TakePunct('(')) {
      if (!p.TakePunct(')')) {
        do {
          const std::string option = p.Identifier();
          if (option != "reserve_wal") {
            Throw(SqlState::kSyntaxError, "unrecognized option: {}", option);
          }
          cmd.reserve_wal = BoolOption(p);
        } while (p.TakePunct(','));
        if (!p.TakePunct(')')) SyntaxError();
      }
    } else {
      while (!p.AtEnd()) {
        if (p.TakeWord("reserve_wal")) {
          cmd.reserve_wal = true;
        } else {
          SyntaxError();
        }
      }
    }
    p.End();
  } else if (p.TakeWord("drop_replication_slot")) {
    cmd.kind = Kind::kDropSlot;
    cmd.slot = p.Identifier();
    cmd.wait = p.TakeWord("wait");
    p.End();
  } else if (p.TakeWord("start_replication")) {
    cmd.kind = Kind::kStartReplication;
    if (p.TakeWord("slot")) cmd.slot = p.Identifier();
    if (p.TakeWord("logical")) {
      if (cmd.slot.empty()) SyntaxError();
      cmd.logical = true;
      p.SkipRest();
      return cmd;
    }
    p.TakeWord("physical");
    cmd.start_lsn = p.Lsn();
    if (p.TakeWord("timeline")) cmd.timeline = p.Number();
    p.End();
  } else if (p.TakeWord("read_replication_slot")) {
    cmd.kind = Kind::kReadSlot;
    cmd.slot = p.Identifier();
    p.End();
  } else if (p.TakeWord("base_backup")) {
    cmd.kind = Kind::kBaseBackup;
    p.SkipRest();
  } else if (p.TakeWord("timeline_history")) {
    cmd.kind = Kind::kTimelineHistory;
    cmd.timeline = p.Number();
    p.End();
  } else if (p.TakeWord("show")) {
    cmd.kind = Kind::kShow;
    cmd.show = p.Identifier();
    while (p.TakePunct('.')) cmd.show += "." + p.Identifier();
    p.End();
  } else {
    SyntaxError();
  }
  return cmd;
}

}  // namespace activestore::frontend
