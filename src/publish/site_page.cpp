// SPDX-License-Identifier: MIT
// The published round's page (index.html): every text in Chinese and English side by side (the
// stylesheet shows one language, the buttons switch), the data the verifier reads embedded as JSON
// strings (fetch() of local files fails under file://), nothing loaded from the internet.
#include "publish/site_page.hpp"

#include <fuelmap/case_rules.hpp>

#include "util/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>

namespace fuelmap::detail {

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

namespace {

// One text in both languages (each already HTML).
std::string both(std::string_view zh, std::string_view en) {
    return "<span data-lang=\"zh\">" + std::string(zh) + "</span><span data-lang=\"en\">" + std::string(en) +
           "</span>";
}

std::string esc(std::string_view s) {
    return html_escape(s);
}

// A <script type="application/json"> block holding @p text as a JSON string; '<' is written \u003c
// so that no "</script>" can end the block early.
std::string data_block(const std::string& id, const std::string& text) {
    std::string json = nlohmann::json(text).dump();
    std::string safe;
    safe.reserve(json.size());
    for (char c : json)
        safe += c == '<' ? std::string("\\u003c") : std::string(1, c);
    return "<script type=\"application/json\" id=\"" + id + "\">" + safe + "</script>\n";
}

// An SVG made for a file, inlined in HTML: no XML declaration, no namespace URL (HTML does not
// need it, and the site names no http(s) address at all).
std::string inline_svg(std::string svg) {
    if (svg.rfind("<?xml", 0) == 0)
        svg.erase(0, svg.find('\n') + 1);
    const std::string ns = " xmlns=\"http://www.w3.org/2000/svg\"";
    for (std::size_t at; (at = svg.find(ns)) != std::string::npos;)
        svg.erase(at, ns.size());
    return svg;
}

std::string pct(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v * 100.0, std::chars_format::fixed, 1);
    return (ec == std::errc() ? std::string(buf, end) : "?") + " %";
}

std::string number(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : "?";
}

std::string km(std::int64_t metres) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(metres) / 1000.0);
    return buf;
}

std::string row(std::initializer_list<std::string> cells, bool header = false) {
    std::string out = "<tr>";
    for (const std::string& c : cells)
        out += (header ? "<th>" : "<td>") + c + (header ? "</th>" : "</td>");
    return out + "</tr>\n";
}

std::string head(const SiteContent& c) {
    return "<!DOCTYPE html>\n<html lang=\"" + c.lang +
           "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\">\n<title>" +
           esc(c.round) + " · 抽检公开 · sampling round in public</title>\n" +
           "<link rel=\"stylesheet\" href=\"assets/site.css\">\n</head>\n<body>\n<header class=\"site\">\n"
           "<div class=\"langs\"><button type=\"button\" data-set-lang=\"zh\">中文</button><button "
           "type=\"button\" data-set-lang=\"en\">English</button></div>\n<h1>" +
           both("成品油质量抽检 · 第 " + esc(c.round) + " 轮 · 公开信息",
                "Motor fuel sampling · round " + esc(c.round) + " · in public") +
           "</h1>\n<p>" +
           both("三公开：抽检规则、抽检计划与结果向社会公开，任何人都可以在本页自行核验抽样是否公正。",
                "Published under “three things public” (三公开): the rules, the plan and the results of the "
                "round, with a check anyone can run in this page.") +
           "</p>\n</header>\n<main>\n";
}

