// Opening an image and judging one entry: the layers are read in parallel (one per job),
// flattened into an ImageRoot, and the entrypoint and every program are judged by the verdict
// engine with the image as the target's root file system.
#include "enoexec/image.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cctype>
#include <cstring>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "enoexec/targets.hpp"
#include "host/probe_root.hpp"
#include "image/image_metadata.hpp"
#include "image/image_root.hpp"
#include "image/image_store.hpp"
#include "verdict/fs_context.hpp"
#include "verdict/rules.hpp"

namespace enoexec {

namespace {

// Docker's PATH when the image sets none (moby oci/defaults.go DefaultPathEnv, Linux).
constexpr std::string_view DOCKER_DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

unsigned jobs_of(const ImageOptions& options) {
  if (options.jobs > 0) return options.jobs;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Runs work(i) for i in [0, n) on up to `jobs` threads.
template <typename Work>
void parallel_for(std::size_t n, unsigned jobs, Work work) {
  std::atomic<std::size_t> next{0};
  const auto run = [&] {
    for (std::size_t i = next++; i < n; i = next++) work(i);
  };
  std::vector<std::thread> threads;
  const std::size_t extra = std::min<std::size_t>(jobs, n) > 0 ? std::min<std::size_t>(jobs, n) - 1 : 0;
  for (std::size_t t = 0; t < extra; ++t) threads.emplace_back(run);
  run();
  for (std::thread& thread : threads) thread.join();
}

// The strerror() words runc's "exec PATH: ..." ends with, for the errno the kernel gives.
std::string runtime_words(std::string_view execve) {
  if (execve == "ENOEXEC") return "exec format error";
  if (execve == "ENOENT") return "no such file or directory";
  if (execve == "EACCES") return "permission denied";
  if (execve == "ELOOP") return "too many levels of symbolic links";
  if (execve == "ENOTDIR") return "not a directory";
  if (execve == "ELIBBAD") return "accessing a corrupted shared library";
  if (execve == "EIO") return "input/output error";
  return std::string(execve);
}


// " (layer 3 deleted it: RUN rm -rf /app)" when a whiteout removed `path` or a parent.
std::string deleted_note(const image::ImageRoot& root, const ImageEntry& entry, const std::string& path) {
  const auto layer = root.deleted_by(path);
  if (!layer) return {};
  const std::string& step = *layer < entry.layers.size() ? entry.layers[*layer].created_by : std::string();
  return fmt::format(" (a whiteout in layer {} deleted it{}{})", *layer + 1, step.empty() ? "" : ": ", step);
}

// strerror() as Go prints it in a *PathError: "no such file or directory".
std::string lower_strerror(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string path_value(const std::vector<std::string>& env) {
  std::optional<std::string> path;
  for (const std::string& item : env) {
    if (item.starts_with("PATH=")) path = item.substr(5);
  }
  return path ? *path : std::string(DOCKER_DEFAULT_PATH);
}

std::string join_path(const std::string& directory, const std::string& name) {
  if (name.starts_with('/')) return name;
  if (directory.empty() || directory == "/") return "/" + name;
  return directory.ends_with('/') ? directory + name : directory + "/" + name;
}

// The container's uid and gid from the config's User ("", "root", "1000", "1000:1000", "app",
// "app:staff"); names are looked up in the image's /etc/passwd and /etc/group. nullopt when a
// name is in neither (the runtime refuses to start: "unable to find user app").
std::optional<std::pair<std::uint32_t, std::uint32_t>> user_ids(const std::string& user, const RootFileSystem& root) {
  if (user.empty()) return std::pair<std::uint32_t, std::uint32_t>{0, 0};
  const std::size_t colon = user.find(':');
  const std::string name = user.substr(0, colon);
  const std::string group = colon == std::string::npos ? std::string() : user.substr(colon + 1);
  const auto number = [](const std::string& text) -> std::optional<std::uint32_t> {
    if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), ::isdigit)) return std::nullopt;
    return static_cast<std::uint32_t>(std::stoul(text));
  };
  // name:x:uid:gid:... in /etc/passwd, name:x:gid:... in /etc/group
  const auto look_up = [&](const char* file, const std::string& key, int field) -> std::optional<std::uint32_t> {
    const auto text = root.read_text(file, 1 << 20);
    if (!text) return std::nullopt;
    std::string_view rest = text->bytes;
    while (!rest.empty()) {
      const std::size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      std::vector<std::string_view> fields;
      while (true) {
        const std::size_t c = line.find(':');
        fields.push_back(line.substr(0, c));
        if (c == std::string_view::npos) break;
        line = line.substr(c + 1);
      }
      if (fields.size() > static_cast<std::size_t>(field) && fields[0] == key) {
        return number(std::string(fields[static_cast<std::size_t>(field)]));
      }
    }
    return std::nullopt;
  };
  std::optional<std::uint32_t> uid = number(name);
  std::optional<std::uint32_t> gid;
  if (!uid) {
    uid = look_up("/etc/passwd", name, 2);
    if (uid) gid = look_up("/etc/passwd", name, 3);
  }
  if (!uid) return std::nullopt;
  if (!group.empty()) {
    gid = number(group);
    if (!gid) gid = look_up("/etc/group", group, 2);
    if (!gid) return std::nullopt;
  }
  return std::pair<std::uint32_t, std::uint32_t>{*uid, gid.value_or(0)};
}

bool is_native(const FileReport& report) {
  return report.format == Format::elf || report.format == Format::macho || report.format == Format::pe;
}

// The machine the container runs on: the kernel, CPU, page size and emulation are the
// machine's; the C library, loaders and os-release are the image's own.
HostInfo container_host(HostInfo machine, const HostInfo& image) {
  // Not the image's /bin/sh as the userland: the platform is the machine's (an arm64 shell in
  // an image labelled amd64 is a foreign program there, not an arm64 machine).
  machine.root = image.root;
  machine.libc = image.libc;
  machine.os_release = image.os_release;
  machine.noexec_mounts.clear();  // the container's mounts are its own
  for (const std::string& warning : image.warnings) machine.warnings.push_back(warning);
  return machine;
}

// One variant rank per architecture, for containerd's fallbacks: "v7" is 7.
int variant_rank(std::string_view variant) {
  if (variant.size() >= 2 && variant[0] == 'v' && std::isdigit(static_cast<unsigned char>(variant[1]))) {
    return variant[1] - '0';
  }
  return 0;
}

}  // namespace

