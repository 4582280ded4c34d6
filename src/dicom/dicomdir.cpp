#include "dicom/dicomdir.h"

#include "dicom/allocation_cap.h"
#include "dicom/length_check.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <cstring>

namespace ls {

Result<DicomDirListing> readDicomDir(const std::string& fileName, const std::uint8_t* data, std::size_t size) {
  if (size < 132 || std::memcmp(data + 128, "DICM", 4) != 0) return Error{fileName, "not a DICOMDIR"};
  if (std::string lie = findLyingLength(data, size); !lie.empty()) return Error{fileName, "corrupt DICOMDIR: " + lie};
  DcmInputBufferStream stream;
  stream.setBuffer(data, static_cast<offile_off_t>(size));
  stream.setEos();
  DcmFileFormat file;
  OFCondition status;
  {
    ScopedAllocationCap cap(size + (16u << 20));  // see decodeDicom
    file.transferInit();
    status = file.read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
    file.transferEnd();
  }
  if (status.bad()) return Error{fileName, std::string("unreadable DICOMDIR: ") + status.text()};
  DcmSequenceOfItems* records = nullptr;
  if (file.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || records == nullptr) {
    return Error{fileName, "not a DICOMDIR"};
  }
  DicomDirListing listing;
  for (unsigned long i = 0; i < records->card(); ++i) {
    DcmItem* record = records->getItem(i);
    OFString type, component;
    record->findAndGetOFString(DCM_DirectoryRecordType, type);
    if (type == "PATIENT") ++listing.patients;
    else if (type == "STUDY") ++listing.studies;
    else if (type == "SERIES") ++listing.series;
    else if (type == "IMAGE") ++listing.images;
    std::string path;
    for (unsigned long c = 0; record->findAndGetOFString(DCM_ReferencedFileID, component, c).good(); ++c) {
      path += (c ? "/" : "") + std::string(component.c_str());
    }
    if (!path.empty()) listing.files.push_back(path);
  }
  return listing;
}

}  // namespace ls
