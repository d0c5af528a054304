// Process-wide logging set-up on spdlog: text lines or one JSON object per line on stderr.
//
// Thread safety: SetUpLogging() is called once at start-up, before other threads log; the
// loggers it installs are thread-safe.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace activestore::frontend {

// Installs the default spdlog logger writing to stderr in `format` ("text" or "json") at
// `level` (trace debug info warn error critical off). Error 22023 for an unknown value.
Status SetUpLogging(std::string_view format, std::string_view level);

// The JSON line formatter: {"ts":"2024-01-02T03:04:05.678Z","level":"info","msg":"..."}.
// Strings are JSON-escaped; invalid UTF-8 is replaced by U+FFFD.
class JsonLogFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace activestore::frontend
