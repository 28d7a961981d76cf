// SPDX-License-Identifier: MIT
#include <fuelmap/audit_results.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/observation.hpp>
#include <fuelmap/registry_file.hpp>

#include "audit/observation_table.hpp"
#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>

using namespace fuelmap;
using fuelmap::testing::TempDir;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

const std::string obs_header = "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n";

} // namespace

TEST(Observation, Iso8601) {
    for (const char* ok : {"2024-05-17", "2024-05-17T09:30", "2024-05-17T09:30:00", "2024-05-17T09:30:00Z",
                           "2024-05-17T09:30:00.5+08:00", "2024-05-17 09:30"})
        EXPECT_TRUE(is_iso8601(ok)) << ok;
    for (const char* bad :
         {"", "17/05/2024", "2024-13-01", "2024-05-17T25:00", "2024-05-17T09:30+8", "2024-5-17"})
        EXPECT_FALSE(is_iso8601(bad)) << bad;
}

TEST(Observation, ReadsCsvAndRecordsWithLedger) {
    TempDir dir;
    const auto reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(2));
    write(dir / "obs.csv", obs_header + "370602-0001,N1,T1,pipe_tracing,I01;I07,2024-05-17T09:30:00+08:00\n"
                                        "370602-0001,N2,T2+T9,valve_isolation,I01,2024-05-17\n");
    const std::vector<Observation> obs = read_observation_file(dir / "obs.csv");
    ASSERT_EQ(obs.size(), 2u);
    EXPECT_EQ(obs[1].observed_tanks, (std::vector<std::string>{"T2", "T9"}));
    EXPECT_EQ(obs[0].inspectors, (std::vector<std::string>{"I01", "I07"}));
    EXPECT_EQ(obs[1].origin.line, 3);
    EXPECT_EQ(record_observations(reg, obs), 2u);
    const auto back = read_recorded_observations(reg);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[1].observed_tanks, obs[1].observed_tanks);
    EXPECT_EQ(back[1].method, LinkMethod::valve_isolation);
    const auto ledger = read_ledger(reg);
    ASSERT_EQ(ledger.size(), 2u);
    EXPECT_EQ(ledger[0].kind, "observation");
    // The entry seals the row as stored (docs/ledger.md), source and link included.
    EXPECT_EQ(
        ledger[0].payload,
        R"({"fid":1,"station_id":"370602-0001","nozzle_no":"N1","observed_tanks":"T1","method":"pipe_tracing",)"
        R"("inspectors":"I01;I07","observed_at":"2024-05-17T09:30:00+08:00","source":")" +
            (dir / "obs.csv").string() + R"(: line 2","ledger_seq":1})");
    EXPECT_TRUE(verify_ledger(reg).ok());
    // The same file again is refused as duplicates, and nothing changes.
    const std::string before = fuelmap::testing::read_file(reg);
    EXPECT_THROW(record_observations(reg, obs), InputError);
    EXPECT_EQ(fuelmap::testing::read_file(reg), before);
}

