// SPDX-License-Identifier: MIT
// Record rows of a PostgreSQL registry as their canonical payload values (pg_records.hpp).
#include "store/pg_records.hpp"

#include "store/pg_connection.hpp"

#include <charconv>

namespace fuelmap::detail {

RecordRow record_row(const pqxx::row& r, const RecordTable& t) {
    RecordRow o = RecordRow::object();
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const pqxx::field f = r[static_cast<pqxx::row::size_type>(i)];
        RecordRow& v = o[std::string(t.columns[i])];
        if (f.is_null()) {
            v = nullptr;
            continue;
        }
        switch (f.type()) {
        case 20: // int8
        case 21: // int2
        case 23: // int4
            v = pg_int64(f);
            break;
        case 700:   // float4
        case 701: { // float8
            double d = 0;
            const std::string_view s = pg_text(f);
            std::from_chars(s.data(), s.data() + s.size(), d);
            v = d;
            break;
        }
        default:
            v = std::string(pg_text(f));
        }
    }
    return o;
}

std::string column_list(const RecordTable& t) {
    std::string sql;
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        sql += (i ? ", " : "") + std::string(t.columns[i]);
    return sql;
}

} // namespace fuelmap::detail