std::string_view to_string(ImageShape shape) {
  switch (shape) {
    case ImageShape::oci_layout:
      return "OCI layout";
    case ImageShape::oci_archive:
      return "OCI archive";
    case ImageShape::docker_archive:
      break;
  }
  return "docker save archive";
}

Image::~Image() = default;

Result<std::unique_ptr<Image>> Image::open(const std::string& argument, const ImageOptions& options) {
  auto store = ImageStore::open(argument, options);
  if (!store) return tl::unexpected(store.error());
  auto metadata = image::read_metadata(**store, options);
  if (!metadata) return tl::unexpected(metadata.error());
  std::unique_ptr<Image> image(new Image());
  image->argument_ = argument;
  image->shape_ = metadata->shape;
  image->entries_ = std::move(metadata->entries);
  image->warnings_ = (*store)->warnings();
  for (std::string& warning : metadata->warnings) image->warnings_.push_back(std::move(warning));
  image->store_ = std::move(*store);
  return image;
}

std::string no_matching_manifest(const Platform& wanted) {
  // Docker names arm64 with its default variant: "linux/arm64/v8".
  std::string name = to_oci(wanted);
  if (wanted.arch == Arch::arm64 && wanted.variant.empty()) name += "/v8";
  return fmt::format("no matching manifest for {} in the manifest list entries", name);
}

Verdict no_matching_entry(const Image& image, const Platform& wanted) {
  std::string have;
  for (const ImageEntry& entry : image.entries()) {
    if (!entry.skipped.empty()) continue;
    have += (have.empty() ? "" : ", ") + (entry.platform.empty() ? entry.config_platform : entry.platform);
  }
  Verdict verdict;
  verdict.target = to_oci(wanted);
  verdict.execve = "unknown";
  FileReport none;
  none.path = image.argument();
  HostInfo host;
  Target target;
  target.platform = wanted;
  host = host_of(target);
  verdict.problems.push_back(verdict::make_problem(
      "E_IMAGE_NO_MATCH",
      fmt::format("{}; the image has {}", no_matching_manifest(wanted), have.empty() ? "no image entries" : have),
      "docker pull and docker run fail", none, host));
  return verdict;
}

