// gzip (RFC 1952) framing over zlib's deflate/inflate, for .nii.gz files:
// zlib's windowBits 31 (15 + 16) selects the gzip header and CRC-32 trailer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace ls {

// True when `bytes` starts with the gzip magic (1f 8b).
bool isGzip(const std::vector<std::uint8_t>& bytes);

// One gzip member holding `size` bytes of `data`.
std::vector<std::uint8_t> gzipCompress(const std::uint8_t* data, std::size_t size, int level = 6);

// The concatenated content of every gzip member in `bytes`. Corrupt or cut
// data, or output beyond `maxSize` bytes (a decompression bomb), is an error
// naming `fileName`.
Result<std::vector<std::uint8_t>> gzipDecompress(const std::vector<std::uint8_t>& bytes, const std::string& fileName,
                                                 std::size_t maxSize = std::size_t(2) << 30);

}  // namespace ls
