//! The `netapi-codegen` command line.
//!
//! ```text
//! netapi-codegen check <SPEC_DIR>
//! netapi-codegen generate <SPEC_DIR> --out <DIR> [--services S,...] [--check] [--force] [--timings] [--jobs N]
//! netapi-codegen openapi <SPEC_DIR> [--out <FILE>]
//! netapi-codegen pages audit <SPEC_DIR> --pages <DIR>...
//! netapi-codegen pages draft <PAGE> [--out <FILE>]
//! netapi-codegen help [COMMAND]
//! ```
//!
//! Exit codes: 0 on success, 1 when the specs have problems or a file cannot be written
//! (or `--check` finds stale files), 2 for a usage error, 101 for a bug in the generator.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser, Subcommand};
use netapi_codegen::{Config, GenerateError, Layout, VendorOptions, WriteError};
/// `println!` that ends the program quietly when standard output is closed (as in
/// `netapi-codegen openapi spec | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` with the same behaviour as [`say!`].
macro_rules! say_raw {
    ($($arg:tt)*) => {
        write_stdout(format_args!($($arg)*))
    };
}

fn write_stdout(text: std::fmt::Arguments<'_>) {
    use std::io::Write;
    if let Err(error) = std::io::stdout().lock().write_fmt(text) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {error}");
        std::process::exit(1);
    }
}

/// Generates typed, validated Rust clients from hand-transcribed cloud API tables.
#[derive(Parser)]
#[command(name = "netapi-codegen", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Each subcommand is a variant with its own argument struct, so a new one is a variant,
// a struct and a function.
#[derive(Subcommand)]
enum Command {
    /// Checks every spec; prints one summary line, or every problem and exits 1.
    Check(CheckArgs),
    /// Writes a standalone crate into a folder (atomically; unchanged files are kept).
    Generate(GenerateArgs),
    /// Writes one OpenAPI 3.0.3 document (JSON) describing every operation.
    #[command(name = "openapi")]
    OpenApi(OpenApiArgs),
    /// Reads the API reference pages the specs transcribe: audits specs against them, or
    /// drafts a new spec from one.
    #[command(subcommand)]
    Pages(PagesCommand),
}

#[derive(Subcommand)]
enum PagesCommand {
    /// Compares every spec whose `source.page` is found in a page folder with its page;
    /// exits 1 on findings no erratum acknowledges.
    Audit(AuditArgs),
    /// Writes a spec skeleton for a page (never over an existing file).
    Draft(DraftArgs),
}

#[derive(clap::Args)]
struct AuditArgs {
    /// The folder of YAML specs.
    #[arg(value_name = "SPEC_DIR")]
    spec: PathBuf,
    /// A folder of pages, searched in the order given (at least one).
    #[arg(long = "pages", value_name = "DIR", required = true)]
    pages: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct DraftArgs {
    /// The page: reStructuredText, or HTML flattened to text.
    #[arg(value_name = "PAGE")]
    page: PathBuf,
    /// The file to write; standard output without it. An existing file is never replaced.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The folder of YAML specs.
    #[arg(value_name = "SPEC_DIR")]
    spec: PathBuf,
}

#[derive(clap::Args)]
#[command(after_help = "\
netapi-codegen records the files it writes in DIR/.netapi-manifest; of the files it no \
longer generates, it removes only those, and only if unchanged. Nothing else in DIR is \
touched. It refuses a non-empty folder without that manifest, a folder holding .git, and \
the spec folder or one containing it, unless --force is given. A symbolic link and a \
read-only folder are always refused.")]
struct GenerateArgs {
    /// The folder of YAML specs.
    #[arg(value_name = "SPEC_DIR")]
    spec: PathBuf,
    /// The folder to write the crate into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Writes nothing; exits 1 and names the stale files if DIR is out of date.
    // The flag is `--check`, as rustfmt's; inside, "check" means the spec rules only, so
    // the field says what it does.
    #[arg(long = "check")]
    verify_only: bool,
    /// Writes into a folder netapi-codegen did not write (files with the generated names
    /// are replaced; nothing else is removed).
    #[arg(long, conflicts_with = "verify_only")]
    force: bool,
    /// Prints the time spent in each phase and the peak memory.
    #[arg(long)]
    timings: bool,
    /// Emits and formats on N threads (default: all cores).
    #[arg(long, value_name = "N", value_parser = positive)]
    jobs: Option<NonZeroUsize>,
    /// Generates only these services (comma-separated, from: dcaas, vpc, vpn); each stays a
    /// cargo feature of the crate, with its finer features. Default: every service.
    #[arg(long, value_name = "S,...", value_delimiter = ',', value_parser = service)]
    services: Option<Vec<String>>,
}

#[derive(clap::Args)]
#[command(after_help = "\
On a bad spec, prints every problem, exits 1 and writes nothing. The file is written \
under a temporary name and renamed, so it is always a whole document; a symbolic link \
is refused.")]
struct OpenApiArgs {
    /// The folder of YAML specs.
    #[arg(value_name = "SPEC_DIR")]
    spec: PathBuf,
    /// The file to write; standard output without it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// A service name the specs can use.
fn service(text: &str) -> Result<String, String> {
    if netapi_codegen::SERVICES.contains(&text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "`{text}` is not a service; the services are {}",
            netapi_codegen::SERVICES.join(", ")
        ))
    }
}

