// SPDX-License-Identifier: MIT
// Registry files as a whole: telling one, making one, appending stations; the backend's store
// (store/registry_store.hpp) does the work.
#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>

#include "store/pg_name.hpp"
#include "store/registry_check.hpp"
#include "store/registry_store.hpp"

namespace fuelmap {

bool is_registry(const std::filesystem::path& path) {
    try {
        if (detail::is_pg_registry(path.string()))
            return detail::open_pg_store(path.string())->exists();
        detail::check_registry(path);
        return true;
    } catch (const InputError&) {
        return false;
    }
}

void create_registry(const std::filesystem::path& path, const Registry& registry) {
    detail::open_store(path)->create(registry);
}

void append_to_registry(const std::filesystem::path& path, std::span<const Site> sites,
                        const GradeTable& grades) {
    detail::open_store(path)->append(sites, grades);
}

} // namespace fuelmap
