# Emscripten 3.1.6 from Debian: the optimiser needs Debian's node modules (acorn).
set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)
set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)
set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)

# Only nlohmann and fmt headers are exposed: adding /usr/include would pull in glibc's.
set(CP_WASM_INCLUDE ${CMAKE_BINARY_DIR}/wasm_include)
file(MAKE_DIRECTORY ${CP_WASM_INCLUDE})
foreach(dir nlohmann fmt)
  if(NOT EXISTS ${CP_WASM_INCLUDE}/${dir})
    file(CREATE_LINK /usr/include/${dir} ${CP_WASM_INCLUDE}/${dir} SYMBOLIC)
  endif()
endforeach()

include(cmake/shared_core.cmake)
target_include_directories(cp_shared SYSTEM PUBLIC ${CP_WASM_INCLUDE})
# fmt is used header-only in Wasm (no libfmt.a for wasm32 in Debian).
target_compile_definitions(cp_shared PUBLIC FMT_HEADER_ONLY=1)

# --- core CLI under node (the Wasm half of the JSON-lines contract) -----------------------
if(EXISTS ${PROJECT_SOURCE_DIR}/tools/core-cli/main.cpp)
  add_executable(core_cli_wasm ${PROJECT_SOURCE_DIR}/tools/core-cli/main.cpp
  ${PROJECT_SOURCE_DIR}/server/util/zoneinfo.cpp)
  target_link_libraries(core_cli_wasm PRIVATE cp_shared)
  target_compile_options(core_cli_wasm PRIVATE ${CP_WARNINGS})
  target_link_options(core_cli_wasm PRIVATE -sENVIRONMENT=node -sNODERAWFS=1
    -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1)
  set_target_properties(core_cli_wasm PROPERTIES SUFFIX ".js")
endif()

# --- portal --------------------------------------------------------------------------------
if(EXISTS ${CP_IMGUI_DIR}/imgui.cpp)
  include(cmake/portal.cmake)
else()
  message(WARNING "ImGui sources missing in ${CP_IMGUI_DIR}: run scripts/setup")
endif()

# --- BEGIN core-owned block: Wasm benchmark of the domain core ------------------------------
# The invoice-totals workload of bench/invoice_totals_bench.cpp with a small timing main
# (Google Benchmark is not built for wasm32); bench/run-invoice-totals runs it under node.
add_executable(invoice_totals_bench_wasm ${PROJECT_SOURCE_DIR}/bench/wasm/invoice_totals_wasm_main.cpp)
target_link_libraries(invoice_totals_bench_wasm PRIVATE cp_shared)
target_compile_options(invoice_totals_bench_wasm PRIVATE ${CP_WARNINGS})
target_link_options(invoice_totals_bench_wasm PRIVATE -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0
  -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1)
set_target_properties(invoice_totals_bench_wasm PROPERTIES SUFFIX ".js")
# --- END core-owned block -------------------------------------------------------------------
