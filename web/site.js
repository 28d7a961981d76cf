// SPDX-License-Identifier: MIT
// The published round's page script: the language switch, and the verification that runs on
// page load (web/verifier.js) and writes its result into #verify-result. The page's data (plan,
// frame, design, commitment, seed) are embedded as JSON strings in <script type="application/json">
// blocks, because fetch() of local files fails when the page is opened from file://.
'use strict';

(function () {
    function setLang(lang) {
        document.documentElement.lang = lang;
        document.querySelectorAll('[data-set-lang]').forEach(function (b) {
            b.setAttribute('aria-pressed', b.getAttribute('data-set-lang') === lang ? 'true' : 'false');
        });
    }
    document.querySelectorAll('[data-set-lang]').forEach(function (b) {
        b.addEventListener('click', function () { setLang(b.getAttribute('data-set-lang')); });
    });
    setLang(document.documentElement.lang);

    function embedded(id) {
        const el = document.getElementById(id);
        return el ? JSON.parse(el.textContent) : undefined;
    }

    function bilingual(parent, zh, en, tag) {
        const z = document.createElement(tag || 'span');
        z.setAttribute('data-lang', 'zh');
        z.textContent = zh;
        const e = document.createElement(tag || 'span');
        e.setAttribute('data-lang', 'en');
        e.textContent = en;
        parent.appendChild(z);
        parent.appendChild(e);
    }

    const KIND_ZH = {
        format: '格式', digest: '摘要', seed: '种子', design: '设计', registry: '抽样框', field: '字段',
        selection_added: '多出的站点', selection_removed: '缺少的站点', selection_edited: '被改动的站点',
        team: '小组', route: '路线', algorithm: '算法',
    };

    function show(status, headZh, headEn, differences) {
        const out = document.getElementById('verify-result');
        out.setAttribute('data-status', status);
        out.textContent = '';
        const head = document.createElement('p');
        head.className = 'verdict';
        bilingual(head, headZh, headEn);
        out.appendChild(head);
        if (differences && differences.length) {
            const list = document.createElement('ul');
            list.className = 'differences';
            for (const d of differences) {
                const li = document.createElement('li');
                li.setAttribute('data-kind', d.kind);
                const kind = document.createElement('strong');
                bilingual(kind, (KIND_ZH[d.kind] || d.kind) + '：', d.kind + ': ');
                li.appendChild(kind);
                li.appendChild(document.createTextNode(d.message));
                list.appendChild(li);
            }
            out.appendChild(list);
        }
    }

    async function verify() {
        const out = document.getElementById('verify-result');
        if (!out || out.getAttribute('data-status') !== 'running')
            return;
        const planText = embedded('data-plan');
        const frameText = embedded('data-frame');
        try {
            const result = await globalThis.FuelmapVerifier.verifyPlan({
                planText, frameText, designText: embedded('data-design'), commitment: embedded('data-commitment'),
                seed: embedded('data-seed'),
            });
            if (result.identical)
                show('identical', '一致（identical）：本页浏览器根据公开的抽样框、设计和种子重新计算，得到的计划与公布的计划逐字节相同。',
                     'identical: this browser recomputed the plan from the published frame, design and seed, and it is byte for byte the published plan.');
            else if (result.error)
                show('error', '无法验证：' + result.error, 'cannot verify: ' + result.error, result.differences);
            else
                show('different', '不一致：发现 ' + result.differences.length + ' 处差异（见下）。',
                     'different: ' + result.differences.length + ' difference(s) from the recomputed plan, listed below.',
                     result.differences);
        } catch (e) {
            show('error', '无法验证：' + e.message, 'cannot verify: ' + e.message);
        }
    }
    verify();
})();
