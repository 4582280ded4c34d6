# Provides localseg_json (nlohmann-json, header-only, from Debian),
# localseg_openjpeg (JPEG 2000) and localseg_dcmtk (DCMTK with its JPEG, JPEG-LS and RLE decoders) for
# the native and the WebAssembly build.
add_library(localseg_dcmtk INTERFACE)
add_library(localseg_openjpeg INTERFACE)

if(EMSCRIPTEN)
  if(NOT LOCALSEG_WASM_DEPS OR NOT EXISTS "${LOCALSEG_WASM_DEPS}")
    message(FATAL_ERROR "LOCALSEG_WASM_DEPS must name the file written by "
                        "scripts/build-wasm-deps.sh (run `make` rather than cmake directly)")
  endif()
  include("${LOCALSEG_WASM_DEPS}")
  set(dcmtk_lib "${LOCALSEG_DCMTK_PREFIX}/lib")
  target_include_directories(localseg_dcmtk INTERFACE "${LOCALSEG_DCMTK_PREFIX}/include")
  # Static libraries in link order: users before what they use.
  target_link_libraries(localseg_dcmtk INTERFACE
    ${dcmtk_lib}/libdcmjpls.a ${dcmtk_lib}/libdcmtkcharls.a
    ${dcmtk_lib}/libdcmjpeg.a ${dcmtk_lib}/libijg8.a ${dcmtk_lib}/libijg12.a ${dcmtk_lib}/libijg16.a
    ${dcmtk_lib}/libdcmseg.a ${dcmtk_lib}/libdcmfg.a ${dcmtk_lib}/libdcmiod.a
    ${dcmtk_lib}/libdcmimage.a ${dcmtk_lib}/libdcmimgle.a ${dcmtk_lib}/libdcmdata.a
    ${dcmtk_lib}/liboflog.a ${dcmtk_lib}/libofstd.a
    "${LOCALSEG_ZLIB_PREFIX}/lib/libz.a")
  target_include_directories(localseg_openjpeg INTERFACE "${LOCALSEG_OPENJPEG_PREFIX}/include/openjpeg-2.5")
  target_link_libraries(localseg_openjpeg INTERFACE "${LOCALSEG_OPENJPEG_PREFIX}/lib/libopenjp2.a")
else()
  find_package(DCMTK REQUIRED CONFIG)
  target_link_libraries(localseg_dcmtk INTERFACE DCMTK::dcmseg DCMTK::dcmfg DCMTK::dcmiod DCMTK::dcmjpls
                                                 DCMTK::dcmjpeg DCMTK::dcmimage DCMTK::dcmimgle DCMTK::dcmdata)
  find_path(OPENJPEG_INCLUDE_DIR openjpeg.h PATH_SUFFIXES openjpeg-2.5 REQUIRED)
  find_library(OPENJPEG_LIBRARY openjp2 REQUIRED)
  target_include_directories(localseg_openjpeg INTERFACE ${OPENJPEG_INCLUDE_DIR})
  target_link_libraries(localseg_openjpeg INTERFACE ${OPENJPEG_LIBRARY})
endif()

# nlohmann-json: copied into the build tree, because adding /usr/include itself
# would pull the host's libc headers into the Emscripten build.
find_path(NLOHMANN_JSON_DIR nlohmann/json.hpp PATHS /usr/include REQUIRED NO_CMAKE_FIND_ROOT_PATH)
file(COPY ${NLOHMANN_JSON_DIR}/nlohmann DESTINATION ${CMAKE_BINARY_DIR}/third_party/include)
add_library(localseg_json INTERFACE)
target_include_directories(localseg_json SYSTEM INTERFACE ${CMAKE_BINARY_DIR}/third_party/include)
