// EmbeddingCache: encoder outputs per (model, volume, slice, window), kept
// under a memory budget with least-recently-used eviction, so scrolling back
// to a slice does not re-run the encoder.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <vector>

namespace ls {

struct EmbeddingKey {
  std::string model;
  int volumeGeneration = 0;
  int slice = 0;
  double windowCenter = 0, windowWidth = 0;
  int variant = 0;  // 0: the source image; else which restoration preview it is
  bool operator==(const EmbeddingKey& o) const {
    return model == o.model && volumeGeneration == o.volumeGeneration && slice == o.slice && variant == o.variant &&
           windowCenter == o.windowCenter && windowWidth == o.windowWidth;
  }
};

using Embedding = std::shared_ptr<const std::vector<float>>;

class EmbeddingCache {
 public:
  explicit EmbeddingCache(std::size_t budgetBytes) : budget_(budgetBytes) {}

  // The embedding, marked as most recently used; null when absent.
  Embedding find(const EmbeddingKey& key);
  void insert(const EmbeddingKey& key, Embedding embedding);
  bool contains(const EmbeddingKey& key) const;

  std::size_t bytes() const { return bytes_; }
  std::size_t budget() const { return budget_; }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    EmbeddingKey key;
    Embedding embedding;
  };
  std::size_t budget_, bytes_ = 0;
  std::list<Entry> entries_;  // most recently used first
};

}  // namespace ls
