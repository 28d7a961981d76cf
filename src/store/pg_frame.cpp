// SPDX-License-Identifier: MIT
// The layout cache of a PostgreSQL/PostGIS registry and the draw's reading of it (pg_frame.hpp).
// The cache is never trusted blindly: a station's cached lines are used only when no mark says its
// rows changed since they were written, and the marks are written by triggers in the same
// transaction as the change, so one snapshot sees either both or neither.
#include "store/pg_frame.hpp"

#include <fuelmap/error.hpp>

#include "store/frame_text.hpp"
#include "store/pg_connection.hpp"
#include "store/pg_copy.hpp"
#include "store/pg_registry.hpp"

#include <map>
#include <optional>

namespace fuelmap::detail {

namespace {

// The trigger functions' bodies, as stored in pg_proc.prosrc (compared byte for byte).
constexpr const char* mark_body = R"(
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'stations'
       AND OLD.station_id IS NOT DISTINCT FROM NEW.station_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO fuelmap_frame_dirty (station_id) VALUES (OLD.station_id) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO fuelmap_frame_dirty (station_id) VALUES (NEW.station_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
)";

constexpr const char* forget_body = R"(
BEGIN
    DELETE FROM fuelmap_frame_layouts;
    RETURN NULL;
END
)";

// pg_trigger.tgtype bits: ROW 1, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32 (AFTER: no bit 2).
struct Trigger {
    const char* table;
    const char* name;
    int type;
    const char* events; // as CREATE TRIGGER writes them
    const char* function;
};
constexpr Trigger triggers[] = {
    {"nozzles", "fuelmap_frame_nozzles", 29, "AFTER INSERT OR UPDATE OR DELETE", "fuelmap_frame_mark"},
    {"supplies", "fuelmap_frame_supplies", 29, "AFTER INSERT OR UPDATE OR DELETE", "fuelmap_frame_mark"},
    {"stations", "fuelmap_frame_stations", 25, "AFTER UPDATE OR DELETE", "fuelmap_frame_mark"},
    {"nozzles", "fuelmap_frame_nozzles_truncate", 32, "AFTER TRUNCATE", "fuelmap_frame_forget"},
    {"supplies", "fuelmap_frame_supplies_truncate", 32, "AFTER TRUNCATE", "fuelmap_frame_forget"},
    {"stations", "fuelmap_frame_stations_truncate", 32, "AFTER TRUNCATE", "fuelmap_frame_forget"},
};

using Snapshot = pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only>;

class PgFrameSource final : public FrameSource {
public:
    PgFrameSource(std::string name, bool use_layout_cache)
        : m_name(std::move(name)), m_use_cache(use_layout_cache), m_conn(pg_connect(m_name)) {
        guarded([&] {
            m_tx = std::make_unique<Snapshot>(*m_conn);
            m_registry = pg_read_registry(*m_tx, m_name, ReadOptions{.stations = {}, .layouts = false});
        });
    }

    const Registry& stations() const override { return m_registry; }

    std::string digest(const std::vector<std::string>& fields, std::string_view tail) override {
        return guarded([&] {
            std::optional<std::string> cached;
            if (m_use_cache && pg_layout_cache_trusted(*m_tx))
                cached = cached_digest(fields, tail);
            if (cached)
                return *cached;
            m_full = open_memory_frame_source(pg_read_frame(*m_tx, m_name));
            return m_full->digest(fields, tail);
        });
    }

    const std::vector<Nozzle>& nozzles(const Site& site) override {
        const std::string& id = site.station.station_id;
        if (m_full) {
            const Site* s = m_full->stations().find(id);
            if (!s)
                throw Error("internal error: station '" + id + "' is not in the frame read");
            return s->nozzles;
        }
        auto it = m_nozzles.find(id);
        if (it == m_nozzles.end())
            it = guarded([&] {
                Registry one = pg_read_frame(*m_tx, m_name, ReadOptions{.stations = {id}, .layouts = true});
                return m_nozzles.emplace(id, std::move(one.sites().front().nozzles)).first;
            });
        return it->second;
    }

private:
    // The digest from the cache, or nullopt when the cache cannot give it (then every row is read,
    // which also reports rows of no station).
    std::optional<std::string> cached_digest(const std::vector<std::string>& fields, std::string_view tail) {
        const std::vector<Site>& sites = m_registry.sites();
        std::vector<std::string> recompute;
        for (const pqxx::row& r :
             m_tx->exec("SELECT station_id FROM fuelmap_frame_dirty ORDER BY station_id")) {
            const std::string id(pg_text(r[0]));
            if (r[0].is_null() || !m_registry.find(id))
                return std::nullopt; // a mark of a station that is no more: rows may be orphans
            recompute.push_back(id);
        }
        const pqxx::result cache =
            m_tx->exec("SELECT station_id, lines FROM fuelmap_frame_layouts ORDER BY station_id");
        // Stations without a cache row (added since it was written) are recomputed too.
        std::vector<std::string_view> lines(sites.size());
        std::vector<bool> have(sites.size(), false);
        std::size_t at = 0;
        for (const pqxx::row& r : cache) {
            const std::string_view id = pg_text(r[0]);
            while (at < sites.size() && sites[at].station.station_id < id)
                ++at;
            if (at == sites.size() || sites[at].station.station_id != id || r[1].is_null())
                return std::nullopt; // a cache row of no station
            lines[at] = pg_text(r[1]);
            have[at] = true;
        }
        for (std::size_t i = 0; i < sites.size(); ++i)
            if (!have[i])
                recompute.push_back(sites[i].station.station_id);
        std::map<std::string, std::string, std::less<>> computed;
        if (!recompute.empty()) {
            Registry fresh =
                pg_read_frame(*m_tx, m_name, ReadOptions{.stations = recompute, .layouts = true});
            for (const Site& s : fresh.sites())
                append_nozzle_lines(computed[s.station.station_id], s.nozzles);
        }
        FrameHasher text(fields);
        for (std::size_t i = 0; i < sites.size(); ++i) {
            const auto fresh = computed.find(sites[i].station.station_id);
            text.station(sites[i].station) +=
                fresh != computed.end() ? std::string_view(fresh->second) : lines[i];
        }
        return text.hex(tail);
    }

