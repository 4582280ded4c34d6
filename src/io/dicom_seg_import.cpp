#include "io/dicom_seg_import.h"

#include "dicom/dataset_values.h"
#include "dicom/functional_groups.h"
#include "io/dicom_seg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <unordered_map>

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcistrmb.h"
#include "dcmtk/dcmdata/dcrledrg.h"
#include "dcmtk/dcmdata/dcuid.h"

namespace ls {

// [SECTION] Colour ---------------------------------------------------------------

Rgb rgbFromDicomLab(const std::array<std::uint16_t, 3>& lab) {
  // Undo DICOM's scaling, then CIELab -> XYZ (D65) -> linear sRGB -> sRGB,
  // with the exact inverse of the matrix dicomLabFromRgb uses, so 8-bit
  // colours come back unchanged.
  const double L = lab[0] / 65535.0 * 100, A = lab[1] / 65535.0 * 255 - 128, B = lab[2] / 65535.0 * 255 - 128;
  auto finv = [](double f) { return f > 6.0 / 29 ? f * f * f : (116 * f - 16) * 27 / 24389; };
  const double fy = (L + 16) / 116;
  const double x = finv(fy + A / 500) * 0.95047, y = finv(fy), z = finv(fy - B / 200) * 1.08883;
  static const double m[3][3] = {{0.4124, 0.3576, 0.1805}, {0.2126, 0.7152, 0.0722}, {0.0193, 0.1192, 0.9505}};
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  auto inv = [&](int r, int c) {  // (m^-1)[r][c] from cofactors
    const int r0 = (c + 1) % 3, r1 = (c + 2) % 3, c0 = (r + 1) % 3, c1 = (r + 2) % 3;
    return (m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]) / det;
  };
  const double xyz[3] = {x, y, z};
  std::uint8_t out[3];
  for (int r = 0; r < 3; ++r) {
    double v = inv(r, 0) * xyz[0] + inv(r, 1) * xyz[1] + inv(r, 2) * xyz[2];
    v = std::clamp(v, 0.0, 1.0);
    v = v <= 0.0031308 ? 12.92 * v : 1.055 * std::pow(v, 1 / 2.4) - 0.055;
    out[r] = static_cast<std::uint8_t>(std::clamp(std::lround(v * 255), 0L, 255L));
  }
  return {out[0], out[1], out[2]};
}