TEST(Observation, BadRowsNameLineFeatureAndField) {
    TempDir dir;
    const auto reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(1));
    const std::string before = fuelmap::testing::read_file(reg);
    auto expect_error = [&](const std::string& rows, const std::string& message) {
        write(dir / "obs.csv", obs_header + "370602-0001,N1,T1,pipe_tracing,I01,2024-05-17\n" + rows);
        EXPECT_THROW_MSG((void)record_observations(reg, read_observation_file(dir / "obs.csv")), InputError,
                         ::testing::Eq((dir / "obs.csv").string() + ": " + message))
            << rows;
        EXPECT_EQ(fuelmap::testing::read_file(reg), before) << "registry changed";
    };
    expect_error(
        "370602-9999,N1,T1,pipe_tracing,I01,2024-05-17\n",
        "line 3, feature (370602-9999), field 'station_id': unknown station '370602-9999': not in the "
        "registry");
    expect_error("370602-0001,N9,T1,pipe_tracing,I01,2024-05-17\n",
                 "line 3, feature (370602-0001/N9), field 'nozzle_no': unknown nozzle 'N9': station "
                 "370602-0001 declares no such nozzle");
    expect_error(
        "370602-0001,N2,T1+,pipe_tracing,I01,2024-05-17\n",
        "line 3, feature (370602-0001/N2), field 'observed_tanks': empty tank number (write e.g. 'T1' "
        "or 'T1+T2')");
    expect_error("370602-0001,N2,T2,looking,I01,2024-05-17\n",
                 "line 3, feature (370602-0001/N2), field 'method': unknown method 'looking' "
                 "(dispense_and_watch_gauge, valve_isolation, pipe_tracing or sample_match)");
    expect_error("370602-0001,N2,T2,pipe_tracing,,2024-05-17\n",
                 "line 3, feature (370602-0001/N2), field 'inspectors': no inspector id");
    expect_error(
        "370602-0001,N2,T2,pipe_tracing,I01,yesterday\n",
        "line 3, feature (370602-0001/N2), field 'observed_at': 'yesterday' is not an ISO 8601 date or "
        "time of a real day (e.g. 2024-05-17T09:30:00+08:00)");
}

TEST(Observation, ReadsGeoJson) {
    TempDir dir;
    write(dir / "obs.geojson",
          R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{)"
          R"("station_id":"370602-0001","nozzle_no":"N1","observed_tanks":"T1","method":"sample_match",)"
          R"("inspectors":"I01;I02","observed_at":"2024-05-17"}}]})");
    const auto obs = read_observation_file(dir / "obs.geojson");
    ASSERT_EQ(obs.size(), 1u);
    EXPECT_EQ(obs[0].method, LinkMethod::sample_match);
    EXPECT_EQ(obs[0].origin.line, -1);
    EXPECT_FALSE(obs[0].origin.layer.empty());
}

TEST(Observation, RecordedReadBackFieldByField) {
    TempDir dir;
    const auto reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(1));
    write(dir / "obs.csv", obs_header + "370602-0001,N1,T1,pipe_tracing,I01;I07,2024-05-17\n" +
                               "370602-0001,N2,T2+T9,valve_isolation,I02,2024-05-18T09:30:00+08:00\n");
    ASSERT_EQ(record_observations(reg, read_observation_file(dir / "obs.csv")), 2u);
    // Blanks around the parts are trimmed and an empty column reads as one empty part, as ever.
    SQLite::Database(reg.string(), SQLite::OPEN_READWRITE)
        .exec("UPDATE fuelmap_observations SET observed_tanks = ' T2 +\tT9', inspectors = '' WHERE fid = 2");
    const auto back = read_recorded_observations(reg);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].station_id, "370602-0001");
    EXPECT_EQ(back[0].nozzle_no, "N1");
    EXPECT_EQ(back[0].observed_tanks, (std::vector<std::string>{"T1"}));
    EXPECT_EQ(back[0].method, LinkMethod::pipe_tracing);
    EXPECT_EQ(back[0].inspectors, (std::vector<std::string>{"I01", "I07"}));
    EXPECT_EQ(back[0].observed_at, "2024-05-17");
    EXPECT_EQ(back[0].origin.file, reg.string());
    EXPECT_EQ(back[0].origin.layer, "fuelmap_observations");
    EXPECT_EQ(back[0].origin.fid, 1);
    EXPECT_EQ(back[0].origin.line, -1);
    EXPECT_EQ(back[1].observed_tanks, (std::vector<std::string>{"T2", "T9"}));
    EXPECT_EQ(back[1].inspectors, (std::vector<std::string>{""}));
    EXPECT_EQ(back[1].method, LinkMethod::valve_isolation);
    EXPECT_EQ(back[1].observed_at, "2024-05-18T09:30:00+08:00");
    EXPECT_EQ(back[1].origin.fid, 2);
    // The audit's reading (views over blocks of text) gives the same fields.
    fuelmap::detail::ObservationTable table = fuelmap::detail::read_recorded_observation_table(reg);
    ASSERT_EQ(table.rows().size(), back.size());
    for (std::size_t k = 0; k < back.size(); ++k) {
        const fuelmap::detail::ObservationView& v = table.rows()[k];
        EXPECT_EQ(v.station_id, back[k].station_id);
        EXPECT_EQ(v.nozzle_no, back[k].nozzle_no);
        EXPECT_EQ(std::vector<std::string>(v.observed_tanks.begin(), v.observed_tanks.end()),
                  back[k].observed_tanks);
        EXPECT_EQ(v.method, back[k].method);
        EXPECT_EQ(std::vector<std::string>(v.inspectors.begin(), v.inspectors.end()), back[k].inspectors);
        EXPECT_EQ(v.observed_at, back[k].observed_at);
    }
    // Rows added after finish() (the audit's extra file) join them; finish() again makes all valid.
    table.add(back[0]);
    table.add_copy("370602-0002", "N3", "T3+ T4", LinkMethod::sample_match, "I09", "2024-06-01");
    table.finish();
    ASSERT_EQ(table.rows().size(), 4u);
    EXPECT_EQ(table.rows()[1].observed_tanks[1], "T9");
    EXPECT_EQ(table.rows()[2].inspectors[1], "I07");
    EXPECT_EQ(std::vector<std::string_view>(table.rows()[3].observed_tanks.begin(),
                                            table.rows()[3].observed_tanks.end()),
              (std::vector<std::string_view>{"T3", "T4"}));
    EXPECT_EQ(table.rows()[3].method, LinkMethod::sample_match);
}

