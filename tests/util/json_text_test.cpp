// SPDX-License-Identifier: MIT
// JSON text written without nlohmann (detail/json_text.hpp, detail/audit_json.hpp) against what
// nlohmann's dump writes: the audit's JSON output must not change by a byte.
#include "audit/audit_json.hpp"
#include "util/json_text.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace fuelmap;

namespace {

std::string nlohmann_dump(const nlohmann::ordered_json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string fast_string(std::string_view s) {
    std::string out = "x"; // appends, never overwrites
    detail::append_json_string(out, s);
    return out.substr(1);
}

std::string fast_number(double x) {
    std::string out;
    detail::append_json_number(out, x);
    return out;
}

// What `fuelmap audit --format json` built for a finding before it wrote JSON itself.
nlohmann::ordered_json reference_json(const AuditFinding& f) {
    nlohmann::ordered_json j;
    j["station_id"] = f.station_id;
    j["element"] = f.element_kind;
    j["element_no"] = f.element_no;
    j["grade"] = f.grade;
    j["class"] = std::string(to_string(f.cls));
    j["critical"] = is_critical(f.cls);
    j["message"] = f.message;
    j["evidence"] = f.evidence;
    if (f.position)
        j["position"] = {f.position->lon, f.position->lat};
    else
        j["position"] = nullptr;
    return j;
}

// dump(2) with every line indented by four more spaces, as the finding sits in the document.
std::string reference_text(const AuditFinding& f) {
    const std::string one = nlohmann_dump(reference_json(f), 2);
    std::string out;
    std::size_t from = 0;
    for (std::size_t nl; (nl = one.find('\n', from)) != std::string::npos; from = nl + 1)
        out.append("    ").append(one, from, nl + 1 - from);
    return out.append("    ").append(one, from);
}

const std::vector<std::string> awkward_strings = {
    "",
    "plain",
    "say \"95#\"",
    "C:\\tanks\\T1",
    "tab\there, newline\nthere, cr\r, bs\b, ff\f",
    std::string("nul \0 inside", 12),
    "\x01\x1f\x7f",
    "中石化 加油站 (第一)",
    "mixed 中文 \"quoted\" \\ and \x02",
    "invalid \xff byte",
    "truncated \xe4\xb8",
    "overlong \xc0\xaf and surrogate \xed\xa0\x80",
    "\xe4\xb8\xad\x80 stray continuation",
    "four bytes \xf0\x9f\x9b\xa2 and too big \xf4\x90\x80\x80",
};

} // namespace

TEST(JsonText, StringsMatchNlohmann) {
    for (const std::string& s : awkward_strings)
        EXPECT_EQ(fast_string(s), nlohmann_dump(s)) << s;
    // Every single byte, alone and between text.
    for (int b = 0; b < 256; ++b) {
        const std::string s(1, static_cast<char>(b));
        EXPECT_EQ(fast_string(s), nlohmann_dump(s)) << b;
        EXPECT_EQ(fast_string("a" + s + "中"), nlohmann_dump("a" + s + "中")) << b;
    }
    // Every byte at each place of the eight-byte words the escaper scans, in ASCII and in CJK text.
    for (int b = 0; b < 256; ++b)
        for (std::size_t at = 0; at <= 24; ++at) {
            std::string plain(24, 'x');
            plain.insert(at, 1, static_cast<char>(b));
            ASSERT_EQ(fast_string(plain), nlohmann_dump(plain)) << b << " at " << at;
            std::string cjk = "中文加油站油罐加油枪";
            cjk.insert(at, 1, static_cast<char>(b));
            ASSERT_EQ(fast_string(cjk), nlohmann_dump(cjk)) << b << " at " << at;
        }
    // Long random texts, mostly plain with quotes, backslashes, control bytes and UTF-8 mixed in.
    std::mt19937_64 gen(11);
    const std::vector<std::string> pieces = {"abcdefgh", "\"", "\\", "\n",        "\x01",
                                             "中",       "油", " ",  "0123456789"};
    for (int i = 0; i < 2000; ++i) {
        std::string text;
        const std::size_t n = gen() % 64;
        for (std::size_t k = 0; k < n; ++k)
            text += pieces[gen() % pieces.size()].substr(0, 1 + gen() % 8);
        ASSERT_EQ(fast_string(text), nlohmann_dump(text)) << text;
    }
}

TEST(JsonText, NumbersMatchNlohmann) {
    const double inf = std::numeric_limits<double>::infinity();
    for (double x : {117.0, -0.5, 1e-7, 123456789.123, 0.0, -0.0, 26.436389900000002, 121.39, 37.54, 1e15,
                     1e16, 0.0001, 0.00001, -180.0, 90.0, 5e-324, std::numeric_limits<double>::max(), inf,
                     std::numeric_limits<double>::quiet_NaN()})
        EXPECT_EQ(fast_number(x), nlohmann_dump(x)) << x;
    EXPECT_EQ(fast_number(117.0), "117.0");
    EXPECT_EQ(fast_number(1e-7), "1e-07");
    EXPECT_EQ(fast_number(inf), "null");
    // Random bit patterns and coordinates with 6 or 7 decimals (where Grisu2 is often not shortest).
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> lon(73.0, 135.0);
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t bits = gen();
        double x;
        std::memcpy(&x, &bits, sizeof x);
        ASSERT_EQ(fast_number(x), nlohmann_dump(x)) << bits;
        const double c = std::round(lon(gen) * 1e7) / 1e7;
        ASSERT_EQ(fast_number(c), nlohmann_dump(c)) << c;
    }
}

TEST(AuditJson, FindingsMatchNlohmannDump) {
    AuditFinding base;
    base.station_id = "370602-0001";
    base.element_kind = "nozzle";
    base.element_no = "N2";
    base.grade = "95#";
    base.cls = AuditClass::cross_connection;
    base.message = "labelled 95# but draws from T1 92# (declared T2)";
    base.evidence = {"observed T1 by dispense_and_watch_gauge (I01;I02, 2024-05-17)"};
    base.position = GeoPoint{117.0, -0.5};

    std::vector<AuditFinding> findings;
    findings.push_back(base);
    for (const std::string& s : awkward_strings) {
        AuditFinding f = base;
        f.station_id = s;
        f.element_no = s;
        f.grade = s;
        f.message = s;
        f.evidence = {s, "second line", s + s};
        f.cls = AuditClass::consistent;
        findings.push_back(f);
    }
    AuditFinding f = base;
    f.evidence.clear(); // []
    f.position.reset(); // null
    f.cls = AuditClass::unverified;
    findings.push_back(f);
    for (GeoPoint p :
         {GeoPoint{1e-7, 123456789.123}, GeoPoint{-0.0, 0.0}, GeoPoint{121.3912345, 37.5412346}}) {
        f.position = p;
        findings.push_back(f);
    }
    for (const AuditFinding& one : findings) {
        std::string got = "[\n"; // appends to what is there
        detail::append_finding_json(got, one, "    ");
        EXPECT_EQ(got, "[\n" + reference_text(one)) << one.message;
    }
    // The shape, once spelt out.
    std::string got;
    detail::append_finding_json(got, f, "");
    EXPECT_EQ(got,
              "{\n  \"station_id\": \"370602-0001\",\n  \"element\": \"nozzle\",\n  \"element_no\": \"N2\",\n"
              "  \"grade\": \"95#\",\n  \"class\": \"unverified\",\n  \"critical\": false,\n"
              "  \"message\": \"labelled 95# but draws from T1 92# (declared T2)\",\n  \"evidence\": [],\n"
              "  \"position\": [\n    121.3912345,\n    37.5412346\n  ]\n}");
}
