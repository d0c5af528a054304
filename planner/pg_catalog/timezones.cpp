// pg_timezone_names and pg_timezone_abbrevs: the time zones of the system tz database and the
// abbreviations of the "Default" timezone_abbreviations set, each with the offset from UTC and
// daylight-saving flag in effect now, as PostgreSQL 15's views of the same names.
#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "common/datetime.h"
#include "common/interval.h"
#include "common/timezone.h"
#include "common/timezone_abbrevs.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;
namespace fs = std::filesystem;

constexpr const char* kZoneInfo = "/usr/share/zoneinfo";
constexpr int64_t kUsecPerSecond = 1000000;

Value OffsetValue(int64_t east_seconds) {
  return Value::Interval(Interval{east_seconds * kUsecPerSecond, 0, 0});
}

// A TZif file without leap seconds (PostgreSQL lists no zone that counts them: the "right/"
// tree). The version-1 header's counts follow the magic, version and 15 reserved bytes:
// isutcnt, isstdcnt, leapcnt, ... (big-endian).
bool IsListedZoneFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 32> header{};
  if (!in.read(reinterpret_cast<char*>(header.data()), header.size())) return false;
  if (header[0] != 'T' || header[1] != 'Z' || header[2] != 'i' || header[3] != 'f') return false;
  const uint32_t leapcnt = (uint32_t{header[28]} << 24) | (uint32_t{header[29]} << 16) |
                           (uint32_t{header[30]} << 8) | uint32_t{header[31]};
  return leapcnt == 0;
}

// The zone's offset east of UTC at `now`, whether it is daylight-saving time, and its
// abbreviation then.
void OffsetNow(const TimeZone& zone, int64_t now, int64_t* east, bool* is_dst,
               std::string* abbrev = nullptr) {
  std::string a;
  *east = zone.UtcOffset(now, &a);
  int64_t abbrev_east = 0;
  *is_dst = false;
  if (!zone.AbbrevOffset(a, now, &abbrev_east, is_dst)) *is_dst = false;
  if (abbrev != nullptr) *abbrev = std::move(a);
}

struct ListedZone {
  std::string name;  // the path under the tz database, as PostgreSQL's pg_tzenumerate names it
  std::shared_ptr<const TimeZone> zone;
};

// The zones, by name; read from the tz database once.
const std::vector<ListedZone>& ListedZones() {
  static const std::vector<ListedZone> zones = [] {
    std::vector<ListedZone> out;
    std::error_code ec;
    const fs::path root(kZoneInfo);
    for (auto it = fs::recursive_directory_iterator(
             root, fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec) || !IsListedZoneFile(it->path())) continue;
      const std::string name = it->path().lexically_relative(root).string();
      // The zone by its name; else (posixrules, localtime) by the file it links to.
      std::shared_ptr<const TimeZone> zone = TimeZone::Find(name);
      if (zone == nullptr) {
        const fs::path target = fs::canonical(it->path(), ec);
        if (!ec) zone = TimeZone::Find(target.lexically_relative(root).string());
      }
      if (zone != nullptr) out.push_back({name, std::move(zone)});
    }
    std::sort(out.begin(), out.end(),
              [](const ListedZone& a, const ListedZone& b) { return a.name < b.name; });
    return out;
  }();
  return zones;
}

}  // namespace

void AddTimeZoneViews(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto names = MakeRelation("pg_timezone_names", 12126, 12128,
                            {{"name", T(kText)},
                             {"abbrev", T(kText)},
                             {"utc_offset", T(kInterval)},
                             {"is_dst", T(kBool)}});
  const SystemRelation* nrel = names.get();
  names->rows = [nrel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    const int64_t now = CurrentTimestampTz();
    for (const ListedZone& z : ListedZones()) {
      std::string abbrev;
      int64_t east = 0;
      bool is_dst = false;
      OffsetNow(*z.zone, now, &east, &is_dst, &abbrev);
      rows->push_back(RowBuilder(*nrel, ctx)
                          .Set("name", Value::Text(z.name))
                          .Set("abbrev", Value::Text(abbrev))
                          .Set("utc_offset", OffsetValue(east))
                          .Set("is_dst", Value::Bool(is_dst))
                          .Take());
    }
  };
  out->push_back(std::move(names));

  auto abbrevs =
      MakeRelation("pg_timezone_abbrevs", 12122, 12124,
                   {{"abbrev", T(kText)}, {"utc_offset", T(kInterval)}, {"is_dst", T(kBool)}});
  const SystemRelation* arel = abbrevs.get();
  abbrevs->rows = [arel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    const int64_t now = CurrentTimestampTz();
    for (const std::string& word : ZoneAbbreviationNames()) {
      ZoneAbbrev a;
      if (!FindZoneAbbreviation(word, &a)) continue;
      int64_t east = a.east;
      bool is_dst = a.is_dst;
      // A dynamic abbreviation: what it means in its zone now (or last meant); one the zone
      // never used stands for the zone's offset now (PostgreSQL's
      // DetermineTimeZoneAbbrevOffsetTS).
      if (a.dynamic && !a.zone->AbbrevOffset(word, now, &east, &is_dst)) {
        OffsetNow(*a.zone, now, &east, &is_dst);
      }
      rows->push_back(RowBuilder(*arel, ctx)
                          .Set("abbrev", Value::Text(word))
                          .Set("utc_offset", OffsetValue(east))
                          .Set("is_dst", Value::Bool(is_dst))
                          .Take());
    }
  };
  out->push_back(std::move(abbrevs));
}

}  // namespace activestore::planner::pg_catalog
