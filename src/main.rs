fn main() -> std::process::ExitCode {
    imgtui::run()
}
