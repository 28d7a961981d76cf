// SPDX-License-Identifier: MIT
// End-to-end: the ledger binds every record. A tamper matrix (each record table × edit, delete,
// insert, reorder; the ledger × edit, reorder, truncate, rewrite) caught by `ledger verify` and
// refused by the commands that use the records; checkpoints, signed and unsigned; format-1
// registries; a round recorded once is never recorded again.
#include <fuelmap/hash.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>

#include "testing/testing.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

using namespace fuelmap;
using fuelmap::testing::exec_sql;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;
using fuelmap::testing::write_file;

namespace {

const std::string seed_hex = "5a1f0e8b2c4d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";

// A registry of 4 sample stations holding records of every kind: round "R1" drawn by `fuelmap
// plan` (entry 1), two observations (entries 2, 3) and two lab results of R1's samples (4, 5).
struct Evidence {
    TempDir dir;
    std::string reg = (dir / "reg.gpkg").string();

    Evidence() {
        create_registry(reg, fuelmap::testing::sample_registry(4));
        write_file(dir / "design.json", R"({"round": "R1", "sample_size": 2, "grades": ["95#"]})");
        const RunResult plan = run_fuelmap({"plan", "-r", reg, "--design", path("design.json"), "--seed",
                                            seed_hex, "-o", path("plan.json")});
        EXPECT_EQ(plan.exit_code, 0) << plan.err;
        write_file(dir / "obs.csv", "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                                    "370602-0001,N1,T1,pipe_tracing,I01;I02,2024-05-17\n"
                                    "370602-0002,N2,T2,valve_isolation,I03;I04,2024-05-18T10:00:00+08:00\n");
        const RunResult obs = run_fuelmap({"observe", "-q", "-r", reg, path("obs.csv")});
        EXPECT_EQ(obs.exit_code, 0) << obs.err;
        const Plan p = read_plan(path("plan.json"));
        const Selection& s = p.selections.at(0);
        const PlannedSample& ps = s.samples.at(0);
        write_file(dir / "lab.csv",
                   "sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab\n" +
                       ps.nozzle_sample_id + "," + s.station_id + ",nozzle," + ps.nozzle_no +
                       ",,,RON,95.3,-,GB/T 5487,L1\n" + ps.tank_sample_ids.at(0) + "," + s.station_id +
                       ",tank,," + ps.claimed_tanks.at(0).tank_no + ",composite,RON,95.4,-,GB/T 5487,L1\n");
        const RunResult lab = run_fuelmap({"lab", "-r", reg, path("lab.csv")});
        EXPECT_EQ(lab.exit_code, 0) << lab.err;
    }
    // A copy of @p base's files in a directory of its own (cheaper than recording them again).
    Evidence(const Evidence& base, bool /*copy*/) {
        for (const auto& e : std::filesystem::directory_iterator(base.dir.path()))
            std::filesystem::copy_file(e.path(), dir / e.path().filename().string());
    }
    Evidence(const Evidence&) = delete;
    std::string path(const std::string& name) const { return (dir / name).string(); }
    RunResult verify(const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> args{"ledger", "verify", "-r", reg};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_fuelmap(args);
    }
};

// What an attacker who knows the algorithm does after editing records: recompute every entry's
// payload from its row (when @p reseal) and the whole chain, and the head.
void rechain(const std::string& reg) {
    SQLite::Database db(reg, SQLite::OPEN_READWRITE);
    std::vector<LedgerEntry> entries = read_ledger(reg);
    std::string prev(64, '0');
    for (LedgerEntry& e : entries) {
        e.prev_hash = prev;
        e.hash = entry_hash(e);
        SQLite::Statement u(db, "UPDATE fuelmap_ledger SET prev_hash = ?, hash = ? WHERE seq = ?");
        u.bind(1, e.prev_hash);
        u.bind(2, e.hash);
        u.bind(3, e.seq);
        u.exec();
        prev = e.hash;
    }
    db.exec("UPDATE fuelmap_meta SET value = '" + std::to_string(entries.size()) +
            "' WHERE key = 'ledger_count'");
    db.exec("UPDATE fuelmap_meta SET value = '" + prev + "' WHERE key = 'ledger_head'");
}

struct Tamper {
    std::string name;
    std::string sql;
    std::string found; // what `ledger verify` must say
};

} // namespace

TEST(LedgerCli, AnHonestRegistryVerifiesAndBindsEveryRecord) {
    Evidence ev;
    const RunResult r = ev.verify();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, ev.reg + ": ledger intact, 5 entries, every record bound\n");
    const std::vector<LedgerEntry> entries = read_ledger(ev.reg);
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries[0].kind, "plan");
    EXPECT_EQ(entries[1].kind, "observation");
    EXPECT_EQ(entries[4].kind, "lab_result");
    // The payload is the row as stored, times included; recorded_at is inside the hash.
    EXPECT_NE(entries[1].payload.find(R"("observed_tanks":"T1")"), std::string::npos) << entries[1].payload;
    EXPECT_NE(entries[0].payload.find(R"("recorded_at":")"), std::string::npos) << entries[0].payload;
    EXPECT_EQ(entries[3].hash, sha256_hex("fuelmap-ledger-v2\n4\nlab_result\n" + entries[3].record_id + "\n" +
                                          entries[3].recorded_at + "\n" + sha256_hex(entries[3].payload) +
                                          "\n" + entries[2].hash));
    EXPECT_EQ(run_fuelmap({"audit", "-r", ev.reg}).exit_code, 0);
    EXPECT_EQ(run_fuelmap({"stats", "-r", ev.reg, "--round", "R1"}).exit_code, 0);
}

