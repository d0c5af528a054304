// A decimal number's digits as PostgreSQL's numeric keeps them: base 10000, without leading
// and trailing zero digits (NumericVar's digits and weight). Used for numeric's binary wire
// form (frontend/pgwire/binary_format.cpp) and its stored width (executor/column_statistics).
//
// Thread safety: a pure function.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace activestore {

struct Base10000Digits {
  std::vector<uint16_t> digits;
  int weight = 0;  // the power of 10000 of the first digit; 0 when there are none (zero)
};

// REQUIRES: int_part and frac_part (the digits before and after the point, no sign) are
// decimal digits only.
Base10000Digits ToBase10000(std::string_view int_part, std::string_view frac_part);

}  // namespace activestore
