// SPDX-License-Identifier: MIT
// The JavaScript verifier (web/verifier.js) against every conformance vector of docs/conformance:
// the frame's digest, the plan recomputed byte for byte from frame, design and seed, and
// verifyPlan() saying "identical". Run by ctest: node conformance_test.js SOURCE_DIR
'use strict';
const fs = require('node:fs');
const path = require('node:path');
if (!globalThis.crypto)
    globalThis.crypto = require('node:crypto').webcrypto;
const source = path.resolve(process.argv[2]);
const V = require(path.join(source, 'web', 'verifier.js'));

async function main() {
    const root = path.join(source, 'docs', 'conformance');
    const vectors = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()).sort();
    if (vectors.length < 3)
        throw new Error('expected at least 3 conformance vectors in ' + root);
    let failures = 0;
    for (const name of vectors) {
        const dir = path.join(root, name);
        const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
        const manifest = JSON.parse(read('manifest.json'));
        const frameText = read('frame.txt');
        const planText = read('plan.json');
        const plan = JSON.parse(planText);
        const digest = await V.sha256Hex(frameText);
        const problems = [];
        if (digest !== manifest.registry_digest)
            problems.push('frame digest ' + digest + ' != ' + manifest.registry_digest);
        const redo = await V.drawPlan(V.parseFrame(frameText), JSON.parse(read('design.json')), manifest.seed,
                                      plan.ledger_checkpoint, digest);
        const text = V.canonicalJson(redo);
        if (text !== planText) {
            const a = text.split('\n'), b = planText.split('\n');
            const i = a.findIndex((line, j) => line !== b[j]);
            problems.push('recomputed plan differs from plan.json at line ' + (i + 1) + ': ' + JSON.stringify(a[i]) +
                          ' vs ' + JSON.stringify(b[i]));
        }
        if (redo.digest !== manifest.plan_digest)
            problems.push('digest ' + redo.digest + ' != ' + manifest.plan_digest);
        const result = await V.verifyPlan({planText, frameText, designText: read('design.json'),
                                           commitment: plan.seed_commitment, seed: manifest.seed});
        if (!result.identical)
            problems.push('verifyPlan: ' + (result.error || '') + JSON.stringify(result.differences));
        console.log((problems.length ? 'FAIL ' : 'ok   ') + name + (problems.length ? '\n  ' + problems.join('\n  ') : ''));
        failures += problems.length ? 1 : 0;
    }
    if (failures)
        process.exit(1);
}
main().catch((e) => {
    console.error(e);
    process.exit(1);
});
