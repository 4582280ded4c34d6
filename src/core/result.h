// Result<T>: a value or an error that says what failed and what the user can do.
// Errors carry the file they concern so the UI can list them per file.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ls {

struct Error {
  std::string file;     // the file the error concerns (may be empty)
  std::string message;  // what went wrong, in words a user understands
};

template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}
  Result(Error error) : data_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  T& value() { return std::get<T>(data_); }
  const T& value() const { return std::get<T>(data_); }
  const Error& error() const { return std::get<Error>(data_); }

 private:
  std::variant<T, Error> data_;
};

}  // namespace ls