// What a design key means, in both languages.
std::string design_key_meaning(const std::string& key) {
    static const std::map<std::string, std::pair<const char*, const char*>> meaning = {
        {"round", {"轮次", "round"}},
        {"description", {"说明", "description"}},
        {"method",
         {"抽取方法（tickets：SHA-256 签号；rfc3797：公开抽签）",
          "method (tickets: SHA-256 tickets; rfc3797: public lottery)"}},
        {"sample_size",
         {"随机抽取的站点数（必抽站点另计）", "stations drawn at random (certainty picks come on top)"}},
        {"budget", {"预算", "budget"}},
        {"cost_per_batch", {"每批次费用", "cost per batch"}},
        {"strata", {"分层字段", "strata (station fields)"}},
        {"allocation", {"分配方式", "allocation over the strata"}},
        {"volume_field", {"销量字段", "volume field"}},
        {"min_per_stratum", {"每层至少抽取", "at least per stratum"}},
        {"weight_field",
         {"风险权重字段（按权重成比例抽取）", "risk weight field (chance proportional to weight)"}},
        {"certainty", {"必抽站点", "certainty stations (always inspected)"}},
        {"certainty_from_round", {"该轮不合格站点必抽", "failed stations of this round are certain"}},
        {"exclude", {"排除的站点", "excluded stations"}},
        {"grades", {"抽检油品", "grades sampled"}},
        {"inspectors", {"检查人员", "inspectors"}},
        {"team_size", {"每组人数", "inspectors per team"}},
        {"team_roles", {"每组必备岗位", "roles every team includes"}},
        {"stations_per_day", {"每组每天最多站点数", "most stations per team-day"}},
        {"workload_cap", {"每人本轮最多站点数", "most stations per inspector"}},
        {"window", {"检查期间（起止、节假日）", "inspection window (start, end, holidays)"}},
        {"depot", {"出发地点（经纬度）", "base of every team (lon, lat)"}},
    };
    auto it = meaning.find(key);
    return it == meaning.end() ? esc(key) : both(it->second.first, it->second.second);
}

std::string design_rows(const SiteContent& c, bool redact) {
    const nlohmann::json d = nlohmann::json::parse(c.design_json);
    std::string out =
        "<table>\n" + row({both("含义", "meaning"), both("项目", "key"), both("取值", "value")}, true);
    for (const auto& [key, value] : d.items()) {
        std::string shown;
        if (redact && (key == "certainty" || key == "exclude") && value.is_array())
            shown = both(std::to_string(value.size()) + " 个站点（揭晓后公布名单）",
                         std::to_string(value.size()) + " stations (listed after the reveal)");
        else if (redact && key == "inspectors" && value.is_array())
            shown = both(std::to_string(value.size()) + " 名检查人员（揭晓后公布）",
                         std::to_string(value.size()) + " inspectors (listed after the reveal)");
        else if (key == "inspectors" && value.is_array()) {
            std::string names;
            for (const auto& i : value)
                names +=
                    (names.empty() ? "" : ", ") + esc(i.value("id", "")) + " " + esc(i.value("name", ""));
            shown = names;
        } else
            shown = "<code>" + esc(value.is_string() ? value.get<std::string>() : value.dump()) + "</code>";
        out += row({design_key_meaning(key), "<code>" + esc(key) + "</code>", shown});
    }
    return out + "</table>\n";
}

std::string seed_section(const SiteContent& c) {
    std::string s = "<section id=\"seed\">\n<h2>" +
                    both("随机种子：承诺与揭晓", "The seed: commitment and reveal") + "</h2>\n";
    s += "<p class=\"lead\">" +
         both("抽样的随机性只来自种子。轮次开始前公布种子的承诺值（SHA-256），种子揭晓后任何人都可核对：",
              "The draw's randomness comes only from the seed. Its commitment (a SHA-256) was published "
              "before the round; once the seed is revealed anyone can check it:") +
         "</p>\n<p>" + both("承诺值：", "commitment:") + " <code class=\"hash\" id=\"commitment\">" +
         esc(c.commitment) + "</code></p>\n";
    if (!c.revealed) {
        s += "<p id=\"seed-status\">" +
             both("种子尚未揭晓。揭晓前不公布抽中的站点、日期和路线。",
                  "The seed is not revealed yet. Until it is, no station, date or route of the round is "
                  "published.") +
             "</p>\n</section>\n";
        return s;
    }
    s += "<p>" + both("揭晓的种子：", "revealed seed:") + " <code class=\"hash\" id=\"seed-text\">" +
         esc(c.seed) + "</code></p>\n";
    if (c.plan.method == "rfc3797") {
        // The RFC 3797 key string lists each announced source's numbers: "9319./2.5.8.10.12./".
        std::string sources;
        std::size_t start = 0;
        for (std::size_t slash; (slash = c.seed.find('/', start)) != std::string::npos; start = slash + 1) {
            std::string src = c.seed.substr(start, slash - start);
            std::string numbers;
            for (char ch : src)
                numbers += ch == '.' ? ' ' : ch;
            sources += "<li><code>" + esc(numbers) + "</code></li>";
        }
        s += "<p>" +
             both("本轮使用 RFC 3797 "
                  "公开抽签：种子是事先公布的各次公开开奖号码按顺序组成的密钥串。各来源号码（升序）：",
                  "This round uses an RFC 3797 public lottery: the seed is the key string of the announced "
                  "public draws, in their announced order. The sources' numbers (ascending):") +
             "</p>\n<ol>" + sources + "</ol>\n";
    }
    s +=
        "<p class=\"note\">" +
        both("自行核对：<code>printf 'fuelmap-seed-commitment-v1:%s' \"$SEED\" | sha256sum</code>",
             "Check it yourself: <code>printf 'fuelmap-seed-commitment-v1:%s' \"$SEED\" | sha256sum</code>") +
        "</p>\n</section>\n";
    return s;
}

