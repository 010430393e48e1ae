//! ARC tasks as batt sees them: an id, the split it came from, train input→output pairs and
//! test inputs whose outputs may or may not be known. Loading and validating them from
//! files is `dataset`'s job; this module only holds the values.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::grid::Grid;

/// Which part of a corpus a task comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Train,
    Eval,
    Test,
}

impl Split {
    pub fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Eval => "eval",
            Split::Test => "test",
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A train example: the output is always known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub input: Grid,
    pub output: Grid,
}

/// A test input, with its output when the data provides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub input: Grid,
    pub output: Option<Grid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub split: Option<Split>,
    pub train: Vec<Pair>,
    pub test: Vec<TestCase>,
}

impl Task {
    /// Whether every test output is known, so predictions can be checked.
    pub fn test_outputs_known(&self) -> bool {
        self.test.iter().all(|t| t.output.is_some())
    }
}
