// A view's options (table_options.h ViewOptions): PostgreSQL 15's view_reloptions checks and
// transformRelOptions' merge for ALTER VIEW ... SET / RESET.
#include <gtest/gtest.h>

#include <functional>

#include "common/error.h"
#include "executor/table_options.h"

namespace activestore::executor {
namespace {

using Strings = std::vector<std::string>;

SqlState StateOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.state();
  }
  return SqlState::kSuccessfulCompletion;
}

TEST(ViewOptionsTest, KeepsTheOptionsAsGiven) {
  EXPECT_EQ(ViewOptions({}, {{"security_barrier", "true"}, {"security_invoker", "off"}}, {}),
            (Strings{"security_barrier=true", "security_invoker=off"}));
  EXPECT_EQ(ViewOptions({}, {{"check_option", "LOCAL"}}, {}), Strings{"check_option=LOCAL"});
  // toast.* is accepted and dropped.
  EXPECT_EQ(ViewOptions({}, {{"toast.fillfactor", "10"}}, {}), Strings{});
}

TEST(ViewOptionsTest, SetReplacesAndAppendsResetRemoves) {
  const Strings current = {"security_invoker=false", "security_barrier=true"};
  EXPECT_EQ(ViewOptions(current, {{"security_invoker", "true"}, {"check_option", "local"}}, {}),
            (Strings{"security_barrier=true", "security_invoker=true", "check_option=local"}));
  EXPECT_EQ(ViewOptions(current, {}, {"security_barrier", "no_such"}),
            Strings{"security_invoker=false"});
}

TEST(ViewOptionsTest, RefusesWhatPostgresRefuses) {
  EXPECT_EQ(StateOf([] {
              ViewOptions({}, {{"fillfactor", "10"}}, {});
            }),
            SqlState::kInvalidParameterValue);
  EXPECT_EQ(StateOf([] {
              ViewOptions({}, {{"security_barrier", "100"}}, {});
            }),
            SqlState::kInvalidParameterValue);
  EXPECT_EQ(StateOf([] {
              ViewOptions({}, {{"check_option", "both"}}, {});
            }),
            SqlState::kInvalidParameterValue);
  EXPECT_EQ(StateOf([] {
              ViewOptions({}, {{"foo.x", "1"}}, {});
            }),
            SqlState::kInvalidParameterValue);
  EXPECT_EQ(StateOf([] {
              ViewOptions({}, {{"security_barrier", "on"}, {"security_barrier", "off"}}, {});
            }),
            SqlState::kInvalidParameterValue);
}

TEST(ViewOptionsTest, CheckOptionAndBooleans) {
  EXPECT_EQ(ViewCheckOption({"security_barrier=true", "check_option=CASCADED"}), "cascaded");
  EXPECT_EQ(ViewCheckOption({"security_barrier=true"}), "");
  storage::TableInfo v;
  v.view_options = {"security_barrier=on", "security_invoker=0"};
  EXPECT_TRUE(v.ViewOption("security_barrier"));
  EXPECT_FALSE(v.ViewOption("security_invoker"));
  EXPECT_FALSE(v.ViewOption("security"));
}

}  // namespace
}  // namespace activestore::executor