std::string registry_section(const SiteContent& c) {
    std::string s =
        "<section id=\"frame\">\n<h2>" + both("抽样框（登记库摘要）", "The frame (registry digest)") +
        "</h2>\n<p>" + both("登记库摘要：", "registry digest:") +
        " <code class=\"hash\" id=\"registry-digest\">" + esc(c.registry_digest) + "</code></p>\n";
    if (!c.revealed)
        return s + "<p class=\"lead\">" +
               both("摘要固定了抽样读取的全部登记内容（站点、状态、油品、加油枪与油罐关系）。抽样框全文在揭晓"
                    "后公布，届时可核对其 SHA-256 等于上面的摘要。",
                    "The digest fixes everything the draw reads from the registry (stations, status, grades, "
                    "nozzles and their tanks). The frame text itself is published after the reveal; its "
                    "SHA-256 "
                    "must then equal this digest.") +
               "</p>\n</section>\n";
    std::size_t stations = 0;
    for (std::size_t at = 0; (at = c.frame_text.find("\nS\t", at)) != std::string::npos; ++at)
        ++stations;
    return s + "<p class=\"lead\">" +
           both("抽样框文本列出了抽样读取的全部内容（" + std::to_string(stations) +
                    " 个站点），其 SHA-256 就是上面的摘要。下载：<a href=\"frame.txt\">frame.txt</a>。",
                "The frame text lists everything the draw read (" + std::to_string(stations) +
                    " stations); its SHA-256 is the digest above. Download: <a "
                    "href=\"frame.txt\">frame.txt</a>.") +
           "</p>\n<details><summary>" + both("查看抽样框开头", "show the start of the frame") +
           "</summary><pre>" + esc(c.frame_text.substr(0, std::min<std::size_t>(c.frame_text.size(), 4000))) +
           (c.frame_text.size() > 4000 ? "…" : "") + "</pre></details>\n</section>\n";
}

std::string samples_cell(const Selection& sel) {
    std::string out;
    for (const PlannedSample& p : sel.samples)
        out += (out.empty() ? "" : "<br>") + esc(p.grade) + " · " + both("枪 ", "nozzle ") + esc(p.nozzle_no);
    return out;
}

