# The browser application: Dear ImGui (from the Debian source package, built
# into the cache by scripts/build-wasm-deps.sh), the render/ui/platform
# targets, and dist/: the page, its scripts, the wasm and the demo data.

add_library(localseg_imgui STATIC
  ${LOCALSEG_IMGUI_DIR}/imgui.cpp ${LOCALSEG_IMGUI_DIR}/imgui_draw.cpp
  ${LOCALSEG_IMGUI_DIR}/imgui_tables.cpp ${LOCALSEG_IMGUI_DIR}/imgui_widgets.cpp
  ${LOCALSEG_IMGUI_DIR}/backends/imgui_impl_glfw.cpp
  ${LOCALSEG_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(localseg_imgui SYSTEM PUBLIC ${LOCALSEG_IMGUI_DIR} ${LOCALSEG_IMGUI_DIR}/backends)
target_compile_options(localseg_imgui PRIVATE -w)
target_compile_definitions(localseg_imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
# The backend's state queries that stall the page (src/platform/web/imgui_gl_queries.cpp).
target_sources(localseg_imgui PRIVATE ${PROJECT_SOURCE_DIR}/src/platform/web/imgui_gl_queries.cpp)
set_source_files_properties(${LOCALSEG_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp PROPERTIES
  COMPILE_DEFINITIONS glGetIntegerv=ls_imgui_glGetIntegerv)

# Shaders are embedded at build time (shaders/ stays the single source).
file(READ ${PROJECT_SOURCE_DIR}/shaders/slice.vert SLICE_VERT)
file(READ ${PROJECT_SOURCE_DIR}/shaders/slice.frag SLICE_FRAG)
file(READ ${PROJECT_SOURCE_DIR}/shaders/overlay.frag OVERLAY_FRAG)
file(READ ${PROJECT_SOURCE_DIR}/shaders/colour.frag COLOUR_FRAG)
configure_file(${PROJECT_SOURCE_DIR}/src/render/shaders_embedded.h.in
               ${CMAKE_BINARY_DIR}/generated/render/shaders_embedded.h @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/shaders/slice.vert ${PROJECT_SOURCE_DIR}/shaders/slice.frag
             ${PROJECT_SOURCE_DIR}/shaders/overlay.frag ${PROJECT_SOURCE_DIR}/shaders/colour.frag)

localseg_library(localseg_render SOURCES src/render/slice_renderer.cpp src/render/thumbnail_textures.cpp
  DEPENDS localseg_app)
target_include_directories(localseg_render PRIVATE ${CMAKE_BINARY_DIR}/generated)
localseg_library(localseg_ui SOURCES src/ui/panels.cpp src/ui/view_panel.cpp src/ui/shortcuts_panel.cpp src/ui/segments_panel.cpp src/ui/restoration_panel.cpp src/ui/session_panel.cpp
  DEPENDS localseg_app localseg_imgui)

set(LOCALSEG_FONT /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf)
set(DIST_DIR ${CMAKE_BINARY_DIR}/dist)
add_executable(localseg src/platform/web/main.cpp src/platform/web/web_bridge.cpp
                        src/platform/web/web_inference.cpp src/platform/web/web_input.cpp
                        src/platform/web/web_denoiser.cpp src/platform/web/web_exports.cpp
                        src/platform/web/web_shortcuts.cpp)
target_link_libraries(localseg PRIVATE localseg_render localseg_ui localseg_app localseg_imgui)
target_link_options(localseg PRIVATE
  -sUSE_GLFW=3 -sUSE_WEBGL2=1 -sFULL_ES3=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sENVIRONMENT=web,worker -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB -sMAXIMUM_MEMORY=4GB
  # The decode threads (src/app/decode_workers.h: at most 3), started with the
  # page so that creating them never waits for the page's event loop.
  -sPTHREAD_POOL_SIZE=3
  -sDYNAMIC_EXECUTION=0  # the page's CSP forbids eval
  -sEXPORTED_FUNCTIONS=_main,_malloc,_free
  -sEXPORTED_RUNTIME_METHODS=ccall,UTF8ToString,HEAPF32,HEAPU8
  --embed-file ${LOCALSEG_FONT}@/fonts/DejaVuSans.ttf)
set_target_properties(localseg PROPERTIES SUFFIX ".js" RUNTIME_OUTPUT_DIRECTORY ${DIST_DIR})

# Page, scripts and demo data next to the wasm: dist/ is what the server serves.
# ONNX Runtime Web (npm, pinned): only the entry points the page uses and the
# one .wasm each loads, served from the page's own origin.
set(ORT_DIST ${PROJECT_SOURCE_DIR}/node_modules/onnxruntime-web/dist)
set(ORT_FILES
  ort.wasm.min.mjs ort-wasm-simd-threaded.mjs ort-wasm-simd-threaded.wasm        # WASM
  ort.jspi.min.mjs ort-wasm-simd-threaded.jspi.mjs ort-wasm-simd-threaded.jspi.wasm  # WebGPU (JSPI)
  ort.webgpu.min.mjs ort-wasm-simd-threaded.asyncify.mjs ort-wasm-simd-threaded.asyncify.wasm)  # WebGPU
list(TRANSFORM ORT_FILES PREPEND ${ORT_DIST}/)
add_custom_target(localseg_dist ALL
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/web/page ${DIST_DIR}
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/public ${DIST_DIR}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${DIST_DIR}/ort ${DIST_DIR}/models/fixture ${DIST_DIR}/models/builtin
          ${DIST_DIR}/models/denoise-ct ${DIST_DIR}/models/denoise-mr
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${ORT_FILES} ${DIST_DIR}/ort
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/tests/fixtures/sam-fixture
          ${DIST_DIR}/models/fixture
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/models/builtin ${DIST_DIR}/models/builtin
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/models/denoise-ct ${DIST_DIR}/models/denoise-ct
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/models/denoise-mr ${DIST_DIR}/models/denoise-mr
  COMMENT "Copying web/page and public/ into dist/")
add_dependencies(localseg_dist localseg)
