//! Building a batch: programs and grids are deduplicated as items are added, so a batch
//! uploads each distinct program and grid once, however many items name it.

use std::collections::HashMap;

use anyhow::Result;

use super::program::Program;
use super::{Backend, Engine, Item, ItemResult};
use crate::grid::Grid;

/// Builds batches of programs and grids, deduplicating both.
#[derive(Default)]
pub struct BatchBuilder {
    pub programs: Vec<Program>,
    program_index: HashMap<Program, u32>,
    pub grids: Vec<Grid>,
    grid_index: HashMap<Grid, u32>,
    pub items: Vec<Item>,
}

impl BatchBuilder {
    pub fn program(&mut self, p: Program) -> u32 {
        if let Some(&i) = self.program_index.get(&p) {
            return i;
        }
        let i = self.programs.len() as u32;
        self.program_index.insert(p.clone(), i);
        self.programs.push(p);
        i
    }
    pub fn grid(&mut self, g: Grid) -> u32 {
        if let Some(&i) = self.grid_index.get(&g) {
            return i;
        }
        let i = self.grids.len() as u32;
        self.grid_index.insert(g.clone(), i);
        self.grids.push(g);
        i
    }
    /// Adds an item by indices returned from `program` and `grid`.
    pub fn push_indices(&mut self, program: u32, input: u32, expected: Option<u32>, want_output: bool) {
        self.items.push(Item { program, input, expected, want_output });
    }
    pub fn push(&mut self, program: Program, input: Grid, expected: Option<Grid>, want_output: bool) -> usize {
        let program = self.program(program);
        let input = self.grid(input);
        let expected = expected.map(|e| self.grid(e));
        self.items.push(Item { program, input, expected, want_output });
        self.items.len() - 1
    }
    /// Evaluates the batch on `engine` (its backend, or `backend` for this call).
    pub fn run(&self, engine: &mut Engine, tag: Option<&str>, backend: Option<Backend>) -> Result<Vec<ItemResult>> {
        engine.evaluate(&self.programs, &self.grids, &self.items, tag, backend)
    }
}

