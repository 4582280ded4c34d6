#include "ml/embedding_cache.h"

#include <algorithm>

namespace ls {
namespace {
std::size_t sizeOf(const Embedding& e) { return e ? e->size() * sizeof(float) : 0; }
}  // namespace

Embedding EmbeddingCache::find(const EmbeddingKey& key) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
  if (it == entries_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it);
  return entries_.front().embedding;
}

bool EmbeddingCache::contains(const EmbeddingKey& key) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
}

void EmbeddingCache::insert(const EmbeddingKey& key, Embedding embedding) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
  if (it != entries_.end()) {
    bytes_ -= sizeOf(it->embedding);
    entries_.erase(it);
  }
  bytes_ += sizeOf(embedding);
  entries_.push_front({key, std::move(embedding)});
  // Evict the least recently used, but never the entry just added.
  while (bytes_ > budget_ && entries_.size() > 1) {
    bytes_ -= sizeOf(entries_.back().embedding);
    entries_.pop_back();
  }
}

}  // namespace ls
