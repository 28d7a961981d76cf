// SPDX-License-Identifier: MIT
// The JavaScript verifier (web/verifier.js) against plans drawn by the fuelmap binary: synthetic
// registries, several designs (strata, allocations, risk weights, budget, certainty, exclusions,
// RFC 3797, schedules with a depot or inspector bases), published with `fuelmap publish`. Each
// plan must verify as identical from the published frame, design and seed; tampered plans, frames
// and seeds must fail, naming the same differences as `fuelmap verify` where both can check.
// Run by ctest: node generated_test.js SOURCE_DIR FUELMAP WORK_DIR
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const {spawnSync} = require('node:child_process');
if (!globalThis.crypto)
    globalThis.crypto = require('node:crypto').webcrypto;
const [source, fuelmap, workArg] = process.argv.slice(2).map((p) => path.resolve(p));
const V = require(path.join(source, 'web', 'verifier.js'));
const work = path.join(workArg, 'web_generated');
fs.rmSync(work, {recursive: true, force: true});
fs.mkdirSync(work, {recursive: true});

function run(args, expect = [0]) {
    const r = spawnSync(fuelmap, args, {encoding: 'utf8'});
    if (!expect.includes(r.status))
        throw new Error('fuelmap ' + args.join(' ') + ' exited ' + r.status + ':\n' + r.stdout + r.stderr);
    return r;
}

const inspectors = (n, withBases) => Array.from({length: n}, (_, i) => {
    const ins = {id: 'I' + String(i + 1).padStart(2, '0'), name: '检查员' + (i + 1), district: ['370602', '370611', '370612', '370613', '370681', '370682'][i % 6],
                 role: i % 2 ? 'laboratory' : 'enforcement'};
    if (withBases) {
        ins.base_lon = (121.2 + 0.05 * i).toFixed(2);
        ins.base_lat = (37.4 + 0.02 * i).toFixed(2);
    }
    if (i === 3)
        ins.unavailable = ['2026-03-03'];
    return ins;
});
const window = {start: '2026-03-02', end: '2026-03-20', holidays: ['2026-03-06']};

// [name, synth stations, synth seed, design, seed text]
const cases = [
    ['srs-county', 50, 3, {sample_size: 9, strata: ['county']}, 'seed-a'],
    ['weighted-certainty', 60, 4, {sample_size: 12, strata: ['ownership'], weight_field: 'risk_weight', min_per_stratum: 1,
                                   certainty: ['370602-0001'], exclude: ['370602-0003'], grades: ['92#', '95#']}, 'f00d'],
    ['volume-equal', 60, 5, {sample_size: 10, strata: ['ownership'], allocation: 'volume'}, '7'],
    ['equal-budget', 45, 6, {budget: 30000, cost_per_batch: 1000, strata: ['ownership'], allocation: 'equal', grades: ['92#', '0#']}, 'budget-seed'],
    ['rfc3797-plain', 50, 7, {method: 'rfc3797', sample_size: 10, strata: ['ownership']}, '9319./2.5.8.10.12./9.18.26.34.41.45./'],
    ['schedule-depot', 70, 8, {sample_size: 14, strata: ['county'], inspectors: inspectors(8, false), team_roles: ['enforcement', 'laboratory'],
                               stations_per_day: 3, workload_cap: 12, depot: {lon: '121.447', lat: '37.464'}, window}, 'sched-1'],
    ['schedule-bases-weighted', 70, 9, {sample_size: 12, weight_field: 'risk_weight', inspectors: inspectors(9, true), team_size: 3,
                                        stations_per_day: 4, window: {...window, weekends: true}}, 'sched-2'],
    ['rfc3797-schedule', 60, 10, {method: 'rfc3797', sample_size: 11, strata: ['ownership'], inspectors: inspectors(6, true),
                                  stations_per_day: 4, window}, '1./2.3./17.22.35./'],
];

const failures = [];
function check(name, ok, message) {
    if (!ok)
        failures.push(name + ': ' + message);
}

// (kind, item) pairs of a difference list, sorted; the registry-only kinds left out.
function kinds(list) {
    return list.filter((d) => !['recorded', 'ledger'].includes(d.kind)).map((d) => d.kind + ' ' + (d.item ?? d.station_id)).sort();
}

async function jsVerify(site, changes = {}) {
    const read = (f) => fs.readFileSync(path.join(site, f), 'utf8');
    return V.verifyPlan({planText: changes.plan ?? read('plan.json'), frameText: changes.frame ?? read('frame.txt'),
                         designText: read('design.json'), commitment: read('commitment.txt').trim(),
                         seed: changes.seed ?? read('seed.txt').replace(/\n$/, '')});
}

function cppVerify(reg, planText, name) {
    const file = path.join(work, name + '.tampered.json');
    fs.writeFileSync(file, planText);
    const r = run(['verify', file, '-r', reg, '--format', 'json'], [0, 1]);
    return JSON.parse(r.stdout).differences;
}

