#include "io/derived_series.h"

#include "dicom/dataset_values.h"
#include "io/dicom_bytes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcistrmb.h"
#include "dcmtk/dcmdata/dcostrmb.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmdata/dcvrda.h"
#include "dcmtk/dcmdata/dcvrdt.h"
#include "dcmtk/dcmdata/dcvrtm.h"

namespace ls {

namespace {

// [SECTION] Helpers

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

// A DS value (at most 16 characters) that reads back as close to `v` as it can.
std::string decimalString(double v) {
  char text[32];
  for (int precision = 12; precision > 1; --precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, v);
    if (std::char_traits<char>::length(text) <= 16) break;
  }
  return text;
}

// For a target character set without the en dash: other characters become
// ASCII ('-' for dashes, '?' otherwise), so the text is valid in any set.
std::string asciiOnly(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    const std::string sequence = utf8.substr(i, length);
    out += sequence == "\xE2\x80\x93" || sequence == "\xE2\x80\x94" || sequence == "\xE2\x80\x90" ? '-' : '?';
    i += length;
  }
  return out;
}

// At most `bytes` bytes, not cutting a UTF-8 sequence in half.
std::string truncatedUtf8(std::string text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

std::string newUid(const char* root) {
  char uid[100];
  dcmGenerateUniqueIdentifier(uid, root);
  return uid;
}

void putCode(DcmItem& item, const DerivationCode& code) {
  item.putAndInsertOFStringArray(DCM_CodeValue, code.value.c_str());
  item.putAndInsertOFStringArray(DCM_CodingSchemeDesignator, code.scheme.c_str());
  item.putAndInsertOFStringArray(DCM_CodeMeaning, code.meaning.c_str());
}


// [SECTION] Pixel encoding

// The stored representation of the source: what the restored values go back into.
struct StoredFormat {
  Uint16 bitsAllocated = 0, bitsStored = 0;
  bool isSigned = false;
  double minStored = 0, maxStored = 0;
};

struct Rescale {
  double slope = 1, intercept = 0;
  bool present = false;  // the source has RescaleSlope/Intercept
};

struct EncodedSlice {
  std::vector<Uint16> words;  // BitsAllocated 16
  std::vector<Uint8> bytes;   // BitsAllocated 8
  long long clamped = 0;
  bool rescaled = false;
  Rescale rescale;
};

// Keeps the source's slope and intercept when the restored values fit the
// stored range with them; otherwise shifts the intercept by whole stored steps
// (the quantisation grid stays that of the source), and only when the range is
// wider than the stored range can hold, spreads it over the stored range with
// a new slope. Sources without rescale attributes keep none (MR Image has no
// Modality LUT module): out-of-range values are clamped and counted.
Rescale fitRescale(Rescale rescale, double lo, double hi, const StoredFormat& format, bool& changed) {
  changed = false;
  if (!rescale.present) return rescale;
  auto stored = [&](double v) { return std::round((v - rescale.intercept) / rescale.slope); };
  const double a = stored(lo), b = stored(hi);
  const double storedLo = std::min(a, b), storedHi = std::max(a, b);
  if (storedLo >= format.minStored && storedHi <= format.maxStored) return rescale;
  changed = true;
  if (storedHi - storedLo <= format.maxStored - format.minStored) {
    const double shift = std::clamp(0.0, storedHi - format.maxStored, storedLo - format.minStored);
    rescale.intercept += shift * rescale.slope;
  } else {
    rescale.slope = (hi - lo) / (format.maxStored - format.minStored);
    rescale.intercept = lo - format.minStored * rescale.slope;
  }
  // What the file will say, read back: the stored values must match the written text.
  rescale.slope = std::strtod(decimalString(rescale.slope).c_str(), nullptr);
  rescale.intercept = std::strtod(decimalString(rescale.intercept).c_str(), nullptr);
  return rescale;
}

EncodedSlice encodeSlice(const float* values, std::size_t count, const StoredFormat& format, Rescale rescale) {
  EncodedSlice out;
  double lo = values[0], hi = values[0];
  for (std::size_t i = 0; i < count; ++i) lo = std::min<double>(lo, values[i]), hi = std::max<double>(hi, values[i]);
  out.rescale = fitRescale(rescale, lo, hi, format, out.rescaled);
  if (format.bitsAllocated == 16) out.words.resize(count); else out.bytes.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    double stored = std::round((values[i] - out.rescale.intercept) / out.rescale.slope);
    if (stored < format.minStored || stored > format.maxStored) {
      ++out.clamped;
      stored = std::clamp(stored, format.minStored, format.maxStored);
    }
    // Signed values are written in two's complement, sign-extended over the
    // whole word (readers mask to Bits Stored).
    const long long v = static_cast<long long>(stored);
    if (format.bitsAllocated == 16) out.words[i] = static_cast<Uint16>(static_cast<std::uint64_t>(v) & 0xFFFF);
    else out.bytes[i] = static_cast<Uint8>(static_cast<std::uint64_t>(v) & 0xFF);
  }
  return out;
}

