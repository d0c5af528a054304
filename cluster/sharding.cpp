#include "cluster/sharding.h"

#include <xxhash.h>

namespace activestore::cluster {

uint32_t SlotForKey(std::string_view encoded_key) {
  return static_cast<uint32_t>(XXH3_64bits(encoded_key.data(), encoded_key.size()) % kSlotCount);
}

ShardMap::ShardMap(uint32_t shard_count) : shard_count_(shard_count == 0 ? 1 : shard_count) {}

ShardId ShardMap::ShardForSlot(uint32_t slot) const {
  return ShardId{static_cast<uint32_t>((static_cast<uint64_t>(slot) * shard_count_) / kSlotCount)};
}

std::vector<ShardId> ShardMap::AllShards() const {
  std::vector<ShardId> out;
  out.reserve(shard_count_);
  for (uint32_t i = 0; i < shard_count_; ++i) out.push_back(ShardId{i});
  return out;
}

}  // namespace activestore::cluster
