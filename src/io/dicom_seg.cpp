#include "io/dicom_seg.h"
#include "io/dicom_bytes.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcostrmb.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmfg/fgderimg.h"
#include "dcmtk/dcmfg/fgfracon.h"
#include "dcmtk/dcmfg/fgpixmsr.h"
#include "dcmtk/dcmfg/fgplanor.h"
#include "dcmtk/dcmfg/fgplanpo.h"
#include "dcmtk/dcmiod/iodmacro.h"
#include "dcmtk/dcmseg/segdoc.h"
#include "dcmtk/dcmseg/segment.h"

namespace ls {

namespace {

// A DS value: up to 10 significant digits fit its 16 characters.
std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", v);
  return text;
}

Error segError(const std::string& what, const OFCondition& result) {
  return Error{"DICOM SEG", what + ": " + result.text()};
}

// The source's patient, study and frame of reference, as a dataset dcmseg can import.
void sourceAttributes(const SeriesInfo& info, DcmItem& out) {
  out.putAndInsertOFStringArray(DCM_PatientName, info.patientName.c_str());
  out.putAndInsertOFStringArray(DCM_PatientID, info.patientId.c_str());
  out.putAndInsertOFStringArray(DCM_PatientBirthDate, info.patientBirthDate.c_str());
  out.putAndInsertOFStringArray(DCM_PatientSex, info.patientSex.c_str());
  out.putAndInsertOFStringArray(DCM_StudyInstanceUID, info.studyInstanceUid.c_str());
  out.putAndInsertOFStringArray(DCM_StudyDate, info.studyDate.c_str());
  out.putAndInsertOFStringArray(DCM_StudyTime, info.studyTime.c_str());
  out.putAndInsertOFStringArray(DCM_StudyID, info.studyId.c_str());
  out.putAndInsertOFStringArray(DCM_AccessionNumber, info.accessionNumber.c_str());
  out.putAndInsertOFStringArray(DCM_StudyDescription, info.studyDescription.c_str());
  out.putAndInsertOFStringArray(DCM_ReferringPhysicianName, "");
  if (!info.frameOfReferenceUid.empty()) {
    out.putAndInsertOFStringArray(DCM_FrameOfReferenceUID, info.frameOfReferenceUid.c_str());
  }
}


// DCMTK checks names against the default repertoire (ASCII); the real
// (UTF-8) names are put back by restoreSegmentNames.
std::string asciiOnly(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x80 && c < 0xC0) continue;  // UTF-8 continuation bytes
    out += c < 0x80 ? static_cast<char>(c) : '?';
  }
  return out;
}

// All frames' pixels, one bit each, back to back: pixel i of the whole stack
// is bit (i % 8) of byte i / 8 (PS3.5 8.1.1); the value padded to even length.
std::vector<Uint8> packFrames(const std::vector<std::vector<Uint8>>& frames) {
  std::size_t total = 0;
  for (const auto& f : frames) total += f.size();
  std::vector<Uint8> packed((total + 7) / 8 + (((total + 7) / 8) % 2), 0);
  std::size_t bit = 0;
  for (const auto& f : frames) {
    for (Uint8 v : f) {
      if (v) packed[bit / 8] |= static_cast<Uint8>(1u << (bit % 8));
      ++bit;
    }
  }
  return packed;
}

// Segment labels outside ASCII: written as UTF-8 under Specific Character Set ISO_IR 192.
OFCondition restoreSegmentNames(DcmDataset& dataset, const std::vector<std::string>& names) {
  const bool ascii = std::all_of(names.begin(), names.end(), [](const std::string& n) {
    return std::all_of(n.begin(), n.end(), [](unsigned char c) { return c < 0x80; });
  });
  if (ascii) return EC_Normal;
  DcmSequenceOfItems* sequence = nullptr;
  OFCondition result = dataset.findAndGetSequence(DCM_SegmentSequence, sequence);
  if (result.bad() || !sequence) return result.bad() ? result : EC_IllegalCall;
  for (unsigned long i = 0; i < sequence->card() && i < names.size(); ++i) {
    result = sequence->getItem(i)->putAndInsertString(DCM_SegmentLabel, names[i].substr(0, 64).c_str());
    if (result.bad()) return result;
  }
  return dataset.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
}

