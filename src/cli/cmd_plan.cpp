// SPDX-License-Identifier: MIT
// fuelmap plan: draws a sampling round from a registry, a design and a seed; writes the canonical
// plan, a field list per team and a GeoJSON of the selected stations; records the plan in the
// registry's plan table and ledger. All or nothing as far as the file system allows: every output is
// written to its temporary file first, the plan recorded only then, and the files renamed into place
// last.
#include "cli/command.hpp"
#include "sampling/draw.hpp"
#include "sampling/plan_text.hpp"
#include "store/frame_source.hpp"
#include "util/file_name.hpp"
#include "util/output_file.hpp"
#include "util/output_guard.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/checkpoint.hpp>
#include <fuelmap/design.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/plan_outputs.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>
#include <fuelmap/sampler.hpp>
#include <fuelmap/seed.hpp>

#include <algorithm>
#include <future>
#include <map>
#include <ostream>
#include <thread>
#include <utility>
#include <vector>

namespace fuelmap::cli {

namespace {

// @p dir without a trailing `/` ("lists/" is "lists"), as a directory is renamed.
std::filesystem::path directory_path(const std::filesystem::path& dir) {
    std::filesystem::path p = dir.lexically_normal();
    return p.has_filename() ? p : p.parent_path();
}

// The directories of an output path that did not exist and were made for it; removed again (when
// still empty) unless kept.
class CreatedDirectories {
public:
    CreatedDirectories() = default;
    CreatedDirectories(const CreatedDirectories&) = delete;
    CreatedDirectories& operator=(const CreatedDirectories&) = delete;
    ~CreatedDirectories() {
        std::error_code ec;
        for (const std::filesystem::path& dir : m_created) // deepest first
            std::filesystem::remove(dir, ec);
    }

