// SPDX-License-Identifier: MIT
/// @file expect_throw.hpp
/// @brief EXPECT_THROW_MSG / ASSERT_THROW_MSG: a statement throws an exception of a given type AND
/// its text is the one expected (an error's text is part of fuelmap's interface).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <exception>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

namespace fuelmap::testing {

/// Success when @p f throws an @p E whose what() contains @p expected (a string) or matches it (a
/// gmock matcher on std::string: HasSubstr, MatchesRegex, StartsWith …); otherwise a failure that
/// says what was thrown instead.
template <class E, class F, class Expected>
::testing::AssertionResult throws_with_message(F&& f, const Expected& expected, const char* type_name) {
    try {
        f();
    } catch (const E& e) {
        const std::string what = e.what();
        if constexpr (std::is_convertible_v<const Expected&, std::string_view>) {
            if (what.find(std::string_view(expected)) != std::string::npos)
                return ::testing::AssertionSuccess();
            return ::testing::AssertionFailure()
                   << "threw " << type_name << " \"" << what << "\", which does not contain \""
                   << std::string_view(expected) << "\"";
        } else {
            const ::testing::Matcher<const std::string&> m =
                ::testing::SafeMatcherCast<const std::string&>(expected);
            ::testing::StringMatchResultListener why;
            if (m.MatchAndExplain(what, &why))
                return ::testing::AssertionSuccess();
            std::ostringstream want;
            m.DescribeTo(&want);
            return ::testing::AssertionFailure()
                   << "threw " << type_name << " \"" << what << "\", which does not match: " << want.str()
                   << " " << why.str();
        }
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure()
               << "threw another exception than " << type_name << ": \"" << e.what() << "\"";
    } catch (...) {
        return ::testing::AssertionFailure() << "threw something that is not a std::exception";
    }
    return ::testing::AssertionFailure() << "threw nothing (expected " << type_name << ")";
}

} // namespace fuelmap::testing

/// Expects @p statement to throw @p exception_type with a message containing @p expected (a string),
/// or matching it (a gmock string matcher).
#define EXPECT_THROW_MSG(statement, exception_type, expected)                                                \
    EXPECT_TRUE(::fuelmap::testing::throws_with_message<exception_type>([&] { statement; }, expected,        \
                                                                        #exception_type))

/// ASSERT_ form of EXPECT_THROW_MSG.
#define ASSERT_THROW_MSG(statement, exception_type, expected)                                                \
    ASSERT_TRUE(::fuelmap::testing::throws_with_message<exception_type>([&] { statement; }, expected,        \
                                                                        #exception_type))