// Every tampering is caught by `ledger verify` (exit 1, naming table, key and field) and refused by
// audit, stats, observe, lab and plan (exit 2, the ledger check named).
TEST(LedgerCli, TamperMatrixIsCaughtAndRefused) {
    const std::string obs_key = "(station_id '370602-0001', nozzle_no 'N1', observed_at '2024-05-17', method "
                                "'pipe_tracing')";
    const std::vector<Tamper> cases = {
        {"observation edit", "UPDATE fuelmap_observations SET observed_tanks = 'T3' WHERE fid = 1",
         "table fuelmap_observations, fid 1 " + obs_key +
             ": field 'observed_tanks' was edited: the ledger records 'T1', the table holds 'T3' (ledger "
             "entry 2)"},
        {"observation time edit", "UPDATE fuelmap_observations SET observed_at = '2024-05-19' WHERE fid = 1",
         "field 'observed_at' was edited: the ledger records '2024-05-17', the table holds '2024-05-19'"},
        {"observation delete", "DELETE FROM fuelmap_observations",
         "table fuelmap_observations: the observation 370602-0001/N1@2024-05-17 of ledger entry 2 has no "
         "row: it "
         "was deleted"},
        {"observation insert",
         "INSERT INTO fuelmap_observations (station_id, nozzle_no, observed_tanks, method, inspectors, "
         "observed_at, source, ledger_seq) VALUES ('370602-0003', 'N1', 'T2', 'pipe_tracing', 'I09', "
         "'2024-05-20', 'x', 3)",
         "table fuelmap_observations, fid 3 (station_id '370602-0003', nozzle_no 'N1', observed_at "
         "'2024-05-20', "
         "method 'pipe_tracing'): no ledger entry accounts for this row: it was inserted or its ledger_seq "
         "was "
         "edited"},
        {"observation reorder",
         "UPDATE fuelmap_observations SET fid = 9 WHERE fid = 1; UPDATE fuelmap_observations SET fid = 1 "
         "WHERE "
         "fid = 2; UPDATE fuelmap_observations SET fid = 2 WHERE fid = 9",
         "field 'fid' was edited: the ledger records 2, the table holds 1"},
        {"lab result edit", "UPDATE fuelmap_lab_results SET value = 97.1 WHERE fid = 1",
         "table fuelmap_lab_results, fid 1 (sample_id "},
        {"lab result edit value", "UPDATE fuelmap_lab_results SET value = 97.1 WHERE fid = 1",
         "field 'value' was edited: the ledger records 95.3, the table holds 97.1 (ledger entry 4)"},
        {"lab result delete", "DELETE FROM fuelmap_lab_results WHERE fid = 2",
         "of ledger entry 5 has no row"},
        {"lab result insert",
         "INSERT INTO fuelmap_lab_results (sample_id, station_id, source, element_no, depth, property, "
         "value, unit, "
         "method, lab, imported_from, ledger_seq) SELECT sample_id, station_id, source, element_no, depth, "
         "property, "
         "value, unit, method, 'L2', imported_from, ledger_seq FROM fuelmap_lab_results WHERE fid = 1",
         "table fuelmap_lab_results, fid 3 ("},
        {"lab result reorder",
         "UPDATE fuelmap_lab_results SET fid = 9 WHERE fid = 1; UPDATE fuelmap_lab_results SET fid = 1 WHERE "
         "fid = 2; UPDATE fuelmap_lab_results SET fid = 2 WHERE fid = 9",
         "field 'fid' was edited"},
        {"plan edit", "UPDATE fuelmap_plans SET plan = replace(plan, '\"random\"', '\"certainty\"')",
         "table fuelmap_plans, fid 1 (round 'R1'): field 'plan' was edited"},
        {"plan time edit", "UPDATE fuelmap_plans SET recorded_at = '2020-01-01T00:00:00Z'",
         "table fuelmap_plans, fid 1 (round 'R1'): field 'recorded_at' was edited"},
        {"plan delete", "DELETE FROM fuelmap_plans",
         "table fuelmap_plans: the plan R1 of ledger entry 1 has no row"},
        {"plan insert",
         "INSERT INTO fuelmap_plans (round, digest, seed_commitment, plan, recorded_at, ledger_seq) SELECT "
         "'R0', "
         "digest, seed_commitment, plan, recorded_at, 2 FROM fuelmap_plans",
         "table fuelmap_plans, fid 2 (round 'R0'): no ledger entry accounts for this row"},
        {"plan reorder", "UPDATE fuelmap_plans SET fid = 7",
         "table fuelmap_plans, fid 7 (round 'R1'): field 'fid'"},
        {"ledger entry edit", "UPDATE fuelmap_ledger SET record_id = 'x' WHERE seq = 3",
         "ledger broken at entry 3: entry 3 (observation x) was edited"},
        {"ledger time edit", "UPDATE fuelmap_ledger SET recorded_at = '2020-01-01T00:00:00Z' WHERE seq = 2",
         "ledger broken at entry 2: entry 2 (observation 370602-0001/N1@2024-05-17) was edited"},
        {"ledger reorder",
         "UPDATE fuelmap_ledger SET seq = 9 WHERE seq = 2; UPDATE fuelmap_ledger SET seq = 2 WHERE seq = 3; "
         "UPDATE fuelmap_ledger SET seq = 3 WHERE seq = 9",
         "ledger broken at entry 2"},
        {"ledger truncate", "DELETE FROM fuelmap_ledger WHERE seq >= 4",
         "the ledger head records 5 entries ending in"},
        {"ledger truncate and head rewrite",
         "DELETE FROM fuelmap_ledger WHERE seq = 5; UPDATE fuelmap_meta SET value = '4' WHERE key = "
         "'ledger_count'; UPDATE fuelmap_meta SET value = (SELECT hash FROM fuelmap_ledger WHERE seq = 4) "
         "WHERE "
         "key = 'ledger_head'",
         "table fuelmap_lab_results, fid 2 (sample_id 'R1/370602-0001/T2', property 'RON', method 'GB/T "
         "5487', lab "
         "'L1'): no ledger entry accounts for this row"},
        {"ledger head count not a number", "UPDATE fuelmap_meta SET value = 'x' WHERE key = 'ledger_count'",
         "the ledger head's ledger_count 'x' is not a number"},
    };
    const Evidence base;
    for (const Tamper& c : cases) {
        SCOPED_TRACE(c.name);
        const Evidence ev(base, true);
        exec_sql(ev.reg, c.sql);
        const RunResult v = ev.verify();
        EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
        EXPECT_NE(v.out.find(c.found), std::string::npos) << v.out;
        const std::string refused = ev.reg + ": the ledger check failed, so its records are not used: ";
        write_file(ev.dir / "more.csv", "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                                        "370602-0004,N1,T1,pipe_tracing,I01,2024-06-01\n");
        write_file(ev.dir / "d2.json", R"({"round": "R2", "sample_size": 1, "certainty_from_round": "R1"})");
        for (const std::vector<std::string>& args :
             std::vector<std::vector<std::string>>{{"audit", "-r", ev.reg},
                                                   {"stats", "-r", ev.reg, "--round", "R1"},
                                                   {"observe", "-r", ev.reg, ev.path("more.csv")},
                                                   {"lab", "-r", ev.reg, ev.path("lab.csv")},
                                                   {"plan", "-r", ev.reg, "--design", ev.path("d2.json"),
                                                    "--seed", seed_hex, "-o", ev.path("p2.json")},
                                                   {"verify", ev.path("plan.json"), "-r", ev.reg}}) {
            const std::string before = read_file(ev.reg);
            const RunResult r = run_fuelmap(args);
            EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.out << r.err;
            EXPECT_NE(r.err.find(refused), std::string::npos) << args[0] << ": " << r.err;
            EXPECT_EQ(read_file(ev.reg), before) << args[0];
        }
        EXPECT_FALSE(std::filesystem::exists(ev.path("p2.json")));
    }
}

// Problem 2 of issue 12: deleting every observation turned the audit of a station with critical
// findings into no finding at all, and `ledger verify` still said intact.
TEST(LedgerCli, DeletedObservationsNoLongerSilenceTheAudit) {
    Evidence ev;
    write_file(ev.dir / "bad.csv", "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                                   "370602-0003,N2,T1,dispense_and_watch_gauge,I01;I02,2024-05-19\n");
    ASSERT_EQ(run_fuelmap({"observe", "-q", "-r", ev.reg, ev.path("bad.csv")}).exit_code, 0);
    EXPECT_EQ(run_fuelmap({"audit", "-r", ev.reg, "370602-0003"}).exit_code, 1);
    exec_sql(ev.reg, "DELETE FROM fuelmap_observations");
    const RunResult audit = run_fuelmap({"audit", "-r", ev.reg, "370602-0003"});
    EXPECT_EQ(audit.exit_code, 2) << audit.out;
    EXPECT_EQ(audit.out, "");
    EXPECT_EQ(ev.verify().exit_code, 1);
}

// Problem 3: a round recorded once can never be recorded again, whatever is deleted.
TEST(LedgerCli, ARoundIsNeverRecordedTwice) {
    Evidence ev;
    const std::string other_seed = std::string(63, '1') + "2";
    auto again = [&] {
        return run_fuelmap({"plan", "-r", ev.reg, "--design", ev.path("design.json"), "--seed", other_seed,
                            "-o", ev.path("again.json")});
    };
    RunResult r = again();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("a plan for round 'R1' is already recorded"), std::string::npos) << r.err;
    exec_sql(ev.reg, "DELETE FROM fuelmap_plans");
    r = again();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("the plan R1 of ledger entry 1 has no row: it was deleted"), std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(ev.path("again.json")));
    int plans = 0;
    for (const LedgerEntry& e : read_ledger(ev.reg))
        plans += e.kind == "plan";
    EXPECT_EQ(plans, 1);
}