async function main() {
    for (const [name, stations, synthSeed, design, seed] of cases) {
        const before = failures.length;
        const dir = path.join(work, name);
        fs.mkdirSync(dir);
        const reg = path.join(dir, 'reg.gpkg');
        run(['synth', '--stations', String(stations), '--seed', String(synthSeed), '-o', reg, '--regions', 'yantai']);
        fs.writeFileSync(path.join(dir, 'design.json'), JSON.stringify({round: name, ...design}));
        run(['plan', '-r', reg, '--design', path.join(dir, 'design.json'), '--seed', seed, '-o', path.join(dir, 'plan.json')]);
        const site = path.join(dir, 'site');
        run(['publish', '-r', reg, '--round', name, '-o', site]);
        const planText = fs.readFileSync(path.join(site, 'plan.json'), 'utf8');
        check(name, planText === fs.readFileSync(path.join(dir, 'plan.json'), 'utf8'), 'the published plan is not the drawn plan');
        const plan = JSON.parse(planText);
        const good = await jsVerify(site);
        check(name, good.identical, 'not identical: ' + (good.error || '') + JSON.stringify(good.differences));
        if (design.inspectors)
            check(name, plan.routes.length > 0, 'a schedule without routes');

        // A tampered plan: one selection's ticket, another's removal, both named as fuelmap verify names them.
        const edited = JSON.parse(planText);
        const victim = edited.selections[edited.selections.length - 1];
        victim.ticket = victim.ticket.startsWith('#') ? '#999' : '0.' + (victim.ticket[2] === '9' ? '1' : '9') + victim.ticket.slice(3);
        const removed = edited.selections.splice(0, 1)[0];
        const editedText = V.canonicalJson(edited);
        const js = await jsVerify(site, {plan: editedText});
        const cpp = cppVerify(reg, editedText, name);
        check(name, !js.identical, 'a tampered plan verified as identical');
        check(name, JSON.stringify(kinds(js.differences)) === JSON.stringify(kinds(cpp)),
              'tampered plan: the JS verifier says ' + JSON.stringify(kinds(js.differences)) + ' but fuelmap verify ' + JSON.stringify(kinds(cpp)));
        check(name, js.differences.some((d) => d.kind === 'selection_removed' && d.item === removed.station_id),
              'the removed station is not named');
        check(name, js.differences.some((d) => d.kind === 'selection_edited' && d.item === victim.station_id && d.message.includes('ticket')),
              'the edited ticket is not named');

        // A tampered seed in the plan (fuelmap verify sees the same), and a revealed seed that is not the committed one.
        const seeded = JSON.parse(planText);
        seeded.seed = seed + 'x';
        seeded.digest = await V.planDigest(seeded);
        const seededText = V.canonicalJson(seeded);
        const jsSeed = await jsVerify(site, {plan: seededText, seed: seed + 'x'});
        const cppSeed = cppVerify(reg, seededText, name + '-seed');
        check(name, jsSeed.differences.some((d) => d.kind === 'seed'), 'an edited seed is not named');
        check(name, JSON.stringify(kinds(jsSeed.differences)) === JSON.stringify(kinds(cppSeed)),
              'tampered seed: the JS verifier says ' + JSON.stringify(kinds(jsSeed.differences)) + ' but fuelmap verify ' + JSON.stringify(kinds(cppSeed)));
        const revealed = await jsVerify(site, {seed: seed + 'y'});
        check(name, !revealed.identical && revealed.differences.some((d) => d.kind === 'seed' && d.message.includes('revealed seed')),
              'a revealed seed other than the plan\'s is not named: ' + JSON.stringify(revealed.differences));

        // A tampered frame: a selected station closed, and a sampled nozzle's grade changed.
        const frame = fs.readFileSync(path.join(site, 'frame.txt'), 'utf8');
        const target = plan.selections.find((s) => s.reason === 'random').station_id;
        const closed = frame.replace('\nS\t' + target + '\topen\t', '\nS\t' + target + '\tclosed\t');
        check(name, closed !== frame, 'could not tamper the frame');
        const jsFrame = await jsVerify(site, {frame: closed});
        check(name, jsFrame.differences.some((d) => d.kind === 'registry'), 'a tampered frame is not named as registry');
        check(name, jsFrame.differences.some((d) => d.item === target) || !!jsFrame.error,
              'a closed station ' + target + ' is not named: ' + JSON.stringify(jsFrame.differences));
        console.log((failures.length > before ? 'FAIL ' : 'ok   ') + name + ' (' + plan.selections.length + ' stations, ' + plan.routes.length + ' routes)');
    }
    if (failures.length) {
        console.log(failures.join('\n'));
        process.exit(1);
    }
}
main().catch((e) => {
    console.error(e);
    process.exit(1);
});
