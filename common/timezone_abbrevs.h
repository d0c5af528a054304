// The abbreviations of PostgreSQL's "Default" timezone_abbreviations set, listed (for
// pg_timezone_abbrevs); each one's meaning is FindZoneAbbreviation's (common/timezone.h). Kept
// apart from timezone.h, which nearly every file includes.
#pragma once

#include <string>
#include <vector>

namespace activestore {

// In upper case, sorted.
std::vector<std::string> ZoneAbbreviationNames();

}  // namespace activestore