std::string plan_section(const SiteContent& c) {
    const Plan& p = c.plan;
    std::string s =
        "<section id=\"plan\">\n<h2>" + both("抽检计划", "The plan") + "</h2>\n<p class=\"lead\">" +
        both("共抽中 " + std::to_string(p.selections.size()) + " 个站点。下表按日期、小组、到访顺序列出。",
             std::to_string(p.selections.size()) +
                 " stations were drawn; listed by date, team and visiting order.") +
        "</p>\n";
    const std::string map = site_map_svg(c);
    if (!map.empty())
        s += "<figure>" + inline_svg(map) + "<figcaption>" +
             both("地图：圆点为抽中的站点，方块为小组驻地，彩色折线为每个小组每天的路线。",
                  "Map: circles are the drawn stations, squares the teams' bases, coloured lines each "
                  "team-day's route.") +
             "</figcaption></figure>\n";
    if (!p.teams.empty()) {
        s += "<h3>" + both("检查小组", "Teams") + "</h3>\n<table>\n" +
             row({both("小组", "team"), both("成员", "members")}, true);
        for (const Team& t : p.teams) {
            std::string members;
            for (const std::string& m : t.members) {
                auto it = c.inspector_names.find(m);
                members += (members.empty() ? "" : ", ") + esc(m) +
                           (it != c.inspector_names.end() ? " " + esc(it->second) : "");
            }
            s += row({esc(t.name), members});
        }
        s += "</table>\n<h3>" + both("路线", "Routes") + "</h3>\n<table>\n" +
             row({both("日期", "date"), both("小组", "team"),
                  both("站点（到访顺序）", "stations (visiting order)"),
                  both("估计路程", "estimated road distance")},
                 true);
        for (const Route& r : p.routes) {
            std::string ids;
            for (const std::string& id : r.stations)
                ids += (ids.empty() ? "" : " → ") + esc(id);
            s += row({esc(r.date), esc(r.team), ids, km(r.distance_m) + " km"});
        }
        s += "</table>\n";
    }
    s += "<h3>" + both("抽中的站点", "Stations drawn") + "</h3>\n<table id=\"plan-table\">\n" +
         row({both("日期", "date"), both("小组", "team"), both("站点", "station"), both("名称", "name"),
              both("区县", "county"), both("抽取方式", "reason"), both("入样概率", "inclusion probability"),
              both("油品 · 抽样油枪", "grade · nozzle to sample")},
             true);
    std::map<std::string, std::string> team_of;
    for (const Team& t : p.teams) {
        std::string key;
        for (const std::string& m : t.members)
            key += m + ",";
        team_of[key] = t.name;
    }
    for (const Selection& sel : p.selections) {
        std::string key;
        for (const std::string& m : sel.team)
            key += m + ",";
        const SiteStation* st = c.stations.count(sel.station_id) ? &c.stations.at(sel.station_id) : nullptr;
        s += "<tr data-station=\"" + esc(sel.station_id) + "\"><td>" +
             esc(sel.date.empty() ? "—" : sel.date) + "</td><td>" +
             esc(team_of.count(key) ? team_of[key] : "—") + "</td><td><code>" + esc(sel.station_id) +
             "</code></td><td title=\"" + (st ? esc(st->address) : "") + "\">" + (st ? esc(st->name) : "") +
             "</td><td>" + (st ? esc(st->county) : "") + "</td><td>" +
             (sel.reason == "certainty" ? both("必抽", "certainty") : both("随机", "random")) +
             "</td><td class=\"num\">" + esc(sel.inclusion_probability) + "</td><td>" + samples_cell(sel) +
             "</td></tr>\n";
    }
    s += "</table>\n<h3>" + both("分层与分配", "Strata and allocation") + "</h3>\n<table>\n" +
         row({both("层", "stratum"), both("总体", "population"), both("必抽", "certainty"),
              both("随机抽取", "drawn at random")},
             true);
    for (const StratumSummary& st : p.strata)
        s += row({"<code>" + esc(st.stratum) + "</code>", std::to_string(st.population),
                  std::to_string(st.certainty), std::to_string(st.allocated)});
    return s + "</table>\n</section>\n";
}

// An audit class as a badge a reader understands, with the class name beside it.
std::string verdict_badge(const std::string& cls) {
    static const std::map<std::string, std::pair<const char*, const char*>> label = {
        {"consistent", {"合格", "pass"}},
        {"non-conforming", {"不合格：质量指标不符合", "fail: off-specification"}},
        {"cross-connection", {"不合格：串油（油品与标识不符）", "fail: draws another grade than labelled"}},
        {"transposition", {"不合格：油枪接错油罐", "fail: nozzles swapped"}},
        {"hidden-tank", {"不合格：未申报油罐", "fail: undeclared tank"}},
        {"mislabelled-tank", {"不合格：油罐标识错误", "fail: mislabelled tank"}},
        {"different-fuel", {"存疑：枪罐样品不一致", "doubt: nozzle and tank differ"}},
        {"inconclusive", {"待复检", "inconclusive: to be re-tested"}},
        {"unverified", {"未核实", "not verified"}},
    };
    auto it = label.find(cls);
    const bool pass = cls == "consistent";
    const bool fail = !pass && cls != "inconclusive" && cls != "unverified" && cls != "different-fuel";
    return "<span class=\"badge " +
           std::string(pass   ? "pass"
                       : fail ? "fail"
                              : "doubt") +
           "\">" + (it == label.end() ? esc(cls) : both(it->second.first, it->second.second)) +
           "</span> <code>" + esc(cls) + "</code>";
}