namespace {

// [SECTION] Reading helpers ---------------------------------------------------------

std::string fmt(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}
std::string fmt(Vec3 v) { return "(" + fmt(v.x) + ", " + fmt(v.y) + ", " + fmt(v.z) + ")"; }

// A source image: its SOP Instance UID, and its frame (1-based) when it is
// a frame of a multi-frame file (0 otherwise).
struct SourceImage {
  std::string uid;
  int frame = 0;
};
std::string sourceKey(const std::string& uid, int frame) { return uid + "#" + std::to_string(frame); }

// What one frame's functional groups say (per-frame groups override shared
// ones): its geometry as the image decoder reads it, and what is SEG's own.
struct FrameInfo {
  FrameFunctionalGroups geometry;
  std::vector<SourceImage> sources;  // the images it derives from
  int segmentNumber = 0;
};

// The segment and the source images of a frame (the geometry is read by
// readFunctionalGroups).
void readGroups(DcmItem* group, FrameInfo& f) {
  if (!group) return;
  if (DcmItem* m = firstItem(group, DCM_SegmentIdentificationSequence)) {
    Uint16 number = 0;
    if (m->findAndGetUint16(DCM_ReferencedSegmentNumber, number).good()) f.segmentNumber = number;
  }
  // Derivation Image Sequence > Source Image Sequence > Referenced SOP Instance UID.
  DcmSequenceOfItems* derivations = nullptr;
  if (group->findAndGetSequence(DCM_DerivationImageSequence, derivations).good() && derivations) {
    std::vector<SourceImage> sources;
    for (unsigned long d = 0; d < derivations->card(); ++d) {
      DcmSequenceOfItems* images = nullptr;
      if (derivations->getItem(d)->findAndGetSequence(DCM_SourceImageSequence, images).bad() || !images) continue;
      for (unsigned long i = 0; i < images->card(); ++i) {
        DcmItem& image = *images->getItem(i);
        const std::string uid = stringValue(image, DCM_ReferencedSOPInstanceUID);
        if (uid.empty()) continue;
        // A frame of a multi-frame source: the file's UID and the frame number.
        Sint32 frameNumber = 0;
        bool anyFrame = false;
        for (unsigned long n = 0; image.findAndGetSint32(DCM_ReferencedFrameNumber, frameNumber, n).good(); ++n) {
          sources.push_back({uid, frameNumber});
          anyFrame = true;
        }
        if (!anyFrame) sources.push_back({uid, 0});
      }
    }
    f.sources = std::move(sources);
  }
}

Result<DcmFileFormat*> parse(const std::vector<std::uint8_t>& bytes, DcmFileFormat& file, const std::string& name) {
  if (bytes.size() < 8) return Error{name, name + ": not a DICOM file (" + std::to_string(bytes.size()) + " bytes)"};
  DcmInputBufferStream stream;
  stream.setBuffer(bytes.data(), static_cast<offile_off_t>(bytes.size()));
  stream.setEos();
  file.transferInit();
  const OFCondition status = file.read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
  file.transferEnd();
  if (status.bad()) {
    const bool truncated = status == EC_StreamNotifyClient || status == EC_EndOfStream ||
                           status == EC_PrematureSequDelimitationItem || stream.eos();
    return Error{name, name + (truncated ? ": truncated: the file ends before its data does (" : ": not a readable DICOM file (") +
                           status.text() + ")"};
  }
  return &file;
}

// The label value of each item of the Segment Sequence: the one LocalSeg's
// export noted in the Segment Description ("LocalSeg label 7"), so labels
// {1, 3, 7} come back as {1, 3, 7}; for any other SEG (or a broken note),
// 1, 2, 3... in sequence order.
std::vector<std::uint8_t> segmentLabelValues(DcmSequenceOfItems& segments) {
  const unsigned long count = segments.card();
  std::vector<std::uint8_t> noted, inOrder;
  for (unsigned long i = 0; i < count; ++i) {
    inOrder.push_back(static_cast<std::uint8_t>(i + 1));
    OFString description;
    segments.getItem(i)->findAndGetOFString(DCM_SegmentDescription, description);
    const std::string prefix = kSegLabelNote;
    if (description.compare(0, prefix.size(), prefix.c_str()) != 0) return inOrder;
    const int value = std::atoi(description.c_str() + prefix.size());
    if (value < 1 || value > 255) return inOrder;
    if (std::find(noted.begin(), noted.end(), value) != noted.end()) return inOrder;
    noted.push_back(static_cast<std::uint8_t>(value));
  }
  return noted;
}

}  // namespace

// [SECTION] Import ------------------------------------------------------------------

