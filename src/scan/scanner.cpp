#include "scan/scanner.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include <fmt/format.h>

#include "scan/candidate.hpp"
#include "scan/parallel_walk.hpp"

namespace enoexec::scan {
namespace {

// Descriptors kept aside for stdio, the directory stack and whatever the consumer opens.
constexpr std::size_t reserved_descriptors = 64;

// What the scan does with one entry of the walk, by its type, problem and the filters.
enum class Admission : std::uint8_t {
  descend,         // a directory to walk into
  skip_directory,  // a directory excluded: not descended
  ignore,          // filtered out
  report,          // a result without opening anything: a problem or a special file
  open,            // a regular file for the per-file work
};

Admission admission(const WalkEntry& entry, const Filters& filters) {
  const bool directory = entry.type == EntryType::directory;
  if (entry.depth > 0 && filters.skips(entry.path, entry.name, directory))
    return directory ? Admission::skip_directory : Admission::ignore;
  if (directory && entry.problem == Problem::none)
    return filters.admits_directory(entry.relative) ? Admission::descend : Admission::skip_directory;
  if (!(directory ? filters.admits_directory(entry.relative) : filters.admits_file(entry.relative)))
    return Admission::ignore;
  if (entry.problem != Problem::none || entry.type != EntryType::regular) return Admission::report;
  return Admission::open;
}

ScanResult reported_result(const WalkEntry& entry, ScanOutcome outcome, std::string note) {
  ScanResult result;
  result.path = std::string(entry.path);
  result.type = to_string(entry.type);
  result.outcome = outcome;
  result.note = std::move(note);
  result.quiet = entry.problem == Problem::symlink_not_followed;
  return result;
}

// The per-file work on an open file. A failure inside it (even bad_alloc) is that file's
// error, not the scan's.
void process_file(ScanConsumer& consumer, const OpenedFile& file, ScanResult& result) {
  try {
    consumer.process(file.fd, file.size, result);
    consumer.prepare(result);
  } catch (const std::exception& e) {
    result.outcome = ScanOutcome::error;
    result.report.reset();
    result.note = fmt::format("internal error: {}", e.what());
    result.text.clear();
    consumer.prepare(result);
  }
}

struct Job {
  std::uint64_t sequence = 0;
  OpenedFile file;
  std::string path;
};

// Files travel to the workers in batches: one lock and one wake-up per batch, not per file,
// which is most of what a per-file handoff would cost next to an open and a read.
using Batch = std::vector<Job>;

// Ordered (`--sort path`): one walker thread, N workers, results emitted in walk order.
class Pipeline {
 public:
  Pipeline(const ScanOptions& options, ScanConsumer& consumer)
      : options_(options),
        consumer_(consumer),
        workers_count_(options.threads != 0 ? options.threads
                                            : std::max(1u, std::thread::hardware_concurrency())),
        batch_size_(batch_size_for(options.queue_capacity, workers_count_)),
        queue_batches_(std::max<std::size_t>(fitting_queue(options, workers_count_, batch_size_) / batch_size_, 1)),
        window_(std::max<std::size_t>(options.window, 1)) {
    workers_.reserve(workers_count_);
    for (unsigned i = 0; i < workers_count_; ++i) workers_.emplace_back([this] { work(); });
  }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline() { finish(); }

  WalkAction on_entry(const WalkEntry& entry, ScanStats& stats);

  // Hands the last batch on, lets the workers run the queue dry and waits for them: every
  // result has been emitted when this returns.
  void finish() {
    flush();
    {
      std::lock_guard lock(queue_mutex_);
      closing_ = true;
    }
    queue_not_empty_.notify_all();
    for (std::thread& worker : workers_)
      if (worker.joinable()) worker.join();
  }

  void stop() { stopped_ = true; }

 private:
  static std::size_t batch_size_for(std::size_t queue_capacity, unsigned workers) {
    return std::clamp<std::size_t>(queue_capacity / (2 * std::size_t{workers}), 1, 32);
  }
  // Open files in flight: the queue, the batch being filled and one batch per worker.
  static std::size_t fitting_queue(const ScanOptions& options, unsigned workers, std::size_t batch) {
    std::size_t capacity = std::max<std::size_t>(options.queue_capacity, 1);
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
      const std::size_t taken = reserved_descriptors + options.walk.open_dir_limit + (workers + 1) * batch;
      const auto available = static_cast<std::size_t>(limit.rlim_cur);
      capacity = std::min(capacity, available > taken + batch ? available - taken : batch);
    }
    return capacity;
  }

  std::uint64_t admit();
  void submit(Job job);
  void flush();
  void complete_now(const WalkEntry& entry, std::uint64_t sequence, ScanOutcome outcome,
                    std::string note);
  void emit_in_order(std::span<ScanResult> results);
  void work();
  void process(Job& job, ScanResult& result);

  const ScanOptions& options_;
  ScanConsumer& consumer_;
  const unsigned workers_count_;
  const std::size_t batch_size_;
  const std::size_t queue_batches_;
  const std::size_t window_;

