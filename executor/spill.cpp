#include "executor/spill.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>

#include "common/error.h"

namespace activestore::executor {

namespace {

std::atomic<uint64_t> g_files{0};
std::atomic<uint64_t> g_bytes{0};
std::atomic<int64_t> g_open{0};
std::atomic<uint64_t> g_seq{0};

constexpr size_t kFileBuffer = 64 * 1024;
// Rows a partition collects before they are written (a partition's buffer stays small even
// with many partitions open).
constexpr size_t kPartitionBatch = 256;

// A memory setting's display form ("64kB", "4MB", "1GB") in bytes; `fallback` if unreadable.
size_t MemoryBytes(const std::string& v, size_t fallback) {
  size_t i = 0;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
  if (i == 0) return fallback;
  const uint64_t n = std::stoull(v.substr(0, i));
  const std::string_view unit = std::string_view(v).substr(i);
  const uint64_t factor = unit == "MB"   ? uint64_t{1} << 20
                          : unit == "GB" ? uint64_t{1} << 30
                          : unit == "TB" ? uint64_t{1} << 40
                                         : uint64_t{1} << 10;  // kB, or a bare number of kB
  return static_cast<size_t>(n * factor);
}

std::optional<std::string> SettingOf(const ExecContext& ctx, const std::string& name) {
  if (!ctx.get_setting) return std::nullopt;
  return ctx.get_setting(name);
}

size_t StringBytes(const std::string& s) {
  // std::string keeps up to 15 bytes in place; longer ones on the heap.
  return sizeof(std::string) + (s.capacity() > 15 ? s.capacity() + 1 : 0);
}

size_t ValueBytes(const Vector& v, size_t r) {
  size_t b = 1;  // the null flag
  switch (v.phys) {
    case PhysClass::kInt:
    case PhysClass::kFloat:
      return b + 8;
    case PhysClass::kWide:
      return b + 16;
    case PhysClass::kString:
      return b + StringBytes(v.strs[r]);
    case PhysClass::kNumeric:
      return b + sizeof(Numeric) + 8 * 2;  // the digit vector's heap block, a few digits
  }
  return b;
}

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

void PrepareSpillDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    Throw(SqlState::kIoError, "could not create directory \"{}\": {}", dir, ec.message());
  }
}

size_t WorkMemBytes(const ExecContext& ctx) {
  return MemoryBytes(SettingOf(ctx, "work_mem").value_or("4MB"), size_t{4} << 20);
}

size_t HashMemBytes(const ExecContext& ctx) {
  double m = 2.0;
  if (auto v = SettingOf(ctx, "hash_mem_multiplier")) {
    try {
      m = std::stod(*v);
    } catch (const std::logic_error&) {
    }
  }
  return static_cast<size_t>(std::max(1.0, m) * static_cast<double>(WorkMemBytes(ctx)));
}

size_t RowBytes(const DataChunk& c, size_t r) {
  size_t b = 0;
  for (const Vector& v : c.columns) b += ValueBytes(v, r);
  if (!c.locations.empty()) b += sizeof(RowLocation) + c.locations[r].key.size();
  return b;
}

size_t ChunkBytes(const DataChunk& c) {
  size_t b = 0;
  for (const Vector& v : c.columns) {
    switch (v.phys) {
      case PhysClass::kString:
        for (const std::string& s : v.strs) b += 1 + StringBytes(s);
        break;
      default:
        b += c.size == 0 ? 0 : ValueBytes(v, 0) * c.size;
        break;
    }
  }
  for (const RowLocation& l : c.locations) b += sizeof(RowLocation) + l.key.size();
  return b;
}

SpillCounters SpillStatistics() {
  return SpillCounters{g_files.load(), g_bytes.load(), g_open.load()};
}

SpillFile::SpillFile(const ExecContext& ctx) {
  std::string dir = ctx.spill_dir;
  if (dir.empty()) dir = std::filesystem::temp_directory_path().string();
  path_ = dir + "/pgsql_tmp" + std::to_string(ctx.backend_pid) + "." +
          std::to_string(g_seq.fetch_add(1));
  f_ = std::fopen(path_.c_str(), "w+b");
  if (f_ == nullptr) {
    Throw(SqlState::kIoError, "could not create temporary file \"{}\": {}", path_, ErrnoText());
  }
  std::setvbuf(f_, nullptr, _IOFBF, kFileBuffer);
  g_files.fetch_add(1);
  g_open.fetch_add(1);
}

