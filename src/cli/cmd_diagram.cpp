// SPDX-License-Identifier: MIT
// fuelmap diagram: numbered site diagrams (SVG or PDF), plan overlays and round overview maps.
#include "cli/command.hpp"
#include "cli/progress_bar.hpp"
#include "store/pg_name.hpp"
#include "store/registry_store.hpp"
#include "util/file.hpp"
#include "util/file_name.hpp"
#include "util/output_file.hpp"
#include "util/output_guard.hpp"
#include "util/text.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>

namespace fuelmap::cli {

namespace {

namespace fs = std::filesystem;

void make_out_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw InputError({.file = dir.string()},
                         "cannot create the output directory" + (ec ? ": " + ec.message() : std::string()));
}

std::string team_name(const Selection& s) {
    return s.team.empty() ? "no-team" : detail::join(s.team, "+");
}

// The plan's selections to draw (all, or those named), checked against the registry's sites.
std::vector<const Selection*> plan_selections(const Plan& plan, const DiagramCliOptions& opt) {
    std::vector<const Selection*> chosen;
    for (const std::string& id : opt.stations) {
        const auto it = std::find_if(plan.selections.begin(), plan.selections.end(),
                                     [&](const Selection& s) { return s.station_id == id; });
        if (it == plan.selections.end())
            throw InputError({.file = opt.plan, .feature = id, .field = "selections"},
                             "station " + id + " is not selected in the plan");
    }
    for (const Selection& s : plan.selections)
        if (opt.stations.empty() ||
            std::find(opt.stations.begin(), opt.stations.end(), s.station_id) != opt.stations.end())
            chosen.push_back(&s);
    return chosen;
}

} // namespace

