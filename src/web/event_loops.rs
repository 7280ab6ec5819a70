//! The server's event loops: one per core, each a single-threaded tokio runtime on its own
//! thread. A request is answered on the core that read it, with no other worker to wake or to
//! share reference counts with: a cached `/charts/coverage.svg` went from 0.78 to 0.89-0.93 of
//! nginx serving the same bytes (`docs/performance.md`). nginx runs the same way, one worker
//! process per core.
//!
//! One listening socket feeds them all: the first loop accepts, and hands each connection to
//! the loop with the fewest open (`acceptor`).
//!
//! What a loop renders it renders alone (see `pool::RenderTurn`): a long render delays the
//! other requests of its loop, never another loop's.

use std::future::Future;
use std::io;
use std::net::{SocketAddr, TcpListener};

use axum::Router;
use axum::serve::Listener;
use tokio::sync::watch;

use super::{acceptor, pool};

/// Serves `app` on `addr` with one event loop per core until SIGINT or SIGTERM, letting each
/// loop's in-flight requests finish. `setup` runs first, on the first loop (this thread), with
/// the address bound: what it spawns (the metrics listener, the reload triggers) runs there,
/// as does the acceptor.
pub(super) fn run<F>(
    addr: SocketAddr,
    app: Router,
    setup: impl FnOnce(SocketAddr) -> F,
) -> io::Result<()>
where
    F: Future<Output = io::Result<()>>,
{
    let (acceptor, loops) = acceptor::split(listen(addr)?, pool::cores())?;
    let mut loops = loops.into_iter();
    let first = loops
        .next()
        .ok_or_else(|| io::Error::other("no event loop"))?;
    let (stop, stopped) = watch::channel(false);
    let stopped = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    };
    let others = loops
        .enumerate()
        .map(|(n, connections)| {
            let runtime = runtime()?;
            let app = app.clone();
            let stopped = stopped();
            std::thread::Builder::new()
                .name(format!("event-loop-{}", n + 1))
                .spawn(move || runtime.block_on(serve_until(connections, app, stopped)))
        })
        .collect::<io::Result<Vec<_>>>()?;
    let on_signal = stop.clone();
    let served = runtime()?.block_on(async move {
        setup(first.local_addr()?).await?;
        acceptor.spawn(stopped())?;
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

/// One loop's server: `app` answering the connections handed to it until `stop` completes,
/// then letting its in-flight requests finish.
async fn serve_until(
    connections: acceptor::Connections,
    app: Router,
    stop: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(connections, app)
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

/// The listening socket on `addr`, non-blocking, for `tokio::net::TcpListener::from_std`,
/// with the backlog `tokio::net::TcpListener::bind` uses. An address in use is refused.
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    // As std's and tokio's bind do on Unix: a restarted server need not wait out the old
    // one's connections in TIME_WAIT. (On Windows the option would let two servers share it.)
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket
        .bind(&addr.into())
        .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
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
