// SPDX-License-Identifier: MIT
#include "util/output_guard.hpp"

#include <fuelmap/error.hpp>

#include <sys/stat.h>

namespace fuelmap::detail {

std::string describe_file_type(mode_t mode) {
    if (S_ISREG(mode))
        return "a regular file";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}

OutputGuard& OutputGuard::input(const std::filesystem::path& path, const std::string& role) {
    struct stat st {};
    // stat() follows symbolic links: an input named through a link is the file it points to.
    if (!path.empty() && ::stat(path.c_str(), &st) == 0)
        m_inputs.push_back({path, role, st.st_dev, st.st_ino});
    return *this;
}

const OutputGuard::Input* OutputGuard::same_as_input(const std::filesystem::path& out) const {
    struct stat st {};
    if (::stat(out.c_str(), &st) != 0)
        return nullptr;
    for (const Input& in : m_inputs)
        if (in.device == st.st_dev && in.inode == st.st_ino)
            return &in;
    return nullptr;
}

void OutputGuard::check_file(const std::filesystem::path& out) const {
    if (const Input* in = same_as_input(out))
        throw InputError({.file = out.string()},
                         "the output would replace " + in->role + " '" + in->path.string() +
                             "' (the same file): choose another output path; nothing was written");
    struct stat st {};
    if (::stat(out.c_str(), &st) != 0 || S_ISREG(st.st_mode))
        return;
    if (S_ISDIR(st.st_mode))
        throw InputError({.file = out.string()}, "cannot write the file: Is a directory");
    throw InputError({.file = out.string()}, "the output is " + describe_file_type(st.st_mode) +
                                                 ", not a regular file: fuelmap writes only regular "
                                                 "files; nothing was written");
}

void OutputGuard::check_directory(const std::filesystem::path& dir) const {
    if (const Input* in = same_as_input(dir))
        throw InputError({.file = dir.string()}, "the output directory is " + in->role + " '" +
                                                     in->path.string() + "': choose another directory");
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
        throw InputError({.file = dir.string()},
                         "the output directory is " + describe_file_type(st.st_mode) + ", not a directory");
}

} // namespace fuelmap::detail
