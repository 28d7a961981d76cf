// SPDX-License-Identifier: MIT
// fuelmap publish: a round's static site with the in-browser verifier (docs/publish.md).
#include "cli/command.hpp"

#include <CLI/CLI.hpp>
#include <fuelmap/publish.hpp>

#include <ostream>

namespace fuelmap::cli {

int run_publish(const PublishCliOptions& opt, std::ostream& out, std::ostream&) {
    PublishRequest req = opt.request;
    if (!opt.design.empty())
        req.design = opt.design;
    if (!opt.commitment.empty())
        req.commitment = opt.commitment;
    const PublishResult result = publish_round(req);
    out << (result.revealed ? "published round " : "published the commitments of round ") << req.round
        << " in " << req.output.string() << " (" << result.files.size() << " files; open index.html)\n";
    for (const PublishedFile& f : result.files)
        out << f.sha256 << "  " << f.name << "\n";
    return exit_ok;
}

Runner setup_publish(CLI::App& app) {
    auto opt = std::make_shared<PublishCliOptions>();
    app.add_option("-r,--registry", opt->request.registry, "Registry GeoPackage")->required();
    app.add_option("--round", opt->request.round, "Round to publish")->required();
    app.add_option("-o,--output", opt->request.output, "Directory of the site (created when missing)")
        ->required();
    app.add_option("--lang", opt->request.lang, "Default language of the page")
        ->check(CLI::IsMember({"zh", "en"}));
    app.add_flag("--before-reveal", opt->request.before_reveal,
                 "Publish only what is committed: design digest, seed commitment, registry digest");
    app.add_option("--design", opt->design, "Before the draw: the round's design (with --before-reveal)");
    app.add_option("--commitment", opt->commitment, "Before the draw: the published seed commitment");
    app.footer("Exit status: 0 site written, 2 bad input. Layout and rules: docs/publish.md.");
    return [opt](std::ostream& out, std::ostream& err) { return run_publish(*opt, out, err); };
}

} // namespace fuelmap::cli
