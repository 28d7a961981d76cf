// SPDX-License-Identifier: MIT
// Loads the GDAL module (gis/gdal_module.hpp) on first use: from the directory of the library that
// holds this code (the build tree, or the installed library directory), else by the dynamic
// loader's own search (LD_LIBRARY_PATH, the system's directories).
#include "gis/gdal_module.hpp"

#include <fuelmap/error.hpp>

#include <dlfcn.h>

namespace fuelmap::detail {

namespace {

// An object of this library: its address tells dladdr() which file the library was loaded from.
const int anchor = 0;

std::filesystem::path own_directory() {
    Dl_info info{};
    if (dladdr(&anchor, &info) == 0 || info.dli_fname == nullptr)
        return {};
    return std::filesystem::path(info.dli_fname).parent_path();
}

const GdalModule* load() {
    const std::filesystem::path beside = own_directory() / gdal_module_file;
    // Never closed: GDAL's drivers and caches live as long as the process.
    void* handle = dlopen(beside.c_str(), RTLD_NOW | RTLD_LOCAL);
    std::string reason = handle ? std::string() : std::string(dlerror());
    if (handle == nullptr) {
        handle = dlopen(gdal_module_file, RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr)
            throw Error("cannot load fuelmap's GDAL module (" + reason + "; " + dlerror() +
                        "): it is installed beside libfuelmap.so");
    }
    using Entry = const GdalModule* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, gdal_module_entry));
    if (entry == nullptr)
        throw Error(std::string("fuelmap's GDAL module has no entry point ") + gdal_module_entry +
                    ": it is not the module of this version of fuelmap");
    return entry();
}

} // namespace

const GdalModule& gdal_module() {
    static const GdalModule* const module = load(); // once, thread-safe; a failed load is tried again
    return *module;
}

} // namespace fuelmap::detail
