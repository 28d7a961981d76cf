// SPDX-License-Identifier: MIT
// End-to-end: fuelmap publish writes the round's static site, and headless Chromium (Debian's
// `chromium`, no network) opens it from file:// and runs the in-browser verifier: a verified plan,
// a tampered plan, frame and seed, the site before the reveal, and the demo's round carried through
// lab results.
#include <fuelmap/hash.hpp>
#include <fuelmap/plan.hpp>

#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <regex>
#include <set>

using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;
using fuelmap::testing::write_file;

namespace {

const char* const schedule_design = R"({"round": "P1", "sample_size": 8, "strata": ["ownership"],
 "weight_field": "risk_weight", "certainty": ["370602-0002"], "grades": ["92#", "95#", "0#"],
 "inspectors": [
  {"id": "A1", "name": "张伟", "district": "370602", "role": "enforcement"},
  {"id": "A2", "name": "王芳", "district": "370611", "role": "laboratory"},
  {"id": "A3", "name": "李强", "district": "370612", "role": "enforcement"},
  {"id": "A4", "name": "刘洋", "district": "370613", "role": "laboratory"}],
 "team_roles": ["enforcement", "laboratory"], "stations_per_day": 3,
 "depot": {"lon": "121.447", "lat": "37.464"},
 "window": {"start": "2026-06-01", "end": "2026-06-12"}})";

// The page as headless Chromium leaves it after its scripts ran (no network: every request goes
// to a closed local port).
std::string browser_dom(const std::filesystem::path& page) {
    const std::string command = "chromium --headless --no-sandbox --disable-gpu --proxy-server=127.0.0.1:9 "
                                "--virtual-time-budget=20000 --dump-dom 'file://" +
                                page.string() + "' 2>/dev/null";
    std::string dom;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return dom;
    std::array<char, 65536> buf{};
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;)
        dom.append(buf.data(), n);
    pclose(pipe);
    return dom;
}

// The opening tag of #verify-result in @p dom, e.g. <div id="verify-result" data-status="identical">.
std::string verify_status(const std::string& dom) {
    std::smatch m;
    static const std::regex re(R"re(<div id="verify-result" data-status="([a-z]+)")re");
    return std::regex_search(dom, m, re) ? m[1].str() : "(no verify-result: is chromium installed?)";
}

// The difference kinds the page lists.
std::set<std::string> listed_kinds(const std::string& dom) {
    std::set<std::string> kinds;
    static const std::regex re(R"re(<li data-kind="([a-z_]+)")re");
    for (std::sregex_iterator it(dom.begin(), dom.end(), re), end; it != end; ++it)
        kinds.insert((*it)[1].str());
    return kinds;
}

struct Round {
    TempDir dir;
    std::filesystem::path reg = dir / "reg.gpkg";
    std::filesystem::path site = dir / "site";
    std::string seed = "0c0ffee0";
    Round() {
        EXPECT_EQ(run_fuelmap({"synth", "--stations", "40", "--seed", "21", "-o", reg.string()}).exit_code,
                  0);
        write_file(dir / "design.json", schedule_design);
    }
    RunResult plan() {
        return run_fuelmap({"plan", "-r", reg.string(), "--design", (dir / "design.json").string(), "--seed",
                            seed, "-o", (dir / "plan.json").string()});
    }
    RunResult publish(std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"publish", "-r", reg.string(), "--round", "P1", "-o", site.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_fuelmap(args);
    }
};

// Every file of the site, by path relative to it.
std::map<std::string, std::string> site_files(const std::filesystem::path& site) {
    std::map<std::string, std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(site))
        if (e.is_regular_file())
            files[std::filesystem::relative(e.path(), site).string()] = read_file(e.path());
    return files;
}

// @p page with the first occurrence of @p from replaced by @p to (which must exist).
void tamper(const std::filesystem::path& page, const std::string& from, const std::string& to) {
    std::string html = read_file(page);
    const std::size_t at = html.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    html.replace(at, from.size(), to);
    write_file(page, html);
}

} // namespace