TEST(Observation, RecordedUnknownMethodComesBeforeLaterInputErrors) {
    TempDir dir;
    const auto reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(1));
    write(dir / "obs.csv", obs_header + "370602-0001,N1,T1,pipe_tracing,I01,2024-05-17\n");
    ASSERT_EQ(record_observations(reg, read_observation_file(dir / "obs.csv")), 1u);
    SQLite::Database(reg.string(), SQLite::OPEN_READWRITE)
        .exec("UPDATE fuelmap_observations SET method = 'looking' WHERE fid = 1");
    const std::string expected =
        reg.string() + ": layer 'fuelmap_observations', feature 1, field 'method': unknown method 'looking'";
    EXPECT_THROW_MSG((void)read_recorded_observations(reg), InputError, ::testing::Eq(expected));
    // The audit checks the records against the ledger first: the edited row is named before a bad
    // extra file.
    write(dir / "bad.csv", obs_header + "370602-0001,N1,T1,guessing,I01,2024-05-17\n");
    AuditRequest request;
    request.registry = reg;
    request.observations = dir / "bad.csv";
    EXPECT_THROW_MSG(
        (void)audit_registry(request), InputError,
        ::testing::Eq(reg.string() +
                      ": the ledger check failed, so its records are not used: table "
                      "fuelmap_observations, fid 1 (station_id '370602-0001', nozzle_no 'N1', "
                      "observed_at '2024-05-17', method 'looking'): field 'method' was edited: the "
                      "ledger records 'pipe_tracing', the table holds 'looking' (ledger entry 1); "
                      "`fuelmap ledger verify -r " +
                      reg.string() + "` lists them"));
    // A registry error comes first of all.
    request.registry = dir / "missing.gpkg";
    EXPECT_THROW_MSG((void)audit_registry(request), InputError, "missing.gpkg");
}

