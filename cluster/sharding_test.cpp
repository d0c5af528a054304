// The slot and shard map of architecture decision 1.
#include "cluster/sharding.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace activestore::cluster {
namespace {

TEST(ShardingTest, SlotsAreInRangeAndDeterministic) {
  for (int i = 0; i < 10000; ++i) {
    std::string key = "key" + std::to_string(i);
    uint32_t slot = SlotForKey(key);
    EXPECT_LT(slot, kSlotCount);
    EXPECT_EQ(slot, SlotForKey(key));
  }
  EXPECT_LT(SlotForKey(""), kSlotCount);
}

TEST(ShardingTest, ShardsAreEqualContiguousSlotRanges) {
  for (uint32_t count : {1u, 2u, 3u, 8u, 7u, 16384u}) {
    ShardMap map(count);
    EXPECT_EQ(map.shard_count(), count);
    std::map<uint32_t, uint32_t> sizes;
    uint32_t previous = 0;
    for (uint32_t slot = 0; slot < kSlotCount; ++slot) {
      uint32_t shard = map.ShardForSlot(slot).value;
      ASSERT_LT(shard, count);
      ASSERT_GE(shard, previous) << "slot " << slot;  // monotonic: contiguous ranges
      ASSERT_LE(shard, previous + 1);
      previous = shard;
      sizes[shard]++;
    }
    EXPECT_EQ(sizes.size(), count);
    for (auto [shard, size] : sizes) {
      EXPECT_LE(size, kSlotCount / count + 1);
      EXPECT_GE(size, kSlotCount / count);
    }
    EXPECT_EQ(map.ShardForSlot(0).value, 0u);
    EXPECT_EQ(map.ShardForSlot(kSlotCount - 1).value, count - 1);
  }
}

TEST(ShardingTest, KeysSpreadOverShards) {
  ShardMap map(8);
  std::map<uint32_t, int> hits;
  for (int i = 0; i < 8000; ++i) hits[map.ShardForKey("row" + std::to_string(i)).value]++;
  ASSERT_EQ(hits.size(), 8u);
  for (auto [shard, n] : hits) {
    EXPECT_GT(n, 800) << shard;  // 1000 expected per shard
    EXPECT_LT(n, 1200) << shard;
  }
  EXPECT_EQ(map.ShardForKey("abc"), map.ShardForSlot(SlotForKey("abc")));
}

TEST(ShardingTest, ZeroShardsMeansOneAndAllShardsListsThem) {
  ShardMap none(0);
  EXPECT_EQ(none.shard_count(), 1u);
  EXPECT_EQ(none.ShardForKey("x").value, 0u);
  auto all = ShardMap(4).AllShards();
  ASSERT_EQ(all.size(), 4u);
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(all[i], ShardId{i});
}

}  // namespace
}  // namespace activestore::cluster
