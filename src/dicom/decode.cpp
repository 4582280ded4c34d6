#include "dicom/decode.h"

#include "dicom/allocation_cap.h"
#include "dicom/dataset_values.h"
#include "dicom/functional_groups.h"
#include "dicom/jpeg2000.h"
#include "dicom/length_check.h"
#include "dicom/stored_pixels.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmimgle/dipixel.h>
#include <dcmtk/dcmimage/diregist.h>  // registers DCMTK's colour image support (RGB, YBR, palette)
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>

namespace ls {
namespace {

void initialiseDcmtkOnce() {
  static const bool done = [] {
    // DCMTK logs to stderr by default; errors are reported through Result.
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    // Elements some writer stored as UN (unknown VR; pydicom's rtdose_rle.dcm
    // has Modality and DoseGridScaling so) are read with their dictionary VR,
    // as pydicom does; otherwise they could not be read as values at all.
    dcmEnableUnknownVRConversion.set(OFTrue);
    // The dictionary is built on first use: build it here, on one thread.
    (void)dcmDataDict.isDictionaryLoaded();
    return true;
  }();
  (void)done;
}

std::string transferSyntaxName(E_TransferSyntax xfer) {
  DcmXfer x(xfer);
  return std::string(x.getXferName()) + " (" + x.getXferID() + ")";
}

// Which DCMTK representation the pixels arrive in, converted to float.
template <typename T>
void convertFrame(const void* data, std::size_t offset, std::size_t count, double slope,
                  double intercept, std::vector<float>& out) {
  const T* p = static_cast<const T*>(data) + offset;
  out.resize(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<float>(p[i] * slope + intercept);
}

bool convertInterData(const DiPixel& pixels, std::size_t offset, std::size_t count, double slope,
                      double intercept, std::vector<float>& out) {
  const void* data = pixels.getData();
  switch (pixels.getRepresentation()) {
    case EPR_Uint8: convertFrame<Uint8>(data, offset, count, slope, intercept, out); return true;
    case EPR_Sint8: convertFrame<Sint8>(data, offset, count, slope, intercept, out); return true;
    case EPR_Uint16: convertFrame<Uint16>(data, offset, count, slope, intercept, out); return true;
    case EPR_Sint16: convertFrame<Sint16>(data, offset, count, slope, intercept, out); return true;
    case EPR_Uint32: convertFrame<Uint32>(data, offset, count, slope, intercept, out); return true;
    case EPR_Sint32: convertFrame<Sint32>(data, offset, count, slope, intercept, out); return true;
  }
  return false;
}

SeriesInfo readSeriesInfo(DcmDataset& ds, E_TransferSyntax xfer) {
  SeriesInfo info;
  info.patientName = stringValue(ds, DCM_PatientName);
  info.patientId = stringValue(ds, DCM_PatientID);
  info.patientBirthDate = stringValue(ds, DCM_PatientBirthDate);
  info.patientSex = stringValue(ds, DCM_PatientSex);
  info.studyTime = stringValue(ds, DCM_StudyTime);
  info.studyId = stringValue(ds, DCM_StudyID);
  info.accessionNumber = stringValue(ds, DCM_AccessionNumber);
  info.frameOfReferenceUid = stringValue(ds, DCM_FrameOfReferenceUID);
  info.studyDescription = stringValue(ds, DCM_StudyDescription);
  info.studyDate = stringValue(ds, DCM_StudyDate);
  info.studyInstanceUid = stringValue(ds, DCM_StudyInstanceUID);
  info.seriesDescription = stringValue(ds, DCM_SeriesDescription);
  info.seriesInstanceUid = stringValue(ds, DCM_SeriesInstanceUID);
  info.modality = stringValue(ds, DCM_Modality);
  info.photometric = stringValue(ds, DCM_PhotometricInterpretation);
  info.transferSyntax = transferSyntaxName(xfer);
  Uint16 bits = 0;
  if (ds.findAndGetUint16(DCM_BitsStored, bits).good()) info.bitsStored = bits;
  return info;
}

void setPixelSpacing(const std::vector<double>& spacing, ImageSlice& slice) {
  if (spacing.size() >= 2 && spacing[0] > 0 && spacing[1] > 0) {
    slice.rowSpacing = spacing[0];  // PS3.3 C.7.6.2.1.1: row spacing first
    slice.columnSpacing = spacing[1];
    slice.hasPixelSpacing = true;
  }
}

// Sets the plane from ImagePositionPatient and ImageOrientationPatient (both
// or neither); degenerate orientations are ignored.
void setPlane(const std::vector<double>& position, const std::vector<double>& orientation, ImageSlice& slice) {
  if (position.size() != 3 || orientation.size() != 6) return;
  Vec3 row{orientation[0], orientation[1], orientation[2]};
  Vec3 column{orientation[3], orientation[4], orientation[5]};
  if (length(cross(row, column)) <= 0.5) return;
  slice.position = Vec3{position[0], position[1], position[2]};
  slice.rowDirection = normalized(row);
  slice.columnDirection = normalized(column);
}

void readGeometry(DcmDataset& ds, ImageSlice& slice) {
  auto spacing = finiteDoubles(ds, DCM_PixelSpacing);
  if (spacing.size() < 2) spacing = finiteDoubles(ds, DCM_ImagerPixelSpacing);
  setPixelSpacing(spacing, slice);
  setPlane(finiteDoubles(ds, DCM_ImagePositionPatient), finiteDoubles(ds, DCM_ImageOrientationPatient), slice);
  auto thickness = finiteDoubles(ds, DCM_SpacingBetweenSlices);
  if (thickness.empty()) thickness = finiteDoubles(ds, DCM_SliceThickness);
  if (!thickness.empty() && thickness[0] > 0) slice.sliceThickness = thickness[0];
  Sint32 instance = 0;
  if (ds.findAndGetSint32(DCM_InstanceNumber, instance).good()) slice.instanceNumber = instance;
}

// An enhanced image's frame: its plane, pixel measures and windows come from
// its functional groups. A frame without a plane has no position.
void applyFunctionalGroups(const FrameFunctionalGroups& groups, ImageSlice& slice) {
  if (groups.pixelSpacing) setPixelSpacing({groups.pixelSpacing->first, groups.pixelSpacing->second}, slice);
  slice.position.reset();
  if (groups.position && groups.orientation) {
    const Vec3& p = *groups.position;
    setPlane({p.x, p.y, p.z}, {groups.orientation->begin(), groups.orientation->end()}, slice);
  }
  if (auto t = groups.spacingBetweenSlices ? groups.spacingBetweenSlices : groups.sliceThickness; t && *t > 0) {
    slice.sliceThickness = *t;
  }
  if (!groups.windows.empty()) slice.windows = groups.windows;
}

// PS3.3 C.7.5.1.1.2: stored values from Pixel Padding Value to Pixel Padding
// Range Limit (or just the value) mark pixels that are not image.
std::optional<ValueRange> readPadding(DcmDataset& ds, double slope, double intercept) {
  auto read = [&](const DcmTagKey& tag, double& value) {
    Sint16 s = 0;
    Uint16 u = 0;
    if (ds.findAndGetSint16(tag, s).good()) return value = s, true;
    if (ds.findAndGetUint16(tag, u).good()) return value = u, true;
    return false;
  };
  double value = 0;
  if (!read(DCM_PixelPaddingValue, value)) return std::nullopt;
  double limit = value;
  read(DCM_PixelPaddingRangeLimit, limit);
  const double a = value * slope + intercept, b = limit * slope + intercept;
  return ValueRange{static_cast<float>(std::min(a, b)), static_cast<float>(std::max(a, b))};
}

Error fail(const std::string& file, const std::string& message) { return Error{file, message}; }

// What a derived series needs of the source: every public attribute except
// bulk data. Left out: pixel data (7FE0 group, float/double pixel data),
// overlays and curves (60xx, 50xx groups: meaningless without their data),
// the icon image, padding, signatures, group lengths and private elements
// (often kilobytes per slice, e.g. CSA headers, and tied to the source pixels).
bool keepInHeader(const DcmTagKey& tag) {
  const Uint16 group = tag.getGroup();
  if (group & 1) return false;  // private
  if (tag.getElement() == 0x0000) return false;  // group length
  if (group <= 0x0002) return false;  // command and file meta groups do not belong in a dataset
  if (group == 0x7FE0 || (group >= 0x6000 && group <= 0x60FF) || (group >= 0x5000 && group <= 0x50FF)) return false;
  return tag != DCM_FloatPixelData && tag != DCM_DoubleFloatPixelData && tag != DCM_IconImageSequence &&
         tag != DCM_DataSetTrailingPadding && tag != DCM_DigitalSignaturesSequence &&
         tag != DCM_MACParametersSequence && tag != DCM_PixelDataProviderURL;
}

DicomHeader sourceHeader(DcmDataset& ds) {
  DcmDataset header;
  // Walked in order (getElement(i) would seek from the start each time).
  for (DcmObject* object = ds.nextInContainer(nullptr); object != nullptr; object = ds.nextInContainer(object)) {
    if (!keepInHeader(object->getTag())) continue;
    header.insert(static_cast<DcmElement*>(object->clone()));
  }
  const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  auto bytes = std::make_shared<std::vector<std::uint8_t>>(
      static_cast<std::size_t>(header.calcElementLength(xfer, EET_ExplicitLength)) + 256);
  DcmOutputBufferStream stream(bytes->data(), bytes->size());
  header.transferInit();
  const OFCondition status = header.write(stream, xfer, EET_ExplicitLength, nullptr, EGL_withoutGL);
  header.transferEnd();
  if (status.bad()) return nullptr;  // the export then names the slice; viewing is unaffected
  bytes->resize(static_cast<std::size_t>(stream.tell()));
  return bytes;
}

// Stored value -> modality value. One per frame for enhanced images whose
// frames differ (Pixel Value Transformation per frame), else one for all.
using Rescales = std::vector<Rescale>;

// Decoded frames in modality units, before geometry is attached; colour
// images also carry each frame as RGBA8 (frames then hold its luma).
struct DecodedFrames {
  int rows = 0, columns = 0;
  std::vector<std::vector<float>> frames;
  std::vector<std::vector<std::uint32_t>> colourFrames;
};

// Colour (RGB, YBR_FULL, YBR_FULL_422, YBR_PARTIAL_*, YBR_ICT/RCT, PALETTE
// COLOR with normal or segmented lookup tables, either planar configuration):
// DCMTK's colour image converts all of them to RGB, 8 bits per sample (more
// bits are scaled down). Luma (BT.601) stands in for the value, so window,
// model input and measurements work on every image.
Result<DecodedFrames> decodeColourWithDcmtk(const std::string& fileName, DcmDataset& ds, E_TransferSyntax xfer,
                                            const std::string& photometric) {
  if (DcmXfer(xfer).isEncapsulated()) {
    OFCondition status = ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (status.bad() || !ds.canWriteXfer(EXS_LittleEndianExplicit)) {
      return fail(fileName, "unsupported or corrupt compressed pixel data: transfer syntax " +
                                transferSyntaxName(xfer) + " (" + status.text() + ")");
    }
  }
  DicomImage image(&ds, EXS_LittleEndianExplicit);
  if (image.getStatus() != EIS_Normal) {
    return fail(fileName, "cannot decode the colour image (" + photometric + "): " +
                              DicomImage::getString(image.getStatus()) + " (transfer syntax " +
                              transferSyntaxName(xfer) + ")");
  }
  if (image.isMonochrome()) return fail(fileName, "the image says " + photometric + " but decodes as greyscale");
  DecodedFrames out;
  out.rows = static_cast<int>(image.getHeight());
  out.columns = static_cast<int>(image.getWidth());
  const std::size_t frameSize = static_cast<std::size_t>(out.rows) * out.columns;
  for (unsigned long f = 0; f < image.getFrameCount(); ++f) {
    const auto* rgb = static_cast<const std::uint8_t*>(image.getOutputData(8, f, 0));
    if (rgb == nullptr || image.getOutputDataSize(8) < frameSize * 3) {
      return fail(fileName, "cannot decode colour frame " + std::to_string(f + 1) + " (truncated file?)");
    }
    std::vector<std::uint32_t> colour(frameSize);
    std::vector<float> luma(frameSize);
    for (std::size_t i = 0; i < frameSize; ++i) {
      const std::uint32_t r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
      colour[i] = r | (g << 8) | (b << 16) | 0xFF000000u;
      luma[i] = static_cast<float>(0.299 * r + 0.587 * g + 0.114 * b);
    }
    out.colourFrames.push_back(std::move(colour));
    out.frames.push_back(std::move(luma));
  }
  return out;
}

// Every syntax DCMTK has a codec for (uncompressed, deflate, RLE, JPEG, JPEG-LS).
Result<DecodedFrames> decodeWithDcmtk(const std::string& fileName, DcmDataset& ds, E_TransferSyntax xfer,
                                      std::size_t frameCount, const Rescales& rescales) {
  if (DcmXfer(xfer).isEncapsulated()) {
    OFCondition status = ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (status.bad() || !ds.canWriteXfer(EXS_LittleEndianExplicit)) {
      return fail(fileName, "unsupported or corrupt compressed pixel data: transfer syntax " +
                                transferSyntaxName(xfer) + " (" + status.text() + ")");
    }
  }
  // The common layouts are read straight from the pixel words; DicomImage
  // (below) takes the rest and gives the errors for what cannot be read.
  if (auto stored = readStoredGreyscaleFrames(ds, xfer == EXS_BigEndianExplicit, frameCount, rescales)) {
    DecodedFrames out;
    Uint16 rows = 0, columns = 0;
    ds.findAndGetUint16(DCM_Rows, rows);
    ds.findAndGetUint16(DCM_Columns, columns);
    out.rows = rows;
    out.columns = columns;
    out.frames = std::move(*stored);
    return out;
  }
  const bool hasModalityLut = ds.tagExists(DCM_ModalityLUTSequence);
  // Rescale is applied by the caller in double precision: DCMTK's own modality
  // transform stores integers and would truncate fractional slopes (PET, MR).
  DicomImage image(&ds, EXS_LittleEndianExplicit, hasModalityLut ? 0 : CIF_IgnoreModalityTransformation);
  if (image.getStatus() != EIS_Normal) {
    return fail(fileName, std::string("cannot decode the image: ") + DicomImage::getString(image.getStatus()) +
                              " (transfer syntax " + transferSyntaxName(xfer) + ")");
  }
  const DiPixel* inter = image.getInterData();
  if (inter == nullptr) return fail(fileName, "cannot decode the image: no pixel data after decoding");
  DecodedFrames out;
  out.rows = static_cast<int>(image.getHeight());
  out.columns = static_cast<int>(image.getWidth());
  const std::size_t frameSize = static_cast<std::size_t>(out.rows) * out.columns;
  const unsigned long frames = image.getFrameCount();
  if (inter->getCount() < frameSize * frames) {
    return fail(fileName, "pixel data shorter than Rows x Columns x Frames (truncated file?)");
  }
  for (unsigned long f = 0; f < frames; ++f) {
    out.frames.emplace_back();
    const Rescale& r = rescaleOfFrame(rescales, f);
    if (!convertInterData(*inter, frameSize * f, frameSize, r.slope, r.intercept, out.frames.back())) {
      return fail(fileName, "cannot decode the image: unknown pixel representation");
    }
  }
  return out;
}

bool isJpeg2000(E_TransferSyntax xfer) { return xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000; }

// Transfer syntaxes newer than DCMTK 3.6.7, which reads their datasets as
// explicit little endian and keeps the fragments. High-Throughput JPEG 2000
// (Part 15 code blocks in a JPEG 2000 codestream) is decoded by OpenJPEG 2.5;
// the others are named in the error.
const char* newerSyntaxName(const std::string& uid) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 lossless"},
      {"1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL options, lossless"},
      {"1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"},
      {"1.2.840.10008.1.2.4.110", "JPEG XL lossless"},
      {"1.2.840.10008.1.2.4.111", "JPEG XL JPEG recompression"},
      {"1.2.840.10008.1.2.4.112", "JPEG XL"},
  };
  for (const auto& [id, name] : kNames) {
    if (uid == id) return name;
  }
  return nullptr;
}

bool isHighThroughputJpeg2000(const std::string& uid) { return uid.rfind("1.2.840.10008.1.2.4.20", 0) == 0 && newerSyntaxName(uid); }

// JPEG 2000: DCMTK's open-source edition has no codec, so each frame's
// fragments go to OpenJPEG.
Result<DecodedFrames> decodeWithOpenJpeg(const std::string& fileName, DcmDataset& ds, E_TransferSyntax xfer,
                                         const Rescales& rescales) {
  DcmElement* element = nullptr;
  DcmPixelSequence* sequence = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() ||
      static_cast<DcmPixelData*>(element)->getEncapsulatedRepresentation(xfer, nullptr, sequence).bad() ||
      sequence == nullptr) {
    return fail(fileName, "JPEG 2000 pixel data is not encapsulated as the transfer syntax says");
  }
  Uint16 rows = 0, columns = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, columns);
  Sint32 frames = 1;
  ds.findAndGetSint32(DCM_NumberOfFrames, frames);
  frames = std::max<Sint32>(frames, 1);
  const unsigned long fragments = sequence->card() > 0 ? sequence->card() - 1 : 0;  // item 0: offset table
  if (fragments == 0) return fail(fileName, "JPEG 2000 pixel data has no fragments (truncated file?)");
  if (frames > 1 && fragments != static_cast<unsigned long>(frames)) {
    return fail(fileName, "multi-frame JPEG 2000 with frames split over several fragments is not supported yet");
  }
  auto fragmentBytes = [&](unsigned long index, std::vector<std::uint8_t>& into) {
    DcmPixelItem* item = nullptr;
    Uint8* bytes = nullptr;
    if (sequence->getItem(item, index).bad() || item->getUint8Array(bytes).bad() || bytes == nullptr) return;
    into.insert(into.end(), bytes, bytes + item->getLength());
  };
  DecodedFrames out;
  out.rows = rows;
  out.columns = columns;
  for (Sint32 f = 0; f < frames; ++f) {
    std::vector<std::uint8_t> codestream;
    if (frames == 1) {
      for (unsigned long i = 1; i <= fragments; ++i) fragmentBytes(i, codestream);
    } else {
      fragmentBytes(static_cast<unsigned long>(f) + 1, codestream);
    }
    auto decoded = decodeJpeg2000(codestream.data(), codestream.size());
    if (!decoded.ok()) return fail(fileName, decoded.error().message + " (frame " + std::to_string(f + 1) + ")");
    const Jpeg2000Image& j2k = decoded.value();
    if (j2k.width != columns || j2k.height != rows || j2k.components != 1) {
      return fail(fileName, "JPEG 2000 frame is " + std::to_string(j2k.width) + "x" + std::to_string(j2k.height) +
                                " with " + std::to_string(j2k.components) + " component(s); the header says " +
                                std::to_string(columns) + "x" + std::to_string(rows) + " greyscale");
    }
    const Rescale& r = rescaleOfFrame(rescales, static_cast<std::size_t>(f));
    out.frames.emplace_back(j2k.samples.size());
    for (std::size_t i = 0; i < j2k.samples.size(); ++i) {
      out.frames.back()[i] = static_cast<float>(j2k.samples[i] * r.slope + r.intercept);
    }
  }
  return out;
}

