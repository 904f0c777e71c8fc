// The flattened root and the entrypoint, through judge_image_entry: layers applied as containerd
// applies them (whiteouts, opaque directories, hard links in the same and in a lower layer,
// member paths that climb out), symlinks resolved inside the image and never on this machine,
// and the entrypoint resolved as runc does (exec.LookPath over the config's PATH or Docker's
// default, WorkingDir, User) then judged: scripts with CRLF or without #!, foreign programs with
// the layer that added them.
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "unit/image/image_test_support.hpp"

namespace enoexec::test {
namespace {

// Judges entry 0 of `spec`'s OCI layout; a failure to open or judge fails the test and gives an
// empty judgement.
ImageJudgement judge_spec(const ImageSpec& spec) {
  const Opened opened = open_tree(layout(spec));
  if (!opened.image) {
    ADD_FAILURE() << "Image::open: " << opened.error;
    return {};
  }
  auto judged = opened.judge();
  if (!judged) {
    ADD_FAILURE() << "judge_image_entry: " << judged.error().what;
    return {};
  }
  return std::move(*judged);
}

// The entrypoint ran: its program resolved to `path`, judged `runs`.
void expect_runs(const ImageJudgement& judged, const std::string& path) {
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::runs) << joined(codes_of(judged.verdict));
  ASSERT_TRUE(judged.entrypoint);
  // "/srv/app/./bin/run" is that path too, though not the shortest spelling of it.
  EXPECT_EQ(std::filesystem::path(judged.entrypoint->path).lexically_normal().string(), path) << judged.entrypoint->path;
  EXPECT_EQ(judged.entrypoint->runtime_error, "");
  EXPECT_TRUE(judged.entrypoint->report) << "no report of " << path;
}

// runc's exec.LookPath refused the entrypoint `name` before any execve, in Go's words.
void expect_lookpath_error(const ImageJudgement& judged, const std::string& code, const std::string& error) {
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::fails);
  EXPECT_TRUE(has_code(judged.verdict, code)) << joined(codes_of(judged.verdict));
  ASSERT_TRUE(judged.entrypoint);
  EXPECT_EQ(judged.entrypoint->runtime_error, error);
}

LayerSpec layer(std::vector<TarEntry> entries, std::string created_by = "") {
  return {.entries = std::move(entries), .created_by = std::move(created_by)};
}

Bytes host_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---------------------------------------------------------------------------------------------
// Layers applied in order.

TEST(ImageRoot, AWhiteoutDeletesTheEntrypoint) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("usr/local/bin/run.sh", static_elf(), 0755)}, "COPY run.sh /usr/local/bin/"),
       layer({TarEntry::whiteout("usr/local/bin/run.sh")}, "RUN rm /usr/local/bin/run.sh")},
      {"/usr/local/bin/run.sh"}));
  expect_lookpath_error(judged, "E_FILE_MISSING",
                        "exec: \"/usr/local/bin/run.sh\": stat /usr/local/bin/run.sh: no such file or directory");
  EXPECT_EQ(judged.programs.count("linux/amd64"), 0u) << "the deleted program is no program of the root";
  // The problem says which layer deleted it (runc does not: that is enoexec's help).
  const Problem* missing = problem_of(judged.verdict, "E_FILE_MISSING");
  ASSERT_NE(missing, nullptr);
  EXPECT_TRUE(contains(missing->message, "layer 2")) << missing->message;
}

TEST(ImageRoot, AWhiteoutDeletesADirectoryWithItsChildren) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::dir("opt/app"), TarEntry::file("opt/app/bin/run", static_elf(), 0755)}),
       layer({TarEntry::whiteout("opt/app")})},
      {"/opt/app/bin/run"}));
  expect_lookpath_error(judged, "E_FILE_MISSING", "exec: \"/opt/app/bin/run\": stat /opt/app/bin/run: no such file or directory");
}

