//! Moving cells: gravity (every non-background cell slides as far as it can toward one
//! side, keeping its order) and shifting a whole grid's content.

use super::color::mostcolor;
use super::DslResult;
use crate::grid::Grid;

/// A side of the grid that cells move toward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Left,
    Right,
}

impl Direction {
    pub fn parse(name: &str) -> Option<Direction> {
        match name {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            "left" => Some(Direction::Left),
            "right" => Some(Direction::Right),
            _ => None,
        }
    }
}

/// Non-background cells fall toward `dir`, stacking against the edge in their order.
pub fn gravity(g: &Grid, dir: Direction) -> Grid {
    gravity_on(g, mostcolor(g), dir)
}

/// `gravity` with `bg` as the background.
pub fn gravity_on(g: &Grid, bg: u8, dir: Direction) -> Grid {
    let mut out = Grid::filled(g.rows(), g.cols(), bg).expect("same size as the input");
    let vertical = matches!(dir, Direction::Up | Direction::Down);
    let (lines, len) = if vertical { (g.cols(), g.rows()) } else { (g.rows(), g.cols()) };
    for line in 0..lines {
        let at = |i: usize| if vertical { (i, line) } else { (line, i) };
        let mut cells: Vec<u8> = (0..len).map(|i| { let (r, c) = at(i); g.get(r, c) }).filter(|&v| v != bg).collect();
        if matches!(dir, Direction::Down | Direction::Right) {
            let offset = len - cells.len();
            for (k, v) in cells.drain(..).enumerate() {
                let (r, c) = at(offset + k);
                out.set(r, c, v);
            }
        } else {
            for (k, v) in cells.drain(..).enumerate() {
                let (r, c) = at(k);
                out.set(r, c, v);
            }
        }
    }
    out
}

/// The grid's content moved by (dr, dc); vacated cells take `fill`, cells pushed off vanish.
pub fn shift_grid(g: &Grid, dr: i64, dc: i64, fill: u8) -> DslResult<Grid> {
    Ok(Grid::from_fn(g.rows(), g.cols(), |r, c| g.try_get(r as i64 - dr, c as i64 - dc).unwrap_or(fill))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn gravity_in_each_direction() {
        let g = grid!["100", "020", "000", "003"];
        assert_eq!(gravity(&g, Direction::Down), grid!["000", "000", "000", "123"]);
        let stack = grid!["10", "20", "00"];
        assert_eq!(gravity(&stack, Direction::Down), grid!["00", "10", "20"], "order is kept");
        assert_eq!(gravity(&g, Direction::Up), grid!["123", "000", "000", "000"]);
        assert_eq!(gravity(&g, Direction::Left), grid!["100", "200", "000", "300"]);
        assert_eq!(gravity(&g, Direction::Right), grid!["001", "002", "000", "003"]);
    }

    #[test]
    fn shifting_content() {
        let g = grid!["12", "34"];
        assert_eq!(shift_grid(&g, 1, 0, 0).unwrap(), grid!["00", "12"]);
        assert_eq!(shift_grid(&g, 0, -1, 9).unwrap(), grid!["29", "49"]);
    }
}
