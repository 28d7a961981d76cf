// SPDX-License-Identifier: MIT
// Supply line routing: a small grid router. Costs are integers and the open list breaks ties by
// state index, so the same page gives the same lines on every machine.
#include "diagram/diagram_routing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <queue>
#include <tuple>

namespace fuelmap::detail {

namespace {

constexpr double cell_mm = 2.0;
constexpr double symbol_margin = 0.8; // no line centre closer than this to a symbol
constexpr double tank_margin = 1.0;

// Costs per move (one cell), per bend, per crossing of another tank's line, and for ending at a
// tank instead of joining a line already drawn from it (this is what bundles the lines).
constexpr int step_cost = 2;
constexpr int bend_cost = 5;
constexpr int cross_cost = 16;
constexpr int tank_entry_cost = 8;
constexpr int forced_cost = 400; // fallback only: through a symbol or along another tank's line
// The distance estimate counts one and a half times (heuristic_weight / 2): a weighted A* that
// explores a narrow band round the way to the tank. Measured on 1,000 synthetic stations: four times
// faster than plain A* for about 20 % more crossings (weight 2: nine times, 40 % more).
constexpr int heuristic_weight = 3; // in halves

constexpr int dx[4] = {0, 1, 0, -1}; // up, right, down, left (page y grows downwards)
constexpr int dy[4] = {-1, 0, 1, 0};

constexpr std::uint8_t horizontal = 1;
constexpr std::uint8_t vertical = 2;
constexpr std::uint8_t node = 4; // corner, junction or end: nothing may cross here

constexpr int free_cell = -1;
constexpr int shared_cell = -2; // lines of two tanks cross here

class Router {
public:
    explicit Router(const RoutingProblem& p)
        : m_p(p), m_cols(std::max(1, static_cast<int>(p.area.w / cell_mm))),
          m_rows(std::max(1, static_cast<int>(p.area.h / cell_mm))),
          m_cells(static_cast<std::size_t>(m_cols) * static_cast<std::size_t>(m_rows)), m_blocked(m_cells, 0),
          m_owner(m_cells, free_cell), m_flags(m_cells, 0), m_tree_leg(m_cells, -1), m_tree_pos(m_cells, 0),
          m_terminal_tank(m_cells, -1), m_terminal_side(m_cells, 0), m_reserved(m_cells, -1),
          m_g(m_cells * 4, 0), m_seen(m_cells * 4, 0), m_parent(m_cells * 4, -1) {}

    Routing run() {
        for (const PageBox& b : m_p.obstacles)
            block(b, symbol_margin);
        for (const PageBox& b : m_p.tanks)
            block(b, tank_margin);
        for (std::size_t t = 0; t < m_p.tanks.size(); ++t)
            add_terminals(static_cast<int>(t));
        m_ports.resize(m_p.legs.size(), -1);
        for (std::size_t i = 0; i < m_p.legs.size(); ++i) {
            m_ports[i] = port(m_p.legs[i]);
            if (m_ports[i] < 0)
                continue;
            // The port stays free for this leg, so that no other line can shut it in.
            m_reserved[static_cast<std::size_t>(m_ports[i])] = static_cast<int>(i);
        }
        m_out.legs.resize(m_p.legs.size());
        m_paths.resize(m_p.legs.size());
        for (std::size_t i = 0; i < m_p.legs.size(); ++i)
            route(i);
        return std::move(m_out);
    }

private:
    [[nodiscard]] PagePoint centre(int c) const {
        return {m_p.area.x + cell_mm / 2 + cell_mm * (c % m_cols),
                m_p.area.y + cell_mm / 2 + cell_mm * (c / m_cols)};
    }
    [[nodiscard]] int col_at(double x) const {
        return static_cast<int>(std::floor((x - m_p.area.x) / cell_mm));
    }
    [[nodiscard]] int row_at(double y) const {
        return static_cast<int>(std::floor((y - m_p.area.y) / cell_mm));
    }

    // First and last column (row) whose centre lies in [lo, hi].
    [[nodiscard]] std::pair<int, int> span(double lo, double hi, double origin, int n) const {
        const int a = std::max(0, static_cast<int>(std::ceil((lo - origin - cell_mm / 2) / cell_mm)));
        const int b = std::min(n - 1, static_cast<int>(std::floor((hi - origin - cell_mm / 2) / cell_mm)));
        return {a, b};
    }

    void block(const PageBox& b, double margin) {
        const auto [c0, c1] = span(b.x - margin, b.x + b.w + margin, m_p.area.x, m_cols);
        const auto [r0, r1] = span(b.y - margin, b.y + b.h + margin, m_p.area.y, m_rows);
        for (int r = r0; r <= r1; ++r)
            for (int c = c0; c <= c1; ++c)
                m_blocked[static_cast<std::size_t>(r * m_cols + c)] = 1;
    }

