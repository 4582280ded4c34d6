#include "io/dicom_bytes.h"

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcostrmb.h"

namespace ls {

std::vector<std::uint8_t> dicomFileBytes(DcmFileFormat& file) {
  const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  file.validateMetaInfo(xfer);
  const Uint32 size = file.calcElementLength(xfer, EET_ExplicitLength) + 4096;
  std::vector<std::uint8_t> buffer(size);
  DcmOutputBufferStream stream(buffer.data(), size);
  file.transferInit();
  const OFCondition result = file.write(stream, xfer, EET_ExplicitLength, nullptr);
  file.transferEnd();
  if (result.bad()) return {};
  buffer.resize(static_cast<std::size_t>(stream.tell()));
  return buffer;
}

}  // namespace ls
