#include "frontend/replica.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>
#include <sys/select.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "common/error.h"
#include "storage/replication.h"
#include "storage/shard_log.h"
#include "storage/wiredtiger/wt_engine.h"

namespace activestore::frontend {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kCopyMarker[] = "base_copy_in_progress";
constexpr std::chrono::seconds kStatusInterval{1};
constexpr std::chrono::seconds kRetryDelay{1};

struct PgConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, PgConnDeleter>;
struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

std::string Trimmed(const char* message) {
  std::string m = message == nullptr ? "" : message;
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

Conn Connect(const ReplicaSettings& s) {
  Conn c(PQconnectdb(s.ConnInfo(true).c_str()));
  if (PQstatus(c.get()) != CONNECTION_OK) {
    Throw(SqlState::kConnectionException, "could not connect to the primary {}:{}: {}", s.host,
          s.port, Trimmed(PQerrorMessage(c.get())));
  }
  return c;
}

// The primary's error for a command that failed, with its SQLSTATE.
[[noreturn]] void CommandFailed(PGconn* c, const PGresult* r, std::string_view command) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = Trimmed(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(c));
  Throw(SqlState::kConnectionException, "the primary refused {}: {} ({})", command, message,
        state != nullptr ? state : "no SQLSTATE");
}

PgResult Exec(PGconn* c, const std::string& command, ExecStatusType expected) {
  PgResult r(PQexec(c, command.c_str()));
  if (PQresultStatus(r.get()) != expected) CommandFailed(c, r.get(), command);
  return r;
}

// The slot, created unless it exists; its log is kept from then on.
void EnsureSlot(PGconn* c, const std::string& slot) {
  const std::string command = "CREATE_REPLICATION_SLOT \"" + slot + "\" PHYSICAL RESERVE_WAL";
  PgResult r(PQexec(c, command.c_str()));
  if (PQresultStatus(r.get()) == PGRES_TUPLES_OK) {
    spdlog::info("replica: created replication slot \"{}\" on the primary", slot);
    return;
  }
  const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
  if (state != nullptr && std::string_view(state) == "42710") return;  // it exists
  CommandFailed(c, r.get(), command);
}

[[noreturn]] void ThrowIo(std::string_view what, const std::string& path, int err) {
  Throw(SqlState::kIoError, "could not {} \"{}\": {}", what, path, std::strerror(err));
}

void WriteAll(int fd, const char* p, size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      ThrowIo("write file", path, errno);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void WriteSmallFileSynced(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) ThrowIo("create file", path, errno);
  WriteAll(fd, text.data(), text.size(), path);
  const int ok = ::fsync(fd);
  ::close(fd);
  if (ok != 0) ThrowIo("sync file", path, errno);
}

bool NeedsCopy(const std::string& data_dir) {
  std::error_code ec;
  if (!fs::exists(data_dir, ec)) return true;
  if (fs::exists(data_dir + "/" + kCopyMarker, ec)) return true;
  for (const auto& entry : fs::directory_iterator(data_dir, ec)) {
    (void)entry;
    return false;
  }
  return true;
}

std::string LsnText(uint64_t lsn) {
  return fmt::format("{:X}/{:X}", static_cast<uint32_t>(lsn >> 32),
                     static_cast<uint32_t>(lsn & 0xffffffffu));
}

// How far this node's history goes: what it applied, or, on a node that never applied
// anything or committed on its own since (a former primary, promoted or not: no applied LSN),
// its log's head.
uint64_t FollowPosition(storage::Engine* engine) {
  if (std::optional<uint64_t> applied = storage::ReadAppliedLsn(engine)) return *applied;
  auto* wt = dynamic_cast<storage::wiredtiger::WtEngine*>(engine);
  return wt != nullptr ? wt->newest_logged_at_open() : 0;
}

}  // namespace

