// SPDX-License-Identifier: MIT
/// @file diagram.hpp
/// @brief Site diagrams: a backend-independent drawing model of one station's page (or of a round's
/// overview map), computed once, then written as SVG text or as PDF pages. See docs/diagrams.md.
#pragma once

#include <fuelmap/geo.hpp>
#include <fuelmap/grade.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/site.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fuelmap {

/// Language of the drawing's own words (legend, title block, "north", "tank" …).
enum class DiagramLanguage { en, zh };

/// Parses "en" or "zh"; std::nullopt otherwise.
[[nodiscard]] std::optional<DiagramLanguage> parse_diagram_language(std::string_view s) noexcept;

/// An sRGB colour.
struct Rgb {
    std::uint8_t r = 0; ///< red
    std::uint8_t g = 0; ///< green
    std::uint8_t b = 0; ///< blue

    friend bool operator==(const Rgb&, const Rgb&) = default;
};

/// @p c written "#rrggbb" (lower case), as SVG, CSS and QGIS take it.
[[nodiscard]] std::string to_hex(Rgb c);

/// The colour of a grade, the same on every diagram: a fixed table for the built-in grades and a
/// colour derived from the SHA-256 of the code for any other grade.
[[nodiscard]] Rgb grade_colour(std::string_view grade_code);

/// A point on the page, millimetres from the top-left corner (y grows downwards).
struct PagePoint {
    double x = 0.0; ///< mm from the left edge
    double y = 0.0; ///< mm from the top edge
};

/// An axis-aligned box on the page, in millimetres.
struct PageBox {
    double x = 0.0; ///< left
    double y = 0.0; ///< top
    double w = 0.0; ///< width
    double h = 0.0; ///< height

