// SPDX-License-Identifier: MIT
#include "gis/staged_dataset.hpp"

#include "gis/gdal_util.hpp"
#include "util/temp_file.hpp"
#include "util/write_error.hpp"

#include <fuelmap/error.hpp>

#include <cpl_vsi.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace fuelmap::detail {

namespace {

// A VSI file system handler under this prefix passes every call on to the real path after it and
// records the first failed write, flush or close of each file: GDAL drivers (GeoJSON, CSV …) ignore
// the result of their writes, so a full disk would otherwise leave a truncated file and no error.
// GDAL keeps the pointer to the prefix, not a copy: it must live as long as the process.
constexpr const char* checked_prefix = "/vsifuelmap_checked/";

struct Failures {
    std::mutex mutex;
    std::map<std::string, int> first_error; // real path → errno of its first failed write
};

Failures& failures() {
    static Failures f;
    return f;
}

struct CheckedFile {
    VSILFILE* fp;
    std::string path;
};

void record(const CheckedFile& f, int error) {
    std::lock_guard lock(failures().mutex);
    failures().first_error.emplace(f.path, error == 0 ? EIO : error);
}

// Runs @p call (a VSI call that returns 0 on success) and records errno for @p file when it fails.
template <class Call> int noted(const CheckedFile& file, Call call) {
    errno = 0;
    const int rc = call();
    if (rc != 0)
        record(file, errno);
    return rc;
}

// The handler's callbacks are given the names without the prefix: the real paths.
void install_checked_handler() {
    static const bool installed = [] {
        VSIFilesystemPluginCallbacksStruct* cb = VSIAllocFilesystemPluginCallbacksStruct();
        cb->stat = [](void*, const char* name, VSIStatBufL* buf, int flags) {
            return VSIStatExL(name, buf, flags);
        };
        cb->unlink = [](void*, const char* name) { return VSIUnlink(name); };
        cb->rename = [](void*, const char* from, const char* to) { return VSIRename(from, to); };
        cb->mkdir = [](void*, const char* name, long mode) { return VSIMkdir(name, mode); };
        cb->rmdir = [](void*, const char* name) { return VSIRmdir(name); };
        cb->read_dir = [](void*, const char* name, int max) { return VSIReadDirEx(name, max); };
        cb->open = [](void*, const char* name, const char* access) -> void* {
            VSILFILE* fp = VSIFOpenExL(name, access, FALSE);
            if (fp == nullptr)
                return nullptr;
            return new CheckedFile{fp, name};
        };
        cb->tell = [](void* f) { return VSIFTellL(static_cast<CheckedFile*>(f)->fp); };
        cb->seek = [](void* f, vsi_l_offset offset, int whence) {
            return VSIFSeekL(static_cast<CheckedFile*>(f)->fp, offset, whence);
        };
        cb->read = [](void* f, void* buf, size_t size, size_t count) {
            return VSIFReadL(buf, size, count, static_cast<CheckedFile*>(f)->fp);
        };
        cb->eof = [](void* f) { return VSIFEofL(static_cast<CheckedFile*>(f)->fp); };
        cb->write = [](void* f, const void* buf, size_t size, size_t count) {
            auto* file = static_cast<CheckedFile*>(f);
            errno = 0;
            const size_t written = VSIFWriteL(buf, size, count, file->fp);
            if (written != count)
                record(*file, errno);
            return written;
        };
        cb->flush = [](void* f) {
            auto* file = static_cast<CheckedFile*>(f);
            return noted(*file, [&] { return VSIFFlushL(file->fp); });
        };
        cb->truncate = [](void* f, vsi_l_offset size) {
            auto* file = static_cast<CheckedFile*>(f);
            return noted(*file, [&] { return VSIFTruncateL(file->fp, size); });
        };
        cb->close = [](void* f) {
            std::unique_ptr<CheckedFile> file(static_cast<CheckedFile*>(f));
            return noted(*file, [&] { return VSIFCloseL(file->fp); });
        };
        const bool ok = VSIInstallPluginHandler(checked_prefix, cb) == 0;
        VSIFreeFilesystemPluginCallbacksStruct(cb);
        return ok;
    }();
    if (!installed)
        throw Error("cannot install the checked file handler in GDAL");
}

// The first failed write under @p dir: errno, or 0. With @p forget, the failures recorded there are
// dropped.
int failure_under(const std::string& dir, bool forget) {
    std::lock_guard lock(failures().mutex);
    int error = 0;
    auto& all = failures().first_error;
    for (auto it = all.lower_bound(dir); it != all.end() && it->first.starts_with(dir);) {
        if (error == 0)
            error = it->second;
        it = forget ? all.erase(it) : std::next(it);
    }
    return error;
}

} // namespace

StagedDataset::StagedDataset(std::filesystem::path target) : m_target(std::move(target)) {
    ensure_gdal();
    install_checked_handler();
    // TempFile removes what killed writers of this target left (their staging directories included)
    // and gives the name; the directory is ours from here on.
    { const TempFile stale_removed(m_target); }
    m_dir = staging_directory(m_target);
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
    std::filesystem::create_directory(m_dir, ec);
    if (ec)
        throw Error(m_target.string() + ": cannot write: " + write_error_message(ec.value()));
    m_dir = std::filesystem::absolute(m_dir, ec);
    m_gdal_path = std::string(checked_prefix) + (m_dir / m_target.filename()).string();
    (void)failure_under(m_dir.string() + "/", true);
}

StagedDataset::~StagedDataset() {
    std::error_code ec;
    if (!m_committed)
        std::filesystem::remove_all(m_dir, ec);
    (void)failure_under(m_dir.string() + "/", true);
}

void StagedDataset::check() const {
    if (const int error = failure_under(m_dir.string() + "/", false); error != 0)
        throw Error(m_target.string() + ": cannot write: " + write_error_message(error) +
                    "; nothing was written there");
}

void StagedDataset::commit() {
    check();
    std::error_code ec;
    const std::filesystem::path into = m_target.has_parent_path() ? m_target.parent_path() : ".";
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(m_dir, ec), end; !ec && it != end; it.increment(ec))
        files.push_back(it->path());
    if (ec)
        throw Error(m_target.string() + ": cannot write: " + ec.message());
    std::sort(files.begin(), files.end());
    for (const std::filesystem::path& f : files) {
        std::filesystem::rename(f, into / f.filename(), ec);
        if (ec)
            throw Error((into / f.filename()).string() + ": cannot write: " + ec.message());
    }
    std::filesystem::remove(m_dir, ec);
    m_committed = true;
}

} // namespace fuelmap::detail