    // Cells just outside a tank from which a straight run enters it: side 0 top, 1 right, 2 bottom,
    // 3 left (the direction of the run into the tank is the opposite one).
    void add_terminals(int t) {
        const PageBox& b = m_p.tanks[static_cast<std::size_t>(t)];
        auto mark = [&](int c, int r, int side) {
            if (c < 0 || r < 0 || c >= m_cols || r >= m_rows)
                return;
            const auto k = static_cast<std::size_t>(r * m_cols + c);
            if (m_blocked[k] || m_terminal_tank[k] >= 0)
                return;
            m_terminal_tank[k] = t;
            m_terminal_side[k] = static_cast<std::uint8_t>(side);
        };
        const auto [c0, c1] = span(b.x + 1.5, b.x + b.w - 1.5, m_p.area.x, m_cols);
        const auto [r0, r1] = span(b.y + 1.5, b.y + b.h - 1.5, m_p.area.y, m_rows);
        const int above = span(-1e9, b.y - tank_margin - 1e-6, m_p.area.y, m_rows).second;
        const int below = span(b.y + b.h + tank_margin + 1e-6, 1e9, m_p.area.y, m_rows).first;
        const int left = span(-1e9, b.x - tank_margin - 1e-6, m_p.area.x, m_cols).second;
        const int right = span(b.x + b.w + tank_margin + 1e-6, 1e9, m_p.area.x, m_cols).first;
        for (int c = c0; c <= c1; ++c) {
            mark(c, above, 0);
            mark(c, below, 2);
        }
        for (int r = r0; r <= r1; ++r) {
            mark(right, r, 1);
            mark(left, r, 3);
        }
    }

    // The free cell just outside the nozzle's outer edge where its line starts; -1 when none.
    [[nodiscard]] int port(const RoutingProblem::Leg& leg) const {
        const PageBox& b = leg.nozzle;
        const double x = b.x + b.w * (leg.slot + 1) / (leg.slots + 1);
        const int c = col_at(x);
        const int r = leg.top ? span(-1e9, b.y - symbol_margin - 1e-6, m_p.area.y, m_rows).second
                              : span(b.y + b.h + symbol_margin + 1e-6, 1e9, m_p.area.y, m_rows).first;
        if (c < 0 || r < 0 || c >= m_cols || r >= m_rows)
            return -1;
        const double cx = centre(r * m_cols + c).x;
        if (cx <= b.x + 0.3 || cx >= b.x + b.w - 0.3)
            return -1;
        return r * m_cols + c;
    }

    // Where a straight run from cell centre p in direction d first meets the tank capsule.
    [[nodiscard]] static PagePoint tank_entry(const PageBox& b, PagePoint p, int side) {
        const double r = std::min(b.w, b.h) / 2;
        const double cx = b.x + b.w / 2;
        if (side == 0 || side == 2) {
            const double ox = std::clamp(p.x - cx, -r, r);
            const double lift = r - std::sqrt(r * r - ox * ox);
            return {p.x, side == 0 ? b.y + lift : b.y + b.h - lift};
        }
        double oy = 0;
        if (p.y < b.y + r)
            oy = b.y + r - p.y;
        else if (p.y > b.y + b.h - r)
            oy = p.y - (b.y + b.h - r);
        oy = std::min(oy, r);
        const double in = r - std::sqrt(r * r - oy * oy);
        return {side == 3 ? b.x + in : b.x + b.w - in, p.y};
    }

    struct Found {
        std::vector<int> cells; // port first, goal last
        bool joined = false;
    };

