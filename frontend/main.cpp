// The activestore server binary: configuration, logging, engine, server, signals.
//
// Exit codes: 0 after a graceful stop (SIGINT/SIGTERM), 1 if the engine cannot open its data
// (e.g. the data directory is locked by another node) or the server cannot listen, 2 for an
// invalid configuration.
#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/audit_log.h"
#include "common/private_file.h"
#include "executor/admin_functions.h"
#include "executor/engine.h"
#include "frontend/config.h"
#include "frontend/logging.h"
#include "frontend/replica.h"
#include "frontend/server.h"
#include "storage/replication.h"
#include "storage/wiredtiger/wt_engine.h"

namespace {

bool IsLoopback(const std::string& listen) {
  return listen == "localhost" || listen == "::1" || listen.rfind("127.", 0) == 0;
}

// glibc's allocator, tuned for the storage engine's allocation pattern (a write allocates two
// small objects per row in WiredTiger's cache, hundreds of MB for a bulk load): one arena, so
// that every thread reuses the memory freed by the others instead of faulting in fresh pages
// in an arena of its own, and transparent huge pages for it (this machine's THP mode is
// `madvise`), so that a load faults in 2 MB pages instead of 4 KB ones. Measured on a 1M-row
// COPY: page faults about 100,000 -> 5,000. glibc reads its tunables only when a process starts, so
// the binary executes itself once more with them set (same pid, arguments and environment).
// A GLIBC_TUNABLES that already sets any glibc.malloc tunable is left as it is (the way to
// opt out); so is a failed exec (the server then runs untuned).
[[maybe_unused]] void TuneAllocator(char** argv) {
  const char* current = std::getenv("GLIBC_TUNABLES");
  if (current != nullptr && std::strstr(current, "glibc.malloc.") != nullptr) return;
  std::string tunables = "glibc.malloc.arena_max=1:glibc.malloc.hugetlb=1";
  if (current != nullptr && *current != '\0') tunables = std::string(current) + ":" + tunables;
  if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  unsetenv("GLIBC_TUNABLES");
  if (current != nullptr) setenv("GLIBC_TUNABLES", current, 1);
}

// `activestore promote --data-dir DIR [--wait-seconds N]`: promotes the replica of DIR (as
// pg_ctl promote): at once if its server runs, else when it next starts.
int PromoteCommand(const std::vector<std::string>& args) {
  std::string data_dir;
  int wait_seconds = 60;
  for (size_t i = 2; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string_view flag) -> std::optional<std::string> {
      if (a == flag && i + 1 < args.size()) return args[++i];
      if (a.rfind(std::string(flag) + "=", 0) == 0) return a.substr(flag.size() + 1);
      return std::nullopt;
    };
    if (auto v = value("--data-dir")) {
      data_dir = *v;
    } else if (auto w = value("--wait-seconds")) {
      wait_seconds = std::atoi(w->c_str());
    } else {
      std::cerr << "activestore promote: unknown argument \"" << a
                << "\"\nusage: activestore promote --data-dir DIR [--wait-seconds N]" << std::endl;
      return 2;
    }
  }
  if (data_dir.empty()) {
    std::cerr << "activestore promote: --data-dir is required" << std::endl;
    return 2;
  }
  const int r = activestore::frontend::PromoteDataDir(data_dir, wait_seconds);
  if (r == 2) {
    std::cerr << "activestore promote: \"" << data_dir << "\" is not a data directory" << std::endl;
  } else if (r == 1) {
    std::cerr << "activestore promote: the server did not promote within " << wait_seconds
              << " seconds (it will when it next runs as a replica)" << std::endl;
  } else {
    std::cout << "server promoted" << std::endl;
  }
  return r;
}

}  // namespace

#if ACTIVESTORE_JEMALLOC
// jemalloc's options (read when it starts): a background thread returns freed pages to the
// kernel after they stayed unused for dirty_decay_ms (10 s, jemalloc's default), so an idle
// server shrinks, while a query's freed megabytes stay for the next query to reuse.
extern "C" {
const char* malloc_conf = "background_thread:true";
}
#endif

