// localseg-export-derived: loads a DICOM series the way the app does, applies
// a fixed synthetic "restoration" (a 3x3 mean within each slice, borders
// replicated) and writes the derived series as one ZIP of DICOM files, like the
// browser's download. Exists so tests/validate_derived_series.py can check the
// writer's output with dciodvfy, pydicom and Python's zipfile.
//
//   localseg-export-derived [--folder NAME] [--gain G] OUT.zip INPUT...
//
// INPUT: DICOM files or folders (read recursively). The largest series is
// exported. --gain multiplies the filtered values (default 1), e.g. to push
// them beyond the stored range so that the writer must choose a new rescale. Prints one line per written file: "<entry> <source file>".
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/series_loader.h"
#include "io/derived_series.h"
#include "io/zip_writer.h"

namespace fs = std::filesystem;
using namespace ls;

namespace {

std::vector<std::uint8_t> readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The CLI's stand-in for a restoration method: deterministic and easy to
// recompute in the validator (numpy: edge-padded 3x3 mean).
std::vector<float> meanFilter3x3(const Volume& v, double gain) {
  const int w = v.geometry.columns, h = v.geometry.rows;
  std::vector<float> out(v.voxels.size());
  for (int z = 0; z < v.geometry.slices; ++z) {
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        double sum = 0;
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) {
            const int xx = std::min(std::max(x + dx, 0), w - 1), yy = std::min(std::max(y + dy, 0), h - 1);
            sum += v.at(xx, yy, z);
          }
        }
        out[v.sliceSize() * z + static_cast<std::size_t>(y) * w + x] = static_cast<float>(sum / 9.0 * gain);
      }
    }
  }
  return out;
}

int usage() {
  std::fprintf(stderr, "usage: localseg-export-derived [--folder NAME] [--gain G] OUT.zip DICOM-FILE-OR-FOLDER...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string folder = "restored";
  double gain = 1;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--folder" && i + 1 < argc) folder = argv[++i];
    else if (a == "--gain" && i + 1 < argc) gain = std::atof(argv[++i]);
    else if (a.rfind("--", 0) == 0) return usage();
    else args.push_back(a);
  }
  if (args.size() < 2) return usage();
  const std::string output = args[0];

  std::vector<fs::path> files;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const fs::path input = args[i];
    if (fs::is_directory(input)) {
      for (const auto& entry : fs::recursive_directory_iterator(input)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.push_back(input);
    }
  }
  std::sort(files.begin(), files.end());

  SeriesLoader loader;
  loader.beginBatch(static_cast<int>(files.size()), "command line");
  for (const auto& path : files) loader.addFile(path.string(), readBytes(path));
  std::optional<Volume> volume;
  while (loader.busy()) {
    if (auto v = loader.process(1000)) volume = std::move(v);
  }
  for (const auto& m : loader.messages()) {
    if (m.severity == LoadMessage::Severity::Error) {
      std::fprintf(stderr, "%s: %s\n", m.error.file.c_str(), m.error.message.c_str());
    }
  }
  if (!volume) {
    std::fprintf(stderr, "no series could be loaded\n");
    return 1;
  }

  DerivedSeriesDescription description;
  description.methodName = "3x3 mean (validator)";
  description.derivationDescription =
      "3x3 mean filter within each slice, borders replicated, LocalSeg export validator \xE2\x80\x93 "
      "not a clinical restoration";
  auto series = writeDerivedSeries(*volume, meanFilter3x3(*volume, gain), description);
  if (!series.ok()) {
    std::fprintf(stderr, "%s: %s\n", series.error().file.c_str(), series.error().message.c_str());
    return 1;
  }
  auto zip = writeZip(series.value().files, folder);
  if (!zip.ok()) {
    std::fprintf(stderr, "%s: %s\n", zip.error().file.c_str(), zip.error().message.c_str());
    return 1;
  }
  std::ofstream out(output, std::ios::binary);
  out.write(reinterpret_cast<const char*>(zip.value().data()), static_cast<std::streamsize>(zip.value().size()));
  if (!out) {
    std::fprintf(stderr, "%s: cannot write the file\n", output.c_str());
    return 1;
  }
  for (std::size_t z = 0; z < series.value().files.size(); ++z) {
    const std::string entry = folder.empty() ? series.value().files[z].name : folder + "/" + series.value().files[z].name;
    std::printf("%s %s\n", entry.c_str(), volume->sliceFiles[z].c_str());
  }
  std::fprintf(stderr, "%zu files, series %s, %lld voxels clamped, %d slices rescaled\n",
               series.value().files.size(), series.value().seriesInstanceUid.c_str(),
               series.value().clampedVoxels, series.value().rescaledSlices);
  return 0;
}
