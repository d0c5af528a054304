#include "frontend/security_config.h"

#include <spdlog/spdlog.h>

namespace activestore::frontend {

namespace {

// The hba file's errors as one message per line: `line 3 of "path": invalid ...`.
std::vector<std::string> HbaErrors(const HbaFile& file, const std::string& path) {
  std::vector<std::string> out;
  for (const HbaError& e : file.errors) {
    out.push_back(e.line_number > 0 ? fmt::format("{} (line {} of configuration file \"{}\")",
                                                  e.message, e.line_number, path)
                                    : e.message);
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : "\n") + s;
  return out;
}

}  // namespace

Result<std::shared_ptr<SecurityConfig>> SecurityConfig::Load(const SecuritySettings& settings) {
  auto out = std::make_shared<SecurityConfig>();
  out->auth_method_ = settings.auth_method;
  if (settings.tls.enabled) {
    auto tls = TlsContext::Create(settings.tls, settings.data_dir);
    if (!tls.ok()) return tls.error();
    out->tls_ = std::move(tls).value();
  }
  if (!settings.hba_file.empty()) {
    std::string path = ResolveDataPath(settings.hba_file, settings.data_dir);
    auto hba = std::make_shared<HbaFile>(LoadHbaFile(path));
    if (!hba->ok()) {
      SqlState state =
          hba->errors[0].line_number == 0 ? SqlState::kIoError : SqlState::kInvalidParameterValue;
      return Error(state, fmt::format("could not load {}", path))
          .Detail(JoinLines(HbaErrors(*hba, path)));
    }
    out->hba_ = std::move(hba);
  }
  return out;
}

std::vector<std::string> SecurityConfig::Reload(const SecuritySettings& settings) {
  std::vector<std::string> problems;
  std::shared_ptr<const TlsContext> tls;
  bool tls_ok = true;
  if (settings.tls.enabled) {
    auto loaded = TlsContext::Create(settings.tls, settings.data_dir);
    if (loaded.ok()) {
      tls = std::move(loaded).value();
    } else {
      tls_ok = false;
      problems.push_back(loaded.error().message());
      spdlog::error("{}", loaded.error().message());
      spdlog::warn("SSL configuration was not reloaded");
    }
  }
  std::shared_ptr<const HbaFile> hba;
  bool hba_ok = true;
  if (!settings.hba_file.empty()) {
    std::string path = ResolveDataPath(settings.hba_file, settings.data_dir);
    auto loaded = std::make_shared<HbaFile>(LoadHbaFile(path));
    if (loaded->ok()) {
      hba = std::move(loaded);
    } else {
      hba_ok = false;
      for (const std::string& e : HbaErrors(*loaded, path)) {
        spdlog::error("{}", e);
        problems.push_back(e);
      }
      spdlog::warn("{} was not reloaded", path);
    }
  }
  std::lock_guard lock(mu_);
  if (tls_ok) tls_ = std::move(tls);
  if (hba_ok) hba_ = std::move(hba);
  auth_method_ = settings.auth_method;
  return problems;
}

std::shared_ptr<const TlsContext> SecurityConfig::tls() const {
  std::lock_guard lock(mu_);
  return tls_;
}

std::shared_ptr<const HbaFile> SecurityConfig::hba() const {
  std::lock_guard lock(mu_);
  return hba_;
}

std::string SecurityConfig::auth_method() const {
  std::lock_guard lock(mu_);
  return auth_method_;
}

bool SecurityConfig::TrustsBeyondLoopback() const {
  std::lock_guard lock(mu_);
  if (hba_) return frontend::TrustsBeyondLoopback(*hba_);
  return auth_method_ == "trust";
}

}  // namespace activestore::frontend