TEST(ImageRoot, AnOpaqueDirectoryHidesWhatLowerLayersPutInIt) {
  std::vector<LayerSpec> layers = {
      layer({TarEntry::file("app/old", static_elf(), 0755), TarEntry::file("app/sub/deep", static_elf(), 0755),
             TarEntry::file("keep/tool", static_elf(), 0755)}),
      layer({TarEntry::dir("app"), TarEntry::opaque("app"), TarEntry::file("app/new", static_elf(), 0755)})};
  const ImageJudgement old = judge_spec(image_spec(layers, {"/app/old"}));
  expect_lookpath_error(old, "E_FILE_MISSING", "exec: \"/app/old\": stat /app/old: no such file or directory");
  EXPECT_EQ(old.programs.at("linux/amd64"), 2u) << "app/new and keep/tool; app/old and app/sub/deep are hidden";
  expect_runs(judge_spec(image_spec(layers, {"/app/new"})), "/app/new");
  expect_runs(judge_spec(image_spec(layers, {"/keep/tool"})), "/keep/tool");
  const ImageJudgement deep = judge_spec(image_spec(layers, {"/app/sub/deep"}));
  expect_lookpath_error(deep, "E_FILE_MISSING", "exec: \"/app/sub/deep\": stat /app/sub/deep: no such file or directory");
}

// A whiteout hides lower layers only: the same layer's file of that name stays, before or after it.
TEST(ImageRoot, AWhiteoutDoesNotDeleteItsOwnLayersFile) {
  for (bool whiteout_first : {true, false}) {
    SCOPED_TRACE(whiteout_first);
    std::vector<TarEntry> upper = {TarEntry::whiteout("app/run"), TarEntry::file("app/run", static_elf(), 0755)};
    if (!whiteout_first) std::swap(upper[0], upper[1]);
    const ImageJudgement judged = judge_spec(image_spec(
        {layer({TarEntry::file("app/run", static_elf(EM_AARCH64), 0755)}), layer(upper)}, {"/app/run"}));
    expect_runs(judged, "/app/run");
    EXPECT_TRUE(judged.foreign.empty()) << "the lower arm64 build is gone";
  }
}

// A later layer's file replaces the lower one; a directory over a directory keeps its children.
TEST(ImageRoot, UpperLayersReplaceFilesAndMergeDirectories) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::dir("app"), TarEntry::file("app/run", static_elf(EM_AARCH64), 0755),
              TarEntry::file("app/lib/helper", static_elf(), 0755)}),
       layer({TarEntry::dir("app", 0700), TarEntry::file("app/run", static_elf(), 0755)})},
      {"/app/run"}));
  expect_runs(judged, "/app/run");
  EXPECT_TRUE(judged.foreign.empty());
  EXPECT_EQ(judged.programs.at("linux/amd64"), 2u);
}

// ---------------------------------------------------------------------------------------------
// Hard links.

TEST(ImageRoot, AHardLinkInTheSameLayer) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("bin/real", static_elf(), 0755), TarEntry::hardlink("bin/link", "bin/real")})}, {"/bin/link"}));
  expect_runs(judged, "/bin/link");
  EXPECT_EQ(line_with(judged.warnings, "hard link"), "") << "the spec's own case needs no warning";
  EXPECT_EQ(judged.programs.at("linux/amd64"), 2u);
}

// containerd's applier links a lower layer's file all the same; so does enoexec, with a warning.
TEST(ImageRoot, AHardLinkToALowerLayersFileIsLinkedWithAWarning) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("bin/real", static_elf(), 0755)}), layer({TarEntry::hardlink("bin/link", "bin/real")})},
      {"/bin/link"}));
  expect_runs(judged, "/bin/link");
  const std::string warning = line_with(judged.warnings, "bin/link");
  EXPECT_TRUE(contains(warning, "lower layer")) << joined(judged.warnings);
  EXPECT_TRUE(contains(warning, "layer 2")) << warning;
}

// A target hidden by a later whiteout keeps the link's content.
TEST(ImageRoot, AHardLinkKeepsItsContentWhenTheTargetIsDeleted) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("bin/real", static_elf(), 0755), TarEntry::hardlink("bin/link", "bin/real")}),
       layer({TarEntry::whiteout("bin/real")})},
      {"/bin/link"}));
  expect_runs(judged, "/bin/link");
}