// The duplicate error names the first row of the file that repeats a recorded observation or an
// earlier row, whichever comes first; the same time by another method is no duplicate.
TEST(Observation, DuplicateErrorNamesTheFirstRepeatedRow) {
    TempDir dir;
    const auto reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(2));
    write(dir / "first.csv", obs_header + "370602-0001,N1,T1,pipe_tracing,I01,2024-05-17\n"
                                          "370602-0002,N2,T2,pipe_tracing,I01,2024-05-17\n");
    ASSERT_EQ(record_observations(reg, read_observation_file(dir / "first.csv")), 2u);
    std::string before = fuelmap::testing::read_file(reg);
    auto error_of = [&](const std::string& rows) {
        write(dir / "obs.csv", obs_header + rows);
        try {
            (void)record_observations(reg, read_observation_file(dir / "obs.csv"));
        } catch (const InputError& e) {
            EXPECT_EQ(fuelmap::testing::read_file(reg), before) << "registry changed";
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    const std::string file = (dir / "obs.csv").string();
    const std::string a = "370602-0001,N2,T2,pipe_tracing,I01,2024-05-18\n";
    const std::string recorded = "370602-0002,N2,T2,pipe_tracing,I09,2024-05-17\n";
    // Line 4 repeats the recorded row before line 5 repeats line 2.
    EXPECT_EQ(error_of(a + "370602-0001,N1,T1,valve_isolation,I01,2024-05-17\n" + recorded + a),
              file + ": line 4, feature (370602-0002/N2), field 'observed_at': this nozzle already has an "
                     "observation by pipe_tracing at 2024-05-17 (in the registry or earlier in the file)");
    // Line 3 repeats line 2 before line 4 repeats the recorded row.
    EXPECT_EQ(error_of(a + a + recorded),
              file + ": line 3, feature (370602-0001/N2), field 'observed_at': this nozzle already has an "
                     "observation by pipe_tracing at 2024-05-18 (in the registry or earlier in the file)");
    // A recorded row edited behind the ledger's back is reported before any duplicate.
    SQLite::Database(reg.string(), SQLite::OPEN_READWRITE)
        .exec("UPDATE fuelmap_observations SET method = 'looking' WHERE fid = 2");
    before = fuelmap::testing::read_file(reg);
    const std::string edited = error_of(a + a);
    EXPECT_EQ(edited.rfind(reg.string() + ": the ledger check failed, so its records are not used: table "
                                          "fuelmap_observations, fid 2 ",
                           0),
              0u)
        << edited;
    EXPECT_NE(edited.find("field 'method' was edited"), std::string::npos) << edited;
}

// The findings file is written as the findings come; it exists only once finish() returned.
TEST(Observation, AuditFindingsWriterLeavesNoPartialFile) {
    TempDir dir;
    const auto reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(2));
    write(dir / "obs.csv", obs_header + "370602-0001,N1,T1,pipe_tracing,I01,2024-05-17\n" +
                               "370602-0002,N1,T9,pipe_tracing,I01,2024-05-17\n");
    AuditRequest request;
    request.registry = reg;
    request.observations = dir / "obs.csv";
    const AuditReport report = audit_registry(request);
    ASSERT_EQ(report.stations, 2u);
    {
        AuditFindingsWriter writer(dir / "partial.geojson", "GeoJSON");
        writer.write(report.findings);
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "partial.geojson"));
    {
        AuditFindingsWriter writer(dir / "whole.geojson", "GeoJSON");
        audit_registry(request, writer);
        writer.finish();
    }
    write_audit_findings(report, dir / "kept.geojson", "GeoJSON");
    const std::string streamed = fuelmap::testing::read_file(dir / "whole.geojson");
    EXPECT_EQ(streamed, fuelmap::testing::read_file(dir / "kept.geojson"));
    EXPECT_NE(streamed.find("\"hidden-tank\""), std::string::npos);
    EXPECT_THROW_MSG(AuditFindingsWriter(dir / "x.shp", "NoSuchDriver"), Error,
                     ::testing::Eq("GDAL driver 'NoSuchDriver' cannot create vector files"));
}
