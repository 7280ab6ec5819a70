//! Bounded pools for CPU-heavy work, kept off the async workers.
//!
//! The async workers answer every request, so anything that holds one for long (a PNG
//! rasterisation takes ~14 ms, brotli at a high quality milliseconds) makes every other
//! request wait behind it. Such work runs on tokio's blocking threads instead, and each kind
//! has its own limit: a flood of chart requests queues for the chart pool and slows charts,
//! not pages, and compression can never take every core.
//!
//! The pools are process-wide statics rather than `AppState` fields because what they bound is
//! the machine's cores, which every router in the process shares.
//!
//! Rendering on the async workers is bounded too: a miss takes its worker's [`RenderTurn`]
//! before rendering. Whether it does is the route's decision, made where the
//! route is declared rather than guessed from a URL: `web::router` puts the routes that render
//! on the workers behind the [`render_turn`] layer, and a handler that renders elsewhere (a
//! PNG chart, drawn in [`CHARTS`]) takes a turn itself only for what it renders on a worker.
//! The turn is taken inside the request timeout, after the response store has missed: a hit
//! never waits for one, and a miss's wait and render share one timer.

use std::sync::{Arc, LazyLock};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A limit on how many jobs of one kind run at once on the blocking threads.
pub struct Pool {
    /// Its name in the metrics.
    name: &'static str,
    permits: Arc<Semaphore>,
    /// Whether to hand freed memory back to the system after each job.
    trim: bool,
}

/// Counts a job waiting for a turn in pool `0`'s metrics while it lives: a wait given up (a
/// timeout, a closed connection) stops counting too.
struct Waiting(&'static str);

impl Waiting {
    fn new(pool: &'static str) -> Waiting {
        metrics::gauge!(super::metrics::POOL_WAITING, "pool" => pool).increment(1.0);
        Waiting(pool)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        metrics::gauge!(super::metrics::POOL_WAITING, "pool" => self.0).decrement(1.0);
    }
}

impl Pool {
    fn new(name: &'static str, permits: usize, trim: bool) -> Pool {
        Pool {
            name,
            permits: Arc::new(Semaphore::new(permits.max(1))),
            trim,
        }
    }

    /// Runs `work` on a blocking thread once one of the pool's permits is free, and answers
    /// its result (`None` if it panicked). The permit travels with the work, so a caller that
    /// gives up (a timeout, a closed connection) cannot let more jobs run than the limit.
    pub async fn run<T, F>(&self, work: F) -> Option<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let waiting = Waiting::new(self.name);
        let permit = Arc::clone(&self.permits).acquire_owned().await.ok()?;
        drop(waiting);
        let trim = self.trim;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            yield_to_requests();
            let result = work();
            if trim {
                release_free_memory();
            }
            result
        })
        .await
        .ok()
    }

    /// Starts `work` in the background if a permit is free now, and answers whether it did.
    /// For work that only improves what later requests get, and may be skipped when busy.
    pub fn try_spawn<F>(&self, work: F) -> bool
    where
        F: FnOnce() + Send + 'static,
    {
        let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() else {
            metrics::counter!(super::metrics::POOL_REJECTIONS, "pool" => self.name).increment(1);
            return false;
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            yield_to_requests();
            work()
        });
        true
    }
}

pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Rasterising charts: half the cores (at least one), so pages always keep a core. A
/// rasterisation allocates megabytes in thousands of pieces (the tree, glyph outlines, the
/// pixmap, the PNG); glibc keeps the freed pages in the thread's arena, which held RSS 8 MB
/// above its bound after a flood of chart requests, so each job hands them back (~1 ms).
pub static CHARTS: LazyLock<Pool> = LazyLock::new(|| match CHARTS_WIDTH.get() {
    Some(&width) => Pool::new("charts", width, false),
    None => Pool::new("charts", cores() / 2, true),
});

/// How many threads [`CHARTS`] has, if set before its first use.
static CHARTS_WIDTH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Gives charts every core and one drawing more, and keeps the memory each drawing frees for
/// the next: for the static export, which serves no one while it draws and then exits. With
/// one drawing per core, the machine was 10 to 20 % idle throughout the export (`vmstat`),
/// though drawings were always waiting for a turn; with one more, the export took 9.4 to
/// 10.1 s against 10.7 to 11.5 s (six runs of each,
/// alternating, build without LTO), for a peak RSS of 420 to 520 MB against 385 to 400 MB
/// (three of each). Two more instead of one were no quicker.
/// Without effect once a chart has been drawn.
pub fn charts_on_every_core() {
    let _ = CHARTS_WIDTH.set(cores() + 1);
}

