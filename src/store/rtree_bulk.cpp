// SPDX-License-Identifier: MIT
#include "store/rtree_bulk.hpp"

#include <fuelmap/error.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace fuelmap::detail {

namespace {

// SQLite's rtree module stores 2-D boxes as 4-byte floats, rounded outwards so that a float box
// always contains the double box (rtreeValueDown / rtreeValueUp in rtree.c).
float round_down(double d) {
    float f = static_cast<float>(d);
    if (static_cast<double>(f) > d)
        f = std::nextafter(f, -std::numeric_limits<float>::infinity());
    return f;
}

float round_up(double d) {
    float f = static_cast<float>(d);
    if (static_cast<double>(f) < d)
        f = std::nextafter(f, std::numeric_limits<float>::infinity());
    return f;
}

// Distance of (x, y) along a Hilbert curve over a 2^16 × 2^16 grid.
std::uint64_t hilbert(std::uint32_t x, std::uint32_t y) {
    std::uint64_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        const std::uint32_t rx = (x & s) ? 1 : 0;
        const std::uint32_t ry = (y & s) ? 1 : 0;
        d += static_cast<std::uint64_t>(s) * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = 0xffff - x;
                y = 0xffff - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

void put_u16(unsigned char* p, unsigned v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
}

void put_u64(unsigned char* p, std::uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8)
        p[i] = static_cast<unsigned char>(v);
}

void put_float(unsigned char* p, float f) {
    std::uint32_t v = 0;
    std::memcpy(&v, &f, 4);
    for (int i = 3; i >= 0; --i, v >>= 8)
        p[i] = static_cast<unsigned char>(v);
}

class Statement {
public:
    Statement(sqlite3* db, const std::string& sql) : m_db(db) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK)
            fail();
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    sqlite3_stmt* get() { return m_stmt; }

    void run() {
        const int rc = sqlite3_step(m_stmt);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            fail();
        sqlite3_reset(m_stmt);
    }

