//! netapi-codegen: turns hand-transcribed API tables (YAML) into a typed Rust client.
//!
//! The pipeline runs one way: `spec` (YAML as written) → `check` (every rule, all errors)
//! → [`ir`] (resolved model) → `emit` (tokens) → `write` (formatted files). `build.rs` of
//! the `netapi` crate, the `netapi-codegen` command and the tests all go through
//! [`Config::generate`], which returns [`Generated`]; the stages behind it are private.
//! Beside the pipeline, behind cargo features that a build script leaves off: `pages`
//! reads the documentation pages the specs transcribe, to audit the specs against them and
//! to draft new ones; `openapi` exports the IR as an OpenAPI document (both on with `cli`,
//! the default); `cases` derives boundary cases from the IR, a test oracle.
//! See `ARCHITECTURE.md` for the map.
//!
//! ```no_run
//! let generated = netapi_codegen::Config::new("spec").generate()?;
//! for input in &generated.inputs {
//!     println!("cargo:rerun-if-changed={}", input.display());
//! }
//! let out_dir = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
//! generated.vendor(&out_dir.join(netapi_codegen::OUT_DIR_FOLDER))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

// What users call is `Config` and `Generated` (with the types they return), the IR for
// tools that derive things from it, and the page readers. The pipeline's stages behind
// them are the crate's own.
#[cfg(feature = "cases")]
pub mod cases;
mod check;
mod diag;
mod emit;
mod fingerprint;
pub mod ir;
mod naming;
#[cfg(feature = "openapi")]
pub mod openapi;
#[cfg(feature = "pages")]
pub mod pages;
mod par;
// The spec files as parsed. Public for the tests and fuzz targets that read parsed specs
// (examples, their directions) or feed the pipeline specs from memory
// (`Config::generate_loaded`); users give `Config` a folder.
#[doc(hidden)]
pub mod spec;
mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use check::{Checked, Stats};
pub use diag::{Diagnostic, Diagnostics, Location};
pub use emit::Layout;
pub use write::{GeneratedFile, MANIFEST, Stale, VendorOptions, WriteError, WriteReport};

/// Loads and checks every spec under `dir`: the `check` command and the first half of
/// generation. Returns every problem of every file at once.
pub fn check_dir(dir: &Path) -> Result<Checked, Diagnostics> {
    let (set, diagnostics) = spec::load_dir(dir, par::default_jobs());
    check_loaded(set, diagnostics)
}

/// Checks the files that parsed. Files that failed to parse are already in `diagnostics`;
/// checking the others in the same run shows every problem at once. Nothing past `check`
/// runs unless all of it is clean.
fn check_loaded(set: spec::SpecSet, mut diagnostics: Diagnostics) -> Result<Checked, Diagnostics> {
    match check::check(set) {
        Ok(checked) => diagnostics.finish(checked),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(diagnostics)
        }
    }
}

/// The folder of `OUT_DIR` that a build script generates into (layout `OutDir`); the
/// generated `include!`s point there.
pub const OUT_DIR_FOLDER: &str = "netapi";

/// What to generate and how.
#[derive(Clone, Debug)]
pub struct Config {
    spec_dir: PathBuf,
    layout: Layout,
    crate_name: String,
    crate_version: String,
    jobs: usize,
    reuse: Option<PathBuf>,
    services: Option<Vec<String>>,
}

/// A service name that no spec can have, given to [`Config::services`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown service `{name}`; the services are {}", SERVICES.join(", "))]
pub struct UnknownService {
    /// The name given.
    pub name: String,
}

/// Every service a spec can belong to; each is a cargo feature of the generated crate.
pub use spec::SERVICES;

impl Config {
    /// Generation from the specs under `spec_dir`, laid out for `OUT_DIR`.
    pub fn new(spec_dir: impl Into<PathBuf>) -> Self {
        Config {
            spec_dir: spec_dir.into(),
            layout: Layout::OutDir,
            crate_name: "netapi".to_owned(),
            crate_version: env!("CARGO_PKG_VERSION").to_owned(),
            jobs: par::default_jobs(),
            reuse: None,
            services: None,
        }
    }