// [SECTION] One derived file

struct SeriesConstants {
  std::string seriesInstanceUid, seriesNumber, date, time, dateTime;
};

Result<EncodedSlice> writeSlice(const Volume& source, const std::vector<float>& restored, int z,
                                const DerivedSeriesDescription& description, const SeriesConstants& series,
                                DicomFile& out) {
  const std::string& fileName = source.sliceFiles[z];
  auto fail = [&](const std::string& message) { return Error{fileName, message}; };
  const DicomHeader& header = source.sliceHeaders[z];
  if (!header || header->empty()) {
    return fail("this slice has no source DICOM header to derive a file from (was it loaded from DICOM?)");
  }

  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  DcmInputBufferStream stream;
  stream.setBuffer(header->data(), static_cast<offile_off_t>(header->size()));
  stream.setEos();
  ds.transferInit();
  OFCondition status = ds.read(stream, EXS_LittleEndianExplicit, EGL_noChange, DCM_MaxReadLength);
  ds.transferEnd();
  if (status.bad()) return fail(std::string("the kept source header cannot be read: ") + status.text());

  // The header must be this slice's, in a form the writer can encode.
  if (stringValue(ds, DCM_SOPInstanceUID) != source.sliceSopInstanceUids[z]) {
    return fail("the kept source header belongs to another image (SOP Instance UID differs)");
  }
  Sint32 frames = 1;
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames > 1) {
    return fail("exporting a restored multi-frame series is not supported yet (file " + fileName + ")");
  }
  if (ds.tagExists(DCM_ModalityLUTSequence)) {
    return fail("a source with a Modality LUT Sequence cannot be exported as a restored series yet");
  }
  Uint16 rows = 0, columns = 0, samples = 1, pixelRepresentation = 0;
  StoredFormat format;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, columns);
  ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
  ds.findAndGetUint16(DCM_BitsAllocated, format.bitsAllocated);
  ds.findAndGetUint16(DCM_BitsStored, format.bitsStored);
  ds.findAndGetUint16(DCM_PixelRepresentation, pixelRepresentation);
  if (rows != source.geometry.rows || columns != source.geometry.columns) {
    return fail("the source header says " + std::to_string(columns) + "x" + std::to_string(rows) +
                ", the series is " + std::to_string(source.geometry.columns) + "x" +
                std::to_string(source.geometry.rows));
  }
  if (samples != 1) return fail("only greyscale (one sample per pixel) sources can be exported as a restored series");
  if (format.bitsAllocated != 8 && format.bitsAllocated != 16) {
    return fail("Bits Allocated " + std::to_string(format.bitsAllocated) +
                " is not supported by the restored-series export yet (8 and 16 are)");
  }
  if (format.bitsStored == 0 || format.bitsStored > format.bitsAllocated) format.bitsStored = format.bitsAllocated;
  format.isSigned = pixelRepresentation == 1;
  format.minStored = format.isSigned ? -std::ldexp(1.0, format.bitsStored - 1) : 0.0;
  format.maxStored = format.isSigned ? std::ldexp(1.0, format.bitsStored - 1) - 1 : std::ldexp(1.0, format.bitsStored) - 1;

  Rescale rescale;
  Float64 value = 0;
  if (ds.findAndGetFloat64(DCM_RescaleSlope, value).good() && value != 0) rescale.slope = value, rescale.present = true;
  if (ds.findAndGetFloat64(DCM_RescaleIntercept, value).good()) rescale.intercept = value, rescale.present = true;

  const std::size_t plane = source.sliceSize();
  const float* values = restored.data() + plane * static_cast<std::size_t>(z);
  for (std::size_t i = 0; i < plane; ++i) {
    if (!std::isfinite(values[i])) {
      return fail("the restored values of slice " + std::to_string(z + 1) + " include NaN or infinity");
    }
  }
  EncodedSlice encoded = encodeSlice(values, plane, format, rescale);

  // Character set: the en dash needs UTF-8, which is a superset of ASCII.
  const std::string charset = trimmed(stringValue(ds, DCM_SpecificCharacterSet));
  const bool utf8 = charset.empty() || charset == "ISO_IR 6" || charset == "ISO_IR 192" || charset == "ISO 2022 IR 6";
  if (utf8) ds.putAndInsertOFStringArray(DCM_SpecificCharacterSet, "ISO_IR 192");
  auto text = [&](const std::string& s, std::size_t maxBytes) {
    return truncatedUtf8(utf8 ? s : asciiOnly(s), maxBytes);
  };

  // Identity: a new series and instance in the same study and frame of reference.
  const std::string sopInstanceUid = newUid(SITE_INSTANCE_UID_ROOT);
  ds.putAndInsertOFStringArray(DCM_SOPInstanceUID, sopInstanceUid.c_str());
  ds.putAndInsertOFStringArray(DCM_SeriesInstanceUID, series.seriesInstanceUid.c_str());
  ds.putAndInsertOFStringArray(DCM_SeriesNumber, series.seriesNumber.c_str());
  ds.putAndInsertOFStringArray(DCM_SeriesDescription,
                               utf8 ? kRestoredSeriesDescription : kRestoredSeriesDescriptionAscii);
  ds.putAndInsertOFStringArray(DCM_InstanceCreationDate, series.date.c_str());
  ds.putAndInsertOFStringArray(DCM_InstanceCreationTime, series.time.c_str());
  ds.putAndInsertOFStringArray(DCM_SeriesDate, series.date.c_str());
  ds.putAndInsertOFStringArray(DCM_SeriesTime, series.time.c_str());
  ds.putAndInsertOFStringArray(DCM_ContentDate, series.date.c_str());
  ds.putAndInsertOFStringArray(DCM_ContentTime, series.time.c_str());
  ds.findAndDeleteElement(DCM_InstanceCreatorUID);

  // Derivation: ImageType, description, code, and the source image.
  std::string imageType = "DERIVED\\SECONDARY";
  OFString typeValue;
  for (unsigned long i = 2; ds.findAndGetOFString(DCM_ImageType, typeValue, i).good(); ++i) {
    imageType += "\\" + std::string(typeValue.c_str());
  }
  ds.putAndInsertOFStringArray(DCM_ImageType, imageType.c_str());
  ds.putAndInsertOFStringArray(DCM_DerivationDescription, text(description.derivationDescription, 1024).c_str());
  ds.findAndDeleteElement(DCM_DerivationCodeSequence);
  DcmItem* item = nullptr;
  if (ds.findOrCreateSequenceItem(DCM_DerivationCodeSequence, item, 0).good()) putCode(*item, description.derivationCode);
  ds.findAndDeleteElement(DCM_SourceImageSequence);
  if (ds.findOrCreateSequenceItem(DCM_SourceImageSequence, item, 0).good()) {
    item->putAndInsertOFStringArray(DCM_ReferencedSOPClassUID, source.sliceSopClassUids[z].c_str());
    item->putAndInsertOFStringArray(DCM_ReferencedSOPInstanceUID, source.sliceSopInstanceUids[z].c_str());
    DcmItem* purpose = nullptr;
    if (item->findOrCreateSequenceItem(DCM_PurposeOfReferenceCodeSequence, purpose, 0).good()) {
      putCode(*purpose, {"121322", "DCM", "Source image for image processing operation"});
    }
    item->putAndInsertOFStringArray(DCM_SpatialLocationsPreserved, "YES");
  }
  // LocalSeg as the equipment that processed the images (SOP Common module).
  if (ds.findOrCreateSequenceItem(DCM_ContributingEquipmentSequence, item, -2).good()) {
    DcmItem* purpose = nullptr;
    if (item->findOrCreateSequenceItem(DCM_PurposeOfReferenceCodeSequence, purpose, 0).good()) {
      putCode(*purpose, {"109102", "DCM", "Processing Equipment"});
    }
    item->putAndInsertOFStringArray(DCM_Manufacturer, "LocalSeg");
    item->putAndInsertOFStringArray(DCM_ManufacturerModelName, "LocalSeg");
    item->putAndInsertOFStringArray(DCM_SoftwareVersions, description.softwareVersion.c_str());
    item->putAndInsertOFStringArray(DCM_ContributionDateTime, series.dateTime.c_str());
    const std::string what = description.methodName.empty() ? std::string("Restoration preview")
                                                            : "Restoration preview: " + description.methodName;
    item->putAndInsertOFStringArray(DCM_ContributionDescription, text(what, 1024).c_str());
  }
  ds.putAndInsertOFStringArray(DCM_BurnedInAnnotation, "NO");

  // Pixels: the source's stored representation, uncompressed. Statistics and
  // padding of the source pixels no longer describe the restored ones.
  for (const DcmTagKey& tag : {DCM_SmallestImagePixelValue, DCM_LargestImagePixelValue,
                               DCM_SmallestPixelValueInSeries, DCM_LargestPixelValueInSeries,
                               DCM_PixelPaddingValue, DCM_PixelPaddingRangeLimit}) {
    ds.findAndDeleteElement(tag);
  }
  ds.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(format.bitsStored - 1));
  if (encoded.rescaled) {
    ds.putAndInsertOFStringArray(DCM_RescaleSlope, decimalString(encoded.rescale.slope).c_str());
    ds.putAndInsertOFStringArray(DCM_RescaleIntercept, decimalString(encoded.rescale.intercept).c_str());
  }
  status = format.bitsAllocated == 16
               ? ds.putAndInsertUint16Array(DCM_PixelData, encoded.words.data(), static_cast<unsigned long>(plane))
               : ds.putAndInsertUint8Array(DCM_PixelData, encoded.bytes.data(), static_cast<unsigned long>(plane));
  if (status.bad()) return fail(std::string("cannot store the restored pixels: ") + status.text());

  out.bytes = dicomFileBytes(file);
  if (out.bytes.empty()) return fail("cannot encode the derived file");
  char name[32];
  std::snprintf(name, sizeof name, "IM%04d.dcm", z + 1);
  out.name = name;
  encoded.words.clear();
  encoded.bytes.clear();
  return encoded;
}

}  // namespace

