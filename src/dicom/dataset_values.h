// Reading attribute values out of a DCMTK dataset item: the few accessors
// the decoder, the functional-group reader and the SEG/derived-series code
// all need, in one place so they agree on what a missing or bad value is.
#pragma once

#include <string>
#include <vector>

class DcmItem;
class DcmTagKey;

namespace ls {

// All values of a multi-valued string attribute joined by '\', or "" when absent.
std::string stringValue(DcmItem& item, const DcmTagKey& tag);

// All values of a numeric attribute (DS, FD, ...), or none when it is absent
// or one of them is not a finite number (a NaN spacing or position is no value).
std::vector<double> finiteDoubles(DcmItem& item, const DcmTagKey& tag);

// The first item of `sequence` (e.g. a functional group's macro), or null.
DcmItem* firstItem(DcmItem* item, const DcmTagKey& sequence);

}  // namespace ls
