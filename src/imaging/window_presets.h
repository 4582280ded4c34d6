// Window presets by modality, as radiology workstations offer them. Values
// are (level, width) in Hounsfield units, the common textbook settings.
#pragma once

#include <string>
#include <vector>

#include "core/image_slice.h"

namespace ls {

std::vector<WindowLevel> modalityPresets(const std::string& modality);

}  // namespace ls
