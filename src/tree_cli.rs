//! `imgtui history tree ID`: the tree as text (the app's glyphs) or as nested JSON.

use std::collections::HashMap;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::store::JobSummary;
use crate::text::escape_controls;

pub fn print(asked: i64, rows: &[JobSummary], as_json: bool) -> ExitCode {
    let links: Vec<(i64, Option<i64>)> = rows.iter().map(|r| (r.id, r.parent_id)).collect();
    let order = crate::edit_tree::arrange(&links);
    if as_json {
        crate::outln!("{}", nested(rows));
        return ExitCode::SUCCESS;
    }
    for place in order {
        let row = &rows[place.index];
        let here = if row.id == asked { " ◀" } else { "" };
        let star = if row.starred { "★ " } else { "" };
        let cost = row.cost.as_ref().map(|c| format!(" {}", crate::cost::dollars(c.usd))).unwrap_or_default();
        crate::outln!(
            "{}#{} {} {}{} {star}{}{here}",
            place.prefix,
            row.id,
            row.status.as_str(),
            escape_controls(&row.model),
            cost,
            crate::text::fit_line(&row.prompt, 70)
        );
    }
    ExitCode::SUCCESS
}

/// The tree as JSON: each job with its `edits`, in the order they were made.
fn nested(rows: &[JobSummary]) -> Value {
    let ids: std::collections::HashSet<i64> = rows.iter().map(|r| r.id).collect();
    let mut children: HashMap<i64, Vec<&JobSummary>> = HashMap::new();
    let mut roots = Vec::new();
    for row in rows {
        match row.parent_id.filter(|p| ids.contains(p)) {
            Some(parent) => children.entry(parent).or_default().push(row),
            None => roots.push(row),
        }
    }
    // Built from the leaves up (ids grow down the tree), without recursion.
    let mut built: HashMap<i64, Value> = HashMap::new();
    for row in rows.iter().rev() {
        let edits: Vec<Value> = children
            .get(&row.id)
            .map(|kids| kids.iter().filter_map(|k| built.remove(&k.id)).collect())
            .unwrap_or_default();
        let mut value = serde_json::to_value(row).unwrap_or(Value::Null);
        value["edits"] = Value::Array(edits);
        built.insert(row.id, value);
    }
    let roots: Vec<Value> = roots.iter().filter_map(|r| built.remove(&r.id)).collect();
    match roots.len() {
        1 => roots.into_iter().next().unwrap_or(Value::Null),
        _ => json!({ "roots": roots }),
    }
}