// DCMTK reads native big endian Pixel Data of VR OW as 16-bit words, also
// when Bits Allocated is 32 (RT Dose grids, 32-bit secondary captures): each
// 32-bit value then has its two halves in the wrong order (dcmconv +te shows
// it too). Put the halves back before DicomImage reads the values.
void fixBigEndianWordOrder(DcmDataset& ds, E_TransferSyntax xfer, Uint16 bitsAllocated) {
  if (xfer != EXS_BigEndianExplicit || bitsAllocated != 32) return;
  DcmElement* pixelData = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, pixelData).bad() || pixelData->getVR() != EVR_OW) return;
  Uint16* words = nullptr;
  if (pixelData->getUint16Array(words).bad() || words == nullptr) return;
  const unsigned long count = pixelData->getLength() / 2;
  for (unsigned long i = 0; i + 1 < count; i += 2) std::swap(words[i], words[i + 1]);
}

// An enhanced file may hold several volumes on the same positions (cardiac
// phases, echoes, diffusion b-values): the k-th frame at a position, in file
// order, goes to part k, each part a volume of its own ("part 2 of 25"), as
// a viewer shows one phase at a time. Frames without a plane stay as they are.
void splitRepeatedPositions(std::vector<ImageSlice>& slices) {
  constexpr double kSamePositionMm = 1e-3;
  std::vector<std::pair<Vec3, int>> seen;  // position, frames there so far
  std::vector<int> partOf(slices.size(), 0);
  int parts = 1;
  for (std::size_t f = 0; f < slices.size(); ++f) {
    if (!slices[f].position) continue;
    auto at = std::find_if(seen.begin(), seen.end(), [&](const auto& s) {
      return length(s.first - *slices[f].position) < kSamePositionMm;
    });
    if (at == seen.end()) at = seen.insert(seen.end(), {*slices[f].position, 0});
    partOf[f] = at->second++;
    parts = std::max(parts, at->second);
  }
  if (parts < 2) return;
  for (std::size_t f = 0; f < slices.size(); ++f) {
    slices[f].info.part = "part " + std::to_string(partOf[f] + 1) + " of " + std::to_string(parts);
  }
}

