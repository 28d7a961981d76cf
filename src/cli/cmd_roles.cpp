// SPDX-License-Identifier: MIT
// fuelmap roles: who may write what in a registry held in PostgreSQL/PostGIS (docs/registry.md,
// "Roles"): grant a PostgreSQL role as the bureau, a county office, an inspector, a lab or an
// auditor; revoke it; list the registry's roles.
#include "cli/command.hpp"

#include <fuelmap/error.hpp>

#include "store/pg_name.hpp"
#include "store/pg_roles.hpp"

#include <CLI/CLI.hpp>

#include <ostream>

namespace fuelmap::cli {

namespace {

std::string describe(const detail::RegistryRole& r) {
    return r.kind == detail::RoleKind::county ? "county office of " + r.county
                                              : std::string(detail::to_string(r.kind));
}

} // namespace

int run_roles(const RolesCliOptions& opt, std::ostream& out, std::ostream&) {
    if (!detail::is_pg_registry(opt.registry))
        throw InputError({.file = opt.registry},
                         "roles are for registries held in PostgreSQL/PostGIS (-r PG:… or postgresql://…); "
                         "who may write a GeoPackage is decided by the file's permissions");
    if (opt.action == "list") {
        for (const detail::RegistryRole& r : detail::pg_list_roles(opt.registry))
            out << r.role << "\t" << detail::to_string(r.kind) << "\t" << r.county << "\n";
        return exit_ok;
    }
    if (opt.action == "revoke") {
        detail::pg_revoke_role(opt.registry, opt.role);
        out << opt.registry << ": role '" << opt.role
            << "' revoked: it may no longer read or write the registry\n";
        return exit_ok;
    }
    const std::optional<detail::RoleKind> kind = detail::parse_role_kind(opt.kind);
    if (!kind)
        throw UsageError("--as: unknown kind '" + opt.kind + "' (bureau, county, inspector, lab or auditor)");
    const detail::RegistryRole grant{.role = opt.role, .kind = *kind, .county = opt.county};
    detail::pg_grant_role(opt.registry, grant);
    out << opt.registry << ": role '" << opt.role << "' granted as " << describe(grant) << "\n";
    return exit_ok;
}

Runner setup_roles(CLI::App& app) {
    auto opt = std::make_shared<RolesCliOptions>();
    app.require_subcommand(1);
    app.footer("Run by the registry's owner. The database administrator creates the login roles "
               "(CREATE ROLE … LOGIN); see docs/registry.md, \"Roles\".\nExit status: 0 done, 2 bad input "
               "or refused.");
    CLI::App* grant = app.add_subcommand(
        "grant", "Let a PostgreSQL role read the registry and write what its kind may write (installs the "
                 "guards the first time)");
    grant->add_option("-r,--registry", opt->registry, "Registry database (PG:… or postgresql://…)")
        ->required();
    grant->add_option("--role", opt->role, "The PostgreSQL role")->required();
    grant->add_option("--as", opt->kind, "bureau, county, inspector, lab or auditor")->required();
    grant->add_option("--county", opt->county, "The county code of a county office");
    CLI::App* revoke = app.add_subcommand("revoke", "Take every right on the registry away from a role");
    revoke->add_option("-r,--registry", opt->registry, "Registry database (PG:… or postgresql://…)")
        ->required();
    revoke->add_option("--role", opt->role, "The PostgreSQL role")->required();
    CLI::App* list =
        app.add_subcommand("list", "List the registry's roles: role, kind, county (tab-separated)");
    list->add_option("-r,--registry", opt->registry, "Registry database (PG:… or postgresql://…)")
        ->required();
    return [opt, grant, revoke](std::ostream& out, std::ostream& err) {
        opt->action = grant->parsed() ? "grant" : revoke->parsed() ? "revoke" : "list";
        return run_roles(*opt, out, err);
    };
}

} // namespace fuelmap::cli
