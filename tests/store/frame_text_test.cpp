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

TEST(FrameText, NozzleLinesReadBackAsWritten) {
    std::vector<Nozzle> written(4);
    written[0].nozzle_no = "N1";
    written[0].grade = "92#";
    written[0].supply = {{"T1", 1.0}};
    written[1].nozzle_no = "N\t2\\x";
    written[1].grade = "9\n5#";
    written[1].status = "out_of_service";
    written[1].supply = {{"T=2", 0.35}}; // '=' in a tank number: split at the last one
    written[2].nozzle_no = "N10";
    written[2].grade = "0#";
    written[2].supply = {{"T\r3", 1e-4}};
    written[3].nozzle_no = "A0";
    written[3].grade = "";
    written[3].supply = {{"T4", 1.0 / 3}};
    std::string text;
    detail::append_nozzle_lines(text, written);
    std::vector<Nozzle> read;
    ASSERT_TRUE(detail::read_nozzle_lines(text, read));
    ASSERT_EQ(read.size(), 4u);
    // In nozzle-number (byte) order, as the text holds them; each field exactly as written.
    EXPECT_EQ(read[0].nozzle_no, "A0");
    EXPECT_EQ(read[1].nozzle_no, "N\t2\\x"); // TAB sorts before '1'
    EXPECT_EQ(read[2].nozzle_no, "N1");
    EXPECT_EQ(read[3].nozzle_no, "N10");
    EXPECT_EQ(read[1].grade, "9\n5#");
    EXPECT_EQ(read[1].status, "out_of_service");
    ASSERT_EQ(read[1].supply.size(), 1u);
    EXPECT_EQ(read[1].supply[0].tank_no, "T=2");
    EXPECT_EQ(read[1].supply[0].fraction, 0.35);
    EXPECT_EQ(read[3].supply[0].tank_no, "T\r3");
    EXPECT_EQ(read[3].supply[0].fraction, 1e-4);
    EXPECT_EQ(read[0].grade, "");
    EXPECT_EQ(read[0].supply[0].fraction, 1.0 / 3); // the shortest text reads back as the same double
    std::string again;
    detail::append_nozzle_lines(again, read);
    EXPECT_EQ(again, text);
    // No nozzles.
    EXPECT_TRUE(detail::read_nozzle_lines("", read));
    EXPECT_TRUE(read.empty());
}

TEST(FrameText, NozzleLinesThatCannotBeReadBackForCertainAreRefused) {
    std::vector<Nozzle> read;
    // Two legs (a blend) or a tank number holding ',': the same text, so neither is read.
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\t92#\tin_service\tT1=0.5,T2=0.5\n", read));
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\t92#\tin_service\tT1,T2=1\n", read));
    // What the writer would not write: no leg, a number in another form, an unknown escape, a raw
    // CR, nozzles out of order, a missing field or line end, another kind of line.
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\t92#\tin_service\t\n", read));
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\t92#\tin_service\tT1=1.0\n", read));
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\t92#\tin_service\tT1=0.0001\n", read)); // it writes 1e-04
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\\q\t92#\tin_service\tT1=1\n", read));
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\r\t92#\tin_service\tT1=1\n", read));
    EXPECT_FALSE(
        detail::read_nozzle_lines("N\tN2\t92#\tin_service\tT1=1\nN\tN1\t92#\tin_service\tT1=1\n", read));
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\t92#\tT1=1\n", read));
    EXPECT_FALSE(detail::read_nozzle_lines("N\tN1\t92#\tin_service\tT1=1", read));
    EXPECT_FALSE(detail::read_nozzle_lines("S\tN1\t92#\tin_service\tT1=1\n", read));
    EXPECT_TRUE(detail::read_nozzle_lines("N\tN1\t92#\tin_service\tT1=1e-04\n", read));
}
