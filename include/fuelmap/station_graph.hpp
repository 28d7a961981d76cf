// SPDX-License-Identifier: MIT
/// @file station_graph.hpp
/// @brief A station's tanks and nozzles as a Boost.Graph: supply and manifold edges.
#pragma once

#include <fuelmap/site.hpp>

#include <boost/graph/adjacency_list.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fuelmap {

/// What a vertex of a StationGraph stands for.
enum class ElementKind { tank, nozzle };

/// Vertex bundle: a tank or a nozzle, by its painted number.
struct StationVertex {
    ElementKind kind = ElementKind::tank; ///< tank or nozzle
    std::string number;                   ///< tank_no or nozzle_no
    std::string grade;                    ///< declared (tank) or labelled (nozzle) grade
};

/// What an edge of a StationGraph stands for.
enum class LinkKind { supply, manifold };

/// Edge bundle: a declared supply (tank → nozzle, with its fraction) or a manifold link
/// (tank → tank, stored once per pair in both directions).
struct StationEdge {
    LinkKind kind = LinkKind::supply; ///< supply or manifold
    double fraction = 1.0;            ///< supply share; 1 for manifold links
};

/// The graph type: directed, with in-edges for "which tanks feed this nozzle".
using StationGraphBase =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, StationVertex, StationEdge>;

/// A station's graph: tanks and nozzles as vertices, declared supplies as tank→nozzle edges,
/// manifold groups as tank↔tank edges. Owns the number→vertex maps and refuses unknown or
/// duplicate numbers, unlike Boost's named vertices which would create missing endpoints.
class StationGraph {
public:
    using Vertex = StationGraphBase::vertex_descriptor; ///< vertex handle

    /// Empty graph.
    StationGraph() = default;
    /// Builds the graph of a site. @throws InputError on a duplicate tank or nozzle number or a
    /// supply that names an unknown tank.
    explicit StationGraph(const Site& site);

    /// Adds a tank vertex. @throws InputError when the number is already used by a tank.
    Vertex add_tank(const Tank& tank);
    /// Adds a nozzle vertex. @throws InputError when the number is already used by a nozzle.
    Vertex add_nozzle(const Nozzle& nozzle);
    /// Adds a supply edge. @throws InputError when the tank or the nozzle is unknown.
    void add_supply(std::string_view tank_no, std::string_view nozzle_no, double fraction);
    /// Links two tanks of one manifold group. @throws InputError when either is unknown.
    void add_manifold(std::string_view tank_a, std::string_view tank_b);

    /// Tank numbers feeding a nozzle, with fractions, in the order they were declared.
    /// @throws InputError when the nozzle is unknown.
    [[nodiscard]] std::vector<SupplyLeg> tanks_feeding(std::string_view nozzle_no) const;
    /// Nozzle numbers fed by a tank, in registry order. @throws InputError when unknown.
    [[nodiscard]] std::vector<std::string> nozzles_fed_by(std::string_view tank_no) const;
    /// All tanks connected to this one through manifold links, itself included, sorted.
    /// @throws InputError when unknown.
    [[nodiscard]] std::vector<std::string> manifold_group(std::string_view tank_no) const;
    /// Nozzle numbers whose label is @p grade, in registry order.
    [[nodiscard]] std::vector<std::string> nozzles_labelled(std::string_view grade) const;

    /// The vertex of a tank, if present.
    [[nodiscard]] std::optional<Vertex> find_tank(std::string_view tank_no) const;
    /// The vertex of a nozzle, if present.
    [[nodiscard]] std::optional<Vertex> find_nozzle(std::string_view nozzle_no) const;
    /// The underlying Boost graph, for algorithms.
    [[nodiscard]] const StationGraphBase& graph() const noexcept { return m_graph; }

private:
    Vertex tank_vertex(std::string_view tank_no) const;
    Vertex nozzle_vertex(std::string_view nozzle_no) const;

    StationGraphBase m_graph;
    std::unordered_map<std::string, Vertex> m_tanks;
    std::unordered_map<std::string, Vertex> m_nozzles;
    std::vector<Vertex> m_nozzle_order;
};

} // namespace fuelmap
