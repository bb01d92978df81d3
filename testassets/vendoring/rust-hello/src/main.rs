fn main() {
    println!("{}", brdl_greeting::greeting());
}