/// A thread count: a whole number of at least one.
fn positive(text: &str) -> Result<NonZeroUsize, String> {
    text.parse()
        .map_err(|_| format!("needs a whole number of at least 1, not `{text}`"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
    };
    match cli.command {
        Command::Check(args) => check(args.spec),
        Command::Generate(args) => generate(args),
        Command::OpenApi(args) => openapi(args.spec, args.out),
        Command::Pages(PagesCommand::Audit(args)) => pages_audit(args.spec, args.pages),
        Command::Pages(PagesCommand::Draft(args)) => pages_draft(args.page, args.out),
    }
}

/// Prints clap's message (help and version go to standard output with exit code 0) and,
/// for an unknown or missing command, the valid ones. Usage errors exit with 2.
fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let _ = error.print();
    if matches!(
        error.kind(),
        ErrorKind::InvalidSubcommand | ErrorKind::MissingSubcommand
    ) {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        eprintln!("valid commands: {}, help", names.join(", "));
    }
    match error.exit_code() {
        0 => ExitCode::SUCCESS,
        _ => ExitCode::from(2),
    }
}

fn check(spec: PathBuf) -> ExitCode {
    match netapi_codegen::check_dir(&spec) {
        Ok(checked) => {
            say!("ok: {}", checked.stats);
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: GenerateArgs) -> ExitCode {
    let GenerateArgs {
        spec,
        out,
        verify_only,
        force,
        timings,
        jobs,
        services,
    } = args;
    let started = Instant::now();
    let mut config = Config::new(&spec);
    config.layout(Layout::Crate);
    if let Some(services) = services {
        // The names were checked when the arguments were parsed.
        if let Err(error) = config.services(&services) {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    }
    if let Some(jobs) = jobs {
        config.jobs(jobs.get());
    }
    // Unchanged operation modules are taken from the output folder; a check compares with
    // a fresh generation instead.
    if !verify_only {
        config.reuse(&out);
    }
    let generated = match config.generate() {
        Ok(generated) => generated,
        Err(error) => return failed(&error),
    };
    let summary = &generated.summary;
    if verify_only {
        return match generated.stale_files(&out) {
            Ok(stale) if stale.is_empty() => {
                say!(
                    "ok: {} is up to date ({} files)",
                    out.display(),
                    summary.files
                );
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                eprintln!("error: {} is out of date:", out.display());
                for file in &stale {
                    eprintln!("  {} ({})", file.path, file.reason);
                }
                eprintln!(
                    "run: netapi-codegen generate {} --out {}",
                    spec.display(),
                    out.display()
                );
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", out.display());
                ExitCode::FAILURE
            }
        };
    }
    let write_started = Instant::now();
    let report = match vendor(&generated, &out, force) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if report.recovered {
        eprintln!(
            "note: put {} back as it was before a run that was killed while swapping it",
            out.display()
        );
    }
    if !report.kept.is_empty() {
        eprintln!(
            "note: kept {} file(s) no longer generated because they were edited: {}",
            report.kept.len(),
            report.kept.join(", ")
        );
    }
    let write_time = write_started.elapsed();
    say!(
        "generated {} operations, {} types in {} files into {} ({} written, {} unchanged, {} removed) in {:.1} ms",
        summary.operations,
        summary.types,
        summary.files,
        out.display(),
        report.written.len(),
        report.unchanged.len(),
        report.removed.len(),
        started.elapsed().as_secs_f64() * 1e3,
    );
    if timings {
        let ms = |time: std::time::Duration| time.as_secs_f64() * 1e3;
        for (phase, time) in &summary.timings {
            say!("  {phase:<12} {:>9.2} ms", ms(*time));
        }
        say!("  {:<12} {:>9.2} ms", "write", ms(write_time));
        if summary.reused > 0 {
            say!(
                "  ({} of {} operation modules reused from {})",
                summary.reused,
                summary.operations,
                out.display()
            );
        }
        say!(
            "  ({} threads; CPU time: emit {:.2} ms, format {:.2} ms)",
            summary.threads,
            ms(summary.emit_cpu),
            ms(summary.format_cpu)
        );
        if let Some(peak) = netapi_codegen::peak_memory_kib() {
            say!("  peak memory  {:>9.1} MiB", peak as f64 / 1024.0);
        }
    }
    ExitCode::SUCCESS
}

/// Writes the crate, waiting (and saying so) while another run writes the same folder.
fn vendor(
    generated: &netapi_codegen::Generated,
    out: &Path,
    force: bool,
) -> Result<netapi_codegen::WriteReport, WriteError> {
    let mut options = VendorOptions::new();
    options.force(force).wait(false);
    match generated.vendor_with(out, &options) {
        Err(WriteError::Busy { lock, .. }) => {
            eprintln!(
                "waiting for another netapi-codegen run to finish writing {} (it holds {})",
                out.display(),
                lock.display()
            );
            generated.vendor_with(out, options.wait(true))
        }
        other => other,
    }
}

/// Prints why generation failed; exit code 1 for problems in the specs, 101 (as for a
/// panic) for a bug in the generator.
fn failed(error: &GenerateError) -> ExitCode {
    eprintln!("{error}");
    match error {
        GenerateError::Spec(_) => ExitCode::FAILURE,
        GenerateError::Internal(_) => ExitCode::from(101),
    }
}

fn openapi(spec: PathBuf, out: Option<PathBuf>) -> ExitCode {
    let api = match Config::new(&spec).lower() {
        Ok(api) => api,
        Err(error) => return failed(&error),
    };
    let document = match netapi_codegen::openapi::openapi(&api) {
        Ok(document) => document,
        Err(error) => {
            eprint!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let text = netapi_codegen::openapi::to_json(&document);
    let Some(out) = out else {
        say_raw!("{text}");
        return ExitCode::SUCCESS;
    };
    if let Err(error) = write_whole(&out, &text) {
        eprintln!("error: cannot write {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    say!(
        "wrote OpenAPI {} for {} operations, {} schemas to {}",
        netapi_codegen::openapi::OPENAPI_VERSION,
        api.operations.len(),
        api.types.len(),
        out.display()
    );
    ExitCode::SUCCESS
}

/// Writes `text` to `out` under a name no other run uses and renames it over `out`, so
/// the file is always a whole document, whichever of two concurrent runs finishes last. A
/// symbolic link is refused: renaming over it would replace the link, and writing through
/// it would put the file somewhere the command line does not name.
fn write_whole(out: &Path, text: &str) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    if let Ok(metadata) = std::fs::symlink_metadata(out) {
        if metadata.file_type().is_symlink() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "it is a symbolic link; pass the file it points to",
            ));
        }
        if !metadata.is_file() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "it is not a regular file; pass a file name",
            ));
        }
    }
    let name = out
        .file_name()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "it names no file"))?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut temporary = std::ffi::OsString::from(".");
    temporary.push(name);
    temporary.push(format!(".{}-{nanos:x}.partial", std::process::id()));
    let temporary = out.with_file_name(temporary);
    let result = std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, out));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Audits the specs under `spec` against the pages in `folders`; exit 1 on unacknowledged