    /// Sets how many threads emit and format (at least one; by default, as many as the
    /// machine runs in parallel). The output is the same for any number.
    pub fn jobs(&mut self, jobs: usize) -> &mut Self {
        self.jobs = jobs.max(1);
        self
    }

    /// Reuses operation modules from a previous generation in `dir` (the folder that
    /// [`Generated::vendor`] will replace) when nothing they are made from changed: their
    /// header records a fingerprint of the operation's IR, the layout and the generator's
    /// own source, and a file whose fingerprint matches is taken as it is instead of being
    /// emitted and formatted again. After an edit to one spec of many, only that
    /// operation's module (and the crate root) is rebuilt. `--check` does not reuse, so it
    /// still compares against a fresh generation.
    pub fn reuse(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.reuse = Some(dir.into());
        self
    }

    /// Generates only the operations of `services` (names from [`SERVICES`]): the spec
    /// files in other services' folders are neither checked nor generated, and the crate's
    /// features are those services' (with their finer features, from the operations'
    /// `feature:`). By default every service is generated.
    pub fn services<S: AsRef<str>>(
        &mut self,
        services: impl IntoIterator<Item = S>,
    ) -> Result<&mut Self, UnknownService> {
        let mut chosen = Vec::new();
        for name in services {
            let name = name.as_ref();
            if !SERVICES.contains(&name) {
                return Err(UnknownService {
                    name: name.to_owned(),
                });
            }
            chosen.push(name.to_owned());
        }
        chosen.sort();
        chosen.dedup();
        self.services = Some(chosen);
        Ok(self)
    }

    /// Drops the spec files of services not chosen by [`Config::services`]. A file's
    /// service is its folder (the check requires that they match); a file outside any
    /// service folder is kept, so the check still reports it.
    fn select(&self, mut set: spec::SpecSet) -> spec::SpecSet {
        if let Some(services) = &self.services {
            let chosen = |path: &std::path::Path| {
                let relative = path.strip_prefix(&self.spec_dir).unwrap_or(path);
                let mut parts = relative.components();
                match (parts.next(), parts.next()) {
                    (Some(folder), Some(_)) => services
                        .iter()
                        .any(|s| folder.as_os_str() == std::ffi::OsStr::new(s)),
                    _ => true,
                }
            };
            set.files.retain(|file| chosen(&file.path));
            // A service's resource files (`<service>/resources/`) go with its operations.
            set.resources.retain(|resource| chosen(&resource.path));
        }
        set
    }

    /// Sets the layout of the output: `OutDir` for a build script, `Crate` for vendoring.
    pub fn layout(&mut self, layout: Layout) -> &mut Self {
        self.layout = layout;
        self
    }

