//! mandate-map: who in the United Nations System works on which kind of organized crime.
//!
//! Data flows one way:
//!
//! - [`dataset`]: the CSV files in `data/`, parsed, validated and indexed. Its
//!   [`model`](dataset::model) module declares every data file once (a `table!`), its
//!   [`dimension`](dataset::dimension) module the filter dimensions, its
//!   [`vocab`](dataset::vocab) module the vocabularies (read from the data, or declared in
//!   code);
//! - [`query`]: a request's filters, evaluated against the index as set operations, and which
//!   bodies, instruments and mandates they select;
//! - [`stats`]: coverage and co-occurrence figures over a set of entities;
//! - [`changes`]: what changed between two editions, crime type by crime type;
//! - [`charts`]: every chart one [`Chart`](charts::Chart) in [`CHARTS`](charts::CHARTS), drawn
//!   as standalone SVG (and PNG), its parameters declared once in [`PARAMS`](charts::PARAMS);
//! - [`export`]: the public JSON and CSV shapes of the data;
//! - [`datapackage`]: the Frictionless descriptor of the data files, from their declarations;
//! - [`web`]: the axum server (HTML views, charts, downloads and the JSON API);
//! - [`cli`]: the command line (`serve`, `check`, `export`, `chart`).
//!
//! Where to add what (the README says the same, and `tests/docs.rs` checks the paths):
//!
//! - a crime type, organ, chart box or pillar: a row in its file in `data/`
//!   (`crime_types.csv`, `organs.csv`, `categories.csv`, `pillars.csv`); no code;
//! - a filter dimension: one entry in `DIMENSIONS` (`src/dataset/dimension.rs`), its column
//!   in `data/entities.csv` or `data/links.csv` and, for new values, their file in `data/`;
//!   the loader, index, query parser, facets, CLI flags, breakdown chart, exports and data
//!   package follow;
//! - a data file: the CSV in `data/`, its `table!` declaration and its line in `tables!`
//!   (`src/dataset/model.rs`), its fixture in `tests/common/mod.rs` and its section in
//!   `data/README.md`; the loader, its located errors, the data package, the embedded copy,
//!   `/data/` and the loader's fuzz and hostile-data tests follow;
//! - a chart: a module in `src/charts/` implementing `Chart`, its template in
//!   `templates/charts/`, and its entry in `CHARTS` (`src/charts/mod.rs`); a new parameter is
//!   one `Param` in `PARAMS` (`src/charts/request.rs`). The server, embeds, download panel,
//!   CLI, cache key and tests follow;
//! - a page: a module in `src/web/` with `fn router()`, its template in `templates/`, and
//!   one line in `web::router` (`src/web/mod.rs`).

pub mod changes;
pub mod charts;
pub mod cli;
pub mod datapackage;
pub mod dataset;
pub mod export;
pub mod query;
pub mod stats;
pub mod web;