std::string ReplicaSettings::ConnInfo(bool with_password) const {
  // libpq's key = 'value' syntax: quotes and backslashes escaped.
  auto quoted = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    return out + "'";
  };
  std::string s = fmt::format(
      "host={} port={} user={} dbname=replication replication=true "
      "application_name={} sslmode=prefer connect_timeout=10",
      quoted(host), port, quoted(user), quoted(application_name));
  if (with_password && !password.empty()) s += " password=" + quoted(password);
  return s;
}

ReplicaSettings ParseReplicaOf(const std::string& text) {
  ReplicaSettings s;
  auto bad = [&] {
    Throw(SqlState::kInvalidParameterValue,
          "invalid value \"{}\" for replica_of: expected HOST:PORT", text);
  };
  std::string port;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos) bad();
    s.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') bad();
      port = text.substr(close + 2);
    }
  } else {
    size_t colon = text.rfind(':');
    s.host = text.substr(0, colon);
    if (colon != std::string::npos) port = text.substr(colon + 1);
  }
  if (s.host.empty()) bad();
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) bad();
    const unsigned long p = std::stoul(port);
    if (p == 0 || p > 65535) bad();
    s.port = static_cast<uint16_t>(p);
  }
  return s;
}

void TakeBaseCopy(const ReplicaSettings& settings, const std::string& data_dir) {
  if (!NeedsCopy(data_dir)) return;
  std::error_code ec;
  const std::string marker = data_dir + "/" + kCopyMarker;
  if (fs::exists(marker, ec)) {
    if (fs::file_size(marker, ec) > 0) {
      spdlog::info("replica: replacing \"{}\" with a new base copy (--resync)", data_dir);
    } else {
      spdlog::warn("replica: the base copy in \"{}\" did not finish; starting it again", data_dir);
    }
    for (const auto& entry : fs::directory_iterator(data_dir, ec)) fs::remove_all(entry.path(), ec);
  }
  fs::create_directories(data_dir + "/wt", ec);
  if (ec) ThrowIo("create directory", data_dir + "/wt", ec.value());
  WriteSmallFileSynced(marker, "");
  spdlog::info("replica: taking a base copy of {}:{} into \"{}\"", settings.host, settings.port,
               data_dir);
  Conn c = Connect(settings);
  if (!settings.slot.empty()) EnsureSlot(c.get(), settings.slot);
  PgResult started = Exec(c.get(), "BASE_BACKUP", PGRES_COPY_OUT);
  int fd = -1;
  std::string path;
  uint64_t expected = 0, written = 0, files = 0, total = 0;
  std::optional<storage::BackupMessage> manifest;
  auto finish_file = [&] {
    if (fd < 0) return;
    if (written != expected) {
      Throw(SqlState::kProtocolViolation, "base copy: file \"{}\" has {} bytes, {} announced", path,
            written, expected);
    }
    if (::fsync(fd) != 0) ThrowIo("sync file", path, errno);
    ::close(fd);
    fd = -1;
  };
  while (true) {
    char* buf = nullptr;
    const int n = PQgetCopyData(c.get(), &buf, 0);
    if (n == -1) break;
    if (n == -2) {
      Throw(SqlState::kConnectionException, "base copy interrupted: {}",
            Trimmed(PQerrorMessage(c.get())));
    }
    std::unique_ptr<char, decltype(&PQfreemem)> owned(buf, &PQfreemem);
    storage::BackupMessage m = storage::DecodeBackupMessage(std::string_view(buf, n));
    if (m.type == 'f') {
      finish_file();
      path = data_dir + "/wt/" + m.name;
      fs::create_directories(fs::path(path).parent_path(), ec);
      fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (fd < 0) ThrowIo("create file", path, errno);
      expected = m.size;
      written = 0;
      ++files;
    } else if (m.type == 'd') {
      if (fd < 0) Throw(SqlState::kProtocolViolation, "base copy: data before a file");
      WriteAll(fd, m.data.data(), m.data.size(), path);
      written += m.data.size();
      total += m.data.size();
    } else {
      finish_file();
      manifest = m;
    }
  }
  finish_file();
  PgResult done(PQgetResult(c.get()));
  if (PQresultStatus(done.get()) != PGRES_COMMAND_OK) {
    CommandFailed(c.get(), done.get(), "BASE_BACKUP");
  }
  if (!manifest || manifest->files != files) {
    Throw(SqlState::kProtocolViolation, "base copy: incomplete ({} files received)", files);
  }
  // The engine adopts the copy at its first open (storage::AdoptBaseCopy); then the copy is
  // complete.
  WriteSmallFileSynced(storage::ReplicaBaseLsnFile(data_dir), std::to_string(manifest->lsn));
  fs::remove(marker, ec);
  spdlog::info("replica: base copy done: {} files, {} bytes, at {}", files, total,
               LsnText(manifest->lsn));
}