TEST(PublishCli, SiteIsSelfContainedListsEveryFileWithItsDigestAndVerifiesInTheBrowser) {
    Round r;
    ASSERT_EQ(r.plan().exit_code, 0);
    const RunResult pub = r.publish({"--lang", "en"});
    ASSERT_EQ(pub.exit_code, 0) << pub.err;
    EXPECT_NE(pub.out.find("published round P1 in " + r.site.string()), std::string::npos) << pub.out;

    const auto files = site_files(r.site);
    for (const char* name :
         {"index.html", "plan.json", "frame.txt", "design.json", "seed.txt", "commitment.txt",
          "registry-digest.txt", "assets/verifier.js", "assets/site.js", "assets/site.css", "SHA256SUMS"})
        EXPECT_TRUE(files.count(name)) << name;
    EXPECT_EQ(files.at("plan.json"), read_file(r.dir / "plan.json")) << "the recorded plan, byte for byte";
    EXPECT_EQ(files.at("seed.txt"), r.seed + "\n");
    const fuelmap::Plan plan = fuelmap::read_plan(r.site / "plan.json");
    EXPECT_EQ(fuelmap::sha256_hex(files.at("frame.txt")), plan.registry_digest);
    EXPECT_EQ(files.at("registry-digest.txt"), plan.registry_digest + "\n");
    // SHA256SUMS names every other file with its digest; the page lists the data files too.
    std::size_t sums = 0;
    for (const auto& [name, content] : files) {
        if (name == "SHA256SUMS")
            continue;
        ++sums;
        EXPECT_NE(files.at("SHA256SUMS").find(fuelmap::sha256_hex(content) + "  " + name + "\n"),
                  std::string::npos)
            << name;
        if (name != "index.html") {
            EXPECT_NE(files.at("index.html").find(fuelmap::sha256_hex(content)), std::string::npos) << name;
        }
    }
    EXPECT_EQ(static_cast<std::size_t>(
                  std::count(files.at("SHA256SUMS").begin(), files.at("SHA256SUMS").end(), '\n')),
              sums);
    // Nothing is loaded from elsewhere: no http(s) address in any file of the site.
    for (const auto& [name, content] : files)
        EXPECT_EQ(content.find("http://"), std::string::npos) << name;
    for (const auto& [name, content] : files)
        EXPECT_EQ(content.find("https://"), std::string::npos) << name;
    EXPECT_NE(files.at("index.html").find("<html lang=\"en\">"), std::string::npos) << "--lang en";
    for (const fuelmap::Selection& s : plan.selections)
        EXPECT_NE(files.at("index.html").find("<tr data-station=\"" + s.station_id + "\">"),
                  std::string::npos);
    EXPECT_NE(files.at("index.html").find("No follow-up cases recorded."), std::string::npos);

    const std::string dom = browser_dom(r.site / "index.html");
    EXPECT_EQ(verify_status(dom), "identical") << dom.substr(0, 2000);
    EXPECT_NE(dom.find("identical: this browser recomputed the plan"), std::string::npos);
    EXPECT_TRUE(listed_kinds(dom).empty());
}

TEST(PublishCli, BrowserNamesATamperedPlanFrameAndSeed) {
    Round r;
    ASSERT_EQ(r.plan().exit_code, 0);
    ASSERT_EQ(r.publish().exit_code, 0);
    const std::filesystem::path page = r.site / "index.html";
    const std::string original = read_file(page);
    const fuelmap::Plan plan = fuelmap::read_plan(r.site / "plan.json");
    const fuelmap::Selection& random_pick = *std::find_if(plan.selections.begin(), plan.selections.end(),
                                                          [](const auto& s) { return s.reason == "random"; });

    // The plan: one selection's inclusion probability edited in the embedded plan.
    tamper(page, "\\\"inclusion_probability\\\": \\\"" + random_pick.inclusion_probability + "\\\"",
           "\\\"inclusion_probability\\\": \\\"1/1000\\\"");
    std::string dom = browser_dom(page);
    EXPECT_EQ(verify_status(dom), "different");
    EXPECT_TRUE(listed_kinds(dom).count("selection_edited")) << dom.substr(0, 3000);
    EXPECT_TRUE(listed_kinds(dom).count("digest"));
    EXPECT_NE(dom.find("inclusion_probability is '1/1000' in the plan"), std::string::npos);

    // The frame: a selected station closed in the embedded frame text.
    write_file(page, original);
    tamper(page, "S\\t" + random_pick.station_id + "\\topen\\t",
           "S\\t" + random_pick.station_id + "\\tclosed\\t");
    dom = browser_dom(page);
    EXPECT_EQ(verify_status(dom), "different");
    EXPECT_TRUE(listed_kinds(dom).count("registry")) << dom.substr(0, 3000);
    EXPECT_NE(dom.find("station " + random_pick.station_id), std::string::npos)
        << "the closed station is named";

    // The seed: a revealed seed that is not the committed one.
    write_file(page, original);
    tamper(page, "id=\"data-seed\">\"" + r.seed + "\"", "id=\"data-seed\">\"" + r.seed + "1\"");
    dom = browser_dom(page);
    EXPECT_EQ(verify_status(dom), "different");
    EXPECT_TRUE(listed_kinds(dom).count("seed")) << dom.substr(0, 3000);
    EXPECT_NE(dom.find("the revealed seed does not match the published commitment"), std::string::npos);
}

