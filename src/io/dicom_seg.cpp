#include "io/dicom_seg.h"
#include "io/dicom_bytes.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>

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

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
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
      ContentIdentificationMacro("1", "LOCALSEG", "LocalSeg annotation", "LocalSeg"));
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
  for (const Segment& s : segments.all()) {
    DcmSegment* segment = nullptr;
    result = DcmSegment::create(segment, s.name.substr(0, 64).c_str(),
                                CodeSequenceMacro("91723000", "SCT", "Anatomical Structure"),
                                CodeSequenceMacro("85756007", "SCT", "Tissue"), DcmSegTypes::SAT_SEMIAUTOMATIC,
                                "LocalSeg");
    if (result.bad()) return segError("segment " + s.name, result);
    const auto lab = dicomLabFromRgb(s.colour);
    segment->setRecommendedDisplayCIELabValue(lab[0], lab[1], lab[2]);
    Uint16 segmentNumber = 0;
    if ((result = seg->addSegment(segment, segmentNumber)).bad()) return segError("segment " + s.name, result);
    for (int z = 0; z < g.slices; ++z) {
      const std::uint8_t* slice = labels.slice(z);
      std::vector<Uint8> frame(plane);
      bool any = false;
      for (std::size_t i = 0; i < plane; ++i) any |= (frame[i] = slice[i] == s.label) != 0;
      if (!any) continue;
      const Vec3 position = g.toPatient(0, 0, z);
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
        derivation.reset(FGDerivationImage::createMinimal(
            images, "", CodeSequenceMacro("113076", "DCM", "Segmentation"),
            CodeSequenceMacro("121322", "DCM", "Source image for image processing operation")));
        if (derivation) perFrame.push_back(derivation.get());
      }
      if ((result = seg->addFrame(frame.data(), segmentNumber, perFrame)).bad()) return segError("frame", result);
      ++frames;
    }
  }
  if (frames == 0) return Error{"DICOM SEG", "nothing to export: no segment holds any voxel"};

  DcmFileFormat file;
  if ((result = seg->writeDataset(*file.getDataset())).bad()) return segError("cannot write the segmentation", result);
  std::vector<std::uint8_t> bytes = dicomFileBytes(file);
  if (bytes.empty()) return Error{"DICOM SEG", "cannot encode the file"};
  return bytes;
}

}  // namespace ls