    /// Creates @p dir and its missing parents. @throws InputError naming @p named (by default
    /// @p dir) when it cannot
    void create(const std::filesystem::path& dir, const std::filesystem::path& named = {}) {
        std::error_code ec;
        std::filesystem::path p = directory_path(dir);
        for (; !p.empty() && p != p.parent_path() && !std::filesystem::exists(p, ec); p = p.parent_path())
            m_created.push_back(p);
        std::filesystem::create_directories(dir, ec);
        if (ec || !std::filesystem::is_directory(dir))
            throw InputError({.file = (named.empty() ? dir : named).string()},
                             "cannot create the directory" + (ec ? ": " + ec.message() : std::string()));
    }
    /// Keeps the directories made.
    void keep() noexcept { m_created.clear(); }

private:
    std::vector<std::filesystem::path> m_created;
};

// True when the file @p file (if any) would be written directly in the directory @p dir.
bool directly_in(const std::string& file, const std::filesystem::path& dir) {
    if (file.empty())
        return false;
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::absolute(file, ec).lexically_normal().parent_path();
    return !ec && parent == directory_path(std::filesystem::absolute(dir, ec));
}

} // namespace

int run_plan(const PlanCliOptions& opt, std::ostream& out, std::ostream& err) {
    // One writer from the look at the recorded rounds to the recording of this one.
    const RegistryLock lock(opt.registry, opt.dry_run ? LockMode::read : LockMode::write);
    const Design design = read_design(opt.design);
    const FrameReadOptions frame{.use_layout_cache = !opt.no_cache};
    if (opt.frame_digest_only) {
        out << frame_digest(std::filesystem::path(opt.registry), design, frame) << "\n";
        return exit_ok;
    }
    if (opt.seed.empty() == opt.seed_file.empty())
        throw UsageError("give exactly one of --seed and --seed-file");
    if (opt.output.empty())
        throw UsageError("-o PLAN.json is required");
    // No output may replace an input (the registry above all) or a device node: checked before the draw.
    detail::OutputGuard guard;
    guard.input(opt.registry, "the registry")
        .input(opt.design, "the design")
        .input(opt.seed_file, "the seed file");
    guard.check_file(opt.output);
    if (!opt.geojson.empty())
        guard.check_file(opt.geojson);
    const std::string seed = opt.seed_file.empty() ? opt.seed : read_seed_file(opt.seed_file);
    if (!opt.commitment.empty() && seed_commitment(seed) != opt.commitment)
        throw InputError({.field = "--commitment"}, "the seed does not match the published commitment " +
                                                        opt.commitment + " (its commitment is " +
                                                        seed_commitment(seed) + ")");
    if (!opt.dry_run)
        for (const RecordedRound& r : read_recorded_rounds(opt.registry))
            if (r.round == design.round)
                throw InputError({.file = opt.registry,
                                  .layer = "fuelmap_plans",
                                  .feature = design.round,
                                  .field = "round"},
                                 "a plan for round '" + design.round + "' is already recorded (digest " +
                                     r.digest + "); name a new round in " + opt.design);
    // The draw hands over the frame it read (the drawn stations' rows for the outputs come from it),
    // and is sealed once below.
    detail::FileDraw drawn = detail::draw_unsealed(std::filesystem::path(opt.registry), design, seed, frame);
    Plan& plan = drawn.plan;
    // The drawn stations' rows (every field: the frame may have been read without their names and
    // addresses) are read from the frame and the field lists made on threads of their own while the
    // plan is stamped and sealed below (they read its selections and routes, which no longer
    // change; the sealing writes only the checkpoint and the digest). The frame is freed on another
    // thread once the rows are read (a national registry's stations take a while).
    std::unique_ptr<detail::FrameSource> source = std::move(drawn.frame);
    std::vector<std::string> drawn_ids;
    for (const Selection& s : plan.selections)
        drawn_ids.push_back(s.station_id);
    std::sort(drawn_ids.begin(), drawn_ids.end());
    std::shared_future<Registry> drawn_rows =
        std::async(std::launch::async, [&] { return source->station_rows(drawn_ids); }).share();
    std::jthread free_frame([&] {
        drawn_rows.wait();
        source.reset();
    });
    std::future<std::map<std::string, std::string>> field_lists = std::async(std::launch::async, [&] {
        const Registry& registry = drawn_rows.get();
        return opt.csv_dir.empty() ? std::map<std::string, std::string>() : plan_field_lists(plan, registry);
    });
    // The ledger as it stands at the draw (a broken ledger is refused here): docs/plan-file.md. The
    // draw checked it already when it read recorded evidence, under this command's lock.
    const LedgerCheckpoint checkpoint = drawn.ledger ? *drawn.ledger : current_checkpoint(opt.registry);
    plan.ledger_entries = checkpoint.entries;
    plan.ledger_head = checkpoint.head;
    // --dry-run of a recorded round (the way back from an output that could not be put in place)
    // writes the plan as it was recorded: with the checkpoint of its drawing.
    if (opt.dry_run)
        for (const Plan& p : read_recorded_plans(opt.registry))
            if (p.round == plan.round && p.ledger_entries >= 0) {
                plan.ledger_entries = p.ledger_entries;
                plan.ledger_head = p.ledger_head;
            }
    const std::string plan_json = detail::seal_plan(plan);
    // Every output in its temporary file before anything is recorded: a file that cannot be written
    // leaves the round unrecorded, and a round that cannot be recorded leaves no file. The outputs
    // are staged on a second thread (which also makes the GeoJSON) while the record is written, which
    // commits only once they are. Both threads only read the sealed plan.
    CreatedDirectories lists_dir;
    detail::StagedOutputs outputs;
    std::future<void> staged = std::async(std::launch::async, [&] {
        outputs.add(opt.output, plan_json);
        if (!opt.csv_dir.empty()) {
            const std::map<std::string, std::string> lists = field_lists.get();
            guard.check_directory(opt.csv_dir);
            // File names are sanitised and unique (docs/formats.md), and never replace an input.
            detail::UniqueFileStems names;
            for (const auto& [name, text] : lists)
                names.add(name, std::filesystem::path(name).stem().string());
            const std::map<std::string, std::string> stems = names.stems();
            const std::filesystem::path dir = directory_path(opt.csv_dir);
            std::error_code ec;
            if (std::filesystem::symlink_status(dir, ec).type() == std::filesystem::file_type::not_found &&
                !directly_in(opt.output, dir) && !directly_in(opt.geojson, dir)) {
                // A new directory is written whole beside its place and renamed into it: one rename
                // for hundreds of lists, and nothing in it that could be an input.
                if (dir.has_parent_path() && !std::filesystem::exists(dir.parent_path(), ec))
                    lists_dir.create(dir.parent_path(), opt.csv_dir);
                std::vector<std::pair<std::string, std::string_view>> files;
                for (const auto& [name, text] : lists)
                    files.emplace_back(stems.at(name) + ".csv", text);
                outputs.add_directory(dir, files);
            } else {
                lists_dir.create(opt.csv_dir);
                for (const auto& [name, text] : lists) {
                    const std::filesystem::path path =
                        std::filesystem::path(opt.csv_dir) / (stems.at(name) + ".csv");
                    guard.check_file(path);
                    outputs.add(path, text);
                }
            }
        }
        if (!opt.geojson.empty())
            outputs.add(opt.geojson, plan_geojson(plan, drawn_rows.get()));
    });
    if (opt.dry_run) {
        staged.get();
    } else {
        // The drawn stations' rows are read before the record begins: a reader that starts while
        // this process's own write waits to commit would wait for that write, and the write for it.
        drawn_rows.wait();
        try {
            record_plan(opt.registry, plan, plan_json, [&] { staged.get(); });
        } catch (...) {
            if (staged.valid())
                staged.get(); // an output that cannot be written is the error to report
            throw;
        }
    }
    lists_dir.keep();
    const std::vector<detail::StagedOutputs::Failure> failures = outputs.commit();
    for (const detail::StagedOutputs::Failure& f : failures)
        err << "fuelmap plan: error: " << f.target.string() << ": cannot write the file: " << f.reason
            << (opt.dry_run ? std::string()
                            : "; the plan for round '" + plan.round +
                                  "' IS recorded in the registry (digest " + plan.digest +
                                  "): run the same command again with --dry-run to write "
                                  "its files without recording it again")
            << "\n";
    if (!failures.empty())
        return exit_bad_input;
    std::int64_t certain = 0;
    for (const Selection& s : plan.selections)
        certain += s.reason == "certainty";
    out << "round " << plan.round << ": " << plan.selections.size() << " stations (" << certain
        << " certainty) written to " << opt.output << "\nplan digest " << plan.digest << "\nregistry digest "
        << plan.registry_digest << "\n"
        << (opt.dry_run ? "not recorded (--dry-run)\n"
                        : "recorded in the registry's plan table and ledger\n");
    return exit_ok;
}

Runner setup_plan(CLI::App& app) {
    auto opt = std::make_shared<PlanCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("--design", opt->design, "Round design (JSON)")->required();
    auto* seed =
        app.add_option("--seed", opt->seed, "The revealed seed text (e.g. 64 hex digits from `seed new`)");
    auto* seed_file = app.add_option("--seed-file", opt->seed_file, "File holding the seed (one line)");
    seed->excludes(seed_file);
    app.add_option("--commitment", opt->commitment,
                   "Commitment published before the round; a seed that does "
                   "not match it is refused");
    app.add_option("-o,--output", opt->output, "Plan file to write (canonical JSON)");
    app.add_option("--csv-dir", opt->csv_dir,
                   "Write one field-list CSV per team and day into this directory");
    app.add_option("--geojson", opt->geojson, "Write the selected stations as GeoJSON");
    app.add_flag("--dry-run", opt->dry_run, "Do not record the plan in the registry");
    app.add_flag("--frame-digest", opt->frame_digest_only,
                 "Only print the registry digest the design would read (to publish before the seed exists)");
    app.add_flag("--no-cache", opt->no_cache,
                 "Compute the registry digest from the stations, nozzles and supplies tables only, "
                 "ignoring the registry's layout cache");
    return [opt](std::ostream& out, std::ostream& err) { return run_plan(*opt, out, err); };
}

} // namespace fuelmap::cli
