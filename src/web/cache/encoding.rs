//! Content codings: which ones a client accepts, and a rendered body's compressed copies.
//!
//! **Compression costs the first visitor little.** A miss is compressed with gzip level 1
//! (66 µs for a 46 KB page); once an entry is asked for again, brotli quality 5 is made in the
//! background for later browsers. Everything but a small body's gzip runs in
//! [`pool::COMPRESS`], never on the async workers. The figures behind the levels are in
//! docs/performance.md.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use axum::http::{HeaderMap, header};
use bytes::Bytes;
use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use headers::ContentEncoding;

use super::super::pool;

/// gzip level for a response's first compression: the cheapest level that still compresses
/// well (46 KB → 8.5 KB in 66 µs; level 6 is 6.1 KB in 316 µs).
const GZIP_LEVEL: u32 = 1;

/// The largest body gzipped on the async worker that rendered it (~100 µs at level 1, less
/// than rendering a page takes); bigger ones, and every brotli, go to the compression pool.
const INLINE_GZIP_BYTES: usize = 64 << 10;

/// brotli quality made for entries asked for again: 5.7 KB in 0.7 ms, where quality 9 saves
/// 2 % more for 13 times the work and 11 saves 13 % for 80 times.
const BROTLI_QUALITY: i32 = 5;

/// A content coding we answer with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Coding {
    Identity,
    Gzip,
    Br,
}

impl Coding {
    /// Every coding, in the order of their index (`coding as usize`).
    pub(super) const ALL: [Coding; 3] = [Coding::Identity, Coding::Gzip, Coding::Br];

    /// The `Content-Encoding` a body in this coding is sent with.
    pub(super) fn content_encoding(self) -> Option<ContentEncoding> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some(ContentEncoding::gzip()),
            Coding::Br => Some(ContentEncoding::brotli()),
        }
    }

    /// What this coding adds to an entry's ETag key.
    pub(super) fn etag_suffix(self) -> &'static str {
        match self {
            Coding::Identity => "",
            Coding::Gzip => ".gzip",
            Coding::Br => ".br",
        }
    }
}

/// The codings a client accepts (besides identity).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(super) struct Accepts {
    gzip: bool,
    br: bool,
}

/// Reads `Accept-Encoding`. The `headers` crate (0.4) keeps its `AcceptEncoding` among its
/// disabled, unexported modules, so this small parser stays: a coding counts unless its `q`
/// is zero; preferences between codings are ours (brotli once made, else gzip).
pub(super) fn negotiate(headers: &HeaderMap) -> Accepts {
    let mut accepts = Accepts::default();
    for value in headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for part in value.split(',') {
            let mut pieces = part.split(';');
            let coding = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            match coding.as_str() {
                "br" => accepts.br |= !refused,
                "gzip" => accepts.gzip |= !refused,
                _ => {}
            }
        }
    }
    accepts
}

/// Whether a response with these headers is worth compressing (PNGs are compressed already).
pub(super) fn compressible(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| !t.starts_with("image/png"))
}

/// A rendered body and the compressed copies made of it. A copy is kept only if it fits the
/// room reserved for it, so what the store counts stays an upper bound.
pub(super) struct Bodies {
    identity: Bytes,
    compressible: bool,
    /// The most bytes each compressed copy may take to be kept.
    reserve: usize,
    gzip: OnceLock<Bytes>,
    br: OnceLock<Bytes>,
    /// Whether the brotli copy has been asked for in the background already.
    upgrading: AtomicBool,
}

impl Bodies {
    pub(super) fn new(identity: Bytes, compressible: bool) -> Bodies {
        let compressible = compressible && identity.len() > 256;
        Bodies {
            // Text compresses to under a fifth with either coding; a third leaves room.
            reserve: if compressible { identity.len() / 3 } else { 0 },
            identity,
            compressible,
            gzip: OnceLock::new(),
            br: OnceLock::new(),
            upgrading: AtomicBool::new(false),
        }
    }

    /// Whether copies in other codings are made (and the answer varies by `Accept-Encoding`).
    pub(super) fn compressible(&self) -> bool {
        self.compressible
    }

    /// The most bytes these bodies will ever hold: the identity and a reserve for each copy.
    pub(super) fn bound(&self) -> usize {
        self.identity.len() + 2 * self.reserve
    }

    fn cell(&self, coding: Coding) -> Option<&OnceLock<Bytes>> {
        match coding {
            Coding::Gzip => Some(&self.gzip),
            Coding::Br => Some(&self.br),
            Coding::Identity => None,
        }
    }

    /// The body in `coding`: the kept copy, or one made now (and kept if it fits its reserve).
    async fn encode(&self, coding: Coding) -> Option<Bytes> {
        let cell = self.cell(coding)?;
        if let Some(bytes) = cell.get() {
            return Some(bytes.clone());
        }
        let bytes = if coding == Coding::Gzip && self.identity.len() <= INLINE_GZIP_BYTES {
            compress(coding, &self.identity)?
        } else {
            let identity = self.identity.clone();
            pool::COMPRESS
                .run(move || compress(coding, &identity))
                .await
                .flatten()?
        };
        if bytes.len() <= self.reserve {
            // Another request may have made it meanwhile; either copy is the same bytes.
            let _ = cell.set(bytes.clone());
        }
        Some(bytes)
    }

