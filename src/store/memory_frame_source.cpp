// SPDX-License-Identifier: MIT
// The frame of a registry read into memory in one snapshot (a PostgreSQL registry): the frame
// text is written by frame_text.cpp from the sites as read, so the digest is the one every other
// way of reading the same rows gives.
#include "store/frame_source.hpp"

#include "store/frame_text.hpp"

namespace fuelmap::detail {

namespace {

class MemoryFrameSource final : public FrameSource {
public:
    explicit MemoryFrameSource(Registry registry) : m_registry(std::move(registry)) {}

    const Registry& stations() const override { return m_registry; }

    std::string digest(const std::vector<std::string>& fields, std::string_view tail) override {
        FrameHasher text(fields);
        for (const Site& site : m_registry.sites())
            append_nozzle_lines(text.station(site.station), site.nozzles);
        return text.hex(tail);
    }

    const std::vector<Nozzle>& nozzles(const Site& site) override { return site.nozzles; }

private:
    Registry m_registry;
};

} // namespace

std::unique_ptr<FrameSource> open_memory_frame_source(Registry registry) {
    return std::make_unique<MemoryFrameSource>(std::move(registry));
}

} // namespace fuelmap::detail
