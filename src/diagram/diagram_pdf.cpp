// SPDX-License-Identifier: MIT
// PDF writer: the drawing model through cairo's PDF surface, one page per DiagramPage. Text goes
// through cairo's fontconfig/FreeType path with Noto Sans CJK SC, which cairo subsets and embeds
// with a ToUnicode map, so Chinese renders in any viewer and pdftotext extracts it.
#include "util/temp_file.hpp"
#include "util/write_error.hpp"

#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>

#include <cairo-pdf.h>
#include <cairo.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>

namespace fuelmap {

namespace {

constexpr double points_per_mm = 72.0 / 25.4;
constexpr const char* font_family = "Noto Sans CJK SC";

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};

void set_colour(cairo_t* cr, Rgb c, double opacity) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, opacity);
}

void rounded_rect(cairo_t* cr, const PageBox& b, double r) {
    r = std::min(r, std::min(b.w, b.h) / 2);
    if (r <= 0) {
        cairo_rectangle(cr, b.x, b.y, b.w, b.h);
        return;
    }
    const double pi = std::numbers::pi;
    cairo_new_sub_path(cr);
    cairo_arc(cr, b.x + b.w - r, b.y + r, r, -pi / 2, 0);
    cairo_arc(cr, b.x + b.w - r, b.y + b.h - r, r, 0, pi / 2);
    cairo_arc(cr, b.x + r, b.y + b.h - r, r, pi / 2, pi);
    cairo_arc(cr, b.x + r, b.y + r, r, pi, 3 * pi / 2);
    cairo_close_path(cr);
}

// Fills and strokes the current path as the item says.
void paint(cairo_t* cr, const DiagramItem& i) {
    if (i.fill) {
        set_colour(cr, *i.fill, i.opacity);
        if (i.stroke)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (i.stroke) {
        set_colour(cr, *i.stroke, i.opacity);
        cairo_set_line_width(cr, i.stroke_width);
        if (i.dash > 0) {
            const double d[2] = {i.dash, i.dash * 0.7};
            cairo_set_dash(cr, d, 2, 0);
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
    }
    cairo_new_path(cr);
}

void draw_text(cairo_t* cr, const DiagramItem& i, PagePoint at) {
    cairo_select_font_face(cr, font_family, CAIRO_FONT_SLANT_NORMAL,
                           i.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, i.font_size);
    double x = at.x;
    if (i.anchor != TextAnchor::start) {
        cairo_text_extents_t e;
        cairo_text_extents(cr, i.text.c_str(), &e);
        x -= i.anchor == TextAnchor::middle ? e.x_advance / 2 : e.x_advance;
    }
    set_colour(cr, i.fill ? *i.fill : Rgb{}, 1.0);
    cairo_move_to(cr, x, at.y);
    cairo_show_text(cr, i.text.c_str());
    cairo_new_path(cr);
}

void draw_page(cairo_t* cr, const DiagramPage& page) {
    cairo_save(cr);
    cairo_scale(cr, points_per_mm, points_per_mm);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (const DiagramItem& i : page.items) {
        switch (i.kind) {
        case ItemKind::line:
            cairo_move_to(cr, i.points[0].x, i.points[0].y);
            cairo_line_to(cr, i.points[1].x, i.points[1].y);
            paint(cr, i);
            break;
        case ItemKind::polyline:
        case ItemKind::polygon:
            for (std::size_t k = 0; k < i.points.size(); ++k)
                (k ? cairo_line_to : cairo_move_to)(cr, i.points[k].x, i.points[k].y);
            if (i.kind == ItemKind::polygon)
                cairo_close_path(cr);
            paint(cr, i);
            break;
        case ItemKind::rect:
            rounded_rect(cr, i.box, i.radius);
            paint(cr, i);
            break;
        case ItemKind::circle:
            cairo_new_sub_path(cr);
            cairo_arc(cr, i.points[0].x, i.points[0].y, i.radius, 0, 2 * std::numbers::pi);
            paint(cr, i);
            break;
        case ItemKind::text:
            draw_text(cr, i, i.points[0]);
            break;
        case ItemKind::label: {
            DiagramItem box;
            box.fill = Rgb{255, 255, 255};
            box.stroke = i.stroke;
            box.stroke_width = i.stroke_width;
            rounded_rect(cr, i.box, 0.6);
            paint(cr, box);
            draw_text(cr, i, i.points[0]);
            break;
        }
        case ItemKind::group:
        case ItemKind::end_group:
            break; // structure for SVG readers only
        }
    }
    cairo_restore(cr);
}

} // namespace

void write_pdf(std::span<const DiagramPage> pages, const std::filesystem::path& path) {
    detail::TempFile temp(path);
    // cairo writes through this file, so that a failed write (a full disk) is seen here: cairo's own
    // file output does not report a failed close, and a truncated PDF would be put in place.
    struct Sink {
        std::FILE* file = nullptr;
        int error = 0;
    } sink;
    sink.file = std::fopen(temp.path().c_str(), "wb");
    if (sink.file == nullptr)
        throw InputError({.file = path.string()},
                         "cannot write the PDF: " + detail::write_error_message(errno));
    const auto write = [](void* closure, const unsigned char* data, unsigned int length) {
        auto* out = static_cast<Sink*>(closure);
        errno = 0;
        if (out->error == 0 && std::fwrite(data, 1, length, out->file) != length)
            out->error = errno == 0 ? EIO : errno;
        return out->error == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
    };
    const double w = pages.empty() ? 297.0 : pages.front().width_mm;
    const double h = pages.empty() ? 210.0 : pages.front().height_mm;
    cairo_status_t status = CAIRO_STATUS_SUCCESS;
    {
        std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
            cairo_pdf_surface_create_for_stream(write, &sink, w * points_per_mm, h * points_per_mm));
        status = cairo_surface_status(surface.get());
        if (status == CAIRO_STATUS_SUCCESS) {
            // No creation date: the same pages give the same bytes.
            cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "fuelmap diagram");
            cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, "");
            if (!pages.empty())
                cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                               pages.front().title.c_str());
            std::unique_ptr<cairo_t, ContextDeleter> cr(cairo_create(surface.get()));
            for (const DiagramPage& page : pages) {
                cairo_pdf_surface_set_size(surface.get(), page.width_mm * points_per_mm,
                                           page.height_mm * points_per_mm);
                draw_page(cr.get(), page);
                cairo_show_page(cr.get());
            }
            cr.reset();
            cairo_surface_finish(surface.get());
            status = cairo_surface_status(surface.get());
        }
    }
    errno = 0;
    if (std::fflush(sink.file) != 0 && sink.error == 0)
        sink.error = errno == 0 ? EIO : errno;
    errno = 0;
    if (std::fclose(sink.file) != 0 && sink.error == 0)
        sink.error = errno == 0 ? EIO : errno;
    if (sink.error != 0)
        throw InputError({.file = path.string()},
                         "cannot write the PDF: " + detail::write_error_message(sink.error));
    if (status != CAIRO_STATUS_SUCCESS)
        throw InputError({.file = path.string()},
                         std::string("cannot write the PDF: ") + cairo_status_to_string(status));
    std::error_code ec;
    temp.commit(ec);
    if (ec)
        throw InputError({.file = path.string()}, "cannot write the PDF: " + ec.message());
}

} // namespace fuelmap
