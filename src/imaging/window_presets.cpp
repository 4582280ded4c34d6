#include "imaging/window_presets.h"

namespace ls {

std::vector<WindowLevel> modalityPresets(const std::string& modality) {
  if (modality != "CT") return {};  // MR and others: the file's and the automatic window
  return {
      {40, 80, "CT brain"},        {75, 215, "CT subdural"}, {40, 40, "CT stroke"},
      {-600, 1500, "CT lung"},     {50, 350, "CT mediastinum"}, {50, 400, "CT abdomen"},
      {30, 150, "CT liver"},       {400, 1800, "CT bone"},
  };
}

}  // namespace ls
