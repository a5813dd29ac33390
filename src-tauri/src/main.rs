fn main() {
    klaar_app::run()
}
