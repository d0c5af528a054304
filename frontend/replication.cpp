// Replication connections (Connection's walsender part): the commands of
// frontend/replication_command.h, and START_REPLICATION's stream of the shard log
// (docs/design/2026-12-06-shard-log-and-replication.md, "The stream").
#include "storage/replication.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "frontend/connection.h"
#include "frontend/connection_internal.h"
#include "frontend/pgwire/protocol.h"
#include "frontend/replication_command.h"
#include "storage/shard_log.h"

namespace activestore::frontend {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

using Clock = std::chrono::steady_clock;

// How many transactions one read of the log sends at most, and how often an idle stream looks
// for new log entries without being woken (a session's commit wakes it: this is for storage
// tables created and dropped, and bookkeeping, which do not).
constexpr size_t kReadBatch = 256;
constexpr std::chrono::milliseconds kPollInterval{100};
// PostgreSQL's wal_sender_timeout (60 s): a keepalive asking for a reply after half of it
// without one, and the end of the connection after all of it.
constexpr std::chrono::seconds kKeepaliveInterval{10};
constexpr std::chrono::seconds kSenderTimeout{60};
// The bytes of a file in one CopyData of a base backup.
constexpr size_t kBackupChunk = 1 << 20;

std::string LsnText(uint64_t lsn) {
  return fmt::format("{:X}/{:X}", static_cast<uint32_t>(lsn >> 32),
                     static_cast<uint32_t>(lsn & 0xffffffffu));
}

pgwire::FieldDescription TextField(std::string name, uint32_t type_oid = 25) {
  pgwire::FieldDescription f;
  f.name = std::move(name);
  f.type_oid = type_oid;
  f.type_len = type_oid == 25 || type_oid == 17 ? -1 : (type_oid == 20 ? 8 : 4);
  return f;
}

storage::ReplicationRegistry* RegistryOrThrow(executor::NodeEngine* engine) {
  storage::ReplicationRegistry* r = engine->replication();
  if (r == nullptr || !r->enabled() || engine->storage_engine() == nullptr) {
    Throw(SqlState::kObjectNotInPrerequisiteState,
          "replication requires the shard log (shard_log = on)");
  }
  return r;
}

// Where `epoch` is in `history`; 55000 as PostgreSQL's for a timeline it does not have.
size_t EpochIndex(const std::vector<storage::EpochInfo>& history, uint32_t epoch) {
  for (size_t i = 0; i < history.size(); ++i) {
    if (history[i].epoch == epoch) return i;
  }
  Throw(SqlState::kObjectNotInPrerequisiteState,
        "requested timeline {} is not in this server's history", epoch);
}

}  // namespace

