#include "common/private_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace activestore {

Status CheckPrivateFilePermissions(const std::string& path, std::string_view what) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Error(SqlState::kIoError,
                 fmt::format("could not access {} \"{}\": {}", what, path, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(SqlState::kIoError, fmt::format("{} \"{}\" is not a regular file", what, path));
  }
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    return Error(SqlState::kInsufficientPrivilege,
                 fmt::format("{} \"{}\" must be owned by the database user or root", what, path));
  }
  if ((st.st_uid == ::geteuid() && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) ||
      (st.st_uid == 0 && (st.st_mode & (S_IWGRP | S_IXGRP | S_IRWXO)) != 0)) {
    return Error(SqlState::kInsufficientPrivilege,
                 fmt::format("{} \"{}\" has group or world access", what, path))
        .Detail(
            "File must have permissions u=rw (0600) or less if owned by the database user, or "
            "permissions u=rw,g=r (0640) or less if owned by root.");
  }
  return Status::Ok();
}

std::string ResolveDataPath(const std::string& path, const std::string& data_dir) {
  if (path.empty() || path[0] == '/') return path;
  std::string dir = data_dir.empty() ? "." : data_dir;
  if (dir.back() != '/') dir += '/';
  return dir + path;
}

}  // namespace activestore