    /// Makes the brotli copy in the background, once, if the compression pool has room now.
    fn upgrade(self: &Arc<Self>) {
        if self.br.get().is_some() || self.upgrading.swap(true, Ordering::Relaxed) {
            return;
        }
        let bodies = Arc::clone(self);
        let started = pool::COMPRESS.try_spawn(move || {
            if let Some(br) = compress(Coding::Br, &bodies.identity)
                && br.len() <= bodies.reserve
            {
                let _ = bodies.br.set(br);
            }
        });
        if !started {
            // Busy: the next request for this entry tries again.
            self.upgrading.store(false, Ordering::Relaxed);
        }
    }

    /// The body to send a client accepting `accepts`, and its coding; `again` when the entry
    /// was stored before this request (it has proven popular, so brotli is worth making).
    pub(super) async fn pick(self: &Arc<Self>, accepts: Accepts, again: bool) -> (Bytes, Coding) {
        if self.compressible {
            if accepts.br
                && let Some(br) = self.br.get()
            {
                return (br.clone(), Coding::Br);
            }
            let coding = if accepts.gzip {
                if accepts.br && again {
                    self.upgrade();
                }
                Coding::Gzip
            } else if accepts.br {
                // A client that takes brotli only: made now, off the workers.
                Coding::Br
            } else {
                Coding::Identity
            };
            if let Some(bytes) = self.encode(coding).await {
                return (bytes, coding);
            }
        }
        (self.identity.clone(), Coding::Identity)
    }
}

fn compress(coding: Coding, bytes: &[u8]) -> Option<Bytes> {
    let mut out = match coding {
        Coding::Identity => return None,
        Coding::Gzip => gzip(bytes)?,
        Coding::Br => brotli(bytes)?,
    };
    // Kept bytes are counted by their length: let them hold no spare capacity.
    out.shrink_to_fit();
    Some(Bytes::from(out))
}

/// A gzip member's header (RFC 1952): deflate, no flags, no time, "fastest", unknown OS; the
/// bytes flate2's `GzEncoder` writes at level 1.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255];

/// Deflate states kept between bodies, for whichever thread compresses next. flate2's
/// `GzEncoder` would frame the member itself but makes a fresh ~300 KB state per body, which
/// glibc's per-thread heaps keep: RSS under distinct misses was 28.5-31 MB with it against
/// 20.5-22 MB with a kept state, at the same throughput. Kept one per thread instead, the
/// states were as many as the threads that ever compressed: the compression pool's jobs run
/// on whichever blocking thread tokio has free, and a mixed-route load started four or five
/// more of them, each keeping its own state (1.5 to 1.9 MB more in blocks glibc maps). Shared, they
/// are at most as many as the gzips that run at once: one per event loop, inline, and one per
/// permit of [`pool::COMPRESS`].
static DEFLATE_STATES: Mutex<Vec<DeflateEncoder<Vec<u8>>>> = Mutex::new(Vec::new());

/// gzip with a kept deflate state, reset between bodies. `DeflateEncoder::reset` keeps the
/// state, so only the header above and the CRC-32 and length after are written here.
fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let states = || {
        DEFLATE_STATES
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    };
    let kept = states().pop();
    let mut deflate =
        kept.unwrap_or_else(|| DeflateEncoder::new(Vec::new(), Compression::new(GZIP_LEVEL)));
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    out.extend_from_slice(&GZIP_HEADER);
    let deflated = deflate_into(&mut deflate, out, bytes);
    // A state is kept only once a body has gone through it whole.
    if deflated.is_ok() {
        states().push(deflate);
    }
    let mut out = deflated.ok()?;
    let mut crc = Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    Some(out)
}

/// `bytes` deflated by `deflate` and appended to `out`.
fn deflate_into(
    deflate: &mut DeflateEncoder<Vec<u8>>,
    out: Vec<u8>,
    bytes: &[u8],
) -> std::io::Result<Vec<u8>> {
    deflate.reset(out)?;
    deflate.write_all(bytes)?;
    // Finishes this body's stream and hands its buffer back.
    deflate.reset(Vec::new())
}

/// brotli with a window no larger than the body, which keeps its buffers small.
fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: (usize::BITS - bytes.len().leading_zeros()).clamp(16, 22) as i32,
        size_hint: bytes.len(),
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn negotiation_reads_gzip_and_brotli_and_honours_q_zero() {
        let h = |v: &'static str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            m
        };
        let both = Accepts {
            gzip: true,
            br: true,
        };
        assert_eq!(negotiate(&h("gzip, deflate, br")), both);
        let gzip = Accepts {
            gzip: true,
            br: false,
        };
        assert_eq!(negotiate(&h("gzip, br;q=0")), gzip);
        assert_eq!(negotiate(&h("identity")), Accepts::default());
        assert_eq!(negotiate(&HeaderMap::new()), Accepts::default());
    }

    #[test]
    fn gzip_is_the_member_flate2_frames_and_decodes_to_the_body() {
        use std::io::Read;
        let body: Vec<u8> = (0..100_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut framed = Vec::new();
        flate2::bufread::GzEncoder::new(&body[..], Compression::new(GZIP_LEVEL))
            .read_to_end(&mut framed)
            .unwrap();
        // Twice on one thread: the reused state starts each body afresh.
        for _ in 0..2 {
            let gz = gzip(&body).unwrap();
            assert_eq!(gz, framed);
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, body);
        }
    }
}