    // A* from the port; goal: a cell of a line of this tank, or a terminal of the tank.
    [[nodiscard]] bool search(std::size_t leg, bool forced, Found& found) {
        const RoutingProblem::Leg& L = m_p.legs[leg];
        const int tank = static_cast<int>(L.tank);
        const PageBox& tb = m_p.tanks[L.tank];
        const int start = m_ports[leg];
        ++m_stamp;
        auto h = [&](int c) {
            const PagePoint q = centre(c);
            const double ddx = std::max({tb.x - q.x, 0.0, q.x - (tb.x + tb.w)});
            const double ddy = std::max({tb.y - q.y, 0.0, q.y - (tb.y + tb.h)});
            return static_cast<int>((ddx + ddy) / cell_mm) * step_cost * heuristic_weight / 2;
        };
        using Entry = std::tuple<int, int, int>; // f, g, state (min-heap: smallest first)
        std::priority_queue<Entry, std::vector<Entry>, std::greater<>> open;
        const int d0 = L.top ? 0 : 2;
        const int s0 = start * 4 + d0;
        m_seen[static_cast<std::size_t>(s0)] = m_stamp;
        m_g[static_cast<std::size_t>(s0)] = 0;
        m_parent[static_cast<std::size_t>(s0)] = -1;
        open.emplace(h(start), 0, s0);
        int goal = -1;
        while (!open.empty()) {
            const auto [f, g, s] = open.top();
            open.pop();
            if (g != m_g[static_cast<std::size_t>(s)])
                continue; // stale entry
            const int c = s / 4, d = s % 4;
            const auto ck = static_cast<std::size_t>(c);
            if (c != start &&
                (m_owner[ck] == tank || (m_terminal_tank[ck] == tank && m_owner[ck] == free_cell))) {
                goal = s;
                break;
            }
            const bool crossing_here = m_owner[ck] != free_cell && m_owner[ck] != tank && c != start;
            const int col = c % m_cols, row = c / m_cols;
            for (int nd = 0; nd < 4; ++nd) {
                if (nd == (d + 2) % 4 || (crossing_here && nd != d))
                    continue;
                const int nc = col + dx[nd], nr = row + dy[nd];
                if (nc < 0 || nr < 0 || nc >= m_cols || nr >= m_rows)
                    continue;
                const int n = nr * m_cols + nc;
                const auto nk = static_cast<std::size_t>(n);
                int cost = step_cost + (nd != d ? bend_cost : 0);
                if (m_blocked[nk] && m_terminal_tank[nk] != tank) {
                    if (!forced)
                        continue;
                    cost += forced_cost;
                }
                // Other legs' ports, and the ends of other tanks (lines run along their sides
                // but never across the cells from which their own lines enter top or bottom).
                const bool other_end =
                    m_terminal_tank[nk] >= 0 && m_terminal_tank[nk] != tank && m_terminal_side[nk] % 2 == 0;
                if ((m_reserved[nk] >= 0 && m_reserved[nk] != static_cast<int>(leg)) || other_end) {
                    if (!forced)
                        continue;
                    cost += forced_cost;
                }
                const int owner = m_owner[nk];
                if (owner != free_cell && owner != tank) {
                    const std::uint8_t across = (nd % 2 == 0) ? horizontal : vertical;
                    if (owner == shared_cell || m_flags[nk] != across) {
                        if (!forced)
                            continue;
                        cost += forced_cost;
                    } else {
                        cost += cross_cost;
                    }
                }
                if (m_terminal_tank[nk] == tank && owner != tank)
                    cost += tank_entry_cost;
                const int ng = g + cost;
                const int ns = n * 4 + nd;
                const auto nsk = static_cast<std::size_t>(ns);
                if (m_seen[nsk] == m_stamp && m_g[nsk] <= ng)
                    continue;
                m_seen[nsk] = m_stamp;
                m_g[nsk] = ng;
                m_parent[nsk] = s;
                open.emplace(ng + h(n), ng, ns);
            }
        }
        if (goal < 0)
            return false;
        found.cells.clear();
        for (int s = goal; s >= 0; s = m_parent[static_cast<std::size_t>(s)])
            found.cells.push_back(s / 4);
        std::reverse(found.cells.begin(), found.cells.end());
        found.joined = m_owner[static_cast<std::size_t>(found.cells.back())] == tank;
        return true;
    }

    static void append(std::vector<PagePoint>& pts, PagePoint p) {
        // Drop the middle of three collinear points (axis-parallel runs only).
        if (pts.size() >= 2) {
            const PagePoint& a = pts[pts.size() - 2];
            const PagePoint& b = pts.back();
            const bool same_x = std::fabs(a.x - b.x) < 1e-9 && std::fabs(b.x - p.x) < 1e-9;
            const bool same_y = std::fabs(a.y - b.y) < 1e-9 && std::fabs(b.y - p.y) < 1e-9;
            if (same_x || same_y) {
                pts.back() = p;
                return;
            }
        }
        if (!pts.empty() && std::fabs(pts.back().x - p.x) < 1e-9 && std::fabs(pts.back().y - p.y) < 1e-9)
            return;
        pts.push_back(p);
    }