    /// Sets the package name written into a vendored crate's `Cargo.toml`.
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = name.into();
        self
    }

    /// Loads, checks and lowers the specs: the resolved model emitters read, for tools and
    /// tests that derive things from it (see `cases`, with the feature of that name).
    pub fn lower(&self) -> Result<ir::Api, GenerateError> {
        let (set, diagnostics) = spec::load_dir(&self.spec_dir, self.jobs);
        let checked = check_loaded(self.select(set), diagnostics).map_err(GenerateError::Spec)?;
        Ok(ir::lower(&checked, &self.spec_dir))
    }

    /// Runs the whole pipeline in memory. Nothing is written.
    pub fn generate(&self) -> Result<Generated, GenerateError> {
        let started = Instant::now();
        let (set, diagnostics) = spec::load_dir(&self.spec_dir, self.jobs);
        self.generate_from(set, diagnostics, started.elapsed())
    }

    /// The pipeline after loading, for specs already in memory: `set` as parsed (files
    /// under this config's spec folder) and the problems loading found. Fuzzing and tests
    /// use it to skip the disk.
    pub fn generate_loaded(
        &self,
        set: spec::SpecSet,
        diagnostics: Diagnostics,
    ) -> Result<Generated, GenerateError> {
        self.generate_from(set, diagnostics, Duration::ZERO)
    }

    fn generate_from(
        &self,
        set: spec::SpecSet,
        diagnostics: Diagnostics,
        load: Duration,
    ) -> Result<Generated, GenerateError> {
        let mut timings = vec![("load", load)];
        let mut phase = Instant::now();
        let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
            timings.push((name, phase.elapsed()));
            phase = Instant::now();
        };
        let checked = check_loaded(self.select(set), diagnostics).map_err(GenerateError::Spec)?;
        lap("check", &mut timings);
        let api = ir::lower(&checked, &self.spec_dir);
        lap("lower", &mut timings);
        let facts = self.facts(&checked);
        // The IR holds everything emitters need; the parsed specs and their text can go
        // before the output is built, which lowers peak memory on large spec sets.
        let Checked {
            files,
            resolved,
            resources,
            services,
            inputs,
            stats,
        } = checked;
        drop((files, resolved, resources, services));
        let started = Instant::now();
        let Formatted {
            mut files,
            emit: emit_time,
            format: format_time,
            reused,
            threads,
        } = self.emit_and_format(&api, &facts)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        timings.push(("emit+format", started.elapsed()));
        let summary = Summary {
            operations: api.operations.len(),
            types: api.types.len(),
            files: files.len(),
            stats,
            timings,
            threads,
            emit_cpu: emit_time,
            format_cpu: format_time,
            reused,
        };
        Ok(Generated {
            files,
            inputs,
            summary,
            spec_dir: self.spec_dir.clone(),
            jobs: self.jobs,
        })
    }

    /// Emits and formats every part on up to [`Config::jobs`] threads. Each part is
    /// formatted as soon as it is emitted, so only a few token trees live at once; the
    /// files are sorted afterwards.
    fn emit_and_format(
        &self,
        api: &ir::Api,
        facts: &emit::CrateFacts,
    ) -> Result<Formatted, GenerateError> {
        let parts = emit::parts(api);
        // A module is reused only if its whole content is what the previous run's manifest
        // recorded; without a readable manifest nothing is reused.
        let previous = self.reuse.as_deref().and_then(|dir| {
            let manifest = write::Manifest::read(dir).ok().flatten()?;
            Some((dir, manifest))
        });
        let shared_inputs = emit::SharedInputs::of(api);
        let done = par::map(&parts, self.jobs, |&part| {
            let started = Instant::now();
            let emitted = match part {
                emit::Part::Operation(index) => {
                    let (path, input) =
                        emit::operation_input(api, self.layout, index, &shared_inputs);
                    let reused = previous
                        .as_ref()
                        .and_then(|(dir, manifest)| write::reusable(dir, manifest, &path, input));
                    if let Some(contents) = reused {
                        let file = GeneratedFile { path, contents };
                        return (Ok(vec![file]), started.elapsed(), Duration::ZERO, 1);
                    }
                    vec![emit::operation(api, index, path, input)]
                }
                emit::Part::Shared(index) => emit::shared(api, index, self.layout),
                emit::Part::Glue => emit::glue(api, self.layout, facts),
            };
            let emit_time = started.elapsed();
            let started = Instant::now();
            let files: Result<Vec<GeneratedFile>, String> =
                emitted.into_iter().map(write::format).collect();
            (files, emit_time, started.elapsed(), 0)
        });
        let mut all = Formatted {
            threads: par::workers(parts.len(), self.jobs),
            ..Formatted::default()
        };
        for (files, emit_time, format_time, reused) in done {
            all.files.extend(files.map_err(GenerateError::Internal)?);
            all.emit += emit_time;
            all.format += format_time;
            all.reused += reused;
        }
        Ok(all)
    }

    fn facts(&self, checked: &Checked) -> emit::CrateFacts {
        let spec_root = self
            .spec_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "spec".to_owned());
        let mut spec_files: Vec<String> = Vec::new();
        let mut hash = fingerprint::Fnv::default();
        for file in &checked.files {
            let relative = file.path.strip_prefix(&self.spec_dir).unwrap_or(&file.path);
            let relative: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let name = format!("{spec_root}/{}", relative.join("/"));
            hash.bytes(name.as_bytes())
                .bytes(&[0])
                .bytes(file.text.as_bytes());
            spec_files.push(name);
        }
        spec_files.sort();
        emit::CrateFacts {
            name: self.crate_name.clone(),
            version: self.crate_version.clone(),
            spec_root,
            spec_files,
            fingerprint: format!("{:016x}", hash.finish()),
            generator_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// The process's peak resident memory in KiB, where the system reports it (Linux's
/// `VmHWM`), for `--timings` and the benchmarks.
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The specs have problems; every one is listed.
    #[error("{0}")]
    Spec(Diagnostics),
    /// The generator has a bug (it built code that does not parse).
    #[error("internal error: {0}\nplease report this as a bug")]
    Internal(String),
}

