// Reading manifest fields with errors that name the field: shared by the
// segmentation and denoiser manifest parsers. Throws ManifestError, which
// the parsers turn into a Result error naming the file.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace ls::json_fields {

struct ManifestError {
  std::string message;
};

template <typename T>
T field(const nlohmann::json& object, const char* name, const std::string& path) {
  if (!object.contains(name)) throw ManifestError{"missing field \"" + path + name + "\""};
  try {
    return object.at(name).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ManifestError{"field \"" + path + name + "\" has the wrong type"};
  }
}

template <typename T>
T optionalField(const nlohmann::json& object, const char* name, const std::string& path, T fallback) {
  return object.contains(name) ? field<T>(object, name, path) : fallback;
}

inline void require(bool condition, const std::string& message) {
  if (!condition) throw ManifestError{message};
}

// Parses `text` as JSON and hands it to `parse` (which throws ManifestError);
// errors name the file, and `kind` ("model manifest") says what it should be.
template <typename T, typename Parse>
Result<T> parseManifestText(const std::string& text, const std::string& fileName, const std::string& kind,
                            Parse parse) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Error{fileName, std::string("not valid JSON: ") + e.what()};
  }
  try {
    return parse(root);
  } catch (const ManifestError& e) {
    return Error{fileName, kind + ": " + e.message};
  }
}

}  // namespace ls::json_fields