// The Common Instance Reference module: the source series and the images
// the frames derive from (required once frames reference source images).
OFCondition referenceSourceSeries(DcmDataset& dataset, const Volume& source, const std::set<int>& slices) {
  DcmItem* series = nullptr;
  OFCondition result = dataset.findOrCreateSequenceItem(DCM_ReferencedSeriesSequence, series, 0);
  if (result.bad()) return result;
  series->putAndInsertString(DCM_SeriesInstanceUID, source.info.seriesInstanceUid.c_str());
  long index = 0;
  std::set<std::string> listed;  // the frames of a multi-frame source are one instance
  for (int z : slices) {
    if (!listed.insert(source.sliceSopInstanceUids[z]).second) continue;
    DcmItem* instance = nullptr;
    if ((result = series->findOrCreateSequenceItem(DCM_ReferencedInstanceSequence, instance, index++)).bad()) {
      return result;
    }
    instance->putAndInsertString(DCM_ReferencedSOPClassUID, source.sliceSopClassUids[z].c_str());
    instance->putAndInsertString(DCM_ReferencedSOPInstanceUID, source.sliceSopInstanceUids[z].c_str());
  }
  return EC_Normal;
}

}  // namespace

std::array<std::uint16_t, 3> dicomLabFromRgb(Rgb colour) {
  // sRGB -> linear -> XYZ (D65) -> CIELab, then DICOM's scaling: L 0..100 and
  // a, b -128..127 onto 0..65535.
  auto linear = [](double c) { c /= 255.0; return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
  const double r = linear(colour.r), g = linear(colour.g), b = linear(colour.b);
  const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  auto f = [](double t) { return t > 216.0 / 24389 ? std::cbrt(t) : (24389.0 / 27 * t + 16) / 116; };
  const double L = 116 * f(y) - 16, A = 500 * (f(x) - f(y)), B = 200 * (f(y) - f(z));
  auto scale = [](double v, double lo, double hi) {
    return static_cast<std::uint16_t>(std::clamp((v - lo) / (hi - lo), 0.0, 1.0) * 65535.0 + 0.5);
  };
  return {scale(L, 0, 100), scale(A, -128, 127), scale(B, -128, 127)};
}

Result<std::vector<std::uint8_t>> writeDicomSeg(const LabelVolume& labels, const SegmentList& segments,
                                                const Volume& source) {
  const VolumeGeometry& g = source.geometry;
  if (labels.columns != g.columns || labels.rows != g.rows || labels.slices != g.slices) {
    return Error{"DICOM SEG", "the labels do not match the series' grid"};
  }
  DcmSegmentation* created = nullptr;
  OFCondition result = DcmSegmentation::createBinarySegmentation(
      created, static_cast<Uint16>(g.rows), static_cast<Uint16>(g.columns),
      IODGeneralEquipmentModule::EquipmentInfo("LocalSeg", "LocalSeg", "0", "0.1"),
      ContentIdentificationMacro("1", "LOCALSEG", "LocalSeg annotation", "LocalSeg^"));
  if (result.bad()) return segError("cannot create the segmentation", result);
  std::unique_ptr<DcmSegmentation> seg(created);

  DcmItem sourceItem;
  sourceAttributes(source.info, sourceItem);
  if ((result = seg->importFromSourceImage(sourceItem)).bad()) return segError("source attributes", result);
  seg->getSeries().setSeriesDescription(("LocalSeg segmentation of " + source.info.seriesDescription).substr(0, 64).c_str());
  seg->getSeries().setSeriesNumber("900");

  FGPixelMeasures measures;
  measures.setPixelSpacing((number(g.rowSpacing) + "\\" + number(g.columnSpacing)).c_str());
  measures.setSliceThickness(number(g.sliceSpacing).c_str());
  measures.setSpacingBetweenSlices(number(g.sliceSpacing).c_str());
  if ((result = seg->addForAllFrames(measures)).bad()) return segError("pixel measures", result);
  std::unique_ptr<FGPlaneOrientationPatient> orientation(FGPlaneOrientationPatient::createMinimal(
      number(g.rowDirection.x).c_str(), number(g.rowDirection.y).c_str(), number(g.rowDirection.z).c_str(),
      number(g.columnDirection.x).c_str(), number(g.columnDirection.y).c_str(), number(g.columnDirection.z).c_str()));
  if ((result = seg->addForAllFrames(*orientation)).bad()) return segError("plane orientation", result);

  char dimensionUid[100];
  dcmGenerateUniqueIdentifier(dimensionUid);
  seg->getDimensions().addDimensionIndex(DCM_ReferencedSegmentNumber, dimensionUid,
                                         DCM_SegmentIdentificationSequence, "ReferencedSegmentNumber");
  seg->getDimensions().addDimensionIndex(DCM_ImagePositionPatient, dimensionUid, DCM_PlanePositionSequence,
                                         "ImagePositionPatient");

  const std::size_t plane = static_cast<std::size_t>(g.columns) * g.rows;
  const bool haveSources = source.sliceSopInstanceUids.size() == static_cast<std::size_t>(g.slices) &&
                           std::none_of(source.sliceSopInstanceUids.begin(), source.sliceSopInstanceUids.end(),
                                        [](const std::string& uid) { return uid.empty(); });
  int frames = 0;
  std::vector<std::vector<Uint8>> frameBits;  // every frame in order, one byte per pixel (see packFrames)
  std::vector<std::string> names;             // the segments written, in order (UTF-8)
  std::set<int> referencedSlices;             // the source images the frames derive from
  for (const Segment& s : segments.all()) {
    std::vector<int> slices;  // a segment without voxels is left out (it would have no frame)
    for (int z = 0; z < g.slices; ++z) {
      const std::uint8_t* slice = labels.slice(z);
      if (std::find(slice, slice + plane, s.label) != slice + plane) slices.push_back(z);
    }
    if (slices.empty()) continue;
    DcmSegment* segment = nullptr;
    // SEMIAUTOMATIC when a model's mask went into it, else MANUAL (brush only),
    // which names no algorithm.
    result = DcmSegment::create(segment, asciiOnly(s.name).substr(0, 64).c_str(),
                                CodeSequenceMacro("91723000", "SCT", "Anatomical Structure"),
                                CodeSequenceMacro("85756007", "SCT", "Tissue"),
                                s.modelAssisted ? DcmSegTypes::SAT_SEMIAUTOMATIC : DcmSegTypes::SAT_MANUAL,
                                s.modelAssisted ? "LocalSeg" : "");
    if (result.bad()) return segError("segment " + s.name, result);
    const auto lab = dicomLabFromRgb(s.colour);
    segment->setRecommendedDisplayCIELabValue(lab[0], lab[1], lab[2]);
    segment->setSegmentDescription((kSegLabelNote + std::to_string(s.label)).c_str());
    Uint16 segmentNumber = 0;
    if ((result = seg->addSegment(segment, segmentNumber)).bad()) return segError("segment " + s.name, result);
    names.push_back(s.name);
    referencedSlices.insert(slices.begin(), slices.end());
    for (int z : slices) {
      const std::uint8_t* slice = labels.slice(z);
      std::vector<Uint8> frame(plane);
      for (std::size_t i = 0; i < plane; ++i) frame[i] = slice[i] == s.label;
      // The source image's own position: the regular grid only approximates it.
      const Vec3 position =
          z < static_cast<int>(source.slicePositions.size()) ? source.slicePositions[z] : g.toPatient(0, 0, z);
      std::unique_ptr<FGPlanePosPatient> planePosition(FGPlanePosPatient::createMinimal(
          number(position.x).c_str(), number(position.y).c_str(), number(position.z).c_str()));
      FGFrameContent content;
      content.setDimensionIndexValues(segmentNumber, 0);
      content.setDimensionIndexValues(static_cast<Uint32>(z + 1), 1);
      OFVector<FGBase*> perFrame;  // (DCMTK's own OFVector in the wasm build: no initializer lists)
      perFrame.push_back(planePosition.get());
      perFrame.push_back(&content);
      std::unique_ptr<FGDerivationImage> derivation;
      if (haveSources) {
        OFVector<ImageSOPInstanceReferenceMacro> images(1);
        images[0].setReferencedSOPClassUID(source.sliceSopClassUids[z].c_str());
        images[0].setReferencedSOPInstanceUID(source.sliceSopInstanceUids[z].c_str());
        if (const int sourceFrame = source.frameNumberOf(z); sourceFrame > 0) {
          images[0].addReferencedFrameNumber(static_cast<Uint16>(sourceFrame));  // a frame of a multi-frame source
        }
        derivation.reset(FGDerivationImage::createMinimal(
            images, "", CodeSequenceMacro("113076", "DCM", "Segmentation"),
            CodeSequenceMacro("121322", "DCM", "Source image for image processing operation")));
        if (derivation) perFrame.push_back(derivation.get());
      }
      if ((result = seg->addFrame(frame.data(), segmentNumber, perFrame)).bad()) return segError("frame", result);
      frameBits.push_back(std::move(frame));
      ++frames;
    }
  }
  if (frames == 0) return Error{"DICOM SEG", "nothing to export: no segment holds any voxel"};

  DcmFileFormat file;
  DcmDataset& dataset = *file.getDataset();
  if ((result = seg->writeDataset(dataset)).bad()) return segError("cannot write the segmentation", result);
  // DCMTK 3.6.7 pads every frame to a whole byte; the standard packs frames
  // back to back, so sizes that are not a multiple of 8 need the bits redone.
  const std::vector<Uint8> packed = packFrames(frameBits);
  if ((result = dataset.putAndInsertUint8Array(DCM_PixelData, packed.data(), packed.size())).bad()) {
    return segError("pixel data", result);
  }
  if ((result = restoreSegmentNames(dataset, names)).bad()) return segError("segment names", result);
  if (haveSources && (result = referenceSourceSeries(dataset, source, referencedSlices)).bad()) {
    return segError("referenced series", result);
  }
  std::vector<std::uint8_t> bytes = dicomFileBytes(file);
  if (bytes.empty()) return Error{"DICOM SEG", "cannot encode the file"};
  return bytes;
}

}  // namespace ls
