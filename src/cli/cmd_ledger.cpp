// SPDX-License-Identifier: MIT
// fuelmap ledger: checks the registry's hash-chained ledger and the records it binds, prints and
// checks published checkpoints, makes the office's signing key, migrates format-1 ledgers.
#include "cli/command.hpp"

#include <fuelmap/checkpoint.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/registry_lock.hpp>

#include <CLI/CLI.hpp>

#include <ostream>

namespace fuelmap::cli {

namespace {

constexpr std::size_t shown_problems = 20;

int run_ledger_verify(const LedgerCliOptions& opt, std::ostream& out) {
    const RegistryLock snapshot(opt.registry, LockMode::read);
    std::optional<LedgerCheckpoint> checkpoint;
    if (!opt.checkpoint.empty())
        checkpoint = read_checkpoint(opt.checkpoint);
    else if (!opt.key.empty())
        throw UsageError("--key checks a signed checkpoint: give it with --checkpoint");
    const LedgerCheck check = verify_ledger(opt.registry);
    if (!check.ok()) {
        if (check.broken_seq)
            out << opt.registry << ": ledger broken at entry " << *check.broken_seq << ": " << check.reason
                << "\n";
        for (std::size_t i = 0; i < check.record_problems.size() && i < shown_problems; ++i)
            out << opt.registry << ": " << check.record_problems[i] << "\n";
        if (check.record_problems.size() > shown_problems)
            out << opt.registry << ": … and " << check.record_problems.size() - shown_problems
                << " more record problem(s)\n";
        return exit_findings;
    }
    if (checkpoint) {
        const std::string& file = opt.checkpoint;
        if (!opt.key.empty()) {
            const std::string trusted = office_public_key(opt.key);
            if (checkpoint->signature.empty()) {
                out << file << ": the checkpoint is not signed, but --key asks for the signature of "
                    << trusted << "\n";
                return exit_findings;
            }
            if (checkpoint->public_key != trusted) {
                out << file << ": the checkpoint is signed by key " << checkpoint->public_key << ", not by "
                    << trusted << " (" << opt.key << ")\n";
                return exit_findings;
            }
        }
        if (!checkpoint->signature.empty() && !checkpoint->signature_valid()) {
            out << file << ": the checkpoint's signature is not valid for key " << checkpoint->public_key
                << ": the checkpoint was altered or not signed by that key\n";
            return exit_findings;
        }
        if (const auto problem = checkpoint_problem(opt.registry, *checkpoint)) {
            out << opt.registry << ": does not extend the checkpoint " << file << ": " << *problem << "\n";
            return exit_findings;
        }
    }
    out << opt.registry << ": ledger intact, " << check.entries << " entries, every record bound\n";
    if (checkpoint)
        out << opt.registry << ": extends the checkpoint " << opt.checkpoint << " (" << checkpoint->entries
            << " entries"
            << (checkpoint->signature.empty() ? std::string(", unsigned")
                                              : ", signed by " + checkpoint->public_key)
            << ")\n";
    return exit_ok;
}

int run_ledger_head(const LedgerCliOptions& opt, std::ostream& out) {
    LedgerCheckpoint checkpoint;
    {
        const RegistryLock snapshot(opt.registry, LockMode::read);
        checkpoint = current_checkpoint(opt.registry);
    }
    if (!opt.sign.empty())
        sign_checkpoint(checkpoint, opt.sign);
    out << (opt.format == "json" ? checkpoint.to_json() : checkpoint.to_text());
    return exit_ok;
}

int run_ledger_keygen(const LedgerCliOptions& opt, std::ostream& out) {
    const std::string pub = generate_office_key(opt.private_key, opt.public_key);
    out << "office key written: private " << opt.private_key << " (keep it offline), public "
        << opt.public_key << "\npublic key " << pub << "\n";
    return exit_ok;
}

int run_ledger_migrate(const LedgerCliOptions& opt, std::ostream& out) {
    const std::int64_t n = migrate_ledger(opt.registry);
    if (n == 0)
        out << opt.registry << ": the ledger is already format " << ledger_format_version
            << "; nothing to do\n";
    else
        out << opt.registry << ": " << n << " ledger entries re-sealed as format " << ledger_format_version
            << " (the records as they stand now); publish a new checkpoint\n";
    return exit_ok;
}
} // namespace

int run_ledger(const LedgerCliOptions& opt, std::ostream& out, std::ostream&) {
    switch (opt.action) {
    case LedgerAction::verify:
        return run_ledger_verify(opt, out);
    case LedgerAction::head:
        return run_ledger_head(opt, out);
    case LedgerAction::keygen:
        return run_ledger_keygen(opt, out);
    case LedgerAction::migrate:
        return run_ledger_migrate(opt, out);
    }
    return exit_bad_input;
}

Runner setup_ledger(CLI::App& app) {
    auto opt = std::make_shared<LedgerCliOptions>();
    app.require_subcommand(1);
    app.footer("Exit status: 0 intact, 1 the ledger, a record or a checkpoint does not verify, 2 bad input.");
    CLI::App* verify = app.add_subcommand(
        "verify", "Check the hash chain and every plan, observation and lab result against it; exit 1 naming "
                  "each problem");
    verify->add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    verify->add_option("--checkpoint", opt->checkpoint,
                       "A published checkpoint (from `ledger head`): prove the ledger extends it");
    verify->add_option("--key", opt->key,
                       "The office's public key (PEM): the checkpoint must be signed by it");
    CLI::App* head =
        app.add_subcommand("head", "Print a checkpoint of the ledger (entry count and head hash)");
    head->add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    head->add_option("--format", opt->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    head->add_option("--sign", opt->sign, "Sign the checkpoint with this Ed25519 private key (PEM)");
    CLI::App* keygen =
        app.add_subcommand("keygen", "Make the office's Ed25519 key pair for signing checkpoints");
    keygen->add_option("-o,--output", opt->private_key, "Private key file to create (PEM, mode 0600)")
        ->required();
    keygen->add_option("--public", opt->public_key, "Public key file to write (PEM)")->required();
    CLI::App* migrate =
        app.add_subcommand("migrate", "Check a format-1 ledger and re-seal its records as format 2");
    migrate->add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    return [opt, verify, head, keygen, migrate](std::ostream& out, std::ostream& err) {
        opt->action = verify->parsed()   ? LedgerAction::verify
                      : head->parsed()   ? LedgerAction::head
                      : keygen->parsed() ? LedgerAction::keygen
                                         : LedgerAction::migrate;
        (void)migrate;
        return run_ledger(*opt, out, err);
    };
}

} // namespace fuelmap::cli
