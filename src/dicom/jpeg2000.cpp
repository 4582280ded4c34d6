#include "dicom/jpeg2000.h"

#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace ls {
namespace {

// An OpenJPEG input stream over a buffer in memory.
struct MemoryStream {
  const std::uint8_t* data;
  std::size_t size, offset = 0;
};

OPJ_SIZE_T readStream(void* buffer, OPJ_SIZE_T count, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (s->offset >= s->size) return static_cast<OPJ_SIZE_T>(-1);
  const std::size_t n = std::min<std::size_t>(count, s->size - s->offset);
  std::memcpy(buffer, s->data + s->offset, n);
  s->offset += n;
  return n;
}

OPJ_OFF_T skipStream(OPJ_OFF_T count, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  const auto target = std::clamp<OPJ_OFF_T>(static_cast<OPJ_OFF_T>(s->offset) + count, 0,
                                             static_cast<OPJ_OFF_T>(s->size));
  const OPJ_OFF_T skipped = target - static_cast<OPJ_OFF_T>(s->offset);
  s->offset = static_cast<std::size_t>(target);
  return skipped;
}

OPJ_BOOL seekStream(OPJ_OFF_T position, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (position < 0 || static_cast<std::size_t>(position) > s->size) return OPJ_FALSE;
  s->offset = static_cast<std::size_t>(position);
  return OPJ_TRUE;
}

struct CodecDeleter {
  void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct StreamDeleter {
  void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};
struct ImageDeleter {
  void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};

}  // namespace

Result<Jpeg2000Image> decodeJpeg2000(const std::uint8_t* data, std::size_t size) {
  static const std::uint8_t kJp2Signature[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20};
  if (size < 12) return Error{"", "JPEG 2000 frame too short"};
  const bool isJp2 = std::memcmp(data, kJp2Signature, sizeof kJp2Signature) == 0;
  if (!isJp2 && !(data[0] == 0xFF && data[1] == 0x4F)) {
    return Error{"", "JPEG 2000 frame does not start with a codestream or JP2 marker"};
  }
  std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_decompress(isJp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K));
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  if (!opj_setup_decoder(codec.get(), &parameters)) return Error{"", "OpenJPEG could not set up a decoder"};

  MemoryStream memory{data, size};
  std::unique_ptr<opj_stream_t, StreamDeleter> stream(opj_stream_create(1 << 16, OPJ_TRUE));
  opj_stream_set_user_data(stream.get(), &memory, nullptr);
  opj_stream_set_user_data_length(stream.get(), size);
  opj_stream_set_read_function(stream.get(), readStream);
  opj_stream_set_skip_function(stream.get(), skipStream);
  opj_stream_set_seek_function(stream.get(), seekStream);

  opj_image_t* raw = nullptr;
  if (!opj_read_header(stream.get(), codec.get(), &raw)) return Error{"", "corrupt JPEG 2000 header"};
  std::unique_ptr<opj_image_t, ImageDeleter> image(raw);
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get())) {
    return Error{"", "corrupt JPEG 2000 data"};
  }
  if (image->numcomps < 1 || image->comps[0].data == nullptr) return Error{"", "JPEG 2000 frame has no samples"};
  const opj_image_comp_t& c = image->comps[0];
  Jpeg2000Image out;
  out.width = static_cast<int>(c.w);
  out.height = static_cast<int>(c.h);
  out.components = static_cast<int>(image->numcomps);
  out.isSigned = c.sgnd != 0;
  out.precision = static_cast<int>(c.prec);
  out.samples.assign(c.data, c.data + static_cast<std::size_t>(c.w) * c.h);
  return out;
}

}  // namespace ls