ReplicaReceiver::ReplicaReceiver(ReplicaSettings settings, executor::NodeEngine* node)
    : settings_(std::move(settings)), node_(node) {}

ReplicaReceiver::~ReplicaReceiver() { Stop(); }

void ReplicaReceiver::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ReplicaReceiver::Stop() {
  stopping_.store(true);
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string PromoteFile(const std::string& data_dir) { return data_dir + "/promote.signal"; }

void MarkForResync(const std::string& data_dir) {
  std::error_code ec;
  if (!fs::exists(data_dir, ec)) return;
  WriteSmallFileSynced(data_dir + "/" + kCopyMarker, "resync");
}

int PromoteDataDir(const std::string& data_dir, int wait_seconds) {
  std::error_code ec;
  if (!fs::exists(data_dir + "/wt", ec)) return 2;
  const std::string file = PromoteFile(data_dir);
  WriteSmallFileSynced(file, "");
  const auto deadline = Clock::now() + std::chrono::seconds(wait_seconds);
  while (Clock::now() < deadline) {
    if (!fs::exists(file, ec)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return 1;
}

bool ReplicaReceiver::PromotionWanted() {
  if (promote_seen_) return true;
  if (node_->replication()->promotion_requested()) return promote_seen_ = true;
  if (settings_.promote_file.empty()) return false;
  const Clock::time_point now = Clock::now();
  if (now - promote_file_checked_ < std::chrono::milliseconds(100)) return false;
  promote_file_checked_ = now;
  std::error_code ec;
  promote_seen_ = fs::exists(settings_.promote_file, ec);
  return promote_seen_;
}

void ReplicaReceiver::Promote() {
  storage::Engine* engine = node_->storage_engine();
  auto* replica = dynamic_cast<storage::ReplicaStorage*>(engine);
  auto* wt = dynamic_cast<storage::wiredtiger::WtEngine*>(engine);
  storage::ReplicationRegistry* registry = node_->replication();
  const uint64_t applied = FollowPosition(engine);
  replica->SetRecovery(false);
  const storage::EpochInfo epoch = storage::BeginEpoch(engine, applied);
  if (wt != nullptr) {
    wt->set_epoch(epoch.epoch);
    wt->SyncLog();
  }
  node_->AfterPromotion();
  registry->ClearReceiver();
  registry->set_in_recovery(false);
  std::error_code ec;
  if (!settings_.promote_file.empty()) fs::remove(settings_.promote_file, ec);
  spdlog::info("replica: promoted to primary: epoch {} (id {:016x}) begins after {}", epoch.epoch,
               epoch.id, LsnText(applied));
}

void ReplicaReceiver::Run() {
  storage::ReplicationRegistry* registry = node_->replication();
  registry->UpdateReceiver([&](storage::ReceiverInfo& r) {
    r.pid = static_cast<int32_t>(::getpid());
    r.slot_name = settings_.slot;
    r.sender_host = settings_.host;
    r.sender_port = settings_.port;
    r.conninfo = settings_.ConnInfo(false);
  });
  while (!stopping_.load()) {
    if (PromotionWanted()) {
      try {
        Promote();
        return;
      } catch (const std::exception& e) {
        spdlog::error("replica: the promotion failed: {}", e.what());
        registry->set_in_recovery(false);  // pg_promote's wait ends
        return;
      }
    }
    diverged_ = false;
    try {
      StreamOnce();
    } catch (const std::exception& e) {
      if (!stopping_.load()) spdlog::warn("replica: {}; connecting again", e.what());
    }
    if (PromotionWanted()) continue;
    registry->UpdateReceiver(
        [&](storage::ReceiverInfo& r) { r.status = diverged_ ? "diverged" : "waiting"; });
    const Clock::time_point until = Clock::now() + kRetryDelay;
    std::unique_lock lock(mu_);
    while (!stopping_.load() && Clock::now() < until && !PromotionWanted()) {
      cv_.wait_for(lock, std::chrono::milliseconds(100), [&] { return stopping_.load(); });
    }
  }
}

void ReplicaReceiver::StreamOnce() {
  storage::Engine* engine = node_->storage_engine();
  auto* replica = dynamic_cast<storage::ReplicaStorage*>(engine);
  auto* wt = dynamic_cast<storage::wiredtiger::WtEngine*>(engine);
  storage::ReplicationRegistry* registry = node_->replication();
  uint64_t applied = FollowPosition(engine);
  Conn c = Connect(settings_);
  // The same system, and a history this node can follow (no silent divergence).
  PgResult ident = Exec(c.get(), "IDENTIFY_SYSTEM", PGRES_TUPLES_OK);
  const std::string system_id = PQgetvalue(ident.get(), 0, 0);
  if (system_id != std::to_string(registry->system_identifier())) {
    throw std::move(Error(SqlState::kObjectNotInPrerequisiteState,
                          fmt::format("the primary's system identifier {} is not this node's {}",
                                      system_id, registry->system_identifier()))
                        .Hint("Take a new base copy: start with --replica-of and --resync."));
  }
  const uint64_t their_epoch = std::stoull(PQgetvalue(ident.get(), 0, 1));
  const std::vector<storage::EpochInfo> mine = storage::ReadEpochHistory(engine);
  std::vector<storage::EpochInfo> theirs(1);
  if (their_epoch > 1) {
    PgResult h = Exec(c.get(), fmt::format("TIMELINE_HISTORY {}", their_epoch), PGRES_TUPLES_OK);
    theirs = storage::ParseEpochHistoryText(
        std::string_view(PQgetvalue(h.get(), 0, 1), PQgetlength(h.get(), 0, 1)));
  }
  if (std::optional<std::string> why = storage::EpochDivergence(mine, theirs, applied)) {
    diverged_ = true;
    throw std::move(Error(SqlState::kObjectNotInPrerequisiteState,
                          fmt::format("cannot follow the primary {}:{}: {}", settings_.host,
                                      settings_.port, *why))
                        .Hint("Take a new base copy: start with --replica-of and --resync."));
  }
  if (!settings_.slot.empty()) EnsureSlot(c.get(), settings_.slot);
  const uint64_t epoch = mine.back().epoch;
  const std::string command =
      settings_.slot.empty()
          ? fmt::format("START_REPLICATION PHYSICAL {} TIMELINE {}", LsnText(applied), epoch)
          : fmt::format("START_REPLICATION SLOT \"{}\" PHYSICAL {} TIMELINE {}", settings_.slot,
                        LsnText(applied), epoch);
  PgResult started = Exec(c.get(), command, PGRES_COPY_BOTH);
  spdlog::info("replica: streaming from {}:{} after {}", settings_.host, settings_.port,
               LsnText(applied));
  registry->UpdateReceiver([&](storage::ReceiverInfo& r) {
    r.status = "streaming";
    r.receive_start_lsn = applied;
    if (r.written_lsn == 0) r.written_lsn = applied;
    if (r.flushed_lsn == 0) r.flushed_lsn = applied;
  });
  uint64_t flushed = applied;
  Clock::time_point last_status{};
  bool reply_now = false;
  auto send_status = [&] {
    // Everything applied before the sync is durable after it.
    const uint64_t before_sync = applied;
    if (wt != nullptr) wt->SyncLog();
    flushed = before_sync;
    std::string m = "r";
    storage::PutBigEndian(applied, 8, &m);
    storage::PutBigEndian(flushed, 8, &m);
    storage::PutBigEndian(applied, 8, &m);
    storage::PutBigEndian(static_cast<uint64_t>(storage::ReplicationNowUs()), 8, &m);
    m.push_back(0);
    if (PQputCopyData(c.get(), m.data(), static_cast<int>(m.size())) != 1 ||
        PQflush(c.get()) != 0) {
      Throw(SqlState::kConnectionException, "could not send a status update: {}",
            Trimmed(PQerrorMessage(c.get())));
    }
    registry->UpdateReceiver([&](storage::ReceiverInfo& r) { r.flushed_lsn = flushed; });
    last_status = Clock::now();
    reply_now = false;
  };
  while (!stopping_.load() && !PromotionWanted()) {
    char* buf = nullptr;
    const int n = PQgetCopyData(c.get(), &buf, 1);
    if (n == 0) {
      // Caught up with what arrived: synced and acknowledged at once when the primary asked
      // (synchronous commits wait for it), at least every second otherwise.
      if (reply_now || Clock::now() - last_status >= kStatusInterval) send_status();
      // Nothing buffered: wait for the socket (a tenth of a second at most, for Stop()).
      const int sock = PQsocket(c.get());
      fd_set fds;
      FD_ZERO(&fds);
      FD_SET(sock, &fds);
      timeval tv{0, 100000};
      ::select(sock + 1, &fds, nullptr, nullptr, &tv);
      if (PQconsumeInput(c.get()) == 0) {
        Throw(SqlState::kConnectionException, "connection to the primary lost: {}",
              Trimmed(PQerrorMessage(c.get())));
      }
      continue;
    }
    if (n == -1) {
      PgResult end(PQgetResult(c.get()));
      Throw(SqlState::kConnectionException, "the primary ended the stream: {}",
            Trimmed(PQresultErrorMessage(end.get())));
    }
    if (n < 0) {
      Throw(SqlState::kConnectionException, "connection to the primary lost: {}",
            Trimmed(PQerrorMessage(c.get())));
    }
    std::unique_ptr<char, decltype(&PQfreemem)> owned(buf, &PQfreemem);
    const std::string_view m(buf, static_cast<size_t>(n));
    const int64_t now_us = storage::ReplicationNowUs();
    if (m[0] == 'k' && m.size() >= 18) {
      const uint64_t end = storage::GetBigEndian(m, 1, 8);
      registry->UpdateReceiver([&](storage::ReceiverInfo& r) {
        r.latest_end_lsn = end;
        r.latest_end_time_us = now_us;
        r.last_msg_send_time_us = static_cast<int64_t>(storage::GetBigEndian(m, 9, 8));
        r.last_msg_receipt_time_us = now_us;
      });
      if (buf[17] != 0) reply_now = true;
      continue;
    }
    if (m[0] != 'w' || m.size() < 25) {
      Throw(SqlState::kProtocolViolation, "unexpected replication message type \"{}\"", m[0]);
    }
    const uint64_t end = storage::GetBigEndian(m, 9, 8);
    const int64_t sent_us = static_cast<int64_t>(storage::GetBigEndian(m, 17, 8));
    storage::LoggedTransaction t = storage::DecodeTransactionMessage(m.substr(25));
    if (t.commit.lsn > applied) {
      if (replica->ApplyReplicated(t)) node_->ReloadCatalog();
      applied = t.commit.lsn;
    }
    registry->UpdateReceiver([&](storage::ReceiverInfo& r) {
      r.written_lsn = applied;
      r.latest_end_lsn = end;
      r.latest_end_time_us = now_us;
      r.last_msg_send_time_us = sent_us;
      r.last_msg_receipt_time_us = now_us;
    });
    if (Clock::now() - last_status >= kStatusInterval) send_status();
  }
  // Stop() or a promotion: end the copy politely.
  PQputCopyEnd(c.get(), nullptr);
  PQflush(c.get());
}

}  // namespace activestore::frontend
