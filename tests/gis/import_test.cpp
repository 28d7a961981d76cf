// SPDX-License-Identifier: MIT
// Library-level import: mapping files, the UTF-8 validator, layouts and station lists read in memory.
#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/export.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/registry_file.hpp>

#include "util/utf8.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace fuelmap;
using fuelmap::testing::TempDir;

namespace {

void write(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

} // namespace

TEST(Utf8, AcceptsValidAndFindsTheFirstBadByte) {
    EXPECT_TRUE(detail::is_valid_utf8(""));
    EXPECT_TRUE(detail::is_valid_utf8("plain ascii"));
    EXPECT_TRUE(detail::is_valid_utf8("中石化加油站 92# €"));
    EXPECT_TRUE(detail::is_valid_utf8("\xF0\x9F\x9A\x97"));       // U+1F697
    EXPECT_EQ(detail::find_invalid_utf8("caf\xe9"), 3u);          // Latin-1
    EXPECT_EQ(detail::find_invalid_utf8("\xC0\xAF"), 0u);         // overlong
    EXPECT_EQ(detail::find_invalid_utf8("ab\xED\xA0\x80"), 2u);   // surrogate
    EXPECT_EQ(detail::find_invalid_utf8("\xF4\x90\x80\x80"), 0u); // beyond U+10FFFF
    EXPECT_EQ(detail::find_invalid_utf8("\xE4\xB8"), 0u);         // truncated
    EXPECT_EQ(detail::find_invalid_utf8("x\x80"), 1u);            // stray continuation
}

TEST(ImportMapping, LoadsEveryKeyAndRejectsUnknownOnes) {
    TempDir dir;
    write(dir / "m.json", R"({"layer": "fuel", "fields": {"station_id": "ref", "ownership": "brand"},
        "constants": {"province": "370000", "risk_weight": 2}, "defaults": {"ownership": "other"},
        "values": {"ownership": {"Sinopec": "major"}}, "id_prefix": "OSM-", "ignore": ["amenity"],
        "attributes": false, "crs": "EPSG:3857", "local_metres": false, "comment": "x"})");
    ImportMapping m = load_mapping(dir / "m.json");
    EXPECT_EQ(m.layer, "fuel");
    EXPECT_EQ(m.fields.at("station_id"), "ref");
    EXPECT_EQ(m.constants.at("risk_weight"), "2");
    EXPECT_EQ(m.values.at("ownership").at("Sinopec"), "major");
    EXPECT_EQ(m.id_prefix, "OSM-");
    EXPECT_EQ(m.ignore, std::vector<std::string>{"amenity"});
    EXPECT_FALSE(m.keep_attributes);
    EXPECT_EQ(m.crs, "EPSG:3857");

    write(dir / "bad.json", R"({"feilds": {}})");
    EXPECT_THROW_MSG((void)load_mapping(dir / "bad.json"), InputError, "field 'feilds': unknown key");
    write(dir / "values.json", R"({"fields": {"station_id": "ref"}, "values": {"name": {"a": "b"}}})");
    EXPECT_THROW_MSG((void)load_mapping(dir / "values.json"), InputError, "'fields' does not map");
}

TEST(Import, StationListInMemoryWithConstantsPrefixAndAttributes) {
    TempDir dir;
    write(dir / "list.csv", "no,title,lon,lat,hours\n7,甲站,121.5,37.5,24/7\n8,乙站,121.6,37.6,\n");
    ImportOptions options;
    options.mapping = ImportMapping{};
    options.mapping->fields = {{"station_id", "no"}, {"name", "title"}};
    options.mapping->constants = {{"county", "370602"}, {"risk_weight", "3"}};
    options.mapping->id_prefix = "X-";
    std::size_t last_done = 0;
    options.progress = [&](std::size_t done, std::size_t) { last_done = done; };
    ImportData data = read_import_sources({dir / "list.csv"}, options);
    ASSERT_EQ(data.sites.size(), 2u);
    const Station& s = data.sites[0].station;
    EXPECT_EQ(s.station_id, "X-7");
    EXPECT_EQ(s.name, "甲站");
    EXPECT_EQ(s.county, "370602");
    EXPECT_EQ(s.risk_weight, 3);
    EXPECT_EQ(s.attributes.at("hours"), "24/7");
    EXPECT_EQ(s.attributes.count("lon"), 0u);
    EXPECT_EQ(data.sites[1].station.attributes.count("hours"), 0u); // empty values are not kept
    EXPECT_NEAR(s.location->lon, 121.5, 1e-12);
    EXPECT_EQ(last_done, 2u);
}

TEST(Import, LayoutFromExportedGpkgMatchesTheRegistry) {
    TempDir dir;
    Registry reg = fuelmap::testing::sample_registry(2);
    create_registry(dir / "r.gpkg", reg);
    (void)export_registry(dir / "r.gpkg", dir / "copy.gpkg");
    ImportData data = read_import_sources({dir / "copy.gpkg"});
    ASSERT_EQ(data.sites.size(), 2u);
    const Site& a = data.sites[1];
    const Site& b = reg.sites()[1];
    EXPECT_EQ(a.station.station_id, b.station.station_id);
    ASSERT_EQ(a.nozzles.size(), b.nozzles.size());
    EXPECT_EQ(a.nozzles[5].supply[0].tank_no, b.nozzles[5].supply[0].tank_no);
    EXPECT_EQ(a.outline.size(), b.outline.size());
    EXPECT_EQ(data.features, 2u + 6 + 4 + 12 + 12 + 2 + reg.grades().all().size());
}

TEST(Import, ErrorsCarryTheLocation) {
    TempDir dir;
    write(dir / "list.csv", "station_id,name,X,Y,risk_weight\nA,甲,121,37,1\nB,乙,121,37,zero\n");
    try {
        (void)read_import_sources({dir / "list.csv"});
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, (dir / "list.csv").string());
        EXPECT_EQ(e.where().line, 3);
        EXPECT_EQ(e.where().fid, 2);
        EXPECT_EQ(e.where().feature, "B");
        EXPECT_EQ(e.where().field, "risk_weight");
        EXPECT_EQ(e.problem(), "not an integer: 'zero'");
    }
}