/// findings or on specs that do not pass `check`.
fn pages_audit(spec: PathBuf, folders: Vec<PathBuf>) -> ExitCode {
    let started = Instant::now();
    let report = match netapi_codegen::pages::audit(&spec, &folders) {
        Ok(report) => report,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            return ExitCode::FAILURE;
        }
    };
    say!("{report}");
    say!("audit took {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    if report.unacknowledged() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Drafts a spec from the page at `page`, to `out` (never overwritten) or standard output.
fn pages_draft(page: PathBuf, out: Option<PathBuf>) -> ExitCode {
    let name = netapi_codegen::pages::draft::page_name(&page);
    let read = match netapi_codegen::pages::read_file(&page, &name) {
        Ok(read) => read,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    for problem in &read.problems {
        eprintln!(
            "{}:{}: warning: {}",
            page.display(),
            problem.line,
            problem.message
        );
    }
    let text = netapi_codegen::pages::draft(&read);
    let Some(out) = out else {
        say_raw!("{text}");
        return ExitCode::SUCCESS;
    };
    // `create_new` refuses an existing file, so a draft never replaces a spec.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&out)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
    match written {
        Ok(()) => {
            say!("wrote a draft of {} to {}", page.display(), out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", out.display());
            ExitCode::FAILURE
        }
    }
}