Result<std::vector<ImageSlice>> decodeDataset(const std::string& fileName, DcmFileFormat& file) {
  DcmDataset& ds = *file.getDataset();
  const E_TransferSyntax xfer = ds.getOriginalXfer();
  OFString fileSyntax;
  file.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, fileSyntax);
  const std::string syntaxUid = fileSyntax.c_str();
  const bool htj2k = isHighThroughputJpeg2000(syntaxUid);
  if (!htj2k && !syntaxUid.empty() && DcmXfer(syntaxUid.c_str()).getXfer() == EXS_Unknown) {
    const char* name = newerSyntaxName(syntaxUid);
    return fail(fileName, "unsupported transfer syntax " + (name ? std::string(name) + " (" + syntaxUid + ")" : syntaxUid) +
                              ": LocalSeg cannot decode its pixels");
  }
  const bool jpeg2000 = isJpeg2000(xfer) || htj2k;
  const std::string syntaxName = htj2k ? std::string(newerSyntaxName(syntaxUid)) + " (" + syntaxUid + ")"
                                       : transferSyntaxName(xfer);
  if (!ds.tagExists(DCM_PixelData) && !ds.tagExists(DCM_FloatPixelData) &&
      !ds.tagExists(DCM_DoubleFloatPixelData)) {
    std::string modality = stringValue(ds, DCM_Modality);
    return fail(fileName, "contains no image (no Pixel Data)" +
                              (modality.empty() ? std::string() : "; it is a " + modality + " object"));
  }

  // Sizes are checked before any decoder allocates for them (the fuzzer's
  // 65535 x 65535 x 2^31 frames): what would not fit in a page is refused.
  Uint16 rows = 0, columns = 0, samples = 1, bitsAllocated = 16;
  Sint32 frameCount = 1;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, columns);
  ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
  ds.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frameCount).bad() || frameCount == 0) frameCount = 1;
  if (rows == 0 || columns == 0) return fail(fileName, "the image has no size (Rows or Columns is 0 or missing)");
  const double decodedBytes = double(rows) * columns * frameCount * std::max<Uint16>(samples, 1) *
                              std::max(4.0, bitsAllocated / 8.0);  // decoded as float32 per sample
  constexpr double kMaxDecodedBytes = 2.0e9;
  if (frameCount < 0 || decodedBytes > kMaxDecodedBytes) {
    return fail(fileName, "absurd image size: " + std::to_string(frameCount) + " frame(s) of " +
                              std::to_string(columns) + " x " + std::to_string(rows) + " would need " +
                              std::to_string(static_cast<long long>(decodedBytes / 1e6)) +
                              " MB decoded, more than a browser page can hold");
  }
  const std::string photometric = stringValue(ds, DCM_PhotometricInterpretation);
  const bool colour = photometric != "MONOCHROME1" && photometric != "MONOCHROME2";
  if (photometric.empty()) return fail(fileName, "no PhotometricInterpretation: cannot tell how to show the pixels");
  if (colour && jpeg2000) {
    return fail(fileName, std::string(htj2k ? "High-Throughput " : "") + "JPEG 2000 colour image (" + photometric + ") not supported yet; greyscale JPEG 2000 is");
  }
  const std::vector<FrameFunctionalGroups> groups = readFunctionalGroups(ds, static_cast<std::size_t>(frameCount));
  Rescales rescales{Rescale{}};
  if (!ds.tagExists(DCM_ModalityLUTSequence)) {
    Float64 v;
    Rescale& all = rescales[0];
    bool topLevel = false;
    if (ds.findAndGetFloat64(DCM_RescaleSlope, v).good() && v != 0) all.slope = v, topLevel = true;
    else if (ds.findAndGetFloat64(DCM_DoseGridScaling, v).good() && v != 0) all.slope = v, topLevel = true;  // RT Dose: stored -> dose units
    if (ds.findAndGetFloat64(DCM_RescaleIntercept, v).good()) all.intercept = v, topLevel = true;
    if (!topLevel && !groups.empty()) {  // enhanced images keep it in their functional groups
      rescales.clear();
      for (const auto& frame : groups) {
        rescales.push_back(frame.rescale ? Rescale{frame.rescale->first, frame.rescale->second} : Rescale{});
      }
    }
  }
  fixBigEndianWordOrder(ds, xfer, bitsAllocated);
  auto decoded = colour            ? decodeColourWithDcmtk(fileName, ds, xfer, photometric)
                 : jpeg2000         ? decodeWithOpenJpeg(fileName, ds, xfer, rescales)
                                    : decodeWithDcmtk(fileName, ds, xfer, static_cast<std::size_t>(frameCount), rescales);
  if (!decoded.ok()) return decoded.error();
  DecodedFrames& frames = decoded.value();

  ImageSlice base;
  base.sourceFile = fileName;
  base.sopClassUid = stringValue(ds, DCM_SOPClassUID);
  base.sopInstanceUid = stringValue(ds, DCM_SOPInstanceUID);
  base.rows = frames.rows;
  base.columns = frames.columns;
  base.invertDisplay = photometric == "MONOCHROME1";
  base.windows = readWindowPresets(ds);
  base.info = readSeriesInfo(ds, xfer);
  base.info.transferSyntax = syntaxName;
  base.sourceHeader = sourceHeader(ds);
  readGeometry(ds, base);

  // RT Dose grids (PS3.3 C.8.8.3.2): frame f lies GridFrameOffsetVector[f] mm
  // along the normal from ImagePositionPatient (offsets relative to it when
  // the first is 0, else z values with frame 0 at the position: the same
  // difference either way). Enhanced images place each frame by its
  // functional groups. Other multi-frame images are ordered by frame.
  const std::vector<double> frameOffsets = finiteDoubles(ds, DCM_GridFrameOffsetVector);
  const bool framesPlaced = frames.frames.size() > 1 && base.position && base.rowDirection && base.columnDirection &&
                            frameOffsets.size() == frames.frames.size();
  std::vector<ImageSlice> slices;
  for (std::size_t f = 0; f < frames.frames.size(); ++f) {
    ImageSlice slice = base;
    slice.frameIndex = static_cast<int>(f);
    slice.frameCount = static_cast<int>(frames.frames.size());
    if (f < groups.size()) {
      applyFunctionalGroups(groups[f], slice);
    } else if (framesPlaced) {
      const Vec3 normal = normalized(cross(*base.rowDirection, *base.columnDirection));
      slice.position = *base.position + normal * (frameOffsets[f] - frameOffsets[0]);
    } else if (frames.frames.size() > 1) {
      slice.position.reset();
    }
    if (!colour && !ds.tagExists(DCM_ModalityLUTSequence)) {
      const Rescale& r = rescaleOfFrame(rescales, f);
      slice.padding = readPadding(ds, r.slope, r.intercept);
    }
    slice.pixels = std::move(frames.frames[f]);
    if (f < frames.colourFrames.size()) slice.colour = std::move(frames.colourFrames[f]);
    slices.push_back(std::move(slice));
  }
  if (!groups.empty()) splitRepeatedPositions(slices);
  return slices;
}

}  // namespace

