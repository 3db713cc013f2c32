find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(prometheus-cpp REQUIRED)
find_package(CURL REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

# AddressSanitizer + UndefinedBehaviorSanitizer for the whole native build (scripts/test
# builds the unit and server suites this way in a second build directory).
option(CP_SANITIZE "Build with ASan and UBSan" OFF)
if(CP_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

include(cmake/shared_core.cmake)
target_link_libraries(cp_shared PUBLIC nlohmann_json::nlohmann_json fmt::fmt)

enable_testing()

# --- server ----------------------------------------------------------------------------
file(GLOB_RECURSE CP_SERVER_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/server/*.cpp)
list(FILTER CP_SERVER_SOURCES EXCLUDE REGEX ".*/server/main\\.cpp$")
add_library(cp_server_lib STATIC ${CP_SERVER_SOURCES})
target_include_directories(cp_server_lib PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(cp_server_lib PRIVATE ${CP_WARNINGS})
# libharu (PDF invoices) ships no CMake or pkg-config file in Debian: found by name.
find_library(HPDF_LIBRARY NAMES hpdf REQUIRED)
find_package(LibArchive REQUIRED)
find_path(HPDF_INCLUDE_DIR hpdf.h REQUIRED)
target_link_libraries(cp_server_lib PUBLIC cp_shared SQLite::SQLite3 PostgreSQL::PostgreSQL
  OpenSSL::SSL OpenSSL::Crypto CURL::libcurl PkgConfig::SODIUM Threads::Threads prometheus-cpp::core ${HPDF_LIBRARY}
  LibArchive::LibArchive)
target_include_directories(cp_server_lib SYSTEM PUBLIC ${HPDF_INCLUDE_DIR})
# The PDF invoices' fonts: DejaVu Sans (fonts-dejavu-core) cut to Windows-1252's characters
# by fontTools (python3-fonttools), so each PDF embeds ~35 KB instead of ~750 KB and
# renders several times faster. The server finds them beside its executable.
set(CP_FONT_SRC /usr/share/fonts/truetype/dejavu)
set(CP_CP1252_UNICODES "U+0020-007E,U+00A0-00FF,U+20AC,U+201A,U+0192,U+201E,U+2026,U+2020,U+2021,U+02C6,U+2030,U+0160,U+2039,U+0152,U+017D,U+2018,U+2019,U+201C,U+201D,U+2022,U+2013,U+2014,U+02DC,U+2122,U+0161,U+203A,U+0153,U+017E,U+0178")
set(CP_INVOICE_FONTS)
foreach(pair "DejaVuSans.ttf:InvoiceSans.ttf" "DejaVuSans-Bold.ttf:InvoiceSans-Bold.ttf")
  string(REPLACE ":" ";" pair_list ${pair})
  list(GET pair_list 0 src)
  list(GET pair_list 1 dst)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/fonts/${dst}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/fonts
    COMMAND pyftsubset ${CP_FONT_SRC}/${src} --unicodes=${CP_CP1252_UNICODES}
            --output-file=${CMAKE_BINARY_DIR}/fonts/${dst} --name-IDs=* --name-languages=* --notdef-outline
            --no-hinting
    DEPENDS ${CP_FONT_SRC}/${src}
    COMMENT "Subsetting ${src} for PDF invoices" VERBATIM)
  list(APPEND CP_INVOICE_FONTS ${CMAKE_BINARY_DIR}/fonts/${dst})
endforeach()
add_custom_target(invoice_fonts ALL DEPENDS ${CP_INVOICE_FONTS})
add_dependencies(cp_server_lib invoice_fonts)
# Error tracking (server/app/error_tracker.cpp): every throw passes through a wrapper that
# records the thrower's stack, which GCC's libbacktrace (shipped with Debian's gcc)
# symbolizes; the build version comes from git at configure time.
target_link_options(cp_server_lib INTERFACE "-Wl,--wrap=__cxa_throw")
target_link_libraries(cp_server_lib PUBLIC backtrace ${CMAKE_DL_LIBS})
execute_process(COMMAND git describe --always --dirty WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE CP_BUILD_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT CP_BUILD_VERSION)
  set(CP_BUILD_VERSION "dev")
endif()
set_source_files_properties(${PROJECT_SOURCE_DIR}/server/app/error_tracker.cpp PROPERTIES
  COMPILE_DEFINITIONS "CP_BUILD_VERSION=\"${CP_BUILD_VERSION}\"" SKIP_PRECOMPILE_HEADERS ON)
# Boost 1.74's Asio needs <utility> before it in C++20; Beast is slow to parse, so precompile.
target_precompile_headers(cp_server_lib PRIVATE ${PROJECT_SOURCE_DIR}/server/http/beast_pch.hpp)

if(EXISTS ${PROJECT_SOURCE_DIR}/server/main.cpp)
  add_executable(cp_server ${PROJECT_SOURCE_DIR}/server/main.cpp)
  target_link_libraries(cp_server PRIVATE cp_server_lib)
  # jemalloc (Debian's libjemalloc-dev): a list answer allocates thousands of small JSON
  # nodes, and glibc's malloc spent ~45 % of the list benchmark's CPU under contention;
  # jemalloc's per-thread arenas took list-50 from ~1,150 to ~2,000 req/s in one run.
  # Not with the sanitizers, which bring their own allocator.
  if(NOT CP_SANITIZE)
    find_library(JEMALLOC_LIBRARY NAMES jemalloc REQUIRED)
    target_link_libraries(cp_server PRIVATE ${JEMALLOC_LIBRARY})
  endif()
  target_compile_options(cp_server PRIVATE ${CP_WARNINGS})
endif()

# --- core CLI (native half of the JSON-lines contract) ------------------------------------
if(EXISTS ${PROJECT_SOURCE_DIR}/tools/core-cli/main.cpp)
  add_executable(core_cli ${PROJECT_SOURCE_DIR}/tools/core-cli/main.cpp
  ${PROJECT_SOURCE_DIR}/server/util/zoneinfo.cpp)
  target_link_libraries(core_cli PRIVATE cp_shared)
  target_compile_options(core_cli PRIVATE ${CP_WARNINGS})
endif()

# --- tests ---------------------------------------------------------------------------------
include(GoogleTest)
file(GLOB CP_UNIT_TEST_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/unit/*.cpp)
if(CP_UNIT_TEST_SOURCES)
  add_executable(unit_tests ${CP_UNIT_TEST_SOURCES})
  target_link_libraries(unit_tests PRIVATE cp_shared GTest::gtest_main GTest::gmock)
  gtest_discover_tests(unit_tests TEST_PREFIX "unit." DISCOVERY_TIMEOUT 60)
endif()

file(GLOB CP_SERVER_TEST_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/server/*.cpp)
if(CP_SERVER_TEST_SOURCES)
  add_executable(server_tests ${CP_SERVER_TEST_SOURCES})
  target_link_libraries(server_tests PRIVATE cp_server_lib GTest::gtest_main GTest::gmock)
  target_precompile_headers(server_tests REUSE_FROM cp_server_lib)
  # The email tests start tests/server/smtp_sink.py (a real SMTP server, python3-aiosmtpd).
  target_compile_definitions(server_tests PRIVATE CP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # Process tests (kill -9 during a package run, two runs at once) start the real binary;
  # CP_SERVER_BINARY in the environment overrides this path.
  if(TARGET cp_server)
    target_compile_definitions(server_tests PRIVATE CP_SERVER_BINARY="$<TARGET_FILE:cp_server>")
    add_dependencies(server_tests cp_server)
  endif()
  # The whole server suite runs once per storage backend.
  gtest_discover_tests(server_tests TEST_PREFIX "server.sqlite." DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "CP_TEST_DATABASE=sqlite")
  gtest_discover_tests(server_tests TEST_PREFIX "server.postgres." DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "CP_TEST_DATABASE=postgresql")
endif()

# --- benchmarks (print figures; never part of ctest) --------------------------------------
file(GLOB CP_BENCH_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/bench/*.cpp)
foreach(src ${CP_BENCH_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE cp_shared benchmark::benchmark)
endforeach()
# The package run and PDF benchmarks drive the server's own code.
foreach(bench pdf_render_bench firm_export_bench)
  if(TARGET ${bench})
    target_link_libraries(${bench} PRIVATE cp_server_lib)
  endif()
endforeach()
if(TARGET package_run_bench)
  target_link_libraries(package_run_bench PRIVATE cp_server_lib)
  target_include_directories(package_run_bench PRIVATE ${PROJECT_SOURCE_DIR})
endif()

# --- Wasm half: the same sources under Emscripten -----------------------------------------
option(CP_BUILD_WASM "Build the Wasm portal and core CLI" ON)
set(CP_WEB_DIR ${CMAKE_BINARY_DIR}/web)
if(CP_BUILD_WASM)
  include(ExternalProject)
  ExternalProject_Add(wasm
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/wasm
    CMAKE_ARGS
      -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake
      -DCMAKE_BUILD_TYPE=Release
      -DCP_WEB_DIR=${CP_WEB_DIR}
      -DCP_IMGUI_DIR=${PROJECT_SOURCE_DIR}/third_party/imgui
      -DCP_WARNINGS_AS_ERRORS=${CP_WARNINGS_AS_ERRORS}
    BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> -j2
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON)
endif()

# Tests that need both halves or a browser are registered here; each script finds its
# inputs through environment variables so it can also be run by hand.
set(CP_TEST_ENV
  "CP_BUILD_DIR=${CMAKE_BINARY_DIR}"
  "CP_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "CP_WEB_DIR=${CP_WEB_DIR}")
file(GLOB CP_SCRIPT_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/*/*.test.sh)
foreach(script ${CP_SCRIPT_TESTS})
  get_filename_component(dir ${script} DIRECTORY)
  get_filename_component(suite ${dir} NAME)
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME ${suite}.${name} COMMAND bash ${script})
  set_tests_properties(${suite}.${name} PROPERTIES ENVIRONMENT "${CP_TEST_ENV}" TIMEOUT 600)
  if(suite STREQUAL "cluster")
    # Its own PostgreSQL, three servers and haproxy, with kill -9 timing: alone, not beside
    # other suites on two cores.
    set_tests_properties(${suite}.${name} PROPERTIES RUN_SERIAL TRUE)
  elseif(suite STREQUAL "e2e")
    # Each drives a Chromium drawing with software GL: two at once halve each one's frame
    # rate on two cores, and the keyboard checks count frames. Together they are the
    # longest chain of the run (~6 min, one at a time): a high cost makes ctest start them
    # first, so the other suites run beside the chain instead of before it.
    set_tests_properties(${suite}.${name} PROPERTIES RESOURCE_LOCK browser COST 10000)
  endif()
endforeach()