TEST(PublishCli, BeforeTheRevealTheSiteShowsWhatIsCommittedAndNoStation) {
    Round r;
    const std::string commitment = "440904e170aae77075692ceca202146ede5eea9450513de4aec62316458b6857";
    // Before the draw: no recorded plan, the design and commitment given.
    RunResult pub = r.publish(
        {"--before-reveal", "--design", (r.dir / "design.json").string(), "--commitment", commitment});
    ASSERT_EQ(pub.exit_code, 0) << pub.err;
    EXPECT_NE(pub.out.find("published the commitments of round P1"), std::string::npos) << pub.out;
    auto check_committed_only = [&](const std::string& expected_commitment) {
        const auto files = site_files(r.site);
        EXPECT_FALSE(files.count("plan.json"));
        EXPECT_FALSE(files.count("frame.txt"));
        EXPECT_FALSE(files.count("seed.txt"));
        EXPECT_EQ(files.at("commitment.txt"), expected_commitment + "\n");
        // The design lists a certainty station: its digest would let anyone try station lists.
        EXPECT_FALSE(files.count("design-digest.txt"));
        EXPECT_NE(files.at("index.html").find("so it is withheld until the reveal"), std::string::npos);
        // No station id (3706xx-NNNN) and no date inside the window other than its first and last day.
        static const std::regex station(R"re(\d{6}-\d{4})re"), visit_day(R"re(2026-06-(0[2-9]|1[01]))re");
        for (const auto& [name, content] : files) {
            EXPECT_FALSE(std::regex_search(content, station)) << name << " names a station";
            EXPECT_FALSE(std::regex_search(content, visit_day)) << name << " names a visit date";
        }
        const std::string dom = browser_dom(r.site / "index.html");
        EXPECT_EQ(verify_status(dom), "committed");
        EXPECT_NE(dom.find(expected_commitment), std::string::npos);
        EXPECT_NE(dom.find("1 个站点（揭晓后公布名单）"), std::string::npos)
            << "the certainty list is only counted";
    };
    check_committed_only(commitment);

    // After the draw, before the window ends: the recorded round, still only what is committed, and
    // never beside the files of a revealed site.
    ASSERT_EQ(r.plan().exit_code, 0);
    ASSERT_EQ(r.publish().exit_code, 0);
    pub = r.publish({"--before-reveal"});
    EXPECT_EQ(pub.exit_code, 2);
    EXPECT_EQ(pub.err,
              "fuelmap publish: error: " + (r.site / "plan.json").string() +
                  ": is in the output directory: a site before the reveal is written into a directory "
                  "without the plan, frame, seed or results of a revealed round\n");
    std::filesystem::remove_all(r.site);
    pub = r.publish({"--before-reveal"});
    ASSERT_EQ(pub.exit_code, 0) << pub.err;
    check_committed_only(fuelmap::read_plan(r.dir / "plan.json").seed_commitment);
}

TEST(PublishCli, BadInputIsRefusedNamingWhatIsWrong) {
    Round r;
    RunResult pub = r.publish();
    EXPECT_EQ(pub.exit_code, 2);
    EXPECT_EQ(pub.err,
              "fuelmap publish: error: " + r.reg.string() +
                  ": round 'P1' has no recorded plan; before the draw, publish what is committed with "
                  "--before-reveal --design D.json --commitment C\n");
    pub = r.publish({"--before-reveal", "--design", (r.dir / "design.json").string(), "--commitment", "abc"});
    EXPECT_EQ(pub.exit_code, 2);
    EXPECT_NE(pub.err.find("--commitment"), std::string::npos) << pub.err;
    EXPECT_NE(pub.err.find("must be 64 lowercase hex digits (got 'abc')"), std::string::npos) << pub.err;
    EXPECT_EQ(r.publish({"--lang", "fr"}).exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(r.site)) << "nothing written";

    // A registry changed since the plan: its frame no longer hashes to the plan's registry digest.
    ASSERT_EQ(r.plan().exit_code, 0);
    fuelmap::testing::exec_sql(r.reg,
                               "UPDATE stations SET ownership = 'other' WHERE station_id = '370602-0001'");
    pub = r.publish();
    EXPECT_EQ(pub.exit_code, 2);
    EXPECT_NE(pub.err.find("the registry changed since round 'P1' was drawn: its frame hashes to "),
              std::string::npos)
        << pub.err;
    EXPECT_FALSE(std::filesystem::exists(r.site / "index.html"));
}

