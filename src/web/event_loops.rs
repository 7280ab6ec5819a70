//! The server's event loops: one per core, each a single-threaded tokio runtime on its own
//! thread, accepting on its own listening socket. A request is answered on the core that read
//! it, with no other worker to wake or to share reference counts with: a cached
//! `/charts/coverage.svg` went from 0.78 to 0.89-0.93 of nginx serving the same bytes
//! (`docs/performance.md`). nginx runs the same way, one worker process per core.
//!
//! On Linux each loop has its own socket and the kernel spreads new connections over them
//! (`SO_REUSEPORT`, as nginx's `listen ... reuseport`). One socket shared by every loop let
//! whichever loop woke first take a whole burst: of 64 connections opened at once, one loop
//! took all 64 and the other core stayed idle. Elsewhere the loops share one socket.
//!
//! What a loop renders it renders alone (see `pool::RenderTurn`): a long render delays the
//! other requests of its loop, never another loop's.

use std::future::Future;
use std::io;
use std::net::{SocketAddr, TcpListener};

use axum::Router;
use tokio::sync::watch;

use super::pool;

/// Serves `app` on `addr` with one event loop per core until SIGINT or SIGTERM, letting each
/// loop's in-flight requests finish. `setup` runs first, on the first loop (this thread), with
/// the address bound: what it spawns (the metrics listener, the reload triggers) runs there.
pub(super) fn run<F>(
    addr: SocketAddr,
    app: Router,
    setup: impl FnOnce(SocketAddr) -> F,
) -> io::Result<()>
where
    F: Future<Output = io::Result<()>>,
{
    let mut listeners = listen(addr, pool::cores())?.into_iter();
    let first = listeners
        .next()
        .ok_or_else(|| io::Error::other("no listening socket"))?;
    let (stop, stopped) = watch::channel(false);
    let others = listeners
        .enumerate()
        .map(|(n, listener)| {
            let runtime = runtime()?;
            let app = app.clone();
            let mut stopped = stopped.clone();
            std::thread::Builder::new()
                .name(format!("event-loop-{}", n + 1))
                .spawn(move || {
                    runtime.block_on(serve_until(listener, app, async move {
                        let _ = stopped.wait_for(|stop| *stop).await;
                    }))
                })
        })
        .collect::<io::Result<Vec<_>>>()?;
    let on_signal = stop.clone();
    let served = runtime()?.block_on(async move {
        setup(first.local_addr()?).await?;
        serve_until(first, app, async move {
            shutdown_signal().await;
            let _ = on_signal.send(true);
        })
        .await
    });
    // Whether the first loop stopped on a signal or failed, the others stop with it.
    let _ = stop.send(true);
    for other in others {
        other
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("an event loop panicked")))?;
    }
    served
}

/// One loop's server: `app` answering on `listener` until `stop` completes, then letting its
/// in-flight requests finish.
async fn serve_until(
    listener: TcpListener,
    app: Router,
    stop: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
}

/// The runtime of one event loop: one thread answering requests, and blocking threads for the
/// bounded pools' work only, so a few suffice (each one fewer is one heap fewer).
fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(pool::max_blocking_threads())
        .build()
}

/// `loops` listening sockets on `addr`, non-blocking, for `tokio::net::TcpListener::from_std`.
/// An address already in use is refused, as it is with a single socket, even when another
/// mandate-map holds it: the kernel would otherwise add these sockets to that server's and
/// split the connections between the two processes.
fn listen(addr: SocketAddr, loops: usize) -> io::Result<Vec<TcpListener>> {
    // A plain socket cannot bind where any socket listens; it also resolves port 0.
    let first = TcpListener::bind(addr)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
    let addr = first.local_addr()?;
    #[cfg(target_os = "linux")]
    {
        drop(first);
        (0..loops).map(|_| reusing_port(addr)).collect()
    }
    #[cfg(not(target_os = "linux"))]
    {
        first.set_nonblocking(true)?;
        (0..loops).map(|_| first.try_clone()).collect()
    }
}

#[cfg(target_os = "linux")]
fn reusing_port(addr: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.set_reuse_port(true)?;
    socket.bind(&addr.into())?;
    // The backlog `tokio::net::TcpListener::bind` uses.
    socket.listen(1024)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed we simply never shut down on Ctrl-C.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
