// generate_series(start, stop[, step]) one value at a time (PostgreSQL's generate_series_int4,
// _int8, _step_numeric, _timestamp and _timestamptz): shared by FROM generate_series(...)
// (kFunctionScan) and the select-list item (kProjectSet), so that a series without end
// (a timestamp series up to 'infinity') stops where a LIMIT stops reading.
#pragma once

#include "common/value.h"
#include "common/value_ops.h"

namespace activestore::executor {

class SeriesGenerator {
 public:
  // The arguments as evaluated (step NULL-typed "absent" when has_step is false: 1 of the
  // series type); type is the series' type. Throws PostgreSQL's errors for a NaN or infinite
  // numeric bound or step and for a zero step.
  SeriesGenerator(Value start, Value stop, Value step, bool has_step, Type type,
                  const FormatOptions& format);
  // The next value; false once past stop (or past the type's range).
  bool Next(Value* out);

 private:
  Value cur_, stop_, step_;
  Type type_;
  const FormatOptions* format_;
  bool ascending_ = true;
  bool done_ = false;
};

}  // namespace activestore::executor