TEST(ImageRoot, AHardLinkToALaterOrMissingFileIsNotApplied) {
  for (const bool later : {true, false}) {
    SCOPED_TRACE(later);
    std::vector<LayerSpec> layers = {layer({TarEntry::hardlink("bin/link", "bin/real")})};
    if (later) layers.push_back(layer({TarEntry::file("bin/real", static_elf(), 0755)}));
    const ImageJudgement judged = judge_spec(image_spec(layers, {"/bin/link"}));
    const std::string warning = line_with(judged.warnings, "bin/link");
    EXPECT_TRUE(contains(warning, "not applied")) << joined(judged.warnings);
    EXPECT_TRUE(contains(warning, "layer 1")) << warning;
    expect_lookpath_error(judged, "E_FILE_MISSING", "exec: \"/bin/link\": stat /bin/link: no such file or directory");
  }
}

// ---------------------------------------------------------------------------------------------
// Member paths and symlinks: inside the image, never this machine.

TEST(ImageRoot, AMemberThatClimbsOutIsNotApplied) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("../escape", static_elf(), 0755), TarEntry::file("bin/../../up", static_elf(), 0755),
              TarEntry::file("/abs/tool", static_elf(), 0755), TarEntry::file("./bin/app", static_elf(), 0755)})},
      {"/bin/app"}));
  expect_runs(judged, "/bin/app");
  EXPECT_TRUE(contains(line_with(judged.warnings, "../escape"), "not applied")) << joined(judged.warnings);
  EXPECT_TRUE(contains(line_with(judged.warnings, "bin/../../up"), "not applied")) << joined(judged.warnings);
  // "/abs/tool" is read as the tar readers of runtimes read it: abs/tool, inside the root.
  EXPECT_EQ(judged.programs.at("linux/amd64"), 2u);
}

// /bin/sh -> /bin/busybox: the absolute target is the image's (this machine has none).
TEST(ImageRoot, AnAbsoluteSymlinkResolvesInsideTheImage) {
  ASSERT_NE(::access("/bin/busybox", F_OK), 0) << "this test needs a machine without /bin/busybox";
  ASSERT_EQ(::access("/bin/true", F_OK), 0) << "this test needs a machine with /bin/true";
  const std::vector<LayerSpec> layers = {
      layer({TarEntry::file("bin/busybox", static_elf(), 0755), TarEntry::symlink("bin/sh", "/bin/busybox"),
             TarEntry::symlink("usr/bin/env", "../../bin/busybox"),
             TarEntry::symlink("bin/up", "/../../../../bin/busybox"),  // ".." stops at the image's root
             TarEntry::symlink("bin/host-true", "/bin/true")})};       // the machine's file, not the image's
  const ImageJudgement sh = judge_spec(image_spec(layers, {"/bin/sh", "-c", "echo ok"}));
  expect_runs(sh, "/bin/sh");
  ASSERT_TRUE(sh.entrypoint && sh.entrypoint->report);
  EXPECT_EQ(sh.entrypoint->report->format, Format::elf);
  EXPECT_EQ(sh.entrypoint->report->path, "/bin/sh") << "runc names the path it executed";
  expect_runs(judge_spec(image_spec(layers, {"/usr/bin/env"})), "/usr/bin/env");
  expect_runs(judge_spec(image_spec(layers, {"/bin/up"})), "/bin/up");
  expect_lookpath_error(judge_spec(image_spec(layers, {"/bin/host-true"})), "E_FILE_MISSING",
                        "exec: \"/bin/host-true\": stat /bin/host-true: no such file or directory");
  // A parent directory that is a link: /usr/sbin -> /bin.
  std::vector<LayerSpec> merged = layers;
  merged.push_back(layer({TarEntry::symlink("usr/sbin", "/bin")}));
  expect_runs(judge_spec(image_spec(merged, {"/usr/sbin/busybox"})), "/usr/sbin/busybox");
}

// A layer's "lib/x" lands where the root's links say (a merged-/usr root).
TEST(ImageRoot, ALayerIsAppliedThroughTheRootsSymlinks) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::dir("usr/bin"), TarEntry::symlink("bin", "usr/bin")}),
       layer({TarEntry::file("bin/tool", static_elf(), 0755)})},
      {"/usr/bin/tool"}));
  expect_runs(judged, "/usr/bin/tool");
}

