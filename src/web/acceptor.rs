//! Accepting connections for the event loops: one listening socket, and each connection it
//! accepts handed to the loop with the fewest open connections (as Envoy's "exact balance").
//!
//! A keep-alive connection stays on the loop that took it, so how the connections are split is
//! how the work is split. The kernel's spread over one socket per loop (`SO_REUSEPORT`) hashes
//! each connection to a loop: with two connections sending distinct filter combinations, 8 runs
//! of 12 had both on one loop and the other core idle (3,158 to 5,727 req/s); handed over,
//! none of 12 did (4,287 to 6,455 req/s; `docs/performance.md`). A proxy that keeps a few
//! connections open to the server is that client. Handing a connection over costs a message
//! per connection, not per request.

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A connection the acceptor handed to a loop, not yet registered there.
type Handed = (Counted<TcpStream>, SocketAddr);

/// The accepting end: the listening socket and, for each loop, its count of open connections
/// and where to hand it the next one.
pub(super) struct Acceptor {
    listener: std::net::TcpListener,
    loops: Vec<(Arc<AtomicUsize>, mpsc::UnboundedSender<Handed>)>,
}

/// One loop's end: the connections handed to it, as axum's `serve` takes them.
pub(super) struct Connections {
    handed: mpsc::UnboundedReceiver<Handed>,
    local: SocketAddr,
}

/// An acceptor on `listener` (non-blocking) and the `loops` ends it hands connections to.
pub(super) fn split(
    listener: std::net::TcpListener,
    loops: usize,
) -> io::Result<(Acceptor, Vec<Connections>)> {
    let local = listener.local_addr()?;
    let (senders, ends) = (0..loops.max(1))
        .map(|_| {
            let (send, handed) = mpsc::unbounded_channel();
            ((Arc::default(), send), Connections { handed, local })
        })
        .unzip();
    Ok((
        Acceptor {
            listener,
            loops: senders,
        },
        ends,
    ))
}

impl Acceptor {
    /// Starts accepting on the current runtime until `stop` completes, then closes the
    /// listening socket: new connections are refused while the loops finish the ones they hold.
    pub(super) fn spawn(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        let listener = TcpListener::from_std(self.listener)?;
        tokio::spawn(accept(listener, self.loops, stop));
        Ok(())
    }
}

async fn accept(
    listener: TcpListener,
    loops: Vec<(Arc<AtomicUsize>, mpsc::UnboundedSender<Handed>)>,
    stop: impl std::future::Future<Output = ()>,
) {
    let mut next = 0;
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => return,
        };
        // Out of the acceptor's reactor: the chosen loop registers it with its own.
        match accepted.and_then(|(stream, peer)| Ok((stream.into_std()?, peer))) {
            Ok((stream, peer)) => {
                let open = |i: usize| loops[i].0.load(Ordering::Relaxed);
                let chosen = fewest(loops.len(), open, next);
                next = (chosen + 1) % loops.len();
                let (open, send) = &loops[chosen];
                // A loop that has stopped drops what it is sent, and the count with it.
                let _ = send.send((Counted::new(stream, open), peer));
            }
            Err(e) if is_connection_error(&e) => {}
            Err(e) => {
                // As axum's own accept loop does (from hyper 0.14): out of file descriptors,
                // wait for some to close rather than spin.
                tracing::error!("accept error: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The loop with the fewest open connections (`open(i)` for loop `i` of `n`); among equals,
/// the first from `start` on, so that one client's successive connections go round the loops.
fn fewest(n: usize, open: impl Fn(usize) -> usize, start: usize) -> usize {
    (0..n)
        .map(|k| (start + k) % n)
        .min_by_key(|&i| open(i))
        .unwrap_or(0)
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

impl axum::serve::Listener for Connections {
    type Io = Counted<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Some((handed, peer)) = self.handed.recv().await else {
                // The acceptor has stopped: so has the server, whose shutdown ends this loop.
                return std::future::pending().await;
            };
            // Registered with this loop's reactor, so that its events wake this loop.
            match handed.map(tokio::net::TcpStream::from_std) {
                Ok(stream) => return (stream, peer),
                Err(e) => tracing::error!("cannot take a connection from {peer}: {e}"),
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local)
    }
}

/// A connection counted among its loop's open ones until it is dropped.
pub(super) struct Counted<S> {
    stream: S,
    _open: Open,
}

/// One open connection of a loop: counted when made, counted out when dropped.
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl<S> Counted<S> {
    fn new(stream: S, open: &Arc<AtomicUsize>) -> Self {
        open.fetch_add(1, Ordering::Relaxed);
        Counted {
            stream,
            _open: Open(Arc::clone(open)),
        }
    }

    /// The same connection, still counted, as another type (counted out if `f` fails).
    fn map<T>(self, f: impl FnOnce(S) -> io::Result<T>) -> io::Result<Counted<T>> {
        Ok(Counted {
            stream: f(self.stream)?,
            _open: self._open,
        })
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Counted<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    // hyper writes a response's head and body in one `writev` when the stream says it can.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loop_with_the_fewest_open_connections_is_chosen_and_ties_go_round() {
        let fewest = |open: [usize; 3], start| fewest(open.len(), |i| open[i], start);
        assert_eq!(fewest([2, 0, 1], 0), 1);
        assert_eq!(fewest([1, 1, 1], 0), 0);
        assert_eq!(fewest([1, 1, 1], 2), 2);
        assert_eq!(fewest([0, 1, 0], 1), 2);
    }

    /// What each loop has been handed so far, waiting until `total` connections are.
    async fn handed(loops: &mut [Connections], total: usize) -> Vec<Vec<Handed>> {
        let mut taken: Vec<Vec<Handed>> = loops.iter().map(|_| Vec::new()).collect();
        for _ in 0..500 {
            for (end, taken) in loops.iter_mut().zip(&mut taken) {
                while let Ok(connection) = end.handed.try_recv() {
                    taken.push(connection);
                }
            }
            if taken.iter().map(Vec::len).sum::<usize>() >= total {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        taken
    }

    fn lengths(taken: &[Vec<Handed>]) -> Vec<usize> {
        taken.iter().map(Vec::len).collect()
    }

    #[tokio::test]
    async fn connections_are_split_evenly_and_counted_out_when_closed() -> io::Result<()> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (acceptor, mut loops) = split(listener, 2)?;
        acceptor.spawn(std::future::pending())?;

        let mut clients = Vec::new();
        for _ in 0..6 {
            clients.push(tokio::net::TcpStream::connect(addr).await?);
        }
        let mut taken = handed(&mut loops, 6).await;
        assert_eq!(lengths(&taken), [3, 3]);

        // Two of the first loop's connections close: the next two go to it.
        taken[0].truncate(1);
        for _ in 0..2 {
            clients.push(tokio::net::TcpStream::connect(addr).await?);
        }
        assert_eq!(lengths(&handed(&mut loops, 2).await), [2, 0]);
        drop(taken);
        Ok(())
    }
}
