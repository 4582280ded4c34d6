#include "io/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace ls {

namespace {
constexpr int kGzipWindowBits = 15 + 16;  // 32 kB window, gzip framing
// zlib counts in uInt: feed very large buffers in pieces.
constexpr std::size_t kChunk = std::size_t(1) << 30;
}  // namespace

bool isGzip(const std::vector<std::uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::vector<std::uint8_t> gzipCompress(const std::uint8_t* data, std::size_t size, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::vector<std::uint8_t> out(deflateBound(&z, static_cast<uLong>(std::min(size, kChunk))) + 64);
  std::size_t consumed = 0, produced = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (z.avail_in == 0 && consumed < size) {
      const std::size_t piece = std::min(size - consumed, kChunk);
      z.next_in = const_cast<Bytef*>(data + consumed);
      z.avail_in = static_cast<uInt>(piece);
      consumed += piece;
    }
    if (produced == out.size()) out.resize(out.size() * 2);
    z.next_out = out.data() + produced;
    z.avail_out = static_cast<uInt>(std::min(out.size() - produced, kChunk));
    const uInt before = z.avail_out;
    status = deflate(&z, consumed == size ? Z_FINISH : Z_NO_FLUSH);
    produced += before - z.avail_out;
    if (status == Z_STREAM_ERROR) break;
  }
  deflateEnd(&z);
  if (status != Z_STREAM_END) return {};
  out.resize(produced);
  return out;
}

Result<std::vector<std::uint8_t>> gzipDecompress(const std::vector<std::uint8_t>& bytes, const std::string& fileName,
                                                 std::size_t maxSize) {
  if (!isGzip(bytes)) return Error{fileName, fileName + ": not gzip-compressed"};
  z_stream z{};
  if (inflateInit2(&z, kGzipWindowBits) != Z_OK) return Error{fileName, fileName + ": cannot start zlib"};
  std::vector<std::uint8_t> out(std::min<std::size_t>(std::max<std::size_t>(bytes.size() * 4, 4096), maxSize));
  std::size_t consumed = 0, produced = 0;
  std::string failure;
  for (;;) {
    if (z.avail_in == 0 && consumed < bytes.size()) {
      const std::size_t piece = std::min(bytes.size() - consumed, kChunk);
      z.next_in = const_cast<Bytef*>(bytes.data() + consumed);
      z.avail_in = static_cast<uInt>(piece);
      consumed += piece;
    }
    if (produced == out.size()) {
      if (out.size() >= maxSize) {
        failure = "decompresses to more than " + std::to_string(maxSize >> 20) + " MB";
        break;
      }
      out.resize(std::min(out.size() * 2, maxSize));
    }
    z.next_out = out.data() + produced;
    z.avail_out = static_cast<uInt>(std::min(out.size() - produced, kChunk));
    const uInt before = z.avail_out;
    const int status = inflate(&z, Z_NO_FLUSH);
    produced += before - z.avail_out;
    if (status == Z_STREAM_END) {
      // Another member may follow (concatenated .gz files are valid gzip).
      const std::size_t next = consumed - z.avail_in;
      if (next + 2 <= bytes.size() && bytes[next] == 0x1f && bytes[next + 1] == 0x8b) {
        inflateReset(&z);
        continue;
      }
      break;
    }
    if (status == Z_BUF_ERROR && z.avail_in == 0 && consumed == bytes.size()) {
      failure = "the compressed data is cut short (truncated .gz file)";
      break;
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      failure = std::string("corrupt compressed data (") + (z.msg ? z.msg : "zlib error") + ")";
      break;
    }
  }
  inflateEnd(&z);
  if (!failure.empty()) return Error{fileName, fileName + ": " + failure};
  out.resize(produced);
  return out;
}

}  // namespace ls