TEST(ImageRoot, ASymlinkLoopIsELOOP) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::symlink("bin/a", "b"), TarEntry::symlink("bin/b", "/bin/a"), TarEntry::symlink("bin/self", "self")})},
      {"/bin/a"}));
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::fails);
  ASSERT_TRUE(judged.entrypoint);
  EXPECT_EQ(judged.entrypoint->runtime_error, "exec: \"/bin/a\": stat /bin/a: too many levels of symbolic links");
  EXPECT_FALSE(judged.verdict.problems.empty());
  // A layer whose parent directory loops is not applied, and says so.
  const ImageJudgement under = judge_spec(image_spec(
      {layer({TarEntry::symlink("loop", "loop")}), layer({TarEntry::file("loop/tool", static_elf(), 0755)})}, {"/loop/tool"}));
  EXPECT_TRUE(contains(line_with(under.warnings, "loop/tool"), "not applied")) << joined(under.warnings);
}

// ---------------------------------------------------------------------------------------------
// The entrypoint as runc finds it.

TEST(ImageEntrypoint, ABareNameIsLookedUpInTheConfigsPath) {
  std::vector<LayerSpec> layers = {layer({
      TarEntry::dir("opt/a/tool"),                                   // a directory: skipped
      TarEntry::file("opt/b/tool", static_elf(EM_X86_64, 64, 0, "b"), 0644),  // no x bit: skipped
      TarEntry::file("opt/c/tool", static_elf(), 0755),
      TarEntry::file("opt/d/tool", static_elf(EM_AARCH64), 0755),  // after c: never reached
  })};
  ImageSpec spec = image_spec(layers, {"tool", "--flag"});
  spec.config.env = {"HOME=/root", "PATH=/opt/none:/opt/a:/opt/b:/opt/c:/opt/d"};
  const ImageJudgement judged = judge_spec(spec);
  expect_runs(judged, "/opt/c/tool");
  ASSERT_TRUE(judged.entrypoint);
  EXPECT_EQ(judged.entrypoint->argv, (std::vector<std::string>{"tool", "--flag"}));

  spec.config.env = {"PATH=/opt/a:/opt/b"};
  const ImageJudgement missing = judge_spec(spec);
  EXPECT_EQ(missing.verdict.verdict, VerdictKind::fails);
  ASSERT_FALSE(missing.verdict.problems.empty());
  EXPECT_EQ(missing.verdict.problems[0].code, "E_IMAGE_NOT_IN_PATH") << joined(codes_of(missing.verdict));
  const std::string& message = missing.verdict.problems.at(0).message;
  EXPECT_TRUE(contains(message, "exec: \"tool\": executable file not found in $PATH")) << message;
  EXPECT_TRUE(contains(message, "/opt/a:/opt/b")) << message;
  // What runc prints: exec.LookPath's error, before any execve.
  ASSERT_TRUE(missing.entrypoint);
  EXPECT_EQ(missing.entrypoint->runtime_error, "exec: \"tool\": executable file not found in $PATH");
}