// containerd's platforms.Only(): the same OS and architecture with the wanted variant or a
// lower one (amd64/v3 takes v2, v1 and 386; arm/v7 takes v6 and v5; arm64 takes arm/v8 and
// below), the best first; an image's first matching entry wins among equals (image-index.md).
std::optional<std::size_t> select_entry(const Image& image, const Platform& wanted) {
  std::optional<std::size_t> best;
  int best_score = -1;
  const int wanted_rank = variant_rank(wanted.variant);
  for (std::size_t i = 0; i < image.entries().size(); ++i) {
    const ImageEntry& entry = image.entries()[i];
    if (!entry.skipped.empty() || !entry.parsed) continue;
    const Platform& have = *entry.parsed;
    if (have.os != wanted.os) continue;
    int score = -1;
    const int rank = variant_rank(have.variant);
    if (have.arch == wanted.arch) {
      if (wanted.arch == Arch::arm || wanted.arch == Arch::amd64) {
        const int want = wanted.arch == Arch::arm ? (wanted_rank == 0 ? 7 : wanted_rank) : (wanted_rank == 0 ? 1 : wanted_rank);
        const int got = have.arch == Arch::arm ? (rank == 0 ? 7 : rank) : (rank == 0 ? 1 : rank);
        if (got <= want) score = 100 + got;
      } else if (have.variant.empty() || wanted.variant.empty() || have.variant == wanted.variant ||
                 have.variant == "v8") {
        score = 100 + (have.variant == wanted.variant ? 1 : 0);
      }
    } else if (wanted.arch == Arch::amd64 && have.arch == Arch::i386) {
      score = 10;
    } else if (wanted.arch == Arch::arm64 && have.arch == Arch::arm) {
      score = 10 + (rank == 0 ? 7 : rank);
    }
    if (score > best_score) {
      best_score = score;
      best = i;
    }
  }
  return best;
}