// Problem 4: truncation with a rewritten head, and a whole rewritten history, pass a chain check
// alone; a published checkpoint, and the checkpoint each plan records, catch them.
TEST(LedgerCli, CheckpointsCatchTruncationAndRewrittenHistory) {
    Evidence ev;
    const RunResult head = run_fuelmap({"ledger", "head", "-r", ev.reg});
    ASSERT_EQ(head.exit_code, 0) << head.err;
    const std::vector<LedgerEntry> entries = read_ledger(ev.reg);
    EXPECT_EQ(head.out, "fuelmap ledger checkpoint v1\nentries 5\nhead " + entries[4].hash + "\n");
    write_file(ev.dir / "cp.txt", head.out);
    const RunResult json = run_fuelmap({"ledger", "head", "-r", ev.reg, "--format", "json"});
    EXPECT_EQ(json.out,
              "{\n  \"checkpoint\": \"fuelmap-ledger-checkpoint-v1\",\n  \"entries\": 5,\n  \"head\": \"" +
                  entries[4].hash + "\"\n}\n");
    write_file(ev.dir / "cp.json", json.out);
    // The plan recorded the ledger as it stood when it was drawn (before its own entry).
    const Plan plan = read_plan(ev.path("plan.json"));
    EXPECT_EQ(plan.ledger_entries, 0);
    EXPECT_EQ(plan.ledger_head, std::string(64, '0'));
    EXPECT_EQ(ev.verify({"--checkpoint", ev.path("cp.txt")}).exit_code, 0);
    EXPECT_EQ(ev.verify({"--checkpoint", ev.path("cp.json")}).exit_code, 0);

    // A later plan records entry count 5 and its head.
    write_file(ev.dir / "d2.json", R"({"round": "R2", "sample_size": 1})");
    ASSERT_EQ(run_fuelmap({"plan", "-r", ev.reg, "--design", ev.path("d2.json"), "--seed", seed_hex, "-o",
                           ev.path("p2.json")})
                  .exit_code,
              0);
    EXPECT_EQ(read_plan(ev.path("p2.json")).ledger_entries, 5);
    EXPECT_NE(read_file(ev.path("p2.json"))
                  .find("\"ledger_checkpoint\": {\n    \"entries\": 5,\n    \"head\": \"" + entries[4].hash +
                        "\"\n  }"),
              std::string::npos);
    EXPECT_EQ(run_fuelmap({"verify", ev.path("p2.json"), "-r", ev.reg}).exit_code, 0);

    // Truncate: drop the last lab result and its entry, and rewrite the head to match.
    exec_sql(ev.reg,
             "DELETE FROM fuelmap_lab_results WHERE ledger_seq = 5; DELETE FROM fuelmap_plans WHERE round = "
             "'R2'; DELETE FROM fuelmap_ledger WHERE seq >= 5");
    rechain(ev.reg);
    EXPECT_EQ(ev.verify().exit_code, 0) << "a consistent truncation passes the chain check alone";
    RunResult r = ev.verify({"--checkpoint", ev.path("cp.txt")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, ev.reg + ": does not extend the checkpoint " + ev.path("cp.txt") +
                         ": the checkpoint records 5 entries but the ledger has 4: it was truncated\n");
    r = run_fuelmap({"verify", ev.path("p2.json"), "-r", ev.reg});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("ledger: the registry's ledger does not extend the plan's ledger_checkpoint"),
              std::string::npos)
        << r.out;

    // Rewrite: edit an observation, re-seal its entry and rechain; only a checkpoint shows it.
    Evidence ev2;
    write_file(ev2.dir / "cp.txt", run_fuelmap({"ledger", "head", "-r", ev2.reg}).out);
    exec_sql(ev2.reg,
             "UPDATE fuelmap_observations SET observed_tanks = 'T3' WHERE fid = 1; UPDATE fuelmap_ledger "
             "SET payload = replace(payload, '\"observed_tanks\":\"T1\"', '\"observed_tanks\":\"T3\"') "
             "WHERE seq = 2");
    rechain(ev2.reg);
    EXPECT_EQ(ev2.verify().exit_code, 0);
    r = ev2.verify({"--checkpoint", ev2.path("cp.txt")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("the history up to the checkpoint was rewritten"), std::string::npos) << r.out;
}

TEST(LedgerCli, SignedCheckpointsAndTheOfficeKey) {
    Evidence ev;
    const std::string key = ev.path("office.key"), pub = ev.path("office.pub");
    RunResult r = run_fuelmap({"ledger", "keygen", "-o", key, "--public", pub});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_NE(read_file(pub).find("BEGIN PUBLIC KEY"), std::string::npos);
    // keygen never overwrites a key.
    r = run_fuelmap({"ledger", "keygen", "-o", key, "--public", ev.path("x.pub")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(key + ": cannot create the private key file (it must not exist yet)"),
              std::string::npos)
        << r.err;

    r = run_fuelmap({"ledger", "head", "-r", ev.reg, "--sign", key});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("\nkey "), std::string::npos);
    EXPECT_NE(r.out.find("\nsignature "), std::string::npos);
    write_file(ev.dir / "signed.txt", r.out);
    r = ev.verify({"--checkpoint", ev.path("signed.txt"), "--key", pub});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("extends the checkpoint " + ev.path("signed.txt") + " (5 entries, signed by "),
              std::string::npos)
        << r.out;

    // A checkpoint altered after signing, one signed by another key, and an unsigned one with --key.
    std::string altered = read_file(ev.path("signed.txt"));
    altered.replace(altered.find("entries 5"), 9, "entries 4");
    write_file(ev.dir / "altered.txt", altered);
    r = ev.verify({"--checkpoint", ev.path("altered.txt"), "--key", pub});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("the checkpoint's signature is not valid"), std::string::npos) << r.out;
    ASSERT_EQ(run_fuelmap({"ledger", "keygen", "-o", ev.path("other.key"), "--public", ev.path("other.pub")})
                  .exit_code,
              0);
    r = ev.verify({"--checkpoint", ev.path("signed.txt"), "--key", ev.path("other.pub")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("the checkpoint is signed by key "), std::string::npos) << r.out;
    write_file(ev.dir / "plain.txt", run_fuelmap({"ledger", "head", "-r", ev.reg}).out);
    r = ev.verify({"--checkpoint", ev.path("plain.txt"), "--key", pub});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("the checkpoint is not signed"), std::string::npos) << r.out;
    // Signed JSON form.
    r = run_fuelmap({"ledger", "head", "-r", ev.reg, "--sign", key, "--format", "json"});
    write_file(ev.dir / "signed.json", r.out);
    EXPECT_EQ(ev.verify({"--checkpoint", ev.path("signed.json"), "--key", pub}).exit_code, 0);
}

