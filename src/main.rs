use clap::Parser;

fn main() {
    let cli = tracklint::cli::Cli::parse();
    std::process::exit(tracklint::cli::run(cli));
}