    // Runs @p body, turning a database error into an InputError naming the registry.
    template <class Body> auto guarded(Body&& body) -> decltype(body()) {
        try {
            return body();
        } catch (const pqxx::failure& e) {
            throw pg_error(m_name, "cannot read the registry", e);
        } catch (const pqxx::usage_error& e) {
            throw pg_error(m_name, "cannot read the registry", e);
        }
    }

    std::string m_name;
    bool m_use_cache;
    std::unique_ptr<pqxx::connection> m_conn;
    std::unique_ptr<Snapshot> m_tx;
    Registry m_registry;                 // stations and grades
    std::unique_ptr<FrameSource> m_full; // every layout, when the digest read them all
    std::map<std::string, std::vector<Nozzle>, std::less<>> m_nozzles; // the drawn stations' nozzles
};

} // namespace

void pg_create_layout_cache(pqxx::transaction_base& tx, std::span<const Site> sites) {
    tx.exec0("CREATE TABLE fuelmap_frame_layouts (station_id text COLLATE \"C\" PRIMARY KEY, lines text NOT "
             "NULL)");
    tx.exec0("CREATE TABLE fuelmap_frame_dirty (station_id text COLLATE \"C\" PRIMARY KEY)");
    // The registry's schema first and pg_temp last: any role may create temporary tables, and one
    // named fuelmap_frame_dirty would otherwise take the marks of an edit in place of the real one.
    const std::string path =
        "SET search_path = " + tx.quote_name(tx.exec1("SELECT current_schema()")[0].c_str()) + ", pg_temp";
    tx.exec0("CREATE FUNCTION fuelmap_frame_mark() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER " +
             path + " AS $fuelmap$" + mark_body + "$fuelmap$");
    tx.exec0("CREATE FUNCTION fuelmap_frame_forget() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER " +
             path + " AS $fuelmap$" + forget_body + "$fuelmap$");
    for (const Trigger& t : triggers)
        tx.exec0(std::string("CREATE TRIGGER ") + t.name + " " + t.events + " ON " + t.table + " FOR EACH " +
                 (t.type & 1 ? "ROW" : "STATEMENT") + " EXECUTE FUNCTION " + t.function + "()");
    Copy<2> copy(tx, "fuelmap_frame_layouts", {"station_id", "lines"});
    CopyLine line;
    std::string lines;
    for (const Site& site : sites) {
        lines.clear();
        append_nozzle_lines(lines, site.nozzles);
        line.text(site.station.station_id).text(lines);
        copy.write(line);
    }
    copy.complete();
}

bool pg_layout_cache_trusted(pqxx::transaction_base& tx) {
    if (!pg_has_table(tx, "fuelmap_frame_layouts") || !pg_has_table(tx, "fuelmap_frame_dirty"))
        return false;
    // A role that may not read the cache reads the rows themselves.
    if (!tx.exec1("SELECT has_table_privilege('fuelmap_frame_layouts', 'SELECT') AND "
                  "has_table_privilege('fuelmap_frame_dirty', 'SELECT')")[0]
             .as<bool>())
        return false;
    std::string expected;
    for (const Trigger& t : triggers)
        expected += std::string(expected.empty() ? "" : ", ") + "(" + tx.quote(t.table) + ", " +
                    tx.quote(t.name) + ", " + std::to_string(t.type) + ", " + tx.quote(t.function) + ")";
    const std::int64_t found =
        tx.exec_params1("SELECT count(*) FROM (VALUES " + expected +
                            ") AS e(tab, name, type, fn) "
                            "JOIN pg_trigger t ON t.tgrelid = to_regclass(e.tab) AND t.tgname = e.name "
                            "AND t.tgtype = e.type::int2 AND t.tgenabled IN ('O', 'A') AND t.tgqual IS NULL "
                            "AND t.tgnargs = 0 AND cardinality(t.tgattr::int2[]) = 0 "
                            "JOIN pg_proc p ON p.oid = t.tgfoid AND p.proname = e.fn AND p.prosecdef "
                            "AND p.prosrc = CASE e.fn WHEN 'fuelmap_frame_mark' THEN $1 ELSE $2 END",
                        std::string(mark_body), std::string(forget_body))[0]
            .as<std::int64_t>();
    if (found != static_cast<std::int64_t>(std::size(triggers)))
        return false;
    // No other trigger function may write the cache (it guards against edits, not forgery).
    return tx.exec1("SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                    "WHERE p.prosrc LIKE '%fuelmap\\_frame\\_%' AND p.proname NOT IN "
                    "('fuelmap_frame_mark', 'fuelmap_frame_forget')")[0]
               .as<std::int64_t>() == 0;
}

std::unique_ptr<FrameSource> open_pg_frame_source(const std::string& registry, bool use_layout_cache) {
    return std::make_unique<PgFrameSource>(registry, use_layout_cache);
}

} // namespace fuelmap::detail