/// Writing downloads as they are sent (`web::export`): half the cores (at least one). A job
/// holds its permit while its client reads, so slow readers make other downloads wait, never
/// pages.
pub static EXPORTS: LazyLock<Pool> = LazyLock::new(|| Pool::new("exports", cores() / 2, false));

/// Compressing responses: one job per core.
pub static COMPRESS: LazyLock<Pool> = LazyLock::new(|| Pool::new("compress", cores(), false));

/// Lowers the calling thread's scheduling priority (Linux keeps a nice value per thread), so
/// that where the pools and the async workers want the same core, the workers win: a chart
/// flood then costs pages little latency (with the pools at the workers' priority, a cached
/// page's p99 was 10.8 ms under 64 connections of PNGs). Only blocking threads call it, and
/// they only run pool work, so it is set once per thread in effect.
fn yield_to_requests() {
    #[cfg(target_os = "linux")]
    {
        const PRIO_PROCESS: i32 = 0;
        unsafe extern "C" {
            fn setpriority(which: i32, who: u32, prio: i32) -> i32;
        }
        // SAFETY: setpriority takes no pointers; `who` 0 is the calling thread on Linux.
        unsafe {
            setpriority(PRIO_PROCESS, 0, 10);
        }
    }
}

/// Hands the allocator's free pages back to the system.
pub(super) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim takes no pointers, and glibc's allocator is thread-safe.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Keeps every allocation of 128 KB or more (a page being rendered, a pixmap, a PNG) in its
/// own mapping, handed back to the system when freed. glibc starts at this threshold but
/// raises it to the largest such block freed, up to 32 MB, after which those blocks come from
/// the threads' arenas and their pages stay there: after 8 s of PNG charts of distinct widths
/// the server held 40 MB, and 26 to 30 MB with the threshold kept, for the same throughput
/// (`docs/performance.md`). Called once, before the server starts.
pub(super) fn keep_large_allocations_mapped() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const M_MMAP_THRESHOLD: i32 = -3;
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // SAFETY: mallopt takes no pointers, and glibc's allocator locks itself around it.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        }
    }
}

/// Rendering missed pages on the async workers: one at a time per worker (an event loop per
/// core, see `web::event_loops`), so each thread holds its own turn. The others wait their turn
/// holding nothing, where 64 connections of misses rendered at once held 34 MB of RSS against
/// 20 MB with this, for the same throughput; and a cached page never queues behind more than a
/// couple of renders (a turn's holder yields once before rendering, see [`RenderTurn::take`]).
/// One turn for the whole process instead kept a cached page's p99 at 2.6 ms too, but halved
/// the misses' throughput (3,300 against 5,100-5,700 req/s); so did turns shared by the
/// event loops, as one loop could hold them all while the other's misses waited.
fn renders() -> Arc<Semaphore> {
    thread_local! {
        static TURN: Arc<Semaphore> = Arc::new(Semaphore::new(1));
    }
    TURN.with(Arc::clone)
}

/// The render turn of the worker that took it, held while a response is rendered there.
pub struct RenderTurn {
    _permit: Option<OwnedSemaphorePermit>,
}

impl RenderTurn {
    /// Waits for this worker's turn. A turn is handed to the next waiter on this worker, which
    /// would run it at once: to the back of the queue first, so the hits queued meanwhile are
    /// answered before it (a cached page's p99 under 64 connections of distinct misses:
    /// 2.9 ms, 13.5 without).
    pub async fn take() -> RenderTurn {
        // A turn's semaphore is never closed; were it, rendering without a turn is the safe
        // answer.
        let waiting = Waiting::new("render");
        let permit = renders().acquire_owned().await.ok();
        drop(waiting);
        tokio::task::yield_now().await;
        RenderTurn { _permit: permit }
    }
}

/// A layer for routes that render on the async workers: the handler runs holding a turn.
pub async fn render_turn(request: Request, next: Next) -> Response {
    let _turn = RenderTurn::take().await;
    next.run(request).await
}

/// The most blocking threads the server's runtime keeps: enough for every pool at once.
pub fn max_blocking_threads() -> usize {
    2 * (cores() / 2).max(1) + cores() + 2
}