std::string results_section(const SiteContent& c) {
    std::string s = "<section id=\"results\">\n<h2>" + both("检验结果", "Lab results") + "</h2>\n";
    if (c.lab.empty())
        return s + "<p id=\"results-status\">" +
               both("尚无检验结果。", "No lab results are recorded for this round yet.") +
               "</p>\n</section>\n";
    s += "<table id=\"results-table\">\n" +
         row({both("站点", "station"), both("油品", "grade"), both("样品编号", "sample id"),
              both("检验结果", "results"), both("判定", "verdict")},
             true);
    for (const Selection& sel : c.plan.selections)
        for (const PlannedSample& p : sel.samples) {
            auto it = c.results.find(p.nozzle_sample_id);
            std::string values, verdict = both("未检", "not tested");
            if (it != c.results.end()) {
                for (const LabResult* r : it->second.results)
                    values += (values.empty() ? "" : "<br>") + esc(r->property) + " " +
                              esc(number(r->value)) + " " + esc(r->unit) + " <span class=\"note\">(" +
                              esc(r->method) + ")</span>";
                const std::string& v = it->second.verdict;
                if (!v.empty())
                    verdict = verdict_badge(v);
            }
            s +=
                row({"<code>" + esc(sel.station_id) + "</code>", esc(p.grade),
                     "<code>" + esc(p.nozzle_sample_id) + "</code>", values.empty() ? "—" : values, verdict});
        }
    return s + "</table>\n</section>\n";
}

std::string stats_row(const RateRow& r, const std::string& label) {
    return row({label, std::to_string(r.batches_sampled) + " / " + std::to_string(r.batches_planned),
                std::to_string(r.batches_passed), std::to_string(r.batches_failed), pct(r.pass_rate()),
                std::to_string(r.stations_failed) + " / " + std::to_string(r.stations_audited),
                pct(r.failure_discovery_rate())});
}

std::string stats_section(const SiteContent& c) {
    std::string s = "<section id=\"stats\">\n<h2>" + both("本轮统计", "Round statistics") + "</h2>\n";
    if (!c.stats || c.lab.empty())
        return s + "<p>" + both("有检验结果后在此公布统计。", "Published here once lab results exist.") +
               "</p>\n</section>\n";
    const RoundStats& st = *c.stats;
    s += "<table>\n" + row({both("范围", "group"), both("已检批次 / 计划", "batches sampled / planned"),
                            both("合格", "passed"), both("不合格", "failed"), both("合格率", "pass rate"),
                            both("不合格站点 / 已核查", "stations failed / audited"),
                            both("问题发现率", "failure discovery rate")},
                           true);
    s += stats_row(st.overall, both("全部", "all"));
    s += stats_row(st.random_part, both("随机抽取", "random picks"));
    s += stats_row(st.certainty_part, both("必抽", "certainty picks"));
    for (const RateRow& r : st.strata)
        s += stats_row(r, "<code>" + esc(r.key) + "</code>");
    s += "</table>\n";
    if (st.estimate)
        s += "<p>" +
             both("根据随机抽取部分估计（Horvitz–Thompson）：抽样框中不合格站点约占 " +
                      pct(st.estimate->share) + "，95% 置信区间 " + pct(st.estimate->ci_low) + " 至 " +
                      pct(st.estimate->ci_high) + "。",
                  "Estimated from the random picks (Horvitz–Thompson): " + pct(st.estimate->share) +
                      " of the frame's stations fail, 95 % interval " + pct(st.estimate->ci_low) + " to " +
                      pct(st.estimate->ci_high) + ".") +
             "</p>\n";
    if (!c.stats_svg.empty())
        s += "<figure>" + inline_svg(c.stats_svg) + "<figcaption>" +
             both("各层问题发现率及历轮走势。", "Failure discovery rate per stratum, and over the rounds.") +
             "</figcaption></figure>\n";
    return s + "</section>\n";
}

