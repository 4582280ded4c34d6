// FakeBackend: an InferenceBackend for tests that records requests; the test
// answers them (or not) when it chooses, like the real asynchronous one.
#pragma once

#include <vector>

#include "ml/inference_backend.h"

namespace ls {

class FakeBackend : public InferenceBackend {
 public:
  void encode(EncodeRequest request) override { encodes.push_back(std::move(request)); }
  void decode(DecodeRequest request) override { decodes.push_back(std::move(request)); }

  std::vector<EncodeRequest> encodes;
  std::vector<DecodeRequest> decodes;
};

}  // namespace ls
