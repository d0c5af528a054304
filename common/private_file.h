// Files that hold secrets (TLS private keys, encryption keys): the permission rule PostgreSQL
// applies to ssl_key_file, shared by every reader of such a file.
//
// Thread safety: pure functions over the file system.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace activestore {

// PostgreSQL's check_ssl_key_file rule: a regular file owned by the server's user with no
// access for group or others, or owned by root with at most group read. `what` names the file
// in the errors ("private key file", "encryption key file"). Errors: 58030 when it cannot be
// stat'ed or is not a regular file; 42501 for the owner or the permissions.
Status CheckPrivateFilePermissions(const std::string& path, std::string_view what);

// Resolves `path` as PostgreSQL does for its configuration files: absolute as given, otherwise
// relative to the data directory.
std::string ResolveDataPath(const std::string& path, const std::string& data_dir);

}  // namespace activestore
