// SPDX-License-Identifier: MIT
// Who may write what in a PostgreSQL/PostGIS registry (docs/registry.md, "Roles"). The rules live
// in the database, as SQL functions, so that fuelmap's own check before a write and the guard
// triggers that refuse any other client (QGIS, psql) apply the same rule and give the same message:
// - fuelmap_role_kind(): 'owner' (a member of the registry's owner, superusers included), the kind
//   the connected role was granted as, or 'none';
// - fuelmap_role_label(): how a message names it ("county office of 370602", "lab" …);
// - fuelmap_may_change_county(county), fuelmap_may_record(kind): the two rules.
// The station layers are guarded by row triggers rather than row-level security policies: COPY
// (fuelmap's writes) is refused on a table with policies, and an UPDATE or DELETE policy skips the
// rows it hides without an error, while the issue wants every refused write named.
#include "store/pg_roles.hpp"

#include <fuelmap/error.hpp>

#include "store/pg_connection.hpp"
#include "store/pg_registry.hpp"

#include <array>
#include <set>

namespace fuelmap::detail {

namespace {

// pg_advisory_xact_lock key of `roles grant|revoke`: "fuelmap" + 'G'.
constexpr std::int64_t roles_lock_key = 0x6675656C6D617047;

// The layers that carry a station_id and are changed only by the bureau and the station's county.
constexpr std::array station_tables = {"stations", "tanks", "dispensers", "nozzles", "sites", "supplies"};

// Every table of a registry a role is granted on (those that exist); fuelmap_roles last.
constexpr std::array registry_tables = {
    "stations",
    "tanks",
    "dispensers",
    "nozzles",
    "sites",
    "supplies",
    "grades",
    "fuelmap_meta",
    "fuelmap_ledger",
    "fuelmap_plans",
    "fuelmap_observations",
    "fuelmap_lab_results",
    "fuelmap_cases",
    "fuelmap_case_steps",
    "fuelmap_frame_layouts", // the layout cache (pg_frame.hpp): without it a role's draw reads every row
    "fuelmap_frame_dirty",
    "layer_styles", // QGIS's default styles and the stored project (pg_qgis_tables.hpp): read by all
    "qgis_projects",
    "fuelmap_roles",
};

// Every function runs with the registry's schema and pg_temp last in its search path ("@schema@" is
// replaced at install): a role may create temporary tables, and one named fuelmap_roles or stations
// would otherwise stand in for the real one.
#define path "SET search_path = @schema@, pg_temp "

// The table, functions and triggers, installed (again) by every grant: idempotent.
const char* const install_sql[] = {
    "CREATE TABLE IF NOT EXISTS fuelmap_roles (role text COLLATE \"C\" PRIMARY KEY, "
    "kind text NOT NULL CHECK (kind IN ('bureau', 'county', 'inspector', 'lab', 'auditor')), "
    "county text COLLATE \"C\", CHECK ((kind = 'county') = (county IS NOT NULL)))",

    // PL/pgSQL rather than SQL functions: a session plans their queries once, not once per row.
    "CREATE OR REPLACE FUNCTION fuelmap_role_kind() RETURNS text LANGUAGE plpgsql STABLE " path "AS $$ "
    "DECLARE k text; "
    "BEGIN "
    "IF pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = "
    "'stations'::regclass), "
    "'MEMBER') THEN RETURN 'owner'; END IF; "
    "SELECT r.kind INTO k FROM fuelmap_roles r WHERE r.role = current_user; "
    "RETURN coalesce(k, 'none'); "
    "END $$",

    "CREATE OR REPLACE FUNCTION fuelmap_role_county() RETURNS text LANGUAGE plpgsql STABLE " path "AS $$ "
    "DECLARE c text; "
    "BEGIN "
    "SELECT r.county INTO c FROM fuelmap_roles r WHERE r.role = current_user; "
    "RETURN c; "
    "END $$",

    "CREATE OR REPLACE FUNCTION fuelmap_role_label() RETURNS text LANGUAGE plpgsql STABLE " path "AS $$ "
    "DECLARE k text := fuelmap_role_kind(); "
    "BEGIN "
    "RETURN CASE k WHEN 'county' THEN 'county office of ' || fuelmap_role_county() "
    "WHEN 'none' THEN 'not a fuelmap role' WHEN 'owner' THEN 'the registry''s owner' ELSE k END; "
    "END $$",

    "CREATE OR REPLACE FUNCTION fuelmap_may_change_county(station_county text) RETURNS boolean "
    "LANGUAGE plpgsql STABLE " path "AS $$ "
    "DECLARE k text := fuelmap_role_kind(); "
    "BEGIN "
    "RETURN k IN ('owner', 'bureau') OR (k = 'county' AND station_county IS NOT DISTINCT FROM "
    "fuelmap_role_county()); "
    "END $$",

    "CREATE OR REPLACE FUNCTION fuelmap_may_record(record_kind text) RETURNS boolean "
    "LANGUAGE plpgsql STABLE " path "AS $$ "
    "DECLARE k text := fuelmap_role_kind(); "
    "BEGIN "
    "RETURN k = 'owner' OR (k = 'inspector' AND record_kind = 'observation') OR (k = 'lab' AND "
    "record_kind = 'lab_result') OR (k = 'bureau' AND record_kind IN ('plan', 'case', 'case_step')); "
    "END $$",

    // The station layers: the county of the row before (UPDATE, DELETE) and after (INSERT, UPDATE)
    // must be one the role may change; the county of a layout row is its station's. The owner and
    // the bureau pass at once.
    "CREATE OR REPLACE FUNCTION fuelmap_station_guard() RETURNS trigger LANGUAGE plpgsql " path "AS $$ "
    "DECLARE old_county text; new_county text; "
    "BEGIN "
    "IF pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = "
    "'stations'::regclass), 'MEMBER') OR fuelmap_role_kind() = 'bureau' THEN "
    "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; "
    "  RETURN NEW; "
    "END IF; "
    "IF TG_OP <> 'INSERT' THEN "
    "  old_county := CASE WHEN TG_TABLE_NAME = 'stations' THEN to_jsonb(OLD) ->> 'county' "
    "    ELSE (SELECT s.county FROM stations s WHERE s.station_id = OLD.station_id) END; "
    "  IF NOT fuelmap_may_change_county(old_county) THEN "
    "    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format("
    "      'role %L (%s) may not change station %s (county %s)', current_user, fuelmap_role_label(), "
    "      OLD.station_id, coalesce(old_county, 'unknown')); "
    "  END IF; "
    "END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; "
    "new_county := CASE WHEN TG_TABLE_NAME = 'stations' THEN to_jsonb(NEW) ->> 'county' "
    "  ELSE (SELECT s.county FROM stations s WHERE s.station_id = NEW.station_id) END; "
    "IF NOT fuelmap_may_change_county(new_county) THEN "
    "  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'stations' THEN "
    "    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format("
    "      'role %L (%s) may not move station %s to county %s', current_user, fuelmap_role_label(), "
    "      NEW.station_id, coalesce(new_county, 'unknown')); "
    "  END IF; "
    "  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format("
    "    'role %L (%s) may not change station %s (county %s)', current_user, fuelmap_role_label(), "
    "    NEW.station_id, coalesce(new_county, 'unknown')); "
    "END IF; "
    "RETURN NEW; "
    "END $$",

    // The ledger: a role appends only entries of the records it may record.
    "CREATE OR REPLACE FUNCTION fuelmap_ledger_guard() RETURNS trigger LANGUAGE plpgsql " path "AS $$ "
    "BEGIN "
    "IF NOT fuelmap_may_record(NEW.kind) THEN "
    "  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format("
    "    'role %L (%s) may not append ledger entries of kind %L', current_user, fuelmap_role_label(), "
    "    NEW.kind); "
    "END IF; "
    "RETURN NEW; "
    "END $$",

    // fuelmap_meta: a writer moves the ledger's head and count; the rest is the owner's.
    "CREATE OR REPLACE FUNCTION fuelmap_meta_guard() RETURNS trigger LANGUAGE plpgsql " path "AS $$ "
    "BEGIN "
    "IF fuelmap_role_kind() <> 'owner' AND (NEW.key NOT IN ('ledger_count', 'ledger_head', "
    "'ledger_version') OR (TG_OP = 'UPDATE' AND OLD.key <> NEW.key)) THEN "
    "  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format("
    "    'role %L (%s) may not change fuelmap_meta key %L', current_user, fuelmap_role_label(), "
    "    NEW.key); "
    "END IF; "
    "RETURN NEW; "
    "END $$",

    "CREATE OR REPLACE TRIGGER fuelmap_guard BEFORE INSERT OR UPDATE ON fuelmap_meta FOR EACH ROW "
    "EXECUTE FUNCTION fuelmap_meta_guard()",
};

#undef path

// The write grants of each kind (SELECT on every table is granted to all).
struct KindGrant {
    const char* privileges;
    std::vector<const char*> tables;
};

std::vector<KindGrant> kind_grants(RoleKind kind) {
    const std::vector<const char*> layers(station_tables.begin(), station_tables.end());
    const KindGrant meta{"INSERT, UPDATE", {"fuelmap_meta"}};
    switch (kind) {
    case RoleKind::bureau:
        return {
            {"INSERT, UPDATE, DELETE", layers},
            {"INSERT", {"grades", "fuelmap_plans", "fuelmap_cases", "fuelmap_case_steps", "fuelmap_ledger"}},
            meta};
    case RoleKind::county:
        return {{"INSERT, UPDATE, DELETE", layers}, {"INSERT", {"grades"}}};
    case RoleKind::inspector:
        return {{"INSERT", {"fuelmap_observations", "fuelmap_ledger"}}, meta};
    case RoleKind::lab:
        return {{"INSERT", {"fuelmap_lab_results", "fuelmap_ledger"}}, meta};
    case RoleKind::auditor:
        return {};
    }
    return {};
}

// How a refusal names a kind of record.
std::string plural(std::string_view kind) {
    if (kind == "lab_result")
        return "lab results";
    return std::string(kind) + "s";
}

// The connected role and how messages name it, on a registry with roles.
struct Connected {
    std::string role, label;
};

std::optional<Connected> connected(pqxx::transaction_base& tx) {
    if (!pg_has_table(tx, "fuelmap_roles"))
        return std::nullopt;
    const pqxx::row r = tx.exec1("SELECT current_user, fuelmap_role_label()");
    return Connected{std::string(pg_text(r[0])), std::string(pg_text(r[1]))};
}

std::string refusal(const Connected& who, const std::string& what) {
    return "role '" + who.role + "' (" + who.label + ") may not " + what;
}

// Runs @p body in a transaction as the registry's owner, holding the roles lock.
template <class Body> void as_owner(const std::string& registry, const std::string& what, Body&& body) {
    const std::unique_ptr<pqxx::connection> c = pg_connect(registry);
    try {
        pqxx::work tx(*c);
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", roles_lock_key);
        pg_check_registry(tx, registry);
        const pqxx::row owner = tx.exec1("SELECT pg_has_role(current_user, relowner, 'MEMBER'), "
                                         "pg_get_userbyid(relowner), current_user FROM pg_class "
                                         "WHERE oid = 'stations'::regclass");
        if (!owner[0].as<bool>())
            throw InputError({.file = registry}, "only the registry's owner (role '" +
                                                     std::string(pg_text(owner[1])) +
                                                     "') grants and revokes roles; connected as role '" +
                                                     std::string(pg_text(owner[2])) + "'");
        body(tx);
        tx.commit();
    } catch (const InputError&) {
        throw;
    } catch (const pqxx::failure& e) {
        throw pg_error(registry, what, e);
    }
}

std::vector<std::string> existing(pqxx::transaction_base& tx, const std::vector<const char*>& tables) {
    std::vector<std::string> out;
    for (const char* t : tables)
        if (pg_has_table(tx, t))
            out.emplace_back(t);
    return out;
}

// The sequences of table @p table's serial columns (its fid), as SQL names.
std::vector<std::string> sequences(pqxx::transaction_base& tx, const std::string& table) {
    std::vector<std::string> out;
    for (const pqxx::row& r : tx.exec_params("SELECT s.oid::regclass::text FROM pg_class s JOIN pg_depend d "
                                             "ON d.objid = s.oid WHERE s.relkind = 'S' AND d.refobjid = "
                                             "$1::regclass AND d.deptype IN ('a', 'i') ORDER BY 1",
                                             table))
        out.emplace_back(pg_text(r[0]));
    return out;
}

// Revokes every right of @p role on the registry's tables and their sequences.
void revoke_all(pqxx::transaction_base& tx, const std::string& role) {
    const std::vector<std::string> tables =
        existing(tx, std::vector<const char*>(registry_tables.begin(), registry_tables.end()));
    for (const std::string& t : tables) {
        tx.exec0("REVOKE ALL ON TABLE " + tx.quote_name(t) + " FROM " + tx.quote_name(role));
        for (const std::string& seq : sequences(tx, t))
            tx.exec0("REVOKE ALL ON SEQUENCE " + seq + " FROM " + tx.quote_name(role));
    }
}

} // namespace

std::optional<RoleKind> parse_role_kind(std::string_view text) noexcept {
    for (RoleKind k :
         {RoleKind::bureau, RoleKind::county, RoleKind::inspector, RoleKind::lab, RoleKind::auditor})
        if (to_string(k) == text)
            return k;
    return std::nullopt;
}

std::string_view to_string(RoleKind kind) noexcept {
    switch (kind) {
    case RoleKind::bureau:
        return "bureau";
    case RoleKind::county:
        return "county";
    case RoleKind::inspector:
        return "inspector";
    case RoleKind::lab:
        return "lab";
    case RoleKind::auditor:
        return "auditor";
    }
    return "auditor";
}

void pg_grant_role(const std::string& registry, const RegistryRole& grant) {
    if (grant.kind == RoleKind::county && grant.county.empty())
        throw InputError({.file = registry}, "a county office needs its county: give --county CODE");
    if (grant.kind != RoleKind::county && !grant.county.empty())
        throw InputError({.file = registry},
                         "--county is for county offices only, not for a role granted as " +
                             std::string(to_string(grant.kind)));
    as_owner(registry, "cannot grant the role", [&](pqxx::work& tx) {
        const pqxx::result who = tx.exec_params(
            "SELECT r.rolsuper, pg_has_role(r.oid, c.relowner, 'MEMBER') FROM pg_roles r, pg_class c "
            "WHERE r.rolname = $1 AND c.oid = 'stations'::regclass",
            grant.role);
        if (who.empty())
            throw InputError({.file = registry},
                             "role '" + grant.role +
                                 "' does not exist; the database administrator creates it first "
                                 "(CREATE ROLE … LOGIN)");
        if (who[0][0].as<bool>() || who[0][1].as<bool>())
            throw InputError({.file = registry},
                             "role '" + grant.role +
                                 "' is a superuser or owns the registry: it may write everything and "
                                 "cannot be limited to what a " +
                                 std::string(to_string(grant.kind)) + " may do");
        const std::string schema = tx.quote_name(tx.exec1("SELECT current_schema()")[0].c_str());
        for (std::string sql : install_sql) {
            if (const std::size_t at = sql.find("@schema@"); at != std::string::npos)
                sql.replace(at, 8, schema);
            tx.exec0(sql);
        }
        for (const char* t : station_tables)
            tx.exec0("CREATE OR REPLACE TRIGGER fuelmap_guard BEFORE INSERT OR UPDATE OR DELETE ON " +
                     std::string(t) + " FOR EACH ROW EXECUTE FUNCTION fuelmap_station_guard()");
        if (pg_has_table(tx, "fuelmap_ledger"))
            tx.exec0("CREATE OR REPLACE TRIGGER fuelmap_guard BEFORE INSERT ON fuelmap_ledger FOR EACH ROW "
                     "EXECUTE FUNCTION fuelmap_ledger_guard()");
        const std::string role = tx.quote_name(grant.role);
        revoke_all(tx, grant.role);
        for (const std::string& t :
             existing(tx, std::vector<const char*>(registry_tables.begin(), registry_tables.end())))
            tx.exec0("GRANT SELECT ON TABLE " + tx.quote_name(t) + " TO " + role);
        for (const KindGrant& g : kind_grants(grant.kind))
            for (const std::string& t : existing(tx, g.tables)) {
                tx.exec0("GRANT " + std::string(g.privileges) + " ON TABLE " + tx.quote_name(t) + " TO " +
                         role);
                if (std::string_view(g.privileges).find("INSERT") != std::string_view::npos)
                    for (const std::string& seq : sequences(tx, t))
                        tx.exec0("GRANT USAGE ON SEQUENCE " + seq + " TO " + role);
            }
        tx.exec_params0("INSERT INTO fuelmap_roles (role, kind, county) VALUES ($1, $2, $3) "
                        "ON CONFLICT (role) DO UPDATE SET kind = EXCLUDED.kind, county = EXCLUDED.county",
                        grant.role, std::string(to_string(grant.kind)),
                        grant.county.empty() ? std::optional<std::string>() : grant.county);
    });
}

void pg_revoke_role(const std::string& registry, const std::string& role) {
    as_owner(registry, "cannot revoke the role", [&](pqxx::work& tx) {
        if (!pg_has_table(tx, "fuelmap_roles") ||
            tx.exec_params("DELETE FROM fuelmap_roles WHERE role = $1", role).affected_rows() == 0)
            throw InputError({.file = registry}, "role '" + role + "' is not a role of this registry");
        revoke_all(tx, role);
    });
}

std::vector<RegistryRole> pg_list_roles(const std::string& registry) {
    const std::unique_ptr<pqxx::connection> c = pg_connect(registry);
    try {
        pqxx::read_transaction tx(*c);
        pg_check_registry(tx, registry);
        std::vector<RegistryRole> out;
        if (!pg_has_table(tx, "fuelmap_roles"))
            return out;
        for (const pqxx::row& r : tx.exec("SELECT role, kind, county FROM fuelmap_roles ORDER BY role")) {
            RegistryRole& each = out.emplace_back();
            each.role = pg_text(r[0]);
            each.kind = parse_role_kind(pg_text(r[1])).value_or(RoleKind::auditor);
            each.county = pg_text(r[2]);
        }
        return out;
    } catch (const InputError&) {
        throw;
    } catch (const pqxx::failure& e) {
        throw pg_error(registry, "cannot read the roles", e);
    }
}

void pg_check_may_record(pqxx::transaction_base& tx, const std::string& name, std::string_view kind,
                         const std::string& subject) {
    const std::optional<Connected> who = connected(tx);
    if (!who || tx.exec_params1("SELECT fuelmap_may_record($1)", std::string(kind))[0].as<bool>())
        return;
    throw InputError({.file = name}, refusal(*who, "record " + plural(kind) + " (" + subject + ")"));
}

void pg_check_may_change_stations(pqxx::transaction_base& tx, const std::string& name,
                                  std::span<const Site> sites) {
    const std::optional<Connected> who = connected(tx);
    if (!who)
        return;
    std::set<std::string, std::less<>> allowed;
    for (const Site& site : sites) {
        const std::string& county = site.station.county;
        if (allowed.count(county))
            continue;
        if (!tx.exec_params1("SELECT fuelmap_may_change_county($1)", county)[0].as<bool>())
            throw InputError({.file = name}, refusal(*who, "change station " + site.station.station_id +
                                                               " (county " + county + ")"));
        allowed.insert(county);
    }
}

std::string pg_refusal_message(const std::string& what, const std::string& role, const std::exception& e) {
    std::string_view text = e.what();
    if (text.substr(0, 8) == "ERROR:  ")
        text.remove_prefix(8);
    text = text.substr(0, text.find('\n'));
    if (text.substr(0, 6) == "role '")
        return std::string(text);
    return what + ": " + std::string(text) + " (role '" + role + "')";
}

} // namespace fuelmap::detail
