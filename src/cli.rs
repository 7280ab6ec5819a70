//! The command line: `serve`, `check`, `export` and `chart`, parsed with clap's derive API; the
//! filter flags come from the table of dimensions.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::charts::{self, ChartRequest};
use crate::dataset::{Dataset, Dim, Editions, Grade, LoadErrors, Provenance};
use crate::query::{Filter, FilterError, encode};
use crate::stats;
use crate::web::address::Base;
use crate::web::{AppState, ServeOptions};

/// Who in the United Nations System works on which kind of organized crime.
#[derive(Debug, Parser)]
#[command(name = "mandate-map", version, about)]
pub struct Cli {
    /// Read the data from this directory instead of the copy built into the binary.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the explorer's web server.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Reload the data directory whenever its files change (SIGHUP always reloads it).
        #[arg(long)]
        watch: bool,
        /// Where "suggest a correction" links send their message: an issue tracker's "new
        /// issue" address, or mailto:someone@example.org.
        #[arg(long, value_name = "URL", default_value = crate::web::corrections::DEFAULT)]
        corrections: String,
        /// Serve Prometheus metrics at http://ADDR/metrics, on an address of their own (off
        /// by default: they are for operators, not the public).
        #[arg(long, value_name = "ADDR")]
        metrics_addr: Option<SocketAddr>,
        /// The log's format: text for people, json (one object per line) for log collectors.
        #[arg(long, value_enum, default_value_t = LogFormat::Text)]
        log_format: LogFormat,
        /// The address the site is published at, when it is not the one requests name: its
        /// pages' addresses use it, and its links its path (behind a proxy at
        /// https://example.org/un/, every link starts /un/).
        #[arg(long, value_name = "URL", value_parser = Base::parse)]
        base_url: Option<Base>,
    },
    /// Write the site as static files for any static host or CDN: every page without a
    /// filter and of one filter value, every profile, chart, embed, download, data file and
    /// API answer for those pages, byte for byte what the server sends (see docs/deploy.md).
    Build {
        /// The directory to write (created; an earlier export there is rebuilt in place: files
        /// with the same bytes are left untouched, files no longer exported are removed).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The address the site will be published at, such as https://example.org/un/: its
        /// pages name it as their address, and its links start with its path. Without it,
        /// links start at the host's root and pages name http://localhost:8080.
        #[arg(long, value_name = "URL", value_parser = Base::parse)]
        base_url: Option<Base>,
        /// Where "suggest a correction" links send their message.
        #[arg(long, value_name = "URL", default_value = crate::web::corrections::DEFAULT)]
        corrections: String,
    },
    /// Validate the data and print a summary, or every problem found.
    Check,
    /// Print the (filtered) dataset as JSON or CSV: its entities, or with --links its links.
    Export {
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// One row per entity and crime type, with every evidence column (the server's
        /// /export/links.csv and .json), instead of one row per entity.
        #[arg(long)]
        links: bool,
        #[command(flatten)]
        edition: EditionArg,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Write a chart as SVG or PNG: the same bytes the server serves at /charts/NAME.FORMAT.
    Chart(ChartArgs),
}

/// The `chart` command's arguments: the chart, the filters and the chart parameters.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Which chart.
    #[arg(value_parser = chart_names())]
    name: String,
    #[command(flatten)]
    edition: EditionArg,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    params: ChartParams,
    #[arg(long, value_enum)]
    format: ChartFormat,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// The `--edition` flag of the commands that read one edition.
#[derive(Debug, Args)]
pub struct EditionArg {
    /// The edition of the data (an id of editions.csv); without it, the default edition.
    #[arg(long, value_name = "ID")]
    edition: Option<String>,
}

impl EditionArg {
    /// The edition asked for, from every edition loaded.
    fn pick(&self, editions: &Editions) -> Result<std::sync::Arc<Dataset>, Error> {
        editions
            .pick(self.edition.as_deref())
            .cloned()
            .map_err(|problem| {
                Error::Usage(FilterError {
                    param: crate::query::EDITION,
                    problem,
                })
            })
    }
}

