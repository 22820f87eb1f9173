//! The project's criterion suite; the benchmarks are in `benches/`. Run them with
//! `cargo bench -p benches`.
#![forbid(unsafe_code)]