// moby's DefaultPathEnv when the config sets no PATH.
TEST(ImageEntrypoint, DockersDefaultPathWhenTheConfigSetsNone) {
  ImageSpec spec = image_spec({layer({TarEntry::file("sbin/tool", static_elf(), 0755)})}, {"tool"});
  spec.config.env = {"HOME=/root"};
  expect_runs(judge_spec(spec), "/sbin/tool");
  spec.config.env.clear();
  expect_runs(judge_spec(spec), "/sbin/tool");
  spec.config.entrypoint = std::vector<std::string>{"absent"};
  const ImageJudgement missing = judge_spec(spec);
  EXPECT_EQ(codes_of(missing.verdict), (std::vector<std::string>{"E_IMAGE_NOT_IN_PATH"}));
  EXPECT_TRUE(contains(missing.verdict.problems.at(0).message, "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
      << missing.verdict.problems.at(0).message;
}

TEST(ImageEntrypoint, ARelativePathStartsAtWorkingDir) {
  ImageSpec spec = image_spec({layer({TarEntry::file("srv/app/bin/run", static_elf(), 0755)})}, {"bin/run"});
  spec.config.working_dir = "/srv/app";
  expect_runs(judge_spec(spec), "/srv/app/bin/run");
  spec.config.entrypoint = std::vector<std::string>{"./bin/run"};
  expect_runs(judge_spec(spec), "/srv/app/bin/run");
  // runc executes the name LookPath returned, as given, and names it so.
  ImageSpec bad = image_spec({layer({TarEntry::file("srv/app/bin/bad", static_elf(EM_AARCH64), 0755)})}, {"./bin/bad"});
  bad.config.working_dir = "/srv/app";
  const ImageJudgement judged = judge_spec(bad);
  EXPECT_EQ(judged.verdict.execve, "ENOEXEC");
  ASSERT_TRUE(judged.entrypoint);
  EXPECT_EQ(judged.entrypoint->runtime_error, "exec ./bin/bad: exec format error");
  spec.config.working_dir = "";
  expect_lookpath_error(judge_spec(spec), "E_FILE_MISSING", "exec: \"./bin/run\": stat ./bin/run: no such file or directory");
}

// Cmd alone is the command; Entrypoint + Cmd are one argv.
TEST(ImageEntrypoint, EntrypointAndCmd) {
  ImageSpec spec = image_spec({program_layer("bin/app")}, {});
  spec.config.entrypoint.reset();
  spec.config.cmd = std::vector<std::string>{"/bin/app", "serve"};
  const ImageJudgement cmd = judge_spec(spec);
  expect_runs(cmd, "/bin/app");
  ASSERT_TRUE(cmd.entrypoint);
  EXPECT_EQ(cmd.entrypoint->argv, (std::vector<std::string>{"/bin/app", "serve"}));
}

TEST(ImageEntrypoint, NoEntrypointOrCmd) {
  ImageSpec spec = image_spec({program_layer("bin/app")}, {});
  spec.config.entrypoint.reset();
  const ImageJudgement judged = judge_spec(spec);
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(codes_of(judged.verdict), (std::vector<std::string>{"E_IMAGE_NO_COMMAND"}));
  EXPECT_TRUE(!judged.entrypoint || judged.entrypoint->argv.empty());
}

// The entrypoint is not a file runc would execute: a directory, or no x bit.
TEST(ImageEntrypoint, ADirectoryOrAFileWithoutAnXBit) {
  const std::vector<LayerSpec> layers = {
      layer({TarEntry::dir("app/dir"), TarEntry::file("app/data", static_elf(), 0644)})};
  expect_lookpath_error(judge_spec(image_spec(layers, {"/app/dir"})), "E_NOT_REGULAR", "exec: \"/app/dir\": is a directory");
  const ImageJudgement data = judge_spec(image_spec(layers, {"/app/data"}));
  EXPECT_EQ(data.verdict.verdict, VerdictKind::fails);
  ASSERT_TRUE(data.entrypoint);
  EXPECT_EQ(data.entrypoint->runtime_error, "exec: \"/app/data\": permission denied");
}

// ---------------------------------------------------------------------------------------------
// User.

Bytes passwd() {
  return bytes_of("root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
}

TEST(ImageUser, AnUnknownUserNameStopsTheContainer) {
  ImageSpec spec = image_spec({layer({TarEntry::file("etc/passwd", passwd()), TarEntry::file("bin/app", static_elf(), 0755)})},
                              {"/bin/app"});
  spec.config.user = "nobody";
  const ImageJudgement judged = judge_spec(spec);
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(codes_of(judged.verdict), (std::vector<std::string>{"E_IMAGE_USER_UNKNOWN"}));
  EXPECT_TRUE(contains(judged.verdict.problems.at(0).message, "unable to find user nobody"))
      << judged.verdict.problems.at(0).message;
  // Known names and numbers start it.
  for (const char* user : {"app", "app:1000", "1000", "1000:1000", "root", "0"}) {
    SCOPED_TRACE(user);
    spec.config.user = user;
    expect_runs(judge_spec(spec), "/bin/app");
  }
  spec.config.user = "app:nogroup";
  EXPECT_TRUE(has_code(judge_spec(spec).verdict, "E_IMAGE_USER_UNKNOWN"));
}

// A file only root may execute (0700, owned by root), run as uid 1000.
TEST(ImageUser, ANonRootUserMayNotExecuteARootOnlyFile) {
  ImageSpec spec = image_spec({layer({TarEntry::file("etc/passwd", passwd()),
                                      TarEntry::file("bin/app", static_elf(), 0700).owner(0, 0),
                                      TarEntry::file("bin/mine", static_elf(), 0700).owner(1000, 1000)})},
                              {"/bin/app"});
  expect_runs(judge_spec(spec), "/bin/app");  // as root
  for (const char* user : {"app", "1000:1000"}) {
    SCOPED_TRACE(user);
    spec.config.user = user;
    spec.config.entrypoint = std::vector<std::string>{"/bin/app"};
    const ImageJudgement judged = judge_spec(spec);
    EXPECT_EQ(judged.verdict.verdict, VerdictKind::fails);
    EXPECT_EQ(judged.verdict.execve, "EACCES");
    ASSERT_TRUE(judged.entrypoint);
    EXPECT_TRUE(judged.entrypoint->runtime_error.ends_with("permission denied")) << judged.entrypoint->runtime_error;
    spec.config.entrypoint = std::vector<std::string>{"/bin/mine"};
    expect_runs(judge_spec(spec), "/bin/mine");
  }
}

// ---------------------------------------------------------------------------------------------
// What the entrypoint is.

TEST(ImageEntrypoint, ACrlfShebang) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("bin/sh", static_elf(), 0755), TarEntry::file("run.sh", "#!/bin/sh\r\necho ok\r\n", 0755)})},
      {"/run.sh"}));
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(judged.verdict.execve, "ENOENT");
  EXPECT_TRUE(has_code(judged.verdict, "E_SCRIPT_CRLF")) << joined(codes_of(judged.verdict));
  ASSERT_TRUE(judged.entrypoint);
  EXPECT_EQ(judged.entrypoint->runtime_error, "exec /run.sh: no such file or directory");
}

