// SPDX-License-Identifier: MIT
// Building blocks shared by the station page and the overview map: the drawing's words in each
// language, item constructors, text wrapping, and the label placer.
#pragma once

#include <fuelmap/diagram.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// The drawing's own words.
struct DiagramWords {
    const char* tank;
    const char* nozzle;
    const char* dispenser;
    const char* island;
    const char* supply;
    const char* blend;
    const char* manifold;
    const char* legend;
    const char* grades;
    const char* symbols;
    const char* north;
    const char* station;
    const char* name;
    const char* operator_name;
    const char* address;
    const char* scale;
    const char* not_to_scale;
    const char* date_printed;
    const char* auto_layout;
    const char* crowded;
    const char* displaced;
    const char* gasoline;
    const char* diesel;
    const char* other;
    const char* sample;
    const char* tank_sample;
    const char* pick;
    const char* round;
    const char* team;
    const char* visit_date;
    const char* stop;
    const char* out_of_service;
    const char* site_outline;
    const char* site_frame;
    const char* overview;
    const char* stations;
    const char* stratum;
    const char* region;
    const char* county_hull;
    const char* route_order;
    const char* page;
    const char* supply_table;
    const char* table_nozzle;
    const char* table_grade;
    const char* table_tanks;
    const char* junction;
    const char* routes;
    const char* teams;
    const char* county_boundary;
    const char* synthetic_county;
    const char* base;
    const char* day_map;
    const char* distance;
    const char* distance_note;
    const char* day;
    const char* stop_list;
    const char* route_line;
};

/// Words of @p lang.
[[nodiscard]] const DiagramWords& words(DiagramLanguage lang);

/// Fixed-point decimal text of @p v with @p decimals digits (locale-free).
[[nodiscard]] std::string fixed(double v, int decimals);

/// @p c mixed with white: t = 0 gives c, t = 1 white.
[[nodiscard]] Rgb tint(Rgb c, double t);

constexpr Rgb black{0, 0, 0};
constexpr Rgb white{255, 255, 255};
constexpr Rgb dark_grey{64, 64, 64};
constexpr Rgb mid_grey{128, 128, 128};
constexpr Rgb light_grey{225, 225, 225};
constexpr Rgb pick_red{200, 16, 46};

[[nodiscard]] DiagramItem make_line(PagePoint a, PagePoint b, Rgb stroke, double width,
                                    std::string css_class);
[[nodiscard]] DiagramItem make_rect(PageBox box, std::optional<Rgb> stroke, std::optional<Rgb> fill,
                                    double width, std::string css_class, double radius = 0.0);
[[nodiscard]] DiagramItem make_circle(PagePoint c, double r, std::optional<Rgb> stroke,
                                      std::optional<Rgb> fill, double width, std::string css_class);
[[nodiscard]] DiagramItem make_text(PagePoint baseline, std::string text, double size, Rgb colour,
                                    TextAnchor anchor, bool bold, std::string css_class);

/// True when nozzle or tank number @p a sorts before @p b, digit runs compared as numbers
/// ("N2" < "N10"), then bytewise.
[[nodiscard]] bool number_less(std::string_view a, std::string_view b);

/// Splits @p text into lines no wider than @p width_mm at font size @p size (breaks at spaces
/// when it can, anywhere between CJK characters).
[[nodiscard]] std::vector<std::string> wrap_text(std::string_view text, double size, double width_mm);

/// Places labels one by one so that no label box overlaps another label or any obstacle, trying
/// positions around the anchor, then further out with a leader line, then a scan of the area.
class LabelPlacer {
public:
    /// Labels must stay inside @p area.
    explicit LabelPlacer(PageBox area) : m_area(area) {}
    /// Something labels must not cover.
    void add_obstacle(const PageBox& box) { m_obstacles.push_back(box); }
    /// A symbol: labels must not cover it, and leaders of requests with `leaders_clear` not cross it.
    void add_symbol(const PageBox& box) {
        m_obstacles.push_back(box);
        m_symbols.push_back(box);
    }
    /// Preferred first direction: 0 north, 1 east, 2 south, 3 west, 4 centred on the anchor.
    struct Request {
        PageBox anchor;             ///< the thing labelled
        std::string text;           ///< label text
        double size = 2.6;          ///< font size, mm
        bool bold = false;          ///< bold face
        int preferred = 0;          ///< first direction tried
        Rgb colour{0, 0, 0};        ///< text colour
        Rgb border{0, 0, 0};        ///< box outline colour (none when equal to white)
        bool round_anchor = false;  ///< the anchor is a circle inscribed in its box
        bool leaders_clear = false; ///< a place whose leader would cross a symbol is not free
        std::string css_class = "label";
        std::vector<std::pair<std::string, std::string>> data;
    };
    /// Places one label; appends the label item (and leader) to @p items. Returns false when no
    /// free place was found (the label is then drawn at its first position).
    bool place(const Request& request, std::vector<DiagramItem>& items);

private:
    [[nodiscard]] bool free(const PageBox& b) const;
    [[nodiscard]] bool leader_clear(const Request& rq, const PageBox& b) const;
    PageBox m_area;
    std::vector<PageBox> m_obstacles;
    std::vector<PageBox> m_symbols;
};

} // namespace fuelmap::detail
