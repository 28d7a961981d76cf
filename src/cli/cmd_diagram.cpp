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
#include <set>

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

// The route file's name: inspector ids joined with '_'.
std::string route_stem(const std::vector<std::string>& members, const std::string& fallback) {
    return "route-" + (members.empty() ? fallback : detail::join(members, "_"));
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

// A scheduled plan's teams and routes hang together: every route names a team of the plan and
// selected stations, and every selected station is in exactly one route.
void check_routes(const Plan& plan, const std::string& file) {
    std::set<std::string> teams;
    for (const Team& t : plan.teams)
        teams.insert(t.name);
    std::map<std::string, std::string> route_of; // station → "T01 on 2026-12-03"
    for (const Selection& s : plan.selections)
        route_of.emplace(s.station_id, "");
    for (const Route& r : plan.routes) {
        const std::string what = r.team + " on " + r.date;
        if (!teams.count(r.team))
            throw InputError({.file = file, .feature = r.team, .field = "routes"},
                             "the route of " + what + " names team " + r.team +
                                 ", which the plan's teams do not list");
        if (r.stations.empty())
            throw InputError({.file = file, .feature = r.team, .field = "routes"},
                             "the route of " + what + " has no station");
        for (const std::string& id : r.stations) {
            const auto it = route_of.find(id);
            if (it == route_of.end())
                throw InputError({.file = file, .feature = id, .field = "routes"},
                                 "the route of " + what + " names station " + id +
                                     ", which the plan does not select");
            if (!it->second.empty())
                throw InputError({.file = file, .feature = id, .field = "routes"},
                                 "station " + id + " is in two routes: " + it->second + " and " + what);
            it->second = what;
        }
    }
    for (const auto& [id, what] : route_of)
        if (what.empty())
            throw InputError({.file = file, .feature = id, .field = "routes"},
                             "station " + id + " is selected but in no route of the plan");
}

// The county areas under the maps: the boundary layer given, else the synthetic registry's county
// boxes, else none (the overview then draws hulls).
MapBoundaries map_boundaries(const DiagramCliOptions& opt, const std::vector<const Site*>& sites) {
    MapBoundaries b;
    if (!opt.boundaries.empty()) {
        b.areas = read_regions(opt.boundaries, opt.boundary_field);
        b.source = BoundarySource::layer;
    } else {
        b.areas = synthetic_county_boxes(sites);
        b.source = b.areas.empty() ? BoundarySource::none : BoundarySource::synthetic;
    }
    return b;
}

} // namespace

