#include "executor/column_statistics.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <vector>

#include "common/array.h"
#include "common/base10000.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore::executor {
namespace {

// analyze.c's WIDTH_THRESHOLD: wider values take no part in the distinct count, the most
// common values or the histogram.
constexpr int kWidthThreshold = 1024;

int AlignUp(int n, char align) {
  const int a = align == 'd' ? 8 : align == 'i' ? 4 : align == 's' ? 2 : 1;
  return (n + a - 1) / a * a;
}

// numeric's stored form: a 2-byte header (4 when the weight or scale does not fit the short
// format) and one int16 per base-10000 digit, without leading and trailing zero digits.
int NumericDataBytes(const Value& v) {
  std::string t = FormatValue(v);
  if (t == "NaN" || t.find("Infinity") != std::string::npos) return 2;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.erase(0, 1);
  const size_t dot = t.find('.');
  const std::string_view whole = std::string_view(t).substr(0, dot);
  const std::string_view frac =
      dot == std::string::npos ? std::string_view() : std::string_view(t).substr(dot + 1);
  const int dscale = static_cast<int>(frac.size());
  const Base10000Digits n = ToBase10000(whole, frac);
  const int weight = n.weight, ndigits = static_cast<int>(n.digits.size());
  const bool short_format = dscale <= 63 && weight >= -64 && weight <= 63;
  return (short_format ? 2 : 4) + 2 * ndigits;
}

int VarlenaDataBytes(const Value& v);

// An array's size with its 4-byte header: PostgreSQL's ArrayType header, dimensions and NULL
// bitmap (MAXALIGNed), then the elements, each padded to its type's alignment (variable-width
// ones with 4-byte headers).
int ArrayBytes(const Value& v) {
  ArrayView view(v.s);
  int size = 16 + 8 * view.ndim();
  if (view.has_nulls()) size += static_cast<int>((view.size() + 7) / 8);
  size = AlignUp(size, 'd');
  const TypeInfo& elem = TypeInfoOf(view.element_type());
  view.ForEach(ElementTypeOf(v.type), [&](size_t, const Value& e) {
    if (e.is_null) return;
    int bytes = elem.typlen > 0     ? elem.typlen
                : elem.typlen == -1 ? 4 + VarlenaDataBytes(e)
                                    : static_cast<int>(e.s.size()) + 1;
    size += AlignUp(bytes, elem.typalign);  // each element's length is padded (ArrayCastAndSet)
  });
  return size;
}

int VarlenaDataBytes(const Value& v) {
  if (IsArrayType(v.type.id)) return ArrayBytes(v) - 4;
  if (v.type.id == TypeId::kNumeric) return NumericDataBytes(v);
  if (v.type.id == TypeId::kBit || v.type.id == TypeId::kVarbit) {
    return 4 + static_cast<int>((FormatValue(v).size() + 7) / 8);
  }
  if (TypeInfoOf(v.type.id).layout == ValueLayout::kString) return static_cast<int>(v.s.size());
  return static_cast<int>(FormatValue(v).size());
}

// PostgreSQL's analyze_mcv_list: how many of the most common values (counts in decreasing
// order) are significantly more common than the others would be estimated to be.
int AnalyzeMcvList(const std::vector<int>& counts, int num_mcv, double stadistinct,
                   double stanullfrac, int samplerows, double totalrows) {
  if (samplerows == totalrows || totalrows <= 1.0) return num_mcv;
  double ndistinct_table = stadistinct;
  if (ndistinct_table < 0) ndistinct_table = -ndistinct_table * totalrows;
  double sumcount = 0.0;
  for (int i = 0; i < num_mcv - 1; i++) sumcount += counts[i];
  while (num_mcv > 0) {
    double selec = 1.0 - sumcount / samplerows - stanullfrac;
    selec = std::clamp(selec, 0.0, 1.0);
    const double otherdistinct = ndistinct_table - (num_mcv - 1);
    if (otherdistinct > 1) selec /= otherdistinct;
    // The count's standard deviation under the hypergeometric distribution of sampling
    // `samplerows` of `totalrows` rows.
    const double N = totalrows, n = samplerows;
    const double K = N * counts[num_mcv - 1] / n;
    const double variance = n * K * (N - K) * (N - n) / (N * N * (N - 1));
    const double stddev = std::sqrt(variance);
    if (counts[num_mcv - 1] > selec * samplerows + 2 * stddev + 0.5) break;
    num_mcv--;
    if (num_mcv == 0) break;
    sumcount -= counts[num_mcv - 1];
  }
  return num_mcv;
}

std::string BlobOf(TypeId elem, const std::vector<const Value*>& values) {
  ArrayBuilder b(elem);
  for (const Value* v : values) b.Append(*v);
  return b.Finish();
}

// compute_array_stats: the elements of the sampled arrays, each counted once per array, by
// lossy counting (Manku and Motwani) with PostgreSQL's bucket width, kept if more frequent than
// its cutoff; and the histogram of each array's number of distinct non-NULL elements.
void ComputeElementStats(std::span<const Value> sample, const ColumnSampleInfo& info,
                         storage::ColumnStats* st) {
  constexpr int kArrayWidthThreshold = 0x1000;
  const Type elem_type = ElementTypeOf(info.type);
  int num_mcelem = info.target * 10;
  const int64_t bucket_width = static_cast<int64_t>(num_mcelem) * 1000 / 7;
  struct Item {
    int64_t frequency;
    int64_t delta;
    int64_t last_container;
  };
  auto less = [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; };
  std::map<Value, Item, decltype(less)> elements(less);
  std::map<int, int64_t> counts;  // distinct-element count -> arrays
  int64_t b_current = 1, element_no = 0, analyzed_rows = 0, null_elem_cnt = 0;
  for (size_t array_no = 0; array_no < sample.size(); ++array_no) {
    const Value& v = sample[array_no];
    if (v.is_null) continue;
    if (ArrayBytes(v) > kArrayWidthThreshold) continue;
    ++analyzed_rows;
    bool null_present = false;
    int distinct_count = 0;
    for (const Value& e : ArrayView(v.s).Elements(elem_type)) {
      if (e.is_null) {
        null_present = true;
        continue;
      }
      auto [it, added] = elements.try_emplace(e, Item{1, b_current - 1, 0});
      if (!added) {
        if (it->second.last_container == static_cast<int64_t>(array_no)) continue;
        ++it->second.frequency;
      }
      it->second.last_container = static_cast<int64_t>(array_no);
      ++distinct_count;
      ++element_no;
      if (element_no % bucket_width == 0) {  // prune at each bucket boundary
        for (auto p = elements.begin(); p != elements.end();) {
          p = p->second.frequency + p->second.delta <= b_current ? elements.erase(p) : std::next(p);
        }
        ++b_current;
      }
    }
    if (null_present) ++null_elem_cnt;
    ++counts[distinct_count];
  }
  if (analyzed_rows == 0) return;
  const double nonnull_cnt = static_cast<double>(analyzed_rows);

  // The most common elements: those above the cutoff, the num_mcelem most frequent if more,
  // stored in element order with the least and greatest frequency kept and the NULL frequency.
  const int64_t cutoff_freq = 9 * element_no / bucket_width;
  std::vector<std::pair<const Value*, int64_t>> track;
  int64_t minfreq = element_no, maxfreq = 0;
  for (const auto& [value, item] : elements) {
    if (item.frequency > cutoff_freq) {
      track.push_back({&value, item.frequency});
      minfreq = std::min(minfreq, item.frequency);
      maxfreq = std::max(maxfreq, item.frequency);
    }
  }
  if (num_mcelem < static_cast<int>(track.size())) {
    std::stable_sort(track.begin(), track.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    track.resize(num_mcelem);
    minfreq = track.back().second;
    std::sort(track.begin(), track.end(),
              [](const auto& a, const auto& b) { return CompareValues(*a.first, *b.first) < 0; });
  } else {
    num_mcelem = static_cast<int>(track.size());
  }
  if (num_mcelem > 0) {
    ArrayBuilder b(elem_type.id);
    for (const auto& [value, freq] : track) {
      b.Append(*value);
      st->mcelem_freqs.push_back(static_cast<float>(static_cast<double>(freq) / nonnull_cnt));
    }
    st->mcelem_values = b.Finish();
    st->mcelem_freqs.push_back(static_cast<float>(static_cast<double>(minfreq) / nonnull_cnt));
    st->mcelem_freqs.push_back(static_cast<float>(static_cast<double>(maxfreq) / nonnull_cnt));
    st->mcelem_freqs.push_back(
        static_cast<float>(static_cast<double>(null_elem_cnt) / nonnull_cnt));
  }

  // The distinct-element-count histogram: num_hist evenly spaced counts over the analyzed
  // arrays (a run-length walk over the counts in increasing order), then their average.
  const int num_hist = std::max(info.target, 2);
  std::vector<std::pair<int, int64_t>> sorted(counts.begin(), counts.end());
  std::vector<float> hist(num_hist + 1);
  hist[num_hist] = static_cast<float>(static_cast<double>(element_no) / nonnull_cnt);
  const int64_t delta = analyzed_rows - 1;
  size_t j = 0;
  int64_t frac = sorted[0].second * (num_hist - 1);
  for (int i = 0; i < num_hist; ++i) {
    while (frac <= 0) {
      ++j;
      frac += sorted[j].second * (num_hist - 1);
    }
    hist[i] = static_cast<float>(sorted[j].first);
    frac -= delta;
  }
  st->dec_histogram = std::move(hist);
}

}  // namespace

int StoredWidth(const Value& v) {
  const TypeInfo& t = TypeInfoOf(v.type.id);
  if (t.typlen > 0) return t.typlen;
  if (t.typlen == -2) return static_cast<int>(v.s.size()) + 1;
  const int data = VarlenaDataBytes(v);
  return data + 1 <= 127 ? data + 1 : data + 4;
}

storage::ColumnStats ComputeColumnStats(std::span<const Value> sample,
                                        const ColumnSampleInfo& info) {
  storage::ColumnStats st;
  st.type_oid = static_cast<uint32_t>(info.type.id);
  const TypeInfo& type = TypeInfoOf(info.type.id);
  const bool varwidth = type.typlen < 0;
  const int samplerows = static_cast<int>(sample.size());
  const double totalrows = info.total_rows;

  // The non-NULL values narrow enough to count, in sample order (their index is the "tupno").
  int null_cnt = 0, toowide_cnt = 0;
  double total_width = 0;
  std::vector<const Value*> values;
  values.reserve(sample.size());
  for (const Value& v : sample) {
    if (v.is_null) {
      ++null_cnt;
      continue;
    }
    if (varwidth) {
      const int w = StoredWidth(v);
      total_width += w;
      if (w > kWidthThreshold) {
        ++toowide_cnt;
        continue;
      }
    }
    values.push_back(&v);
  }
  const int nonnull_cnt = samplerows - null_cnt;
  const int values_cnt = static_cast<int>(values.size());

  if (nonnull_cnt == 0) {  // only NULLs: the column is assumed entirely NULL
    st.null_frac = 1.0f;
    st.width = varwidth ? 0 : type.typlen;
    st.n_distinct = 0.0f;
    return st;
  }
  st.null_frac = static_cast<float>(static_cast<double>(null_cnt) / samplerows);
  st.width = varwidth ? static_cast<int32_t>(total_width / nonnull_cnt) : type.typlen;
  if (info.element_stats) ComputeElementStats(sample, info, &st);
  if (values_cnt == 0) {  // all too wide: assumed distinct
    st.n_distinct = static_cast<float>(-1.0 * (1.0 - st.null_frac));
    return st;
  }
  if (!info.orderable) {  // compute_trivial_stats: the distinct count is unknown
    st.n_distinct = 0.0f;
    return st;
  }

  // Sort by value, ties in sample order (compare_scalars).
  std::vector<int> order(values_cnt);
  for (int i = 0; i < values_cnt; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return CompareValues(*values[a], *values[b]) < 0; });