awaitable<bool> Connection::HandleReplicationQuery() {
  // The Query is buffered whole (MainLoop's FillMessage): read its text without taking it, so
  // that SQL can go on to the ordinary path.
  const char* p = in_.data() + in_pos_;
  const uint32_t len = (static_cast<uint32_t>(static_cast<uint8_t>(p[1])) << 24) |
                       (static_cast<uint32_t>(static_cast<uint8_t>(p[2])) << 16) |
                       (static_cast<uint32_t>(static_cast<uint8_t>(p[3])) << 8) |
                       static_cast<uint32_t>(static_cast<uint8_t>(p[4]));
  Result<std::string> sql = pgwire::DecodeQuery(std::string_view(p + 5, len - 4));
  if (!sql.ok()) co_return false;  // the ordinary path reports the malformed message
  std::optional<Error> error;
  ReplicationCommand cmd;
  try {
    cmd = ParseReplicationCommand(sql.value());
  } catch (const Error& e) {
    error = e;
  }
  using Kind = ReplicationCommand::Kind;
  if (!error && cmd.kind == Kind::kShow) co_return false;
  if (!error && cmd.kind == Kind::kSql) {
    if (replication_ == ReplicationMode::kDatabase) co_return false;
    error = Error(SqlState::kFeatureNotSupported,
                  "cannot execute SQL commands in WAL sender for physical replication");
  }
  TakeMessage();
  executor::NodeEngine* engine = ctx_.engine;
  std::string tag;
  try {
    if (error) throw *error;
    switch (cmd.kind) {
      case Kind::kIdentifySystem: {
        storage::ReplicationRegistry* r = engine->replication();
        storage::Engine* e = engine->storage_engine();
        if (r == nullptr || e == nullptr) {
          Throw(SqlState::kFeatureNotSupported, "replication is not available on this node");
        }
        writer_.RowDescription({TextField("systemid"), TextField("timeline", 23),
                                TextField("xlogpos"), TextField("dbname")});
        std::optional<std::string> dbname;
        if (replication_ == ReplicationMode::kDatabase) dbname = database_;
        const uint64_t epoch =
            co_await Offload([&] { return storage::ReadEpochHistory(e).back().epoch; });
        writer_.DataRow({std::to_string(r->system_identifier()), std::to_string(epoch),
                         LsnText(e->DurableLsn()), dbname});
        tag = "IDENTIFY_SYSTEM";
        break;
      }
      case Kind::kCreateSlot: {
        if (cmd.logical) {
          Throw(SqlState::kFeatureNotSupported, "logical replication slots are not supported");
        }
        if (cmd.temporary) {
          Throw(SqlState::kFeatureNotSupported, "temporary replication slots are not supported");
        }
        storage::ReplicationRegistry* r = RegistryOrThrow(engine);
        co_await Offload([&] { r->Create(cmd.slot, cmd.reserve_wal); });
        writer_.RowDescription({TextField("slot_name"), TextField("consistent_point"),
                                TextField("snapshot_name"), TextField("output_plugin")});
        // A physical slot has no consistent point, as PostgreSQL answers.
        writer_.DataRow({cmd.slot, "0/0", std::nullopt, std::nullopt});
        tag = "CREATE_REPLICATION_SLOT";
        break;
      }
      case Kind::kDropSlot: {
        storage::ReplicationRegistry* r = RegistryOrThrow(engine);
        co_await Offload([&] { r->Drop(cmd.slot); });
        tag = "DROP_REPLICATION_SLOT";
        break;
      }
      case Kind::kReadSlot: {
        storage::ReplicationRegistry* r = RegistryOrThrow(engine);
        writer_.RowDescription(
            {TextField("slot_type"), TextField("restart_lsn"), TextField("restart_tli", 20)});
        std::vector<std::optional<std::string>> row(3);
        for (const storage::ReplicationSlotInfo& s : r->Slots()) {
          if (s.name != cmd.slot) continue;
          row[0] = "physical";
          if (s.restart_lsn) {
            row[1] = LsnText(*s.restart_lsn);
            row[2] = "1";
          }
        }
        writer_.DataRow(row);
        tag = "READ_REPLICATION_SLOT";
        break;
      }
      case Kind::kStartReplication: {
        if (cmd.logical) {
          Throw(SqlState::kFeatureNotSupported, "logical replication is not supported");
        }
        RegistryOrThrow(engine);
        if (cmd.timeline > 0) {
          // The epoch the standby is in (storage/replication.h, "Epochs"), as PostgreSQL checks
          // the requested timeline against its history.
          storage::Engine* e = engine->storage_engine();
          const std::vector<storage::EpochInfo> history =
              co_await Offload([&] { return storage::ReadEpochHistory(e); });
          const size_t i = EpochIndex(history, cmd.timeline);
          if (i + 1 < history.size() && cmd.start_lsn > history[i + 1].fork_lsn) {
            throw std::move(
                Error(SqlState::kObjectNotInPrerequisiteState,
                      fmt::format("requested starting point {} on timeline {} is "
                                  "not in this server's history",
                                  LsnText(cmd.start_lsn), cmd.timeline))
                    .Detail(fmt::format("This server's history forked from timeline "
                                        "{} at {}.",
                                        cmd.timeline, LsnText(history[i + 1].fork_lsn))));
          }
        }
        co_await StreamLog(cmd.slot, cmd.start_lsn);
        tag = "START_STREAMING";
        break;
      }
      case Kind::kBaseBackup:
        RegistryOrThrow(engine);
        co_await SendBaseBackup();
        tag = "BASE_BACKUP";
        break;
      case Kind::kTimelineHistory: {
        // The epochs up to the one asked for, in our text format (not PostgreSQL's history
        // file): the replica compares them with its own before it streams.
        RegistryOrThrow(engine);
        storage::Engine* e = engine->storage_engine();
        std::vector<storage::EpochInfo> history =
            co_await Offload([&] { return storage::ReadEpochHistory(e); });
        history.resize(EpochIndex(history, cmd.timeline) + 1);
        writer_.RowDescription({TextField("filename"), TextField("content", 17)});
        writer_.DataRow(
            {fmt::format("{:08X}.history", cmd.timeline), storage::EpochHistoryText(history)});
        tag = "TIMELINE_HISTORY";
        break;
      }
      case Kind::kSql:
      case Kind::kShow:
        break;
    }
  } catch (const Error& e) {
    if (e.severity == Severity::kFatal || e.severity == Severity::kPanic) throw;
    error = e;
  }
  if (error) {
    CheckTerminating();
    SendError(*error);
  } else {
    writer_.CommandComplete(tag);
  }
  writer_.ReadyForQuery(static_cast<char>(session_->txn_status()));
  co_await Flush();
  co_return true;
}

