// SPDX-License-Identifier: MIT
// fuelmap diagram: numbered site diagrams (SVG or PDF), plan overlays and round overview maps.
#include "cli/command.hpp"
#include "cli/progress_bar.hpp"

#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/registry_file.hpp>

#include <fstream>
#include <iostream>

namespace fuelmap::cli {

namespace {

namespace fs = std::filesystem;

struct DiagramCliOptions {
    std::string registry;
    std::vector<std::string> stations;
    std::string out_dir;
    std::string format = "svg";
    std::string lang = "en";
    std::string date;
    bool quiet = false;
};

std::string file_sha256(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError({.file = path.string()}, "cannot read the registry file");
    Sha256 h;
    std::string buf(1 << 16, '\0');
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        h.update(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
    }
    return h.hex();
}

void make_out_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw InputError({.file = dir.string()},
                         "cannot create the output directory" + (ec ? ": " + ec.message() : std::string()));
}

void write_text_file(const fs::path& path, const std::string& content) {
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.close();
        if (!out)
            throw InputError({.file = path.string()}, "cannot write the file");
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec)
        throw InputError({.file = path.string()}, "cannot write the file: " + ec.message());
}

// A station id as a file name: keep letters, digits and - _ . ; anything else becomes '_'.
std::string file_stem(const std::string& id) {
    std::string s;
    for (char c : id) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        c == '-' || c == '_' || c == '.';
        s.push_back(ok ? c : '_');
    }
    return s.empty() || s[0] == '.' ? "_" + s : s;
}

int run_diagram(const DiagramCliOptions& opt) {
    const auto lang = parse_diagram_language(opt.lang);
    if (!lang)
        throw UsageError("--lang must be 'en' or 'zh', not '" + opt.lang + "'");
    const Registry registry = read_registry(opt.registry, ReadOptions{opt.stations});
    DiagramOptions dopt;
    dopt.language = *lang;
    dopt.date = opt.date;
    dopt.registry_digest = file_sha256(opt.registry);
    dopt.digest_caption = *lang == DiagramLanguage::zh ? "登记库文件 SHA-256" : "Registry file SHA-256";

    std::vector<const Site*> sites;
    if (opt.stations.empty()) {
        for (const Site& s : registry.sites())
            sites.push_back(&s);
    } else {
        for (const std::string& id : opt.stations)
            sites.push_back(registry.find(id));
    }
    const fs::path dir(opt.out_dir);
    make_out_dir(dir);
    ProgressBar progress("diagram", progress_allowed(opt.quiet));
    std::size_t done = 0;
    for (const Site* site : sites) {
        DiagramPage page = layout_station(*site, registry.grades(), dopt);
        const fs::path stem = dir / file_stem(site->station.station_id);
        if (opt.format == "svg") {
            write_text_file(stem.string() + ".svg", to_svg(page));
        } else {
            write_pdf(std::span<const DiagramPage>(&page, 1), stem.string() + ".pdf");
        }
        progress.update(++done, sites.size());
    }
    if (progress_allowed(opt.quiet))
        std::cerr << "fuelmap diagram: " << sites.size() << " " << opt.format << " diagram(s) in "
                  << dir.string() << "\n";
    return exit_ok;
}

} // namespace

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
    app.add_option("--date", opt->date,
                   "Date printed in the title block (default: none, output is deterministic)");
    app.add_flag("-q,--quiet", opt->quiet, "No progress bar or summary");
    return [opt] { return run_diagram(*opt); };
}

} // namespace fuelmap::cli