/// The generated files, in memory.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Every file, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Every file and directory the generator read, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// What was generated and how long each phase took.
    pub summary: Summary,
    /// The spec folder, which [`Generated::vendor`] refuses to write into.
    spec_dir: PathBuf,
    /// The threads [`Generated::vendor`] may use, as [`Config::jobs`] set them.
    jobs: usize,
}

impl Generated {
    /// Replaces `dir` with the generated files atomically: `dir` is always either the old
    /// tree or the new one, never a mix. Unchanged files keep their inode and timestamp.
    /// Removes only files an earlier generation wrote there (listed, with their content, in
    /// its [`MANIFEST`]); everything else in the folder is carried over. Before anything
    /// changes it refuses a non-empty folder without a manifest, a folder holding `.git`,
    /// and the spec folder or one containing it ([`Generated::vendor_with`] with
    /// [`VendorOptions::force`] lifts these); a symbolic link, a read-only folder and a file
    /// are always refused. One run at a time writes a folder.
    pub fn vendor(&self, dir: &Path) -> Result<WriteReport, WriteError> {
        self.vendor_with(dir, &VendorOptions::default())
    }

    /// [`Generated::vendor`] with `options`; the spec folder is always protected (unless
    /// [`VendorOptions::force`]), and the threads are [`Config::jobs`]. Build scripts pass
    /// [`VendorOptions::whole_folder`] for their folder inside `OUT_DIR`.
    pub fn vendor_with(
        &self,
        dir: &Path,
        options: &VendorOptions,
    ) -> Result<WriteReport, WriteError> {
        let mut options = options.clone();
        options.protect(&self.spec_dir).jobs(self.jobs);
        write::vendor_with(dir, &self.files, &options)
    }

    /// The files in `dir` that differ from what [`Generated::vendor`] would write (the
    /// manifest included); files it did not write are not reported.
    pub fn stale_files(&self, dir: &Path) -> std::io::Result<Vec<Stale>> {
        write::compare(dir, &self.files)
    }

    /// The file at `path`, if generated.
    pub fn file(&self, path: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// Counts and timings of one generation.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Operations generated.
    pub operations: usize,
    /// Rust types generated (structs and enums).
    pub types: usize,
    /// Files generated.
    pub files: usize,
    /// What the specs hold.
    pub stats: Stats,
    /// Wall time per phase, in order; emitting and formatting are one phase, as they
    /// run interleaved.
    pub timings: Vec<(&'static str, Duration)>,
    /// How many threads emitted and formatted.
    pub threads: usize,
    /// CPU time spent emitting, summed over the threads.
    pub emit_cpu: Duration,
    /// CPU time spent formatting (syn and prettyplease), summed over the threads.
    pub format_cpu: Duration,
    /// Operation modules taken unchanged from the previous generation (see
    /// [`Config::reuse`]).
    pub reused: usize,
}

/// The emitted and formatted files of a run, with what it took.
#[derive(Default)]
struct Formatted {
    files: Vec<GeneratedFile>,
    emit: Duration,
    format: Duration,
    reused: usize,
    threads: usize,
}

impl Summary {
    /// The wall time of all phases.
    pub fn total(&self) -> Duration {
        self.timings.iter().map(|(_, d)| *d).sum()
    }
}