int main(int argc, char** argv) {
  using namespace activestore;
  using namespace activestore::frontend;

#if !ACTIVESTORE_JEMALLOC
  TuneAllocator(argv);

  // Built without jemalloc, glibc's malloc serves (sanitizer builds replace it with their
  // own, which ignores this). A query's operators allocate and free
  // megabytes (hash tables, aggregate states, sort buffers) on worker threads, whose malloc
  // arenas glibc trims back to the kernel after each query: the next query then takes a page
  // fault per 4 KB it touches (6,000 a date_bin GROUP BY, 15% of its time). Fixed thresholds
  // keep up to 64 MB free per arena instead (mallopt also turns off glibc's sliding mmap
  // threshold). parser.cpp still trims explicitly after clearing ANTLR's DFA cache.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
  std::vector<std::string> args(argv, argv + argc);
  if (args.size() > 1 && args[1] == "promote") return PromoteCommand(args);
  ConfigOutcome outcome = LoadConfig(args, ProcessEnv());
  if (!outcome.config) {
    (outcome.exit_code == 0 ? std::cout : std::cerr) << outcome.message << std::endl;
    return outcome.exit_code;
  }
  const Config& config = *outcome.config;
  executor::NoteServerStarted();  // pg_postmaster_start_time, pg_conf_load_time
  if (Status s = SetUpLogging(config.log_format, config.log_level); !s.ok()) {
    std::cerr << "activestore: " << s.error().message() << std::endl;
    return 2;
  }

  // Block the stop signals in every thread (threads inherit the mask); main waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);  // reload (not a stop)
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  spdlog::info("{} starting: data directory \"{}\", engine {}, listening on {}:{}", kVersionString,
               config.data_dir, config.engine, config.listen, config.port);

  auto security = SecurityConfig::Load(config.ToSecuritySettings());
  if (!security.ok()) {
    std::string detail = security.error().detail ? "\n" + *security.error().detail : "";
    std::cerr << "activestore: " << security.error().message() << detail << std::endl;
    spdlog::critical("{}{}", security.error().message(), detail);
    return 2;
  }
  if ((*security)->TrustsBeyondLoopback() && !IsLoopback(config.listen)) {
    spdlog::warn(
        "WARNING: listening on {} with trust authentication for clients beyond loopback: anyone "
        "who can reach port {} can log in as any role, superuser included, without a password. "
        "Set hba_file (pg_hba.conf rules) or auth_method = \"scram-sha-256\", or listen on "
        "127.0.0.1 only.",
        config.listen, config.port);
    std::cerr << "activestore: WARNING: trust authentication for clients beyond loopback on "
              << config.listen << " (see the log)" << std::endl;
  }

  std::optional<ReplicaSettings> replica;
  if (!config.replica_of.empty()) {
    try {
      replica = ParseReplicaOf(config.replica_of);
    } catch (const Error& e) {
      std::cerr << "activestore: " << e.message() << std::endl;
      return 2;
    }
    replica->user = config.replication_user;
    replica->password = config.replication_password;
    replica->slot = config.replication_slot;
    replica->promote_file = PromoteFile(config.data_dir);
    try {
      if (config.resync) MarkForResync(config.data_dir);
      TakeBaseCopy(*replica, config.data_dir);
    } catch (const Error& e) {
      std::cerr << "activestore: " << e.message() << std::endl;
      spdlog::critical("could not take a base copy: {}", e.message());
      return 1;
    }
  }

  auto engine = executor::NodeEngine::Open(config.ToEngineOptions());
  if (!engine.ok()) {
    const Error& e = engine.error();
    std::string more =
        (e.detail ? "\nDETAIL: " + *e.detail : "") + (e.hint ? "\nHINT: " + *e.hint : "");
    std::cerr << "activestore: " << e.message() << more << std::endl;
    spdlog::critical("could not open the engine: {}{}", e.message(), more);
    return 1;
  }
  if (config.audit_log != "off") {
    // Opened after the engine, which creates the data directory.
    std::string path =
        ResolveDataPath(config.audit_log == "on" ? "audit.log" : config.audit_log, config.data_dir);
    auto audit = AuditLog::Open(path, config.audit_log_max_mb << 20);
    if (!audit.ok()) {
      std::cerr << "activestore: " << audit.error().message() << std::endl;
      spdlog::critical("{}", audit.error().message());
      (*engine)->Shutdown();
      return 2;
    }
    (*engine)->set_audit_log(*audit);
    spdlog::info("audit log: \"{}\" (a new file past {} MB)", path, config.audit_log_max_mb);
  }

  if (storage::ReplicationRegistry* r = (*engine)->replication()) {
    r->set_synchronous_replicas(config.synchronous_replicas);
    r->set_synchronous_commit_timeout_ms(
        static_cast<int64_t>(config.synchronous_commit_timeout_ms));
    if (auto* wt = dynamic_cast<storage::wiredtiger::WtEngine*>((*engine)->storage_engine())) {
      wt->set_epoch(storage::ReadEpochHistory(wt).back().epoch);
    }
  } else if (config.synchronous_replicas > 0) {
    spdlog::warn("synchronous_replicas = {} has no effect without the shard log",
                 config.synchronous_replicas);
  }

  int exit_code = 0;
  // A replica follows its primary from now until shutdown.
  std::unique_ptr<ReplicaReceiver> receiver;
  if (replica) {
    receiver = std::make_unique<ReplicaReceiver>(*replica, engine->get());
    receiver->Start();
  }
  {
    ServerOptions options;
    options.listen = config.listen;
    options.port = config.port;
    options.security = *security;
    options.max_connections = config.max_connections;
    options.superuser_reserved_connections = config.superuser_reserved_connections;
    if (config.http_port != 0) options.http_port = config.http_port;
    Server server(engine->get(), options);
    if (Status s = server.Start(); !s.ok()) {
      std::cerr << "activestore: " << s.error().message() << std::endl;
      spdlog::critical("{}", s.error().message());
      exit_code = 1;
    } else {
      spdlog::info("ready to accept connections on {}:{}", config.listen, server.port());
      int sig = 0;
      while (true) {
        sigwait(&stop_signals, &sig);
        if (sig != SIGHUP) break;
        // As PostgreSQL: the configuration is read again; the hba rules and TLS files are
        // reloaded (a part that fails keeps the old one); other settings need a restart.
        spdlog::info("received SIGHUP, reloading configuration files");
        ConfigOutcome again = LoadConfig(args, ProcessEnv());
        if (!again.config) {
          spdlog::error("configuration was not reloaded: {}", again.message);
          continue;
        }
        (*security)->Reload(again.config->ToSecuritySettings());
        executor::NoteConfigurationLoaded();
      }
      spdlog::info("received {}: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
      server.Stop();
    }
  }
  receiver.reset();
  (*engine)->Shutdown();
  spdlog::info("shutdown complete");
  spdlog::default_logger()->flush();
  return exit_code;
}
