// SPDX-License-Identifier: MIT
#include "testing/testing.hpp"

#include <fuelmap/error.hpp>

#include <fuelmap/geo.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fuelmap::testing {

TempDir::TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "fuelmap-test-XXXXXX").string();
    if (!::mkdtemp(templ.data()))
        throw std::runtime_error("mkdtemp failed");
    m_path = templ;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

RunResult run_fuelmap(const std::vector<std::string>& args) {
    TempDir dir;
    const std::string out_path = (dir / "stdout").string();
    const std::string err_path = (dir / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> argv_storage{FUELMAP_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_storage)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    if (posix_spawn(&pid, FUELMAP_BINARY, &actions, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("cannot start " FUELMAP_BINARY);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    ::waitpid(pid, &status, 0);
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

Site sample_site(const std::string& station_id) {
    Site site;
    Station& s = site.station;
    s.station_id = station_id;
    s.name = "中石化烟台芝罘加油站";
    s.operator_name = "中国石化销售股份有限公司山东烟台石油分公司";
    s.brand = "Sinopec";
    s.ownership = Ownership::major;
    s.province = "370000";
    s.city = "370600";
    s.county = station_id.substr(0, 6);
    s.address = "山东省烟台市芝罘区南大街 100 号";
    s.location = GeoPoint{121.3914, 37.5393};
    s.annual_volume_m3 = 3200;
    s.risk_weight = 2;
    LocalFrame frame(*s.location);
    auto at = [&frame](double x, double y) { return frame.to_wgs84({x, y}); };
    site.outline = {at(-30, -25), at(30, -25), at(30, 25), at(-30, 25)};
    site.tanks = {
        {"T1", "92#", 30000, "", "in_service", at(-20, 15)},
        {"T2", "95#", 30000, "", "in_service", at(-10, 15)},
        {"T3", "0#", 20000, "", "in_service", at(0, 15)},
    };
    site.dispensers = {{"D1", "1", 2, at(-10, -5)}, {"D2", "2", 2, at(10, -5)}};
    site.nozzles = {
        {"N1", "D1", 1, "92#", "in_service", {{"T1", 1.0}}, at(-11, -5)},
        {"N2", "D1", 2, "95#", "in_service", {{"T2", 1.0}}, at(-9, -5)},
        {"N3", "D1", 1, "0#", "in_service", {{"T3", 1.0}}, at(-11, -6)},
        {"N4", "D2", 1, "92#", "in_service", {{"T1", 1.0}}, at(9, -5)},
        {"N5", "D2", 2, "95#", "in_service", {{"T2", 1.0}}, at(11, -5)},
        {"N6", "D2", 2, "0#", "in_service", {{"T3", 1.0}}, at(11, -6)},
    };
    return site;
}

Registry sample_registry(int n) {
    Registry r;
    for (int i = 1; i <= n; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "370602-%04d", i);
        r.add(sample_site(id));
    }
    return r;
}

std::filesystem::path source_path(const std::string& relative) {
    return std::filesystem::path(FUELMAP_SOURCE_DIR) / relative;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string input_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no InputError)";
}

void exec_sql(const std::filesystem::path& gpkg, const std::string& sql) {
    SQLite::Database db(gpkg.string(), SQLite::OPEN_READWRITE);
    auto constant = [](sqlite3_context* ctx, int, sqlite3_value**) {
        sqlite3_result_int(ctx, *static_cast<const int*>(sqlite3_user_data(ctx)));
    };
    static const int one = 1, zero = 0;
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    sqlite3_create_function_v2(db.getHandle(), "ST_IsEmpty", 1, flags, const_cast<int*>(&one), constant,
                               nullptr, nullptr, nullptr);
    for (const char* f : {"ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"})
        sqlite3_create_function_v2(db.getHandle(), f, 1, flags, const_cast<int*>(&zero), constant, nullptr,
                                   nullptr, nullptr);
    db.exec(sql);
}

std::string query_text(const std::filesystem::path& gpkg, const std::string& sql) {
    SQLite::Database db(gpkg.string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, sql);
    return q.executeStep() && !q.getColumn(0).isNull() ? q.getColumn(0).getString() : std::string();
}

std::string dump_site(const Site& site, int decimals, bool with_attributes) {
    auto fixed = [decimals](const std::optional<GeoPoint>& p) -> std::string {
        if (!p)
            return "-";
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.*f,%.*f", decimals, p->lon, decimals, p->lat);
        return buf;
    };
    std::ostringstream o;
    const Station& s = site.station;
    o << s.station_id << '|' << s.name << '|' << s.operator_name << '|' << s.brand << '|'
      << to_string(s.ownership) << '|' << s.province << '|' << s.city << '|' << s.county << '|' << s.address
      << '|' << s.status << '|' << fixed(s.location) << '|' << s.annual_volume_m3 << '|' << s.risk_weight;
    if (with_attributes)
        for (const auto& [k, v] : s.attributes)
            o << '|' << k << '=' << v;
    o << '\n';
    for (const Tank& t : site.tanks)
        o << " T " << t.tank_no << '|' << t.grade << '|' << t.capacity_l << '|' << t.manifold_group << '|'
          << t.status << '|' << fixed(t.position) << '\n';
    for (const Dispenser& d : site.dispensers)
        o << " D " << d.dispenser_no << '|' << d.island << '|' << d.fuelling_points << '|'
          << fixed(d.position) << '\n';
    for (const Nozzle& n : site.nozzles) {
        o << " N " << n.nozzle_no << '|' << n.dispenser_no << '|' << n.fuelling_point << '|' << n.grade << '|'
          << n.status << '|' << fixed(n.position);
        for (const SupplyLeg& leg : n.supply)
            o << '|' << leg.tank_no << '@' << leg.fraction;
        o << '\n';
    }
    for (const GeoPoint& p : site.outline)
        o << " O " << fixed(p) << '\n';
    return o.str();
}

} // namespace fuelmap::testing