int run_diagram(const DiagramCliOptions& opt, std::ostream&, std::ostream& err) {
    const auto lang = parse_diagram_language(opt.lang);
    if (!lang)
        throw UsageError("--lang must be 'en' or 'zh', not '" + opt.lang + "'");
    if (opt.boundary_field.empty())
        throw UsageError("--boundary-field must name the boundary layer's county code field");
    std::optional<Plan> plan;
    std::vector<const Selection*> selections;
    std::vector<std::string> ids = opt.stations;
    bool scheduled = false; // a plan with teams and routes: route packs by team-day
    if (!opt.plan.empty()) {
        plan = read_plan(opt.plan);
        selections = plan_selections(*plan, opt);
        if (selections.empty())
            throw InputError({.file = opt.plan, .field = "selections"}, "the plan selects no station");
        scheduled = !plan->routes.empty();
        if (scheduled)
            check_routes(*plan, opt.plan);
        // A day map shows its whole route, so a scheduled plan reads every station it selects.
        ids.clear();
        if (scheduled)
            for (const Selection& s : plan->selections)
                ids.push_back(s.station_id);
        else
            for (const Selection* s : selections)
                ids.push_back(s->station_id);
    }
    const Registry registry = read_registry(opt.registry, ReadOptions{ids});
    DiagramOptions dopt;
    dopt.language = *lang;
    dopt.date = opt.date;
    if (detail::is_pg_registry(opt.registry)) {
        // A database has no file to hash: the digest of its frame text (no station fields, no
        // draw context; docs/sampling.md section 10) names the registry content instead.
        dopt.registry_digest = detail::open_store(opt.registry)->open_frame(false, false)->digest({}, "");
        dopt.digest_caption =
            *lang == DiagramLanguage::zh ? "登记库内容 SHA-256" : "Registry content SHA-256";
    } else {
        dopt.registry_digest = detail::sha256_file(opt.registry, "the registry file");
        dopt.digest_caption = *lang == DiagramLanguage::zh ? "登记库文件 SHA-256" : "Registry file SHA-256";
    }

    std::vector<const Site*> sites; // the stations drawn: every one, those named, or the plan's chosen
    if (plan) {
        for (const Selection* s : selections)
            sites.push_back(registry.find(s->station_id));
    } else if (ids.empty()) {
        for (const Site& s : registry.sites())
            sites.push_back(&s);
    } else {
        for (const std::string& id : ids)
            sites.push_back(registry.find(id));
    }
    for (std::size_t i = 0; i < selections.size(); ++i)
        check_plan_picks(*selections[i], *sites[i], opt.plan);
    const fs::path dir(opt.out_dir);
    // No file may replace an input (the registry, the plan, the boundaries) or a device node; the file
    // names made from station ids and teams are sanitised and unique (docs/diagrams.md).
    detail::OutputGuard guard;
    guard.input(opt.registry, "the registry")
        .input(opt.plan, "the plan")
        .input(opt.boundaries, "the boundary layer");
    guard.check_directory(dir);
    detail::UniqueFileStems names;
    for (const Site* site : sites)
        names.add("station\n" + site->station.station_id, site->station.station_id);
    if (scheduled) {
        for (const Team& t : plan->teams)
            names.add("team\n" + t.name, route_stem(t.members, t.name));
        for (const Route& r : plan->routes) {
            const auto t = std::find_if(plan->teams.begin(), plan->teams.end(),
                                        [&](const Team& team) { return team.name == r.team; });
            names.add("day\n" + r.team + "\n" + r.date, route_stem(t->members, t->name) + "-" + r.date);
        }
    } else {
        for (const Selection* s : selections)
            names.add("team\n" + team_name(*s), route_stem(s->team, team_name(*s)));
    }
    const std::map<std::string, std::string> stems = names.stems();
    auto output = [&](const std::string& key, const std::string& ext) {
        fs::path path = dir / (key.empty() ? std::string("overview") : stems.at(key));
        path += ext;
        guard.check_file(path);
        return path;
    };
    auto write_one = [&](const DiagramPage& page, const std::string& key) {
        if (opt.format == "svg")
            detail::write_output(output(key, ".svg"), to_svg(page));
        else
            write_pdf(std::span<const DiagramPage>(&page, 1), output(key, ".pdf"));
    };
    const bool maps = opt.overview || scheduled;
    const MapBoundaries boundaries = maps ? map_boundaries(opt, sites) : MapBoundaries{};
    make_out_dir(dir);

    // Teams by name: their position in the plan (their colour) and themselves.
    std::map<std::string, std::pair<std::size_t, const Team*>> team_of;
    if (plan)
        for (std::size_t i = 0; i < plan->teams.size(); ++i)
            team_of[plan->teams[i].name] = {i, &plan->teams[i]};
    auto base_of = [](const Team& t) {
        return GeoPoint{static_cast<double>(t.base_lon_e6) / 1e6, static_cast<double>(t.base_lat_e6) / 1e6};
    };

    if (opt.overview) {
        std::vector<OverviewStop> stops;
        std::map<std::string, std::size_t> stop_of;
        for (std::size_t i = 0; i < sites.size(); ++i) {
            const Station& st = sites[i]->station;
            stop_of[st.station_id] = i;
            if (plan)
                stops.push_back({sites[i], selections[i]->stratum, team_name(*selections[i])});
            else
                stops.push_back({sites[i], st.county + "|" + std::string(to_string(st.ownership)), ""});
        }
        std::vector<MapRoute> routes;
        if (scheduled)
            for (const Route& r : plan->routes) {
                const auto& [index, team] = team_of.at(r.team);
                MapRoute m{r.team, team->members, index, base_of(*team), {}};
                for (const std::string& id : r.stations)
                    if (const auto it = stop_of.find(id); it != stop_of.end())
                        m.stops.push_back(it->second);
                if (!m.stops.empty())
                    routes.push_back(std::move(m));
            }
        const std::string title = plan ? plan->round : fs::path(opt.registry).filename().string();
        write_one(layout_overview(stops, boundaries, routes, title, dopt), "");
        return exit_ok;
    }
    ProgressBar progress("diagram", progress_allowed(opt.quiet));
    std::size_t done = 0;
    std::size_t files = 0;
    auto station_page = [&](std::size_t i, int stop, int stops) {
        DiagramPlanOverlay overlay{plan->round, *selections[i], stop, stops};
        DiagramPage page = layout_station(*sites[i], registry.grades(), dopt, &overlay);
        progress.update(++done, sites.size());
        return page;
    };
    if (scheduled) {
        // Per team one pack: per team-day (by date) the day map, then the pages of the day's stations
        // in visiting order ("Stop k/n" of the day).
        std::map<std::string, std::size_t> chosen; // station → index in selections
        for (std::size_t i = 0; i < selections.size(); ++i)
            chosen[selections[i]->station_id] = i;
        for (const Team& team : plan->teams) {
            std::vector<const Route*> days;
            for (const Route& r : plan->routes)
                if (r.team == team.name)
                    days.push_back(&r);
            std::vector<DiagramPage> pages;
            for (std::size_t d = 0; d < days.size(); ++d) {
                const Route& r = *days[d];
                if (std::none_of(r.stations.begin(), r.stations.end(),
                                 [&](const std::string& id) { return chosen.count(id) > 0; }))
                    continue;
                DayMap day{plan->round,
                           r,
                           team,
                           team_of.at(team.name).first,
                           {},
                           static_cast<int>(d + 1),
                           static_cast<int>(days.size())};
                for (const std::string& id : r.stations)
                    day.sites.push_back(registry.find(id));
                DiagramPage map = layout_day_map(day, boundaries, dopt);
                if (opt.format == "svg") {
                    detail::write_output(output("day\n" + r.team + "\n" + r.date, ".svg"), to_svg(map));
                    ++files;
                } else {
                    pages.push_back(std::move(map));
                }
                for (std::size_t k = 0; k < r.stations.size(); ++k) {
                    const auto it = chosen.find(r.stations[k]);
                    if (it == chosen.end())
                        continue;
                    DiagramPage page = station_page(it->second, static_cast<int>(k + 1),
                                                    static_cast<int>(r.stations.size()));
                    if (opt.format == "svg") {
                        detail::write_output(output("station\n" + r.stations[k], ".svg"), to_svg(page));
                        ++files;
                    } else {
                        pages.push_back(std::move(page));
                    }
                }
            }
            if (!pages.empty()) {
                write_pdf(pages, output("team\n" + team.name, ".pdf"));
                ++files;
            }
        }
    } else if (plan) {
        // A plan without routes (format 1): each team's stations in plan order, then by visit date.
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
                DiagramPage page =
                    station_page(stops[k], static_cast<int>(k + 1), static_cast<int>(stops.size()));
                if (opt.format == "svg") {
                    detail::write_output(output("station\n" + sites[stops[k]]->station.station_id, ".svg"),
                                         to_svg(page));
                    ++files;
                } else {
                    pages.push_back(std::move(page));
                }
            }
            if (opt.format == "pdf") {
                write_pdf(pages, output("team\n" + t, ".pdf"));
                ++files;
            }
        }
    } else {
        for (const Site* site : sites) {
            write_one(layout_station(*site, registry.grades(), dopt), "station\n" + site->station.station_id);
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
    app.add_option("--plan", opt->plan,
                   "Plan JSON: highlight the nozzles and tanks to sample; with --format pdf one route file "
                   "per team (a day "
                   "map, then the site pages in visiting order, for each of its team-days)");
    app.add_flag(
        "--overview", opt->overview,
        "One map of all selected stations (or the plan's, in route order): by stratum, or each route in its "
        "team's colour");
    app.add_option(
        "--boundaries", opt->boundaries,
        "County boundaries for the overview and the day maps: any GDAL polygon layer with a county "
        "code field (default: a synthetic registry's county boxes, else the hull of each county's "
        "stations)");
    app.add_option("--boundary-field", opt->boundary_field,
                   "The boundary layer's county code field (default: county)");
    app.add_option("--date", opt->date,
                   "Date printed in the title block (default: none, output is deterministic)");
    app.add_flag("-q,--quiet", opt->quiet, "No progress bar or summary");
    return [opt](std::ostream& out, std::ostream& err) { return run_diagram(*opt, out, err); };
}

} // namespace fuelmap::cli