TEST(ImageEntrypoint, AScriptWithoutShebang) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("bin/sh", static_elf(), 0755), TarEntry::file("run.sh", "echo ok\n", 0755)})}, {"/run.sh"}));
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(judged.verdict.execve, "ENOEXEC");
  EXPECT_TRUE(has_code(judged.verdict, "E_NO_SHEBANG")) << joined(codes_of(judged.verdict));
  ASSERT_TRUE(judged.entrypoint);
  EXPECT_EQ(judged.entrypoint->runtime_error, "exec /run.sh: exec format error");
}

// The #! interpreter is the image's: a script runs with the image's /bin/sh, fails without it.
TEST(ImageEntrypoint, TheShebangInterpreterIsTheImages) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("usr/bin/python3", static_elf(), 0755), TarEntry::symlink("usr/bin/python", "python3"),
              TarEntry::file("app.py", "#!/usr/bin/env python\nprint(1)\n", 0755),
              TarEntry::file("usr/bin/env", static_elf(), 0755)})},
      {"/app.py"}));
  expect_runs(judged, "/app.py");
  ASSERT_EQ(::access("/bin/sh", X_OK), 0);
  const ImageJudgement no_sh = judge_spec(image_spec({layer({TarEntry::file("run.sh", "#!/bin/sh\necho ok\n", 0755)})}, {"/run.sh"}));
  EXPECT_EQ(no_sh.verdict.verdict, VerdictKind::fails) << "this machine's /bin/sh is not the image's";
  EXPECT_EQ(no_sh.verdict.execve, "ENOENT");
}