awaitable<void> Connection::SendBaseBackup() {
  executor::NodeEngine* node = ctx_.engine;
  auto* source = dynamic_cast<storage::BackupSource*>(node->storage_engine());
  if (source == nullptr) {
    Throw(SqlState::kFeatureNotSupported, "this storage engine cannot take a base backup");
  }
  std::unique_ptr<storage::BackupSource::Backup> backup =
      co_await Offload([&] { return source->BeginBackup(); });
  spdlog::info("connection from {}: base backup of {} files at {}", peer_, backup->files.size(),
               LsnText(backup->lsn));
  writer_.CopyOutResponse(0);
  std::vector<char> buf(kBackupChunk);
  uint64_t total = 0;
  for (const std::string& name : backup->files) {
    const std::string path = backup->directory + "/" + name;
    int fd = -1;
    uint64_t size = 0;
    co_await Offload([&] {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st {};
      if (fd >= 0 && ::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        fd = -1;
        errno = err;
      }
      if (fd < 0) {
        Throw(SqlState::kIoError, "could not open file \"{}\": {}", path, std::strerror(errno));
      }
      size = static_cast<uint64_t>(st.st_size);
    });
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    writer_.CopyData(storage::BackupFileMessage(name, size));
    uint64_t sent = 0;
    while (sent < size) {
      size_t got = 0;
      co_await Offload([&] {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size() - 1, size - sent));
        buf[0] = 'd';
        ssize_t n = ::pread(fd, buf.data() + 1, want, static_cast<off_t>(sent));
        if (n <= 0) {
          Throw(SqlState::kIoError, "could not read file \"{}\": {}", path,
                n == 0 ? "unexpected end of file" : std::strerror(errno));
        }
        got = static_cast<size_t>(n);
      });
      writer_.CopyData(std::string_view(buf.data(), got + 1));
      sent += got;
      co_await Flush();
    }
    total += size;
  }
  writer_.CopyData(storage::BackupManifestMessage(
      backup->lsn, node->replication()->system_identifier(), backup->files.size()));
  writer_.CopyDone();
  co_await Offload([&] { backup.reset(); });
  spdlog::info("connection from {}: base backup sent ({} bytes)", peer_, total);
}

