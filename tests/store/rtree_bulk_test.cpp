// SPDX-License-Identifier: MIT
#include "testing/testing.hpp"

#include "store/rtree_bulk.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <set>

using fuelmap::detail::RtreeBox;
using fuelmap::testing::TempDir;

namespace {

// A database file with an empty 2-D R-tree, as GDAL makes one for a GeoPackage layer.
class RtreeDb {
public:
    explicit RtreeDb(const std::filesystem::path& path) {
        EXPECT_EQ(sqlite3_open(path.string().c_str(), &m_db), SQLITE_OK);
        sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 0, nullptr);
        exec("CREATE VIRTUAL TABLE rt USING rtree(id, minx, maxx, miny, maxy)");
    }
    ~RtreeDb() { sqlite3_close(m_db); }
    RtreeDb(const RtreeDb&) = delete;
    RtreeDb& operator=(const RtreeDb&) = delete;

    sqlite3* get() const { return m_db; }

    void exec(const std::string& sql) const {
        char* error = nullptr;
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error);
        EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error ? error : "");
        sqlite3_free(error);
    }

    std::string text(const std::string& sql) const {
        sqlite3_stmt* q = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &q, nullptr), SQLITE_OK) << sqlite3_errmsg(m_db);
        std::string out;
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            out = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
        return out;
    }

    std::set<std::int64_t> ids(const std::string& sql) const {
        sqlite3_stmt* q = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &q, nullptr), SQLITE_OK) << sqlite3_errmsg(m_db);
        std::set<std::int64_t> out;
        while (sqlite3_step(q) == SQLITE_ROW)
            out.insert(sqlite3_column_int64(q, 0));
        sqlite3_finalize(q);
        return out;
    }

private:
    sqlite3* m_db = nullptr;
};

// Boxes on a deterministic pseudo-random walk: clusters of points and some wider boxes.
std::vector<RtreeBox> sample_boxes(std::size_t n) {
    std::vector<RtreeBox> boxes;
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<double>(state >> 11) / 9007199254740992.0;
    };
    for (std::size_t i = 0; i < n; ++i) {
        const double x = 87 + 40 * next(), y = 20 + 26 * next();
        const double w = i % 7 == 0 ? 0.01 * next() : 0.0;
        boxes.push_back(RtreeBox::around(static_cast<std::int64_t>(i * 3 + 1), x, x + w, y, y + w));
    }
    return boxes;
}

std::set<std::int64_t> brute_force(const std::vector<RtreeBox>& boxes, double x0, double x1, double y0,
                                   double y1) {
    std::set<std::int64_t> out;
    for (const RtreeBox& b : boxes)
        if (b.min_x <= x1 && b.max_x >= x0 && b.min_y <= y1 && b.max_y >= y0)
            out.insert(b.id);
    return out;
}

} // namespace

TEST(RtreeBulk, FindsEveryBoxAndPassesSqliteCheck) {
    TempDir dir;
    RtreeDb db(dir / "rt.db");
    const std::vector<RtreeBox> boxes = sample_boxes(20000); // three levels of 51-cell nodes
    db.exec("BEGIN");
    fuelmap::detail::fill_rtree(db.get(), "rt", boxes);
    db.exec("COMMIT");
    EXPECT_EQ(db.text("SELECT rtreecheck('rt')"), "ok");
    EXPECT_EQ(db.text("SELECT count(*) FROM rt"), "20000");
    EXPECT_EQ(db.text("SELECT count(*) FROM rt_rowid"), "20000");
    for (const auto& [x0, x1, y0, y1] : {std::array<double, 4>{100, 101, 30, 31},
                                         {87, 127, 20, 46},
                                         {120.5, 120.6, 25, 25.2},
                                         {0, 1, 0, 1}}) {
        const std::string sql = "SELECT id FROM rt WHERE minx <= " + std::to_string(x1) +
                                " AND maxx >= " + std::to_string(x0) + " AND miny <= " + std::to_string(y1) +
                                " AND maxy >= " + std::to_string(y0);
        const auto found = db.ids(sql);
        for (std::int64_t id : brute_force(boxes, x0, x1, y0, y1))
            EXPECT_TRUE(found.count(id)) << id;
        for (std::int64_t id : found) {
            const RtreeBox& b = boxes[static_cast<std::size_t>((id - 1) / 3)];
            EXPECT_TRUE(b.min_x <= x1 && b.max_x >= x0 && b.min_y <= y1 && b.max_y >= y0) << id;
        }
    }
}

TEST(RtreeBulk, SqliteKeepsMaintainingTheTreeAfterwards) {
    TempDir dir;
    {
        RtreeDb db(dir / "rt.db");
        db.exec("BEGIN");
        fuelmap::detail::fill_rtree(db.get(), "rt", sample_boxes(3000));
        db.exec("COMMIT");
    }
    RtreeDb again(dir / "rt2.db");
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "rt.db").string().c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
        EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    };
    exec("INSERT INTO rt VALUES (999999, 1, 2, 3, 4)");
    exec("DELETE FROM rt WHERE id < 2000");
    exec("UPDATE rt SET minx = 100, maxx = 100 WHERE id = 2998");
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT rtreecheck('rt'), (SELECT count(*) FROM rt)", -1, &q, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "ok");
    EXPECT_EQ(sqlite3_column_int(q, 1), 3000 - 667 + 1);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

TEST(RtreeBulk, NoBoxesLeavesAnEmptyRoot) {
    TempDir dir;
    RtreeDb db(dir / "rt.db");
    fuelmap::detail::fill_rtree(db.get(), "rt", {});
    EXPECT_EQ(db.text("SELECT rtreecheck('rt')"), "ok");
    EXPECT_EQ(db.text("SELECT count(*) FROM rt_node"), "1");
    db.exec("INSERT INTO rt VALUES (7, 1, 2, 3, 4)");
    EXPECT_EQ(db.text("SELECT id FROM rt WHERE minx <= 1.5 AND maxx >= 1.5"), "7");
}