    /// True when the two boxes share interior area (touching edges do not count).
    [[nodiscard]] bool intersects(const PageBox& o) const noexcept {
        return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
    /// This box grown by @p d on every side.
    [[nodiscard]] PageBox inflated(double d) const noexcept { return {x - d, y - d, w + 2 * d, h + 2 * d}; }
    /// True when @p o lies entirely inside this box.
    [[nodiscard]] bool contains(const PageBox& o) const noexcept {
        return o.x >= x && o.y >= y && o.x + o.w <= x + w && o.y + o.h <= y + h;
    }
};

/// What a drawing item is.
enum class ItemKind {
    line,     ///< points[0] → points[1]
    polyline, ///< open path through points
    polygon,  ///< closed path through points
    rect,     ///< box, corner radius `radius`
    circle,   ///< centre points[0], radius `radius`
    text,     ///< `text` at points[0] (baseline), anchored by `anchor`
    label,    ///< a placed label: white box `box`, centred `text`, optional leader points[0] → points[1]
    group,    ///< opens a group of the items up to the matching `end_group` (class and data only)
    end_group ///< closes the innermost open group
};

/// Horizontal text alignment about the text's point.
enum class TextAnchor { start, middle, end };

/// One thing drawn on a page. Items are drawn in order; the writers only interpret them.
struct DiagramItem {
    ItemKind kind = ItemKind::line;        ///< what it is
    std::vector<PagePoint> points;         ///< geometry (see ItemKind)
    PageBox box;                           ///< rect and label geometry
    double radius = 0.0;                   ///< circle radius, rect corner radius
    std::optional<Rgb> stroke;             ///< outline colour; none: no outline
    std::optional<Rgb> fill;               ///< fill colour; none: no fill
    double stroke_width = 0.25;            ///< mm
    double dash = 0.0;                     ///< dash length in mm; 0: solid
    double opacity = 1.0;                  ///< 0..1, stroke and fill
    std::string text;                      ///< text and label content, UTF-8
    double font_size = 3.0;                ///< mm (em size)
    bool bold = false;                     ///< bold face
    TextAnchor anchor = TextAnchor::start; ///< text alignment
    std::string css_class;                 ///< semantic class: "tank", "nozzle", "supply", "label" …
    std::vector<std::pair<std::string, std::string>> data; ///< semantic attributes (data-*)
};

/// One page of drawing, A4 landscape unless said otherwise.
struct DiagramPage {
    double width_mm = 297.0;        ///< page width
    double height_mm = 210.0;       ///< page height
    std::string title;              ///< document title (station id and name)
    std::vector<DiagramItem> items; ///< in drawing order
    int unplaced_labels = 0;        ///< labels that found no free place (drawn overlapping); 0 normally
    int line_crossings = 0;         ///< crossings of supply lines of different tanks
    int unrouted_lines = 0; ///< supply lines that found no free path (drawn through symbols); 0 normally
};

/// The plan's picks at one station, to highlight on its page.
struct DiagramPlanOverlay {
    std::string round;   ///< round name
    Selection selection; ///< the station's selection (samples, team, date)
    int stop = 0;        ///< position in the route of the day (or the team's stations), 1-based (0: none)
    int stops = 0;       ///< stops of that route
};

/// Checks that the nozzle and the claimed tanks @p selection samples are on @p site, the registry's
/// station, before its page is drawn; @p plan_file names the plan in messages.
/// @throws InputError naming @p plan_file, the element ("STATION/N3") and the field (nozzle_no or
/// claimed_tanks) of the first pick the site does not have.
void check_plan_picks(const Selection& selection, const Site& site, const std::string& plan_file);

/// What to put on a station page besides the site.
struct DiagramOptions {
    DiagramLanguage language = DiagramLanguage::en; ///< words of the drawing
    std::string date;            ///< date printed in the title block; empty: none (deterministic)
    std::string registry_digest; ///< digest shown in the title block; empty: none
    std::string digest_caption;  ///< caption for the digest (e.g. "registry file SHA-256")
};

/// Width in em of UTF-8 text in Noto Sans CJK (bold Latin advance widths; 1 em for every
/// non-ASCII character), an upper bound of the rendered width in either weight.
[[nodiscard]] double text_width_em(std::string_view utf8);

/// Lays out the page of one station: projection to the local metric frame (or an automatic layout
/// when tanks or dispensers have no position), symbols, supply and manifold lines, labels placed
/// without overlap, legend, title block, north arrow and scale bar. Pure function of its inputs.
/// @throws InputError when a supply names a tank the site does not have.
[[nodiscard]] DiagramPage layout_station(const Site& site, const GradeTable& grades,
                                         const DiagramOptions& options,
                                         const DiagramPlanOverlay* overlay = nullptr);

/// A named region polygon for overview maps (WGS84 rings; the first ring of a part is its shell).
struct DiagramRegion {
    std::string name;                         ///< region name or code
    std::vector<std::vector<GeoPoint>> rings; ///< rings, each closed or not
};

/// One station on an overview map.
struct OverviewStop {
    const Site* site = nullptr; ///< the station (must have a location)
    std::string stratum;        ///< colour key
    std::string team;           ///< team label, may be empty
};

/// How a team's routes are drawn on maps: a colour of the team palette and, for teams beyond the
/// palette, a dash length.
struct TeamStyle {
    Rgb colour;        ///< line and dot colour
    double dash = 0.0; ///< dash length of the route line in mm; 0: solid

