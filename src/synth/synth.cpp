// SPDX-License-Identifier: MIT
// Synthetic registries. Every choice comes from a splitmix64 stream seeded by (seed, station id)
// and is made with integer arithmetic only; coordinates are integers in 1e-7 degrees until they
// are turned into doubles by one division, so the result is bit-identical on every machine and a
// station's content does not depend on how many other stations are generated.
#include <fuelmap/error.hpp>
#include <fuelmap/synth.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <initializer_list>
#include <tuple>

namespace fuelmap {

namespace {

// ----- randomness -----

std::uint64_t splitmix_finalize(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast and fully specified.
class Rng {
public:
    Rng(std::uint64_t seed, std::string_view stream) : m_state(splitmix_finalize(seed) ^ fnv1a(stream)) {}

    std::uint64_t next() {
        m_state += 0x9e3779b97f4a7c15ULL;
        return splitmix_finalize(m_state);
    }

    // Uniform in [0, n) by rejection, so no value is favoured.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
        std::uint64_t x;
        do
            x = next();
        while (x >= limit);
        return x % n;
    }

    // Uniform in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
    }

    bool percent(int p) { return below(100) < static_cast<std::uint64_t>(p); }

    // Index drawn with the given integer weights.
    std::size_t weighted(std::initializer_list<int> weights) {
        int total = 0;
        for (int w : weights)
            total += w;
        auto x = static_cast<int>(below(static_cast<std::uint64_t>(total)));
        std::size_t i = 0;
        for (int w : weights) {
            if (x < w)
                return i;
            x -= w;
            ++i;
        }
        return 0;
    }

    template <class T> const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

private:
    std::uint64_t m_state;
};

// ----- coordinates -----

// 111320 m × cos(latitude) for whole degrees 0…60: metres per degree of longitude.
constexpr std::array<std::int64_t, 61> metres_per_degree_lon = {
    111320, 111303, 111252, 111167, 111049, 110896, 110710, 110490, 110237, 109949, 109629, 109275, 108887,
    108467, 108013, 107527, 107008, 106456, 105872, 105255, 104607, 103926, 103214, 102471, 101696, 100890,
    100054, 99187,  98290,  97363,  96406,  95420,  94405,  93361,  92288,  91188,  90060,  88904,  87721,
    86512,  85276,  84014,  82727,  81414,  80077,  78715,  77329,  75920,  74488,  73032,  71555,  70056,
    68535,  66994,  65432,  63851,  62249,  60629,  58991,  57334,  55660};
constexpr std::int64_t metres_per_degree_lat = 111000;

// a / b rounded half away from zero (b > 0).
std::int64_t div_round(std::int64_t a, std::int64_t b) {
    return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

// A point in 1e-7 degrees, and a converter from decimetres east/north of it.
struct Anchor {
    std::int64_t lon_e7;
    std::int64_t lat_e7;
    std::int64_t m_per_deg_lon;

    Anchor(std::int64_t lon, std::int64_t lat) : lon_e7(lon), lat_e7(lat) {
        const std::int64_t lat_e6 = std::clamp<std::int64_t>(lat / 10, 0, 59'999'999);
        const std::int64_t d = lat_e6 / 1'000'000;
        const std::int64_t f = lat_e6 % 1'000'000;
        m_per_deg_lon = metres_per_degree_lon[d] +
                        div_round((metres_per_degree_lon[d + 1] - metres_per_degree_lon[d]) * f, 1'000'000);
    }

    // 1 dm = 0.1 m = 0.1 / m_per_deg degrees = 1e6 / m_per_deg units of 1e-7 degree.
    Anchor offset_dm(std::int64_t x_dm, std::int64_t y_dm) const {
        return Anchor(lon_e7 + div_round(x_dm * 1'000'000, m_per_deg_lon),
                      lat_e7 + div_round(y_dm * 1'000'000, metres_per_degree_lat));
    }

    GeoPoint point() const { return {static_cast<double>(lon_e7) / 1e7, static_cast<double>(lat_e7) / 1e7}; }
};

// ----- names -----

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// First n characters of a UTF-8 string.
std::string utf8_prefix(const std::string& s, std::size_t n) {
    std::size_t i = 0;
    for (std::size_t chars = 0; i < s.size() && chars < n; ++chars) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80)
            ++i;
    }
    return s.substr(0, i);
}

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