void initialiseDicomDecoder() { initialiseDcmtkOnce(); }

Result<std::vector<ImageSlice>> decodeDicom(const std::string& fileName, const std::uint8_t* data,
                                            std::size_t size) {
  initialiseDcmtkOnce();
  // Without a 'DICM' prefix DCMTK guesses a headerless dataset; accept that only
  // if the bytes start like a DICOM group 0x0002/0x0008 element (old ACR-NEMA style
  // files), otherwise any file would be "parsed" into garbage.
  const bool hasPreamble = size >= 132 && std::memcmp(data + 128, "DICM", 4) == 0;
  if (!hasPreamble) {
    const bool looksLikeDataset =
        size >= 8 && ((data[0] == 0x08 && data[1] == 0x00) || (data[0] == 0x02 && data[1] == 0x00) ||
                      (data[0] == 0x00 && data[1] == 0x08));
    if (!looksLikeDataset) return fail(fileName, "not a DICOM file (no 'DICM' marker at byte 128)");
  }
  if (std::string lie = findLyingLength(data, size); !lie.empty()) {
    return fail(fileName, "truncated file (or a corrupt length): " + lie);
  }
  try {
    // DCMTK reads the file without its top-level private elements, fed range
    // by range (its buffer stream resumes where the last range ended).
    const std::vector<ByteRange> ranges =
        rangesWithoutPrivateElements(data, size).value_or(std::vector<ByteRange>{{0, size}});
    DcmInputBufferStream stream;
    DcmFileFormat file;
    OFCondition status = EC_StreamNotifyClient;
    {
      // No value read from this file can be larger than the file itself.
      ScopedAllocationCap cap(size + (16u << 20));
      file.transferInit();
      for (std::size_t i = 0; i < ranges.size() && status == EC_StreamNotifyClient; ++i) {
        if (i > 0) stream.releaseBuffer();
        stream.setBuffer(data + ranges[i].offset, static_cast<offile_off_t>(ranges[i].size));
        if (i + 1 == ranges.size()) stream.setEos();
        status = file.read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
      }
      file.transferEnd();
    }
    if (status.bad()) {
      // Running out of bytes mid-element shows up as several conditions.
      const bool truncated = status == EC_StreamNotifyClient || status == EC_EndOfStream ||
                             status == EC_PrematureSequDelimitationItem || stream.eos();
      return fail(fileName, truncated ? std::string("truncated file: it ends before the data does (") +
                                            status.text() + ")"
                                      : std::string("not a readable DICOM file: ") + status.text());
    }
    // Decoded pixels may be larger than the file, up to the size check's bound.
    ScopedAllocationCap cap(std::size_t(2100) << 20);
    return decodeDataset(fileName, file);
  } catch (const std::exception& e) {
    return fail(fileName, std::string("corrupt image data: ") + e.what());
  } catch (...) {
    return fail(fileName, "corrupt image data (the decoder gave up)");
  }
}

}  // namespace ls
