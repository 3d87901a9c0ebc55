//! The `mdbook-paxos` command: mdBook runs it as the `paxos` preprocessor (the book on stdin, the book with figures
//! on stdout); `mdbook-paxos install` sets a book up. See the crate documentation and docs/embedding.md.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mdbook_paxos::PaxosPreprocessor;
use mdbook_preprocessor::Preprocessor;

#[derive(Parser)]
#[command(version, about = "An mdBook preprocessor that turns ```paxos blocks into live Paxos playground figures")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Asked by mdBook: exits 0 when the renderer can show figures (html), 1 otherwise.
    Supports {
        /// The renderer's name.
        renderer: String,
    },
    /// Sets a book up: copies the playground's dist/ into src/playground/, writes the loader and adds the
    /// preprocessor and the loader to book.toml. Running it again updates the copy.
    Install {
        /// The playground's built dist/ folder (`trunk build --release --offline`).
        #[arg(long)]
        dist: PathBuf,
        /// Record the dist/ folder in book.toml, so every build refreshes the copy.
        #[arg(long)]
        sync: bool,
        /// The book's folder (where book.toml is).
        #[arg(default_value = ".")]
        book: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Supports { renderer }) => {
            return if PaxosPreprocessor.supports_renderer(&renderer).unwrap_or(false) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Some(Command::Install { dist, sync, book }) => mdbook_paxos::install::install(&book, &dist, sync).map(|done| {
            eprintln!(
                "mdbook-paxos: {} playground file(s) copied into {}; book.toml {}",
                done.files,
                book.display(),
                if done.config_changed { "updated" } else { "already set up" }
            );
        }),
        None => preprocess(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdbook-paxos: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn preprocess() -> anyhow::Result<()> {
    let (ctx, book) = mdbook_preprocessor::parse_input(io::stdin())?;
    if ctx.mdbook_version != mdbook_preprocessor::MDBOOK_VERSION {
        eprintln!(
            "mdbook-paxos: warning: built for mdBook {}, called by mdBook {}",
            mdbook_preprocessor::MDBOOK_VERSION,
            ctx.mdbook_version
        );
    }
    let book = PaxosPreprocessor.run(&ctx, book)?;
    serde_json::to_writer(io::stdout(), &book)?;
    Ok(())
}