SpillFile::~SpillFile() {
  if (f_ != nullptr) std::fclose(f_);
  ::unlink(path_.c_str());
  g_open.fetch_sub(1);
}

void SpillFile::Put(const void* p, size_t n) {
  if (n == 0) return;
  if (std::fwrite(p, 1, n, f_) != n) {
    Throw(errno == ENOSPC ? SqlState::kDiskFull : SqlState::kIoError,
          "could not write to file \"{}\": {}", path_, ErrnoText());
  }
  bytes_ += n;
}

void SpillFile::Get(void* p, size_t n) {
  if (n == 0) return;
  if (std::fread(p, 1, n, f_) != n) {
    Throw(SqlState::kIoError, "could not read from file \"{}\": {}", path_,
          std::ferror(f_) ? ErrnoText() : "unexpected end of file");
  }
}

void SpillFile::Write(const DataChunk& c) { Write(c, 0, c.size); }

void SpillFile::Write(const DataChunk& c, size_t begin, size_t end) {
  if (end <= begin) return;
  const uint64_t before = bytes_;
  const uint32_t n = static_cast<uint32_t>(end - begin);
  const uint32_t ncols = static_cast<uint32_t>(c.columns.size());
  const uint8_t has_loc = c.locations.empty() ? 0 : 1;
  Put(&n, 4);
  Put(&ncols, 4);
  Put(&has_loc, 1);
  for (const Vector& v : c.columns) {
    const uint32_t id = static_cast<uint32_t>(v.type.id);
    Put(&id, 4);
    Put(&v.type.typmod, 4);
    Put(v.nulls.data() + begin, n);
    switch (v.phys) {
      case PhysClass::kInt:
        Put(v.ints.data() + begin, 8 * n);
        break;
      case PhysClass::kWide:
        Put(v.ints.data() + begin, 8 * n);
        Put(v.ints2.data() + begin, 8 * n);
        break;
      case PhysClass::kFloat:
        Put(v.floats.data() + begin, 8 * n);
        break;
      case PhysClass::kString:
        for (size_t r = begin; r < end; ++r) {
          const uint32_t len = v.nulls[r] ? 0 : static_cast<uint32_t>(v.strs[r].size());
          Put(&len, 4);
          Put(v.strs[r].data(), len);
        }
        break;
      case PhysClass::kNumeric:
        for (size_t r = begin; r < end; ++r) {
          buf_ = v.nulls[r] ? std::string() : v.nums[r].ToString();
          const uint32_t len = static_cast<uint32_t>(buf_.size());
          Put(&len, 4);
          Put(buf_.data(), len);
        }
        break;
    }
  }
  if (has_loc) {
    for (size_t r = begin; r < end; ++r) {
      const RowLocation& l = c.locations[r];
      const uint32_t len = static_cast<uint32_t>(l.key.size());
      Put(&l.shard, 4);
      Put(&l.version, 8);
      Put(&l.key_version, 8);
      Put(&len, 4);
      Put(l.key.data(), len);
    }
  }
  rows_ += n;
  ++chunks_;
  g_bytes.fetch_add(bytes_ - before);
}

void SpillFile::Rewind() {
  if (std::fflush(f_) != 0) {
    Throw(errno == ENOSPC ? SqlState::kDiskFull : SqlState::kIoError,
          "could not write to file \"{}\": {}", path_, ErrnoText());
  }
  std::rewind(f_);
  read_chunks_ = 0;
}

bool SpillFile::Read(DataChunk* out) {
  if (read_chunks_ >= chunks_) {
    out->Clear();
    return false;
  }
  ++read_chunks_;
  Decode(out);
  return true;
}

uint64_t SpillFile::Append(const DataChunk& c) {
  if (std::fseek(f_, 0, SEEK_END) != 0) {
    Throw(SqlState::kIoError, "could not seek in file \"{}\": {}", path_, ErrnoText());
  }
  const uint64_t offset = bytes_;
  Write(c);
  return offset;
}

