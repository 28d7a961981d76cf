// SPDX-License-Identifier: MIT
// fuelmap's plan verifier in JavaScript: recomputes a sampling plan from the published frame text,
// design and seed, following docs/sampling.md (algorithm fuelmap-sampling-2), and names every
// difference from the published plan. Written from the standard, not from the C++ code.
//
// Plain modern JavaScript, no build step, no dependency: SHA-256 from WebCrypto
// (globalThis.crypto.subtle), exact integers with BigInt, MD5 (RFC 3797 mode) written out below.
// In a page it defines globalThis.FuelmapVerifier; in node, require() returns the same object.
'use strict';

(function (root) {
    const ALGORITHM = 'fuelmap-sampling-2';
    const FORMAT_VERSION = '2';
    const encoder = new TextEncoder();

    /** An error of the inputs (design, frame, seed) that stops the recomputation. */
    class InputError extends Error {}

    function fail(message) {
        throw new InputError(message);
    }

    // ----- byte order ------------------------------------------------------------------------
    // Strings compare as their UTF-8 bytes (section "Conventions"); that is code point order, which
    // differs from JavaScript's UTF-16 order only around surrogates.
    function hasSurrogate(s) {
        return /[\ud800-\udfff]/.test(s);
    }

    function byteCompare(a, b) {
        if (a === b)
            return 0;
        if (!hasSurrogate(a) && !hasSurrogate(b))
            return a < b ? -1 : 1;
        const x = Array.from(a, (c) => c.codePointAt(0));
        const y = Array.from(b, (c) => c.codePointAt(0));
        for (let i = 0; i < Math.min(x.length, y.length); ++i)
            if (x[i] !== y[i])
                return x[i] < y[i] ? -1 : 1;
        return x.length - y.length < 0 ? -1 : x.length === y.length ? 0 : 1;
    }

    function sortedBytes(list) {
        return [...list].sort(byteCompare);
    }

    // ----- digests -----------------------------------------------------------------------------
    function subtle() {
        const c = root.crypto;
        if (!c || !c.subtle)
            fail('this browser has no WebCrypto (crypto.subtle): open the page over https or from a file');
        return c.subtle;
    }

    function hex(bytes) {
        let s = '';
        for (const b of bytes)
            s += b.toString(16).padStart(2, '0');
        return s;
    }

    async function sha256(bytes) {
        return new Uint8Array(await subtle().digest('SHA-256', bytes));
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of @p text. */
    async function sha256Hex(text) {
        return hex(await sha256(encoder.encode(text)));
    }

    /** The seed commitment (section 2). */
    function seedCommitment(seed) {
        return sha256Hex('fuelmap-seed-commitment-v1:' + seed);
    }

    // MD5 (RFC 1321), for RFC 3797 mode only (WebCrypto has no MD5).
    const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    const MD5_K = Array.from({length: 64}, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

    function md5(bytes) {
        const len = bytes.length;
        const total = ((len + 8) >> 6) * 64 + 64;
        const m = new Uint8Array(total);
        m.set(bytes);
        m[len] = 0x80;
        const bits = BigInt(len) * 8n;
        for (let i = 0; i < 8; ++i)
            m[total - 8 + i] = Number((bits >> BigInt(8 * i)) & 0xffn);
        let a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
        const w = new Uint32Array(16);
        for (let off = 0; off < total; off += 64) {
            for (let i = 0; i < 16; ++i)
                w[i] = m[off + 4 * i] | (m[off + 4 * i + 1] << 8) | (m[off + 4 * i + 2] << 16) |
                       (m[off + 4 * i + 3] << 24);
            let a = a0, b = b0, c = c0, d = d0;
            for (let i = 0; i < 64; ++i) {
                let f, g;
                if (i < 16) {
                    f = (b & c) | (~b & d);
                    g = i;
                } else if (i < 32) {
                    f = (d & b) | (~d & c);
                    g = (5 * i + 1) % 16;
                } else if (i < 48) {
                    f = b ^ c ^ d;
                    g = (3 * i + 5) % 16;
                } else {
                    f = c ^ (b | ~d);
                    g = (7 * i) % 16;
                }
                const s = MD5_S[(i >> 4) * 4 + (i % 4)];
                const sum = (a + f + MD5_K[i] + w[g]) >>> 0;
                a = d;
                d = c;
                c = b;
                b = (b + ((sum << s) | (sum >>> (32 - s)))) >>> 0;
            }
            a0 = (a0 + a) >>> 0;
            b0 = (b0 + b) >>> 0;
            c0 = (c0 + c) >>> 0;
            d0 = (d0 + d) >>> 0;
        }
        const out = new Uint8Array(16);
        [a0, b0, c0, d0].forEach((v, i) => {
            for (let j = 0; j < 4; ++j)
                out[4 * i + j] = (v >>> (8 * j)) & 0xff;
        });
        return out;
    }

    function bigFromBytes(bytes) {
        let v = 0n;
        for (const b of bytes)
            v = (v << 8n) | BigInt(b);
        return v;
    }

    // ----- tickets (section 4) -----------------------------------------------------------------
    const TICKET_DIGITS = 78;
    const D = 10n ** 78n;

    /** Tickets of one seed text: ticket(id) = "0." + reversed 64-padded decimal of SHA-256(h ‖ id). */
    class Tickets {
        constructor(prefix) {
            this.prefix = prefix;
            this.cache = new Map();
        }
        static async of(seed) {
            return new Tickets(await sha256Hex(seed));
        }
        async ticket(id) {
            let t = this.cache.get(id);
            if (t === undefined) {
                const v = bigFromBytes(await sha256(encoder.encode(this.prefix + id)));
                t = '0.' + [...v.toString().padStart(64, '0')].reverse().join('');
                this.cache.set(id, t);
            }
            return t;
        }
        async tickets(ids) {
            return Promise.all(ids.map((id) => this.ticket(id)));
        }
    }

    /** Ticket order: ticket strings in byte order, then ids. */
    function ticketCompare(ta, ida, tb, idb) {
        if (ta !== tb)
            return ta < tb ? -1 : 1; // ASCII digits: UTF-16 order is byte order
        return byteCompare(ida, idb);
    }

    /** The exact value's numerator T (the ticket is T / 10^78). */
    function ticketNumerator(ticket) {
        return BigInt(ticket.slice(2).padEnd(TICKET_DIGITS, '0'));
    }

    // ----- canonical JSON (section 11) ---------------------------------------------------------
    function quote(s) {
        let out = '"';
        for (const ch of s) {
            const c = ch.codePointAt(0);
            if (ch === '"')
                out += '\\"';
            else if (ch === '\\')
                out += '\\\\';
            else if (c < 0x20) {
                const named = {8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r'}[c];
                out += named || '\\u' + c.toString(16).padStart(4, '0');
            } else
                out += ch;
        }
        return out + '"';
    }

    function canonicalValue(v, indent) {
        if (v === null)
            return 'null';
        if (typeof v === 'boolean')
            return v ? 'true' : 'false';
        if (typeof v === 'bigint')
            return v.toString();
        if (typeof v === 'number') {
            if (!Number.isInteger(v))
                fail('canonical JSON has no fractional numbers (got ' + v + ')');
            return String(v);
        }
        if (typeof v === 'string')
            return quote(v);
        const inner = indent + '  ';
        if (Array.isArray(v)) {
            if (v.length === 0)
                return '[]';
            return '[\n' + v.map((x) => inner + canonicalValue(x, inner)).join(',\n') + '\n' + indent + ']';
        }
        const keys = sortedBytes(Object.keys(v));
        if (keys.length === 0)
            return '{}';
        return '{\n' + keys.map((k) => inner + quote(k) + ': ' + canonicalValue(v[k], inner)).join(',\n') + '\n' +
               indent + '}';
    }

    /** Canonical JSON text of @p v with its final line feed. */
    function canonicalJson(v) {
        return canonicalValue(v, '') + '\n';
    }

    // ----- the frame text (section 10) ---------------------------------------------------------
    function unescapeField(s, where) {
        if (s === '\\N')
            return null;
        if (s.indexOf('\\') < 0)
            return s;
        let out = '';
        for (let i = 0; i < s.length; ++i) {
            if (s[i] !== '\\') {
                out += s[i];
                continue;
            }
            const n = s[++i];
            const map = {'\\': '\\', t: '\t', n: '\n', r: '\r'};
            if (!(n in map))
                fail(where + ': unknown escape \\' + (n || ''));
            out += map[n];
        }
        return out;
    }

    /** Parses a frame text into {fields, stations, byId, lastTeams, failed}. */
    function parseFrame(text) {
        const lines = text.split('\n');
        if (lines[lines.length - 1] !== '')
            fail('frame text: the last line does not end with a line feed');
        lines.pop();
        if (lines[0] !== 'fuelmap-frame-v1')
            fail('frame text: line 1 is not fuelmap-frame-v1');
        if (lines.length < 2 || !(lines[1] === 'fields' || lines[1].startsWith('fields\t')))
            fail('frame text: line 2 is not the fields line');
        const fields = lines[1].split('\t').slice(1).map((f) => unescapeField(f, 'frame text line 2'));
        const stations = [];
        const byId = new Map();
        const lastTeams = new Map();
        const failed = [];
        let current = null;
        for (let i = 2; i < lines.length; ++i) {
            const where = 'frame text line ' + (i + 1);
            const parts = lines[i].split('\t');
            const kind = parts[0];
            if (kind === 'S') {
                if (parts.length !== 4 + fields.length)
                    fail(where + ': an S line has ' + (parts.length - 1) + ' fields, not ' + (3 + fields.length));
                const values = new Map();
                fields.forEach((f, j) => values.set(f, unescapeField(parts[4 + j], where)));
                current = {
                    id: unescapeField(parts[1], where),
                    status: unescapeField(parts[2], where) || '',
                    county: unescapeField(parts[3], where) || '',
                    values,
                    nozzles: [],
                };
                if (byId.has(current.id))
                    fail(where + ': station ' + current.id + ' is listed twice');
                stations.push(current);
                byId.set(current.id, current);
            } else if (kind === 'N') {
                if (!current)
                    fail(where + ': an N line before any S line');
                if (parts.length !== 5)
                    fail(where + ': an N line has ' + (parts.length - 1) + ' fields, not 4');
                // Legs are split at ',' and each at its last '=' (a tank number holding ',' cannot be read).
                const supply = parts[4] === '' ? [] : parts[4].split(',').map((leg) => {
                    const eq = leg.lastIndexOf('=');
                    if (eq < 0)
                        fail(where + ": a supply leg without '=': " + leg);
                    return {tank_no: unescapeField(leg.slice(0, eq), where), fraction: leg.slice(eq + 1)};
                });
                current.nozzles.push({
                    nozzle_no: unescapeField(parts[1], where),
                    grade: unescapeField(parts[2], where),
                    status: unescapeField(parts[3], where),
                    supply,
                });
            } else if (kind === 'L') {
                if (parts.length !== 3)
                    fail(where + ': an L line has ' + (parts.length - 1) + ' fields, not 2');
                lastTeams.set(unescapeField(parts[1], where), unescapeField(parts[2], where));
            } else if (kind === 'F') {
                if (parts.length !== 2)
                    fail(where + ': an F line has ' + (parts.length - 1) + ' fields, not 1');
                failed.push(unescapeField(parts[1], where));
            } else {
                fail(where + ': unknown line kind ' + JSON.stringify(kind));
            }
        }
        return {fields, stations, byId, lastTeams, failed};
    }

    // ----- the design (section 3) --------------------------------------------------------------
    /** The canonical design object: inspectors written out with every key (section 3). */
    function canonicalDesign(design) {
        const out = {...design};
        if (Array.isArray(design.inspectors) && design.inspectors.length > 0)
            out.inspectors = design.inspectors.map((i) => ({
                base_lat: i.base_lat || '',
                base_lon: i.base_lon || '',
                district: i.district,
                id: i.id,
                name: i.name,
                role: i.role,
                unavailable: i.unavailable || [],
            }));
        else if (typeof design.inspectors === 'string')
            fail('design: inspectors is a CSV path; use the canonical design embedded in the plan');
        return out;
    }

    /** The design with every default filled in, as the draw reads it. */
    function readDesign(obj) {
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
            fail('design: not a JSON object');
        const d = {
            round: obj.round,
            method: obj.method || 'tickets',
            sample_size: obj.sample_size,
            budget: obj.budget,
            cost_per_batch: obj.cost_per_batch,
            strata: obj.strata || [],
            allocation: obj.allocation || 'proportional',
            volume_field: obj.volume_field || 'annual_volume_m3',
            min_per_stratum: obj.min_per_stratum || 0,
            weight_field: obj.weight_field || '',
            certainty: obj.certainty || [],
            certainty_from_round: obj.certainty_from_round || '',
            exclude: obj.exclude || [],
            grades: obj.grades || [],
            inspectors: Array.isArray(obj.inspectors) ? canonicalDesign(obj).inspectors || [] : [],
            team_size: obj.team_size || 2,
            team_roles: obj.team_roles || [],
            stations_per_day: obj.stations_per_day,
            workload_cap: obj.workload_cap,
            window: obj.window,
            depot: obj.depot,
        };
        if (typeof d.round !== 'string' || d.round === '')
            fail('design: round is missing');
        if (d.method !== 'tickets' && d.method !== 'rfc3797')
            fail('design: method must be "tickets" or "rfc3797"');
        if (d.sample_size === undefined && d.budget === undefined)
            fail('design: sample_size is missing: give sample_size, or budget and cost_per_batch');
        for (const key of ['sample_size', 'budget', 'cost_per_batch', 'min_per_stratum', 'team_size',
                           'stations_per_day', 'workload_cap'])
            if (obj[key] !== undefined && !Number.isSafeInteger(obj[key]))
                fail('design: ' + key + ' must be a whole number');
        if (d.inspectors.length > 0 && (!d.window || !d.stations_per_day))
            fail('design: a design with inspectors needs window and stations_per_day');
        return d;
    }

    // ----- exact helpers -----------------------------------------------------------------------
    function gcd(a, b) {
        while (b !== 0n)
            [a, b] = [b, a % b];
        return a;
    }

    /** p/q in lowest terms, or p when q = 1. */
    function rational(p, q) {
        p = BigInt(p);
        q = BigInt(q);
        const g = gcd(p, q);
        if (g > 1n) {
            p /= g;
            q /= g;
        }
        return q === 1n ? p.toString() : p + '/' + q;
    }

    function integerValue(station, field, min, max, purpose) {
        const v = station.values.get(field);
        if (v === null || v === undefined)
            fail('station ' + station.id + ' has no value for the ' + purpose + ' field ' + field);
        if (!/^-?[0-9]+$/.test(v))
            fail('station ' + station.id + ': the ' + purpose + " must be a whole number (got '" + v + "')");
        const n = BigInt(v);
        if (n < BigInt(min) || n > BigInt(max))
            fail('station ' + station.id + ': the ' + purpose + ' must be between ' + min + ' and ' + max +
                 ' (got ' + v + ')');
        return n;
    }

    // ----- allocation (section 5.2) ------------------------------------------------------------
    /** Allocation of n over strata [{key, population, measure}] (BigInt measures). */
    function allocate(n, strata, minPerStratum) {
        const total = strata.reduce((s, h) => s + h.population, 0);
        if (n > total)
            fail('sample_size larger than the frame: ' + n + ' > ' + total);
        const alloc = strata.map((h) => Math.min(minPerStratum, h.population));
        let rest = n - alloc.reduce((s, a) => s + a, 0);
        if (rest < 0)
            fail('min_per_stratum ' + minPerStratum + ' needs more stations than the sample size ' + n);
        let active = strata.map((_, i) => i).filter((i) => strata[i].population > alloc[i]);
        while (rest > 0 && active.length > 0) {
            let M = active.reduce((s, i) => s + strata[i].measure, 0n);
            const equal = M === 0n;
            const measure = (i) => (equal ? 1n : strata[i].measure);
            if (equal)
                M = BigInt(active.length);
            const r = BigInt(rest);
            const capped = active.filter((i) => r * measure(i) > BigInt(strata[i].population - alloc[i]) * M);
            if (capped.length > 0) {
                for (const i of capped) {
                    rest -= strata[i].population - alloc[i];
                    alloc[i] = strata[i].population;
                }
                active = active.filter((i) => !capped.includes(i));
                continue;
            }
            const remainders = [];
            let given = 0;
            for (const i of active) {
                const q = r * measure(i);
                const whole = Number(q / M);
                alloc[i] += whole;
                given += whole;
                remainders.push({rem: q % M, i});
            }
            remainders.sort((x, y) => (x.rem !== y.rem ? (x.rem > y.rem ? -1 : 1)
                                                       : byteCompare(strata[x.i].key, strata[y.i].key)));
            let left = rest - given;
            for (let j = 0; left > 0 && j < remainders.length; ++j, --left)
                ++alloc[remainders[j].i];
            rest = 0;
        }
        return alloc;
    }

    // ----- RFC 3797 (section 9) ----------------------------------------------------------------
    /** The 0-based pool position of pick i given the still unpicked positions. */
    function rfc3797Remainder(keyBytes, i, divisor) {
        const input = new Uint8Array(keyBytes.length + 4);
        input[0] = i >> 8;
        input[1] = i & 0xff;
        input.set(keyBytes, 2);
        input[keyBytes.length + 2] = i >> 8;
        input[keyBytes.length + 3] = i & 0xff;
        return Number(bigFromBytes(md5(input)) % BigInt(divisor));
    }

    // ----- the schedule (section 8) ------------------------------------------------------------
    const COS = [1000000, 999848, 999391, 998630, 997564, 996195, 994522, 992546, 990268, 987688, 984808, 981627,
                 978148, 974370, 970296, 965926, 961262, 956305, 951057, 945519, 939693, 933580, 927184, 920505,
                 913545, 906308, 898794, 891007, 882948, 874620, 866025, 857167, 848048, 838671, 829038, 819152,
                 809017, 798636, 788011, 777146, 766044, 754710, 743145, 731354, 719340, 707107, 694658, 681998,
                 669131, 656059, 642788, 629320, 615661, 601815, 587785, 573576, 559193, 544639, 529919, 515038,
                 500000, 484810, 469472, 453990, 438371, 422618, 406737, 390731, 374607, 358368, 342020, 325568,
                 309017, 292372, 275637, 258819, 241922, 224951, 207912, 190809, 173648, 156434, 139173, 121869,
                 104528, 87156,  69756,  52336,  34899,  17452,  0];

    function isqrt(v) {
        if (v < 2n)
            return v;
        let x = BigInt(Math.floor(Math.sqrt(Number(v))));
        while (x * x > v)
            x = (x + v / x) / 2n;
        while ((x + 1n) * (x + 1n) <= v)
            ++x;
        while (x * x > v)
            --x;
        return x;
    }

    function abs(v) {
        return v < 0n ? -v : v;
    }

    /** Straight-line metres between two {lon, lat} microdegree points (section 8.3), as a Number. */
    function straightMetres(a, b) {
        const phi = Number(abs(a.lat + b.lat) / 2000000n);
        const c = BigInt(COS[Math.min(Math.max(phi, 0), 90)]);
        const dx = abs(a.lon - b.lon) * c;
        const dy = abs(a.lat - b.lat) * 1000000n;
        return Number((isqrt(dx * dx + dy * dy) * 111195n) / 1000000000000n);
    }

    /** A base in decimal degrees (at most 6 decimals) as microdegrees; 0 when unreadable. */
    function microDegrees(text) {
        const m = /^([+-]?)([0-9]+)(?:\.([0-9]{1,6}))?$/.exec(text || '');
        if (!m)
            return 0n;
        const value = BigInt(m[2]) * 1000000n + BigInt((m[3] || '').padEnd(6, '0') || '0');
        if (BigInt(m[2]) > 180n || value > 180000000n)
            return 0n;
        return m[1] === '-' ? -value : value;
    }

    function workingDays(window) {
        const holidays = new Set(window.holidays || []);
        const day = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
        const days = [];
        for (let t = day(window.start); t <= day(window.end); t += 86400000) {
            const date = new Date(t);
            const wd = date.getUTCDay();
            if (!window.weekends && (wd === 0 || wd === 6))
                continue;
            const text = date.toISOString().slice(0, 10);
            if (!holidays.has(text))
                days.push(text);
        }
        return days;
    }

    async function formTeams(design, tickets, selected) {
        const order = await Promise.all(design.inspectors.map(async (ins) => ({ins, t: await tickets.ticket('team/' + ins.id)})));
        order.sort((a, b) => ticketCompare(a.t, a.ins.id, b.t, b.ins.id));
        const size = design.team_size;
        const count = Math.floor(order.length / size);
        const seats = Array.from({length: count}, () => []);
        const placed = order.map(() => false);
        for (const role of design.team_roles) {
            let next = 0;
            for (let i = 0; i < order.length && next < count; ++i)
                if (!placed[i] && order[i].ins.role === role) {
                    placed[i] = true;
                    seats[next++].push(order[i].ins);
                }
            if (next < count)
                fail('team_roles: cannot give each of the ' + count + ' teams a member with role \'' + role +
                     '\'; all ' + selected + ' selected stations are left over');
        }
        let i = 0;
        for (let seat = design.team_roles.length; seat < size; ++seat)
            for (let t = 0; t < count; ++t) {
                while (placed[i])
                    ++i;
                placed[i] = true;
                seats[t].push(order[i].ins);
            }
        const width = Math.max(2, String(count).length);
        return seats.map((members, t) => {
            members.sort((a, b) => byteCompare(a.id, b.id));
            const lon = design.depot ? design.depot.lon : members[0].base_lon;
            const lat = design.depot ? design.depot.lat : members[0].base_lat;
            return {
                name: 'T' + String(t + 1).padStart(width, '0'),
                members: members.map((m) => m.id),
                lon: microDegrees(lon),
                lat: microDegrees(lat),
            };
        });
    }

    function visitingOrder(base, stops, ids) {
        const k = stops.length;
        const order = [];
        const used = stops.map(() => false);
        let at = base;
        for (let step = 0; step < k; ++step) {
            let best = -1, bestD = 0;
            for (let i = 0; i < k; ++i) {
                if (used[i])
                    continue;
                const d = straightMetres(at, stops[i]);
                if (best < 0 || d < bestD || (d === bestD && byteCompare(ids[i], ids[best]) < 0)) {
                    best = i;
                    bestD = d;
                }
            }
            used[best] = true;
            order.push(best);
            at = stops[best];
        }
        const point = (pos) => (pos === 0 || pos === k + 1 ? base : stops[order[pos - 1]]);
        let improved = true;
        while (improved) {
            improved = false;
            for (let i = 0; i + 2 <= k && !improved; ++i)
                for (let j = i + 2; j <= k && !improved; ++j) {
                    const before = straightMetres(point(i), point(i + 1)) + straightMetres(point(j), point(j + 1));
                    const after = straightMetres(point(i), point(j)) + straightMetres(point(i + 1), point(j + 1));
                    if (after < before) {
                        const middle = order.slice(i, j).reverse();
                        order.splice(i, j - i, ...middle);
                        improved = true;
                    }
                }
        }
        return order;
    }

    function floorDiv(a, b) {
        const q = a / b;
        return a % b !== 0n && a < 0n ? q - 1n : q;
    }

    async function schedule(frame, design, tickets, plan) {
        const selections = plan.selections;
        const days = workingDays(design.window);
        if (days.length === 0)
            fail('window: the window has no working day');
        const teams = await formTeams(design, tickets, selections.length);
        plan.teams = teams.map((t) => ({base_lat_e6: Number(t.lat), base_lon_e6: Number(t.lon), members: t.members,
                                        team: t.name}));
        const at = [], city = [], county = [];
        for (const s of selections) {
            const st = frame.byId.get(s.station_id);
            const lon = st.values.get('lon_e6'), lat = st.values.get('lat_e6');
            if (lon === null || lat === null || lon === undefined || lat === undefined)
                fail('station ' + s.station_id + ' has no location: routes need the position of every selected station');
            at.push({lon: BigInt(lon), lat: BigInt(lat)});
            city.push(st.values.get('city') || '');
            county.push(st.county);
        }
        const inspector = new Map(design.inspectors.map((i) => [i.id, i]));
        const allowed = selections.map((s, i) => {
            const last = frame.lastTeams.get(s.station_id);
            return teams.map((t) => !t.members.some((m) => inspector.get(m).district === county[i]) &&
                                    !(last !== undefined && last === t.members.join(',')));
        });
        // 8.4: routes per city.
        const byCity = new Map();
        selections.forEach((s, i) => {
            if (!byCity.has(city[i]))
                byCity.set(city[i], []);
            byCity.get(city[i]).push(i);
        });
        const id = (i) => selections[i].station_id;
        const groups = [];
        for (const code of sortedBytes(byCity.keys())) {
            const members = byCity.get(code);
            let sumLon = 0n, sumLat = 0n;
            for (const i of members) {
                sumLon += at[i].lon;
                sumLat += at[i].lat;
            }
            const n = BigInt(members.length);
            const centre = {lon: floorDiv(sumLon, n), lat: floorDiv(sumLat, n)};
            let left = [...members];
            while (left.length > 0) {
                let seedPos = 0, far = -1;
                left.forEach((i, p) => {
                    const d = straightMetres(centre, at[i]);
                    if (d > far || (d === far && byteCompare(id(i), id(left[seedPos])) < 0)) {
                        far = d;
                        seedPos = p;
                    }
                });
                const seed = left[seedPos];
                left.splice(seedPos, 1);
                const near = left.map((i) => ({d: straightMetres(at[seed], at[i]), i}));
                near.sort((a, b) => (a.d !== b.d ? a.d - b.d : byteCompare(id(a.i), id(b.i))));
                const g = {stations: [seed], seedId: id(seed), eligible: [], team: -1, date: ''};
                let allowedTeams = allowed[seed];
                const anyAllowed = allowedTeams.some((x) => x);
                const taken = new Set();
                for (let k = 0; k < near.length && g.stations.length < design.stations_per_day; ++k) {
                    const both = allowedTeams.map((x, t) => x && allowed[near[k].i][t]);
                    if (!both.some((x) => x) || !anyAllowed)
                        continue;
                    allowedTeams = both;
                    g.stations.push(near[k].i);
                    taken.add(near[k].i);
                }
                allowedTeams.forEach((x, t) => x && g.eligible.push(t));
                left = left.filter((i) => !taken.has(i));
                groups.push(g);
            }
        }
        for (const g of groups)
            g.ticket = await tickets.ticket(g.seedId + '/route');
        // 8.5: team-days, most constrained routes first.
        const free = teams.map((t) => days.filter((day) => !t.members.some((m) => (inspector.get(m).unavailable || []).includes(day))));
        const order = [...groups].sort((a, b) => (a.eligible.length !== b.eligible.length
                                                      ? a.eligible.length - b.eligible.length
                                                      : ticketCompare(a.ticket, a.seedId, b.ticket, b.seedId)));
        const load = teams.map(() => 0);
        let leftConflict = 0, leftCap = 0, leftDays = 0;
        for (const g of order) {
            const size = g.stations.length;
            const candidates = [];
            let capped = false;
            for (const t of g.eligible) {
                if (free[t].length === 0)
                    continue;
                if (design.workload_cap !== undefined && load[t] + size > design.workload_cap) {
                    capped = true;
                    continue;
                }
                candidates.push(t);
            }
            if (candidates.length === 0) {
                if (g.eligible.length === 0)
                    leftConflict += size;
                else if (capped)
                    leftCap += size;
                else
                    leftDays += size;
                continue;
            }
            let best = -1, bestTicket = '';
            for (const t of candidates) {
                const tk = await tickets.ticket(g.seedId + '/route/team/' + teams[t].name);
                if (best < 0 || ticketCompare(tk, teams[t].name, bestTicket, teams[best].name) < 0) {
                    best = t;
                    bestTicket = tk;
                }
            }
            let day = -1, dayTicket = '';
            for (let d = 0; d < free[best].length; ++d) {
                const tk = await tickets.ticket(g.seedId + '/route/date/' + free[best][d]);
                if (day < 0 || ticketCompare(tk, free[best][d], dayTicket, free[best][day]) < 0) {
                    day = d;
                    dayTicket = tk;
                }
            }
            g.team = best;
            g.date = free[best][day];
            free[best].splice(day, 1);
            load[best] += size;
        }
        const leftOver = leftConflict + leftCap + leftDays;
        if (leftOver > 0) {
            const most = Math.max(leftDays, leftCap, leftConflict);
            const why = most === leftDays ? 'too few team-days (window)'
                      : most === leftCap  ? 'workload_cap'
                                          : 'the conflict rules';
            fail('cannot schedule ' + leftOver + ' of ' + selections.length + ' selected stations: ' + why);
        }
        // 8.6, 8.7: visiting order, routes by date then team name.
        groups.sort((a, b) => (a.date !== b.date ? byteCompare(a.date, b.date)
                                                 : byteCompare(teams[a.team].name, teams[b.team].name)));
        const ordered = [];
        plan.routes = [];
        for (const g of groups) {
            const team = teams[g.team];
            const stops = g.stations.map((i) => at[i]);
            const ids = g.stations.map(id);
            const base = {lon: team.lon, lat: team.lat};
            const visit = visitingOrder(base, stops, ids);
            let straight = 0, from = base;
            for (const k of visit) {
                straight += straightMetres(from, stops[k]);
                from = stops[k];
            }
            straight += straightMetres(from, base);
            const route = {date: g.date, distance_m: Math.floor(straight * 13 / 10), stations: [],
                           straight_m: straight, team: team.name};
            for (const k of visit) {
                const s = selections[g.stations[k]];
                s.team = [...team.members];
                s.date = g.date;
                route.stations.push(s.station_id);
                ordered.push(s);
            }
            plan.routes.push(route);
        }
        plan.selections = ordered;
    }

    // ----- the draw (sections 5 to 7) ----------------------------------------------------------
    /**
     * Recomputes the plan object from a parsed frame, a design object and the seed text.
     * @p ledgerCheckpoint is copied into the plan (it is not drawn). Throws InputError.
     */
    async function drawPlan(frame, designObject, seed, ledgerCheckpoint, frameDigest) {
        if (seed === '')
            fail('the seed is empty');
        const design = readDesign(designObject);
        const tickets = await Tickets.of(seed);
        const plan = {
            algorithm_version: ALGORITHM,
            design: canonicalDesign(designObject),
            format_version: FORMAT_VERSION,
            method: design.method,
            registry_digest: frameDigest,
            round: design.round,
            routes: [],
            seed,
            seed_commitment: await seedCommitment(seed),
            selections: [],
            strata: [],
            teams: [],
        };
        if (ledgerCheckpoint !== undefined)
            plan.ledger_checkpoint = ledgerCheckpoint;
        const excluded = new Set();
        for (const id of design.exclude) {
            if (!frame.byId.has(id))
                fail("design exclude: station '" + id + "' is not in the registry");
            excluded.add(id);
        }
        const certain = new Set();
        for (const id of design.certainty) {
            const s = frame.byId.get(id);
            if (!s)
                fail("design certainty: station '" + id + "' is not in the registry");
            if (s.status !== 'open')
                fail("design certainty: station '" + id + "' is " + s.status + ', not open');
            certain.add(id);
        }
        for (const id of frame.failed) {
            const s = frame.byId.get(id);
            if (s && s.status === 'open' && !excluded.has(id))
                certain.add(id);
        }
        const stratumOf = (s) => {
            if (design.strata.length === 0)
                return 'all';
            return design.strata.map((f) => {
                const v = s.values.get(f);
                if (v === null || v === undefined)
                    fail('station ' + s.id + ' has no value for the stratum field ' + f);
                return v;
            }).join('|');
        };
        const frameMembers = [], certaintyPicks = [];
        for (const s of frame.stations) {
            const isCertain = certain.has(s.id);
            if (!isCertain && (s.status !== 'open' || excluded.has(s.id)))
                continue;
            const c = {station: s, stratum: stratumOf(s), weight: 1n, ticket: ''};
            if (design.weight_field && !isCertain)
                c.weight = integerValue(s, design.weight_field, 1, 1000000000000, 'risk weight');
            (isCertain ? certaintyPicks : frameMembers).push(c);
        }
        if (design.method === 'tickets') {
            const all = frameMembers.concat(certaintyPicks);
            const ts = await tickets.tickets(all.map((c) => c.station.id));
            all.forEach((c, i) => (c.ticket = ts[i]));
        } else {
            const ts = await tickets.tickets(certaintyPicks.map((c) => c.station.id));
            certaintyPicks.forEach((c, i) => (c.ticket = ts[i]));
        }
        const soldGrades = (s) => sortedBytes(new Set(s.nozzles.filter((n) => n.status === 'in_service').map((n) => n.grade)));
        const gradesAt = (s) => {
            const sold = soldGrades(s);
            if (design.grades.length === 0)
                return sold;
            return sortedBytes(new Set(design.grades)).filter((g) => sold.includes(g));
        };
        let n;
        if (design.sample_size !== undefined) {
            n = design.sample_size;
        } else {
            const batches = Math.floor(design.budget / design.cost_per_batch);
            const certainBatches = certaintyPicks.reduce((sum, c) => sum + gradesAt(c.station).length, 0);
            if (certainBatches > batches)
                fail('budget: the budget pays for ' + batches + ' batches but the certainty set needs ' + certainBatches);
            n = Math.floor((batches - certainBatches) / design.grades.length);
        }
        if (n > frameMembers.length)
            fail('asks for ' + n + ' stations drawn at random but the frame holds only ' + frameMembers.length);
        const strata = new Map();
        for (const c of frameMembers) {
            if (!strata.has(c.stratum))
                strata.set(c.stratum, []);
            strata.get(c.stratum).push(c);
        }
        const keys = sortedBytes(strata.keys());
        const measures = keys.map((key) => {
            const members = strata.get(key);
            let measure = 1n;
            if (design.allocation === 'proportional')
                measure = BigInt(members.length);
            else if (design.allocation === 'volume')
                measure = members.reduce((sum, c) => sum + integerValue(c.station, design.volume_field, 0, 1000000000000, 'volume'), 0n);
            return {key, population: members.length, measure};
        });
        const alloc = allocate(n, measures, design.min_per_stratum);
        const certaintyCount = new Map();
        for (const c of certaintyPicks)
            certaintyCount.set(c.stratum, (certaintyCount.get(c.stratum) || 0) + 1);
        for (const key of sortedBytes(new Set([...keys, ...certaintyCount.keys()]))) {
            const h = keys.indexOf(key);
            plan.strata.push({allocated: h >= 0 ? alloc[h] : 0, certainty: certaintyCount.get(key) || 0,
                              population: h >= 0 ? strata.get(key).length : 0, stratum: key});
        }
        const chosen = certaintyPicks.map((c) => ({c, reason: 'certainty', probability: '1'}));
        if (design.method === 'rfc3797') {
            const want = new Map(keys.map((key, h) => [key, alloc[h]]));
            const pool = [...frameMembers].sort((a, b) => byteCompare(a.station.id, b.station.id));
            const keyBytes = encoder.encode(seed);
            const remaining = pool.map((_, i) => i);
            let missing = n;
            const picks = Math.min(pool.length, 65536);
            for (let i = 0; i < picks && missing > 0; ++i) {
                const pos = rfc3797Remainder(keyBytes, i, remaining.length);
                const c = pool[remaining[pos]];
                remaining.splice(pos, 1);
                if (want.get(c.stratum) === 0)
                    continue;
                want.set(c.stratum, want.get(c.stratum) - 1);
                --missing;
                c.ticket = '#' + (i + 1);
                chosen.push({c, reason: 'random', probability: rational(alloc[keys.indexOf(c.stratum)], strata.get(c.stratum).length)});
            }
            if (missing > 0)
                fail('the RFC 3797 counter is 16 bits: this design needs more than 65536 picks');
        } else {
            keys.forEach((key, h) => {
                let k = alloc[h];
                let members = strata.get(key);
                if (k === 0)
                    return;
                const byTicket = (a, b) => ticketCompare(a.ticket, a.station.id, b.ticket, b.station.id);
                if (!design.weight_field) {
                    const p = rational(k, members.length);
                    for (const c of [...members].sort(byTicket).slice(0, k))
                        chosen.push({c, reason: 'random', probability: p});
                    return;
                }
                let W = members.reduce((sum, c) => sum + c.weight, 0n);
                let changed = true;
                while (changed && k > 0) {
                    changed = false;
                    const rest = [];
                    for (const c of members) {
                        if (k > 0 && BigInt(k) * c.weight >= W) {
                            changed = true;
                            W -= c.weight;
                            --k;
                            chosen.push({c, reason: 'random', probability: '1'});
                        } else {
                            rest.push(c);
                        }
                    }
                    members = rest;
                }
                if (k === 0)
                    return;
                const K = BigInt(k);
                const keyed = members.map((c) => {
                    const T = ticketNumerator(c.ticket);
                    return {c, A: T * (W - K * c.weight), B: (D - T) * c.weight};
                });
                keyed.sort((x, y) => {
                    const l = x.A * y.B, r = y.A * x.B;
                    return l !== r ? (l < r ? -1 : 1) : byTicket(x.c, y.c);
                });
                for (const {c} of keyed.slice(0, k))
                    chosen.push({c, reason: 'random', probability: rational(K * c.weight, W)});
            });
        }
        // Section 7: per grade the in-service nozzle with the lowest ticket; the others are alternates.
        for (const {c, reason, probability} of chosen) {
            const s = c.station;
            const samples = [];
            for (const grade of gradesAt(s)) {
                const nozzles = s.nozzles.filter((nz) => nz.status === 'in_service' && nz.grade === grade);
                const ranked = await Promise.all(nozzles.map(async (nz) => ({nz, t: await tickets.ticket(s.id + '/' + nz.nozzle_no)})));
                ranked.sort((a, b) => ticketCompare(a.t, a.nz.nozzle_no, b.t, b.nz.nozzle_no));
                const first = ranked[0].nz;
                samples.push({
                    alternates: ranked.slice(1).map((r) => r.nz.nozzle_no),
                    claimed_tanks: first.supply.map((leg) => ({fraction: leg.fraction, tank_no: leg.tank_no})),
                    grade,
                    nozzle_no: first.nozzle_no,
                    nozzle_sample_id: design.round + '/' + s.id + '/' + first.nozzle_no,
                    nozzle_ticket: ranked[0].t,
                    tank_sample_ids: first.supply.map((leg) => design.round + '/' + s.id + '/' + leg.tank_no),
                });
            }
            plan.selections.push({date: '', inclusion_probability: probability, reason, samples, station_id: s.id,
                                  stratum: c.stratum, team: [], ticket: c.ticket});
        }
        plan.selections.sort((a, b) => byteCompare(a.station_id, b.station_id));
        if (design.inspectors.length > 0)
            await schedule(frame, design, tickets, plan);
        plan.digest = await planDigest(plan);
        return plan;
    }

    /** The plan digest: SHA-256 of the canonical JSON of the plan without "digest". */
    async function planDigest(plan) {
        const copy = {...plan};
        delete copy.digest;
        return sha256Hex(canonicalJson(copy));
    }

    // ----- comparison (section 12) -------------------------------------------------------------
    function samplesText(s) {
        return canonicalJson(s.samples || []);
    }

    function compareSelection(p, r, diffs) {
        const field = (name, a, b) => {
            if (a !== b)
                diffs.push({kind: 'selection_edited', item: p.station_id,
                            message: 'selection ' + p.station_id + ': ' + name + " is '" + a + "' in the plan but '" +
                                     b + "' when recomputed"});
        };
        field('stratum', p.stratum, r.stratum);
        field('reason', p.reason, r.reason);
        field('inclusion_probability', p.inclusion_probability, r.inclusion_probability);
        field('ticket', p.ticket, r.ticket);
        field('team', (p.team || []).join(','), r.team.join(','));
        field('date', p.date, r.date);
        if (samplesText(p) !== samplesText(r)) {
            let detail = 'selection ' + p.station_id + ': samples differ:';
            const a = new Map((p.samples || []).map((x) => [x.grade, x]));
            const b = new Map(r.samples.map((x) => [x.grade, x]));
            for (const g of sortedBytes(a.keys())) {
                if (!b.has(g))
                    detail += ' grade ' + g + ' is not to be sampled;';
                else if (a.get(g).nozzle_no !== b.get(g).nozzle_no)
                    detail += ' grade ' + g + ' nozzle is ' + a.get(g).nozzle_no + ' in the plan but ' +
                              b.get(g).nozzle_no + ' when recomputed;';
            }
            for (const g of sortedBytes(b.keys()))
                if (!a.has(g))
                    detail += ' grade ' + g + ' (nozzle ' + b.get(g).nozzle_no + ') is missing from the plan;';
            if (detail.endsWith(':'))
                detail += ' nozzle tickets, sample ids, claimed tanks or alternates were edited';
            diffs.push({kind: 'selection_edited', item: p.station_id, message: detail});
        }
    }

    function teamText(t) {
        return t.team + '(' + (t.members || []).join(',') + ')@' + t.base_lon_e6 + ',' + t.base_lat_e6;
    }

    function routeText(r) {
        return 'stations ' + (r.stations || []).join(',') + ', straight_m ' + r.straight_m + ', distance_m ' +
               r.distance_m;
    }

    function compareSchedule(plan, redo, diffs) {
        const tp = new Map((plan.teams || []).map((t) => [t.team, t]));
        const tr = new Map(redo.teams.map((t) => [t.team, t]));
        for (const name of sortedBytes(tp.keys())) {
            if (!tr.has(name))
                diffs.push({kind: 'team', item: name, message: 'team ' + name + ' is in the plan but not formed when recomputed'});
            else if (teamText(tp.get(name)) !== teamText(tr.get(name)))
                diffs.push({kind: 'team', item: name, message: 'team ' + name + ' is ' + teamText(tp.get(name)) +
                            ' in the plan but ' + teamText(tr.get(name)) + ' when recomputed'});
        }
        for (const name of sortedBytes(tr.keys()))
            if (!tp.has(name))
                diffs.push({kind: 'team', item: name, message: 'team ' + name + ' is formed when recomputed but missing from the plan'});
        const key = (r) => r.date + '\u0000' + r.team;
        const rp = new Map(), rr = new Map();
        for (const r of plan.routes || []) {
            if (rp.has(key(r)))
                diffs.push({kind: 'route', item: r.team, message: 'route of team ' + r.team + ' on ' + r.date + ' appears twice in the plan'});
            else
                rp.set(key(r), r);
        }
        for (const r of redo.routes)
            rr.set(key(r), r);
        for (const k of sortedBytes(rp.keys())) {
            const r = rp.get(k);
            const name = 'route of team ' + r.team + ' on ' + r.date;
            if (!rr.has(k))
                diffs.push({kind: 'route', item: r.team, message: name + ' is in the plan but not scheduled when recomputed'});
            else if (routeText(r) !== routeText(rr.get(k)))
                diffs.push({kind: 'route', item: r.team, message: name + ': ' + routeText(r) + ' in the plan but ' +
                            routeText(rr.get(k)) + ' when recomputed'});
        }
        for (const k of sortedBytes(rr.keys()))
            if (!rp.has(k)) {
                const r = rr.get(k);
                diffs.push({kind: 'route', item: r.team, message: 'route of team ' + r.team + ' on ' + r.date +
                            ' is scheduled when recomputed but missing from the plan'});
            }
    }

    /**
     * Verifies a published plan. Inputs (texts as published): planText, frameText; optional
     * designText (the design published before the round), commitment (published before the
     * round), seed (the revealed seed; default: the plan's). Returns {identical, differences:
     * [{kind, item, message}], error} where error is set when the plan could not be recomputed.
     */
    async function verifyPlan(inputs) {
        const diffs = [];
        const push = (kind, message) => diffs.push({kind, item: '', message});
        let plan;
        try {
            plan = JSON.parse(inputs.planText);
        } catch (e) {
            return {identical: false, differences: [], error: 'the plan is not valid JSON: ' + e.message};
        }
        if (plan === null || typeof plan !== 'object' || Array.isArray(plan))
            return {identical: false, differences: [], error: 'the plan is not a JSON object'};
        try {
            if (canonicalJson(plan) !== inputs.planText)
                push('format', 'the file is not byte-identical to the canonical form of its content (reformatted or edited by hand)');
        } catch (e) {
            push('format', 'the file is not canonical JSON: ' + e.message);
        }
        const digest = await planDigest(plan);
        if (plan.digest !== digest)
            push('digest', 'digest wrong: the plan says ' + plan.digest + ' but its content hashes to ' + digest);
        const seed = inputs.seed !== undefined ? inputs.seed : plan.seed;
        if (typeof plan.seed !== 'string' || typeof seed !== 'string')
            return {identical: false, differences: diffs, error: 'the plan has no seed'};
        if (seed !== plan.seed)
            push('seed', 'seed altered: the revealed seed is \'' + seed + "' but the plan's is '" + plan.seed + "'");
        if ((await seedCommitment(plan.seed)) !== plan.seed_commitment)
            push('seed', "seed altered: the seed does not match the plan's seed_commitment " + plan.seed_commitment);
        if (inputs.commitment !== undefined) {
            if (inputs.commitment !== plan.seed_commitment)
                push('seed', 'seed altered: the published commitment is ' + inputs.commitment + " but the plan's is " +
                             plan.seed_commitment);
            if (seed !== plan.seed && (await seedCommitment(seed)) !== inputs.commitment)
                push('seed', 'seed altered: the revealed seed does not match the published commitment');
            if ((await seedCommitment(plan.seed)) !== inputs.commitment)
                push('seed', "seed altered: the plan's seed does not match the published commitment");
        }
        if (plan.algorithm_version !== ALGORITHM) {
            push('algorithm', 'the plan was drawn with algorithm ' + plan.algorithm_version +
                              ' but this verifier implements ' + ALGORITHM + ': it cannot recompute the plan');
            return {identical: false, differences: diffs};
        }
        let designObject = plan.design;
        if (inputs.designText !== undefined) {
            let published;
            try {
                published = canonicalDesign(JSON.parse(inputs.designText));
            } catch (e) {
                return {identical: false, differences: diffs, error: 'the published design cannot be read: ' + e.message};
            }
            if (canonicalJson(published) !== canonicalJson(canonicalDesign(plan.design || {})))
                push('design', "design altered: the plan's design differs from the published design");
        }
        const frameDigest = await sha256Hex(inputs.frameText);
        if (frameDigest !== plan.registry_digest)
            push('registry', 'registry changed since the plan: the published frame hashes to ' + frameDigest +
                             ' but the plan says ' + plan.registry_digest);
        let redo;
        try {
            redo = await drawPlan(parseFrame(inputs.frameText), designObject, seed, plan.ledger_checkpoint, frameDigest);
        } catch (e) {
            if (!(e instanceof InputError))
                throw e;
            return {identical: false, differences: diffs, error: 'cannot recompute the plan: ' + e.message};
        }
        const top = (name) => {
            if (plan[name] !== redo[name])
                push('field', name + " is '" + plan[name] + "' in the plan but '" + redo[name] + "' when recomputed");
        };
        ['format_version', 'algorithm_version', 'round', 'method'].forEach(top);
        const strataText = (list) => (list || []).map((s) => s.stratum + ':' + s.population + '/' + s.certainty + '/' + s.allocated + ';').join('');
        if (strataText(plan.strata) !== strataText(redo.strata))
            push('field', 'the strata summary differs from the recomputed one');
        compareSchedule(plan, redo, diffs);
        const inPlan = new Map(), inRedo = new Map(redo.selections.map((s) => [s.station_id, s]));
        for (const s of plan.selections || []) {
            if (inPlan.has(s.station_id))
                diffs.push({kind: 'selection_added', item: s.station_id,
                            message: 'selection added: station ' + s.station_id + ' appears twice in the plan'});
            else
                inPlan.set(s.station_id, s);
        }
        for (const id of sortedBytes(inPlan.keys()))
            if (!inRedo.has(id))
                diffs.push({kind: 'selection_added', item: id,
                            message: 'selection added: station ' + id + ' is in the plan but not drawn when recomputed'});
        for (const id of sortedBytes(inRedo.keys()))
            if (!inPlan.has(id))
                diffs.push({kind: 'selection_removed', item: id,
                            message: 'selection removed: station ' + id + ' is drawn when recomputed but missing from the plan'});
        for (const id of sortedBytes(inPlan.keys()))
            if (inRedo.has(id))
                compareSelection(inPlan.get(id), inRedo.get(id), diffs);
        if (diffs.length === 0 && canonicalJson(redo) !== inputs.planText)
            push('field', 'the selections are in a different order than recomputed');
        return {identical: diffs.length === 0, differences: diffs, recomputed: redo};
    }

    const api = {
        ALGORITHM,
        InputError,
        byteCompare,
        canonicalDesign,
        canonicalJson,
        drawPlan,
        md5,
        parseFrame,
        planDigest,
        seedCommitment,
        sha256Hex,
        straightMetres,
        Tickets,
        verifyPlan,
    };
    if (typeof module !== 'undefined' && module.exports)
        module.exports = api;
    else
        root.FuelmapVerifier = api;
})(globalThis);
