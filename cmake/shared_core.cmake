# The domain core, compiled identically for both targets. No I/O, no HTTP, no SQL, no ImGui.
file(GLOB_RECURSE CP_SHARED_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/shared/*.cpp)
add_library(cp_shared STATIC ${CP_SHARED_SOURCES})
target_include_directories(cp_shared PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(cp_shared PRIVATE ${CP_WARNINGS})
