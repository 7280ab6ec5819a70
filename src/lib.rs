//! mandate-map: who in the United Nations System works on which kind of organized crime.
//!
//! Data flows one way:
//!
//! - [`dataset`]: the CSV files in `data/`, parsed, validated and indexed. Its
//!   [`dimension`](dataset::dimension) module declares the filter dimensions once, its
//!   [`schema`](dataset::schema) module the files and their columns, its
//!   [`vocab`](dataset::vocab) module the vocabularies (read from the data, or declared in
//!   code);
//! - [`query`]: a request's filters, evaluated against the index as set operations;
//! - [`stats`]: coverage and co-occurrence figures over a set of entities;
//! - [`charts`]: each chart as standalone SVG (and PNG), from those figures;
//! - [`export`]: the public JSON and CSV shapes of the data;
//! - [`datapackage`]: the Frictionless descriptor of the data files;
//! - [`web`]: the axum server (HTML views, charts, downloads and the JSON API);
//! - [`cli`]: the command line (`serve`, `check`, `export`, `chart`).
//!
//! Where to add what (the README says the same, and `tests/docs.rs` checks the paths):
//!
//! - a crime type, organ, chart box or pillar: a row in its file in `data/`
//!   (`crime_types.csv`, `organs.csv`, `categories.csv`, `pillars.csv`); no code;
//! - a filter dimension: one entry in `DIMENSIONS` (`src/dataset/dimension.rs`), its column
//!   in `data/entities.csv` or `data/links.csv` and, for new values, their file in `data/`;
//!   the parser, index, facets, CLI flags, breakdown chart, exports and data package follow;
//! - a chart: a module in `src/charts/` with its template in `templates/charts/`, and its
//!   name in `ChartName` (`src/charts/mod.rs`);
//! - a page: a module in `src/web/` with `fn router()`, its template in `templates/`, and
//!   one line in `web::router` (`src/web/mod.rs`);
//! - a data file: its `FileSpec` (`src/dataset/schema.rs`), its row type
//!   (`src/dataset/model.rs`), its parser (`src/dataset/load.rs`) and its section in
//!   `data/README.md`.

pub mod charts;
pub mod cli;
pub mod datapackage;
pub mod dataset;
pub mod export;
pub mod query;
pub mod stats;
pub mod web;
