//! Each command's Examples, shown at the end of its `--help` and in its manual page. Every line
//! is a command that runs as written (tests/cli.rs parses each one).

pub const APP: &str = "\
Examples:
  imgtui                                   # the app (the demo server when no key is set)
  imgtui generate 'a red fox in the snow'  # with a key set (or add --demo): one image, its path
  imgtui edit 'make it night' --image in.png --mask mask.png
  imgtui history                           # the last 20 jobs
  imgtui man | man -l -                    # the manual, with the app's keys";

pub const GENERATE: &str = "\
Examples:
  imgtui generate 'a red fox in the snow'
  imgtui generate 'a red fox' -n 2 -q low --size 1536x1024
  imgtui --demo generate 'a red fox'       # the built-in demo server, no key needed
  imgtui generate 'a lighthouse' -m gpt-image-2.6-flare --complexity high --dry-run
  echo 'a harbour at night' | imgtui generate - --json --out ./renders";

pub const EDIT: &str = "\
Examples:
  imgtui edit 'make it night' --image photo.png
  imgtui edit 'a hat on the cat' --image cat.png --mask mask.png --keep-unmasked
  imgtui edit 'one poster from these' --image a.png --image b.png -q high --show";

pub const HISTORY: &str = "\
Examples:
  imgtui history                   # the last 20 jobs, newest first
  imgtui history -s fox --status done -l 50
  imgtui history show 12 --show    # everything about job 12, its images printed
  imgtui history cost --by model";

pub const HISTORY_SHOW: &str = "\
Examples:
  imgtui history show 12
  imgtui history show 12 --json | jq .usage";

pub const HISTORY_RERUN: &str = "\
Examples:
  imgtui history rerun 12
  imgtui history rerun 12 --out ./renders --json";

pub const HISTORY_TOKENS: &str = "\
Examples:
  imgtui history tokens --days 7";

pub const HISTORY_TREE: &str = "\
Examples:
  imgtui history tree 12
  imgtui history tree 12 --json";

pub const HISTORY_COST: &str = "\
Examples:
  imgtui history cost
  imgtui history cost --days 7 --by model --json";

pub const SERVE_DEMO: &str = "\
Examples:
  imgtui serve-demo --port 8080
  OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=x python my_script.py";

pub const MODELS: &str = "\
Examples:
  imgtui models
  imgtui models --refresh --json";

pub const MASK: &str = "\
Examples:
  imgtui mask photo.png --rect 100,80,400,300 --out mask.png
  imgtui mask photo.png --ellipse 0,0,512,512 --invert --out keep-face.png";

pub const MARKUP: &str = "\
Examples:
  imgtui markup photo.png --ellipse 300,200,240,160 --arrow 40,40,300,220 --out marks.png
  imgtui markup photo.png --pen 10,10,60,40,120,30 --colour yellow --width 12 --out marks.png
  imgtui edit \"make the circled cup blue\" --image photo.png --markup marks.png -m gpt-image-2.6-flare";

pub const MCP: &str = "\
Examples:
  imgtui mcp --print-config claude      # the line that plugs imgtui into Claude Code
  imgtui --demo mcp                     # against the built-in demo server (no key)";

pub const BATCH: &str = "\
Examples:
  imgtui batch prompts.jsonl --dry-run     # what would be sent, and its estimate
  imgtui batch prompts.yaml --concurrency 2 --out ./renders
  imgtui batch prompts.jsonl --resume      # after a stop: only what is left";

pub const SHOW: &str = "\
Examples:
  imgtui show 12                 # job 12's images
  imgtui show 12 13 poster.png --width 40";

pub const DOCTOR: &str = "\
Examples:
  imgtui doctor
  imgtui doctor --graphics sixel";

pub const COMPLETIONS: &str = "\
Examples:
  source <(imgtui completions bash)
  mkdir -p ~/.config/fish/completions && imgtui completions fish > ~/.config/fish/completions/imgtui.fish";

pub const MAN: &str = "\
Examples:
  imgtui man | man -l -
  imgtui man --dir ~/.local/share/man/man1";

pub const KEYS: &str = "\
Examples:
  mkdir -p ~/.config/imgtui && imgtui keys > ~/.config/imgtui/keymap.toml
  imgtui keys --merged | grep -A30 -F '[painter]'   # the painter's keys in effect";

pub const CONFIG: &str = "\
Examples:
  imgtui config init && $EDITOR \"$(imgtui config path)\"
  imgtui config show";

pub const CONFIG_PATH: &str = "\
Examples:
  imgtui config path";

pub const CONFIG_SHOW: &str = "\
Examples:
  imgtui config show
  imgtui --provider openai config show";

pub const CONFIG_INIT: &str = "\
Examples:
  imgtui config init";
