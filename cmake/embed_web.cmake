# Writes OUTPUT, a C++ header holding each file of INPUTS (a ;-list) as a string constant named
# after the file (verifier.js -> web_verifier_js), so that `fuelmap publish` carries the web/
# files inside the binary. Run at build time: cmake -DINPUTS=... -DOUTPUT=... -P embed_web.cmake
set(text "// Generated from the web/ folder by cmake/embed_web.cmake: do not edit.\n#pragma once\n#include <string_view>\n\nnamespace fuelmap::detail {\n")
foreach(input IN LISTS INPUTS)
    get_filename_component(name "${input}" NAME)
    string(MAKE_C_IDENTIFIER "web_${name}" id)
    file(READ "${input}" content)
    string(FIND "${content}" ")fuelmapweb\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "${input} holds the raw string delimiter )fuelmapweb\"")
    endif()
    string(APPEND text "inline constexpr std::string_view ${id} = R\"fuelmapweb(${content})fuelmapweb\";\n")
endforeach()
string(APPEND text "} // namespace fuelmap::detail\n")
file(WRITE "${OUTPUT}.tmp" "${text}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