void SpillFile::ReadAt(uint64_t offset, DataChunk* out) {
  if (std::fflush(f_) != 0) {
    Throw(errno == ENOSPC ? SqlState::kDiskFull : SqlState::kIoError,
          "could not write to file \"{}\": {}", path_, ErrnoText());
  }
  if (std::fseek(f_, static_cast<long>(offset), SEEK_SET) != 0) {
    Throw(SqlState::kIoError, "could not seek in file \"{}\": {}", path_, ErrnoText());
  }
  Decode(out);
}

void SpillFile::Decode(DataChunk* out) {
  uint32_t n = 0, ncols = 0;
  uint8_t has_loc = 0;
  Get(&n, 4);
  Get(&ncols, 4);
  Get(&has_loc, 1);
  out->columns.resize(ncols);
  out->size = n;
  out->locations.clear();
  for (Vector& v : out->columns) {
    uint32_t id = 0;
    Type t;
    Get(&id, 4);
    Get(&t.typmod, 4);
    t.id = static_cast<TypeId>(id);
    v.Init(t, n);
    Get(v.nulls.data(), n);
    switch (v.phys) {
      case PhysClass::kInt:
        Get(v.ints.data(), 8 * n);
        break;
      case PhysClass::kWide:
        Get(v.ints.data(), 8 * n);
        Get(v.ints2.data(), 8 * n);
        break;
      case PhysClass::kFloat:
        Get(v.floats.data(), 8 * n);
        break;
      case PhysClass::kString:
        for (uint32_t r = 0; r < n; ++r) {
          uint32_t len = 0;
          Get(&len, 4);
          v.strs[r].resize(len);
          Get(v.strs[r].data(), len);
        }
        break;
      case PhysClass::kNumeric:
        for (uint32_t r = 0; r < n; ++r) {
          uint32_t len = 0;
          Get(&len, 4);
          buf_.resize(len);
          Get(buf_.data(), len);
          if (!v.nulls[r]) v.nums[r] = Numeric::Parse(buf_);
        }
        break;
    }
  }
  if (has_loc) {
    out->locations.resize(n);
    for (RowLocation& l : out->locations) {
      uint32_t len = 0;
      Get(&l.shard, 4);
      Get(&l.version, 8);
      Get(&l.key_version, 8);
      Get(&len, 4);
      l.key.resize(len);
      Get(l.key.data(), len);
    }
  }
}

namespace {

class SpillScan : public Operator {
 public:
  explicit SpillScan(std::unique_ptr<SpillFile> file) : file_(std::move(file)) {}
  bool Next(DataChunk* out) override {
    if (file_ && file_->Read(out)) return true;
    file_.reset();
    out->Clear();
    return false;
  }

 private:
  std::unique_ptr<SpillFile> file_;
};

}  // namespace

OperatorPtr MakeSpillScan(std::unique_ptr<SpillFile> file) {
  return std::make_unique<SpillScan>(std::move(file));
}

SpillPartitions::SpillPartitions(const ExecContext& ctx, const std::vector<Type>& types, size_t n,
                                 int shift)
    : ctx_(ctx), shift_(shift), files_(n), pending_(n) {
  for (auto& p : pending_) p.Init(types);
}

void SpillPartitions::Add(const DataChunk& c, size_t r, uint64_t hash,
                          const std::vector<const Vector*>& extra) {
  const size_t p = PartitionOf(hash);
  DataChunk& buf = pending_[p];
  for (size_t k = 0; k < buf.columns.size(); ++k) {
    Vector& dst = buf.columns[k];
    const Vector& src = k < c.columns.size() ? c.columns[k] : *extra[k - c.columns.size()];
    if (dst.phys == src.phys) {
      dst.AppendFrom(src, r);
    } else {
      dst.Append(src.Get(r));  // another physical class: converted
    }
  }
  if (!c.locations.empty()) buf.locations.push_back(c.locations[r]);
  ++buf.size;
  if (buf.size >= kPartitionBatch) {
    if (!files_[p]) files_[p] = std::make_unique<SpillFile>(ctx_);
    files_[p]->Write(buf);
    buf.Clear();
  }
}

void SpillPartitions::Finish() {
  for (size_t p = 0; p < files_.size(); ++p) {
    if (pending_[p].size > 0) {
      if (!files_[p]) files_[p] = std::make_unique<SpillFile>(ctx_);
      files_[p]->Write(pending_[p]);
    }
    pending_[p] = DataChunk();
    if (files_[p]) files_[p]->Rewind();
  }
}

}  // namespace activestore::executor
