// SPDX-License-Identifier: MIT
/// @file parallel.hpp
/// @brief Private: running fixed slices of a job on worker threads with the result of a sequential
/// loop (each slice writes only its own output; errors are reported as the loop would report them).
#pragma once

#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace fuelmap::detail {

/// Calls fn(0) … fn(slices - 1), slice 0 on the calling thread and each other slice on a thread of
/// its own, and waits for all. When slices throw, the exception of the lowest slice is rethrown, as
/// a sequential loop over the slices would have thrown it first.
template <class Fn> void run_slices(std::size_t slices, const Fn& fn) {
    std::vector<std::exception_ptr> errors(slices);
    auto run = [&](std::size_t i) {
        try {
            fn(i);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    {
        std::vector<std::jthread> workers;
        workers.reserve(slices > 0 ? slices - 1 : 0);
        for (std::size_t i = 1; i < slices; ++i)
            workers.emplace_back(run, i);
        if (slices > 0)
            run(0);
    }
    for (const std::exception_ptr& error : errors)
        if (error)
            std::rethrow_exception(error);
}

} // namespace fuelmap::detail