  Batch pending_;  // walker thread only: the batch being filled

  std::mutex queue_mutex_;
  std::condition_variable queue_not_empty_;
  std::condition_variable queue_not_full_;
  std::deque<Batch> queue_;
  bool closing_ = false;

  std::mutex window_mutex_;
  std::condition_variable window_room_;
  std::vector<std::optional<ScanResult>> slots_ = std::vector<std::optional<ScanResult>>(window_);
  std::uint64_t next_sequence_ = 0;  // walker thread only
  std::atomic<std::uint64_t> next_emit_{0};  // written under window_mutex_
  bool draining_ = false;

  std::atomic<bool> stopped_{false};
  std::vector<std::thread> workers_;
};

// The next position in the order. It waits until the window has room for it: the
// walker never runs more than `window` results ahead of the oldest one not yet emitted. The
// batch being filled may hold that oldest one, so it goes to the workers before any wait.
std::uint64_t Pipeline::admit() {
  const std::uint64_t sequence = next_sequence_++;
  if (sequence >= next_emit_ + window_) {
    flush();
    std::unique_lock lock(window_mutex_);
    window_room_.wait(lock, [&] { return sequence < next_emit_ + window_; });
  }
  return sequence;
}

void Pipeline::submit(Job job) {
  pending_.push_back(std::move(job));
  if (pending_.size() >= batch_size_) flush();
}

void Pipeline::flush() {
  if (pending_.empty()) return;
  {
    std::unique_lock lock(queue_mutex_);
    queue_not_full_.wait(lock, [&] { return queue_.size() < queue_batches_; });
    queue_.push_back(std::move(pending_));
  }
  pending_ = Batch();
  pending_.reserve(batch_size_);
  queue_not_empty_.notify_one();
}

WalkAction Pipeline::on_entry(const WalkEntry& entry, ScanStats& stats) {
  if (stopped_) return WalkAction::quit;
  switch (admission(entry, options_.filters)) {
    case Admission::descend: return WalkAction::next;
    case Admission::skip_directory: return WalkAction::skip;
    case Admission::ignore: return WalkAction::next;
    case Admission::report: {
      const ScanOutcome outcome = is_error(entry.problem) ? ScanOutcome::error : ScanOutcome::skipped;
      complete_now(entry, admit(), outcome, std::string(entry.message));
      return WalkAction::next;
    }
    case Admission::open: break;
  }
  ++stats.files;
  const std::uint64_t sequence = admit();
  auto opened = open_regular_at(entry.dir_fd, entry.name.data());  // NUL-terminated
  if (!opened) {
    const bool refused = opened.error().code == ErrorCode::not_regular;
    complete_now(entry, sequence, refused ? ScanOutcome::skipped : ScanOutcome::error,
                 std::move(opened.error().what));
    return WalkAction::next;
  }
  submit(Job{sequence, *opened, std::string(entry.path)});
  return WalkAction::next;
}

void Pipeline::complete_now(const WalkEntry& entry, std::uint64_t sequence, ScanOutcome outcome,
                            std::string note) {
  ScanResult result = reported_result(entry, outcome, std::move(note));
  result.sequence = sequence;
  if (!stopped_) consumer_.prepare(result);
  emit_in_order(std::span<ScanResult>(&result, 1));
}

void Pipeline::work() {
  std::vector<ScanResult> results;
  for (;;) {
    Batch batch;
    {
      std::unique_lock lock(queue_mutex_);
      queue_not_empty_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    queue_not_full_.notify_one();
    results.clear();
    for (Job& job : batch) {
      ScanResult& result = results.emplace_back();
      result.sequence = job.sequence;
      result.path = std::move(job.path);
      result.type = to_string(EntryType::regular);
      result.outcome = ScanOutcome::not_candidate;
      process(job, result);
      ::close(job.file.fd);
    }
    emit_in_order(results);
  }
}

void Pipeline::process(Job& job, ScanResult& result) {
  if (!stopped_) process_file(consumer_, job.file, result);
}

// Whoever completes the oldest outstanding result emits it and every finished one after it;
// the others only park theirs in the window. No thread waits on a slow file but the walker,
// and only once it is `window` entries ahead.
void Pipeline::emit_in_order(std::span<ScanResult> results) {
  std::unique_lock lock(window_mutex_);
  for (ScanResult& result : results) slots_[result.sequence % window_] = std::move(result);
  if (draining_) return;
  draining_ = true;
  for (;;) {
    std::optional<ScanResult>& slot = slots_[next_emit_ % window_];
    if (!slot) break;
    ScanResult ready = std::move(*slot);
    slot.reset();
    ++next_emit_;
    window_room_.notify_all();
    lock.unlock();
    if (!stopped_ && !consumer_.emit(ready)) stopped_ = true;
    lock.lock();
  }
  draining_ = false;
}

// Unordered: no pipeline. Every thread of the parallel walk opens, reads and processes the
// files of the directories it lists, and emits each result itself, one emit() at a time; a
// result the consumer would only count is counted by the thread and handed on in bulk.
class ParallelScan {
 public:
  ParallelScan(const ScanOptions& options, ScanConsumer& consumer)
      : options_(options),
        consumer_(consumer),
        threads_(threads_for(options)),
        workers_(threads_) {}

  WalkAction on_entry(const WalkEntry& entry);
  unsigned threads() const { return threads_; }
  std::uint64_t files() const {
    std::uint64_t total = 0;
    for (const Worker& worker : workers_) total += worker.files;
    return total;
  }
  // After the walk, every thread stopped: hands on what the workers counted but did not emit.
  void finish() {
    for (Worker& worker : workers_) hand_on_counted(worker);
  }

 private:
  // What one thread counts alone, on cache lines of its own: shared counters made every file
  // of a tree move a cache line from core to core.
  struct alignas(64) Worker {
    std::uint64_t files = 0;
    std::uint64_t counted = 0;  // results only_counted() and not yet handed on
  };
  // Counted results go on in bulk at this many, so that progress and quit keep up.
  static constexpr std::uint64_t kCountedBatch = 4096;

  // Each thread holds a directory and a file open: the thread count fits RLIMIT_NOFILE.
  static unsigned threads_for(const ScanOptions& options) {
    unsigned threads = options.threads != 0 ? options.threads
                                            : std::max(1u, std::thread::hardware_concurrency());
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
      const auto available = static_cast<std::size_t>(limit.rlim_cur);
      const std::size_t fitting = available > reserved_descriptors ? (available - reserved_descriptors) / 2 : 1;
      threads = static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(fitting, 1)));
    }
    return threads;
  }

  WalkAction emit(ScanResult& result, unsigned worker) {
    if (consumer_.only_counted(result)) {
      if (++workers_[worker].counted >= kCountedBatch) hand_on_counted(workers_[worker]);
    } else {
      std::lock_guard lock(emit_mutex_);
      result.sequence = sequence_++;
      if (!stopped_ && !consumer_.emit(result)) stopped_ = true;
    }
    return stopped_ ? WalkAction::quit : WalkAction::next;
  }

  void hand_on_counted(Worker& worker) {
    if (worker.counted == 0) return;
    std::lock_guard lock(emit_mutex_);
    if (!stopped_ && !consumer_.emit_counted(worker.counted)) stopped_ = true;
    worker.counted = 0;
  }

  const ScanOptions& options_;
  ScanConsumer& consumer_;
  const unsigned threads_;
  std::vector<Worker> workers_;  // by WalkEntry::worker
  std::mutex emit_mutex_;
  std::atomic<bool> stopped_{false};
  std::uint64_t sequence_ = 0;  // under emit_mutex_
};

