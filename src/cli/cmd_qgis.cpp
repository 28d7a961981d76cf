// SPDX-License-Identifier: MIT
// fuelmap qgis: writes the registry's QGIS default styles and project again (import writes them).
#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/registry_lock.hpp>

#include "store/registry_store.hpp"

#include <ostream>

namespace fuelmap::cli {

int run_qgis(const QgisCliOptions& opt, std::ostream& out, std::ostream&) {
    const RegistryLock lock(opt.registry, LockMode::write);
    const auto store = detail::open_store(opt.registry);
    store->write_qgis_styles();
    if (!opt.quiet)
        out << "QGIS styles and project 'fuelmap' written to " << store->name() << "\n";
    return exit_ok;
}

Runner setup_qgis(CLI::App& app) {
    auto opt = std::make_shared<QgisCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_flag("-q,--quiet", opt->quiet, "Print nothing");
    return [opt](std::ostream& out, std::ostream& err) { return run_qgis(*opt, out, err); };
}

} // namespace fuelmap::cli
