# The domain core, compiled identically for both targets. No I/O, no HTTP, no SQL, no ImGui.
file(GLOB_RECURSE CP_SHARED_SOURCES CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/shared/*.cpp ${PROJECT_SOURCE_DIR}/shared/*.hpp)
add_library(cp_shared STATIC ${CP_SHARED_SOURCES})
set_target_properties(cp_shared PROPERTIES LINKER_LANGUAGE CXX)
target_include_directories(cp_shared PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_options(cp_shared PRIVATE ${CP_WARNINGS})
