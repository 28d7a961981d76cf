// SPDX-License-Identifier: MIT
// fuelmap publish: the round's static site (docs/publish.md). Gathers the recorded plan, the frame
// text it was drawn from (the library's one frame writer), lab results, audit verdicts and round
// statistics, and writes the page, its assets and the data files, each whole, then SHA256SUMS.
#include <fuelmap/audit_results.hpp>
#include <fuelmap/case_registry.hpp>
#include <fuelmap/case_stats.hpp>
#include <fuelmap/design.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/publish.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/sampler.hpp>

#include "publish/site_page.hpp"
#include "publish/web_assets.hpp"
#include "util/csv_cell.hpp"
#include "util/output_file.hpp"
#include "util/output_guard.hpp"
#include "util/table_csv.hpp"

#include <set>

namespace fuelmap {

namespace {

// Writes the site's files in order and remembers each one's digest.
class SiteWriter {
public:
    SiteWriter(std::filesystem::path dir, const detail::OutputGuard& guard)
        : m_dir(std::move(dir)), m_guard(guard) {}

    void write(const std::string& name, std::string_view content) {
        const std::filesystem::path path = m_dir / name;
        std::filesystem::create_directories(path.parent_path());
        m_guard.check_file(path);
        detail::write_output(path, content);
        m_files.push_back({name, sha256_hex(content), content.size()});
    }

