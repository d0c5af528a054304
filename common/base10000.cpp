#include "common/base10000.h"

#include <string>

namespace activestore {

Base10000Digits ToBase10000(std::string_view int_part, std::string_view frac_part) {
  // The integer part padded on the left, the fraction on the right, to groups of four decimal
  // digits; the first integer group has weight groups - 1.
  std::string decimal((4 - int_part.size() % 4) % 4, '0');
  decimal.append(int_part);
  const int int_groups = static_cast<int>(decimal.size() / 4);
  decimal.append(frac_part);
  decimal.append((4 - frac_part.size() % 4) % 4, '0');
  Base10000Digits out;
  out.weight = int_groups - 1;
  size_t first = 0, last = decimal.size() / 4;
  auto group = [&](size_t i) {
    uint16_t g = 0;
    for (size_t k = 0; k < 4; ++k) g = static_cast<uint16_t>(g * 10 + (decimal[i * 4 + k] - '0'));
    return g;
  };
  while (first < last && group(first) == 0) {
    ++first;
    --out.weight;
  }
  while (last > first && group(last - 1) == 0) --last;
  if (first == last) out.weight = 0;
  for (size_t i = first; i < last; ++i) out.digits.push_back(group(i));
  return out;
}

}  // namespace activestore