awaitable<void> Connection::StreamLog(const std::string& slot, uint64_t start) {
  executor::NodeEngine* node = ctx_.engine;
  storage::Engine* engine = node->storage_engine();
  storage::ReplicationRegistry* registry = node->replication();
  const int32_t pid = cancel_key_ ? cancel_key_->pid : 0;
  // Entries after `start` that the log no longer has would be skipped without a word.
  const uint64_t truncated = co_await Offload([&] { return storage::LogTruncatedThrough(engine); });
  if (start < truncated) {
    throw std::move(
        Error(SqlState::kObjectNotInPrerequisiteState,
              fmt::format("requested starting point {} is older than the log kept on this server "
                          "(entries up to {} were removed)",
                          LsnText(start), LsnText(truncated)))
            .Hint("Stream from a replication slot, or take a new base copy."));
  }
  if (!slot.empty()) registry->Acquire(slot, pid);
  storage::SenderInfo info;
  info.pid = pid;
  info.user = user_;
  info.application_name = application_name_;
  info.client_addr = peer_address_;
  {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) info.client_port = ep.port();
  }
  info.backend_start_us = storage::ReplicationNowUs();
  info.state = "streaming";
  info.slot = slot;
  info.sent_lsn = start;
  registry->RegisterSender(info);
  // The slot and the sender entry go with the stream, however it ends.
  struct Registration {
    storage::ReplicationRegistry* registry;
    std::string slot;
    int32_t pid;
    ~Registration() {
      if (!slot.empty()) registry->Release(slot, pid);
      registry->UnregisterSender(pid);
    }
  } registration{registry, slot, pid};
  spdlog::info("connection from {}: replication started{}{} after {}", peer_,
               slot.empty() ? "" : " from slot ", slot, LsnText(start));

  writer_.CopyBothResponse();
  co_await Flush();
  uint64_t sent = start;
  uint64_t advanced = 0;     // the flush position stored in the slot last
  uint64_t reply_asked = 0;  // the position a reply was last asked for
  storage::LagTracker lag;
  Clock::time_point last_reply = Clock::now();
  Clock::time_point last_keepalive = Clock::now();
  while (true) {
    // What the standby sent: status updates, hot standby feedback, the end of the copy.
    while (HasBufferedMessage()) {
      const char type = TakeMessage();
      if (type == pgwire::fe::kCopyDone) {
        writer_.CopyDone();
        spdlog::info("connection from {}: replication ended by the standby at {}", peer_,
                     LsnText(sent));
        co_return;
      }
      if (type == pgwire::fe::kTerminate) throw ConnectionClosed{};
      if (type != pgwire::fe::kCopyData || body_.empty()) {
        throw Fatal(SqlState::kProtocolViolation,
                    fmt::format("unexpected message type \"{}\"", type));
      }
      last_reply = Clock::now();
      if (body_[0] == 'h') continue;  // hot standby feedback: nothing pins history here
      std::optional<storage::StandbyStatus> status = storage::DecodeStandbyStatus(body_);
      if (!status) {
        throw Fatal(SqlState::kProtocolViolation,
                    fmt::format("unexpected message type \"{}\"", body_[0]));
      }
      const Clock::time_point now = Clock::now();
      std::optional<int64_t> lags[3];
      lags[0] = lag.Acknowledged(0, status->write, now);
      lags[1] = lag.Acknowledged(1, status->flush, now);
      lags[2] = lag.Acknowledged(2, status->apply, now);
      registry->UpdateSender(pid, [&](storage::SenderInfo& s) {
        s.write_lsn = status->write;
        s.flush_lsn = status->flush;
        s.replay_lsn = status->apply;
        if (lags[0]) s.write_lag_us = lags[0];
        if (lags[1]) s.flush_lag_us = lags[1];
        if (lags[2]) s.replay_lag_us = lags[2];
        s.reply_time_us = status->time_us;
      });
      if (!slot.empty() && status->flush > advanced) {
        const uint64_t flush = status->flush;
        co_await Offload([&] { registry->Advance(slot, flush); });
        advanced = flush;
      }
      if (status->reply_requested) last_keepalive = Clock::time_point{};
    }
    // New commits: read them on a worker, in LSN order, at most a batch at a time.
    bool more = false;
    if (engine->DurableLsn() > sent) {
      std::string frames;
      uint64_t last = sent;
      size_t count = 0;
      co_await Offload([&] {
        std::vector<storage::LoggedTransaction> batch = storage::ReadLog(engine, sent, kReadBatch);
        const uint64_t end = engine->DurableLsn();
        const int64_t now_us = storage::ReplicationNowUs();
        pgwire::MessageWriter w(&frames);
        for (const storage::LoggedTransaction& t : batch) {
          w.CopyData(storage::XLogDataMessage(t.commit.lsn, end, now_us,
                                              storage::EncodeTransactionMessage(t)));
          last = t.commit.lsn;
        }
        count = batch.size();
      });
      if (count > 0) {
        out_.append(frames);
        sent = last;
        lag.Sent(sent, Clock::now());
        registry->UpdateSender(pid, [&](storage::SenderInfo& s) { s.sent_lsn = sent; });
        more = count == kReadBatch;
      }
    }
    // Commits wait for the standby: a keepalive asking for a reply after what was sent makes it
    // sync and acknowledge at once (otherwise it does about once a second).
    if (registry->has_sync_waiters() && sent > reply_asked) {
      pgwire::MessageWriter w(&out_);
      w.CopyData(
          storage::KeepaliveMessage(engine->DurableLsn(), storage::ReplicationNowUs(), true));
      reply_asked = sent;
    }
    const Clock::time_point now = Clock::now();
    if (now - last_reply > kSenderTimeout) {
      spdlog::warn("connection from {}: terminating walsender process due to replication timeout",
                   peer_);
      throw ConnectionClosed{};
    }
    if (now - last_keepalive >= kKeepaliveInterval) {
      pgwire::MessageWriter w(&out_);
      w.CopyData(storage::KeepaliveMessage(engine->DurableLsn(), storage::ReplicationNowUs(),
                                           now - last_reply > kSenderTimeout / 2));
      last_keepalive = now;
    }
    if (more) {
      co_await WaitForMessage(std::chrono::milliseconds(0));
      continue;
    }
    // Woken by the next commit (ReplicationRegistry::NotifyCommit), registered before the log
    // is looked at again so that no commit slips in between.
    struct LogWait {
      storage::ReplicationRegistry* registry;
      uint64_t id;
      ~LogWait() { registry->RemoveLogWaiter(id); }
    } log_wait{registry, registry->AddLogWaiter([self = shared_from_this()] {
                 asio::post(self->socket_.get_executor(), [self] {
                   if (!self->message_wait_reading_) return;
                   boost::system::error_code ignored;
                   self->socket_.cancel(ignored);
                 });
               })};
    if (engine->DurableLsn() > sent) continue;
    co_await WaitForMessage(kPollInterval);
  }
}

}  // namespace activestore::frontend