    [[nodiscard]] const std::vector<PublishedFile>& files() const noexcept { return m_files; }

private:
    std::filesystem::path m_dir;
    const detail::OutputGuard& m_guard;
    std::vector<PublishedFile> m_files;
};

std::string sums_text(const std::vector<PublishedFile>& files) {
    std::string out;
    for (const PublishedFile& f : files)
        out += f.sha256 + "  " + f.name + "\n";
    return out;
}

// The recorded plan of @p round, if any.
std::optional<Plan> recorded_plan(const std::filesystem::path& registry, const std::string& round) {
    for (Plan& p : read_recorded_plans(registry))
        if (p.round == round)
            return std::move(p);
    return std::nullopt;
}

// Lab results, audit verdicts and statistics of the round (empty when no result is recorded).
void add_results(const PublishRequest& req, detail::SiteContent& c) {
    std::set<std::string> sample_ids;
    for (const Selection& s : c.plan.selections)
        for (const PlannedSample& p : s.samples) {
            sample_ids.insert(p.nozzle_sample_id);
            sample_ids.insert(p.tank_sample_ids.begin(), p.tank_sample_ids.end());
        }
    for (LabResult& r : read_recorded_lab_results(req.registry))
        if (sample_ids.count(r.sample_id))
            c.lab.push_back(std::move(r));
    if (c.lab.empty())
        return;
    for (const LabResult& r : c.lab)
        if (r.source == SampleSource::nozzle)
            c.results[r.sample_id].results.push_back(&r);
    AuditRequest audit;
    audit.registry = req.registry;
    audit.round = req.round;
    const AuditReport report = audit_registry(audit);
    std::map<std::pair<std::string, std::string>, std::string> verdict;
    for (const AuditFinding& f : report.findings)
        if (f.element_kind == "nozzle")
            verdict[{f.station_id, f.element_no}] = std::string(to_string(f.cls));
    for (const Selection& s : c.plan.selections)
        for (const PlannedSample& p : s.samples) {
            auto r = c.results.find(p.nozzle_sample_id);
            auto v = verdict.find({s.station_id, p.nozzle_no});
            if (r != c.results.end() && v != verdict.end())
                r->second.verdict = v->second;
        }
    c.stats = round_statistics(req.registry, req.round);
    std::vector<RoundStats> history;
    for (const Plan& p : read_recorded_plans(req.registry))
        history.push_back(p.round == req.round ? *c.stats : round_statistics(req.registry, p.round));
    c.stats_svg = stats_svg(*c.stats, history, req.lang);
}

// The round's follow-up cases (docs/cases.md) with their status and the counts per stratum.
void add_cases(const PublishRequest& req, detail::SiteContent& c) {
    for (Case& k : read_cases(req.registry))
        if (k.round == req.round)
            c.cases.push_back(std::move(k));
    if (!c.cases.empty())
        c.case_stats = case_statistics(c.plan, c.cases);
}

void add_plan(const PublishRequest& req, const Plan& plan, detail::SiteContent& c) {
    const std::string rfile = req.registry.string();
    c.plan = plan;
    c.plan_text = plan_to_json(plan);
    c.seed = plan.seed;
    const Design design = parse_design(plan.design_json, rfile + " (round " + plan.round + ", design)",
                                       req.registry.parent_path());
    for (const Inspector& i : design.inspectors)
        c.inspector_names[i.id] = i.name;
    const Registry registry = read_registry(req.registry);
    c.frame_text = frame_text(registry, design, load_draw_context(req.registry, design));
    const std::string digest = sha256_hex(c.frame_text);
    if (digest != plan.registry_digest)
        throw InputError({.file = rfile},
                         "the registry changed since round '" + plan.round +
                             "' was drawn: its frame hashes to " + digest +
                             " but the plan's registry_digest is " + plan.registry_digest +
                             "; publish from a copy of the registry as it was when the plan was drawn");
    for (const Selection& s : plan.selections) {
        const Site* site = registry.find(s.station_id);
        if (!site)
            continue;
        detail::SiteStation st{site->station.name, site->station.county, site->station.address, {}, {}};
        if (site->station.location) {
            st.lon = site->station.location->lon;
            st.lat = site->station.location->lat;
        }
        c.stations.emplace(s.station_id, std::move(st));
    }
}

} // namespace

PublishResult publish_round(const PublishRequest& req) {
    if (req.lang != "zh" && req.lang != "en")
        throw InputError({.field = "--lang"}, "must be zh or en (got '" + req.lang + "')");
    detail::OutputGuard guard;
    guard.input(req.registry, "the registry");
    if (req.design)
        guard.input(*req.design, "the design");
    guard.check_directory(req.output);

    // A site before the reveal must not sit beside the files of a revealed one.
    if (req.before_reveal)
        for (const char* name : {"plan.json", "frame.txt", "seed.txt", "lab-results.csv"})
            if (std::filesystem::exists(req.output / name))
                throw InputError({.file = (req.output / name).string()},
                                 "is in the output directory: a site before the reveal is written into a "
                                 "directory without the plan, frame, seed or results of a revealed round");

    detail::SiteContent c;
    c.lang = req.lang;
    c.round = req.round;
    const std::optional<Plan> plan = recorded_plan(req.registry, req.round);
    const std::string rfile = req.registry.string();
    if (plan) {
        if (req.design && read_design(*req.design).canonical_json != plan->design_json)
            throw InputError({.file = req.design->string()},
                             "differs from the design recorded for round '" + req.round + "' in " + rfile);
        if (req.commitment && *req.commitment != plan->seed_commitment)
            throw InputError({.field = "--commitment"}, "is not the seed commitment " +
                                                            plan->seed_commitment + " recorded for round '" +
                                                            req.round + "' in " + rfile);
        c.design_json = plan->design_json;
        c.commitment = plan->seed_commitment;
        c.registry_digest = plan->registry_digest;
        c.revealed = !req.before_reveal;
    } else {
        if (!req.before_reveal || !req.design || !req.commitment)
            throw InputError({.file = rfile},
                             "round '" + req.round +
                                 "' has no recorded plan; before the draw, publish what is committed with "
                                 "--before-reveal --design D.json --commitment C");
        const Design design = read_design(*req.design);
        if (design.round != req.round)
            throw InputError({.file = req.design->string(), .field = "round"},
                             "is '" + design.round + "', not the round '" + req.round + "' to publish");
        if (req.commitment->size() != 64 ||
            req.commitment->find_first_not_of("0123456789abcdef") != std::string::npos)
            throw InputError({.field = "--commitment"},
                             "must be 64 lowercase hex digits (got '" + *req.commitment + "')");
        c.design_json = design.canonical_json;
        c.commitment = *req.commitment;
        c.registry_digest = frame_digest(req.registry, design);
    }
    // Before the reveal the digest of a design that lists stations would let anyone try station lists
    // until one hashes to it: it is published only when the design names no station.
    const Design design_read = parse_design(c.design_json, rfile + " (design)", req.registry.parent_path());
    if (c.revealed || (design_read.certainty.empty() && design_read.exclude.empty()))
        c.design_digest = sha256_hex(c.design_json);
    if (c.revealed) {
        add_plan(req, *plan, c);
        add_results(req, c);
        add_cases(req, c);
    }

    // Data files first (the page lists them with their digests), then the page, then SHA256SUMS.
    SiteWriter out(req.output, guard);
    out.write("commitment.txt", c.commitment + "\n");
    out.write("registry-digest.txt", c.registry_digest + "\n");
    if (c.revealed) {
        out.write("design.json", c.design_json);
        out.write("seed.txt", c.seed + "\n");
        out.write("frame.txt", c.frame_text);
        out.write("plan.json", c.plan_text);
        if (!c.lab.empty()) {
            std::string csv = "sample_id,station_id,source,element_no,property,value,unit,method,lab\n";
            for (const LabResult& r : c.lab)
                csv += detail::csv_text_field(r.sample_id) + "," + detail::csv_text_field(r.station_id) +
                       "," + std::string(to_string(r.source)) + "," + detail::csv_text_field(r.element_no) +
                       "," + detail::csv_text_field(r.property) + "," + detail::format_number(r.value) + "," +
                       detail::csv_text_field(r.unit) + "," + detail::csv_text_field(r.method) + "," +
                       detail::csv_text_field(r.lab) + "\n";
            out.write("lab-results.csv", csv);
        }
        if (!c.stats_svg.empty())
            out.write("stats.svg", c.stats_svg);
    } else {
        if (!c.design_digest.empty())
            out.write("design-digest.txt", c.design_digest + "\n");
    }
    out.write("assets/verifier.js", detail::web_verifier_js);
    out.write("assets/site.js", detail::web_site_js);
    out.write("assets/site.css", detail::web_site_css);
    c.downloads = out.files();
    out.write("index.html", detail::site_html(c));
    PublishResult result;
    result.revealed = c.revealed;
    result.files = out.files();
    const std::string sums = sums_text(result.files);
    out.write("SHA256SUMS", sums);
    return result;
}

} // namespace fuelmap
