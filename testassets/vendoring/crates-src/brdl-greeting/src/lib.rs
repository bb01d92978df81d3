/// The greeting the sample prints.
pub fn greeting() -> &'static str {
    "Hello from a vendored crate"
}