/// A chart file format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChartFormat {
    Svg,
    Png,
}

/// The chart names, listed in `--help` and in the error for any other.
fn chart_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        charts::CHARTS
            .iter()
            .map(|c| clap::builder::PossibleValue::new(c.name()).help(c.label())),
    )
}

/// The chart parameters' flags: one per parameter of [`charts::PARAMS`], kept as text and
/// parsed by the server's own parser.
#[derive(Debug, Default, Clone)]
pub struct ChartParams {
    pairs: Vec<(&'static str, String)>,
}

impl Args for ChartParams {
    fn augment_args(mut command: clap::Command) -> clap::Command {
        for param in charts::PARAMS {
            command = command.arg(
                Arg::new(param.name)
                    .long(param.name)
                    .value_name(param.value_name)
                    .help(param.help),
            );
        }
        command
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

impl FromArgMatches for ChartParams {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut params = ChartParams::default();
        params.update_from_arg_matches(matches)?;
        Ok(params)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for param in charts::PARAMS {
            if let Some(value) = matches.get_one::<String>(param.name) {
                self.pairs.push((param.name, value.clone()));
            }
        }
        Ok(())
    }
}

/// The server log's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// An export format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

/// The filter flags: one per dimension of [`DIMENSIONS`](crate::dataset::DIMENSIONS), named
/// like the explorer's query parameters, plus `--match` and `--q`. They are kept as text and
/// parsed by the server's own parser once the data is loaded.
#[derive(Debug, Default, Clone)]
pub struct FilterArgs {
    /// `(parameter, value)` pairs, as a query string would give them.
    pub pairs: Vec<(&'static str, String)>,
}

/// The flags that are not dimensions.
const OTHER_FLAGS: [(&str, &str, &str); 2] = [
    (
        "match",
        "any|all",
        "With several crime types: entities on any of them, or on all of them",
    ),
    ("q", "TEXT", "Text in acronym, name or summaries"),
];

impl Args for FilterArgs {
    fn augment_args(mut command: clap::Command) -> clap::Command {
        for dim in Dim::all() {
            let dimension = dim.get();
            command = command.arg(
                Arg::new(dimension.param)
                    .long(dimension.param)
                    .value_name("ID")
                    .action(ArgAction::Append)
                    .help(format!(
                        "{} (repeatable): entities with any of them",
                        dimension.label
                    )),
            );
        }
        for (name, value, help) in OTHER_FLAGS {
            command = command.arg(Arg::new(name).long(name).value_name(value).help(help));
        }
        command
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

impl FromArgMatches for FilterArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut args = FilterArgs::default();
        args.update_from_arg_matches(matches)?;
        Ok(args)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        let names = Dim::all()
            .map(|d| d.get().param)
            .chain(OTHER_FLAGS.iter().map(|f| f.0));
        for name in names {
            for value in matches.get_many::<String>(name).into_iter().flatten() {
                self.pairs.push((name, value.clone()));
            }
        }
        Ok(())
    }
}

impl FilterArgs {
    /// The filter, parsed against the data's vocabularies.
    pub fn parse(&self, data: &Dataset) -> Result<Filter, Error> {
        let pairs = self.pairs.iter().map(|(k, v)| (*k, v.as_str()));
        Filter::from_pairs(data, pairs).map_err(Error::Usage)
    }
}

/// What went wrong, mapped to an exit status by `main`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}\n{n} problem(s) in the data", n = .0.0.len())]
    Data(LoadErrors),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("--{}: {}", .0.param, .0.problem)]
    Usage(#[from] FilterError),
    #[error("{0}")]
    Invalid(String),
    #[error("rendering the chart: {0}")]
    Render(#[from] askama::Error),
    #[error("{0}")]
    Png(#[from] crate::charts::png::PngError),
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// Whether the reader of the output went away (`mandate-map export | head`): not a
    /// failure of the command, so it ends quietly, as other command-line tools do.
    pub fn is_broken_pipe(&self) -> bool {
        let pipe = |e: &std::io::Error| e.kind() == std::io::ErrorKind::BrokenPipe;
        match self {
            Error::Io(e) => pipe(e),
            Error::Csv(e) => matches!(e.kind(), csv::ErrorKind::Io(e) if pipe(e)),
            Error::Json(e) => e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe),
            _ => false,
        }
    }
}

/// Loads the data the user asked for, every edition.
pub fn load(data: Option<&std::path::Path>) -> Result<Editions, Error> {
    match data {
        Some(dir) => Editions::load(dir),
        None => Editions::embedded(),
    }
    .map_err(Error::Data)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), Error> {
    let dir = cli.data.as_deref();
    match cli.command {
        Command::Serve {
            addr,
            watch,
            corrections,
            metrics_addr,
            log_format,
            base_url,
        } => serve(
            cli.data.clone(),
            ServeOptions {
                addr,
                watch,
                metrics_addr,
                json_logs: log_format == LogFormat::Json,
            },
            &corrections,
            base_url.unwrap_or_default(),
        ),
        Command::Build {
            out,
            base_url,
            corrections,
        } => build(dir, &out, base_url, &corrections),
        Command::Check => {
            let data = load(dir)?;
            writeln!(std::io::stdout().lock(), "{}", check_summary(&data))?;
            Ok(())
        }
        Command::Chart(args) => chart(&*args.edition.pick(&load(dir)?)?, args),
        Command::Export {
            format,
            links,
            edition,
            filter,
        } => export(&*edition.pick(&load(dir)?)?, format, links, &filter),
    }
}

fn serve(
    dir: Option<PathBuf>,
    options: ServeOptions,
    corrections: &str,
    base: Base,
) -> Result<(), Error> {
    if options.watch && dir.is_none() {
        return Err(Error::Invalid(
            "--watch needs --data DIR: the embedded data never changes".into(),
        ));
    }
    let data = load(dir.as_deref())?;
    let state = match dir {
        Some(dir) => AppState::from_dir(data, dir),
        None => AppState::new(data),
    }
    .with_corrections(corrections)
    .with_base(base);
    crate::web::serve(state, options)?;
    Ok(())
}

/// The static export: written, then checked; a page that did not answer or a link to a
/// file not written fails the command, naming the first few.
fn build(
    dir: Option<&std::path::Path>,
    out: &std::path::Path,
    base: Option<Base>,
    corrections: &str,
) -> Result<(), Error> {
    let started = std::time::Instant::now();
    // Locked for each message only: the export's threads may log to stderr meanwhile (a lock
    // held through the export would block them for good).
    let mut stderr = std::io::stderr();
    if base.is_none() {
        writeln!(
            stderr,
            "note: without --base-url, pages name http://localhost:8080 as their address; give the address the site will be published at"
        )?;
    }
    let state = AppState::new(load(dir)?)
        .with_corrections(corrections)
        .with_base(base.unwrap_or_default());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let built = runtime
        .block_on(crate::web::static_export::build(state, out))
        .map_err(|e| Error::Invalid(e.to_string()))?;
    // Over an earlier export: how much of it changed.
    let rebuilt = if built.unchanged + built.removed > 0 {
        format!(
            ": {} new or changed, {} as they were, {} no longer exported and removed",
            built.files.len() - built.unchanged,
            built.unchanged,
            built.removed
        )
    } else {
        String::new()
    };
    writeln!(
        stderr,
        "wrote {} files ({:.1} MB) to {} in {:.1} s{rebuilt}",
        built.files.len(),
        built.bytes() as f64 / 1e6,
        out.display(),
        started.elapsed().as_secs_f64()
    )?;
    let mut problems: Vec<String> = built
        .failed
        .iter()
        .map(|(address, status)| format!("{address} answered {status}"))
        .chain(
            built
                .broken
                .iter()
                .map(|(page, target)| format!("{page} links {target}, which was not written")),
        )
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    let total = problems.len();
    problems.truncate(10);
    Err(Error::Invalid(format!(
        "{}\n{total} problem(s) in the export",
        problems.join("\n")
    )))
}

fn chart(data: &Dataset, args: ChartArgs) -> Result<(), Error> {
    // The chart parameters go through the server's query-string parser, so the CLI and the
    // server read them the same way and write the same bytes.
    let chart = charts::find(&args.name)?;
    let pairs = args.filter.pairs.into_iter().chain(args.params.pairs);
    let request = ChartRequest::from_query(data, chart, &encode(pairs))?;
    let svg = charts::svg(data, &request)?;
    let bytes = match args.format {
        ChartFormat::Svg => svg.into_bytes(),
        ChartFormat::Png => charts::png::render(&svg, request.scale)?,
    };
    let out = args.out;
    std::fs::write(&out, bytes).map_err(|source| Error::Write { path: out, source })
}

fn export(data: &Dataset, format: Format, links: bool, filter: &FilterArgs) -> Result<(), Error> {
    let filter = filter.parse(data)?;
    let out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let mut out = std::io::BufWriter::new(out);
            if links {
                crate::export::write_links_json(data, &filter, &mut out)?;
            } else {
                crate::export::write_json(data, &filter.select(data), &mut out)?;
            }
            writeln!(out)?;
            out.flush()?;
        }
        Format::Csv if links => crate::export::write_links_csv(data, &filter, out)?,
        Format::Csv => crate::export::write_csv(data, &filter.select(data), out)?,
    }
    Ok(())
}

/// What `check` prints for valid data: a line per edition, the lineage, then the release.
pub fn check_summary(editions: &Editions) -> String {
    let mut lines: Vec<String> = editions
        .all()
        .iter()
        .map(|data| {
            let edition = data.edition();
            let default = if data.is_default_edition() {
                ", the default"
            } else {
                ""
            };
            format!("edition {}{default}: {}", edition.id, edition_summary(data))
        })
        .collect();
    let data = editions.default_edition();
    lines.push(format!(
        "{} lineage events, {} searches of the later editions recorded",
        data.lineage().len(),
        data.searches().len()
    ));
    lines.push(release_summary(data));
    lines.join("\n")
}

/// The summary of one edition's data.
fn edition_summary(data: &Dataset) -> String {
    let cov = stats::coverage(data, &data.index().all, &Filter::default());
    let links = data.links();
    let report = links
        .iter()
        .filter(|l| l.provenance == Provenance::Report)
        .count();
    let strong = links.iter().filter(|l| l.grade() == Grade::Strong).count();
    let per_crime = cov
        .crimes
        .iter()
        .map(|c| format!("{} {} ({} strong)", c.id, c.count, c.strong))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "ok: {} entities ({} chart boxes, {} within another), {} links ({} from the report, {} compiled; {} strong, {} partial), {} groups, {} report figures, {} instruments and bodies ({} later than the report), {} special procedures; {} of {} chart entities with a link ({} with strong evidence); per crime type: {}",
        data.entities().len(),
        cov.entities,
        data.entities().len() - cov.entities,
        links.len(),
        report,
        links.len() - report,
        strong,
        links.len() - strong,
        data.groups().len(),
        data.report_figures().len(),
        data.instruments().len(),
        data.instruments()
            .iter()
            .filter(|i| i.later_than_report)
            .count(),
        data.special_procedures().len(),
        cov.with_any,
        cov.entities,
        cov.with_strong,
        per_crime,
    )
}

/// The release the files are, or what to do when they have changed since.
fn release_summary(data: &Dataset) -> String {
    let release = data.release();
    if data.is_released() {
        format!(
            "release {} of {} (digest {})",
            release.version,
            release.date,
            data.content_digest()
        )
    } else {
        format!(
            "unreleased changes since {}: the files' digest is {}, releases.csv records {}; to release them, add a row to releases.csv with the next version (a new row or correction: patch; a new column or file: minor; a change of meaning: major), today's date and this digest",
            release.version,
            data.content_digest(),
            release.digest
        )
    }
}