    [[noreturn]] void fail() const { throw Error(std::string("R-tree: ") + sqlite3_errmsg(m_db)); }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

std::string sql_name(const std::string& name) {
    std::string q = "\"";
    for (char c : name)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

} // namespace

RtreeBox RtreeBox::around(std::int64_t id, double min_x, double max_x, double min_y, double max_y) noexcept {
    return {id, round_down(min_x), round_up(max_x), round_down(min_y), round_up(max_y)};
}

void fill_rtree(sqlite3* db, const std::string& table, std::vector<RtreeBox> boxes) {
    // The node size is the length of the root node's blob, which SQLite chose when the table was
    // made (from the page size) and reads back the same way when it opens the table.
    int node_size = 0;
    {
        Statement q(db, "SELECT length(data) FROM " + sql_name(table + "_node") + " WHERE nodeno = 1");
        if (sqlite3_step(q.get()) == SQLITE_ROW)
            node_size = sqlite3_column_int(q.get(), 0);
    }
    constexpr int cell_bytes = 8 + 4 * 4;
    const std::size_t max_cells = node_size > 4 ? static_cast<std::size_t>((node_size - 4) / cell_bytes) : 0;
    if (max_cells < 2)
        throw Error("R-tree '" + table + "': no usable root node");
    for (const char* suffix : {"_node", "_rowid", "_parent"})
        Statement(db, "DELETE FROM " + sql_name(table + suffix)).run();

    // Leaves in Hilbert order of the box centres over the extent of all boxes; ties by id, so the
    // tree is the same on every run. The boxes are permuted in place: a national layer holds
    // millions of them.
    if (boxes.size() >= std::numeric_limits<std::uint32_t>::max())
        throw Error("R-tree '" + table + "': too many boxes");
    float min_x = 0, max_x = 0, min_y = 0, max_y = 0;
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const RtreeBox& b = boxes[i];
        min_x = i == 0 ? b.min_x : std::min(min_x, b.min_x);
        max_x = i == 0 ? b.max_x : std::max(max_x, b.max_x);
        min_y = i == 0 ? b.min_y : std::min(min_y, b.min_y);
        max_y = i == 0 ? b.max_y : std::max(max_y, b.max_y);
    }
    {
        const double sx = max_x > min_x ? 65535.0 / (double(max_x) - min_x) : 0.0;
        const double sy = max_y > min_y ? 65535.0 / (double(max_y) - min_y) : 0.0;
        std::vector<std::pair<std::uint64_t, std::uint32_t>> order; // Hilbert key, index in boxes
        order.reserve(boxes.size());
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            const RtreeBox& b = boxes[i];
            const auto gx = static_cast<std::uint32_t>(((double(b.min_x) + b.max_x) / 2 - min_x) * sx);
            const auto gy = static_cast<std::uint32_t>(((double(b.min_y) + b.max_y) / 2 - min_y) * sy);
            order.emplace_back(hilbert(std::min(gx, 65535u), std::min(gy, 65535u)),
                               static_cast<std::uint32_t>(i));
        }
        std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : boxes[a.second].id < boxes[b.second].id;
        });
        // Position p receives boxes[order[p].second]: follow each cycle once, marking it done.
        constexpr std::uint32_t done = std::numeric_limits<std::uint32_t>::max();
        for (std::size_t i = 0; i < order.size(); ++i) {
            if (order[i].second == done)
                continue;
            const RtreeBox first = boxes[i];
            std::size_t j = i;
            for (;;) {
                const std::size_t from = order[j].second;
                order[j].second = done;
                if (from == i) {
                    boxes[j] = first;
                    break;
                }
                boxes[j] = boxes[from];
                j = from;
            }
        }
    }

    // Levels bottom-up: each node packs up to max_cells cells of the level below. levels[0] holds
    // the leaves' cells (row ids); a cell of level k > 0 names a node of level k - 1, first by its
    // index in that level, then by its node number.
    std::vector<std::vector<RtreeBox>> levels;
    levels.push_back(std::move(boxes));
    while (levels.back().size() > max_cells) {
        const std::vector<RtreeBox>& below = levels.back();
        std::vector<RtreeBox> up;
        up.reserve(below.size() / max_cells + 1);
        for (std::size_t start = 0; start < below.size(); start += max_cells) {
            const std::size_t end = std::min(below.size(), start + max_cells);
            RtreeBox c = below[start];
            c.id = static_cast<std::int64_t>(up.size());
            for (std::size_t k = start + 1; k < end; ++k) {
                c.min_x = std::min(c.min_x, below[k].min_x);
                c.max_x = std::max(c.max_x, below[k].max_x);
                c.min_y = std::min(c.min_y, below[k].min_y);
                c.max_y = std::max(c.max_y, below[k].max_y);
            }
            up.push_back(c);
        }
        levels.push_back(std::move(up));
    }
    // Node numbers top-down: the root is node 1, then each level's nodes in order.
    const std::size_t depth = levels.size() - 1;
    std::vector<std::int64_t> first_node(levels.size(), 0);
    auto nodes_in = [&](std::size_t level) {
        return std::max<std::size_t>(1, (levels[level].size() + max_cells - 1) / max_cells);
    };
    std::int64_t next = 1;
    for (std::size_t level = levels.size(); level-- > 0;) {
        first_node[level] = next;
        next += static_cast<std::int64_t>(nodes_in(level));
    }
    for (std::size_t level = 1; level < levels.size(); ++level)
        for (RtreeBox& c : levels[level])
            c.id += first_node[level - 1];

    Statement node(db, "INSERT INTO " + sql_name(table + "_node") + " (nodeno, data) VALUES (?, ?)");
    Statement rowid(db, "INSERT INTO " + sql_name(table + "_rowid") + " (rowid, nodeno) VALUES (?, ?)");
    Statement parent(db,
                     "INSERT INTO " + sql_name(table + "_parent") + " (nodeno, parentnode) VALUES (?, ?)");
    std::vector<unsigned char> blob(static_cast<std::size_t>(node_size));
    for (std::size_t level = levels.size(); level-- > 0;) {
        const std::vector<RtreeBox>& row = levels[level];
        const std::size_t count = nodes_in(level);
        for (std::size_t n = 0; n < count; ++n) {
            const std::int64_t nodeno = first_node[level] + static_cast<std::int64_t>(n);
            const std::size_t start = n * max_cells;
            const std::size_t end = std::min(row.size(), start + max_cells);
            std::fill(blob.begin(), blob.end(), 0);
            if (nodeno == 1)
                put_u16(blob.data(), static_cast<unsigned>(depth));
            put_u16(blob.data() + 2, static_cast<unsigned>(end - start));
            for (std::size_t k = start; k < end; ++k) {
                unsigned char* p = blob.data() + 4 + (k - start) * cell_bytes;
                put_u64(p, static_cast<std::uint64_t>(row[k].id));
                put_float(p + 8, row[k].min_x);
                put_float(p + 12, row[k].max_x);
                put_float(p + 16, row[k].min_y);
                put_float(p + 20, row[k].max_y);
                sqlite3_stmt* s = level == 0 ? rowid.get() : parent.get();
                sqlite3_bind_int64(s, 1, row[k].id);
                sqlite3_bind_int64(s, 2, nodeno);
                (level == 0 ? rowid : parent).run();
            }
            sqlite3_bind_int64(node.get(), 1, nodeno);
            sqlite3_bind_blob(node.get(), 2, blob.data(), node_size, SQLITE_STATIC);
            node.run();
        }
    }
}

} // namespace fuelmap::detail
