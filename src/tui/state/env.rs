//! What the app was started with and learns about its surroundings: the models and their
//! prices, the keymap, the budgets and what was spent, the terminal, and the clock.

use std::time::Instant;

use crate::catalog::ModelCatalog;
use crate::preview::Graphics;
use crate::tui::keymap::Keymap;

pub struct Env {
    /// The models: their rules, their state at the provider, and where the list came from.
    pub catalog: ModelCatalog,
    pub keymap: Keymap,
    /// "TTAPI https://api.ttapi.io/v1" or "demo http://127.0.0.1:…/v1".
    pub endpoint: String,
    /// What the provider charges (the config's prices over the built-in list), for estimates.
    pub prices: crate::cost::PriceTable,
    /// The config's budgets, and what the history says was spent (once it has said).
    pub budgets: crate::cost::Budgets,
    pub spent: Option<crate::cost::Spent>,
    /// What earlier jobs reported, for estimates without a price table or formula.
    pub output_history: crate::cost::OutputHistory,
    /// Ask before a key in a list sends a paid request (re-run, variants): `confirm_paid_keys`.
    pub confirm_paid: bool,
    pub now: Instant,
    pub spinner: usize,
    /// The terminal's size (columns, rows), for what update must fit to it.
    pub screen: (u16, u16),
    /// Pixels per terminal cell, for fitting pictures where the state needs to know (the
    /// painter's cells).
    pub cell: crate::preview::CellSize,
    /// How images are shown, decided at start-up.
    pub graphics: Graphics,
    /// Whether the terminal takes 24-bit colour (half-blocks use the 256 palette otherwise).
    pub truecolor: bool,
    /// Kitty pictures are drawn as Unicode placeholder cells (see `preview::placeholder`).
    pub kitty_placeholders: bool,
    /// Clicks and the wheel are taken (`mouse` in the config); else only the painter's.
    pub mouse: bool,
    /// What the last frame drew where, for the mouse.
    pub hits: super::hits::Hits,
    /// A job that ran at least this long ends with a notification (`notify_after_secs`);
    /// `None`: never (`notify = false`).
    pub notify_after: Option<std::time::Duration>,
    /// The terminal has the focus (it says so when focus reports are on; until it does, it is
    /// taken to).
    pub focused: bool,
    /// How this terminal takes a notification.
    pub notifier: crate::osc::Notifier,
}

impl Env {
    pub fn new(catalog: ModelCatalog, keymap: Keymap, endpoint: String) -> Self {
        Self {
            catalog,
            keymap,
            endpoint,
            prices: crate::cost::PriceTable::builtin(),
            budgets: crate::cost::Budgets::default(),
            spent: None,
            output_history: crate::cost::OutputHistory::default(),
            confirm_paid: true,
            now: Instant::now(),
            spinner: 0,
            screen: (80, 24),
            cell: crate::preview::CellSize::default(),
            graphics: Graphics::Blocks,
            truecolor: false,
            kitty_placeholders: false,
            mouse: true,
            hits: Default::default(),
            notify_after: Some(std::time::Duration::from_secs(10)),
            focused: true,
            notifier: crate::osc::Notifier::Bell,
        }
    }
}
