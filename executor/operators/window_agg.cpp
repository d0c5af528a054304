// kWindowAgg: window functions over rows sorted by the window's partition and order keys
// (PostgreSQL's WindowAgg). One partition at a time is held in memory: its rows are read until
// the partition key changes, the functions computed for every row, and the rows emitted with
// their results appended, a batch at a time.
//
// Aggregates over a frame that starts at UNBOUNDED PRECEDING (without EXCLUDE) add the rows the
// frame gains as it grows; other frames are aggregated afresh for each row whose frame differs
// from the previous row's (peers usually share one).
#include <algorithm>
#include <cmath>
#include <optional>

#include "common/value_ops.h"
#include "executor/aggregates.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "executor/window_frame.h"
#include "planner/bound_expr_util.h"

namespace activestore::executor {

namespace {

using planner::WindowFrameBound;
using planner::WindowFrameMode;
using planner::WindowFuncKind;

// A RANGE offset below zero (or NaN): in_range's 22013.
bool NegativeOffset(const Value& v) {
  switch (v.type.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return v.i < 0;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      return std::isnan(v.f) || v.f < 0;
    case TypeId::kNumeric:
      return v.num.IsNaN() || v.num.IsNegative();
    case TypeId::kInterval:
      return CompareValues(v, Value::Interval(Interval{})) < 0;
    default:
      return CompareValues(v, CastValue(Value::Int32(0), v.type)) < 0;
  }
}

class WindowAggOperator : public Operator {
 public:
  WindowAggOperator(const planner::PlanNode& plan, ExecState& st)
      : plan_(plan), w_(*plan.window), st_(st), child_(BuildOperator(*plan.children.at(0), st)) {
    input_types_ = plan.children[0]->output_types;
    // Aggregates read their arguments (and FILTER) from a chunk of their own: columns 0..k-1.
    for (const auto& f : w_.funcs) {
      planner::AggregateSpec spec = f.agg;
      if (f.kind == WindowFuncKind::kAggregate) {
        for (size_t a = 0; a < spec.args.size(); ++a) {
          spec.args[a] = planner::MakeColumn(static_cast<int>(a), f.agg.args[a]->type);
        }
        if (spec.filter) {
          spec.filter = planner::MakeColumn(static_cast<int>(spec.args.size()), spec.filter->type);
        }
      }
      specs_.push_back(std::make_unique<planner::AggregateSpec>(std::move(spec)));
    }
  }

  bool Next(DataChunk* out) override {
    out->Clear();
    while (emit_ >= result_.size) {
      if (!LoadPartition()) return false;
      Compute();
      emit_ = 0;
    }
    out->Init(plan_.output_types);
    const size_t end = std::min(result_.size, emit_ + kBatchSize);
    for (size_t c = 0; c < result_.columns.size(); ++c) {
      for (size_t r = emit_; r < end; ++r) out->columns[c].AppendFrom(result_.columns[c], r);
    }
    out->size = end - emit_;
    emit_ = end;
    return true;
  }

 private:
  // Reads the next partition into part_; false when the input is exhausted.
  bool LoadPartition() {
    if (!offsets_ready_) EvaluateOffsets();
    part_.Init(input_types_);
    bool have_key = false;
    while (true) {
      if (in_pos_ >= in_.size) {
        if (done_ || !child_->Next(&in_)) {
          done_ = true;
          return part_.size > 0;
        }
        st_.CheckCancel();
        in_pos_ = 0;
        in_keys_.resize(w_.partition_by.size());
        for (size_t k = 0; k < in_keys_.size(); ++k) {
          EvaluateExpression(*w_.partition_by[k], in_, st_, &in_keys_[k]);
        }
      }
      if (!have_key) {
        part_key_.assign(in_keys_.size(), Vector());
        for (size_t k = 0; k < in_keys_.size(); ++k) {
          part_key_[k].Init(in_keys_[k].type, 0);
          part_key_[k].AppendFrom(in_keys_[k], in_pos_);
        }
        have_key = true;
      }
      for (; in_pos_ < in_.size; ++in_pos_) {
        for (size_t k = 0; k < in_keys_.size(); ++k) {
          if (!RowValuesEqual(in_keys_[k], in_pos_, part_key_[k], 0)) return true;
        }
        part_.AppendRowFrom(in_, in_pos_);
      }
    }
  }