// A case's stage in words for the public (docs/cases.md, the steps).
std::string case_stage(const CaseStatus& st) {
    static const std::map<std::string, std::pair<const char*, const char*>, std::less<>> words = {
        {"opened", {"已立案", "opened"}},
        {"delivered", {"检验结果已送达", "result delivered"}},
        {"objection", {"已提出异议", "objection filed"}},
        {"retest", {"已复检", "retested"}},
        {"disposal", {"已停售查封", "sale stopped, sealed"}},
        {"rectification", {"整改中", "rectifying"}},
        {"recheck", {"已复查", "re-checked"}},
        {"penalty", {"已作出处罚", "penalty decided"}},
        {"referral", {"已移送", "referred"}},
        {"reported", {"已上报", "reported"}},
        {"published", {"已公布", "published"}},
        {"closed", {"已结案", "closed"}},
    };
    static const std::map<std::string, std::pair<const char*, const char*>, std::less<>> outcomes = {
        {"not-confirmed", {"复检合格，不合格未确认", "not confirmed by the retest"}},
        {"rectified", {"整改后复查合格", "rectified, re-check passed"}},
        {"referred", {"已移送处理", "referred"}},
        {"failed-recheck", {"复查仍不合格", "re-check failed"}},
    };
    if (st.closed) {
        auto o = outcomes.find(st.outcome);
        return o == outcomes.end() ? both("已结案", "closed") + " (" + esc(st.outcome) + ")"
                                   : both("已结案：", "closed: ") + both(o->second.first, o->second.second);
    }
    auto w = words.find(st.stage);
    return w == words.end() ? esc(st.stage) : both(w->second.first, w->second.second);
}

std::string case_counts_row(const CaseCounts& k, const std::string& label) {
    return row({label, std::to_string(k.opened), std::to_string(k.open), std::to_string(k.not_confirmed),
                std::to_string(k.rectified), std::to_string(k.referred), std::to_string(k.failed_recheck),
                std::to_string(k.penalties)});
}

std::string cases_section(const SiteContent& c) {
    std::string s = "<section id=\"cases\">\n<h2>" + both("后续处理", "Follow-up cases") + "</h2>\n";
    if (c.cases.empty())
        return s + "<p id=\"cases-status\" data-cases=\"0\">" +
               both("尚无后续处理案件记录。", "No follow-up cases recorded.") + "</p>\n</section>\n";
    const std::size_t open = c.case_stats ? c.case_stats->overall.open : 0;
    s += "<p id=\"cases-status\" data-cases=\"" + std::to_string(c.cases.size()) + "\" data-open=\"" +
         std::to_string(open) + "\">" +
         both("本轮不合格批次立案 " + std::to_string(c.cases.size()) + " 件，其中未结案 " +
                  std::to_string(open) + " 件。每一步都有日期、经办人和文书编号，并记入登记库的哈希链账本。",
              std::to_string(c.cases.size()) + " case(s) opened for the round's failed batches, " +
                  std::to_string(open) +
                  " still open. Every step has a date, an actor and a document reference, and is in the "
                  "registry's hash-chained ledger.") +
         "</p>\n<table id=\"cases-table\">\n" +
         row({both("站点", "station"), both("油品", "grade"), both("问题", "finding"), both("进展", "stage"),
              both("日期", "date"), both("文书", "document")},
             true);
    for (const Case& k : c.cases) {
        const CaseStatus st = case_status(k);
        const std::string document = k.steps.empty() ? k.document : k.steps.back().document;
        auto station = c.stations.find(k.station_id);
        const std::string name = station == c.stations.end()
                                     ? std::string()
                                     : "<br><small>" + esc(station->second.name) + "</small>";
        std::string findings;
        for (const std::string& f : k.findings)
            findings +=
                (findings.empty() ? "" : "<br>") + verdict_badge(f) +
                (std::binary_search(st.withdrawn.begin(), st.withdrawn.end(), f)
                     ? " <small data-withdrawn=\"" + esc(f) + "\">" +
                           both("（复检合格，已撤销）", "(withdrawn: the retest conformed)") + "</small>"
                     : std::string());
        s += "<tr data-case=\"" + esc(k.case_id) + "\" data-stage=\"" + esc(st.stage) + "\" data-outcome=\"" +
             esc(st.outcome) + "\" title=\"" + esc(k.case_id) + "\"><td><code>" + esc(k.station_id) +
             "</code>" + name + "</td><td>" + esc(k.grade) + "</td><td>" + findings + "</td><td>" +
             case_stage(st) + "</td><td>" + esc(st.last_date) + "</td><td>" + esc(document) + "</td></tr>\n";
    }
    s += "</table>\n";
    if (c.case_stats) {
        s += "<h3>" + both("按层统计", "Outcomes per stratum") + "</h3>\n<table id=\"cases-strata\">\n" +
             row({both("范围", "group"), both("立案", "opened"), both("未结", "open"),
                  both("复检未确认", "not confirmed"), both("整改合格", "rectified"),
                  both("移送", "referred"), both("复查不合格", "re-check failed"), both("处罚", "penalties")},
                 true);
        s += case_counts_row(c.case_stats->overall, both("全部", "all"));
        for (const CaseCounts& k : c.case_stats->strata)
            s += case_counts_row(k, "<code>" + esc(k.key) + "</code>");
        s += "</table>\n";
    }
    return s + "</section>\n";
}

