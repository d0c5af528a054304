// What decides who may connect and how the bytes travel: the TLS context (ssl_* settings) and
// the host-based rules (hba_file), or the single auth_method when there is no hba_file. Loaded
// at start (an error stops the server); reloaded on SIGHUP, where a part that fails to load is
// logged and the old one kept, as PostgreSQL does (`pg_hba.conf was not reloaded`, `SSL
// configuration was not reloaded`). A connection takes the current parts once, at start-up.
//
// Thread safety: all methods are thread-safe; what they return is immutable.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/error.h"
#include "frontend/hba.h"
#include "frontend/tls.h"

namespace activestore::frontend {

struct SecuritySettings {
  std::string data_dir;  // relative file names are resolved against it
  TlsSettings tls;
  std::string hba_file;  // empty: auth_method for every connection
  std::string auth_method = "trust";
};

class SecurityConfig {
 public:
  // Everything trusted, no TLS (tests and embedded use).
  SecurityConfig() = default;
  // Loads TLS (when settings.tls.enabled) and the hba file. Errors name the file and, for the
  // hba file, every bad line (58030 when it cannot be read, 22023 for bad lines).
  static Result<std::shared_ptr<SecurityConfig>> Load(const SecuritySettings& settings);

  // SIGHUP: loads `settings` again; the parts that fail keep their old value. Returns the
  // problems found (also logged), empty when all was reloaded.
  std::vector<std::string> Reload(const SecuritySettings& settings);

  // Null: SSLRequest is answered `N`.
  std::shared_ptr<const TlsContext> tls() const;
  // Null: no hba_file (auth_method() decides).
  std::shared_ptr<const HbaFile> hba() const;
  std::string auth_method() const;
  // Whether a client outside loopback may log in without any proof (the start-up warning).
  bool TrustsBeyondLoopback() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const TlsContext> tls_;  // GUARDED_BY(mu_)
  std::shared_ptr<const HbaFile> hba_;     // GUARDED_BY(mu_)
  std::string auth_method_ = "trust";      // GUARDED_BY(mu_)
};

}  // namespace activestore::frontend
