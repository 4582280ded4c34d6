#include "platform/web/web_denoiser.h"

#include <emscripten.h>

#include <cstdlib>

#include "app/app_state.h"
#include "platform/web/web_app.h"

namespace ls {
namespace {

EM_JS(void, jsDenoise, (int id, const char* model, const float* image, int count, int width, int height, float sigma), {
  LocalSegRestore.denoise(id, UTF8ToString(model), image, count, width, height, sigma);
});

}  // namespace

// The page copies the image before the call returns.
void WebDenoiserBackend::denoise(DenoiseRequest r) {
  jsDenoise(r.id, r.model.c_str(), r.image.data(), static_cast<int>(r.image.size()), r.width, r.height, r.sigma);
}

}  // namespace ls

extern "C" {

// Takes ownership of the malloc'd buffer the page filled.
EMSCRIPTEN_KEEPALIVE void ls_denoise_done(int id, float* data, int count, double milliseconds) {
  ls::requestRedraw();
  ls::DenoiseResult r;
  r.id = id;
  r.image.assign(data, data + count);
  r.milliseconds = milliseconds;
  std::free(data);
  if (auto* restoration = ls::app().restoration.get()) restoration->onDenoised(r);
}

EMSCRIPTEN_KEEPALIVE void ls_denoise_failed(int id, const char* message) {
  ls::requestRedraw();
  ls::DenoiseResult r;
  r.id = id;
  r.error = message;
  if (auto* restoration = ls::app().restoration.get()) restoration->onDenoised(r);
}

// A shipped denoiser's manifest; a bad one is reported in the messages.
EMSCRIPTEN_KEEPALIVE void ls_add_denoiser(const char* json) {
  ls::requestRedraw();
  auto parsed = ls::parseDenoiserManifest(json, "denoiser manifest");
  auto& state = ls::app();
  if (!parsed.ok()) {
    state.loader.addMessage({ls::LoadMessage::Severity::Warning, parsed.error()});
    return;
  }
  if (state.restoration) state.restoration->addDenoiser(parsed.value());
}

}  // extern "C"
