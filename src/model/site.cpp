// SPDX-License-Identifier: MIT
#include <fuelmap/site.hpp>

#include <algorithm>
#include <charconv>
#include <string>

namespace fuelmap {

std::string_view to_string(Ownership o) noexcept {
    switch (o) {
    case Ownership::major:
        return "major";
    case Ownership::independent:
        return "independent";
    case Ownership::hypermarket:
        return "hypermarket";
    case Ownership::other:
        break;
    }
    return "other";
}

std::optional<Ownership> parse_ownership(std::string_view s) noexcept {
    if (s == "major")
        return Ownership::major;
    if (s == "independent")
        return Ownership::independent;
    if (s == "hypermarket")
        return Ownership::hypermarket;
    if (s == "other")
        return Ownership::other;
    return std::nullopt;
}

bool Station::append_field(std::string_view name, std::string& out) const {
    if (!missing.empty() && std::binary_search(missing.begin(), missing.end(), name))
        return false;
    auto text = [&](std::string_view value) {
        out.append(value);
        return true;
    };
    auto number = [&](std::int64_t value) {
        char digits[24];
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
        out.append(digits, end);
        return true;
    };
    // By first letter, then the whole name: the frame text asks this of every station.
    switch (name.empty() ? '\0' : name.front()) {
    case 'a':
        if (name == "address")
            return text(address);
        if (name == "annual_volume_m3")
            return number(annual_volume_m3);
        break;
    case 'b':
        if (name == "brand")
            return text(brand);
        break;
    case 'c':
        if (name == "city")
            return text(city);
        if (name == "county")
            return text(county);
        break;
    case 'n':
        if (name == "name")
            return text(this->name);
        break;
    case 'o':
        if (name == "operator")
            return text(operator_name);
        if (name == "ownership")
            return text(to_string(ownership));
        break;
    case 'p':
        if (name == "province")
            return text(province);
        break;
    case 'r':
        if (name == "risk_weight")
            return number(risk_weight);
        break;
    case 's':
        if (name == "station_id")
            return text(station_id);
        if (name == "status")
            return text(status);
        break;
    default:
        break;
    }
    if (auto it = attributes.find(std::string(name)); it != attributes.end())
        return text(it->second);
    return false;
}

std::optional<std::string> Station::field(std::string_view name) const {
    std::string value;
    if (!append_field(name, value))
        return std::nullopt;
    return value;
}

namespace {
template <typename T, typename Key>
const T* find_by(const std::vector<T>& items, std::string_view number, Key key) noexcept {
    auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.*key == number; });
    return it == items.end() ? nullptr : &*it;
}
} // namespace

const Tank* Site::find_tank(std::string_view tank_no) const noexcept {
    return find_by(tanks, tank_no, &Tank::tank_no);
}

const Dispenser* Site::find_dispenser(std::string_view dispenser_no) const noexcept {
    return find_by(dispensers, dispenser_no, &Dispenser::dispenser_no);
}

const Nozzle* Site::find_nozzle(std::string_view nozzle_no) const noexcept {
    return find_by(nozzles, nozzle_no, &Nozzle::nozzle_no);
}

std::string element_id(std::string_view station_id, std::string_view number) {
    std::string id;
    id.reserve(station_id.size() + number.size() + 1);
    id.append(station_id).append("/").append(number);
    return id;
}

} // namespace fuelmap