int run_diagram(const DiagramCliOptions& opt, std::ostream&, std::ostream& err) {
    const auto lang = parse_diagram_language(opt.lang);
    if (!lang)
        throw UsageError("--lang must be 'en' or 'zh', not '" + opt.lang + "'");
    std::optional<Plan> plan;
    std::vector<const Selection*> selections;
    std::vector<std::string> ids = opt.stations;
    if (!opt.plan.empty()) {
        plan = read_plan(opt.plan);
        selections = plan_selections(*plan, opt);
        ids.clear();
        for (const Selection* s : selections)
            ids.push_back(s->station_id);
        if (ids.empty())
            throw InputError({.file = opt.plan, .field = "selections"}, "the plan selects no station");
    }
    const Registry registry = read_registry(opt.registry, ReadOptions{ids});
    DiagramOptions dopt;
    dopt.language = *lang;
    dopt.date = opt.date;
    if (detail::is_pg_registry(opt.registry)) {
        // A database has no file to hash: the digest of its frame text (no station fields, no
        // draw context; docs/sampling.md section 10) names the registry content instead.
        dopt.registry_digest = detail::open_store(opt.registry)->open_frame(false)->digest({}, "");
        dopt.digest_caption =
            *lang == DiagramLanguage::zh ? "登记库内容 SHA-256" : "Registry content SHA-256";
    } else {
        dopt.registry_digest = detail::sha256_file(opt.registry, "the registry file");
        dopt.digest_caption = *lang == DiagramLanguage::zh ? "登记库文件 SHA-256" : "Registry file SHA-256";
    }

    std::vector<const Site*> sites;
    if (ids.empty()) {
        for (const Site& s : registry.sites())
            sites.push_back(&s);
    } else {
        for (const std::string& id : ids)
            sites.push_back(registry.find(id));
    }
    for (std::size_t i = 0; i < selections.size(); ++i)
        check_plan_picks(*selections[i], *sites[i], opt.plan);
    const fs::path dir(opt.out_dir);
    // No file may replace an input (the registry, the plan, the regions) or a device node; the file
    // names made from station ids and teams are sanitised and unique (docs/diagrams.md).
    detail::OutputGuard guard;
    guard.input(opt.registry, "the registry")
        .input(opt.plan, "the plan")
        .input(opt.regions, "the regions file");
    guard.check_directory(dir);
    detail::UniqueFileStems names;
    for (const Site* site : sites)
        names.add("station\n" + site->station.station_id, site->station.station_id);
    for (const Selection* s : selections) {
        std::string ids; // the route file's name: inspector ids joined with '_'
        for (const std::string& id : s->team)
            ids += (ids.empty() ? "" : "_") + id;
        names.add("team\n" + team_name(*s), "route-" + (ids.empty() ? team_name(*s) : ids));
    }
    const std::map<std::string, std::string> stems = names.stems();
    auto output = [&](const std::string& key, const std::string& ext) {
        fs::path path = dir / (key.empty() ? std::string("overview") : stems.at(key));
        path += ext;
        guard.check_file(path);
        return path;
    };
    make_out_dir(dir);
    if (opt.overview) {
        std::vector<DiagramRegion> regions;
        if (!opt.regions.empty())
            regions = read_regions(opt.regions);
        std::vector<OverviewStop> stops;
        for (std::size_t i = 0; i < sites.size(); ++i) {
            const Station& st = sites[i]->station;
            if (plan)
                stops.push_back({sites[i], selections[i]->stratum, team_name(*selections[i])});
            else
                stops.push_back({sites[i], st.county + "|" + std::string(to_string(st.ownership)), ""});
        }
        const std::string title = plan ? plan->round : fs::path(opt.registry).filename().string();
        DiagramPage page = layout_overview(stops, regions, title, dopt);
        if (opt.format == "svg")
            detail::write_output(output("", ".svg"), to_svg(page));
        else
            write_pdf(std::span<const DiagramPage>(&page, 1), output("", ".pdf"));
        return exit_ok;
    }
    ProgressBar progress("diagram", progress_allowed(opt.quiet));
    std::size_t done = 0;
    std::size_t files = 0;
    if (plan) {
        // Routes: each team's stations in plan order, then by visit date.
        std::vector<std::string> teams;
        std::map<std::string, std::vector<std::size_t>> route;
        for (std::size_t i = 0; i < selections.size(); ++i) {
            const std::string t = team_name(*selections[i]);
            if (!route.count(t))
                teams.push_back(t);
            route[t].push_back(i);
        }
        for (const std::string& t : teams) {
            std::vector<std::size_t>& stops = route[t];
            std::stable_sort(stops.begin(), stops.end(), [&](std::size_t a, std::size_t b) {
                return selections[a]->date < selections[b]->date;
            });
            std::vector<DiagramPage> pages;
            for (std::size_t k = 0; k < stops.size(); ++k) {
                const std::size_t i = stops[k];
                DiagramPlanOverlay overlay{plan->round, *selections[i], static_cast<int>(k + 1),
                                           static_cast<int>(stops.size())};
                DiagramPage page = layout_station(*sites[i], registry.grades(), dopt, &overlay);
                if (opt.format == "svg") {
                    detail::write_output(output("station\n" + sites[i]->station.station_id, ".svg"),
                                         to_svg(page));
                    ++files;
                } else {
                    pages.push_back(std::move(page));
                }
                progress.update(++done, sites.size());
            }
            if (opt.format == "pdf") {
                write_pdf(pages, output("team\n" + t, ".pdf"));
                ++files;
            }
        }
    } else {
        for (const Site* site : sites) {
            DiagramPage page = layout_station(*site, registry.grades(), dopt);
            const std::string key = "station\n" + site->station.station_id;
            if (opt.format == "svg")
                detail::write_output(output(key, ".svg"), to_svg(page));
            else
                write_pdf(std::span<const DiagramPage>(&page, 1), output(key, ".pdf"));
            ++files;
            progress.update(++done, sites.size());
        }
    }
    if (progress_allowed(opt.quiet))
        err << "fuelmap diagram: " << sites.size() << " station(s), " << files << " " << opt.format
            << " file(s) in " << dir.string() << "\n";
    return exit_ok;
}

Runner setup_diagram(CLI::App& app) {
    auto opt = std::make_shared<DiagramCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("station", opt->stations, "Station ids (default: every station)");
    app.add_option("-o,--output", opt->out_dir, "Output directory (created when missing)")->required();
    app.add_option("--format", opt->format,
                   "svg or pdf (one file per station; with --plan, pdf gives one route file per team)")
        ->check(CLI::IsMember({"svg", "pdf"}));
    app.add_option("--lang", opt->lang, "Language of the drawing's words: en or zh")
        ->check(CLI::IsMember({"en", "zh"}));
    app.add_option(
        "--plan", opt->plan,
        "Plan JSON: highlight the nozzles and tanks to sample; with --format pdf one route file per team");
    app.add_flag("--overview", opt->overview,
                 "One map of all selected stations (or the plan's, in route order) coloured by stratum");
    app.add_option(
        "--regions", opt->regions,
        "Region polygons for --overview (any GDAL vector layer; default: hull of each county's stations)");
    app.add_option("--date", opt->date,
                   "Date printed in the title block (default: none, output is deterministic)");
    app.add_flag("-q,--quiet", opt->quiet, "No progress bar or summary");
    return [opt](std::ostream& out, std::ostream& err) { return run_diagram(*opt, out, err); };
}

} // namespace fuelmap::cli
