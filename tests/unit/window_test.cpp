// Window/level: the DICOM linear VOI function, checked against values worked
// out by hand from PS3.3 C.11.2.1.2.1, and the automatic window.
#include <catch2/catch.hpp>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "dicom/decode.h"
#include "imaging/histogram.h"
#include "imaging/window.h"
#include "test_support.h"

using namespace ls;

TEST_CASE("linear window follows the DICOM formula") {
  WindowLevel w{40, 400, ""};  // CT soft tissue: lower = c - 0.5 - (w-1)/2 = -160, upper = 239
  CHECK(applyWindow(-1000, w) == 0.0);
  CHECK(applyWindow(-160, w) == 0.0);
  CHECK(applyWindow(-159.9, w) > 0.0);
  CHECK(applyWindow(239.1, w) == 1.0);
  CHECK(applyWindow(238.9, w) < 1.0);
  CHECK(applyWindow(39.5, w) == Approx(0.5));
  CHECK(applyWindow(139.25, w) == Approx(0.75));
  CHECK(windowToGrey8(39.5, w, false) == 128);
  CHECK(windowToGrey8(-1000, w, true) == 255);  // MONOCHROME1
  CHECK(windowToGrey8(1000, w, false) == 255);
}

TEST_CASE("width 1 is a threshold") {
  WindowLevel w{100, 1, ""};
  CHECK(applyWindow(99, w) == 0.0);
  CHECK(applyWindow(99.5, w) == 0.0);  // x <= c - 0.5 gives the minimum
  CHECK(applyWindow(100, w) == 1.0);
}

TEST_CASE("a width below 1 maps values finer than one unit (LINEAR_EXACT)") {
  WindowLevel w{1.0, 0.4, ""};  // e.g. a dose window in Gy
  CHECK(applyWindow(0.8, w) == Approx(0.0).margin(1e-9));
  CHECK(applyWindow(0.9, w) == Approx(0.25));
  CHECK(applyWindow(1.0, w) == Approx(0.5));
  CHECK(applyWindow(1.1, w) == Approx(0.75));
  CHECK(applyWindow(1.2, w) == Approx(1.0));
  CHECK(applyWindow(0.5, w) == 0.0);
  CHECK(applyWindow(1.5, w) == 1.0);
}

TEST_CASE("the automatic window of fractional values keeps their spread; integers get at least 1") {
  std::vector<float> dose;
  for (int i = 0; i <= 1000; ++i) dose.push_back(0.8f + 0.45f * static_cast<float>(i) / 1000);  // 0.8 .. 1.25 Gy
  const WindowLevel w = autoWindow(dose.data(), dose.size());
  CHECK(w.width == Approx(0.45).margin(0.01));
  CHECK(applyWindow(0.81, w) < 0.05);
  CHECK(applyWindow(1.025, w) == Approx(0.5).margin(0.02));
  CHECK(applyWindow(1.24, w) > 0.95);
  std::vector<float> integers{3, 3, 3, 4, 3, 3};
  CHECK(autoWindow(integers.data(), integers.size()).width == 1.0);
}

TEST_CASE("an RT Dose grid in Gy gets a window that shows its range") {
  const auto bytes = test::readBytes(test::kDataDir + "/pydicom/rtdose.dcm");
  auto decoded = decodeDicom("rtdose.dcm", bytes.data(), bytes.size());
  REQUIRE(decoded.ok());
  std::vector<float> values;
  for (const auto& s : decoded.value()) values.insert(values.end(), s.pixels.begin(), s.pixels.end());
  const WindowLevel w = autoWindow(values.data(), values.size());
  CHECK(w.width < 0.5);  // values 0.795 .. 1.254 Gy
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  CHECK(windowToGrey8(*lo, w, false) < 20);
  CHECK(windowToGrey8(*hi, w, false) > 235);
}

TEST_CASE("automatic window ignores a few extreme values") {
  std::vector<float> values;
  for (int i = 0; i < 10000; ++i) values.push_back(static_cast<float>(i % 1000));  // 0..999 uniform
  for (int i = 0; i < 20; ++i) values.push_back(30000.f);  // metal
  WindowLevel w = autoWindow(values.data(), values.size());
  CHECK(w.center - w.width / 2 == Approx(5).margin(5));
  CHECK(w.center + w.width / 2 == Approx(995).margin(5));
  CHECK(w.name == "auto");
}