// The demo's round: the example registry, the example design and inspectors, lab results for every
// nozzle sample (one planted failure), then the site, verified in the browser.
TEST(PublishCli, DemoRoundThroughLabResultsAndACaseIsPublishedAndVerified) {
    TempDir dir;
    const std::filesystem::path reg = dir / "reg.gpkg", site = dir / "site";
    ASSERT_EQ(run_fuelmap({"import", fuelmap::testing::source_path("maps/example").string(), "-r",
                           reg.string(), "--quiet"})
                  .exit_code,
              0);
    const RunResult drawn =
        run_fuelmap({"plan", "-r", reg.string(), "--design",
                     fuelmap::testing::source_path("maps/rounds/2026-12.design.json").string(), "--seed",
                     "demo-seed", "-o", (dir / "plan.json").string()});
    ASSERT_EQ(drawn.exit_code, 0) << drawn.err;
    const fuelmap::Plan plan = fuelmap::read_plan(dir / "plan.json");
    std::string lab = "sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab\n";
    std::string failed_sample, failed_station;
    for (const fuelmap::Selection& s : plan.selections)
        for (const fuelmap::PlannedSample& p : s.samples) {
            const bool diesel = p.grade == "0#";
            std::string value = diesel ? "830.5" : p.grade == "92#" ? "92.6" : "95.4";
            if (!diesel && p.grade == "95#" && failed_sample.empty()) {
                value = "93.1";
                failed_sample = p.nozzle_sample_id;
                failed_station = s.station_id;
            }
            lab += p.nozzle_sample_id + "," + s.station_id + ",nozzle," + p.nozzle_no + ",,," +
                   (diesel ? "density," + value + ",kg/m3,SH/T 0604" : "RON," + value + ",-,GB/T 5487") +
                   ",L1\n";
        }
    ASSERT_FALSE(failed_sample.empty());
    write_file(dir / "lab.csv", lab);
    const RunResult recorded = run_fuelmap({"lab", "-r", reg.string(), (dir / "lab.csv").string(), "-q"});
    ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
    // The failed batch opens a follow-up case; its first step is recorded before publication.
    const std::string actors = fuelmap::testing::source_path("maps/rounds/actors.csv").string();
    const RunResult opened =
        run_fuelmap({"case", "open", "-r", reg.string(), "--round", plan.round, "--date", "2026-12-20",
                     "--actor", "YT-AMR", "--doc", "D-1", "--actors", actors});
    ASSERT_EQ(opened.exit_code, 0) << opened.err;
    const std::string case_id = plan.round + "/" + failed_station + "/95#";
    const RunResult delivered =
        run_fuelmap({"case", "advance", "-r", reg.string(), case_id, "--step", "delivered", "--date",
                     "2026-12-21", "--actor", "YT-07", "--doc", "送达回证 D-2", "--actors", actors});
    ASSERT_EQ(delivered.exit_code, 0) << delivered.err;
    const RunResult pub =
        run_fuelmap({"publish", "-r", reg.string(), "--round", plan.round, "-o", site.string()});
    ASSERT_EQ(pub.exit_code, 0) << pub.err;
    const std::string html = read_file(site / "index.html");
    EXPECT_NE(html.find("data-cases=\"1\" data-open=\"1\""), std::string::npos) << "one case, open";
    EXPECT_NE(html.find("<tr data-case=\"" + case_id + "\" data-stage=\"delivered\" data-outcome=\"\""),
              std::string::npos);
    EXPECT_NE(html.find("送达回证 D-2"), std::string::npos) << "the last step's document";
    EXPECT_NE(html.find("<table id=\"cases-strata\">"), std::string::npos);
    EXPECT_EQ(html.find("No follow-up cases recorded."), std::string::npos);
    EXPECT_NE(html.find("<table id=\"results-table\">"), std::string::npos);
    EXPECT_NE(html.find("<code>non-conforming</code>"), std::string::npos) << "the planted failure";
    EXPECT_NE(html.find("stats.svg"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(site / "lab-results.csv"));
    EXPECT_NE(read_file(site / "lab-results.csv").find(failed_sample + ",370"), std::string::npos);
    const std::string dom = browser_dom(site / "index.html");
    EXPECT_EQ(verify_status(dom), "identical") << dom.substr(0, 2000);
}
