// SPDX-License-Identifier: MIT
// The audit over a registry: evidence grouped by station, each station through the common case or
// the general rules (audit_site.hpp), blocks of stations audited ahead by a worker thread.
#include <fuelmap/audit.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/registry.hpp>

#include "audit/audit_site.hpp"
#include "audit/audit_views.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

namespace fuelmap {

namespace {

using detail::audit_agreeing_site;
using detail::audit_site_general;
using detail::FindingSlots;
using detail::no_index;
using detail::same;
using detail::Scratch;

// A worker thread audits blocks of this many stations ahead, from this many stations up.
constexpr std::size_t audit_block_stations = 256;
constexpr std::size_t parallel_audit_min_stations = 2 * audit_block_stations;

void audit_site_into(const Site& site, const GradeTable& grades,
                     std::span<const detail::ObservationView* const> observations,
                     std::span<const LabResult* const> results, bool of_station,
                     const PrecisionTable& precision, const GradeLimits& limits, Scratch& scratch,
                     FindingSlots& out) {
    if (!audit_agreeing_site(site, observations, results, of_station, scratch, out))
        audit_site_general(site, grades, observations, results, precision, limits, out);
}

// Evidence items (observations or lab results) grouped by registry site, each group in input
// order; items of stations that are not in the registry are left out.
template <class T> class BySite {
public:
    BySite(const Registry& registry, std::span<const T> items) : m_begin(registry.size() + 1, 0) {
        const std::vector<Site>& sites = registry.sites();
        std::vector<std::uint32_t> site_of(items.size(), no_index);
        std::string_view last_id;
        std::uint32_t last = no_index;
        for (std::size_t k = 0; k < items.size(); ++k) {
            // Evidence usually comes station by station: look a station up once per run.
            if (k == 0 || !same(items[k].station_id, last_id)) {
                last_id = items[k].station_id;
                const Site* site = registry.find(last_id);
                last = site ? static_cast<std::uint32_t>(site - sites.data()) : no_index;
            }
            site_of[k] = last;
            if (last != no_index)
                ++m_begin[last + 1];
        }
        for (std::size_t i = 0; i < sites.size(); ++i)
            m_begin[i + 1] += m_begin[i];
        std::vector<std::uint32_t> cursor(m_begin.begin(), m_begin.end() - 1);
        m_items.resize(m_begin.back());
        for (std::size_t k = 0; k < items.size(); ++k)
            if (site_of[k] != no_index)
                m_items[cursor[site_of[k]]++] = &items[k];
    }

    // The items of the site at @p index in registry.sites().
    std::span<const T* const> of(std::size_t index) const {
        return std::span<const T* const>(m_items).subspan(m_begin[index],
                                                          m_begin[index + 1] - m_begin[index]);
    }

private:
    std::vector<std::uint32_t> m_begin;
    std::vector<const T*> m_items;
};

detail::ObservationTable view_of(std::span<const Observation> observations) {
    detail::ObservationTable table;
    table.reserve(observations.size());
    for (const Observation& o : observations)
        table.add(o);
    table.finish();
    return table;
}

} // namespace

std::vector<AuditFinding> audit_site(const Site& site, const GradeTable& grades,
                                     std::span<const Observation* const> observations,
                                     std::span<const LabResult* const> results,
                                     const PrecisionTable& precision, const GradeLimits& limits) {
    detail::ObservationTable table;
    for (const Observation* o : observations)
        table.add(*o);
    table.finish();
    std::vector<const detail::ObservationView*> views;
    for (const detail::ObservationView& v : table.rows())
        views.push_back(&v);
    FindingSlots out;
    Scratch scratch;
    audit_site_into(site, grades, views, results, false, precision, limits, scratch, out);
    return {std::make_move_iterator(out.items().begin()), std::make_move_iterator(out.items().end())};
}

namespace detail {

void audit_each(const Registry& registry, std::span<const ObservationView> observations,
                std::span<const LabResult> results, const PrecisionTable& precision,
                const GradeLimits& limits, const AuditOptions& options, AuditSink& sink,
                Threading threading) {
    const BySite<ObservationView> obs_by_site(registry, observations);
    const BySite<LabResult> res_by_site(registry, results);
    const std::vector<Site>& all = registry.sites();

    std::vector<std::size_t> sites; // indices into registry.sites(), in output order
    if (!options.stations.empty()) {
        std::set<std::string> wanted(options.stations.begin(), options.stations.end());
        for (const std::string& id : wanted) {
            const Site* s = registry.find(id);
            if (!s)
                throw InputError({.layer = "stations", .feature = id, .field = "station_id"},
                                 "no station '" + id + "' in the registry");
            sites.push_back(static_cast<std::size_t>(s - all.data()));
        }
    } else {
        for (std::size_t i = 0; i < all.size(); ++i)
            if (options.all_stations || !obs_by_site.of(i).empty() || !res_by_site.of(i).empty())
                sites.push_back(i);
    }
    std::size_t nozzles = 0;
    for (std::size_t i : sites)
        nozzles += all[i].nozzles.size();
    sink.begin(sites.size(), nozzles);
    auto audit_one = [&](std::size_t i, Scratch& scratch, FindingSlots& out) {
        audit_site_into(all[i], registry.grades(), obs_by_site.of(i), res_by_site.of(i), true, precision,
                        limits, scratch, out);
    };
    const bool parallel = threading == Threading::always ||
                          (threading == Threading::automatic && sites.size() >= parallel_audit_min_stations &&
                           std::thread::hardware_concurrency() > 1);
    if (!parallel) {
        FindingSlots out;
        Scratch scratch;
        for (std::size_t i : sites) {
            out.truncate(0);
            audit_one(i, scratch, out);
            sink.station(out.items());
        }
        return;
    }
    // Blocks of stations: the even ones audited on this thread and handed to the sink at once, the
    // odd ones audited ahead by a worker into two buffers that this thread hands over in turn. The
    // sink sees the sequential order; each station's findings do not depend on the thread.
    struct Block {
        FindingSlots findings;
        std::vector<std::size_t> ends; // per station of the block: end of its findings
        bool ready = false;
        std::exception_ptr error;
    };
    const std::size_t blocks = (sites.size() + audit_block_stations - 1) / audit_block_stations;
    auto block_sites = [&](std::size_t k) {
        const std::size_t first = k * audit_block_stations;
        return std::span(sites).subspan(first, std::min(audit_block_stations, sites.size() - first));
    };
    std::array<Block, 2> ahead;
    std::mutex mutex;
    std::condition_variable changed;
    bool stop = false;
    std::jthread worker([&] {
        Scratch scratch;
        for (std::size_t k = 1; k < blocks; k += 2) {
            Block& b = ahead[(k / 2) % 2];
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stop || !b.ready; });
                if (stop)
                    return;
            }
            try {
                b.findings.truncate(0);
                b.ends.clear();
                for (std::size_t i : block_sites(k)) {
                    audit_one(i, scratch, b.findings);
                    b.ends.push_back(b.findings.size());
                }
            } catch (...) {
                b.error = std::current_exception();
            }
            {
                std::lock_guard lock(mutex);
                b.ready = true;
            }
            changed.notify_all();
            if (b.error)
                return;
        }
    });
    struct StopWorker {
        std::mutex& mutex;
        std::condition_variable& changed;
        bool& stop;
        ~StopWorker() {
            {
                std::lock_guard lock(mutex);
                stop = true;
            }
            changed.notify_all();
        }
    } stop_worker{mutex, changed, stop}; // also when the sink throws; the worker is joined after
    FindingSlots out;
    Scratch scratch;
    for (std::size_t k = 0; k < blocks; ++k) {
        if (k % 2 == 0) {
            for (std::size_t i : block_sites(k)) {
                out.truncate(0);
                audit_one(i, scratch, out);
                sink.station(out.items());
            }
            continue;
        }
        Block& b = ahead[(k / 2) % 2];
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return b.ready; });
        }
        if (b.error)
            std::rethrow_exception(b.error);
        const std::span<AuditFinding> items = b.findings.items();
        std::size_t begin = 0;
        for (std::size_t end : b.ends) {
            sink.station(items.subspan(begin, end - begin));
            begin = end;
        }
        {
            std::lock_guard lock(mutex);
            b.ready = false;
        }
        changed.notify_all();
    }
}

} // namespace detail

void audit_each(const Registry& registry, std::span<const Observation> observations,
                std::span<const LabResult> results, const PrecisionTable& precision,
                const GradeLimits& limits, const AuditOptions& options, AuditSink& sink) {
    const detail::ObservationTable table = view_of(observations);
    detail::audit_each(registry, table.rows(), results, precision, limits, options, sink,
                       detail::Threading::automatic);
}

AuditReport audit(const Registry& registry, std::span<const Observation> observations,
                  std::span<const LabResult> results, const PrecisionTable& precision,
                  const GradeLimits& limits, const AuditOptions& options) {
    AuditReport report;
    detail::ReportSink sink(report);
    audit_each(registry, observations, results, precision, limits, options, sink);
    return report;
}

} // namespace fuelmap
