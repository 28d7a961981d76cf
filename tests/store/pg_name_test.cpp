// SPDX-License-Identifier: MIT
// Which -r arguments name a PostgreSQL database (docs/registry.md, "Naming the database").
#include "store/pg_name.hpp"

#include <gtest/gtest.h>

using namespace fuelmap::detail;

TEST(PgName, GdalAndUriFormsNameADatabaseInAnyCase) {
    EXPECT_TRUE(is_pg_registry("PG:dbname=fuelmap host=/tmp"));
    EXPECT_TRUE(is_pg_registry("pg:dbname=fuelmap"));
    EXPECT_TRUE(is_pg_registry("postgresql://bureau@db.example/fuelmap"));
    EXPECT_TRUE(is_pg_registry("PostgreSQL://db/fuelmap"));
    EXPECT_TRUE(is_pg_registry("postgres://db/fuelmap"));
    EXPECT_EQ(pg_conninfo("PG:dbname=fuelmap host=/tmp"), "dbname=fuelmap host=/tmp");
    EXPECT_EQ(pg_conninfo("pg:dbname=x"), "dbname=x");
    EXPECT_EQ(pg_conninfo("postgresql://db/fuelmap"), "postgresql://db/fuelmap");
}

TEST(PgName, EverythingElseIsAFile) {
    EXPECT_FALSE(is_pg_registry("registry.gpkg"));
    EXPECT_FALSE(is_pg_registry("./PG:dbname=x"));
    EXPECT_FALSE(is_pg_registry("PG"));
    EXPECT_FALSE(is_pg_registry(""));
    EXPECT_FALSE(is_pg_registry("postgresql:/db"));
    EXPECT_FALSE(is_pg_registry("/data/pg/registry.gpkg"));
}
