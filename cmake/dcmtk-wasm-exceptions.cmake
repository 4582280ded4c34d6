# Included by DCMTK's project() in the WebAssembly dependency build
# (scripts/build-wasm-deps.sh, CMAKE_PROJECT_DCMTK_INCLUDE). Emscripten 3.1.6 has
# only JavaScript-based C++ exceptions: in code built with -fexceptions every
# call that may throw goes out to a JavaScript trampoline (invoke_*), about a
# fifth of the page's DICOM parse time. So DCMTK is built without them, and
# only the libraries whose catch blocks matter get them back:
#   - dcmtkcharls: CharLS reports corrupt JPEG-LS data by throwing and
#     catches it at its own C interface (JpegLsDecode), which DCMTK then
#     reports as an error;
#   - dcmimgle, dcmimage: DicomImage catches std::bad_alloc for its pixel
#     buffers and reports the image as unreadable.
# Elsewhere a throw (only operator new running out of memory) aborts.
cmake_language(DEFER CALL localseg_enable_dcmtk_exceptions)
function(localseg_enable_dcmtk_exceptions)
  foreach(target dcmtkcharls dcmimgle dcmimage)
    if(NOT TARGET ${target})
      message(FATAL_ERROR "dcmtk-wasm-exceptions.cmake: no target ${target} in this DCMTK")
    endif()
    target_compile_options(${target} PRIVATE -fexceptions)
  endforeach()
endfunction()
