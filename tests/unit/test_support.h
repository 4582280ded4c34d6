// Helpers shared by the unit tests: reading fixture files and the reference
// table written by tools/make_dicom_references.py.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "ml/fake_backend.h"

namespace ls::test {

inline const std::string kDataDir = LOCALSEG_TEST_DATA_DIR;
inline const std::string kDemoDir = LOCALSEG_DEMO_DIR;

inline std::vector<std::uint8_t> readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::uint64_t fnv1a64(const std::vector<float>& values, std::uint64_t h = 0xCBF29CE484222325ull) {
  for (float v : values) {
    unsigned char bytes[4];
    std::memcpy(bytes, &v, 4);  // wasm32 and x86-64 are both little-endian
    for (unsigned char b : bytes) h = (h ^ b) * 0x100000001B3ull;
  }
  return h;
}

struct Reference {
  std::string path;
  int frames = 0, rows = 0, columns = 0;
  double min = 0, max = 0, sum = 0;
  std::uint64_t hash = 0;
};

inline std::vector<Reference> loadReferences() {
  std::ifstream in(kDataDir + "/reference.tsv");
  std::vector<Reference> refs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Reference r;
    std::string hash;
    fields >> r.path >> r.frames >> r.rows >> r.columns >> r.min >> r.max >> r.sum >> hash;
    r.hash = std::stoull(hash, nullptr, 16);
    refs.push_back(r);
  }
  return refs;
}

inline std::vector<std::string> demoFiles() {
  std::vector<std::string> files;
  for (int i = 1; i <= 20; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "brain_%03d.dcm", i);
    files.push_back(kDemoDir + "/" + name);
  }
  return files;
}

// The first `count` slices of the real demo MR series, as the page loads them.
inline Volume loadDemoSeries(int count) {
  SeriesLoader loader;
  const auto files = demoFiles();
  loader.beginBatch(count, "demo");
  for (int i = 0; i < count; ++i) loader.addFile(files[i].substr(files[i].rfind('/') + 1), readBytes(files[i]));
  std::optional<Volume> volume;
  while (loader.busy()) {
    if (auto v = loader.process(100)) volume = std::move(v);
  }
  if (!volume) throw std::runtime_error("the demo series did not load");
  return std::move(*volume);
}

// A blank volume of the given size (all zeros, one window) shown in `app`,
// with the view rectangle fitted: the starting point of the action tests.
inline void showBlankVolume(AppState& app, int columns, int rows, int slices, ScreenRect viewRect,
                            WindowLevel window = {0, 1, "auto"}) {
  Volume volume;
  volume.geometry.columns = columns;
  volume.geometry.rows = rows;
  volume.geometry.slices = slices;
  volume.voxels.assign(static_cast<std::size_t>(columns) * rows * slices, 0.f);
  volume.windows = {window};
  showVolume(app, std::move(volume));
  app.viewRect = viewRect;
  fitToView(app);
}

// A prompt session on `backend` with a fake model whose input is 16 px and
// whose low-res masks are 16 x 16, so logits map 1:1 to a 16 x 16 image.
inline void attachFakeModel(AppState& app, FakeBackend& backend) {
  app.prompts = std::make_unique<PromptSession>(backend, app.embeddings);
  ModelManifest m;
  m.name = "fake";
  m.inputSize = 16;
  m.embeddingShape = {1, 2, 2};
  m.lowResSize = 16;
  app.prompts->setModel(m);
}

// A restoration preview whose "filter" returns its input unchanged.
inline void attachIdentityRestoration(AppState& app) {
  app.restoration = std::make_unique<RestorationPreview>(
      [](RestoreMethod, const float* p, int w, int h, float) {
        return std::vector<float>(p, p + static_cast<std::size_t>(w) * h);
      },
      nullptr);
}

}  // namespace ls::test