// "芝罘区" → "芝罘", "莱州市" → "莱州", "忠县" stays, "石柱土家族自治县" → "石柱".
std::string short_place(const std::string& name) {
    if (ends_with(name, "自治县") || ends_with(name, "回族区"))
        return utf8_prefix(name, 2);
    for (std::string_view suffix : {"新区", "区", "市", "县", "旗"})
        if (ends_with(name, suffix) && utf8_length(name) > 2)
            return name.substr(0, name.size() - suffix.size());
    return name;
}

std::string short_province(const SynthRegion& r) {
    if (r.province == "150000")
        return "内蒙古";
    if (r.province == "450000")
        return "广西";
    if (r.province == "540000")
        return "西藏";
    if (r.province == "640000")
        return "宁夏";
    if (r.province == "650000")
        return "新疆";
    if (ends_with(r.province_name, "省"))
        return r.province_name.substr(0, r.province_name.size() - std::string_view("省").size());
    return short_place(r.province_name);
}

const std::vector<std::string> roads = {
    "人民路", "解放路", "建设路", "胜利路",     "中山路",   "新华路",  "文化路", "和平路",
    "长江路", "黄河路", "泰山路", "青年路",     "幸福街",   "迎宾路",  "环城路", "东风路",
    "光明路", "振兴路", "兴业路", "世纪大道",   "工业大道", "站前路",  "机场路", "北京路",
    "上海路", "南京路", "学府路", "开发区大道", "滨河路",   "朝阳街",  "市府街", "通港路",
    "经济路", "富民路", "金桥路", "创业路",     "府前街",   "国道辅路"};
const std::vector<std::string> independent_words = {
    "鑫源", "恒通", "华信", "金达", "顺发", "宏运", "永盛", "泰和", "东方", "昌隆", "福瑞", "汇丰",
    "兴隆", "远航", "隆盛", "旭日", "安达", "广源", "天润", "正大", "利民", "路通", "嘉禾", "中兴"};
const std::vector<std::string> hypermarket_brands = {"大润发", "家乐福", "沃尔玛", "永辉", "银座"};

struct OtherKind {
    const char* station;
    const char* company;
};
const std::vector<OtherKind> other_kinds = {{"公交", "公交集团有限公司"},
                                            {"物流园", "物流园区管理有限公司"},
                                            {"港务", "港务集团有限公司"},
                                            {"农机", "农机服务有限公司"},
                                            {"交运", "交通运输集团有限公司"}};

std::string number_text(const char* prefix, std::size_t n) {
    return prefix + std::to_string(n);
}

// ----- grades -----

// The grades a synthetic station sells, in tank-numbering order.
enum GradeIndex { g92, g95, g98, g0, g_10, g_20, grade_count };
const std::array<const char*, grade_count> grade_codes = {"92#", "95#", "98#", "0#", "-10#", "-20#"};
// How many nozzles of each grade a station tends to have, relative.
const std::array<int, grade_count> nozzle_share = {5, 3, 1, 4, 1, 1};
// How likely an extra tank is of each grade, relative.
const std::array<int, grade_count> extra_tank_share = {5, 3, 1, 4, 1, 1};

// ----- one station -----

struct NozzleSlot {
    int grade;          // GradeIndex of the label
    int tank = -1;      // pinned tank index, or -1: any tank of the grade
    bool blend = false; // a 92# + 98# blend labelled 95#
};

class StationMaker {
public:
    StationMaker(const SynthRegion& region, std::size_t serial, std::uint64_t seed)
        : m_region(region), m_rng(seed, id_of(region, serial)) {
        m_site.station.station_id = id_of(region, serial);
    }