  // Runs of equal values: the distinct count, the values seen more than once, and the
  // `target` most common (by count, ties in value order) as (count, first position).
  struct Track {
    int count;
    int first;
  };
  const int target = info.target;
  std::vector<Track> track;
  int ndistinct = 0, nmultiple = 0;
  double corr_xysum = 0;
  for (int i = 0; i < values_cnt;) {
    int j = i + 1;
    while (j < values_cnt && CompareValues(*values[order[i]], *values[order[j]]) == 0) ++j;
    for (int k = i; k < j; ++k) corr_xysum += static_cast<double>(k) * order[k];
    const int dups = j - i;
    ++ndistinct;
    if (dups > 1) {
      ++nmultiple;
      if (static_cast<int>(track.size()) < target || dups > track.back().count) {
        if (static_cast<int>(track.size()) < target) track.push_back({0, 0});
        int pos = static_cast<int>(track.size()) - 1;
        for (; pos > 0 && dups > track[pos - 1].count; --pos) track[pos] = track[pos - 1];
        track[pos] = {dups, i};
      }
    }
    i = j;
  }

  // The distinct-value estimate (Haas and Stokes' Duj1 when the sample has values seen once).
  double stadistinct;
  if (nmultiple == 0) {
    stadistinct = -1.0 * (1.0 - st.null_frac);
  } else if (toowide_cnt == 0 && nmultiple == ndistinct) {
    stadistinct = ndistinct;
  } else {
    const int f1 = ndistinct - nmultiple + toowide_cnt;
    const int d = f1 + nmultiple;
    const double n = samplerows - null_cnt;
    const double N = totalrows * (1.0 - st.null_frac);
    double est = N > 0 ? (n * d) / ((n - f1) + f1 * n / N) : 0;
    if (est < d) est = d;
    if (est > N) est = N;
    stadistinct = std::floor(est + 0.5);
  }
  if (stadistinct > 0.1 * totalrows) stadistinct = -(stadistinct / totalrows);
  st.n_distinct = static_cast<float>(stadistinct);