// A glibc root that runs, from this machine's own files: /bin/true, its loader and libc.
TEST(ImageEntrypoint, ARealGlibcProgramWithItsLoaderAndLibc) {
  const Bytes loader = host_file("/lib64/ld-linux-x86-64.so.2"), libc = host_file("/lib/x86_64-linux-gnu/libc.so.6");
  const Bytes program = host_file("/bin/true");
  if (loader.empty() || libc.empty() || program.empty()) GTEST_SKIP() << "not a Debian amd64 machine";
  std::vector<TarEntry> root = {TarEntry::file("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", loader, 0755),
                                TarEntry::symlink("lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
                                TarEntry::file("lib/x86_64-linux-gnu/libc.so.6", libc, 0755),
                                TarEntry::file("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n"),
                                TarEntry::file("etc/ld.so.conf.d/x86_64-linux-gnu.conf", "/lib/x86_64-linux-gnu\n"),
                                TarEntry::file("usr/bin/true", program, 0755)};
  const ImageJudgement judged = judge_spec(image_spec({layer(root)}, {"true"}));
  expect_runs(judged, "/usr/bin/true");
  for (const Problem& problem : judged.verdict.problems) EXPECT_NE(problem.severity, "error") << problem.message;
  // Without libc.so.6, the loader cannot load it: the container starts and exits 127.
  root.erase(root.begin() + 2);
  const ImageJudgement no_libc = judge_spec(image_spec({layer(root)}, {"/usr/bin/true"}));
  EXPECT_EQ(no_libc.verdict.verdict, VerdictKind::fails) << joined(codes_of(no_libc.verdict));
  EXPECT_TRUE(has_code(no_libc.verdict, "E_LIB_MISSING")) << joined(codes_of(no_libc.verdict));
  // Without the loader: ENOENT for a file that exists.
  root.erase(root.begin(), root.begin() + 2);
  const ImageJudgement no_loader = judge_spec(image_spec({layer(root)}, {"/usr/bin/true"}));
  EXPECT_EQ(no_loader.verdict.execve, "ENOENT");
  ASSERT_TRUE(no_loader.entrypoint);
  EXPECT_EQ(no_loader.entrypoint->runtime_error, "exec /usr/bin/true: no such file or directory");
}

// ---------------------------------------------------------------------------------------------
// Every program of the root.

TEST(ImagePrograms, AForeignProgramIsReportedWithItsLayer) {
  const ImageJudgement judged = judge_spec(image_spec(
      {layer({TarEntry::file("bin/app", static_elf(), 0755)}, "COPY app /bin/"),
       layer({TarEntry::file("usr/bin/helper", static_elf(EM_AARCH64), 0755),
              TarEntry::file("usr/share/data.bin", static_elf(EM_AARCH64), 0644)},  // no x bit: no program
             "COPY --from=build-arm64 /out/helper /usr/bin/")},
      {"/bin/app"}));
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::runs) << "the entrypoint runs; the helper would not";
  ASSERT_EQ(judged.foreign.size(), 1u);
  EXPECT_EQ(judged.foreign[0].path, "/usr/bin/helper");
  EXPECT_EQ(judged.foreign[0].platform, "linux/arm64");
  EXPECT_EQ(judged.foreign[0].layer, 1u);
  EXPECT_EQ(judged.foreign[0].created_by, "COPY --from=build-arm64 /out/helper /usr/bin/");
  EXPECT_EQ(judged.programs.at("linux/amd64"), 1u);
  EXPECT_EQ(judged.programs.at("linux/arm64"), 1u);
  ASSERT_EQ(judged.failing.size(), 1u);
  EXPECT_EQ(judged.failing[0].path, "/usr/bin/helper");
  EXPECT_EQ(judged.failing[0].code, "E_WRONG_ARCH");
  const Problem* foreign = problem_of(judged.verdict, "W_IMAGE_FOREIGN_PROGRAM");
  ASSERT_NE(foreign, nullptr) << joined(codes_of(judged.verdict));
  EXPECT_TRUE(contains(foreign->message, "/usr/bin/helper")) << foreign->message;
  EXPECT_TRUE(contains(foreign->message, "COPY --from=build-arm64")) << foreign->message;
}

// A mislabelled entry: everything in it is foreign, the entrypoint first.
TEST(ImagePrograms, AnEntryLabelledForAnotherArchitecture) {
  const ImageJudgement judged = judge_spec(image_spec({program_layer("bin/app", EM_AARCH64)}, {"/bin/app"}));
  EXPECT_EQ(judged.verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(judged.verdict.execve, "ENOEXEC");
  EXPECT_EQ(codes_of(judged.verdict), (std::vector<std::string>{"E_WRONG_ARCH", "W_IMAGE_FOREIGN_PROGRAM"}));
  ASSERT_TRUE(judged.entrypoint);
  EXPECT_EQ(judged.entrypoint->runtime_error, "exec /bin/app: exec format error");
}

// --target/--host: the entry judged on a named machine, with the image's own files.
TEST(ImagePrograms, JudgedOnANamedMachine) {
  const Opened opened = open_tree(layout(image_spec({program_layer("bin/app")}, {"/bin/app"})));
  ASSERT_TRUE(opened.image) << opened.error;
  HostInfo arm64;
  arm64.kernel.os = "Linux";
  arm64.kernel.arch = Arch::arm64;
  arm64.kernel.machine = "aarch64";
  arm64.kernel.bits = 64;
  arm64.kernel.endian = Endian::little;
  const auto judged = opened.judge(0, &arm64);
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_TRUE(judged->verdict.target.starts_with("linux/arm64")) << judged->verdict.target;
  EXPECT_EQ(judged->verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(judged->verdict.execve, "ENOEXEC");
}

}  // namespace
}  // namespace enoexec::test
