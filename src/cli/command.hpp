// SPDX-License-Identifier: MIT
/// @file command.hpp
/// @brief The commands of the fuelmap CLI as library-style functions. Each command lives in
/// src/cli/cmd_<verb>.cpp and provides:
/// - `<Verb>CliOptions`, what its command line says, with the defaults of the command line;
/// - `int run_<verb>(const <Verb>CliOptions&, std::ostream& out, std::ostream& err)`, which does the
///   work, writes its output to @p out and its warnings to @p err (progress bars alone go to the
///   terminal's stderr) and returns the exit code; the CLI tests call it in-process;
/// - `setup_<verb>(CLI::App&)`, which only declares the options on its CLI11 subcommand (no I/O)
///   and returns the Runner that calls run_<verb> with them once parsed.
/// main.cpp only registers, parses and calls run_guarded().
#pragma once

#include <fuelmap/audit_results.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/publish.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
} // namespace CLI

namespace fuelmap::cli {

/// The exit codes of every command (README, "Commands").
enum ExitCode : int {
    exit_ok = 0,            ///< success
    exit_findings = 1,      ///< the check ran and found problems
    exit_bad_input = 2,     ///< bad usage or bad input: the message names the input
    exit_internal_error = 3 ///< a fault in fuelmap itself (a bug), not in what it was given
};

/// Runs a parsed command with its output and error streams; returns the process exit code.
using Runner = std::function<int(std::ostream& out, std::ostream& err)>;

/// Runs @p run and turns what it throws into an exit code and one line on @p err: a fuelmap::Error
/// (bad usage or input) gives "fuelmap VERB: error: WHAT" and exit_bad_input; any other exception is
/// a fault in fuelmap and gives "fuelmap VERB: internal error: WHAT (this is a bug in fuelmap; please
/// report it with the command line)" and exit_internal_error. Otherwise returns what @p run returns.
/// Throws nothing.
[[nodiscard]] int run_guarded(std::string_view verb, const std::function<int()>& run,
                              std::ostream& err) noexcept;

/// True when progress bars may be drawn: stderr is a terminal and --quiet was not given.
[[nodiscard]] bool progress_allowed(bool quiet);

/// `fuelmap import SRC... -r REG [--mapping MAP.json] [--append]`
struct ImportCliOptions {
    std::vector<std::string> sources{}; ///< GDAL vector sources
    std::string registry{};             ///< registry to create, or extend with append
    std::string mapping{};              ///< mapping JSON ("" = none)
    bool append = false;                ///< add to an existing registry
    bool quiet = false;                 ///< no progress bar or summary
    std::uint64_t max_features = ImportLimits{}.max_features_per_layer; ///< refuse a larger layer
    std::string max_file_size{}; ///< "500", "64K", "200M", "16G" ("" = the library's default)
};
/// Imports the sources; prints a summary line. @throws Error on bad input (nothing written)
int run_import(const ImportCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap validate -r REG [STATION...] [--format text|json]`
struct ValidateCliOptions {
    std::string registry{};              ///< registry GeoPackage
    std::vector<std::string> stations{}; ///< only these (default: all)
    std::string format = "text";         ///< text or json
    bool quiet = false;                  ///< no progress bar
};
/// Validates; returns exit_findings on a finding at error level or above. @throws Error on bad input
int run_validate(const ValidateCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap show -r REG STATION [--format text|json]`
struct ShowCliOptions {
    std::string registry{};      ///< registry GeoPackage
    std::string station{};       ///< station id
    std::string format = "text"; ///< text or json
};
/// Prints one station. @throws Error on bad input or an unknown station
int run_show(const ShowCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap export -r REG -o OUT [-f GDAL_FORMAT] [--layer L]...`
struct ExportCliOptions {
    std::string registry{};              ///< registry GeoPackage
    std::string out{};                   ///< output file, directory or /vsistdout/
    std::string format{};                ///< GDAL driver ("" = from the extension)
    std::vector<std::string> layers{};   ///< layers (default: all)
    std::vector<std::string> counties{}; ///< only these counties' stations (default: all)
    bool quiet = false;                  ///< no progress bar or summary
};
/// Exports layers; prints a summary line unless quiet or writing to stdout. @throws Error on bad input
int run_export(const ExportCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap synth --stations N -o REG.gpkg [--seed S] [--regions auto|yantai|national]`
struct SynthCliOptions {
    long long stations = 0;     ///< number of stations (at least 1)
    std::string output{};       ///< registry to write
    std::uint64_t seed = 1;     ///< same seed, same registry
    std::string scope = "auto"; ///< auto, yantai or national
    bool force = false;         ///< replace an existing output
    bool quiet = false;         ///< no progress bar and no summary line
};
/// Writes a synthetic registry. @throws UsageError on bad options, Error when it cannot be written
int run_synth(const SynthCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap diagram -r REG [STATION...] -o DIR [--format svg|pdf] [--plan PLAN.json] [--overview]`
struct DiagramCliOptions {
    std::string registry{};                ///< registry GeoPackage
    std::vector<std::string> stations{};   ///< stations (default: all, or the plan's)
    std::string out_dir{};                 ///< output directory (created when missing)
    std::string format = "svg";            ///< svg or pdf
    std::string lang = "en";               ///< en or zh
    std::string date{};                    ///< date in the title block ("" = none)
    std::string plan{};                    ///< plan whose picks to highlight ("" = none)
    std::string boundaries{};              ///< county boundary layer for the maps ("" = synthetic or hulls)
    std::string boundary_field = "county"; ///< the boundary layer's county code field
    bool overview = false;                 ///< one overview map instead of site pages
    bool quiet = false;                    ///< no progress bar or summary
};
/// Draws the diagrams; the summary line goes to @p err (on a terminal only). @throws Error on bad input
int run_diagram(const DiagramCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap seed new [--json] [-o FILE]` | `fuelmap seed from-sources --source "N N N"...`
struct SeedCliOptions {
    /// What to make.
    enum class Action { fresh, from_sources };
    Action action = Action::fresh;      ///< `new` or `from-sources`
    bool json = false;                  ///< print JSON
    std::string output{};               ///< `new`: write the seed here, print only the commitment
    std::vector<std::string> sources{}; ///< `from-sources`: the announced numbers, in order
};
/// Prints a seed and its commitment, or an RFC 3797 key. @throws Error on bad sources or output
int run_seed(const SeedCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap plan -r REG --design D.json (--seed S | --seed-file F) -o PLAN.json ...`
struct PlanCliOptions {
    std::string registry{};         ///< registry GeoPackage
    std::string design{};           ///< round design JSON
    std::string seed{};             ///< the revealed seed text
    std::string seed_file{};        ///< or the file holding it
    std::string commitment{};       ///< commitment the seed must match ("" = not checked)
    std::string output{};           ///< plan file to write
    std::string csv_dir{};          ///< field lists per team ("" = none)
    std::string geojson{};          ///< GeoJSON of the selected stations ("" = none)
    bool dry_run = false;           ///< do not record the plan
    bool frame_digest_only = false; ///< only print the registry digest the design reads
    bool no_cache = false;          ///< ignore the registry's layout cache
};
/// Draws, writes and records a plan; an output that cannot be put in place is reported on @p err
/// and gives exit_bad_input. @throws Error on bad input (nothing recorded, no file written)
int run_plan(const PlanCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap verify PLAN.json -r REG [--design D.json] [--commitment C] [--no-cache] [--format text|json]`
struct VerifyCliOptions {
    std::string plan{};          ///< plan JSON
    std::string registry{};      ///< registry GeoPackage
    std::string design{};        ///< published design to check too ("" = none)
    std::string commitment{};    ///< published seed commitment ("" = none)
    std::string format = "text"; ///< text or json
    bool no_cache = false;       ///< ignore the registry's layout cache
};
/// Recomputes the plan; returns exit_findings naming every difference. @throws Error on bad input
int run_verify(const VerifyCliOptions& opt, std::ostream& out, std::ostream& err);

/// What `fuelmap ledger` does.
enum class LedgerAction { verify, head, keygen, migrate };

/// `fuelmap ledger verify|head|keygen|migrate …`
struct LedgerCliOptions {
    LedgerAction action = LedgerAction::verify; ///< the subcommand
    std::string registry{};                     ///< registry GeoPackage (verify, head, migrate)
    std::string checkpoint{};                   ///< verify: a published checkpoint the ledger must extend
    std::string key{};                          ///< verify: the office public key that must have signed it
    std::string sign{};                         ///< head: sign the checkpoint with this private key
    std::string format = "text";                ///< head: text or json
    std::string private_key{};                  ///< keygen: private key file to create
    std::string public_key{};                   ///< keygen: public key file to write
};
/// Runs the ledger subcommand: verify returns exit_findings naming each broken entry, record or
/// checkpoint problem; head prints a (signed) checkpoint; keygen makes the office key pair; migrate
/// re-seals a format-1 ledger. @throws Error on bad input
int run_ledger(const LedgerCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap observe -r REG FILE [-q]`
struct ObserveCliOptions {
    std::string registry{}; ///< registry GeoPackage
    std::string file{};     ///< observations file
    bool quiet = false;     ///< print nothing on success
};
/// Records the observations, all or none. @throws Error on bad input (nothing recorded)
int run_observe(const ObserveCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap lab -r REG FILE [--precision F] [-q]`
struct LabCliOptions {
    std::string registry{};  ///< registry GeoPackage
    std::string file{};      ///< lab results file
    std::string precision{}; ///< precision table ("" = shipped)
    bool quiet = false;      ///< print nothing on success
};
/// Records the lab results, all or none. @throws Error on bad input (nothing recorded)
int run_lab(const LabCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap audit -r REG [STATION...] [--round R] [--observations F] [--lab F] [--format text|json] ...`
struct AuditCliOptions {
    AuditRequest request{};              ///< registry, stations, round, --all
    std::string observations{};          ///< extra observations file ("" = none)
    std::string lab{};                   ///< extra lab results file ("" = none)
    std::string precision{};             ///< precision table ("" = shipped)
    std::string limits{};                ///< grade limits ("" = shipped)
    std::string format = "text";         ///< text or json
    std::string output{};                ///< also write the findings here ("" = no)
    std::string gdal_format = "GeoJSON"; ///< GDAL driver for output
    bool problems_only = false;          ///< leave consistent and unverified findings out
};
/// Audits; returns exit_findings on a critical finding. @throws Error on bad input
int run_audit(const AuditCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap stats -r REG --round R [--format text|json] [--plot F.svg]`
struct StatsCliOptions {
    std::string registry{};      ///< registry GeoPackage
    std::string round{};         ///< round whose recorded plan to evaluate
    std::string format = "text"; ///< text or json
    std::string plot{};          ///< SVG plot to write ("" = none)
};
/// Prints the round's statistics. @throws Error on bad input or an unknown round
int run_stats(const StatsCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap publish -r REG --round R -o DIR [--lang zh|en] [--before-reveal --design D.json --commitment C]`
struct PublishCliOptions {
    PublishRequest request{}; ///< registry, round, output directory, language, before the reveal
    std::string design{};     ///< --design ("" = none)
    std::string commitment{}; ///< --commitment ("" = none)
};
/// Writes the round's static site and lists its files. @throws Error on bad input
int run_publish(const PublishCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap qgis -r REG`
struct QgisCliOptions {
    std::string registry{}; ///< registry GeoPackage
    bool quiet = false;     ///< no summary line
};
/// (Re)writes the registry's QGIS default styles and project (docs/qgis.md); prints what it wrote.
/// @throws Error on bad input (nothing written)
int run_qgis(const QgisCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap case open|list|show|advance|overdue -r REG ...` (docs/cases.md)
struct CaseCliOptions {
    std::string action{};             ///< "open", "list", "show", "advance" or "overdue"
    std::string registry{};           ///< registry GeoPackage
    std::string round{};              ///< open: the round; list: only this round ("" = all)
    std::string case_id{};            ///< show, advance: the case
    std::string step{};               ///< advance: the step
    std::string date{};               ///< open, advance: the date
    std::string actor{};              ///< open, advance: who
    std::string document{};           ///< open, advance: document reference
    std::string deadline{};           ///< advance rectification: its deadline
    std::string outcome{};            ///< advance recheck: pass or fail
    std::string property{};           ///< advance retest: property of the result
    std::string method{};             ///< advance retest: test method
    std::string value{};              ///< advance retest: the result ("" = none)
    std::int64_t objection_days = 15; ///< open: objection window in days
    std::string on{};                 ///< overdue: the day
    std::string actors{};             ///< actors list ("" = none)
    std::string precision{};          ///< precision table ("" = shipped)
    std::string limits{};             ///< grade limits ("" = shipped)
    std::string format = "text";      ///< text or json
};
/// Runs a case action; overdue returns exit_findings when anything is overdue. @throws Error on bad
/// input (nothing recorded)
int run_case(const CaseCliOptions& opt, std::ostream& out, std::ostream& err);

/// `fuelmap roles grant|revoke|list -r PG:… [--role ROLE] [--as KIND] [--county CODE]` (docs/registry.md,
/// "Roles")
struct RolesCliOptions {
    std::string action{};   ///< "grant", "revoke" or "list"
    std::string registry{}; ///< the registry database
    std::string role{};     ///< grant, revoke: the PostgreSQL role
    std::string kind{};     ///< grant: bureau, county, inspector, lab or auditor
    std::string county{};   ///< grant: the county of a county office
};
/// Grants, revokes or lists the registry's roles. @throws Error on bad input, a GeoPackage registry,
/// or when not run by the registry's owner (nothing changed)
int run_roles(const RolesCliOptions& opt, std::ostream& out, std::ostream& err);

// X-macro list of the commands: name, one-line description. Add a line, a cmd_<name>.cpp and its
// options and run_<name> above.
#define FUELMAP_COMMANDS(X)                                                                                  \
    X(import, "Import stations or full site layouts from any GDAL vector source into a registry")            \
    X(validate, "Check stations against the registry invariants")                                            \
    X(show, "Print one station with its tanks, dispensers, nozzles and supplies")                            \
    X(export, "Export registry layers to any GDAL vector format")                                            \
    X(synth, "Write a synthetic registry of plausible stations")                                             \
    X(diagram, "Draw numbered site diagrams (SVG or PDF), plan overlays and round overview maps")            \
    X(seed, "Make a fresh seed with its commitment, or an RFC 3797 key from announced numbers")              \
    X(plan, "Draw a verifiable sampling round: stations, grades, nozzles, tanks, teams and dates")           \
    X(verify, "Recompute a published plan and name every difference")                                        \
    X(ledger, "Check the ledger and the records it binds; print, sign and check checkpoints")                \
    X(observe, "Import on-site observations of nozzle-to-tank links into the registry and its ledger")       \
    X(lab, "Import laboratory results of plan samples into the registry and its ledger")                     \
    X(audit, "Classify declared nozzle-to-tank links against observations and paired lab samples")           \
    X(stats, "Round statistics: pass and failure discovery rates, Horvitz-Thompson estimate, SVG plot")      \
    X(publish, "Write a round's static site for the public, with an in-browser verifier of the plan")        \
    X(qgis, "Write the registry's QGIS styles and project again (after editing grades or moving the file)")  \
    X(case, "Follow-up cases of failed batches: open, list, show, advance step by step, overdue report")     \
    X(roles,                                                                                                 \
      "Grant PostgreSQL roles of a PostGIS registry as bureau, county office, inspector, lab or auditor")

/// setup_<verb>(app): declares the command's options on @p app (no I/O) and returns its Runner.
#define FUELMAP_DECLARE_SETUP(name, description) Runner setup_##name(CLI::App& app);
FUELMAP_COMMANDS(FUELMAP_DECLARE_SETUP)
#undef FUELMAP_DECLARE_SETUP

} // namespace fuelmap::cli