std::string downloads_section(const SiteContent& c) {
    std::string s = "<section id=\"downloads\">\n<h2>" + both("下载与校验值", "Downloads and their SHA-256") +
                    "</h2>\n<p class=\"lead\">" +
                    both("每个文件的 SHA-256 也列在 <a href=\"SHA256SUMS\">SHA256SUMS</a> 中（可用 "
                         "<code>sha256sum -c SHA256SUMS</code> 核对）。",
                         "Every file's SHA-256 is also in <a href=\"SHA256SUMS\">SHA256SUMS</a> (check with "
                         "<code>sha256sum -c SHA256SUMS</code>).") +
                    "</p>\n<table id=\"downloads-table\">\n" +
                    row({both("文件", "file"), both("字节", "bytes"), "SHA-256"}, true);
    for (const PublishedFile& f : c.downloads)
        s += "<tr><td><a href=\"" + esc(f.name) + "\">" + esc(f.name) + "</a></td><td class=\"num\">" +
             std::to_string(f.bytes) + "</td><td><code class=\"hash\">" + esc(f.sha256) +
             "</code></td></tr>\n";
    return s + "</table>\n</section>\n";
}

// The round in a few sentences, for a reader who reads nothing else.
std::string summary_section(const SiteContent& c) {
    const Plan& p = c.plan;
    std::int64_t population = 0, certainty = 0;
    for (const StratumSummary& st : p.strata) {
        population += st.population;
        certainty += st.certainty;
    }
    std::size_t batches = 0;
    for (const Selection& sel : p.selections)
        batches += sel.samples.size();
    const std::string drawn = std::to_string(p.selections.size() - static_cast<std::size_t>(certainty));
    const std::string all = std::to_string(p.selections.size()), certain = std::to_string(certainty);
    std::string s = "<section id=\"summary\">\n<h2>" + both("本轮概况", "At a glance") + "</h2>\n<ul>\n";
    s += "<li>" +
         both("从 " + std::to_string(population) + " 个可抽站点中随机抽取 " + drawn + " 个，另有 " + certain +
                  " 个必抽站点；共 " + all + " 个站点、" + std::to_string(batches) + " 个油品批次。",
              drawn + " stations drawn at random from " + std::to_string(population) +
                  " open stations, plus " + certain + " certainty station(s): " + all + " stations, " +
                  std::to_string(batches) + " batches (one grade at one station).") +
         "</li>\n";
    if (!p.routes.empty())
        s +=
            "<li>" +
            both(std::to_string(p.teams.size()) + " 个检查小组，" + std::to_string(p.routes.size()) +
                     " 条每日路线，" + p.routes.front().date + " 至 " + p.routes.back().date + "。",
                 std::to_string(p.teams.size()) + " teams, " + std::to_string(p.routes.size()) +
                     " team-day routes from " + p.routes.front().date + " to " + p.routes.back().date + ".") +
            "</li>\n";
    if (c.stats && !c.lab.empty()) {
        const RateRow& o = c.stats->overall;
        s += "<li>" +
             both("已检 " + std::to_string(o.batches_sampled) + " 批次：合格 " +
                      std::to_string(o.batches_passed) + "，不合格 " + std::to_string(o.batches_failed) +
                      "；不合格站点 " + std::to_string(o.stations_failed) + " 个。",
                  std::to_string(o.batches_sampled) + " batches tested: " + std::to_string(o.batches_passed) +
                      " passed, " + std::to_string(o.batches_failed) + " failed; " +
                      std::to_string(o.stations_failed) + " station(s) failed.") +
             "</li>\n";
    } else {
        s += "<li>" + both("检验结果尚未公布。", "Lab results are not published yet.") + "</li>\n";
    }
    return s + "<li>" +
           both("抽中哪些站点只由事先承诺的种子和公开的抽样框决定，任何人都能重算（见“核验”）。",
                "Which stations were drawn follows only from the seed committed in advance and the published "
                "frame; anyone can recompute it (see Verification).") +
           "</li>\n</ul>\n</section>\n";
}

