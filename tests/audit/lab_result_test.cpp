// SPDX-License-Identifier: MIT
#include <fuelmap/lab_result.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/precision.hpp>
#include <fuelmap/registry_file.hpp>

#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace fuelmap;
using fuelmap::testing::TempDir;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

const std::string lab_header =
    "sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab\n";

Plan small_plan() {
    Plan p;
    p.format_version = "1";
    p.round = "2024-R1";
    Selection s;
    s.station_id = "370602-0001";
    s.stratum = "370602|major";
    s.reason = "random";
    s.inclusion_probability = "1/2";
    PlannedSample ps;
    ps.grade = "95#";
    ps.nozzle_no = "N2";
    ps.nozzle_sample_id = "R1-0001-95-N";
    ps.claimed_tanks = {{"T2", 1.0}};
    ps.tank_sample_ids = {"R1-0001-95-T"};
    ps.alternates = {"N5"};
    s.samples.push_back(ps);
    p.selections.push_back(s);
    return p;
}

} // namespace

TEST(LabResult, RecordsResultsOfPlannedSamples) {
    TempDir dir;
    const auto reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(2));
    record_plan(reg, small_plan());
    write(dir / "lab.csv",
          lab_header + "R1-0001-95-N,370602-0001,nozzle,N2,,,RON,95.3,-,GB/T 5487,L1\n"
                       "R1-0001-95-T,370602-0001,tank,,T2,composite,RON,95.2,-,GB/T 5487,L1\n"
                       "R1-0001-95-T,370602-0001,tank,,T2,composite,density,741.2,kg/m3,SH/T 0604,L1\n");
    const auto results = read_lab_file(dir / "lab.csv");
    ASSERT_EQ(results.size(), 3u);
    EXPECT_DOUBLE_EQ(results[2].value, 741.2);
    EXPECT_EQ(record_lab_results(reg, results, PrecisionTable::shipped()), 3u);
    const auto back = read_recorded_lab_results(reg);
    ASSERT_EQ(back.size(), 3u);
    EXPECT_EQ(back[1].source, SampleSource::tank);
    EXPECT_EQ(back[1].element_no, "T2");
    EXPECT_EQ(back[1].depth, "composite");
    const auto ledger = read_ledger(reg);
    ASSERT_EQ(ledger.size(), 4u); // the plan, then three results
    EXPECT_EQ(ledger[3].kind, "lab_result");
    EXPECT_TRUE(verify_ledger(reg).ok());
}

TEST(LabResult, BadRowsNothingImported) {
    TempDir dir;
    const auto reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(2));
    record_plan(reg, small_plan());
    const std::string before = fuelmap::testing::read_file(reg);
    auto expect_error = [&](const std::string& row, const std::string& message) {
        write(dir / "lab.csv",
              lab_header + "R1-0001-95-N,370602-0001,nozzle,N2,,,RON,95.3,-,GB/T 5487,L1\n" + row);
        EXPECT_THROW_MSG(
            (void)record_lab_results(reg, read_lab_file(dir / "lab.csv"), PrecisionTable::shipped()), InputError,
            ::testing::Eq((dir / "lab.csv").string() + ": " + message))
            << row;
        EXPECT_EQ(fuelmap::testing::read_file(reg), before) << "registry changed";
    };
    expect_error("R1-0001-95-T,370602-0001,tank,,T2,,density,0.7412,g/cm3,SH/T 0604,L1\n",
                 "line 3, feature (370602-0001/T2), field 'unit': unit 'g/cm3' does not match the precision "
                 "table's unit 'kg/m3' for density by SH/T 0604");
    expect_error("R1-0001-95-T,370602-0001,tank,,T2,,RON,95,-,GB/T 5487,L\xe5\n",
                 "line 3, field 'lab': is not valid UTF-8 (byte 0xE5 at offset 1); convert the source to "
                 "UTF-8 or declare its encoding (.cpg, ENCODING)");
    expect_error(
        "R9-XXXX,370602-0001,tank,,T2,,RON,95,-,GB/T 5487,L1\n",
        "line 3, feature (370602-0001/T2), field 'sample_id': sample 'R9-XXXX' is in no recorded plan");
    expect_error(
        "R1-0001-95-T,370602-0077,tank,,T2,,RON,95,-,GB/T 5487,L1\n",
        "line 3, feature (370602-0077), field 'station_id': unknown station '370602-0077': not in the "
        "registry");
    expect_error(
        "R1-0001-95-N,370602-0001,nozzle,N8,,,MON,85,-,GB/T 503,L1\n",
        "line 3, feature (370602-0001/N8), field 'nozzle_no': unknown nozzle 'N8': station 370602-0001 "
        "declares no such nozzle");
    expect_error(
        "R1-0001-95-T,370602-0001,tank,,T1,,RON,95,-,GB/T 5487,L1\n",
        "line 3, feature (370602-0001/T1), field 'tank_no': sample 'R1-0001-95-T' was planned for tank "
        "T2, not T1");
    expect_error(
        "R1-0001-95-T,370602-0001,tank,,T2,,RON,95,-,ASTM D9999,L1\n",
        "line 3, feature (370602-0001/T2), field 'method': no precision data for RON by method 'ASTM "
        "D9999' (known: GB/T 5487, ASTM D2699, EN ISO 5164)");
    expect_error(
        "R1-0001-95-N,370602-0001,nozzle,N2,,,RON,95.3,-,GB/T 5487,L1\n",
        "line 3, feature (370602-0001/N2), field 'sample_id': a second RON result by GB/T 5487 from lab "
        "L1 for sample 'R1-0001-95-N' (in the registry or earlier in the file; report the mean once)");
    expect_error("R1-0001-95-T,370602-0001,tank,,T2,,RON,high,-,GB/T 5487,L1\n",
                 "line 3, feature (370602-0001/T2), field 'value': 'high' is not a number");
}