  void EvaluateOffsets() {
    offsets_ready_ = true;
    auto eval = [&](const planner::BoundExprPtr& e, bool start, Value* out) {
      if (!e) return;
      *out = EvaluateConstant(*e, st_);
      const char* which = start ? "starting" : "ending";
      if (out->is_null) {
        Throw(SqlState::kNullValueNotAllowed, "frame {} offset must not be null", which);
      }
      if (w_.mode != WindowFrameMode::kRange) {
        if (out->i < 0) {
          Throw(SqlState::kInvalidPrecedingOrFollowingSize, "frame {} offset must not be negative",
                which);
        }
      } else if (NegativeOffset(*out)) {
        Throw(SqlState::kInvalidPrecedingOrFollowingSize,
              "invalid preceding or following size in window function");
      }
    };
    eval(w_.start_offset, true, &start_offset_);
    eval(w_.end_offset, false, &end_offset_);
  }

  // The peer groups of part_ by the ORDER BY keys.
  void FindPeers() {
    const size_t n = part_.size;
    order_keys_.resize(w_.order_by.size());
    for (size_t k = 0; k < order_keys_.size(); ++k) {
      EvaluateExpression(*w_.order_by[k].expr, part_, st_, &order_keys_[k]);
    }
    peers_.group.assign(n, 0);
    peers_.first.clear();
    for (size_t i = 0; i < n; ++i) {
      bool same = i > 0;
      for (size_t k = 0; k < order_keys_.size() && same; ++k) {
        same = RowValuesEqual(order_keys_[k], i, order_keys_[k], i - 1);
      }
      if (!same) peers_.first.push_back(i);
      peers_.group[i] = static_cast<uint32_t>(peers_.first.size() - 1);
    }
    peers_.first.push_back(n);
  }

