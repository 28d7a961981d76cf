// SPDX-License-Identifier: MIT
// End-to-end: the command allocates with the allocator it was built with (FUELMAP_TCMALLOC in
// CMakeLists.txt): tcmalloc in a usual build, the sanitizer's own under a sanitizer, else glibc's.
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// The object the dynamic loader bound symbol @p symbol of an object whose path holds @p user to,
// as LD_DEBUG=bindings lists it ("binding file <user> [0] to <object> [0]: normal symbol `<symbol>'
// [version]"), or "" when the listing has no such binding.
std::string bound_to(std::string_view listing, std::string_view user, std::string_view symbol) {
    const std::string wanted = "normal symbol `" + std::string(symbol) + "'";
    while (!listing.empty()) {
        const std::size_t end = listing.find('\n');
        const std::string_view line = listing.substr(0, end);
        listing = end == std::string_view::npos ? std::string_view() : listing.substr(end + 1);
        const std::size_t file = line.find("binding file ");
        const std::size_t to = line.find(" to ");
        const std::size_t what = line.find(wanted);
        if (file == std::string_view::npos || to == std::string_view::npos ||
            what == std::string_view::npos ||
            line.substr(file, to - file).find(user) == std::string_view::npos)
            continue;
        const std::string_view object = line.substr(to + 4, what - to - 4);
        return std::string(object.substr(0, object.find(" [")));
    }
    return "";
}

} // namespace

TEST(CliAllocator, TheCommandAllocatesWithTheAllocatorItWasBuiltWith) {
    ::setenv("LD_DEBUG", "bindings", 1);
    const fuelmap::testing::RunResult r = fuelmap::testing::run_fuelmap({"seed", "new"});
    ::unsetenv("LD_DEBUG");
    ASSERT_EQ(r.exit_code, 0) << r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0);
    // The command's own malloc, and the operator new of the library's code.
    const std::string malloc_object = bound_to(r.err, FUELMAP_BINARY, "malloc");
    const std::string new_object = bound_to(r.err, "libfuelmap.so", "_Znwm");
    ASSERT_FALSE(malloc_object.empty()) << "LD_DEBUG=bindings lists no binding of the command's malloc";
    ASSERT_FALSE(new_object.empty()) << "LD_DEBUG=bindings lists no binding of the library's operator new";
    if (std::string_view(FUELMAP_CLI_ALLOCATOR) == "tcmalloc") {
        EXPECT_NE(malloc_object.find("libtcmalloc_minimal.so"), std::string::npos) << malloc_object;
        EXPECT_NE(new_object.find("libtcmalloc_minimal.so"), std::string::npos) << new_object;
    } else if (std::string_view(FUELMAP_CLI_ALLOCATOR) == "sanitizer") {
        EXPECT_NE(malloc_object.find("san.so"), std::string::npos) << malloc_object; // libasan, libtsan
        EXPECT_NE(new_object.find("san.so"), std::string::npos) << new_object;
    } else {
        EXPECT_NE(malloc_object.find("libc.so"), std::string::npos) << malloc_object;
        EXPECT_NE(new_object.find("libstdc++.so"), std::string::npos) << new_object;
    }
}