Result<ImageJudgement> judge_image_entry(const Image& image, std::size_t index, const HostInfo* machine,
                                         const ImageOptions& options) {
  if (index >= image.entries().size()) return make_error(ErrorCode::out_of_bounds, 0, "no such entry");
  const ImageEntry& entry = image.entries()[index];
  if (!entry.skipped.empty()) return make_error(ErrorCode::unsupported, 0, entry.skipped);
  ImageJudgement out;
  out.entry = index;
  const std::string declared = !entry.platform.empty() ? entry.platform : entry.config_platform;

  // The layers, read in parallel; the first that cannot be read is the entry's error.
  std::vector<std::optional<Result<image::LayerContents>>> read(entry.layers.size());
  std::atomic<std::uint64_t> image_bytes{0};
  parallel_for(entry.layers.size(), jobs_of(options), [&](std::size_t i) {
    read[i] = image::read_layer(image.store(), entry.layers[i], i + 1, options, image_bytes);
  });
  std::vector<image::LayerContents> layers;
  for (auto& layer : read) {
    if (!*layer) return tl::unexpected(layer->error());
    for (std::string& warning : (*layer)->warnings) out.warnings.push_back(std::move(warning));
    layers.push_back(std::move(**layer));
  }
  for (const std::string& warning : entry.warnings) out.warnings.push_back(warning);
  auto root = std::make_shared<image::ImageRoot>(std::move(layers), options.limits);
  for (const std::string& warning : root->warnings()) out.warnings.push_back(warning);

  // The machine: named, or the platform the entry declares.
  const HostInfo probe = probe_root(root, fmt::format("{}@{}", image.argument(), entry.digest.empty() ? declared : entry.digest));
  HostInfo host;
  FileReport none;  // for problems that concern the image, not one file
  none.path = image.argument();
  if (machine != nullptr) {
    if (const Os os = target_platform(*machine).os; os != Os::linux) {
      // Docker Desktop runs Linux containers in a Linux VM, with its own emulation: not a
      // machine enoexec describes, so no verdict rather than the host OS's.
      return make_error(ErrorCode::unsupported, 0,
                        fmt::format("a {} machine runs Linux containers in a Linux VM; name its platform instead "
                                    "(--target linux/{})",
                                    to_string(os), to_string(target_platform(*machine).arch)));
    }
    host = container_host(*machine, probe);
  } else if (entry.parsed && entry.parsed->arch != Arch::unknown) {
    Target target;
    target.text = declared;
    target.platform = *entry.parsed;
    host = container_host(host_of(target), probe);
  } else {
    out.verdict.target = declared.empty() ? std::string("unknown") : declared;
    out.verdict.execve = "unknown";
    out.verdict.problems.push_back(verdict::make_problem(
        "E_IMAGE_PLATFORM_UNKNOWN",
        fmt::format("the image declares the platform '{}', which names no architecture enoexec knows; nothing can be judged against it",
                    declared),
        "unknown", none, host));
    return out;
  }
  out.verdict.target = to_oci(target_platform(host));

  const auto ids = user_ids(entry.run.user, *root);
  FsContextOptions context_options;
  context_options.subject_in_root = true;
  context_options.uid = ids ? ids->first : 0;
  context_options.gid = ids ? ids->second : 0;
  context_options.report_of = [root](const std::string& resolved) { return root->report_at(resolved); };
  const std::unique_ptr<JudgeContext> context = make_fs_context(root, context_options);

  // The entrypoint, as runc resolves and executes it.
  ImageEntrypoint entrypoint;
  entrypoint.argv = entry.run.entrypoint;
  entrypoint.argv.insert(entrypoint.argv.end(), entry.run.cmd.begin(), entry.run.cmd.end());
  const std::string workdir = entry.run.working_dir.empty() ? "/" : join_path("/", entry.run.working_dir);
  if (!ids) {
    entrypoint.verdict.problems.push_back(verdict::make_problem(
        "E_IMAGE_USER_UNKNOWN", fmt::format("unable to find user {}: no matching entries in passwd file", entry.run.user),
        "the container does not start", none, host));
  } else if (entrypoint.argv.empty()) {
    entrypoint.verdict.problems.push_back(verdict::make_problem(
        "E_IMAGE_NO_COMMAND", "no command specified: the config has neither Entrypoint nor Cmd",
        "the container does not start", none, host));
  } else {
    const std::string& name = entrypoint.argv[0];
    std::string found;      // where it is in the image, absolute
    std::string exec_name;  // what LookPath returned, which runc's errors name: "./app", "/usr/bin/app"
    if (name.find('/') != std::string::npos) {
      // exec.LookPath runs before execve even for a path: stat() it, and refuse a directory
      // or a file without any x bit, in Go's words.
      const std::string path = "/" + image::normalise_member(join_path(workdir, name));
      const auto st = root->stat(path);
      const char* code = nullptr;
      std::string why;
      std::string note;  // ours, after runc's words
      if (!st) {
        code = "E_FILE_MISSING";
        why = fmt::format("stat {}: {}", name, lower_strerror(st.error()));
        note = deleted_note(*root, entry, path);
      } else if (st->kind == FileStatus::Kind::directory) {
        code = "E_NOT_REGULAR";
        why = "is a directory";
      } else if ((st->mode & 0111) == 0) {
        code = "E_NOT_EXECUTABLE";
        why = "permission denied";
      }
      if (code != nullptr) {
        FileReport named;
        named.path = path;
        entrypoint.path = path;
        entrypoint.verdict.execve = "not reached";
        entrypoint.runtime_error = fmt::format("exec: \"{}\": {}", name, why);
        entrypoint.verdict.problems.push_back(verdict::make_problem(
            code, entrypoint.runtime_error + note, "the container does not start (exec.LookPath fails before execve)",
            named, host));
      } else {
        found = path;
        exec_name = name;
      }
    } else {
      // Go's exec.LookPath, as runc calls it: the first PATH entry holding a non-directory
      // with any x bit.
      const std::string path_text = path_value(entry.run.env);
      std::string_view path = path_text;
      while (found.empty()) {
        const std::size_t colon = path.find(':');
        const std::string dir(path.substr(0, colon));
        const std::string candidate = "/" + image::normalise_member(join_path(join_path(workdir, dir.empty() ? "." : dir), name));
        const auto st = root->stat(candidate);
        if (st && st->kind != FileStatus::Kind::directory && (st->mode & 0111) != 0) {
          found = candidate;
          exec_name = dir.starts_with('/') ? candidate : join_path(dir.empty() ? "." : dir, name);
        }
        if (colon == std::string_view::npos) break;
        path = path.substr(colon + 1);
      }
      if (found.empty()) {
        std::string note;
        for (std::string_view dirs = path_text; note.empty();) {
          const std::size_t colon = dirs.find(':');
          note = deleted_note(*root, entry, join_path(join_path(workdir, std::string(dirs.substr(0, colon))), name));
          if (colon == std::string_view::npos) break;
          dirs = dirs.substr(colon + 1);
        }
        entrypoint.runtime_error = fmt::format("exec: \"{}\": executable file not found in $PATH", name);
        entrypoint.verdict.problems.push_back(verdict::make_problem(
            "E_IMAGE_NOT_IN_PATH", fmt::format("{} (PATH={}){}", entrypoint.runtime_error, path_text, note),
            "the container does not start", none, host));
      }
    }
    if (!found.empty()) {
      entrypoint.path = found;
      const auto resolved = root->resolve(found);
      std::shared_ptr<const FileReport> report = resolved ? root->report_at(resolved->absolute()) : nullptr;
      if (!report && resolved) {
        const auto head = root->head_of(*resolved, 4096);
        if (head) report = std::make_shared<const FileReport>(inspect_bytes(*head, found, options.inspect));
      }
      if (!report) {
        FileReport missing;
        missing.path = found;
        const bool absent = !resolved;
        entrypoint.verdict.execve = absent ? verdict::errno_name(resolved.error()) : "EACCES";
        entrypoint.runtime_error = fmt::format("exec {}: {}", exec_name, runtime_words(entrypoint.verdict.execve));
        entrypoint.verdict.problems.push_back(verdict::make_problem(
            absent ? "E_FILE_MISSING" : "E_NOT_REGULAR", entrypoint.runtime_error,
            "execve: " + entrypoint.verdict.execve, missing, host));
      } else {
        FileReport named = *report;  // the runtime names the path it executed, not its link target
        named.path = found;
        entrypoint.verdict = judge(named, host, *context);
        if (entrypoint.verdict.execve != "ok") {
          entrypoint.runtime_error = fmt::format("exec {}: {}", exec_name, runtime_words(entrypoint.verdict.execve));
        }
        entrypoint.report = std::move(named);
      }
    }
  }
  entrypoint.verdict.target = out.verdict.target;
  if (entrypoint.verdict.execve.empty()) entrypoint.verdict.execve = "unknown";

  // Every program of the root, judged the same way.
  const std::vector<image::ImageRoot::File> files = root->files();
  std::vector<const image::ImageRoot::File*> programs;
  for (const auto& file : files) {
    if ((file.mode & 0111) == 0 || !file.data || !file.data->report) continue;
    const FileReport& report = *file.data->report;
    if (is_native(report) || report.format == Format::script) programs.push_back(&file);
  }
  std::vector<Verdict> verdicts(programs.size());
  parallel_for(programs.size(), jobs_of(options), [&](std::size_t i) {
    const FileReport& report = *programs[i]->data->report;
    if (report.path == programs[i]->path) {
      verdicts[i] = judge(report, host, *context, JudgeAs::found);
    } else {  // a hard link: the same bytes, judged where this name is
      FileReport named = report;
      named.path = programs[i]->path;
      verdicts[i] = judge(named, host, *context, JudgeAs::found);
    }
  });
  const std::optional<Platform>& own = entry.parsed;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    const FileReport& report = *programs[i]->data->report;
    if (verdicts[i].verdict == VerdictKind::fails) {
      const Problem* first = verdicts[i].problems.empty() ? nullptr : &verdicts[i].problems.front();
      for (const Problem& p : verdicts[i].problems) {
        if (p.severity == "error") {
          first = &p;
          break;
        }
      }
      out.failing.push_back({programs[i]->path, first != nullptr ? first->code : std::string(),
                             first != nullptr ? first->message : std::string()});
    }
    if (!is_native(report)) {
      ++out.programs["script"];
      continue;
    }
    const std::string platform = report.platform ? to_oci(*report.platform) : std::string("unknown");
    ++out.programs[platform];
    if (!programs[i]->data->digest.empty()) out.native_digests[programs[i]->path] = programs[i]->data->digest;
    if (own && report.platform && (report.platform->os != own->os || report.platform->arch != own->arch)) {
      const std::size_t layer = programs[i]->layer;
      out.foreign.push_back({programs[i]->path, platform, layer,
                             layer < entry.layers.size() ? entry.layers[layer].created_by : std::string()});
    }
  }

  // The entry's verdict: the entrypoint's, then what concerns the whole image.
  out.verdict.execve = entrypoint.verdict.execve;
  out.verdict.verdict = entrypoint.argv.empty() || !entrypoint.report ? VerdictKind::fails : entrypoint.verdict.verdict;
  out.verdict.emulator = entrypoint.verdict.emulator;
  out.verdict.problems = entrypoint.verdict.problems;
  if (!out.foreign.empty()) {
    std::string list;
    for (std::size_t i = 0; i < out.foreign.size() && i < 5; ++i) {
      const ForeignProgram& f = out.foreign[i];
      list += fmt::format("{}{} ({}, layer {}{})", i == 0 ? "" : ", ", f.path, f.platform, f.layer + 1,
                          f.created_by.empty() ? std::string() : ": " + f.created_by);
    }
    if (out.foreign.size() > 5) list += fmt::format(", and {} more", out.foreign.size() - 5);
    out.verdict.problems.push_back(verdict::make_warning(
        "W_IMAGE_FOREIGN_PROGRAM",
        fmt::format("{} program{} of this {} image {} built for another platform: {}", out.foreign.size(),
                    out.foreign.size() == 1 ? "" : "s", declared, out.foreign.size() == 1 ? "is" : "are", list),
        "exec format error when run", none, host));
  }
  if (!entry.platform.empty() && !entry.config_platform.empty() && entry.platform != entry.config_platform) {
    out.verdict.problems.push_back(verdict::make_warning(
        "W_IMAGE_PLATFORM_MISMATCH",
        fmt::format("the index declares {} but the image's config says {}", entry.platform, entry.config_platform),
        "a runtime picks this entry for the wrong machine", none, host));
  }
  for (const std::string& warning : out.warnings) {
    if (warning.starts_with("digest mismatch") || warning.find("diff_id mismatch") != std::string::npos) {
      out.verdict.problems.push_back(verdict::make_warning("W_IMAGE_DIGEST_MISMATCH", warning,
                                                           "a runtime refuses to pull or load it", none, host));
    }
  }
  out.entrypoint = std::move(entrypoint);
  return out;
}

