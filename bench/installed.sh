# Sourced by the benchmarks: `installed_envgate DIR` builds the release binary and
# copies it into DIR, printing the copy's path. The benchmarks time the copy, as
# `cargo install` leaves it: on the machine these figures come from, the file a
# linker has just written starts about a millisecond slower than a copy of it (likely
# how its page cache was filled; measured, both orders), which is a tenth of a doctor
# run and not what an installed envgate costs.
installed_envgate() {
    cargo build --release --quiet
    cp target/release/envgate "$1/envgate"
    printf '%s\n' "$1/envgate"
}
