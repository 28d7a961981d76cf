// SPDX-License-Identifier: MIT
#include "cli/progress_bar.hpp"

#include <cstdio>

namespace fuelmap::cli {

ProgressBar::ProgressBar(std::string label, bool enabled) : m_label(std::move(label)), m_enabled(enabled) {}

ProgressBar::~ProgressBar() {
    if (m_drawn)
        std::fprintf(stderr, "\r\033[K");
}

void ProgressBar::update(std::size_t done, std::size_t total) {
    if (!m_enabled)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (m_drawn && now - m_last < std::chrono::milliseconds(100) && done != total)
        return;
    m_last = now;
    m_drawn = true;
    if (total == 0) {
        std::fprintf(stderr, "\r%s %zu", m_label.c_str(), done);
    } else {
        constexpr int width = 30;
        const int filled = static_cast<int>(width * done / total);
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.resize(width, ' ');
        std::fprintf(stderr, "\r%s [%s] %3zu%% %zu/%zu", m_label.c_str(), bar.c_str(), 100 * done / total,
                     done, total);
    }
    std::fflush(stderr);
}

ProgressFn ProgressBar::callback() {
    return [this](std::size_t done, std::size_t total) { update(done, total); };
}

} // namespace fuelmap::cli