TEST(LedgerCli, BadCheckpointsAndKeysAreBadInput) {
    Evidence ev;
    struct Case {
        std::string text, message;
    };
    for (const Case& c : std::vector<Case>{
             {"", ": empty file: not a ledger checkpoint"},
             {"hello\n",
              ": line 1: not a ledger checkpoint (the first line must be 'fuelmap ledger checkpoint v1')"},
             {"fuelmap ledger checkpoint v1\nentries x\nhead 00\n",
              ": line 2, field 'entries': 'x' is not a count"},
             {"fuelmap ledger checkpoint v1\nentries 1\nhead 00\n",
              ": line 3, field 'head': must be 64 lowercase hex digits"},
             {"fuelmap ledger checkpoint v1\nentries 1\n", ": field 'head': missing"},
             {"fuelmap ledger checkpoint v1\nentries 1\nentries 2\n",
              ": line 3, field 'entries': given twice"},
             {R"({"checkpoint": "fuelmap-ledger-checkpoint-v1", "entries": "5"})",
              ": field 'entries': must be an integer"},
         }) {
        write_file(ev.dir / "cp.txt", c.text);
        const RunResult r = ev.verify({"--checkpoint", ev.path("cp.txt")});
        EXPECT_EQ(r.exit_code, 2) << c.text;
        EXPECT_EQ(r.err, "fuelmap ledger: error: " + ev.path("cp.txt") + c.message + "\n") << c.text;
    }
    write_file(ev.dir / "not-a-key.pem", "hello\n");
    const RunResult r = run_fuelmap({"ledger", "head", "-r", ev.reg, "--sign", ev.path("not-a-key.pem")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "fuelmap ledger: error: " + ev.path("not-a-key.pem") +
                         ": not an Ed25519 private key in PEM form\n");
    // A broken ledger has no checkpoint to publish.
    exec_sql(ev.reg, "DELETE FROM fuelmap_observations WHERE fid = 2");
    const RunResult broken = run_fuelmap({"ledger", "head", "-r", ev.reg});
    EXPECT_EQ(broken.exit_code, 2);
    EXPECT_NE(broken.err.find("no checkpoint of a ledger that does not verify"), std::string::npos)
        << broken.err;
}

// Registries written before ledger format 2: every command refuses their records with a clear
// message until `ledger migrate` has checked the old chain and sealed the records.
TEST(LedgerCli, FormatOneRegistriesAreRefusedUntilMigrated) {
    Evidence ev;
    // Turn the registry into what the previous version wrote: v1 hashes, no ledger_version, plans
    // linked by round only.
    {
        SQLite::Database db(ev.reg, SQLite::OPEN_READWRITE);
        std::string prev(64, '0');
        for (LedgerEntry e : read_ledger(ev.reg)) {
            const std::string hash =
                sha256_hex("fuelmap-ledger-v1\n" + std::to_string(e.seq) + "\n" + e.kind + "\n" +
                           e.record_id + "\n" + sha256_hex(e.payload) + "\n" + prev);
            SQLite::Statement u(db, "UPDATE fuelmap_ledger SET prev_hash = ?, hash = ? WHERE seq = ?");
            u.bind(1, prev);
            u.bind(2, hash);
            u.bind(3, e.seq);
            u.exec();
            prev = hash;
        }
        db.exec("UPDATE fuelmap_meta SET value = '" + prev + "' WHERE key = 'ledger_head'");
        db.exec("DELETE FROM fuelmap_meta WHERE key = 'ledger_version'");
        db.exec("ALTER TABLE fuelmap_plans DROP COLUMN ledger_seq");
    }
    const std::string message =
        "the ledger was written by an earlier fuelmap (ledger format 1), which did not bind "
        "the records' content; run `fuelmap ledger migrate -r " +
        ev.reg + "`";
    RunResult r = ev.verify();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find(message), std::string::npos) << r.out;
    r = run_fuelmap({"audit", "-r", ev.reg});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    write_file(ev.dir / "more.csv", "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                                    "370602-0004,N1,T1,pipe_tracing,I01,2024-06-01\n");
    r = run_fuelmap({"observe", "-r", ev.reg, ev.path("more.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;

    r = run_fuelmap({"ledger", "migrate", "-r", ev.reg});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, ev.reg +
                         ": 5 ledger entries re-sealed as format 2 (the records as they stand now); publish "
                         "a new checkpoint\n");
    EXPECT_EQ(ev.verify().exit_code, 0);
    EXPECT_EQ(run_fuelmap({"observe", "-q", "-r", ev.reg, ev.path("more.csv")}).exit_code, 0);
    EXPECT_EQ(ev.verify().exit_code, 0);
    r = run_fuelmap({"ledger", "migrate", "-r", ev.reg});
    EXPECT_EQ(r.out, ev.reg + ": the ledger is already format 2; nothing to do\n");
}

// Problem 5: `ledger verify` while `observe` commits never reports an honest registry as broken.
TEST(LedgerCli, VerifyDuringWritesNeverRaisesAFalseAlarm) {
    Evidence ev;
    for (int run = 0; run < 6; ++run) {
        std::string rows = "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n";
        for (int day = 10; day <= 28; ++day)
            for (const char* n : {"N1", "N4"})
                rows += "370602-0003," + std::string(n) + ",T1,pipe_tracing,I01,2024-0" +
                        std::to_string(run + 1) + "-" + std::to_string(day) + "\n";
        write_file(ev.dir / "batch.csv", rows);
        RunResult writer;
        std::thread t([&] { writer = run_fuelmap({"observe", "-q", "-r", ev.reg, ev.path("batch.csv")}); });
        std::vector<RunResult> checks;
        for (int i = 0; i < 3; ++i)
            checks.push_back(ev.verify());
        t.join();
        EXPECT_EQ(writer.exit_code, 0) << writer.err;
        for (const RunResult& c : checks)
            EXPECT_EQ(c.exit_code, 0) << c.out << c.err;
    }
    EXPECT_EQ(read_ledger(ev.reg).size(), 5u + 6 * 38);
}
