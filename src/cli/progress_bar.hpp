// SPDX-License-Identifier: MIT
/// @file progress_bar.hpp
/// @brief A one-line progress bar on stderr, drawn only on a terminal.
#pragma once

#include <fuelmap/progress.hpp>

#include <chrono>
#include <string>

namespace fuelmap::cli {

/// Draws "label [#####     ] 52% 1234/2345" on stderr at most ten times a second; silent when
/// disabled. The line is cleared when the bar is destroyed.
class ProgressBar {
public:
    /// @param enabled usually progress_allowed(quiet)
    ProgressBar(std::string label, bool enabled);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    /// Reports progress.
    void update(std::size_t done, std::size_t total);
    /// A callback that forwards to update(); valid while the bar lives.
    [[nodiscard]] ProgressFn callback();

private:
    std::string m_label;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last{};
};

} // namespace fuelmap::cli