  // The most common values: all of them when the sample has every distinct value and they fit,
  // otherwise those significantly more common than the rest.
  int num_mcv = target;
  const int track_cnt = static_cast<int>(track.size());
  if (track_cnt == ndistinct && toowide_cnt == 0 && stadistinct > 0 && track_cnt <= num_mcv) {
    num_mcv = track_cnt;
  } else {
    num_mcv = std::min(num_mcv, track_cnt);
    if (num_mcv > 0) {
      std::vector<int> counts;
      for (int i = 0; i < num_mcv; ++i) counts.push_back(track[i].count);
      num_mcv = AnalyzeMcvList(counts, num_mcv, stadistinct, st.null_frac, samplerows, totalrows);
    }
  }
  if (num_mcv > 0) {
    std::vector<const Value*> mcv;
    for (int i = 0; i < num_mcv; ++i) {
      mcv.push_back(values[order[track[i].first]]);
      st.mcv_freqs.push_back(static_cast<float>(static_cast<double>(track[i].count) / samplerows));
    }
    st.mcv_values = BlobOf(info.type.id, mcv);
  }

  // The histogram: up to target + 1 bounds evenly spaced over the sorted values that are not
  // among the most common.
  int num_hist = ndistinct - num_mcv;
  if (num_hist > target) num_hist = target + 1;
  if (num_hist >= 2) {
    std::vector<Track> mcvs(track.begin(), track.begin() + num_mcv);
    std::sort(mcvs.begin(), mcvs.end(),
              [](const Track& a, const Track& b) { return a.first < b.first; });
    std::vector<int> rest;  // sorted positions outside the most common values' runs
    size_t m = 0;
    for (int i = 0; i < values_cnt;) {
      if (m < mcvs.size() && i == mcvs[m].first) {
        i += mcvs[m].count;
        ++m;
        continue;
      }
      rest.push_back(order[i]);
      ++i;
    }
    const int nvals = static_cast<int>(rest.size());
    const int delta = (nvals - 1) / (num_hist - 1);
    const int deltafrac = (nvals - 1) % (num_hist - 1);
    int pos = 0, posfrac = 0;
    std::vector<const Value*> bounds;
    for (int i = 0; i < num_hist; ++i) {
      bounds.push_back(values[rest[pos]]);
      pos += delta;
      posfrac += deltafrac;
      if (posfrac >= num_hist - 1) {
        ++pos;
        posfrac -= num_hist - 1;
      }
    }
    st.histogram = BlobOf(info.type.id, bounds);
  }

  // The correlation between the sorted order and the sample order.
  if (values_cnt > 1) {
    const double n = values_cnt;
    const double corr_xsum = (n - 1) * n / 2.0;
    const double corr_x2sum = (n - 1) * n * (2 * n - 1) / 6.0;
    st.correlation = static_cast<float>((n * corr_xysum - corr_xsum * corr_xsum) /
                                        (n * corr_x2sum - corr_xsum * corr_xsum));
  }
  return st;
}

}  // namespace activestore::executor