// [SECTION] The series

Result<DerivedSeries> writeDerivedSeries(const Volume& source, const std::vector<float>& restoredVoxels,
                                         const DerivedSeriesDescription& description) {
  const int slices = source.geometry.slices;
  const std::string firstFile = source.sliceFiles.empty() ? std::string() : source.sliceFiles.front();
  if (slices <= 0) return Error{firstFile, "nothing to export: the series has no slices"};
  if (restoredVoxels.size() != source.voxels.size() ||
      restoredVoxels.size() != source.sliceSize() * static_cast<std::size_t>(slices)) {
    return Error{firstFile, "the restored voxels (" + std::to_string(restoredVoxels.size()) +
                                ") do not match the series' voxel count (" +
                                std::to_string(source.sliceSize() * static_cast<std::size_t>(slices)) +
                                "): the restoration is of another series or size"};
  }
  const auto count = static_cast<std::size_t>(slices);
  if (source.sliceFiles.size() != count || source.sliceSopClassUids.size() != count ||
      source.sliceSopInstanceUids.size() != count || source.sliceHeaders.size() != count) {
    return Error{firstFile, "the series has no source DICOM headers for its slices (it was not loaded from "
                            "DICOM files), so no derived DICOM series can be written"};
  }
  // Several slices from one SOP instance: frames of a multi-frame file.
  std::set<std::string> seen;
  for (std::size_t z = 0; z < count; ++z) {
    if (!seen.insert(source.sliceSopInstanceUids[z]).second) {
      return Error{source.sliceFiles[z], "exporting a restored multi-frame series is not supported yet (file " +
                                             source.sliceFiles[z] + ")"};
    }
  }

  SeriesConstants series;
  series.seriesInstanceUid = newUid(SITE_SERIES_UID_ROOT);
  {
    // SeriesNumber: the source's + 1000, so viewers list the two apart.
    DcmFileFormat first;
    DcmInputBufferStream stream;
    long long number = 0;
    if (source.sliceHeaders[0]) {
      stream.setBuffer(source.sliceHeaders[0]->data(), static_cast<offile_off_t>(source.sliceHeaders[0]->size()));
      stream.setEos();
      first.getDataset()->transferInit();
      first.getDataset()->read(stream, EXS_LittleEndianExplicit, EGL_noChange, DCM_MaxReadLength);
      first.getDataset()->transferEnd();
      Sint32 n = 0;
      if (first.getDataset()->findAndGetSint32(DCM_SeriesNumber, n).good()) number = n;
    }
    series.seriesNumber = std::to_string(number + 1000);
  }
  OFString date, time, dateTime;
  DcmDate::getCurrentDate(date);
  DcmTime::getCurrentTime(time);
  DcmDateTime::getCurrentDateTime(dateTime);
  series.date = date.c_str();
  series.time = time.c_str();
  series.dateTime = dateTime.c_str();

  DerivedSeries out;
  out.seriesInstanceUid = series.seriesInstanceUid;
  out.files.resize(count);
  for (int z = 0; z < slices; ++z) {
    auto written = writeSlice(source, restoredVoxels, z, description, series, out.files[z]);
    if (!written.ok()) return written.error();
    out.clampedVoxels += written.value().clamped;
    out.rescaledSlices += written.value().rescaled ? 1 : 0;
  }
  return out;
}

}  // namespace ls
