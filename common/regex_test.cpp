#include "common/regex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "common/error.h"

namespace activestore::regex {
namespace {

std::string State(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + " " + e.message();
  }
  return "ok";
}

TEST(Regex, SearchGivesGroupsInUnits) {
  const Regex& re = Compile("b(.)(x)?", kAdvanced);
  EXPECT_EQ(re.nsub(), 2);
  Subject s("abyabz");
  Match m;
  ASSERT_TRUE(re.Search(s, 0, &m));
  EXPECT_EQ(m.groups[0], (std::pair<int64_t, int64_t>{1, 3}));
  EXPECT_EQ(m.groups[1], (std::pair<int64_t, int64_t>{2, 3}));
  EXPECT_EQ(m.groups[2], (std::pair<int64_t, int64_t>{-1, -1}));
  ASSERT_TRUE(re.Search(s, 3, &m));
  EXPECT_EQ(m.start(), 4);
  EXPECT_EQ(s.Slice(m.groups[1].first, m.groups[1].second), "z");
  EXPECT_FALSE(re.Search(s, 5, &m));
}

TEST(Regex, LeftmostLongestAndPostgresSyntax) {
  Match m;
  Subject s("xabcd");
  ASSERT_TRUE(Compile("a|ab|abc", kAdvanced).Search(s, 0, &m));
  EXPECT_EQ(s.Slice(m.start(), m.end()), "abc");  // POSIX longest, not Perl's first
  Subject w("foo bar");
  ASSERT_TRUE(Compile("\\mbar\\M", kAdvanced).Search(w, 0, &m));
  EXPECT_EQ(m.start(), 4);
  ASSERT_TRUE(Compile("[[:<:]]b", kAdvanced).Search(w, 0, &m));
  EXPECT_EQ(m.start(), 4);
  ASSERT_TRUE(Compile("***=a.c", kAdvanced).Search(Subject("xa.c"), 0, &m));
  EXPECT_FALSE(Compile("***=a.c", kAdvanced).Search(Subject("abc"), 0, &m));
  EXPECT_TRUE(Compile("(?i)ABC", kAdvanced).Search(Subject("xabc"), 0, &m));
  EXPECT_TRUE(Compile("ABC", kAdvanced | kICase).Search(Subject("xabc"), 0, &m));
}

TEST(Regex, AnchorsAtAStartInside) {
  Match m;
  Subject s("ab\ncd");
  EXPECT_FALSE(Compile("^c", kAdvanced).Search(s, 3, &m));
  ASSERT_TRUE(Compile("^c", kAdvanced | kNewline).Search(s, 3, &m));
  EXPECT_EQ(m.start(), 3);
  EXPECT_FALSE(Compile("^b", kAdvanced | kNewline).Search(s, 1, &m));
}

TEST(Regex, Utf8Positions) {
  Subject s("h\xC3\xA9llo \xF0\x9F\x98\x80 x");
  Match m;
  ASSERT_TRUE(Compile("x", kAdvanced).Search(s, 0, &m));
  EXPECT_EQ(s.CharIndex(m.start()), 8);
  EXPECT_EQ(s.ByteOffset(m.start()), 12u);
  EXPECT_EQ(s.UnitOfChar(8), m.start());
  ASSERT_TRUE(Compile("\xC3\xA9l+", kAdvanced).Search(s, 0, &m));
  EXPECT_EQ(s.Slice(m.start(), m.end()), "\xC3\xA9ll");
}

TEST(Regex, Errors) {
  EXPECT_EQ(State([] { Compile("(bar)(beque", kAdvanced); }),
            "2201B invalid regular expression: parentheses () not balanced");
  EXPECT_EQ(State([] { Compile("(bar)(beque){2,1}", kAdvanced); }),
            "2201B invalid regular expression: invalid repetition count(s)");
  EXPECT_EQ(State([] { ParseFlags("gz"); }), "22023 invalid regular expression option: \"z\"");
  EXPECT_EQ(State([] { ParseFlags("i\xC3\xA9"); }),
            "22023 invalid regular expression option: \"\xC3\xA9\"");
}

TEST(Regex, Flags) {
  Flags f = ParseFlags("gi");
  EXPECT_TRUE(f.global);
  EXPECT_EQ(f.cflags, kAdvanced | kICase);
  EXPECT_EQ(ParseFlags("n").cflags, kAdvanced | kNewline);
  EXPECT_EQ(ParseFlags("np").cflags, kAdvanced | kNLStop);
  EXPECT_EQ(ParseFlags("e").cflags, kExtended);
  EXPECT_EQ(ParseFlags("q").cflags, kQuote);
  EXPECT_EQ(ParseFlags("b").cflags, kBasic);
  EXPECT_EQ(ParseFlags("ic").cflags, kAdvanced);
  EXPECT_EQ(ParseFlags("xt").cflags, kAdvanced);
}

TEST(Regex, CacheEvictsAndRecompiles) {
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 40; ++i) {
      Match m;
      EXPECT_TRUE(Compile("a{" + std::to_string(i) + "}", kAdvanced)
                      .Search(Subject(std::string(i, 'a')), 0, &m));
    }
  }
}

TEST(Regex, EachThreadHasItsOwnEngine) {
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        Match m;
        if (Compile("(\\d+)-(\\d+)", kAdvanced).Search(Subject("ab 12-345"), 0, &m)) ++found;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(found.load(), 800);
}

TEST(Regex, SimilarToEscape) {
  auto esc = [](std::string p, const char* e) {
    std::string es = e == nullptr ? "" : e;
    return SimilarToEscape(p, e == nullptr ? nullptr : &es);
  };
  EXPECT_EQ(esc("_[_[:alpha:]_]_", nullptr), "^(?:.[_[:alpha:]_].)$");
  EXPECT_EQ(esc("%[%[:alnum:]%]%", nullptr), "^(?:.*[%[:alnum:]%].*)$");
  EXPECT_EQ(esc(".[.[:alnum:].].", nullptr), "^(?:\\.[.[:alnum:].]\\.)$");
  EXPECT_EQ(esc("()[([:alnum:](]()", nullptr), "^(?:(?:)[([:alnum:](](?:))$");
  EXPECT_EQ(esc("^[^[:alnum:]^[^^][[^^]][\\^][[\\^]]\\^]^", nullptr),
            "^(?:\\^[^[:alnum:]^[^^][[^^]][\\^][[\\^]]\\^]\\^)$");
  EXPECT_EQ(esc("[]%][^]%][^%]%", nullptr), "^(?:[]%][^]%][^%].*)$");
  EXPECT_EQ(esc("[^^]^", nullptr), "^(?:[^^]\\^)$");
  EXPECT_EQ(esc("[|a]%", "|"), "^(?:[\\a].*)$");
  EXPECT_EQ(esc("a#\"(b_d)#\"%", "#"), "^(?:a){1,1}?((?:b.d)){1,1}(?:.*)$");
  EXPECT_EQ(esc("_bcd\\%", ""), "^(?:.bcd\\\\.*)$");
  EXPECT_EQ(State([] {
              std::string e = "##";
              SimilarToEscape("a", &e);
            }),
            "22025 invalid escape string");
  EXPECT_EQ(State([] {
              std::string e = "#";
              SimilarToEscape("a#\"b#\"c#\"d", &e);
            }),
            "2200C SQL regular expression may not contain more than two escape-double-quote "
            "separators");
}

}  // namespace
}  // namespace activestore::regex