void compare_entries(const Image& image, std::vector<ImageJudgement>& judgements) {
  for (std::size_t a = 0; a < judgements.size(); ++a) {
    for (std::size_t b = 0; b < judgements.size(); ++b) {
      if (a == b) continue;
      const ImageEntry& ea = image.entries()[judgements[a].entry];
      const ImageEntry& eb = image.entries()[judgements[b].entry];
      if (!ea.parsed || !eb.parsed || ea.parsed->arch == eb.parsed->arch) continue;
      std::vector<std::string> same;
      for (const auto& [path, digest] : judgements[a].native_digests) {
        const auto it = judgements[b].native_digests.find(path);
        if (it != judgements[b].native_digests.end() && it->second == digest) same.push_back(path);
      }
      if (same.empty()) continue;
      std::string list;
      for (std::size_t i = 0; i < same.size() && i < 5; ++i) list += (i == 0 ? "" : ", ") + same[i];
      if (same.size() > 5) list += fmt::format(", and {} more", same.size() - 5);
      FileReport none;
      none.path = image.argument();
      judgements[a].verdict.problems.push_back(verdict::make_warning(
          "W_IMAGE_SAME_PROGRAM",
          fmt::format("{} program{} here {} byte for byte the same as in the {} entry: {}", same.size(),
                      same.size() == 1 ? "" : "s", same.size() == 1 ? "is" : "are",
                      eb.platform.empty() ? eb.config_platform : eb.platform, list),
          "one build copied into every platform", none, HostInfo{}));
    }
  }
}

}  // namespace enoexec