    void route(std::size_t i) {
        const RoutingProblem::Leg& L = m_p.legs[i];
        const int tank = static_cast<int>(L.tank);
        RoutedLeg& out = m_out.legs[i];
        Found found;
        const bool ok =
            m_ports[i] >= 0 && (search(i, false, found) || (out.clear = false, search(i, true, found)));
        if (!ok) {
            // No port inside the map area: a straight line, counted as unrouted.
            out.clear = false;
            ++m_out.unrouted;
            const PageBox& t = m_p.tanks[L.tank];
            const PagePoint a{L.nozzle.x + L.nozzle.w / 2, L.top ? L.nozzle.y : L.nozzle.y + L.nozzle.h};
            out.points = {a, {t.x + t.w / 2, t.y + t.h / 2}};
            out.branch = out.points;
            return;
        }
        if (!out.clear)
            ++m_out.unrouted;
        const std::vector<int>& cells = found.cells;
        // Occupy the cells: direction flags, corners and ends as nodes; crossings become shared.
        for (std::size_t k = 0; k < cells.size(); ++k) {
            const auto ck = static_cast<std::size_t>(cells[k]);
            if (k + 1 == cells.size() && found.joined) {
                m_flags[ck] |= node;
                break;
            }
            std::uint8_t f = 0;
            auto dir = [&](int a, int b) { return (b - a == 1 || a - b == 1) ? horizontal : vertical; };
            const std::uint8_t in = k > 0 ? dir(cells[k - 1], cells[k]) : vertical;
            const std::uint8_t outd = k + 1 < cells.size() ? dir(cells[k], cells[k + 1]) : in;
            f = static_cast<std::uint8_t>(in | outd);
            if (k == 0 || k + 1 == cells.size() || in != outd)
                f |= node;
            if (m_owner[ck] != free_cell && m_owner[ck] != tank) {
                ++m_out.crossings;
                m_owner[ck] = shared_cell;
                m_flags[ck] |= f;
                continue;
            }
            m_owner[ck] = tank;
            m_flags[ck] |= f;
            if (m_tree_leg[ck] < 0) {
                m_tree_leg[ck] = static_cast<int>(i);
                m_tree_pos[ck] = static_cast<int>(k);
            }
        }
        // The polyline: nozzle edge, cell centres, then the tank entry or the shared remainder.
        std::vector<PagePoint>& pts = out.points;
        const PagePoint first = centre(cells.front());
        append(pts, {first.x, L.top ? L.nozzle.y : L.nozzle.y + L.nozzle.h});
        for (int c : cells)
            append(pts, centre(c));
        Path& path = m_paths[i];
        path.cells = cells;
        const auto last = static_cast<std::size_t>(cells.back());
        if (found.joined) {
            out.joined = true;
            out.junction = centre(cells.back());
            out.branch = pts;
            const int j = m_tree_leg[last];
            const Path& other = m_paths[static_cast<std::size_t>(j)];
            for (std::size_t k = static_cast<std::size_t>(m_tree_pos[last]) + 1; k < other.cells.size();
                 ++k) {
                append(pts, centre(other.cells[k]));
                path.cells.push_back(other.cells[k]);
            }
            path.end = other.end;
        } else {
            path.end = tank_entry(m_p.tanks[L.tank], centre(cells.back()), m_terminal_side[last]);
            out.branch = pts;
            append(out.branch, path.end);
        }
        append(pts, path.end);
    }

    struct Path {
        std::vector<int> cells; // the whole way to the tank
        PagePoint end;          // on the tank outline
    };

    const RoutingProblem& m_p;
    int m_cols, m_rows;
    std::size_t m_cells;
    std::vector<std::uint8_t> m_blocked;
    std::vector<int> m_owner;
    std::vector<std::uint8_t> m_flags;
    std::vector<int> m_tree_leg, m_tree_pos;
    std::vector<int> m_terminal_tank;
    std::vector<std::uint8_t> m_terminal_side;
    std::vector<int> m_reserved;
    std::vector<int> m_g;
    std::vector<std::uint32_t> m_seen;
    std::vector<int> m_parent;
    std::uint32_t m_stamp = 0;
    std::vector<int> m_ports;
    std::vector<Path> m_paths;
    Routing m_out;
};

} // namespace

Routing route_supply_lines(const RoutingProblem& problem) {
    Routing best = Router(problem).run();
    // Legs that found no free path go first in another try (twice at most); the best result wins:
    // fewest unrouted legs, then fewest crossings, then the earlier try.
    std::vector<std::size_t> order(problem.legs.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    Routing last = best;
    for (int attempt = 0; attempt < 2 && last.unrouted > 0; ++attempt) {
        // last.legs[k] is the leg at position k of the last order.
        std::vector<std::size_t> next;
        for (std::size_t k = 0; k < order.size(); ++k)
            if (!last.legs[k].clear)
                next.push_back(order[k]);
        for (std::size_t k = 0; k < order.size(); ++k)
            if (last.legs[k].clear)
                next.push_back(order[k]);
        order = std::move(next);
        RoutingProblem retry = problem;
        for (std::size_t k = 0; k < order.size(); ++k)
            retry.legs[k] = problem.legs[order[k]];
        Routing routed = Router(retry).run();
        Routing back = routed;
        for (std::size_t k = 0; k < order.size(); ++k)
            back.legs[order[k]] = routed.legs[k];
        if (back.unrouted < best.unrouted ||
            (back.unrouted == best.unrouted && back.crossings < best.crossings))
            best = back;
        last = std::move(routed);
    }
    return best;
}

} // namespace fuelmap::detail
