// SPDX-License-Identifier: MIT
#include "util/file.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fuelmap::detail {

namespace {

// An open regular file. Opened without blocking, so that a FIFO with no writer is refused at once
// instead of waiting; the type is checked on the open descriptor, so nothing can swap the file in
// between.
class InputFile {
public:
    InputFile(const std::filesystem::path& path, std::string_view what) : m_path(path), m_what(what) {
        m_fd.fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (m_fd.fd < 0)
            fail("");
        struct stat st {};
        if (::fstat(m_fd.fd, &st) != 0)
            fail("");
        if (!S_ISREG(st.st_mode)) {
            fail(": it is not a regular file (a directory, FIFO or device)");
        }
        m_size = static_cast<std::uint64_t>(st.st_size);
        // A regular file never blocks; clear the flag anyway for file systems that honour it.
        ::fcntl(m_fd.fd, F_SETFL, ::fcntl(m_fd.fd, F_GETFL) & ~O_NONBLOCK);
    }

    std::uint64_t size() const noexcept { return m_size; }

    // Reads up to @p n bytes into @p buf; 0 at the end. Retries on EINTR.
    std::size_t read(char* buf, std::size_t n) {
        for (;;) {
            const ssize_t got = ::read(m_fd.fd, buf, n);
            if (got >= 0)
                return static_cast<std::size_t>(got);
            if (errno != EINTR)
                fail("");
        }
    }

    [[noreturn]] void fail(const std::string& why) const {
        throw InputError({.file = m_path.string()}, "cannot read " + std::string(m_what) + why);
    }

private:
    // Closes the descriptor, also when the constructor throws.
    struct Descriptor {
        int fd = -1;
        Descriptor() = default;
        Descriptor(const Descriptor&) = delete;
        Descriptor& operator=(const Descriptor&) = delete;
        ~Descriptor() {
            if (fd >= 0)
                ::close(fd);
        }
    };

    std::filesystem::path m_path;
    std::string_view m_what;
    Descriptor m_fd;
    std::uint64_t m_size = 0;
};

} // namespace

std::string read_whole_file(const std::filesystem::path& path, std::string_view what,
                            std::uint64_t max_bytes) {
    InputFile file(path, what);
    auto too_large = [&] { file.fail(": it is larger than " + std::to_string(max_bytes) + " bytes"); };
    if (file.size() > max_bytes)
        too_large();
    std::string text;
    text.resize(static_cast<std::size_t>(file.size()));
    std::size_t have = 0;
    for (;;) {
        if (have == text.size()) { // the file grew while read, or its size was not known
            if (have >= max_bytes) {
                char probe;
                if (file.read(&probe, 1) == 0)
                    break;
                too_large();
            }
            text.resize(std::min<std::uint64_t>(max_bytes, have + (have / 2) + 4096));
        }
        const std::size_t got = file.read(text.data() + have, text.size() - have);
        if (got == 0)
            break;
        have += got;
    }
    text.resize(have);
    return text;
}

std::string sha256_file(const std::filesystem::path& path, std::string_view what) {
    InputFile file(path, what);
    Sha256 hash;
    std::string buf(std::size_t{1} << 16, '\0');
    while (const std::size_t got = file.read(buf.data(), buf.size()))
        hash.update(std::string_view(buf.data(), got));
    return hash.hex();
}

} // namespace fuelmap::detail
