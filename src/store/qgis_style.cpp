// SPDX-License-Identifier: MIT
// The QML styles and the QGIS project of a registry. The XML is the subset QGIS 3.22 writes itself
// (QGIS fills in every option left out with its default); the project's frame is the template
// data/qgis/registry_project.qgs, compiled in.
#include "store/qgis_style.hpp"

#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/site.hpp>

#include "util/text.hpp"


#include <array>
#include <charconv>
#include <utility>

namespace fuelmap::detail {

extern const char* const qgis_project_template; // generated from data/qgis/registry_project.qgs

namespace {

constexpr const char* qgis_version = "3.22.16-Białowieża";
constexpr const char* label_font = "Noto Sans CJK SC"; // station names are Chinese

using ValueMap = std::vector<std::pair<std::string, std::string>>; // shown text → stored value

// How a layer is drawn and edited.
struct LayerLook {
    const char* name;
    const char* geometry;    // QGIS geometry type name; nullptr: a table without geometry
    const char* description; // layer_styles.description
    enum class Symbol { none, station, site, tank, dispenser, nozzle } symbol;
    const char* label_field; // nullptr: no labels
    double label_size;       // points
    bool label_at_any_scale; // else only closer than 1:10,000 (site scale)
};

// Bottom to top: the order QGIS draws them in is the reverse of the layer tree's.
constexpr std::array<LayerLook, 7> looks = {{
    {"stations", "Point", "fuelmap: stations labelled by name", LayerLook::Symbol::station, "name", 9.0,
     true},
    {"nozzles", "Point", "fuelmap: nozzles coloured by grade, numbered", LayerLook::Symbol::nozzle,
     "nozzle_no", 7.0, false},
    {"dispensers", "Point", "fuelmap: dispensers, numbered", LayerLook::Symbol::dispenser, "dispenser_no",
     7.0, false},
    {"tanks", "Point", "fuelmap: tanks coloured by grade, numbered", LayerLook::Symbol::tank, "tank_no", 8.0,
     false},
    {"sites", "Polygon", "fuelmap: site outlines", LayerLook::Symbol::site, nullptr, 0.0, false},
    {"supplies", nullptr, "fuelmap: declared supplies (nozzle → tank legs)", LayerLook::Symbol::none, nullptr,
     0.0, false},
    {"grades", nullptr, "fuelmap: the grade table", LayerLook::Symbol::none, nullptr, 0.0, false},
}};

// Relations: id, name, referencing (child) layer, referenced (parent) layer, the key fields (child
// field = parent field, the same names on both sides).
struct RelationSpec {
    const char* id;
    const char* name;
    const char* child;
    const char* parent;
    std::vector<const char*> fields;
};

const std::vector<RelationSpec>& relation_specs() {
    static const std::vector<RelationSpec> specs = {
        {"fuelmap_station_tanks", "station → tanks", "tanks", "stations", {"station_id"}},
        {"fuelmap_station_dispensers", "station → dispensers", "dispensers", "stations", {"station_id"}},
        {"fuelmap_station_nozzles", "station → nozzles", "nozzles", "stations", {"station_id"}},
        {"fuelmap_station_site", "station → site outline", "sites", "stations", {"station_id"}},
        {"fuelmap_dispenser_nozzles",
         "dispenser → nozzles",
         "nozzles",
         "dispensers",
         {"station_id", "dispenser_no"}},
        {"fuelmap_nozzle_supplies", "nozzle → supplies", "supplies", "nozzles", {"station_id", "nozzle_no"}},
        {"fuelmap_tank_supplies",
         "tank → supplies (the nozzles it feeds)",
         "supplies",
         "tanks",
         {"station_id", "tank_no"}},
    };
    return specs;
}

// Field aliases shown in QGIS forms and attribute tables (English and Chinese).
const std::vector<std::pair<const char*, const char*>>& aliases() {
    static const std::vector<std::pair<const char*, const char*>> a = {
        {"station_id", "station id 站点编号"},
        {"name", "name 名称"},
        {"operator", "operator 经营单位"},
        {"brand", "brand 品牌"},
        {"ownership", "ownership 类型"},
        {"address", "address 地址"},
        {"status", "status 状态"},
        {"tank_no", "tank no. 罐号"},
        {"grade", "grade 油品"},
        {"capacity_l", "capacity (L) 容量"},
        {"manifold_group", "manifold group 连通组"},
        {"dispenser_no", "dispenser no. 加油机号"},
        {"nozzle_no", "nozzle no. 枪号"},
        {"fuelling_point", "fuelling point 加油位"},
        {"fraction", "fraction 比例"},
        {"leg", "leg 支路"},
        {"family", "family 类别"},
    };
    return a;
}

std::string layer_id(std::string_view layer) {
    return "fuelmap_" + std::string(layer);
}

std::string rgba(Rgb c) {
    return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ",255";
}

std::string number(double v) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : "0";
}

std::string option(std::string_view name, std::string_view value) {
    return "<Option name=\"" + xml_escape(name) + "\" value=\"" + xml_escape(value) + "\" type=\"QString\"/>";
}

// ----- symbols -----

constexpr Rgb outline_grey{35, 35, 35};
constexpr Rgb station_blue{23, 63, 120};
constexpr Rgb dispenser_grey{110, 110, 110};
constexpr Rgb site_grey{90, 90, 90};
constexpr Rgb other_grade_grey{170, 170, 170};

struct Marker {
    const char* shape; // QGIS SimpleMarker names: circle, square, diamond, star, rectangle …
    double size_mm;
    Rgb fill;
    Rgb outline;
};

std::string marker_symbol(const std::string& name, const Marker& m) {
    return "<symbol name=\"" + name +
           "\" type=\"marker\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
           "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">" +
           option("name", m.shape) + option("color", rgba(m.fill)) +
           option("outline_color", rgba(m.outline)) + option("outline_style", "solid") +
           option("outline_width", "0.3") + option("outline_width_unit", "MM") +
           option("size", number(m.size_mm)) + option("size_unit", "MM") + option("angle", "0") +
           option("scale_method", "diameter") + "</Option></layer></symbol>";
}

std::string outline_symbol(const std::string& name) {
    return "<symbol name=\"" + name +
           "\" type=\"fill\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
           "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">" +
           option("style", "no") + option("color", "255,255,255,0") +
           option("outline_color", rgba(site_grey)) + option("outline_style", "dash") +
           option("outline_width", "0.5") + option("outline_width_unit", "MM") + "</Option></layer></symbol>";
}

Marker marker_of(LayerLook::Symbol s, Rgb fill) {
    switch (s) {
    case LayerLook::Symbol::station:
        return {"star", 4.5, station_blue, Rgb{255, 255, 255}};
    case LayerLook::Symbol::tank:
        return {"square", 3.6, fill, outline_grey};
    case LayerLook::Symbol::dispenser:
        return {"rectangle", 3.0, dispenser_grey, outline_grey};
    default:
        return {"circle", 2.4, fill, outline_grey};
    }
}

std::string single_renderer(const std::string& symbol) {
    return "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\" "
           "referencescale=\"-1\"><symbols>" +
           symbol + "</symbols><rotation/><sizescale/></renderer-v2>";
}

// Categories by grade: one per grade of the table, in its order, and one for any other value.
std::string grade_renderer(const GradeTable& grades, LayerLook::Symbol s) {
    std::string categories, symbols;
    std::size_t i = 0;
    for (const Grade& g : grades.all()) {
        const std::string n = std::to_string(i++);
        categories += "<category render=\"true\" value=\"" + xml_escape(g.code) + "\" label=\"" +
                      xml_escape(g.code) + "\" symbol=\"" + n + "\" type=\"string\"/>";
        symbols += marker_symbol(n, marker_of(s, grade_colour(g.code)));
    }
    const std::string n = std::to_string(i);
    categories += "<category render=\"true\" value=\"\" label=\"other grade\" symbol=\"" + n + "\"/>";
    symbols += marker_symbol(n, marker_of(s, other_grade_grey));
    return "<renderer-v2 type=\"categorizedSymbol\" attr=\"grade\" symbollevels=\"0\" forceraster=\"0\" "
           "enableorderby=\"0\" referencescale=\"-1\"><categories>" +
           categories + "</categories><symbols>" + symbols +
           "</symbols><rotation/><sizescale/></renderer-v2>";
}

std::string renderer(const LayerLook& look, const GradeTable& grades) {
    switch (look.symbol) {
    case LayerLook::Symbol::none:
        return "";
    case LayerLook::Symbol::site:
        return single_renderer(outline_symbol("0"));
    case LayerLook::Symbol::tank:
    case LayerLook::Symbol::nozzle:
        return grade_renderer(grades, look.symbol);
    default:
        return single_renderer(marker_symbol("0", marker_of(look.symbol, {})));
    }
}

std::string labeling(const LayerLook& look) {
    if (look.label_field == nullptr)
        return "";
    const bool station = look.symbol == LayerLook::Symbol::station;
    return std::string("<labeling type=\"simple\"><settings calloutType=\"simple\">"
                       "<text-style fieldName=\"") +
           look.label_field + "\" isExpression=\"0\" fontFamily=\"" + label_font + "\" fontSize=\"" +
           number(look.label_size) + "\" fontSizeUnit=\"Point\" fontWeight=\"" + (station ? "75" : "50") +
           "\" textColor=\"0,0,0,255\" textOpacity=\"1\" namedStyle=\"\" multilineHeight=\"1\">"
           "<families/><text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" "
           "bufferColor=\"255,255,255,255\" bufferOpacity=\"1\" bufferNoFill=\"1\" bufferJoinStyle=\"128\"/>"
           "</text-style><text-format multilineAlign=\"3\" wrapChar=\"\"/>"
           "<placement placement=\"0\" dist=\"1\" distUnits=\"MM\" quadOffset=\"4\" priority=\"" +
           (station ? "8" : "5") +
           "\"/><rendering drawLabels=\"1\" obstacle=\"1\" obstacleFactor=\"1\" displayAll=\"" +
           (station ? "0" : "1") + "\" scaleVisibility=\"" + (look.label_at_any_scale ? "0" : "1") +
           "\" scaleMin=\"0\" scaleMax=\"10000\" upsidedownLabels=\"0\" labelPerPart=\"0\" "
           "mergeLines=\"0\" minFeatureSize=\"0\" limitNumLabels=\"0\" maxNumLabels=\"2000\" "
           "fontLimitPixelSize=\"0\" zIndex=\"" +
           (station ? "1" : "0") + "\"/></settings></labeling>";
}

// ----- forms: value maps and aliases -----

ValueMap grade_values(const GradeTable& grades) {
    ValueMap m;
    for (const Grade& g : grades.all()) {
        const GradeFamily f = g.family;
        const char* zh = f == GradeFamily::gasoline ? "汽油" : f == GradeFamily::diesel ? "柴油" : "其他";
        m.emplace_back(g.code + " (" + zh + " " + std::string(to_string(f)) + ")", g.code);
    }
    return m;
}

// The value maps of a layer's fields: field → values.
std::vector<std::pair<std::string, ValueMap>> value_maps(std::string_view layer, const GradeTable& grades) {
    const ValueMap element_status = {{"in service 在用", "in_service"},
                                     {"out of service 停用", "out_of_service"}};
    if (layer == "stations")
        return {
            {"ownership",
             {{"major 主营单位", std::string(to_string(Ownership::major))},
              {"independent 社会加油站", std::string(to_string(Ownership::independent))},
              {"hypermarket 商超", std::string(to_string(Ownership::hypermarket))},
              {"other 其他", std::string(to_string(Ownership::other))}}},
            {"status", {{"open 营业", "open"}, {"closed 关闭", "closed"}, {"suspended 停业", "suspended"}}}};
    if (layer == "tanks") {
        ValueMap status = element_status;
        status.emplace_back("empty 空罐", "empty");
        return {{"grade", grade_values(grades)}, {"status", status}};
    }
    if (layer == "nozzles")
        return {{"grade", grade_values(grades)}, {"status", element_status}};
    if (layer == "grades")
        return {{"family",
                 {{"gasoline 汽油", std::string(to_string(GradeFamily::gasoline))},
                  {"diesel 柴油", std::string(to_string(GradeFamily::diesel))},
                  {"other 其他", std::string(to_string(GradeFamily::other))}}}};
    return {};
}

std::string field_configuration(std::string_view layer, const GradeTable& grades) {
    std::string s = "<fieldConfiguration>";
    for (const auto& [field, values] : value_maps(layer, grades)) {
        s += "<field name=\"" + field +
             "\" configurationFlags=\"None\"><editWidget type=\"ValueMap\"><config><Option type=\"Map\">"
             "<Option name=\"map\" type=\"List\">";
        for (const auto& [shown, stored] : values)
            s += "<Option type=\"Map\">" + option(shown, stored) + "</Option>";
        s += "</Option></Option></config></editWidget></field>";
    }
    s += "</fieldConfiguration><aliases>";
    for (const auto& [field, alias] : aliases())
        s += std::string("<alias field=\"") + field + "\" name=\"" + alias + "\"/>";
    return s + "</aliases>";
}

// What QML and the project's map layer share: symbols, labels, forms.
std::string layer_body(const LayerLook& look, const GradeTable& grades) {
    return renderer(look, grades) + labeling(look) + field_configuration(look.name, grades) +
           "<editorlayout>generatedlayout</editorlayout>";
}

std::string layer_attributes(const LayerLook& look) {
    return std::string(" labelsEnabled=\"") + (look.label_field != nullptr ? "1" : "0") +
           "\" hasScaleBasedVisibilityFlag=\"0\" maxScale=\"0\" minScale=\"100000000\" readOnly=\"0\"";
}

std::string qml(const LayerLook& look, const GradeTable& grades) {
    return std::string("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"") +
           qgis_version + "\" styleCategories=\"AllStyleCategories\"" + layer_attributes(look) + ">" +
           layer_body(look, grades) + "</qgis>\n";
}

// ----- SLD (for clients other than QGIS) -----

std::string sld_point_rule(const std::string& title, const std::string* grade, const Marker& m,
                           const char* label_field) {
    std::string s = "<se:Rule><se:Name>" + xml_escape(title) + "</se:Name>";
    if (grade != nullptr)
        s += "<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>grade</ogc:PropertyName><ogc:Literal>" +
             xml_escape(*grade) + "</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>";
    s += std::string("<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>") +
         (std::string_view(m.shape) == "circle" ? "circle"
          : std::string_view(m.shape) == "star" ? "star"
                                                : "square") +
         "</se:WellKnownName><se:Fill><se:SvgParameter name=\"fill\">" + to_hex(m.fill) +
         "</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name=\"stroke\">" + to_hex(m.outline) +
         "</se:SvgParameter></se:Stroke></se:Mark><se:Size>" + number(m.size_mm * 3.78) +
         "</se:Size></se:Graphic></se:PointSymbolizer>";
    if (label_field != nullptr)
        s += std::string("<se:TextSymbolizer><se:Label><ogc:PropertyName>") + label_field +
             "</ogc:PropertyName></se:Label><se:Font><se:SvgParameter name=\"font-family\">" + label_font +
             "</se:SvgParameter></se:Font></se:TextSymbolizer>";
    return s + "</se:Rule>";
}

std::string sld(const LayerLook& look, const GradeTable& grades) {
    if (look.symbol == LayerLook::Symbol::none)
        return "";
    std::string rules;
    if (look.symbol == LayerLook::Symbol::site)
        rules =
            "<se:Rule><se:Name>site outline</se:Name><se:PolygonSymbolizer><se:Stroke>"
            "<se:SvgParameter name=\"stroke\">" +
            to_hex(site_grey) +
            "</se:SvgParameter><se:SvgParameter name=\"stroke-dasharray\">5 2</se:SvgParameter></se:Stroke>"
            "</se:PolygonSymbolizer></se:Rule>";
    else if (look.symbol == LayerLook::Symbol::tank || look.symbol == LayerLook::Symbol::nozzle)
        for (const Grade& g : grades.all())
            rules += sld_point_rule(g.code, &g.code, marker_of(look.symbol, grade_colour(g.code)),
                                    look.label_field);
    else
        rules = sld_point_rule(look.name, nullptr, marker_of(look.symbol, {}), look.label_field);
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StyledLayerDescriptor version=\"1.1.0\" "
                       "xmlns=\"http://www.opengis.net/sld\" xmlns:se=\"http://www.opengis.net/se\" "
                       "xmlns:ogc=\"http://www.opengis.net/ogc\"><NamedLayer><se:Name>") +
           look.name + "</se:Name><UserStyle><se:Name>" + qgis_style_name +
           "</se:Name><se:FeatureTypeStyle>" + rules +
           "</se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>\n";
}

// ----- the project -----

constexpr const char* wgs84_srs =
    "<spatialrefsys><wkt></wkt><proj4>+proj=longlat +datum=WGS84 +no_defs</proj4><srsid>3452</srsid>"
    "<srid>4326</srid><authid>EPSG:4326</authid><description>WGS 84</description>"
    "<projectionacronym>longlat</projectionacronym><ellipsoidacronym>EPSG:7030</ellipsoidacronym>"
    "<geographicflag>true</geographicflag></spatialrefsys>";

std::string map_layer(const LayerLook& look, const GradeTable& grades, const QgisSource& source) {
    const bool spatial = look.geometry != nullptr;
    std::string s =
        std::string("<maplayer type=\"vector\" geometry=\"") + (spatial ? look.geometry : "No geometry") +
        "\" wkbType=\"" + (spatial ? look.geometry : "NoGeometry") + "\"" + layer_attributes(look) + "><id>" +
        layer_id(look.name) + "</id><datasource>" + xml_escape(source.datasource(look.name, look.geometry)) +
        "</datasource><layername>" + look.name + "</layername>";
    if (spatial)
        s += std::string("<srs>") + wgs84_srs + "</srs>";
    return s + "<provider encoding=\"UTF-8\">" + xml_escape(source.provider) + "</provider>" +
           layer_body(look, grades) + "</maplayer>";
}

std::string relations() {
    std::string s;
    for (const RelationSpec& r : relation_specs()) {
        s += std::string("<relation id=\"") + r.id + "\" name=\"" + r.name + "\" referencingLayer=\"" +
             layer_id(r.child) + "\" referencedLayer=\"" + layer_id(r.parent) +
             "\" strength=\"Association\">";
        for (const char* f : r.fields)
            s += std::string("<fieldRef referencingField=\"") + f + "\" referencedField=\"" + f + "\"/>";
        s += "</relation>\n";
    }
    return s;
}

std::string fill_template(std::string text, const std::vector<std::pair<std::string, std::string>>& fields) {
    for (const auto& [key, value] : fields) {
        const std::string mark = "{{" + key + "}}";
        for (std::size_t at = text.find(mark); at != std::string::npos;
             at = text.find(mark, at + value.size()))
            text.replace(at, mark.size(), value);
    }
    if (const std::size_t left = text.find("{{"); left != std::string::npos)
        throw Error("the QGIS project template has an unknown field at byte " + std::to_string(left));
    return text;
}

std::string project(const GradeTable& grades, const QgisSource& source, const QgisExtent& extent) {
    std::string tree, layers, order;
    for (const LayerLook& look : looks) {
        tree += std::string("<layer-tree-layer expanded=\"0\" checked=\"Qt::Checked\" id=\"") +
                layer_id(look.name) + "\" name=\"" + look.name + "\" providerKey=\"" +
                xml_escape(source.provider) + "\" source=\"" +
                xml_escape(source.datasource(look.name, look.geometry)) +
                "\"><customproperties><Option/></customproperties>" + "</layer-tree-layer>\n";
        layers += map_layer(look, grades, source) + "\n";
        order += "<layer id=\"" + layer_id(look.name) + "\"/>\n";
    }
    return fill_template(
        qgis_project_template,
        {{"title", "fuelmap registry"},
         {"wgs84", wgs84_srs},
         {"layer_tree", tree},
         {"relations", relations()},
         {"extent", "<xmin>" + number(extent.xmin) + "</xmin><ymin>" + number(extent.ymin) + "</ymin><xmax>" +
                        number(extent.xmax) + "</xmax><ymax>" + number(extent.ymax) + "</ymax>"},
         {"layers", layers},
         {"layer_order", order}});
}

} // namespace

QgisStyles make_qgis_styles(const GradeTable& grades, const QgisSource& source, const QgisExtent& extent) {
    QgisStyles out;
    for (const LayerLook& look : looks)
        out.layers.push_back({.table = look.name,
                              .geometry_column = look.geometry != nullptr ? source.geometry_column : "",
                              .qml = qml(look, grades),
                              .sld = sld(look, grades),
                              .description = look.description});
    out.project_qgs = project(grades, source, extent);
    return out;
}

} // namespace fuelmap::detail