  // RANGE with an offset: the first row of row i's frame (start) or the row after its last
  // (end), as nodeWindowAgg.c moves the frame head and tail with the in_range functions.
  size_t RangeRow(size_t i, WindowFrameBound b, const Value& offset, bool is_end) {
    const size_t n = part_.size;
    const planner::SortKey& key = w_.order_by[0];
    const Vector& keys = order_keys_[0];
    if (keys.IsNull(i)) {
      // A NULL key's frame bound is its peer group (the NULLs).
      return is_end ? peers_.first[peers_.group[i] + 1] : peers_.first[peers_.group[i]];
    }
    // PRECEDING subtracts in ascending order; the start wants val >= bound, the end val <= bound
    // (both flipped for DESC).
    bool sub = b == WindowFrameBound::kOffsetPreceding;
    bool less = is_end;
    if (key.descending) {
      sub = !sub;
      less = !less;
    }
    const Value base = keys.Get(i);
    // True for the rows before the frame's start (start) or not after its end (end): a prefix.
    auto in_prefix = [&](size_t j) {
      if (keys.IsNull(j)) return key.nulls_first;
      const bool in = InRange(keys.Get(j), base, offset, sub, less);
      return is_end ? in : !in;
    };
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (in_prefix(mid)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // PostgreSQL's in_range(val, base, offset, sub, less): val <= base -/+ offset when less, else
  // val >= base -/+ offset, without overflow, NaN sorting after everything.
  bool InRange(const Value& val, const Value& base, const Value& offset, bool sub, bool less) {
    switch (base.type.id) {
      case TypeId::kInt16:
      case TypeId::kInt32:
      case TypeId::kInt64: {
        const __int128 sum = sub ? static_cast<__int128>(base.i) - offset.i
                                 : static_cast<__int128>(base.i) + offset.i;
        return less ? val.i <= sum : val.i >= sum;
      }
      case TypeId::kFloat32:
      case TypeId::kFloat64: {
        const double v = val.f, bs = base.f, off = offset.f;
        if (std::isnan(v)) return std::isnan(bs) ? true : !less;
        if (std::isnan(bs)) return less;
        if (std::isinf(off) && std::isinf(bs) && (sub ? bs > 0 : bs < 0)) return true;
        const double sum = sub ? bs - off : bs + off;
        return less ? v <= sum : v >= sum;
      }
      case TypeId::kTime:
      case TypeId::kTimeTz: {
        // in_range_time[tz]_interval: the interval's time part, no wraparound.
        Value sum = base;
        sum.i = sub ? base.i - offset.i : base.i + offset.i;
        const int c = CompareValues(val, sum);
        return less ? c <= 0 : c >= 0;
      }
      case TypeId::kNumeric: {
        const bool vnan = val.num.IsNaN(), bnan = base.num.IsNaN();
        if (vnan) return bnan ? true : !less;
        if (bnan) return less;
        // in_range_numeric_numeric: base -/+ an infinite offset that would be NaN takes in
        // every row; otherwise the sum is that infinity.
        if (offset.num.IsInfinite()) {
          const bool base_pinf = base.num.IsInfinite() && !base.num.IsNegative();
          const bool base_ninf = base.num.IsInfinite() && base.num.IsNegative();
          if (sub ? base_pinf : base_ninf) return true;
          const bool val_pinf = val.num.IsInfinite() && !val.num.IsNegative();
          const bool val_ninf = val.num.IsInfinite() && val.num.IsNegative();
          // sum = -inf (sub) or +inf (add)
          if (sub) return less ? val_ninf : true;
          return less ? true : val_pinf;
        }
        [[fallthrough]];
      }
      default: {
        const Value sum = Arithmetic(sub ? "-" : "+", base, offset, st_.ctx.format);
        const int c = CompareValues(val, sum);
        return less ? c <= 0 : c >= 0;
      }
    }
  }

  void Compute() {
    const size_t n = part_.size;
    FindPeers();
    // Each function's arguments over the partition.
    std::vector<std::vector<Vector>> args(w_.funcs.size());
    std::vector<DataChunk> agg_inputs(w_.funcs.size());
    for (size_t f = 0; f < w_.funcs.size(); ++f) {
      const planner::WindowFunc& fn = w_.funcs[f];
      if (fn.kind == WindowFuncKind::kAggregate) {
        std::vector<Type> types;
        for (const auto& a : fn.agg.args) types.push_back(a->type);
        if (fn.agg.filter) types.push_back(fn.agg.filter->type);
        DataChunk& c = agg_inputs[f];
        c.Init(types);
        c.columns.clear();
        for (const auto& a : fn.agg.args) {
          c.columns.emplace_back();
          EvaluateExpression(*a, part_, st_, &c.columns.back());
        }
        if (fn.agg.filter) {
          c.columns.emplace_back();
          EvaluateExpression(*fn.agg.filter, part_, st_, &c.columns.back());
        }
        c.size = n;
      } else {
        for (const auto& a : fn.args) {
          args[f].emplace_back();
          EvaluateExpression(*a, part_, st_, &args[f].back());
        }
      }
    }
    const bool range_offsets =
        w_.mode == WindowFrameMode::kRange && (w_.start == WindowFrameBound::kOffsetPreceding ||
                                               w_.start == WindowFrameBound::kOffsetFollowing ||
                                               w_.end == WindowFrameBound::kOffsetPreceding ||
                                               w_.end == WindowFrameBound::kOffsetFollowing);
    const int64_t so = w_.mode != WindowFrameMode::kRange && w_.start_offset ? start_offset_.i : 0;
    const int64_t eo = w_.mode != WindowFrameMode::kRange && w_.end_offset ? end_offset_.i : 0;
    // The frame of every row, as parts (after EXCLUDE).
    std::vector<std::vector<std::pair<size_t, size_t>>> frames(n);
    std::vector<size_t> frame_end(n);
    for (size_t i = 0; i < n; ++i) {
      size_t rb = 0, re = 0;
      if (range_offsets) {
        if (w_.start == WindowFrameBound::kOffsetPreceding ||
            w_.start == WindowFrameBound::kOffsetFollowing) {
          rb = RangeRow(i, w_.start, start_offset_, false);
        }
        if (w_.end == WindowFrameBound::kOffsetPreceding ||
            w_.end == WindowFrameBound::kOffsetFollowing) {
          re = RangeRow(i, w_.end, end_offset_, true);
        }
      }
      auto [b, e] = FrameBounds(w_, peers_, i, so, eo, rb, re);
      frame_end[i] = e;
      frames[i] = FrameParts(w_.exclusion, peers_, i, b, e);
    }
    const bool growing = w_.start == WindowFrameBound::kUnboundedPreceding &&
                         w_.exclusion == planner::WindowExclusion::kNoOthers;

    result_ = std::move(part_);
    part_ = DataChunk();
    for (size_t f = 0; f < w_.funcs.size(); ++f) {
      const planner::WindowFunc& fn = w_.funcs[f];
      Vector out(fn.result_type, 0);
      out.Reserve(n);
      switch (fn.kind) {
        case WindowFuncKind::kAggregate:
          Aggregate(f, agg_inputs[f], frames, frame_end, growing, &out);
          break;
        case WindowFuncKind::kRowNumber:
          for (size_t i = 0; i < n; ++i) out.Append(Value::Int64(static_cast<int64_t>(i + 1)));
          break;
        case WindowFuncKind::kRank:
          for (size_t i = 0; i < n; ++i) {
            out.Append(Value::Int64(static_cast<int64_t>(peers_.first[peers_.group[i]] + 1)));
          }
          break;
        case WindowFuncKind::kDenseRank:
          for (size_t i = 0; i < n; ++i) out.Append(Value::Int64(peers_.group[i] + 1));
          break;
        case WindowFuncKind::kPercentRank:
          for (size_t i = 0; i < n; ++i) {
            double r = n > 1 ? static_cast<double>(peers_.first[peers_.group[i]]) /
                                   static_cast<double>(n - 1)
                             : 0.0;
            out.Append(Value::Float64(r));
          }
          break;
        case WindowFuncKind::kCumeDist:
          for (size_t i = 0; i < n; ++i) {
            out.Append(Value::Float64(static_cast<double>(peers_.first[peers_.group[i] + 1]) /
                                      static_cast<double>(n)));
          }
          break;
        case WindowFuncKind::kNtile:
          Ntile(args[f][0], &out);
          break;
        case WindowFuncKind::kLag:
        case WindowFuncKind::kLead:
          for (size_t i = 0; i < n; ++i) {
            int64_t off = 1;
            if (args[f].size() >= 2) {
              if (args[f][1].IsNull(i)) {
                out.AppendNull();
                continue;
              }
              off = args[f][1].Get(i).i;
            }
            const int64_t target = fn.kind == WindowFuncKind::kLag ? static_cast<int64_t>(i) - off
                                                                   : static_cast<int64_t>(i) + off;
            if (target >= 0 && target < static_cast<int64_t>(n)) {
              out.AppendFrom(args[f][0], static_cast<size_t>(target));
            } else if (args[f].size() == 3) {
              out.AppendFrom(args[f][2], i);
            } else {
              out.AppendNull();
            }
          }
          break;
        case WindowFuncKind::kFirstValue:
        case WindowFuncKind::kLastValue:
        case WindowFuncKind::kNthValue:
          for (size_t i = 0; i < n; ++i) {
            int64_t nth = 1;  // 1-based position in the frame; 0 = the last row
            if (fn.kind == WindowFuncKind::kLastValue) nth = 0;
            if (fn.kind == WindowFuncKind::kNthValue) {
              if (args[f][1].IsNull(i)) {
                out.AppendNull();
                continue;
              }
              nth = args[f][1].Get(i).i;
              if (nth <= 0) {
                Throw(SqlState::kInvalidArgumentForNthValue,
                      "argument of nth_value must be greater than zero");
              }
            }
            const auto& parts = frames[i];
            std::optional<size_t> row;
            if (nth == 0) {
              if (!parts.empty()) row = parts.back().second - 1;
            } else {
              size_t left = static_cast<size_t>(nth - 1);
              for (const auto& [a, b] : parts) {
                if (left < b - a) {
                  row = a + left;
                  break;
                }
                left -= b - a;
              }
            }
            if (row) {
              out.AppendFrom(args[f][0], *row);
            } else {
              out.AppendNull();
            }
          }
          break;
      }
      result_.columns.push_back(std::move(out));
    }
  }

  // ntile(k), as PostgreSQL's window_ntile: k read at the partition's first row; the first
  // (rows % k) buckets get one row more.
  void Ntile(const Vector& arg, Vector* out) {
    const size_t n = result_.size;
    if (arg.IsNull(0)) {
      for (size_t i = 0; i < n; ++i) out->AppendNull();
      return;
    }
    const int64_t buckets = arg.Get(0).i;
    if (buckets <= 0) {
      Throw(SqlState::kInvalidArgumentForNtile, "argument of ntile must be greater than zero");
    }
    int64_t total = static_cast<int64_t>(n);
    int64_t boundary = total / buckets, remainder = 0;
    if (boundary <= 0) {
      boundary = 1;
    } else {
      remainder = total % buckets;
      if (remainder != 0) ++boundary;
    }
    int64_t ntile = 1, rows_per_bucket = 0;
    for (size_t i = 0; i < n; ++i) {
      ++rows_per_bucket;
      if (boundary < rows_per_bucket) {
        if (remainder != 0 && ntile == remainder) {
          remainder = 0;
          boundary -= 1;
        }
        ++ntile;
        rows_per_bucket = 1;
      }
      out->Append(Value::Int32(static_cast<int32_t>(ntile)));
    }
  }

  // An aggregate over each row's frame.
  void Aggregate(size_t f, const DataChunk& input,
                 const std::vector<std::vector<std::pair<size_t, size_t>>>& frames,
                 const std::vector<size_t>& frame_end, bool growing, Vector* out) {
    const size_t n = input.size;
    AggregateEvaluator eval(*specs_[f]);
    AggState state;
    std::vector<uint32_t> sel;
    std::vector<uint32_t> zeros;
    auto add = [&](size_t a, size_t b) {
      if (a >= b) return;
      sel.resize(b - a);
      for (size_t r = a; r < b; ++r) sel[r - a] = static_cast<uint32_t>(r);
      DataChunk rows = input.Select(sel);
      zeros.assign(rows.size, 0);
      std::vector<AggState> states(1);
      states[0] = std::move(state);
      eval.Update(rows, zeros, st_, &states);
      state = std::move(states[0]);
    };
    if (growing) {
      size_t added = 0;
      for (size_t i = 0; i < n; ++i) {
        if (frame_end[i] > added) {
          add(added, frame_end[i]);
          added = frame_end[i];
        }
        out->Append(eval.Finalize(state));
      }
      return;
    }
    Value last;
    for (size_t i = 0; i < n; ++i) {
      if (i == 0 || frames[i] != frames[i - 1]) {
        state = AggState();
        for (const auto& [a, b] : frames[i]) add(a, b);
        last = eval.Finalize(state);
      }
      out->Append(last);
    }
  }

  const planner::PlanNode& plan_;
  const planner::WindowSpec& w_;
  ExecState& st_;
  OperatorPtr child_;
  std::vector<Type> input_types_;
  std::vector<std::unique_ptr<planner::AggregateSpec>> specs_;  // over agg_inputs' columns
  bool offsets_ready_ = false;
  Value start_offset_, end_offset_;
  // Input: the current chunk, its partition keys, the next row to read.
  DataChunk in_;
  std::vector<Vector> in_keys_;
  size_t in_pos_ = 0;
  bool done_ = false;
  // The partition being read, its key, its ORDER BY keys and peer groups.
  DataChunk part_;
  std::vector<Vector> part_key_;
  std::vector<Vector> order_keys_;
  PeerGroups peers_;
  // The computed partition (its rows, then the functions' results) and the next row to emit.
  DataChunk result_;
  size_t emit_ = 0;
};

}  // namespace

OperatorPtr MakeWindowAggOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<WindowAggOperator>(plan, state);
}

}  // namespace activestore::executor