Result<ImportedLabels> readDicomSeg(const std::vector<std::uint8_t>& bytes, const Volume& source,
                                    const std::string& fileName) {
  auto fail = [&](const std::string& what) { return Error{fileName, fileName + ": " + what}; };
  const VolumeGeometry& g = source.geometry;
  DcmFileFormat file;
  if (auto parsed = parse(bytes, file, fileName); !parsed) return parsed.error();
  DcmDataset& ds = *file.getDataset();

  const std::string sopClass = stringValue(ds, DCM_SOPClassUID);
  if (sopClass != UID_SegmentationStorage) {
    const std::string modality = stringValue(ds, DCM_Modality);
    return fail("not a DICOM Segmentation (SOP class " + (sopClass.empty() ? std::string("missing") : sopClass) +
                (modality.empty() ? "" : ", modality " + modality) + ")");
  }

  // Compressed pixel data (RLE is what SEG writers use): decode in place.
  if (DcmXfer(ds.getOriginalXfer()).isEncapsulated()) {
    DcmRLEDecoderRegistration::registerCodecs();
    if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) {
      return fail(std::string("pixel data in an unsupported transfer syntax (") + DcmXfer(ds.getOriginalXfer()).getXferName() + ")");
    }
  }

  // --- Does the SEG belong to the open series? ---
  const std::string frameOfReference = stringValue(ds, DCM_FrameOfReferenceUID);
  if (!frameOfReference.empty() && !source.info.frameOfReferenceUid.empty() &&
      frameOfReference != source.info.frameOfReferenceUid) {
    return fail("lies in frame of reference " + frameOfReference + ", the open series in " +
                source.info.frameOfReferenceUid + ": it was drawn on other images");
  }
  std::vector<std::string> referencedSeries;
  DcmSequenceOfItems* seriesSeq = nullptr;
  if (ds.findAndGetSequence(DCM_ReferencedSeriesSequence, seriesSeq).good() && seriesSeq) {
    for (unsigned long i = 0; i < seriesSeq->card(); ++i) {
      const std::string uid = stringValue(*seriesSeq->getItem(i), DCM_SeriesInstanceUID);
      if (!uid.empty()) referencedSeries.push_back(uid);
    }
  }
  if (!referencedSeries.empty() && !source.info.seriesInstanceUid.empty() &&
      std::find(referencedSeries.begin(), referencedSeries.end(), source.info.seriesInstanceUid) == referencedSeries.end()) {
    return fail("references series " + referencedSeries.front() + ", which is not the open series (" +
                source.info.seriesInstanceUid + ")");
  }

  Uint16 rows = 0, columns = 0, bitsAllocated = 0;
  Sint32 frames = 1;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, columns);
  ds.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).bad()) frames = 1;
  if (rows != g.rows || columns != g.columns) {
    return fail("frames of " + std::to_string(columns) + "×" + std::to_string(rows) + " pixels, the open series' slices are " +
                std::to_string(g.columns) + "×" + std::to_string(g.rows));
  }
  if (frames < 1) return fail("holds no frames (NumberOfFrames " + std::to_string(frames) + ")");
  const std::string type = stringValue(ds, DCM_SegmentationType);
  const bool fractional = type == "FRACTIONAL";
  if (type != "BINARY" && !fractional) return fail("segmentation type \"" + type + "\" is not supported (BINARY or FRACTIONAL)");
  if (bitsAllocated != (fractional ? 8 : 1)) {
    return fail(type + " segmentation with " + std::to_string(bitsAllocated) + " bits allocated (expected " +
                (fractional ? "8)" : "1)"));
  }
  Uint16 maxFraction = 255;
  if (fractional) ds.findAndGetUint16(DCM_MaximumFractionalValue, maxFraction);
  if (maxFraction == 0) maxFraction = 255;

  // --- Segments: the label values LocalSeg wrote, else label k for the k-th item. ---
  ImportedLabels result;
  std::map<int, std::uint8_t> labelOfSegment;
  DcmSequenceOfItems* segmentSeq = nullptr;
  if (ds.findAndGetSequence(DCM_SegmentSequence, segmentSeq).bad() || !segmentSeq || segmentSeq->card() == 0) {
    return fail("no Segment Sequence: it describes no segments");
  }
  if (segmentSeq->card() > 255) {
    return fail(std::to_string(segmentSeq->card()) + " segments; LocalSeg holds at most 255 per series");
  }
  const std::vector<std::uint8_t> labels = segmentLabelValues(*segmentSeq);
  for (unsigned long i = 0; i < segmentSeq->card(); ++i) {
    DcmItem& item = *segmentSeq->getItem(i);
    Uint16 number = 0;
    item.findAndGetUint16(DCM_SegmentNumber, number);
    const std::uint8_t label = labels[i];
    if (!labelOfSegment.emplace(number, label).second) return fail("segment number " + std::to_string(number) + " appears twice");
    Segment s = defaultSegment(label);
    const std::string name = stringValue(item, DCM_SegmentLabel);
    if (!name.empty()) s.name = name;
    std::array<std::uint16_t, 3> lab{};
    bool hasLab = true;
    for (int c = 0; c < 3; ++c) hasLab &= item.findAndGetUint16(DCM_RecommendedDisplayCIELabValue, lab[c], c).good();
    if (hasLab) s.colour = rgbFromDicomLab(lab);
    s.modelAssisted = stringValue(item, DCM_SegmentAlgorithmType) != "MANUAL";  // AUTOMATIC or SEMIAUTOMATIC
    result.segments.push_back(s);
  }

  // --- Pixel data ---
  const std::size_t plane = static_cast<std::size_t>(rows) * columns;
  const std::size_t needBytes = fractional ? plane * frames : (plane * frames + 7) / 8;
  const Uint8* pixels = nullptr;
  unsigned long pixelBytes = 0;
  if (ds.findAndGetUint8Array(DCM_PixelData, pixels, &pixelBytes).bad() || !pixels) {
    return fail("no pixel data");
  }
  if (pixelBytes < needBytes) {
    return fail("truncated: " + std::to_string(frames) + " frames of " + std::to_string(columns) + "×" +
                std::to_string(rows) + " need " + std::to_string(needBytes) + " bytes of pixel data, the file has " +
                std::to_string(pixelBytes));
  }

  // --- Frames onto slices ---
  DcmItem* shared = nullptr;
  ds.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
  DcmSequenceOfItems* perFrame = nullptr;
  ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame);
  if (!perFrame || perFrame->card() < static_cast<unsigned long>(frames)) {
    return fail("the per-frame functional groups describe " + std::to_string(perFrame ? perFrame->card() : 0) + " of " +
                std::to_string(frames) + " frames");
  }
  // A reference without a frame number to a multi-frame source names no
  // single slice: it matches nothing here and the frame is placed by position.
  std::unordered_map<std::string, int> sliceOfSource;
  for (std::size_t k = 0; k < source.sliceSopInstanceUids.size(); ++k) {
    const int z = static_cast<int>(k);
    if (!source.sliceSopInstanceUids[k].empty()) sliceOfSource.emplace(sourceKey(source.sliceSopInstanceUids[k], source.frameNumberOf(z)), z);
  }
  // The open series' slice a reference names, or -1.
  const auto sliceOf = [&](const SourceImage& image) {
    auto it = sliceOfSource.find(sourceKey(image.uid, image.frame));
    // Frame 1 of a single-frame image: some writers number it anyway.
    if (it == sliceOfSource.end() && image.frame == 1) it = sliceOfSource.find(sourceKey(image.uid, 0));
    return it == sliceOfSource.end() ? -1 : it->second;
  };
  const Vec3 rowDir = normalized(g.rowDirection), colDir = normalized(g.columnDirection);
  const Vec3 normal = normalized(cross(rowDir, colDir));
  const Vec3 sliceStep = g.sliceDirection * g.sliceSpacing;
  const double stepAlongNormal = dot(sliceStep, normal);
  // A frame a quarter of the spacing off a slice was drawn on other images;
  // DS rounding and float geometry stay far below that.
  const double sliceTolerance = 0.25 * std::fabs(stepAlongNormal);
  const double pixelTolerance = 0.5 * std::min(g.rowSpacing, g.columnSpacing);

  // A SEG that names its source images but none of the open series' was drawn
  // on another series (even one with the same grid): refuse rather than guess.
  std::vector<FrameInfo> info(frames);
  const std::vector<FrameFunctionalGroups> geometry = readFunctionalGroups(ds, static_cast<std::size_t>(frames));
  for (int f = 0; f < frames; ++f) {
    info[f].geometry = geometry[f];
    readGroups(shared, info[f]);
    FrameInfo own;
    readGroups(perFrame->getItem(f), own);
    if (!own.sources.empty()) info[f].sources = own.sources;
    if (own.segmentNumber) info[f].segmentNumber = own.segmentNumber;
  }
  std::size_t references = 0, known = 0;
  std::string firstReference;
  for (const FrameInfo& fi : info) {
    for (const SourceImage& image : fi.sources) {
      ++references;
      known += sliceOf(image) >= 0;
      if (firstReference.empty()) firstReference = image.uid;
    }
  }
  if (references > 0 && known == 0 && !sliceOfSource.empty()) {
    return fail("references source images (e.g. " + firstReference + ") of which none is in the open series" +
                (source.info.seriesInstanceUid.empty() ? "" : " (" + source.info.seriesInstanceUid + ")"));
  }

  result.labels.reset(g.columns, g.rows, g.slices);
  std::size_t overlaps = 0;
  int byUid = 0, byPosition = 0;
  for (int f = 0; f < frames; ++f) {
    const std::string frameName = "frame " + std::to_string(f + 1);
    const FrameInfo& frame = info[f];

    const auto label = labelOfSegment.find(frame.segmentNumber);
    if (label == labelOfSegment.end()) {
      return fail(frameName + " belongs to segment " + std::to_string(frame.segmentNumber) + ", which the Segment Sequence does not describe");
    }
    if (frame.geometry.orientation) {
      const auto& o = *frame.geometry.orientation;
      const Vec3 r{o[0], o[1], o[2]}, c{o[3], o[4], o[5]};
      if (length(cross(normalized(r), rowDir)) > 1e-3 || length(cross(normalized(c), colDir)) > 1e-3 ||
          dot(r, rowDir) < 0 || dot(c, colDir) < 0) {
        return fail(frameName + " is oriented along rows " + fmt(r) + ", columns " + fmt(c) +
                    "; the open series along rows " + fmt(rowDir) + ", columns " + fmt(colDir));
      }
    }
    if (frame.geometry.pixelSpacing) {
      const auto [rs, cs] = *frame.geometry.pixelSpacing;  // DICOM: row spacing \ column spacing
      if (std::fabs(rs - g.rowSpacing) > 1e-3 * g.rowSpacing || std::fabs(cs - g.columnSpacing) > 1e-3 * g.columnSpacing) {
        return fail(frameName + " has pixel spacing " + fmt(rs) + "\\" + fmt(cs) + " mm, the open series " +
                    fmt(g.rowSpacing) + "\\" + fmt(g.columnSpacing) + " mm");
      }
    }

    // The slice: by the one source image it references, else by position.
    int slice = -1;
    for (const SourceImage& image : frame.sources) {
      const int found = sliceOf(image);
      if (found < 0) continue;
      if (slice >= 0 && slice != found) {
        slice = -2;  // several slices (e.g. a shared reference to the whole series): ambiguous
        break;
      }
      slice = found;
    }
    if (slice >= 0) {
      ++byUid;
    } else if (frame.geometry.position) {
      const Vec3 d = *frame.geometry.position - g.origin;
      const double k = stepAlongNormal != 0 ? dot(d, normal) / stepAlongNormal : 0;
      const long nearest = std::lround(k);
      if (nearest < 0 || nearest >= g.slices || !std::isfinite(k)) {
        const double distance = nearest < 0 ? -k * std::fabs(stepAlongNormal) : (k - (g.slices - 1)) * std::fabs(stepAlongNormal);
        return fail(frameName + " at " + fmt(*frame.geometry.position) + " mm lies " + fmt(std::fabs(distance)) +
                    " mm outside the open series' slices");
      }
      const double off = std::fabs(k - nearest) * std::fabs(stepAlongNormal);
      if (off > sliceTolerance) {
        return fail(frameName + " at " + fmt(*frame.geometry.position) + " mm lies " + fmt(off) + " mm off every slice of the open series");
      }
      const double inPlane = length(*frame.geometry.position - g.toPatient(0, 0, static_cast<double>(nearest)) -
                                    normal * dot(*frame.geometry.position - g.toPatient(0, 0, static_cast<double>(nearest)), normal));
      if (inPlane > pixelTolerance) {
        return fail(frameName + "'s first pixel lies " + fmt(inPlane) + " mm beside that of slice " +
                    std::to_string(nearest + 1) + ": the frames are shifted against the open series");
      }
      slice = static_cast<int>(nearest);
      ++byPosition;
    } else {
      return fail(frameName + " references no image of the open series and has no position");
    }

    // Unpack: bit (f * plane + i) of the packed BINARY data, LSB first.
    std::uint8_t* out = result.labels.slice(slice);
    const std::uint8_t value = label->second;
    for (std::size_t i = 0; i < plane; ++i) {
      bool set;
      if (fractional) {
        const unsigned v = pixels[f * plane + i];
        set = v > 0 && 2 * v >= maxFraction;
      } else {
        const std::size_t bit = f * plane + i;
        set = (pixels[bit >> 3] >> (bit & 7)) & 1;
      }
      if (!set) continue;
      if (out[i] != 0 && out[i] != value) ++overlaps;
      out[i] = value;
    }
  }

  if (byPosition > 0) {
    result.notes.push_back(std::to_string(byPosition) + " of " + std::to_string(frames) +
                           " frames were placed by their position (no unambiguous reference to a slice of the open series)");
  }
  if (overlaps > 0) {
    result.notes.push_back(std::to_string(overlaps) +
                           " voxels belong to more than one segment; each keeps the segment listed last");
  }
  if (fractional) {
    result.notes.push_back("fractional segmentation: voxels of at least half the maximum (" + std::to_string(maxFraction) +
                           ") are in the segment");
  }
  return result;
}

}  // namespace ls