    Site make() {
        make_station();
        make_equipment();
        make_layout();
        return std::move(m_site);
    }

private:
    static std::string id_of(const SynthRegion& region, std::size_t serial) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "-%04zu", serial);
        return region.county + buf;
    }

    void make_station() {
        Station& s = m_site.station;
        s.ownership = std::array{Ownership::major, Ownership::independent, Ownership::hypermarket,
                                 Ownership::other}[m_rng.weighted({55, 35, 4, 6})];
        s.province = m_region.province;
        s.city = m_region.city;
        s.county = m_region.county;
        const std::string province = short_province(m_region);
        const std::string city = short_place(m_region.city_name);
        const std::string county = short_place(m_region.county_name);
        const std::string& road = m_rng.pick(roads);
        switch (s.ownership) {
        case Ownership::major: {
            switch (m_rng.weighted({50, 35, 6, 5, 4})) {
            case 0:
                s.brand = "中国石化";
                s.operator_name = "中国石化销售股份有限公司" + province + city + "石油分公司";
                break;
            case 1:
                s.brand = "中国石油";
                s.operator_name = "中国石油天然气股份有限公司" + province + city + "销售分公司";
                break;
            case 2:
                s.brand = "中国海油";
                s.operator_name = "中海油" + province + "石油销售有限公司";
                break;
            case 3:
                s.brand = "中化石油";
                s.operator_name = "中化石油" + province + "有限公司";
                break;
            default:
                s.brand = "壳牌";
                s.operator_name = province + "壳牌石油有限公司";
                break;
            }
            s.name = s.brand + city + county + road + "加油站";
            break;
        }
        case Ownership::independent: {
            const std::string& word = m_rng.pick(independent_words);
            s.brand = word;
            s.operator_name = city + word + "石油有限公司";
            s.name = city + county + word + "加油站";
            break;
        }
        case Ownership::hypermarket: {
            const std::string& brand = m_rng.pick(hypermarket_brands);
            s.brand = brand;
            s.operator_name = city + brand + "商业有限公司";
            s.name = brand + county + "店加油站";
            break;
        }
        case Ownership::other: {
            const OtherKind& kind = m_rng.pick(other_kinds);
            s.brand = "";
            s.operator_name = city + kind.company;
            s.name = city + county + kind.station + "加油站";
            break;
        }
        }
        s.address = m_region.province_name +
                    (m_region.city_name == m_region.province_name ? "" : m_region.city_name) +
                    m_region.county_name + road + std::to_string(m_rng.between(1, 899)) + "号";
        s.status = m_rng.percent(1) ? "suspended" : "open";
        switch (s.ownership) {
        case Ownership::major:
            s.risk_weight = 1 + static_cast<std::int64_t>(m_rng.weighted({85, 8, 5, 2}));
            break;
        case Ownership::independent:
            s.risk_weight = 1 + static_cast<std::int64_t>(m_rng.weighted({65, 15, 10, 6, 4}));
            break;
        default:
            s.risk_weight = 1 + static_cast<std::int64_t>(m_rng.weighted({80, 10, 6, 3, 1}));
            break;
        }
        // Station position: anywhere in the region's box around its centre (kept ashore).
        const Anchor centre(m_region.lon_e6 * 10, m_region.lat_e6 * 10);
        const std::int64_t x_dm = m_rng.between(-m_region.west_km * 10'000, m_region.east_km * 10'000);
        const std::int64_t y_dm = m_rng.between(-m_region.south_km * 10'000, m_region.north_km * 10'000);
        m_origin = centre.offset_dm(x_dm, y_dm);
        s.location = m_origin.point();
    }

    void make_equipment() {
        // Dispensers and their nozzle counts: about 4 dispensers of about 4 nozzles (mean ≈ 16).
        const std::size_t dispensers = 2 + m_rng.weighted({22, 22, 25, 13, 9, 5, 4});
        std::vector<int> per_dispenser;
        int total = 0;
        for (std::size_t i = 0; i < dispensers; ++i) {
            per_dispenser.push_back(2 * (1 + static_cast<int>(m_rng.weighted({20, 60, 15, 5}))));
            total += per_dispenser.back();
        }
        while (total > 32) {
            auto largest = std::max_element(per_dispenser.begin(), per_dispenser.end());
            *largest -= 2;
            total -= 2;
        }
        for (std::size_t i = 0; i < dispensers; ++i) {
            Dispenser d;
            d.dispenser_no = number_text("D", i + 1);
            const int n = per_dispenser[i];
            d.fuelling_points = n == 2   ? 2
                                : n == 4 ? (m_rng.percent(80) ? 2 : 4)
                                : n == 6 ? (m_rng.percent(50) ? 2 : 3)
                                         : (m_rng.percent(40) ? 2 : 4);
            m_site.dispensers.push_back(std::move(d));
        }

        // Grades sold from tanks; colder regions also sell winter diesel.
        const std::int64_t lat_e6 = m_region.lat_e6;
        std::vector<int> tank_grades = {g92};
        if (m_rng.percent(90))
            tank_grades.push_back(g95);
        const bool major = m_site.station.ownership == Ownership::major;
        if (m_rng.percent(major ? 35 : 15))
            tank_grades.push_back(g98);
        const bool fleet = m_site.station.ownership == Ownership::hypermarket ||
                           m_site.station.ownership == Ownership::other;
        if (m_rng.percent(fleet ? 60 : 85)) {
            tank_grades.push_back(g0);
            if (lat_e6 >= 42'000'000 && m_rng.percent(40))
                tank_grades.push_back(g_20);
            else if (lat_e6 >= 34'000'000 && m_rng.percent(20))
                tank_grades.push_back(g_10);
        }
        while (tank_grades.size() > static_cast<std::size_t>(total))
            tank_grades.pop_back();
        const bool has_98 = std::find(tank_grades.begin(), tank_grades.end(), g98) != tank_grades.end();
        // A blending dispenser makes 95# from 92# and 98# (label between its components).
        const bool blend_station =
            has_98 && total >= static_cast<int>(tank_grades.size()) + 2 && m_rng.percent(45);
        const int blends = blend_station ? 1 + static_cast<int>(m_rng.below(2)) : 0;
        const bool tank_95 = std::find(tank_grades.begin(), tank_grades.end(), g95) != tank_grades.end();

        // Tanks: one per grade plus extras for the busy grades.
        std::vector<int> tank_grade_of;
        for (int g : tank_grades)
            tank_grade_of.push_back(g);
        const int room = std::min(8, total - blends);
        int extra = static_cast<int>(m_rng.weighted({35, 30, 20, 15}));
        if (tank_grade_of.size() < 2)
            extra = std::max(extra, 1);
        for (int i = 0; i < extra && static_cast<int>(tank_grade_of.size()) < room; ++i) {
            std::array<int, grade_count> w{};
            int sum = 0;
            for (int g : tank_grades)
                sum += (w[g] = extra_tank_share[g]);
            auto x = static_cast<int>(m_rng.below(static_cast<std::uint64_t>(sum)));
            int chosen = tank_grades.front();
            for (int g : tank_grades) {
                if (x < w[g]) {
                    chosen = g;
                    break;
                }
                x -= w[g];
            }
            tank_grade_of.push_back(chosen);
        }
        std::stable_sort(tank_grade_of.begin(), tank_grade_of.end());
        const std::size_t in_service = tank_grade_of.size();
        // Now and then a tank is out of service: it feeds nothing, which is no finding.
        if (in_service < 8 && m_rng.percent(4))
            tank_grade_of.push_back(tank_grades[m_rng.below(tank_grades.size())]);

        std::array<std::vector<int>, grade_count> tanks_of{};
        for (std::size_t i = 0; i < tank_grade_of.size(); ++i) {
            Tank t;
            t.tank_no = number_text("T", i + 1);
            const int g = tank_grade_of[i];
            t.grade = grade_codes[g];
            t.capacity_l = std::array<std::int64_t, 5>{20000, 25000, 30000, 40000, 50000}[m_rng.weighted(
                g == g92 || g == g0 ? std::initializer_list<int>{5, 10, 30, 25, 30}
                                    : std::initializer_list<int>{30, 25, 30, 10, 5})];
            if (i >= in_service) {
                t.status = "out_of_service";
            } else {
                tanks_of[g].push_back(static_cast<int>(i));
            }
            m_site.tanks.push_back(std::move(t));
        }
        // Tanks of one grade are often piped together (a manifold group).
        int groups = 0;
        for (int g = 0; g < grade_count; ++g)
            if (tanks_of[g].size() >= 2 && m_rng.percent(50)) {
                const std::string name = number_text("M", static_cast<std::size_t>(++groups));
                for (int t : tanks_of[g])
                    m_site.tanks[static_cast<std::size_t>(t)].manifold_group = name;
            }

        // Nozzle labels: one per in-service tank first (so that every tank feeds a nozzle), then the
        // blends, then the rest by the grades' usual shares.
        std::vector<NozzleSlot> slots;
        for (std::size_t i = 0; i < in_service; ++i)
            slots.push_back({tank_grade_of[i], static_cast<int>(i), false});
        for (int i = 0; i < blends; ++i)
            slots.push_back({g95, -1, true});
        std::vector<int> labels = tank_grades;
        if (blend_station && !tank_95)
            labels.push_back(g95);
        while (static_cast<int>(slots.size()) < total) {
            int sum = 0;
            for (int g : labels)
                sum += nozzle_share[g];
            auto x = static_cast<int>(m_rng.below(static_cast<std::uint64_t>(sum)));
            int chosen = labels.front();
            for (int g : labels) {
                if (x < nozzle_share[g]) {
                    chosen = g;
                    break;
                }
                x -= nozzle_share[g];
            }
            slots.push_back({chosen, -1, chosen == g95 && !tank_95});
        }
        // Same grades next to each other, then dealt round the dispensers so each carries a mix.
        std::stable_sort(slots.begin(), slots.end(), [](const NozzleSlot& a, const NozzleSlot& b) {
            return std::pair(a.grade, a.blend) < std::pair(b.grade, b.blend);
        });
        std::vector<std::vector<NozzleSlot>> on_dispenser(dispensers);
        std::size_t d = 0;
        for (const NozzleSlot& slot : slots) {
            while (static_cast<int>(on_dispenser[d].size()) >= per_dispenser[d])
                d = (d + 1) % dispensers;
            on_dispenser[d].push_back(slot);
            d = (d + 1) % dispensers;
        }
        std::array<std::size_t, grade_count> next_tank{};
        std::size_t next_blend = 0;
        for (std::size_t i = 0; i < dispensers; ++i) {
            const Dispenser& disp = m_site.dispensers[i];
            for (std::size_t j = 0; j < on_dispenser[i].size(); ++j) {
                const NozzleSlot& slot = on_dispenser[i][j];
                Nozzle n;
                n.nozzle_no = number_text("N", m_site.nozzles.size() + 1);
                n.dispenser_no = disp.dispenser_no;
                n.fuelling_point = static_cast<int>(j % static_cast<std::size_t>(disp.fuelling_points)) + 1;
                n.grade = grade_codes[slot.grade];
                if (slot.blend) {
                    const auto& low = tanks_of[g92];
                    const auto& high = tanks_of[g98];
                    n.supply = {
                        {m_site.tanks[static_cast<std::size_t>(low[next_blend % low.size()])].tank_no, 0.5},
                        {m_site.tanks[static_cast<std::size_t>(high[next_blend % high.size()])].tank_no,
                         0.5}};
                    ++next_blend;
                } else {
                    const auto& tanks = tanks_of[slot.grade];
                    const int t = slot.tank >= 0 ? slot.tank : tanks[next_tank[slot.grade]++ % tanks.size()];
                    n.supply = {{m_site.tanks[static_cast<std::size_t>(t)].tank_no, 1.0}};
                }
                m_site.nozzles.push_back(std::move(n));
            }
        }
        const auto nozzles = static_cast<std::int64_t>(m_site.nozzles.size());
        const std::int64_t per_nozzle = m_rng.between(120, 320);
        const std::int64_t factor = major                                                ? 12
                                    : m_site.station.ownership == Ownership::independent ? 8
                                    : m_site.station.ownership == Ownership::hypermarket ? 10
                                                                                         : 5;
        m_site.station.annual_volume_m3 = nozzles * per_nozzle * factor / 10;
    }

    // Site plan in decimetres: dispensers in rows under a canopy (two to an island from four
    // dispensers up), a tank farm north or south of it, the outline around everything with a
    // margin. The station point is the outline's centre. Spacings leave room for the symbols of a
    // site diagram drawn to scale (docs/synth.md): dispensers with more nozzles stand further apart.
    void make_layout() {
        struct Pos {
            std::int64_t x, y;
        };
        const std::size_t dispensers = m_site.dispensers.size();
        // Each dispenser takes 6 m plus 3 m per nozzle on its busier side (even fuelling points
        // north, odd ones south) along its row; as few rows as hold them in 56 m each, filled evenly,
        // 11–12 m apart.
        std::vector<std::int64_t> width(dispensers, 0);
        for (std::size_t i = 0; i < dispensers; ++i) {
            std::int64_t north = 0, south = 0;
            for (const Nozzle& n : m_site.nozzles)
                if (n.dispenser_no == m_site.dispensers[i].dispenser_no)
                    ++(n.fuelling_point % 2 == 0 ? north : south);
            width[i] = 60 + 30 * std::max<std::int64_t>({north, south, 1});
        }
        const std::size_t per_island = dispensers >= 4 ? 2 : 1;
        const std::int64_t spare = 10 * m_rng.between(0, 2);
        const std::int64_t row_gap = 110 + 10 * m_rng.between(0, 1);
        std::int64_t total = 0;
        for (std::int64_t w : width)
            total += w + spare;
        const std::int64_t rows = (total + 559) / 560;
        std::vector<Pos> disp(dispensers);
        // Fills rows of at most row_length; returns the number of rows used.
        auto fill = [&](std::int64_t row_length) {
            std::int64_t x = 0, row = 0, used = 0;
            for (std::size_t i = 0; i < dispensers; ++i) {
                if (i > 0) {
                    if (used + width[i] > row_length) {
                        ++row;
                        x = 0;
                        used = 0;
                    } else {
                        x += (width[i - 1] + width[i]) / 2 + spare;
                    }
                }
                used += width[i] + spare;
                disp[i] = {x, -row * row_gap};
            }
            return row + 1;
        };
        std::int64_t row_length = total / rows + 40;
        while (fill(row_length) > rows)
            row_length += 10;
        for (std::size_t i = 0; i < dispensers; ++i)
            m_site.dispensers[i].island = std::to_string(i / per_island + 1);
        std::vector<Pos> nozzle(m_site.nozzles.size());
        for (std::size_t i = 0; i < dispensers; ++i) {
            const Dispenser& d = m_site.dispensers[i];
            std::vector<std::size_t> on;
            for (std::size_t k = 0; k < m_site.nozzles.size(); ++k)
                if (m_site.nozzles[k].dispenser_no == d.dispenser_no)
                    on.push_back(k);
            // 0.9 m north (even fuelling points) or south (odd ones) of the dispenser, spread along it.
            std::int64_t rank[2] = {0, 0};
            std::int64_t count[2] = {0, 0};
            for (std::size_t k : on)
                ++count[m_site.nozzles[k].fuelling_point % 2];
            for (std::size_t k : on) {
                const int side = m_site.nozzles[k].fuelling_point % 2;
                const std::int64_t spread = (2 * rank[side]++ - count[side] + 1) * 3;
                nozzle[k] = {disp[i].x + spread, disp[i].y + (side == 0 ? 9 : -9)};
            }
        }
        // Tank farm north or south of the canopy: one row of tanks 8–9 m apart, centred on it.
        std::int64_t min_x = 0, max_x = 0, min_y = 0, max_y = 0;
        auto extend = [&](const Pos& p) {
            min_x = std::min(min_x, p.x);
            max_x = std::max(max_x, p.x);
            min_y = std::min(min_y, p.y);
            max_y = std::max(max_y, p.y);
        };
        for (const Pos& p : disp)
            extend(p);
        for (const Pos& p : nozzle)
            extend(p);
        const bool north = m_rng.percent(60);
        const std::int64_t farm_gap = 130 + 10 * m_rng.between(0, 5);
        const std::int64_t tank_pitch = 80 + 10 * m_rng.between(0, 1);
        const auto tanks = static_cast<std::int64_t>(m_site.tanks.size());
        const std::int64_t farm_x =
            (min_x + max_x) / 2 - (tanks - 1) * tank_pitch / 2 + 10 * m_rng.between(-2, 2);
        std::vector<Pos> tank(m_site.tanks.size());
        for (std::size_t i = 0; i < tank.size(); ++i)
            tank[i] = {farm_x + static_cast<std::int64_t>(i) * tank_pitch,
                       north ? max_y + farm_gap : min_y - farm_gap};
        for (const Pos& p : tank)
            extend(p);
        const std::int64_t west = 50 + 10 * m_rng.between(0, 4);
        const std::int64_t east = 50 + 10 * m_rng.between(0, 4);
        const std::int64_t south = 50 + 10 * m_rng.between(0, 4);
        const std::int64_t north_margin = 50 + 10 * m_rng.between(0, 4);
        min_x -= west;
        max_x += east;
        min_y -= south;
        max_y += north_margin;
        // Centre the plan on the station point.
        const std::int64_t cx = (min_x + max_x) / 2;
        const std::int64_t cy = (min_y + max_y) / 2;
        auto at = [&](std::int64_t x, std::int64_t y) { return m_origin.offset_dm(x - cx, y - cy).point(); };
        for (std::size_t i = 0; i < dispensers; ++i)
            m_site.dispensers[i].position = at(disp[i].x, disp[i].y);
        for (std::size_t i = 0; i < nozzle.size(); ++i)
            m_site.nozzles[i].position = at(nozzle[i].x, nozzle[i].y);
        for (std::size_t i = 0; i < tank.size(); ++i)
            m_site.tanks[i].position = at(tank[i].x, tank[i].y);
        // Counter-clockwise ring; sometimes one corner is cut off inside the margin.
        std::vector<Pos> ring = {{min_x, min_y}, {max_x, min_y}, {max_x, max_y}, {min_x, max_y}};
        if (m_rng.percent(30)) {
            const std::int64_t cut = std::min(east, north_margin) - 10;
            ring = {
                {min_x, min_y}, {max_x, min_y}, {max_x, max_y - cut}, {max_x - cut, max_y}, {min_x, max_y}};
        }
        for (const Pos& p : ring)
            m_site.outline.push_back(at(p.x, p.y));
    }

    const SynthRegion& m_region;
    Rng m_rng;
    Site m_site;
    Anchor m_origin{0, 0};
};

