// Patient orientation letters for directions in DICOM's LPS axes, as viewers
// print them on the edges of a view: L/R, P/A, S/I. Oblique directions get
// up to three letters, the strongest first (e.g. "AS"), as in OHIF and Horos.
#pragma once

#include <string>

#include "core/vec3.h"

namespace ls {

std::string orientationLetters(Vec3 direction);

}  // namespace ls
