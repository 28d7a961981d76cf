// SPDX-License-Identifier: MIT
// Building blocks of the map pages (the round overview and the day maps of a route pack): the page
// geometry, the projection of WGS84 points onto the map area, county areas clipped to it, dots
// moved apart, scale bar, north arrow and the title block of the side panel.
#pragma once

#include <fuelmap/diagram.hpp>

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace fuelmap::detail {

inline constexpr PageBox map_frame_box{8, 8, 281, 194};   ///< page frame
inline constexpr PageBox map_area_box{10, 10, 199, 178};  ///< the map, left
inline constexpr PageBox map_panel_box{213, 10, 74, 190}; ///< legend and title block, right

/// WGS84 → page millimetres for a map area: a local metric frame at the centre of the points' bounding
/// box, scaled so that every point fitted lies in the area less a margin.
class MapProjection {
public:
    /// @p points must not be empty; @p extra_local are further points (metres in the same frame, for
    /// instance county hulls grown by a margin) that must fit too.
    MapProjection(std::span<const GeoPoint> points, PageBox area, double margin_mm,
                  std::span<const LocalPoint> extra_local = {});
    /// Metres east/north of the frame's origin.
    [[nodiscard]] LocalPoint local(GeoPoint g) const noexcept { return m_frame.to_local(g); }
    /// Page position of a local point.
    [[nodiscard]] PagePoint page(LocalPoint p) const noexcept;
    /// Page position of a WGS84 point.
    [[nodiscard]] PagePoint page(GeoPoint g) const noexcept { return page(local(g)); }
    /// Paper millimetres per metre on the ground.
    [[nodiscard]] double mm_per_m() const noexcept { return m_mm_per_m; }
    /// The frame (to project points before they are fitted).
    [[nodiscard]] const LocalFrame& frame() const noexcept { return m_frame; }

    /// The frame at the centre of the bounding box of @p points (not empty).
    [[nodiscard]] static LocalFrame frame_for(std::span<const GeoPoint> points);

private:
    LocalFrame m_frame;
    PageBox m_fit;
    double m_mm_per_m = 1.0;
    double m_mx = 0.0;
    double m_my = 0.0;
};

/// @p ring clipped to @p box (Sutherland–Hodgman); empty when nothing of it lies inside.
[[nodiscard]] std::vector<PagePoint> clip_ring(const std::vector<PagePoint>& ring, const PageBox& box);

/// Draws the county areas that reach the map area as light polygons clipped to it (class "region",
/// data-name); @p dashed for areas that are not real boundaries (hulls).
void draw_areas(DiagramPage& page, std::span<const DiagramRegion> areas, const MapProjection& projection,
                bool dashed);

/// Dots of radius @p r at @p at, pushed apart until no two overlap (pairwise, half the overlap each,
/// along the line between them; ties by index) and kept inside @p area; every moved dot gets a thin
/// leader line to its true position (a small black point) on @p page. Returns the drawn positions.
[[nodiscard]] std::vector<PagePoint> spread_dots(const std::vector<PagePoint>& at, double r,
                                                 const PageBox& area, DiagramPage& page);

/// The page frame and the line between the map and the panel.
void draw_map_frame(DiagramPage& page);

/// A team base: a white square of half-side @p half with a black centre (class @p css_class).
void draw_base(DiagramPage& page, PagePoint centre, double half, const std::string& css_class);

/// The scale bar, the north arrow and the title block of a map page: @p rows, then the registry digest
/// and the printed date of @p options. Returns the top of the title block.
double draw_map_furniture(DiagramPage& page, double mm_per_m, const char* north,
                          const DiagramOptions& options,
                          std::vector<std::pair<std::string, std::string>> rows);

/// A scale bar of at most 45 mm in metres or kilometres, its left end at @p at (bar baseline).
void draw_scale_bar(DiagramPage& page, double mm_per_m, PagePoint at);

/// The north arrow in the top right corner of @p panel.
void draw_north_arrow(DiagramPage& page, const PageBox& panel, const char* north);

/// The title block at the bottom of @p panel: rows of (caption, value), the first one the title
/// (larger, bold); long values wrap. Returns the top of the block.
double draw_title_block(DiagramPage& page, const PageBox& panel,
                        const std::vector<std::pair<std::string, std::string>>& rows);

/// Black or white, whichever reads better on @p fill.
[[nodiscard]] Rgb text_colour_on(Rgb fill) noexcept;

/// Boxes of about @p step mm along the polyline @p points, as obstacles for labels.
[[nodiscard]] std::vector<PageBox> boxes_along(std::span<const PagePoint> points, double step);

} // namespace fuelmap::detail
