// SPDX-License-Identifier: MIT
// The one writer of the frame text (docs/sampling.md section 10): field escapes, number formats,
// and the same N lines whether written from nozzles in memory or from stored rows in any order.
#include "store/frame_text.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

using namespace fuelmap;

namespace {

std::string fraction(double f) {
    std::string out;
    detail::append_frame_fraction(out, f);
    return out;
}

} // namespace

TEST(FrameText, EscapesAndNumbers) {
    std::string out;
    detail::append_frame_field(out, "a\\b\tc\nd\re");
    EXPECT_EQ(out, "a\\\\b\\tc\\nd\\re");
    EXPECT_EQ(fraction(1.0), "1");
    EXPECT_EQ(fraction(0.6), "0.6");
    EXPECT_EQ(fraction(0.35), "0.35");
    EXPECT_EQ(fraction(1.0 / 3), "0.3333333333333333");
}

TEST(FrameText, HeaderStationAndContextLines) {
    std::string out;
    detail::append_frame_header(out, {"province", "risk_weight"});
    Station s;
    s.station_id = "370602-0001";
    s.status = "open";
    s.county = "370602";
    s.province = "37";
    detail::append_station_line(out, s, {"province", "missing"});
    detail::append_context_lines(out, {{"370602-0001", {"I1", "I2"}}}, {"370602-0009"});
    EXPECT_EQ(out, "fuelmap-frame-v1\nfields\tprovince\trisk_weight\n"
                   "S\t370602-0001\topen\t370602\t37\t\\N\n"
                   "L\t370602-0001\tI1,I2\n"
                   "F\t370602-0009\n");
}

TEST(FrameText, CaseStationsFollowTheFailedStationsAsCLines) {
    std::string out;
    detail::append_context_lines(out, {}, {"370602-0009"}, {"370602-0001", "370602-0009"});
    EXPECT_EQ(out, "F\t370602-0009\nC\t370602-0001\nC\t370602-0009\n");
}

TEST(FrameText, NozzleLinesFromMemoryEqualThoseFromRows) {
    auto nozzle = [](std::string no, std::string grade, std::string status, std::vector<SupplyLeg> supply) {
        Nozzle n;
        n.nozzle_no = std::move(no);
        n.grade = std::move(grade);
        n.status = std::move(status);
        n.supply = std::move(supply);
        return n;
    };
    const std::vector<Nozzle> nozzles = {nozzle("N2", "92#", "in_service", {{"T1", 0.6}, {"T2", 0.4}}),
                                         nozzle("N10", "95#", "in_service", {{"T\t3", 1.0}}),
                                         nozzle("N1", "0#", "closed", {})};
    std::string memory;
    detail::append_nozzle_lines(memory, nozzles);
    EXPECT_EQ(memory, "N\tN1\t0#\tclosed\t\n"
                      "N\tN10\t95#\tin_service\tT\\t3=1\n"
                      "N\tN2\t92#\tin_service\tT1=0.6,T2=0.4\n");
    // Rows as a table scan meets them: legs before their nozzles, out of order.
    detail::StationLines rows;
    rows.add_leg("N2", 2, "T2", 0.4);
    rows.add_nozzle("N2", "92#", "in_service");
    rows.add_leg("N10", 1, "T\t3", 1.0);
    rows.add_leg("N2", 1, "T1", 0.6);
    rows.add_nozzle("N1", "0#", "closed");
    rows.add_nozzle("N10", "95#", "in_service");
    std::string stored;
    ASSERT_TRUE(rows.append_to(stored));
    EXPECT_EQ(stored, memory);
}

TEST(FrameText, RowsThatFormNoLayoutAreRefused) {
    detail::StationLines rows;
    rows.add_nozzle("N1", "92#", "in_service");
    rows.add_leg("N9", 1, "T1", 1.0); // a leg of no nozzle
    std::string out = "kept";
    EXPECT_FALSE(rows.append_to(out));
    EXPECT_EQ(out, "kept");
    rows.clear();
    rows.add_nozzle("N1", "92#", "in_service");
    rows.add_nozzle("N1", "95#", "in_service"); // a nozzle number twice
    EXPECT_FALSE(rows.append_to(out));
    rows.clear();
    rows.add_nozzle("N1", "92#", "in_service");
    rows.add_leg("N1", 1, "T1", 0.5);
    rows.add_leg("N1", 1, "T2", 0.5); // a leg number twice
    EXPECT_FALSE(rows.append_to(out));
    EXPECT_EQ(out, "kept");
}