// Stations per region: proportional to the weights, largest remainders first.
std::vector<std::size_t> quotas(std::span<const SynthRegion> regions, std::size_t n) {
    std::uint64_t total = 0;
    for (const SynthRegion& r : regions)
        total += static_cast<std::uint64_t>(r.weight);
    std::vector<std::size_t> q(regions.size());
    // (remainder, tie-breaker, index): equal remainders are broken by a hash of the code, so that
    // a small national registry is spread over the country rather than the top of the table.
    std::vector<std::tuple<std::uint64_t, std::uint64_t, std::size_t>> remainders;
    std::size_t given = 0;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const std::uint64_t share =
            static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(regions[i].weight);
        q[i] = static_cast<std::size_t>(share / total);
        given += q[i];
        remainders.emplace_back(share % total, fnv1a(regions[i].county), i);
    }
    std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
        return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) > std::get<0>(b)
                                                : std::get<1>(a) < std::get<1>(b);
    });
    for (std::size_t k = 0; given < n; ++k, ++given)
        ++q[std::get<2>(remainders[k])];
    return q;
}

} // namespace

Registry synthesize(const SynthOptions& options, const ProgressFn& progress) {
    if (options.stations == 0)
        throw UsageError("--stations: the number of stations must be at least 1");
    SynthScope scope = options.scope;
    if (scope == SynthScope::automatic)
        scope = options.stations <= yantai_capacity ? SynthScope::yantai : SynthScope::national;
    const std::span<const SynthRegion> regions = synth_regions(scope);
    const std::vector<std::size_t> per_region = quotas(regions, options.stations);
    for (std::size_t i = 0; i < regions.size(); ++i)
        if (per_region[i] > max_stations_per_region)
            throw UsageError("--stations: " + std::to_string(options.stations) +
                             " stations is too many for the " + std::to_string(regions.size()) +
                             " regions of this scope (region " + regions[i].county + " would get " +
                             std::to_string(per_region[i]) + ", at most " +
                             std::to_string(max_stations_per_region) + ")");
    std::vector<Site> sites;
    sites.reserve(options.stations);
    for (std::size_t i = 0; i < regions.size(); ++i)
        for (std::size_t serial = 1; serial <= per_region[i]; ++serial) {
            sites.push_back(StationMaker(regions[i], serial, options.seed).make());
            if (progress && (sites.size() % 256 == 0 || sites.size() == options.stations))
                progress(sites.size(), options.stations);
        }
    Registry registry;
    registry.add_all(std::move(sites));
    return registry;
}

} // namespace fuelmap
