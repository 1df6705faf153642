//! The `netapi-codegen` command line.
//!
//! ```text
//! netapi-codegen check <spec-dir>
//! netapi-codegen generate <spec-dir> --out <dir> [--check] [--timings] [--jobs N]
//! netapi-codegen openapi <spec-dir> [--out <file>]
//! netapi-codegen pages audit <spec-dir> --pages <dir>...
//! netapi-codegen pages draft <page> [--out <file>]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use netapi_codegen::{Config, GenerateError, Layout};

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

const USAGE: &str = "\
usage:
  netapi-codegen check <spec-dir>
      Checks every spec; prints one summary line, or every problem and exits 1.
  netapi-codegen generate <spec-dir> --out <dir> [--check] [--timings] [--jobs N]
      Writes a standalone crate into <dir> (atomically; unchanged files are kept).
      --check    writes nothing; exits 1 and names the stale files if <dir> is out of date
      --timings  prints the time spent in each phase
      --jobs N   emits and formats on N threads (default: all cores)
  netapi-codegen openapi <spec-dir> [--out <file>]
      Writes one OpenAPI 3.0.3 document (JSON) for every operation to <file>, or to
      standard output without --out. On a bad spec, prints every problem, exits 1 and
      writes nothing.
  netapi-codegen pages audit <spec-dir> --pages <dir> [--pages <dir>...]
      Compares every spec with its source page (found by `source.page` in the first
      folder that has it): rows, types, Mandatory, tables and examples. Prints every
      finding and a summary; exits 1 on findings no erratum acknowledges.
  netapi-codegen pages draft <page> [--out <file>]
      Writes a spec skeleton for a page (to standard output without --out; never
      overwrites a file), with a `# TODO` wherever a person must decide.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "pages") {
        return pages(&args[1..]);
    }
    match parse(&args) {
        Ok(Command::Check { spec }) => check(spec),
        Ok(Command::Generate {
            spec,
            out,
            check_only,
            timings,
            jobs,
        }) => generate(spec, out, check_only, timings, jobs),
        Ok(Command::OpenApi { spec, out }) => openapi(spec, out),
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

enum Command {
    Check {
        spec: PathBuf,
    },
    Generate {
        spec: PathBuf,
        out: PathBuf,
        check_only: bool,
        timings: bool,
        jobs: Option<usize>,
    },
    OpenApi {
        spec: PathBuf,
        out: Option<PathBuf>,
    },
}

fn parse(args: &[String]) -> Result<Command, String> {
    let (command, rest) = args.split_first().ok_or("no command given")?;
    let mut positional = Vec::new();
    let mut out = None;
    let mut check_only = false;
    let mut timings = false;
    let mut jobs = None;
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(iter.next().ok_or("--out needs a path")?)),
            "--check" => check_only = true,
            "--timings" => timings = true,
            "--jobs" => {
                let n = iter.next().ok_or("--jobs needs a number")?;
                jobs = Some(
                    n.parse::<usize>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("--jobs needs a positive number, not `{n}`"))?,
                );
            }
            "-h" | "--help" => return Err("help requested".to_owned()),
            flag if flag.starts_with("--") => return Err(format!("unknown flag `{flag}`")),
            value => positional.push(PathBuf::from(value)),
        }
    }
    let [spec] = <[PathBuf; 1]>::try_from(positional)
        .map_err(|_| "expected exactly one <spec-dir>".to_owned())?;
    match command.as_str() {
        "check" if out.is_none() && !check_only && !timings && jobs.is_none() => {
            Ok(Command::Check { spec })
        }
        "check" => Err("`check` takes only <spec-dir>".to_owned()),
        "generate" => {
            let out = out.ok_or("`generate` needs --out <dir>")?;
            Ok(Command::Generate {
                spec,
                out,
                check_only,
                timings,
                jobs,
            })
        }
        "openapi" if !check_only && !timings && jobs.is_none() => {
            Ok(Command::OpenApi { spec, out })
        }
        "openapi" => Err("`openapi` takes only <spec-dir> and --out <file>".to_owned()),
        other => Err(format!("unknown command `{other}`")),
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

fn generate(
    spec: PathBuf,
    out: PathBuf,
    check_only: bool,
    timings: bool,
    jobs: Option<usize>,
) -> ExitCode {
    let started = Instant::now();
    let mut config = Config::new(&spec);
    config.layout(Layout::Crate);
    if let Some(jobs) = jobs {
        config.jobs(jobs);
    }
    // Unchanged operation modules are taken from the output folder; a check compares with
    // a fresh generation instead.
    if !check_only {
        config.reuse(&out);
    }
    let generated = match config.generate() {
        Ok(generated) => generated,
        Err(error) => return failed(&error),
    };
    let summary = &generated.summary;
    if check_only {
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
    let report = match generated.vendor(&out) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", out.display());
            return ExitCode::FAILURE;
        }
    };
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
    // Written beside the target and renamed over it, so the file is always a whole document.
    let mut partial = out.clone().into_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    if let Err(error) =
        std::fs::write(&partial, &text).and_then(|()| std::fs::rename(&partial, &out))
    {
        let _ = std::fs::remove_file(&partial);
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

/// `pages audit` and `pages draft`: parsed here, run by [`pages_audit`] and
/// [`pages_draft`], whose logic lives in `netapi_codegen::pages`.
fn pages(args: &[String]) -> ExitCode {
    let usage = |message: &str| {
        eprintln!("error: {message}\n\n{USAGE}");
        ExitCode::from(2)
    };
    let Some((command, rest)) = args.split_first() else {
        return usage("`pages` needs `audit` or `draft`");
    };
    let mut positional = Vec::new();
    let mut folders = Vec::new();
    let mut out = None;
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--pages" => match iter.next() {
                Some(dir) => folders.push(PathBuf::from(dir)),
                None => return usage("--pages needs a folder"),
            },
            "--out" => match iter.next() {
                Some(file) => out = Some(PathBuf::from(file)),
                None => return usage("--out needs a path"),
            },
            flag if flag.starts_with("--") => return usage(&format!("unknown flag `{flag}`")),
            value => positional.push(PathBuf::from(value)),
        }
    }
    let [path] = <[PathBuf; 1]>::try_from(positional).unwrap_or_default();
    match command.as_str() {
        _ if path.as_os_str().is_empty() => {
            usage(&format!("`pages {command}` needs exactly one path"))
        }
        "audit" if out.is_none() && !folders.is_empty() => pages_audit(path, folders),
        "audit" => usage("`pages audit` takes <spec-dir> and at least one --pages <dir>"),
        "draft" if folders.is_empty() => pages_draft(path, out),
        "draft" => usage("`pages draft` takes <page> and --out <file>"),
        other => usage(&format!("unknown command `pages {other}`")),
    }
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
