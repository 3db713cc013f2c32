# The client portal: Dear ImGui on WebGL2 through Emscripten's GLFW, linked to the same
# cp_shared core the server uses. Output goes to CP_WEB_DIR with the shell and fonts.
set(IMGUI_SOURCES
  ${CP_IMGUI_DIR}/imgui.cpp ${CP_IMGUI_DIR}/imgui_draw.cpp ${CP_IMGUI_DIR}/imgui_tables.cpp
  ${CP_IMGUI_DIR}/imgui_widgets.cpp ${CP_IMGUI_DIR}/backends/imgui_impl_glfw.cpp
  ${CP_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
add_library(imgui STATIC ${IMGUI_SOURCES})
target_include_directories(imgui SYSTEM PUBLIC ${CP_IMGUI_DIR} ${CP_IMGUI_DIR}/backends)
# 32-bit ImWchar: emoji and other code points above U+FFFF are characters, not breakage.
target_compile_definitions(imgui PUBLIC IMGUI_IMPL_OPENGL_ES3 IMGUI_DISABLE_OBSOLETE_FUNCTIONS IMGUI_USE_WCHAR32)

file(GLOB_RECURSE CP_CLIENT_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/client/*.cpp)
add_executable(portal ${CP_CLIENT_SOURCES})
target_link_libraries(portal PRIVATE cp_shared imgui)
target_compile_options(portal PRIVATE ${CP_WARNINGS})
target_link_options(portal PRIVATE
  -sUSE_GLFW=3 -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sFETCH=1
  -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=web -sEXPORTED_RUNTIME_METHODS=ccall,UTF8ToString,stringToUTF8,lengthBytesUTF8
  -sEXPORTED_FUNCTIONS=_main,_malloc,_free,_cp_widget_rects,_cp_debug_state,_cp_text_input,_cp_paste,_cp_copy_selection,_cp_wheel,_cp_route_changed,_cp_a11y_set_text,_cp_a11y_activate,_cp_a11y_tree,_cp_bench_fill_invoices)
set_target_properties(portal PROPERTIES SUFFIX ".js" RUNTIME_OUTPUT_DIRECTORY ${CP_WEB_DIR})

# The shell is copied next to the build's portal.js/.wasm whenever it or the portal changes,
# then tools/web/build-assets subsets the fonts, writes content-hashed copies and .br/.gz.
file(GLOB CP_WEB_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/*)
add_custom_command(OUTPUT ${CP_WEB_DIR}/assets.stamp
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CP_WEB_DIR}/fonts
  COMMAND ${CMAKE_COMMAND} -E copy ${CP_WEB_SOURCES} ${CP_WEB_DIR}/
  COMMAND ${PROJECT_SOURCE_DIR}/tools/web/build-assets ${CP_WEB_DIR}
  COMMAND ${CMAKE_COMMAND} -E touch ${CP_WEB_DIR}/assets.stamp
  DEPENDS portal ${CP_WEB_SOURCES} ${PROJECT_SOURCE_DIR}/tools/web/build-assets
  VERBATIM)
add_custom_target(portal_assets ALL DEPENDS ${CP_WEB_DIR}/assets.stamp)

# Time zones the portal reads with the core's TZif reader (a client's autopay retry dates):
# the system tzdata's zone folders with links resolved (the server serves nothing that
# resolves outside web/), fetched one zone at a time as /zoneinfo/<IANA name>.
set(CP_ZONE_DIRS Africa America Antarctica Arctic Asia Atlantic Australia Europe Indian Pacific Etc UTC)
list(TRANSFORM CP_ZONE_DIRS PREPEND /usr/share/zoneinfo/ OUTPUT_VARIABLE CP_ZONE_PATHS)
add_custom_command(OUTPUT ${CP_WEB_DIR}/zoneinfo/UTC
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CP_WEB_DIR}/zoneinfo
  COMMAND cp -RL ${CP_ZONE_PATHS} ${CP_WEB_DIR}/zoneinfo/
  VERBATIM)
add_custom_target(portal_zones ALL DEPENDS ${CP_WEB_DIR}/zoneinfo/UTC)
