#include "dicom/dataset_values.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <cmath>

namespace ls {

std::string stringValue(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).good()) return value.c_str();
  return {};
}

std::vector<double> finiteDoubles(DcmItem& item, const DcmTagKey& tag) {
  std::vector<double> values;
  Float64 v;
  for (unsigned long i = 0; item.findAndGetFloat64(tag, v, i).good(); ++i) {
    if (!std::isfinite(v)) return {};
    values.push_back(v);
  }
  return values;
}

DcmItem* firstItem(DcmItem* item, const DcmTagKey& sequence) {
  DcmItem* first = nullptr;
  if (item == nullptr || item->findAndGetSequenceItem(sequence, first, 0).bad()) return nullptr;
  return first;
}

}  // namespace ls