std::string verify_section(const SiteContent& c) {
    std::string s = "<section id=\"verify\">\n<h2>" + both("核验", "Verification") + "</h2>\n";
    if (!c.revealed)
        return s + "<div id=\"verify-result\" data-status=\"committed\"><p class=\"verdict\">" +
               both(
                   "已承诺，尚未揭晓：本轮的设计、种子承诺值和登记库摘要已固定，揭晓后本页将公布计划并在"
                   "浏览器中重新计算核验。",
                   "committed, not yet revealed: the round's design, seed commitment and registry "
                   "digest are fixed; after the reveal this page publishes the plan and recomputes it in the "
                   "browser.") +
               "</p></div>\n</section>\n";
    return s + "<div id=\"verify-result\" data-status=\"running\"><p class=\"verdict\">" +
           both("正在核验……（需要启用 JavaScript）", "verifying… (needs JavaScript)") +
           "</p></div>\n<p class=\"note\">" +
           both("本页的脚本按公开标准 docs/sampling.md "
                "独立重算：读取公开的抽样框、设计和种子，重新抽样并排班，再与公布的计划逐字节比较。也可下载 "
                "<a href=\"assets/verifier.js\">verifier.js</a> 用 node 运行，或用 <code>fuelmap "
                "verify</code> 核验。",
                "The page's script recomputes the plan independently, following the public standard "
                "docs/sampling.md: it reads the published frame, design and seed, draws and schedules again, "
                "and compares the result with the published plan byte for byte. The same "
                "<a href=\"assets/verifier.js\">verifier.js</a> runs in node; <code>fuelmap verify</code> "
                "checks the plan against the registry.") +
           "</p>\n</section>\n";
}

} // namespace

std::string site_html(const SiteContent& c) {
    std::string s = head(c);
    s += "<nav class=\"toc\"><a href=\"#verify\">" + both("核验", "Verification") +
         "</a><a href=\"#design\">" + both("抽样设计", "Design") + "</a><a href=\"#seed\">" +
         both("种子", "Seed") + "</a><a href=\"#frame\">" + both("抽样框", "Frame") + "</a>";
    if (c.revealed)
        s += "<a href=\"#plan\">" + both("计划", "Plan") + "</a><a href=\"#results\">" +
             both("结果", "Results") + "</a><a href=\"#stats\">" + both("统计", "Statistics") +
             "</a><a href=\"#cases\">" + both("后续处理", "Cases") + "</a>";
    s += "<a href=\"#downloads\">" + both("下载", "Downloads") + "</a></nav>\n";
    s += verify_section(c);
    if (c.revealed)
        s += summary_section(c);
    s +=
        "<section id=\"design\">\n<h2>" + both("抽样设计", "The design") + "</h2>\n<p class=\"lead\">" +
        both("设计规定了抽多少、怎么分层、抽哪些油品以及排班规则。",
             "The design fixes how many stations are drawn, the strata, the grades and the schedule rules.") +
        " ";
    if (c.design_digest.empty())
        s +=
            both("设计列有站点（必抽或排除），其 SHA-256 "
                 "可被用来逐一试出这些站点，因此揭晓前不公布；揭晓后公布完整设计。",
                 "The design names stations (certainty or excluded picks): its SHA-256 would let anyone try "
                 "station lists until one matches, so it is withheld until the reveal, when the whole design "
                 "is published.") +
            "</p>\n";
    else
        s += both("设计文件的 SHA-256：", "SHA-256 of the design file:") +
             " <code class=\"hash\" id=\"design-digest\">" + esc(c.design_digest) + "</code></p>\n";
    s += design_rows(c, !c.revealed) + "</section>\n";
    s += seed_section(c);
    s += registry_section(c);
    if (c.revealed) {
        s += plan_section(c);
        s += results_section(c);
        s += stats_section(c);
        s += cases_section(c);
    }
    s += downloads_section(c);
    s += "</main>\n";
    if (c.revealed) {
        s += data_block("data-plan", c.plan_text);
        s += data_block("data-frame", c.frame_text);
        s += data_block("data-design", c.design_json);
        s += data_block("data-commitment", c.commitment);
        s += data_block("data-seed", c.seed);
        s += "<script src=\"assets/verifier.js\"></script>\n";
    }
    s += "<script src=\"assets/site.js\"></script>\n</body>\n</html>\n";
    return s;
}

} // namespace fuelmap::detail
