# Sourced by the benchmarks: `installed_envgate DIR` builds the release binary and
# copies it into DIR, printing the copy's path. The benchmarks time the copy, as
# `cargo install` leaves it: the file a linker has just written starts about a
# millisecond slower on Linux (its page cache is kept in small pages until evicted),
# which is a tenth of a doctor run and not what an installed envgate costs.
installed_envgate() {
    cargo build --release --quiet
    cp target/release/envgate "$1/envgate"
    printf '%s\n' "$1/envgate"
}
