// Session time zones with PostgreSQL 15's semantics: IANA zones from the system tz database
// (/usr/share/zoneinfo through Howard Hinnant's date/tz.h), fixed offsets (SET TIME ZONE -8)
// and POSIX "STDoffset" specs ('UTC+3' is 3 hours west, '+05:30' is 5:30 west).
//
// Immutable after construction; shared between sessions and threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace activestore {

struct PosixDst;  // the daylight-saving part of a POSIX spec (timezone.cpp)

class TimeZone {
 public:
  // Looks a zone up as PostgreSQL's pg_tzset does: an IANA name (case-insensitive), else a POSIX
  // spec "STDoffset[DST[offset][,start[/time],end[/time]]]" ("<-08>+08", "UTC+3", "+05:30",
  // "EST5EDT4,M3.2.0/2,M11.1.0/2", "PST8PDT,J60,300/-1"); a daylight-saving part without rules
  // takes ",M3.2.0,M11.1.0" in every year, as PostgreSQL 15 does. nullptr if it is neither.
  static std::shared_ptr<const TimeZone> Find(std::string_view name);
  // The zone of SET TIME ZONE <number>: a fixed offset east of UTC, named like PostgreSQL
  // ("<-08>+08" for -8 hours), abbreviation "-08". nullptr if |offset| is a week or more.
  static std::shared_ptr<const TimeZone> FixedOffset(int64_t east_seconds);
  // "UTC" (the server's default).
  static const std::shared_ptr<const TimeZone>& Utc();

  // The name SHOW TimeZone prints.
  const std::string& name() const { return name_; }

  // Offset east of UTC (seconds) in effect at a UTC instant (microseconds since 2000-01-01),
  // and the zone abbreviation used then ("PST", "LMT", "-08", "" for "+05:30").
  int64_t UtcOffset(int64_t utc_usec, std::string* abbrev = nullptr) const;
  // The offset east of UTC for a local wall-clock time (microseconds since 2000-01-01 local),
  // as PostgreSQL's DetermineTimeZoneOffset: a time in a spring-forward gap uses the offset
  // before the gap, an ambiguous time in a fall-back overlap the offset after it.
  int64_t LocalOffset(int64_t local_usec) const;
  // PostgreSQL's pg_get_timezone_offset: true (and *east_seconds) if every period of the zone
  // has the same offset, so that a time of day needs no date to be placed in it.
  bool FixedOffsetOf(int64_t* east_seconds) const;
  // PostgreSQL's pg_interpret_timezone_abbrev: the offset east of UTC (and whether it is
  // daylight-saving time) that the abbreviation (upper case, "MSK") had in this zone in the
  // latest period using it that began at or before the UTC instant, else in the first one after.
  // False if the zone never used it.
  bool AbbrevOffset(std::string_view abbrev, int64_t utc_usec, int64_t* east_seconds,
                    bool* is_dst) const;
  // local -> UTC with LocalOffset; +-infinity pass through.
  int64_t LocalToUtc(int64_t local_usec) const;
  // UTC -> local; +-infinity pass through.
  int64_t UtcToLocal(int64_t utc_usec) const;

  TimeZone(std::string name, const date::time_zone* zone, int64_t fixed_offset,
           std::string fixed_abbrev, std::shared_ptr<const PosixDst> dst = nullptr)
      : name_(std::move(name)),
        zone_(zone),
        fixed_offset_(fixed_offset),
        fixed_abbrev_(std::move(fixed_abbrev)),
        dst_(std::move(dst)) {}

 private:
  // The period (offset, abbreviation, begin and end) holding a Unix instant: of the IANA zone,
  // or of the POSIX rules; zone_ or dst_ must be set.
  struct Period;
  Period PeriodAt(int64_t unix_seconds) const;

  std::string name_;
  const date::time_zone* zone_;  // nullptr: a fixed offset or a POSIX spec
  int64_t fixed_offset_;         // east of UTC, seconds (of standard time for a POSIX spec)
  std::string fixed_abbrev_;
  std::shared_ptr<const PosixDst> dst_;  // a POSIX spec's daylight-saving time and rules
};

// A time zone abbreviation of PostgreSQL's "Default" timezone_abbreviations set (lower or upper
// case): a fixed offset (PostgreSQL's TZ, or DTZ when it is daylight-saving time), or a zone
// whose history gives the offset at a date (DYNTZ: MSK is Europe/Moscow's).
struct ZoneAbbrev {
  bool dynamic = false;
  int64_t east = 0;                      // seconds east of UTC (fixed ones)
  bool is_dst = false;                   // fixed ones
  std::shared_ptr<const TimeZone> zone;  // dynamic ones
};
// False for a word that is not in the set.
bool FindZoneAbbreviation(std::string_view word, ZoneAbbrev* out);

// A time zone abbreviation of PostgreSQL's "Default" timezone_abbreviations set (lower or upper
// case) with a fixed offset: sets *east_seconds and returns true. Returns false for unknown
// words. Throws 0A000 for the abbreviations whose meaning depends on the date (MSK, ART...).
bool LookupZoneAbbreviation(std::string_view word, int64_t* east_seconds);

}  // namespace activestore