WalkAction ParallelScan::on_entry(const WalkEntry& entry) {
  if (stopped_) return WalkAction::quit;
  switch (admission(entry, options_.filters)) {
    case Admission::descend: return WalkAction::next;
    case Admission::skip_directory: return WalkAction::skip;
    case Admission::ignore: return WalkAction::next;
    case Admission::report: {
      const ScanOutcome outcome = is_error(entry.problem) ? ScanOutcome::error : ScanOutcome::skipped;
      ScanResult result = reported_result(entry, outcome, std::string(entry.message));
      consumer_.prepare(result);
      return emit(result, entry.worker);
    }
    case Admission::open: break;
  }
  ++workers_[entry.worker].files;
  auto opened = open_regular_at(entry.dir_fd, entry.name.data());  // NUL-terminated
  if (!opened) {
    const bool refused = opened.error().code == ErrorCode::not_regular;
    ScanResult result = reported_result(entry, refused ? ScanOutcome::skipped : ScanOutcome::error,
                                        std::move(opened.error().what));
    consumer_.prepare(result);
    return emit(result, entry.worker);
  }
  ScanResult result;
  result.path = std::string(entry.path);
  result.type = to_string(EntryType::regular);
  result.outcome = ScanOutcome::not_candidate;
  process_file(consumer_, *opened, result);
  ::close(opened->fd);
  return emit(result, entry.worker);
}

}  // namespace

ScanStats run_scan(const std::vector<std::string>& roots, const ScanOptions& options,
                   ScanConsumer& consumer) {
  ScanStats stats;
  if (!options.ordered) {
    ParallelScan scan(options, consumer);
    parallel_walk(roots, options.walk, scan.threads(),
                  [&](const WalkEntry& entry) { return scan.on_entry(entry); }, stats);
    scan.finish();
    stats.files = scan.files();
    return stats;
  }
  Pipeline pipeline(options, consumer);
  try {
    walk(roots, options.walk,
         [&](const WalkEntry& entry) { return pipeline.on_entry(entry, stats); }, stats);
  } catch (...) {
    pipeline.stop();
    pipeline.finish();
    throw;
  }
  pipeline.finish();
  return stats;
}

}  // namespace enoexec::scan