    friend bool operator==(const TeamStyle&, const TeamStyle&) = default;
};

/// Colours in the team palette (distinguishable on white and from each other).
inline constexpr std::size_t team_palette_size = 16;

/// The style of the team at @p index (0-based, in the plan's team order T01, T02, …): colour
/// `index % team_palette_size`; teams 1–16 solid, 17–32 long dashes (2.4 mm), 33–48 short dashes
/// (1.0 mm), and so on alternating. A pure function of @p index.
[[nodiscard]] TeamStyle team_style(std::size_t index) noexcept;

/// Where the county areas under a map come from (the legend says which).
enum class BoundarySource {
    none,     ///< none given: the overview draws the convex hull of each county's stations
    layer,    ///< a county boundary layer (`diagram --boundaries`)
    synthetic ///< the county boxes `fuelmap synth` spreads its stations over
};

/// The county areas of a map.
struct MapBoundaries {
    std::vector<DiagramRegion> areas;             ///< one per county, named by the county code
    BoundarySource source = BoundarySource::none; ///< where they come from
};

/// One route (team-day) drawn on the overview map.
struct MapRoute {
    std::string team;                 ///< team name, e.g. "T01"
    std::vector<std::string> members; ///< the team's inspector ids
    std::size_t team_index = 0;       ///< the team's position in the plan's teams (its style)
    GeoPoint base;                    ///< the team's base
    std::vector<std::size_t> stops;   ///< indexes into the overview's stops, in visiting order
};

/// Lays out the overview map of a round: stops numbered in the given (route) order, over the county
/// areas of @p boundaries or, when there are none, over the convex hull of each county's stations.
/// Without @p routes the stops are coloured by stratum; with them each route is drawn from its base
/// through its stops and back in its team's style (team_style()), the stops in their team's colour,
/// and the legend lists team → colour.
/// @throws InputError when a stop's station has no location or a route names a stop that is not there.
[[nodiscard]] DiagramPage layout_overview(std::span<const OverviewStop> stops,
                                          const MapBoundaries& boundaries, std::span<const MapRoute> routes,
                                          const std::string& title, const DiagramOptions& options);

/// The overview without routes over @p regions (a boundary layer) or, when there are none, the hulls.
/// @throws InputError when a stop's station has no location.
[[nodiscard]] DiagramPage layout_overview(std::span<const OverviewStop> stops,
                                          std::span<const DiagramRegion> regions, const std::string& title,
                                          const DiagramOptions& options);

/// One team-day of a plan, for its day map.
struct DayMap {
    std::string round;              ///< round name
    Route route;                    ///< date, team, stations in visiting order, distances
    Team team;                      ///< the team (members, base)
    std::size_t team_index = 0;     ///< the team's position in the plan's teams (its style)
    std::vector<const Site*> sites; ///< the route's stations, in visiting order
    int day = 1;                    ///< this route's place among the team's routes, 1-based
    int days = 1;                   ///< the team's routes in the round
};

/// Lays out the day map of one route: the route line from the team's base through the stations in
/// visiting order and back, numbered stops labelled with the station names, the county areas of
/// @p boundaries under them; a side panel with the stops in order (id, name, address), the legend,
/// north arrow, scale bar and a title block (round, team and members, date, day, distance).
/// @throws InputError when a station has no location or @p day.sites does not match the route.
[[nodiscard]] DiagramPage layout_day_map(const DayMap& day, const MapBoundaries& boundaries,
                                         const DiagramOptions& options);

/// Reads the polygons of a GDAL vector layer (any format; reprojected to WGS84); the region name is
/// taken from @p name_field when given, else from the first string field. @throws InputError when the
/// file cannot be opened, has no field @p name_field, or holds no polygon.
[[nodiscard]] std::vector<DiagramRegion> read_regions(const std::filesystem::path& path,
                                                      const std::string& name_field = {});

/// The county boxes `fuelmap synth` placed @p sites in (docs/synth.md), one per county of the synthetic
/// regions in the prefectures of @p sites, named by county code; empty unless every site looks
/// synthetic: its id is `<county>-NNNN`, its county one of synth_regions() and its location inside
/// that county's box.
[[nodiscard]] std::vector<DiagramRegion> synthetic_county_boxes(std::span<const Site* const> sites);

/// The page as a self-contained SVG document (UTF-8, deterministic).
[[nodiscard]] std::string to_svg(const DiagramPage& page);

/// Writes the pages as one PDF (one page each) with cairo, text in Noto Sans CJK SC. The file is
/// written beside @p path as `<path>.tmp-<pid>` and renamed over it when complete.
/// @throws Error when the file cannot be written (an earlier file at @p path is then left as it was).
void write_pdf(std::span<const DiagramPage> pages, const std::filesystem::path& path);

} // namespace fuelmap
