#include "platform/web/web_inference.h"

#include <emscripten.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "app/app_state.h"
#include "core/result.h"
#include "ml/manifest.h"
#include "platform/web/web_app.h"

namespace ls {
namespace {

EM_JS(void, jsEncode, (int id, const float* input, int count), {
  LocalSegInference.encode(id, input, count);
});

EM_JS(void, jsDecode,
      (int id, const float* embedding, int embeddingCount, const float* points, const float* labels,
       int pointCount, const float* maskInput, int maskInputCount, int hasMaskInput, int width, int height),
      {
        LocalSegInference.decode(id, {
          embedding : embedding,
          embeddingCount : embeddingCount,
          points : points,
          labels : labels,
          pointCount : pointCount,
          maskInput : maskInput,
          maskInputCount : maskInputCount,
          hasMaskInput : hasMaskInput != 0,
          imageWidth : width,
          imageHeight : height
        });
      });

}  // namespace

// The page copies the inputs before these calls return.
void WebInferenceBackend::encode(EncodeRequest r) {
  jsEncode(r.id, r.input.data(), static_cast<int>(r.input.size()));
}

void WebInferenceBackend::decode(DecodeRequest r) {
  jsDecode(r.id, r.embedding->data(), static_cast<int>(r.embedding->size()), r.pointCoords.data(),
           r.pointLabels.data(), static_cast<int>(r.pointLabels.size()), r.maskInput.data(),
           static_cast<int>(r.maskInput.size()), r.hasMaskInput ? 1 : 0, r.imageWidth, r.imageHeight);
}

}  // namespace ls

extern "C" {

// Results take ownership of the malloc'd buffers the page filled.
EMSCRIPTEN_KEEPALIVE void ls_encode_done(int id, float* data, int count, double milliseconds) {
  ls::requestRedraw();
  ls::EncodeResult r;
  r.id = id;
  r.embedding = std::make_shared<const std::vector<float>>(data, data + count);
  r.milliseconds = milliseconds;
  std::free(data);
  if (auto* session = ls::app().prompts.get()) session->onEncoded(r);
}

EMSCRIPTEN_KEEPALIVE void ls_decode_done(int id, float* masks, int maskCount, float* iou, int iouCount,
                                         double milliseconds) {
  ls::requestRedraw();
  ls::DecodeResult r;
  r.id = id;
  r.lowResMasks.assign(masks, masks + maskCount);
  r.iouPredictions.assign(iou, iou + iouCount);
  r.milliseconds = milliseconds;
  std::free(masks);
  std::free(iou);
  if (auto* session = ls::app().prompts.get()) session->onDecoded(r);
}

EMSCRIPTEN_KEEPALIVE void ls_inference_failed(int id, const char* message) {
  ls::requestRedraw();
  ls::EncodeResult encode;
  encode.id = id;
  encode.error = message;
  ls::DecodeResult decode;
  decode.id = id;
  decode.error = message;
  if (auto* session = ls::app().prompts.get()) {
    session->onEncoded(encode);  // each ignores ids it did not send
    session->onDecoded(decode);
  }
}

EMSCRIPTEN_KEEPALIVE void ls_set_inference_status(const char* text) { ls::app().inferenceStatus = text; }

EMSCRIPTEN_KEEPALIVE void ls_set_backend_preference(const char* kind) { ls::app().backendPreference = kind; }

// 1 when the manifest is usable; otherwise the reason is shown and 0 returned.
EMSCRIPTEN_KEEPALIVE int ls_check_manifest(const char* json) {
  ls::requestRedraw();
  auto parsed = ls::parseManifest(json, "model manifest");
  if (!parsed.ok()) {
    ls::app().modelError = parsed.error().message;
    return 0;
  }
  return 1;
}

EMSCRIPTEN_KEEPALIVE void ls_report_model_error(const char* message) {
  ls::requestRedraw();
  ls::app().modelError = std::string("the model could not be loaded: ") + message;
}

EMSCRIPTEN_KEEPALIVE void ls_set_model(const char* json) {
  ls::requestRedraw();
  auto parsed = ls::parseManifest(json, "model manifest");
  if (!parsed.ok()) return;
  ls::app().modelError.clear();
  if (auto* session = ls::app().prompts.get()) session->setModel(parsed.value());
}

}  // extern "C"
