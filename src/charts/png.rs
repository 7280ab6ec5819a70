//! SVG → PNG with resvg, using only the DejaVu Sans fonts shipped in `static/fonts/` (no
//! system fonts), so a chart rasterises to the same pixels on every machine.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use foldhash::HashMap as FastMap;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

const REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/static/fonts/DejaVuSans.ttf"
));
const BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/static/fonts/DejaVuSans-Bold.ttf"
));

/// The family every chart names first in `font-family`.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// The largest scale factor a PNG may be rendered at.
pub const MAX_SCALE: u32 = 4;

/// Why a PNG could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("the chart's SVG could not be parsed: {0}")]
    Parse(#[from] usvg::Error),
    #[error("a {0}×{1} image is too large to render")]
    Size(u32, u32),
    #[error("encoding the PNG failed: {0}")]
    Encode(String),
}

/// The shipped fonts, loaded once. The database reads them where the binary holds them:
/// copied to the heap (`load_font_data`), their 1.4 MB stayed there for the life of a server
/// that had drawn one PNG.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            for font in [REGULAR, BOLD] {
                db.load_font_source(fontdb::Source::Binary(Arc::new(font)));
            }
            db.set_sans_serif_family(FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Rasterises `svg` at `scale` times its own size (1 to [`MAX_SCALE`]).
pub fn render(svg: &str, scale: u32) -> Result<Vec<u8>, PngError> {
    let scale = scale.clamp(1, MAX_SCALE);
    let tree = parsed(svg)?;
    let size = tree.size().to_int_size();
    let (w, h) = (size.width() * scale, size.height() * scale);
    // White from the start, in one pass: `Pixmap::new` zeroes every pixel and `fill` then
    // writes it again (the two were 8 % of the static export's profile).
    let mut pixmap = resvg::tiny_skia::IntSize::from_wh(w, h)
        .zip(
            (w as usize)
                .checked_mul(h as usize)
                .and_then(|n| n.checked_mul(4)),
        )
        .and_then(|(size, bytes)| Pixmap::from_vec(vec![u8::MAX; bytes], size))
        .ok_or(PngError::Size(w, h))?;
    let s = scale as f32;
    resvg::render(&tree, Transform::from_scale(s, s), &mut pixmap.as_mut());
    encode(&pixmap, scale)
}

/// Parses `svg`, or takes its tree from [`RECENT`].
fn parsed(svg: &str) -> Result<Arc<usvg::Tree>, PngError> {
    let recent = || RECENT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(trees) = recent().as_ref()
        && let Some((_, tree)) = trees.iter().find(|(text, _)| **text == *svg)
    {
        return Ok(Arc::clone(tree));
    }
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = Arc::new(usvg::Tree::from_str(svg, &options)?);
    if let Some(trees) = recent().as_mut() {
        if trees.len() == RECENT_TREES {
            trees.pop_front();
        }
        trees.push_back((svg.into(), Arc::clone(&tree)));
    }
    Ok(tree)
}

/// How many parsed charts [`RECENT`] holds once [`keep_recent_trees`] is called.
const RECENT_TREES: usize = 32;

/// The charts parsed last, with their SVG text: `None` (keep nothing) unless
/// [`keep_recent_trees`] was called.
static RECENT: Mutex<Option<VecDeque<Kept>>> = Mutex::new(None);

/// A chart's SVG text and its parsed tree.
type Kept = (Box<str>, Arc<usvg::Tree>);

/// Keeps the last charts parsed, so that drawing one at another scale skips parsing and
/// laying out its text again: for the static export, which draws every chart at 1×, 2× and
/// 4× one after another, and where parsing was a sixth of the time drawing took. A server
/// keeps nothing, since its clients seldom ask for a chart at several scales.
pub fn keep_recent_trees() {
    RECENT
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(|| VecDeque::with_capacity(RECENT_TREES));
}

/// The resolution a PNG at scale 1 declares: every scale of a chart then has one printed
/// size, and scale 4 is 300 dpi.
pub const DPI_PER_SCALE: u32 = 75;

/// Encodes the pixmap as a PNG that declares its resolution (`pHYs`), so that a word
/// processor places it at its print size. Every pixel is opaque (the background is filled
/// white), so the pixmap's premultiplied RGBA is the PNG's straight RGBA. A chart of at most
/// 256 colours, anti-aliasing included, is written with a palette instead: the same pixels
/// from a quarter of the bytes. In the static export of the shipped data that is 1,308 of
/// 1,346 PNGs, which then took 72.6 MB instead of 126.5 MB, and the export 9.4 to 9.7 s
/// instead of 10.0 to 10.5 s (three runs of each, alternating).
fn encode(pixmap: &Pixmap, scale: u32) -> Result<Vec<u8>, PngError> {
    let encode_error = |e: png::EncodingError| PngError::Encode(e.to_string());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    let indexed = Indexed::of(pixmap.data());
    match &indexed {
        Some(indexed) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(indexed.palette.as_slice());
        }
        None => encoder.set_color(png::ColorType::Rgba),
    }
    encoder.set_depth(png::BitDepth::Eight);
    // Deflate level 2 and the Up filter. With RGBA pixels, level 3 took the static export
    // from 13.1 s to 10.7 s against the default (level 6, adaptive filters) for PNGs 6 %
    // larger, level 1 doubled their size, and level 2 then saved 0.4 s more for 3 %. With
    // palettes, level 4 added 0.5 s to the export to save 2 % of the bytes.
    encoder.set_deflate_compression(png::DeflateCompression::Level(2));
    encoder.set_filter(png::Filter::Up);
    let per_metre = (f64::from(DPI_PER_SCALE * scale) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(encode_error)?;
    let data = indexed
        .as_ref()
        .map_or(pixmap.data(), |indexed| indexed.pixels.as_slice());
    writer.write_image_data(data).map_err(encode_error)?;
    writer.finish().map_err(encode_error)?;
    Ok(out)
}

/// An opaque image's colours as a palette, and each pixel as its colour's place in it.
struct Indexed {
    /// The colours in the order first met, as RGB triples.
    palette: Vec<u8>,
    pixels: Vec<u8>,
}

impl Indexed {
    /// The palette of `rgba` (opaque pixels, four bytes each), or `None` past 256 colours.
    fn of(rgba: &[u8]) -> Option<Indexed> {
        let word = |pixel: &[u8]| u32::from_ne_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]);
        // foldhash, not std's SipHash: the lookups were 4 % of the static export's samples
        // (perf), and the palette's order is the order colours are met, whatever the hasher.
        let mut places: FastMap<u32, u8> = FastMap::default();
        let mut palette = Vec::new();
        let mut pixels = Vec::with_capacity(rgba.len() / 4);
        let mut rest = rgba;
        // A chart is mostly runs of one colour: one lookup per run, found by comparing
        // pixels whole (every alpha is the same).
        while let Some(first) = rest.get(..4) {
            let colour = word(first);
            let run = 1 + rest[4..]
                .chunks_exact(4)
                .position(|pixel| word(pixel) != colour)
                .unwrap_or(rest.len() / 4 - 1);
            let place = match places.get(&colour) {
                Some(&place) => place,
                None => {
                    let place = u8::try_from(places.len()).ok()?;
                    places.insert(colour, place);
                    palette.extend_from_slice(&first[..3]);
                    place
                }
            };
            pixels.resize(pixels.len() + run, place);
            rest = &rest[run * 4..];
        }
        Some(Indexed { palette, pixels })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a PNG into RGBA pixels, whatever its colour type.
    fn decoded(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
        let mut reader = decoder.read_info().expect("a PNG");
        let colour = reader.info().color_type;
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        let frame = reader.next_frame(&mut pixels).expect("a frame");
        pixels.truncate(frame.buffer_size());
        (colour, pixels)
    }

    /// An opaque pixmap of `width` × `height` whose pixel `i` has colour `colour(i)`.
    fn pixmap(width: u32, height: u32, colour: impl Fn(u32) -> [u8; 3]) -> Pixmap {
        let mut pixmap = Pixmap::new(width, height).expect("a size");
        for (i, pixel) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let [r, g, b] = colour(i as u32);
            pixel.copy_from_slice(&[r, g, b, u8::MAX]);
        }
        pixmap
    }

    #[test]
    fn the_shipped_fonts_are_loaded_and_draw_text() {
        let db = fonts();
        let faces: Vec<_> = db.faces().collect();
        assert_eq!(faces.len(), 2, "the regular and the bold face");
        for face in &faces {
            assert!(
                face.families.iter().any(|(name, _)| name == FONT_FAMILY),
                "{:?}",
                face.families
            );
        }
        assert!(faces.iter().any(|f| f.weight == fontdb::Weight::BOLD));
        // Text alone on white: a face that drew nothing would leave every pixel white.
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">
            <rect width="60" height="20" fill="white"/>
            <text x="2" y="15" font-size="12">Arms</text></svg>"#;
        let (_, pixels) = decoded(&render(svg, 1).expect("a PNG"));
        let inked = pixels.chunks_exact(4).filter(|p| p[0] < 128).count();
        assert!(inked > 20, "{inked} dark pixels");
    }

    #[test]
    fn a_kept_tree_draws_what_a_fresh_parse_draws() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">
            <rect x="2" y="2" width="20" height="10" fill="#c00"/>
            <text x="2" y="18" font-size="8">Ab</text></svg>"##;
        // No other test keeps trees: these are parsed afresh.
        let fresh = [1, 2, 4].map(|scale| render(svg, scale).expect("a PNG"));
        keep_recent_trees();
        for _ in 0..2 {
            assert_eq!(
                [1, 2, 4].map(|scale| render(svg, scale).expect("a PNG")),
                fresh
            );
        }
        let recent = RECENT.lock().expect("not poisoned");
        let kept = recent.as_ref().expect("trees are kept");
        assert_eq!(kept.iter().filter(|(text, _)| **text == *svg).count(), 1);
    }

    #[test]
    fn a_palette_holds_each_colour_once_in_the_order_met() {
        let rgba = [
            [9, 9, 9, 255],
            [9, 9, 9, 255],
            [1, 2, 3, 255],
            [9, 9, 9, 255],
            [1, 2, 3, 255],
        ]
        .concat();
        let indexed = Indexed::of(&rgba).expect("two colours");
        assert_eq!(indexed.palette, [9, 9, 9, 1, 2, 3]);
        assert_eq!(indexed.pixels, [0, 0, 1, 0, 1]);
    }

    #[test]
    fn past_256_colours_there_is_no_palette() {
        let colours = |n: u32| pixmap(n, 1, |i| [(i % 256) as u8, (i / 256) as u8, 7]);
        assert!(Indexed::of(colours(256).data()).is_some());
        assert!(Indexed::of(colours(257).data()).is_none());
    }

    #[test]
    fn either_kind_of_png_decodes_to_the_pixels_drawn() {
        // Stripes of 40 colours, and a gradient of 300.
        let few = pixmap(64, 9, |i| [(i / 7 % 40) as u8, 100, 200]);
        let many = pixmap(300, 3, |i| [(i % 300 / 2) as u8, (i % 300 % 2) as u8, 0]);
        for (pixmap, kind) in [
            (&few, png::ColorType::Indexed),
            (&many, png::ColorType::Rgba),
        ] {
            let (colour, pixels) = decoded(&encode(pixmap, 1).expect("a PNG"));
            assert_eq!(colour, kind);
            assert_eq!(pixels, pixmap.data());
        }
    }
}
