// SPDX-License-Identifier: MIT
// Writes example lab results (CSV for `fuelmap lab`) for every nozzle sample of a plan: RON for
// gasoline, density for diesel, all within the grade limits except one planted failure (the first
// 95# sample reads RON 93.1). For the demo only: real results come from the laboratory.
// Usage: node scripts/demo_lab_results.js PLAN.json > lab.csv
'use strict';
const plan = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const lines = ['sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab'];
let planted = false;
for (const s of plan.selections)
    for (const p of s.samples) {
        const diesel = p.grade.startsWith('0#') || p.grade.startsWith('-');
        let ron = p.grade.startsWith('95') ? '95.4' : p.grade.startsWith('98') ? '98.3' : '92.6';
        if (p.grade === '95#' && !planted) {
            ron = '93.1';
            planted = true;
        }
        lines.push([p.nozzle_sample_id, s.station_id, 'nozzle', p.nozzle_no, '', '',
                    ...(diesel ? ['density', '830.5', 'kg/m3', 'SH/T 0604'] : ['RON', ron, '-', 'GB/T 5487']), 'L1'].join(','));
    }
process.stdout.write(lines.join('\n') + '\n');
