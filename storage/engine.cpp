// Engine::Open: picks the back end named by StorageOptions::engine.
#include "storage/memory/memory_engine.h"
#include "storage/storage.h"
#include "storage/wiredtiger/wt_engine.h"

namespace activestore::storage {

Result<std::unique_ptr<Engine>> Engine::Open(const StorageOptions& options) {
  try {
    if (options.engine == "wiredtiger") {
      return std::unique_ptr<Engine>(wiredtiger::WtEngine::Open(options));
    }
    if (options.engine == "memory") {
      return std::unique_ptr<Engine>(std::make_unique<memory::MemoryEngine>());
    }
    return std::move(
        Error(SqlState::kInvalidParameterValue,
              fmt::format("invalid value for parameter \"engine\": \"{}\"", options.engine))
            .Hint("Available values: wiredtiger, memory."));
  } catch (const Error& e) {
    return e;
  }
}

}  // namespace activestore::storage
