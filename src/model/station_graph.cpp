// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/station_graph.hpp>

#include <algorithm>
#include <map>

namespace fuelmap {

StationGraph::StationGraph(const Site& site) {
    for (const Tank& t : site.tanks)
        add_tank(t);
    for (const Nozzle& n : site.nozzles)
        add_nozzle(n);
    for (const Nozzle& n : site.nozzles)
        for (const SupplyLeg& leg : n.supply)
            add_supply(leg.tank_no, n.nozzle_no, leg.fraction);
    // Tanks of one manifold group are linked in a chain; connectivity is what matters.
    std::map<std::string, std::vector<std::string>> groups;
    for (const Tank& t : site.tanks)
        if (!t.manifold_group.empty())
            groups[t.manifold_group].push_back(t.tank_no);
    for (const auto& [group, members] : groups)
        for (std::size_t i = 1; i < members.size(); ++i)
            add_manifold(members[i - 1], members[i]);
}

StationGraph::Vertex StationGraph::add_tank(const Tank& tank) {
    if (m_tanks.count(tank.tank_no))
        throw InputError({.feature = tank.tank_no, .field = "tank_no"},
                         "duplicate tank number '" + tank.tank_no + "'");
    Vertex v = boost::add_vertex(StationVertex{ElementKind::tank, tank.tank_no, tank.grade}, m_graph);
    m_tanks.emplace(tank.tank_no, v);
    return v;
}

StationGraph::Vertex StationGraph::add_nozzle(const Nozzle& nozzle) {
    if (m_nozzles.count(nozzle.nozzle_no))
        throw InputError({.feature = nozzle.nozzle_no, .field = "nozzle_no"},
                         "duplicate nozzle number '" + nozzle.nozzle_no + "'");
    Vertex v = boost::add_vertex(StationVertex{ElementKind::nozzle, nozzle.nozzle_no, nozzle.grade}, m_graph);
    m_nozzles.emplace(nozzle.nozzle_no, v);
    m_nozzle_order.push_back(v);
    return v;
}

StationGraph::Vertex StationGraph::tank_vertex(std::string_view tank_no) const {
    auto it = m_tanks.find(std::string(tank_no));
    if (it == m_tanks.end())
        throw InputError({.feature = std::string(tank_no), .field = "tank_no"},
                         "unknown tank '" + std::string(tank_no) + "'");
    return it->second;
}

StationGraph::Vertex StationGraph::nozzle_vertex(std::string_view nozzle_no) const {
    auto it = m_nozzles.find(std::string(nozzle_no));
    if (it == m_nozzles.end())
        throw InputError({.feature = std::string(nozzle_no), .field = "nozzle_no"},
                         "unknown nozzle '" + std::string(nozzle_no) + "'");
    return it->second;
}

void StationGraph::add_supply(std::string_view tank_no, std::string_view nozzle_no, double fraction) {
    boost::add_edge(tank_vertex(tank_no), nozzle_vertex(nozzle_no), StationEdge{LinkKind::supply, fraction},
                    m_graph);
}

void StationGraph::add_manifold(std::string_view tank_a, std::string_view tank_b) {
    Vertex a = tank_vertex(tank_a);
    Vertex b = tank_vertex(tank_b);
    boost::add_edge(a, b, StationEdge{LinkKind::manifold, 1.0}, m_graph);
    boost::add_edge(b, a, StationEdge{LinkKind::manifold, 1.0}, m_graph);
}

std::vector<SupplyLeg> StationGraph::tanks_feeding(std::string_view nozzle_no) const {
    std::vector<SupplyLeg> legs;
    for (auto [it, end] = boost::in_edges(nozzle_vertex(nozzle_no), m_graph); it != end; ++it)
        if (m_graph[*it].kind == LinkKind::supply)
            legs.push_back({m_graph[boost::source(*it, m_graph)].number, m_graph[*it].fraction});
    return legs;
}

std::vector<std::string> StationGraph::nozzles_fed_by(std::string_view tank_no) const {
    std::vector<Vertex> fed;
    for (auto [it, end] = boost::out_edges(tank_vertex(tank_no), m_graph); it != end; ++it)
        if (m_graph[*it].kind == LinkKind::supply)
            fed.push_back(boost::target(*it, m_graph));
    // vecS vertex descriptors grow in insertion order, which is registry order for nozzles.
    std::sort(fed.begin(), fed.end());
    fed.erase(std::unique(fed.begin(), fed.end()), fed.end());
    std::vector<std::string> numbers;
    numbers.reserve(fed.size());
    for (Vertex v : fed)
        numbers.push_back(m_graph[v].number);
    return numbers;
}

std::vector<std::string> StationGraph::manifold_group(std::string_view tank_no) const {
    std::vector<Vertex> stack{tank_vertex(tank_no)};
    std::vector<bool> seen(boost::num_vertices(m_graph), false);
    seen[stack.front()] = true;
    std::vector<std::string> group;
    while (!stack.empty()) {
        Vertex v = stack.back();
        stack.pop_back();
        group.push_back(m_graph[v].number);
        for (auto [it, end] = boost::out_edges(v, m_graph); it != end; ++it) {
            Vertex w = boost::target(*it, m_graph);
            if (m_graph[*it].kind == LinkKind::manifold && !seen[w]) {
                seen[w] = true;
                stack.push_back(w);
            }
        }
    }
    std::sort(group.begin(), group.end());
    return group;
}

std::vector<std::string> StationGraph::nozzles_labelled(std::string_view grade) const {
    std::vector<std::string> numbers;
    for (Vertex v : m_nozzle_order)
        if (m_graph[v].grade == grade)
            numbers.push_back(m_graph[v].number);
    return numbers;
}

std::optional<StationGraph::Vertex> StationGraph::find_tank(std::string_view tank_no) const {
    auto it = m_tanks.find(std::string(tank_no));
    return it == m_tanks.end() ? std::nullopt : std::optional<Vertex>(it->second);
}

std::optional<StationGraph::Vertex> StationGraph::find_nozzle(std::string_view nozzle_no) const {
    auto it = m_nozzles.find(std::string(nozzle_no));
    return it == m_nozzles.end() ? std::nullopt : std::optional<Vertex>(it->second);
}

} // namespace fuelmap
