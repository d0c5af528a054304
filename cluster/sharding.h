// How rows map to shards (architecture decision 1): a row's distribution key is hashed into
// one of 16,384 slots; contiguous slot ranges form shards. A single node holds every shard,
// and the planner still makes one fragment per shard plus a gather, so that the cluster later
// only moves shards.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace activestore::cluster {

inline constexpr uint32_t kSlotCount = 16384;

struct ShardId {
  uint32_t value = 0;
  bool operator==(const ShardId&) const = default;
};

// The slot of a distribution key given as its encoded key bytes (storage/encoding.h).
uint32_t SlotForKey(std::string_view encoded_key);

// The shard map: slots split into `shard_count` equal contiguous ranges.
// Immutable; a new map is made when shards move (cluster wave).
class ShardMap {
 public:
  explicit ShardMap(uint32_t shard_count);
  uint32_t shard_count() const { return shard_count_; }
  ShardId ShardForSlot(uint32_t slot) const;
  ShardId ShardForKey(std::string_view encoded_key) const {
    return ShardForSlot(SlotForKey(encoded_key));
  }
  std::vector<ShardId> AllShards() const;

 private:
  uint32_t shard_count_;
};

}  // namespace activestore::cluster