TEST_CASE("automatic window of a constant image is still usable") {
  std::vector<float> values(100, 7.f);
  WindowLevel w = autoWindow(values.data(), values.size());
  CHECK(w.width >= 1);
  CHECK(applyWindow(7, w) >= 0);
}

TEST_CASE("pixel padding is read from the file and left out of the automatic window and the histogram") {
  // pydicom's CT_small: Pixel Padding Value -2000 (stored), rescale intercept -1024.
  const auto bytes = test::readBytes(test::kDataDir + "/pydicom/CT_small.dcm");
  auto decoded = decodeDicom("CT_small.dcm", bytes.data(), bytes.size());
  REQUIRE(decoded.ok());
  const auto& slice = decoded.value().front();
  REQUIRE(slice.padding.has_value());
  CHECK(slice.padding->low == -3024.f);
  CHECK(slice.padding->high == -3024.f);

  // Mostly padding, then real values 0..99: the window spans the real values only.
  std::vector<float> values(1000, -3024.f);
  for (int i = 0; i < 100; ++i) values[i] = static_cast<float>(i);
  const WindowLevel without = autoWindow(values.data(), values.size(), slice.padding);
  CHECK(without.center - without.width / 2 >= -1);
  CHECK(without.center + without.width / 2 <= 100);
  const WindowLevel with = autoWindow(values.data(), values.size());
  CHECK(with.center - with.width / 2 < -3000);  // the padding would have stretched it
  const Histogram h = computeHistogram(values.data(), values.size(), 10, slice.padding);
  CHECK(h.min == 0);
  std::size_t counted = 0;
  for (auto c : h.counts) counted += c;
  CHECK(counted == 100);
}

TEST_CASE("dragging the window of a dose grid in Gy moves it in steps its range can use") {
  AppState app;
  test::showBlankVolume(app, 4, 4, 1, {0, 0, 64, 64}, {1.0, 0.4, "auto"});
  app.volume->voxels[0] = 0.8f;  // values 0 .. 1.25 Gy
  app.volume->voxels[1] = 1.25f;
  app.volume->minValue = 0, app.volume->maxValue = 1.25f;
  dragWindow(app, 0, 40);  // down: the centre rises by well under the range
  CHECK(app.window.center > 1.0);
  CHECK(app.window.center < 1.1);
  dragWindow(app, -4000, 0);  // far left: the window narrows but stays above 0
  CHECK(app.window.width > 0);
  CHECK(app.window.width < 0.01);
}

TEST_CASE("a file's window narrower than 1 is kept only with the LINEAR_EXACT function") {
  // pydicom's RT Dose grid (values 0.795 .. 1.254 Gy) given a window of its own.
  auto windowsOf = [](const char* function) {
    DcmFileFormat file;
    REQUIRE(file.loadFile((test::kDataDir + "/pydicom/rtdose.dcm").c_str()).good());
    DcmDataset& ds = *file.getDataset();
    REQUIRE(ds.putAndInsertString(DCM_WindowCenter, "1.0").good());
    REQUIRE(ds.putAndInsertString(DCM_WindowWidth, "0.4").good());
    if (function) REQUIRE(ds.putAndInsertString(DCM_VOILUTFunction, function).good());
    const auto path = std::filesystem::temp_directory_path() / "localseg-window-edit.dcm";
    REQUIRE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
    const auto bytes = test::readBytes(path.string());
    std::filesystem::remove(path);
    auto decoded = decodeDicom("dose.dcm", bytes.data(), bytes.size());
    REQUIRE(decoded.ok());
    return decoded.value().front().windows;
  };
  const auto exact = windowsOf("LINEAR_EXACT");
  REQUIRE(exact.size() == 1);
  CHECK(exact[0].center == Approx(1.0));
  CHECK(exact[0].width == Approx(0.4));
  CHECK(windowsOf(nullptr).empty());  // LINEAR needs a width of at least 1 (PS3.3 C.11.2.1.2)
}
