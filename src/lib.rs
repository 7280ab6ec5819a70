//! mandate-map: who in the United Nations System works on which kind of organized crime.
//!
//! Data flows one way:
//!
//! - [`dataset`]: the CSV files in `data/`, parsed, validated and indexed;
//! - [`query`]: a request's filters, evaluated against the index as set operations;
//! - [`stats`]: coverage figures over a set of entities;
//! - [`export`]: the public JSON and CSV shapes of the data;
//! - [`web`]: the axum server (HTML views and the JSON API);
//! - [`cli`]: the command line (`serve`, `check`, `export`).

pub mod charts;
pub mod cli;
pub mod datapackage;
pub mod dataset;
pub mod export;
pub mod query;
pub mod stats;
pub mod web;
