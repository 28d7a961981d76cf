// SPDX-License-Identifier: MIT
/// @file pg_roles.hpp
/// @brief Private: who may write what in a registry held in PostgreSQL/PostGIS (docs/registry.md,
/// "Roles"): the kinds of office a PostgreSQL role is granted as, the grants and guard triggers that
/// `fuelmap roles grant` installs, and the check every fuelmap write makes before it writes.
/// libpqxx types show only in src/store/.
#pragma once

#include <fuelmap/site.hpp>

#include <pqxx/pqxx>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// The kinds of office a role is granted as.
enum class RoleKind {
    bureau,    ///< the provincial bureau: plans, cases, every county's stations
    county,    ///< a county office: its own county's stations and layouts
    inspector, ///< adds observations
    lab,       ///< adds lab results
    auditor    ///< reads everything, writes nothing
};

/// The kind named @p text ("bureau", "county", "inspector", "lab", "auditor"), if any.
[[nodiscard]] std::optional<RoleKind> parse_role_kind(std::string_view text) noexcept;

/// The name of @p kind as parse_role_kind() reads it.
[[nodiscard]] std::string_view to_string(RoleKind kind) noexcept;

/// A role of a registry: a PostgreSQL role and what it was granted as.
struct RegistryRole {
    std::string role;                  ///< the PostgreSQL role (created by the DBA)
    RoleKind kind = RoleKind::auditor; ///< what it may write
    std::string county{};              ///< its county code (county offices only)
};

/// Grants @p grant on the registry @p registry (as its owner): installs the roles table, the guard
/// functions and triggers the first time (again on every call, idempotent), revokes what the role
/// had and grants what its kind may do. @throws InputError naming the registry: not a registry, not
/// connected as the registry's owner, an unknown role, a superuser or the owner itself, a county
/// missing for a county office or given for another kind; the database's errors.
void pg_grant_role(const std::string& registry, const RegistryRole& grant);

/// Revokes every right of @p role on the registry @p registry and forgets it. @throws InputError as
/// pg_grant_role(), and when the role is not a role of the registry.
void pg_revoke_role(const std::string& registry, const std::string& role);

/// The registry's roles in name order (none before the first grant). @throws InputError naming the
/// registry when it cannot be read.
[[nodiscard]] std::vector<RegistryRole> pg_list_roles(const std::string& registry);

/// Checks, before a record write in @p tx, that the connected role may record @p kind ("plan",
/// "observation", "lab_result", "case"); @p subject names what is recorded ("station 370602-0002",
/// "round YT-2026-12"). Nothing is checked on a registry without roles.
/// @throws InputError naming @p name: "role 'R' (lab) may not record observations (station S)".
void pg_check_may_record(pqxx::transaction_base& tx, const std::string& name, std::string_view kind,
                         const std::string& subject);

/// Checks, before @p sites are added in @p tx, that the connected role may add each of them (a
/// county office only stations of its county). Nothing is checked on a registry without roles.
/// @throws InputError naming @p name: "role 'R' (county office of C) may not change station S
/// (county D)".
void pg_check_may_change_stations(pqxx::transaction_base& tx, const std::string& name,
                                  std::span<const Site> sites);

/// The one-line message of a refusal by the database (SQLSTATE 42501: a missing grant, or a guard
/// trigger's message, which already names the role and the station), naming the connected role
/// @p role when the database's message does not.
[[nodiscard]] std::string pg_refusal_message(const std::string& what, const std::string& role,
                                             const std::exception& e);

} // namespace fuelmap::detail
